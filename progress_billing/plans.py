"""Plans on Sales Invoices: reading, writing and refreshing installment records.

Decisions are the engine's; this module moves data between it and the database.
"""

from dataclasses import dataclass
from decimal import Decimal

import frappe
from frappe import _
from frappe.model.meta import get_field_precision
from frappe.utils import formatdate, getdate, nowdate

from progress_billing import engine, owners, payment_schedule, settings, tasks
from progress_billing.engine import PlanError
from progress_billing.errors import throw_refusal
from progress_billing.ledger import invoice_money
from progress_billing.rows import update_row

# The document's own plan fields, which after_insert writes with queries.
PLAN_DOC_FIELDS = (
	*owners.PLAN_VALUES,
	"pb_billing",
	"pb_plan_order",
	"pb_plan_invoice",
	"pb_schedule_notified",
)
INSTALLMENT = "Progress Billing Installment"
INSTALLMENT_FIELDS = (
	"name",
	"stage_no",
	"label",
	"percentage",
	"amount",
	"due_date",
	"paid_amount",
	"outstanding_amount",
	"status",
	"trigger",
	"task",
	"offset_days",
	"to_collect",
	"draw_invoice",
)


# The payment path's reads as plain SQL text, built once: building them with frappe.qb
# on every ledger entry cost more than running them.
_ROWS_SQL = {
	owner.doctype: "select {} from `tab{}` where `{}` = %s order by stage_no".format(
		", ".join(f"`{field}`" for field in INSTALLMENT_FIELDS), INSTALLMENT, owner.link_field
	)
	for owner in owners.OWNERS.values()
}


def money_precision(invoice) -> int:
	"""The document currency's precision, as ERPNext rounds the document's own totals."""
	df = frappe.get_meta(invoice.get("doctype") or owners.SALES_INVOICE).get_field("grand_total")
	return get_field_precision(df, currency=invoice.currency)


def invoice_total(invoice) -> Decimal:
	"""What the customer is billed: the rounded total unless rounding is off. An order
	billed draw by draw is billed its grand total: each draw invoice is exact, unrounded."""
	use_rounded = (
		not invoice.get("disable_rounded_total")
		and invoice.get("rounded_total")
		and invoice.get("pb_billing") != engine.EACH_DRAW
	)
	return engine.to_decimal((invoice.rounded_total if use_rounded else invoice.grand_total) or 0)


def load_invoice(name: str, for_update: bool = False):
	"""The invoice's plan-related values; a plain select, since this runs on every payment
	(frappe.db.get_value costs several times more here)."""
	return owners.SALES_INVOICE_OWNER.load(name, for_update=for_update)


def load(doctype: str, name: str, for_update: bool = False):
	"""The plan-related values of the document a plan belongs to, named as an invoice's."""
	return owners.owner(doctype).load(name, for_update=for_update)


def get_rows(name: str, doctype: str = owners.SALES_INVOICE) -> list[dict]:
	return frappe.db.sql(_ROWS_SQL[doctype], name, as_dict=True)


def lock_invoices(invoice_names: list[str]) -> list[str]:
	"""Takes the row locks of invoices with a plan, or billing an order's draw, before any
	ledger entry is written, so concurrent payments on one invoice queue up instead of
	deadlocking later. Returns the orders whose draws they bill, to be locked next."""
	if not invoice_names:
		return []
	rows = frappe.db.sql(
		"select pb_draw_order from `tabSales Invoice` where name in %s"
		" and (ifnull(pb_plan_status, '') != '' or pb_draw_order is not null) for update",
		[tuple(invoice_names)],
	)
	return [order for (order,) in rows if order]


def plan_invoice_for(invoice_name: str) -> str | None:
	"""The invoice whose plan `invoice_name`'s money belongs to: itself, or for a debit
	note the invoice it was raised against."""
	# A plain select: this runs for every ledger entry written (get_value costs several times more).
	found = frappe.db.sql(
		"select pb_plan_status, is_debit_note, return_against from `tabSales Invoice` where name = %s",
		invoice_name,
		as_dict=True,
	)
	values = found[0] if found else None
	if not values:
		return None
	if values.pb_plan_status:
		return invoice_name
	if values.is_debit_note and values.return_against:
		if frappe.db.get_value("Sales Invoice", values.return_against, "pb_plan_status"):
			return values.return_against
	return None


def has_money_applied(name: str, doctype: str = owners.SALES_INVOICE) -> bool:
	link_field = owners.owner(doctype).link_field
	return bool(frappe.db.exists(INSTALLMENT, {link_field: name, "paid_amount": (">", 0)}))


def build(invoice, rows, *, mode: str, target=None) -> tuple[engine.Plan, list[dict], list[str]]:
	"""The engine's plan for `rows` on `invoice` (raises PlanError), the rows as prepared
	(task triggers resolved) and notes for the user, such as a task the project lacks."""
	program = frappe.get_cached_doc("Progress Billing Settings")
	prepared, notes = tasks.attach_task_dates(invoice.get("project"), rows)
	plan = engine.build_plan(
		target if target not in (None, "") else _open_amount(invoice),
		prepared,
		mode=mode,
		precision=money_precision(invoice),
		today=getdate(nowdate()),
		start_date=getdate(invoice.posting_date),
		interval_days=program.default_interval_days or engine.DEFAULT_INTERVAL_DAYS,
	)
	return plan, prepared, notes


def _open_amount(invoice) -> Decimal:
	"""What a new plan covers by default: an invoice's outstanding, an order's total less
	what it has received."""
	if invoice.doctype == owners.SALES_INVOICE:
		return invoice.outstanding_amount or invoice_total(invoice)
	return invoice_total(invoice) - engine.to_decimal(invoice.get("advance_paid") or 0)


def template_rows(template_name: str) -> list[dict]:
	if not frappe.db.exists("Payment Schedule Template", template_name):
		raise PlanError(_("Template {0} does not exist."), template_name, field="template")
	template = frappe.get_cached_doc("Payment Schedule Template", template_name)
	return [
		{
			"label": stage.label,
			"percentage": stage.percentage,
			"trigger": stage.trigger,
			"task_subject": stage.task_subject,
			"offset_days": stage.offset_days,
		}
		for stage in template.stages
	]


def write(invoice, plan: engine.Plan, *, template: str | None, rows=None):
	"""Replaces the invoice's installments with `plan`, then refreshes paid state. `rows`,
	as `build` prepared them, carry what ties an installment to a task."""
	link_field = owners.owner(invoice.doctype).link_field
	frappe.db.delete(INSTALLMENT, {link_field: invoice.name})
	for row, source in zip(plan.installments, rows or [{}] * len(plan.installments), strict=True):
		frappe.get_doc(
			{
				"doctype": INSTALLMENT,
				link_field: invoice.name,
				"stage_no": row.idx,
				"label": row.label,
				"percentage": row.percentage,
				"amount": row.amount,
				"due_date": row.due_date,
				"paid_amount": 0,
				"outstanding_amount": row.amount,
				"status": engine.UNPAID,
				"customer": invoice.customer,
				"company": invoice.company,
				"currency": invoice.currency,
				"trigger": source.get("trigger"),
				"task": source.get("task"),
				"offset_days": source.get("offset_days") or 0,
				"installment_count": len(plan.installments),
			}
		).db_insert()
	frappe.db.set_value(
		invoice.doctype,
		invoice.name,
		{
			"pb_plan_status": engine.ACTIVE,
			"pb_template": template,
			"pb_mode": plan.mode,
			"pb_plan_target": plan.target,
			"pb_outside_plan": _ledger_total(invoice) - plan.target,
			"pb_refunds_before": _ledger_refunds(invoice),
			**billing_values(invoice),
		},
		update_modified=False,
	)
	refresh(invoice.name, doctype=invoice.doctype)
	payment_schedule.mirror_into_db(invoice, get_rows(invoice.name, invoice.doctype))


def billing_values(document) -> dict:
	"""An order's plan is billed as chosen, or as the Settings say until someone chooses."""
	if document.doctype != owners.SALES_ORDER:
		return {}
	document.pb_billing = (
		document.get("pb_billing") or settings.get_settings().default_billing or engine.ONE_INVOICE
	)
	return {"pb_billing": document.pb_billing}


def mirror_into_schedule(doc):
	"""On a document being saved: ERPNext just built its Payment Schedule; the plan's rows,
	at the amounts its current total gives them, take its place."""
	rows = get_rows(doc.name, doc.doctype)
	if rows:
		state = compute(doc, rows)
		planned = [
			row.update({"amount": amount}) or row for row, amount in zip(rows, state.amounts, strict=True)
		]
		payment_schedule.mirror_into_doc(doc, planned)


def drop_from_return(doc):
	"""A draft made into a return (a credit note) carries no plan of its own: a credit note
	re-splits its original's plan instead."""
	if doc.get("is_return") and doc.get("pb_plan_status") and not doc.is_new():
		_forget_plan(doc)


def yield_to_chosen_terms(doc):
	"""A Payment Terms Template picked on a draft after its plan was made (saved, or
	submitted at once) is the newer choice: the plan gives way and ERPNext builds the
	schedule from the template."""
	if (
		(doc.docstatus == 0 or doc.get("_action") == "submit")
		and not doc.is_new()
		and doc.get("pb_plan_status") == engine.ACTIVE
		and doc.get("payment_terms_template")
		and doc.has_value_changed("payment_terms_template")
	):
		_forget_plan(doc)
		doc.set("payment_schedule", [])
		doc.set_payment_schedule()


def _forget_plan(doc):
	"""The plan of a draft being saved goes: its installments, and its values on the document."""
	frappe.db.delete(INSTALLMENT, {owners.owner(doc.doctype).link_field: doc.name})
	for field in ("pb_plan_status", "pb_template", "pb_mode"):
		doc.set(field, None)
	for field in ("pb_plan_target", "pb_outside_plan", "pb_refunds_before", "pb_refunded_balance"):
		doc.set(field, 0)


def carry_into_memory(doc):
	"""After insert, the plan was written with queries (attached, copied or handed over):
	the document in memory takes its values and, on a draft's plan, the plan's Payment
	Schedule. Otherwise the next save of this same document (the desk's Submit after Save,
	a script's insert then submit) writes the old, empty values back and loses the plan."""
	fields = [df.fieldname for df in doc.meta.fields if df.fieldname in PLAN_DOC_FIELDS]
	values = frappe.db.get_value(doc.doctype, doc.name, fields, as_dict=True) or {}
	if all((doc.get(field) or None) == (value or None) for field, value in values.items()):
		return
	doc.update(values)
	if doc.docstatus == 0 and doc.get("pb_plan_status") == engine.ACTIVE:
		mirror_into_schedule(doc)


def attach_default_plan(doc):
	"""A new document of a department with the program ticked starts on the default template,
	unless a Payment Terms Template (chosen, or the customer's default terms) or rows typed
	by hand already set its schedule: that choice is kept (Configure replaces it)."""
	default_template = settings.get_settings().default_template
	if not (
		default_template
		and not doc.get("payment_terms_template")
		# Rows typed in by hand are a choice too; ERPNext alone builds a single row.
		and len(doc.get("payment_schedule") or []) <= 1
		and settings.user_has_program()
		and settings.department_has_program(settings.invoice_department(doc))
	):
		return
	values = load(doc.doctype, doc.name)
	try:
		plan, rows, _notes = build(values, template_rows(default_template), mode=engine.PERCENTAGE)
	except PlanError:
		return  # a document too small for the template simply starts without a plan
	write(values, plan, template=default_template, rows=rows)


def copy_plan(original: str, doc) -> bool:
	"""An amended document starts with a fresh, unpaid copy of the original's plan."""
	rows = get_rows(original, doc.doctype)
	if not rows:
		return False
	template = frappe.db.get_value(doc.doctype, original, "pb_template")
	values = load(doc.doctype, doc.name)
	if doc.doctype == owners.SALES_ORDER:
		values.pb_billing = frappe.db.get_value(doc.doctype, original, "pb_billing")
	source_rows = [
		{
			"label": row.label,
			"percentage": row.percentage,
			"trigger": row.trigger,
			"task": row.task,
			"offset_days": row.offset_days,
		}
		for row in rows
	]
	try:
		plan, prepared, _notes = build(values, source_rows, mode=engine.PERCENTAGE)
	except PlanError:
		return False
	write(values, plan, template=template, rows=prepared)
	return True


def _ledger_total(invoice) -> Decimal:
	"""The invoice total as the ledger has it once submitted (credit and debit notes in)."""
	if invoice.docstatus == 1 and invoice.doctype == owners.SALES_INVOICE:
		money = invoice_money([invoice.name]).get(invoice.name)
		if money:
			return engine.round_to(money.invoice_total, money_precision(invoice))
	return invoice_total(invoice)


def _ledger_refunds(invoice) -> Decimal:
	if invoice.docstatus != 1 or invoice.doctype != owners.SALES_INVOICE:
		return Decimal(0)
	money = invoice_money([invoice.name]).get(invoice.name)
	return money.refunds if money else Decimal(0)


def copy_party(invoice):
	"""A draft's customer, company or currency may change: keep its installments' copies in step."""
	frappe.db.set_value(
		INSTALLMENT,
		{owners.owner(invoice.get("doctype") or owners.SALES_INVOICE).link_field: invoice.name},
		{"customer": invoice.customer, "company": invoice.company, "currency": invoice.currency},
		update_modified=False,
	)


def remove(invoice_name: str, doctype: str = owners.SALES_INVOICE):
	frappe.db.delete(INSTALLMENT, {owners.owner(doctype).link_field: invoice_name})
	payment_schedule.restore_single_row(load(doctype, invoice_name))
	frappe.db.set_value(
		doctype,
		invoice_name,
		{
			"pb_plan_status": None,
			"pb_template": None,
			"pb_mode": None,
			"pb_plan_target": 0,
			"pb_outside_plan": 0,
			"pb_refunded_balance": 0,
		},
		update_modified=False,
	)


@dataclass(frozen=True)
class PlanState:
	target: Decimal
	amounts: list[Decimal]
	states: list[engine.InstallmentState]
	status: str
	ledger_balance: Decimal | None = None  # the invoice's outstanding by a locking ledger read
	refunded_balance: Decimal = Decimal(0)  # refunded money still owed beside the installments
	billed: bool = False  # the invoice is submitted: its outstanding installments are to collect


def compute(invoice, rows, lock: bool = False) -> PlanState:
	"""The plan's state from the invoice (a document or its values) and, once it is
	submitted, from its ledger. Raises a translated error where the engine refuses."""
	precision = money_precision(invoice)
	outside = engine.round_to(engine.to_decimal(invoice.pb_outside_plan or 0), precision)
	cancelled = invoice.pb_plan_status == engine.CANCELLED or invoice.docstatus == 2

	total, receipts, refunds, balance = invoice_total(invoice), Decimal(0), Decimal(0), None
	owner = owners.owner(invoice.get("doctype") or owners.SALES_INVOICE)
	if owner.doctype == owners.SALES_ORDER and invoice.get("pb_billing") == engine.EACH_DRAW:
		return _compute_draws(invoice, rows, total, precision, cancelled, lock)
	if invoice.docstatus == 1:
		money = owner.money(invoice, total, lock=lock)
		if money:
			total = engine.round_to(money.invoice_total, precision)
			receipts = engine.round_to(money.receipts, precision)
			refunds = engine.round_to(money.refunds, precision)
			balance = engine.round_to(money.balance, precision)

	# Money that moved before the plan was made is not the plan's: the part of the total
	# it does not cover was paid (or is owed) outside it, and earlier refunds are history.
	refunds_before = engine.to_decimal(invoice.get("pb_refunds_before") or 0)
	receipts = max(Decimal(0), receipts - outside - refunds_before)
	refunds = max(Decimal(0), refunds - refunds_before)
	target = total - outside
	receipts = engine.receipts_within_plan(receipts, refunds, target)
	amounts = [engine.round_to(engine.to_decimal(row.amount), precision) for row in rows]
	try:
		collected = engine.collected_for_plan(receipts, refunds, max(target, Decimal(0)))
		if target != sum(amounts):
			amounts = engine.recalculate_amounts(
				[row.percentage for row in rows], amounts, collected, target, precision=precision
			)
		states = engine.allocate_receipts(amounts, collected, cancelled=cancelled)
		refunded = engine.refunds_owed(receipts, refunds, max(target, Decimal(0)))
	except PlanError as refusal:
		throw_refusal(refusal)
	status = engine.plan_status(states, cancelled=cancelled)
	# A submitted invoice's installments are there to collect, and so are a submitted
	# order's (deposits asked for ahead of its invoice); a quotation's are a proposal.
	billed = invoice.docstatus == 1 and owner.doctype != owners.QUOTATION
	if owner.doctype != owners.SALES_INVOICE:
		balance = None  # an order keeps no outstanding amount of its own to correct
	return PlanState(target, amounts, states, status, balance, refunded, billed=billed)


def _compute_draws(order, rows, total: Decimal, precision: int, cancelled: bool, lock: bool) -> PlanState:
	"""An order billed draw by draw: invoiced draws are worth and were paid what their
	invoices say; deposits no draw invoice has taken yet cover the others, oldest first."""
	money = owners.order_draws(order.name, rows, lock=lock)
	try:
		amounts = engine.draw_amounts(total, money.draws, precision)
	except PlanError as refusal:
		throw_refusal(refusal)
	states = engine.draw_states(amounts, money.draws, money.unapplied_deposits, cancelled=cancelled)
	status = engine.plan_status(states, cancelled=cancelled)
	if status == engine.COMPLETED and any(draw.invoice_total is None for draw in money.draws):
		status = engine.ACTIVE  # paid ahead by deposits, but draws are still to be invoiced
	return PlanState(total, amounts, states, status, None, Decimal(0), billed=order.docstatus == 1)


def refresh_for_ledger_entry(against_invoice: str):
	"""A ledger entry was written against `against_invoice`: refresh the plan its money
	belongs to (its own, or for a debit note its original's). One locking read finds and
	loads it: this runs for every ledger entry. ERPNext updates the invoice's row in the
	same transaction, so locking it here takes no lock ERPNext would not take."""
	invoice = load_invoice(against_invoice, for_update=True)
	if invoice and not invoice.pb_plan_status and invoice.is_debit_note and invoice.return_against:
		invoice = load_invoice(invoice.return_against, for_update=True)
	if invoice and invoice.pb_plan_status:
		refresh(invoice.name, invoice=invoice)
	elif invoice and invoice.pb_draw_order:
		refresh(invoice.pb_draw_order, doctype=owners.SALES_ORDER)


def refresh(invoice_name: str, invoice=None, doctype: str = owners.SALES_INVOICE):
	"""Recomputes the plan from the document and its ledger; running it twice changes nothing.

	Locks the document's row first, so two payments landing at once are applied one
	after the other (`invoice`, where given, was read by such a locking read).
	"""
	invoice = invoice or load(doctype, invoice_name, for_update=True)
	if not invoice or not invoice.pb_plan_status:
		return
	rows = get_rows(invoice_name, invoice.doctype)
	if not rows:
		return
	state = compute(invoice, rows, lock=True)
	_correct_stale_outstanding(invoice, state.ledger_balance)
	changed, amounts_changed = _write_states(rows, state, money_precision(invoice))
	# ERPNext's schedule carries what each row has been paid, as the installments do;
	# a cancelled plan left the invoice ERPNext's own single row.
	if state.status != engine.CANCELLED:
		if amounts_changed:
			payment_schedule.mirror_into_db(invoice, rows)
		elif changed:
			payment_schedule.mirror_paid_into_db(invoice, rows)
	values = {
		"pb_plan_status": state.status,
		"pb_plan_target": state.target,
		"pb_refunded_balance": state.refunded_balance,
	}
	if any(
		engine.to_decimal(invoice.get(field) or 0) != value
		if isinstance(value, Decimal)
		else invoice.get(field) != value
		for field, value in values.items()
	):
		frappe.db.set_value(invoice.doctype, invoice_name, values, update_modified=False)


def refresh_part_invoiced_orders(invoice):
	"""An invoice of part of an order on a plan (or a credit note against one) was submitted
	or cancelled: the order's plan asks for less, or more, again."""
	for order in sorted({row.sales_order for row in invoice.items if row.get("sales_order")}):
		values = load(owners.SALES_ORDER, order, for_update=True)
		if values and values.pb_plan_status in (engine.ACTIVE, engine.COMPLETED):
			if values.pb_billing != engine.EACH_DRAW:
				refresh(order, invoice=values, doctype=owners.SALES_ORDER)


def reschedule(invoice_name: str) -> list[str]:
	"""Moves task-tied due dates after their tasks, keeping plan order; returns the
	installments that have just fallen due (they had no date, or a later one)."""
	invoice = load_invoice(invoice_name, for_update=True)
	rows = get_rows(invoice_name)
	task_rows = [row for row in rows if row.task and row.trigger]
	if not task_rows or not invoice.pb_plan_status:
		return []
	found = {
		task.name: task for task in tasks.fetch_tasks(invoice.project, names=[row.task for row in task_rows])
	}
	specs = [
		tasks.event_due(row, found[row.task]) if row.task in found and row.trigger else row.due_date
		for row in rows
	]
	program = frappe.get_cached_doc("Progress Billing Settings")
	today = getdate(nowdate())
	new_dates = engine.resolve_due_dates(
		specs,
		today=today,
		start_date=getdate(invoice.posting_date),
		interval_days=program.default_interval_days or engine.DEFAULT_INTERVAL_DAYS,
		strict=False,
	)
	fell_due, changed = [], False
	for row, new_date in zip(rows, new_dates, strict=True):
		old_date = getdate(row.due_date) if row.due_date else None
		if new_date != old_date:
			changed = True
			frappe.db.set_value(INSTALLMENT, row.name, "due_date", new_date, update_modified=False)
			if new_date and new_date <= today and (old_date is None or old_date > today):
				fell_due.append(row.name)
			row.due_date = new_date
	if changed:
		payment_schedule.mirror_into_db(invoice, rows)
	return fell_due


def _correct_stale_outstanding(invoice, ledger_balance: Decimal | None):
	"""ERPNext computes outstanding with a plain read, which in a transaction that began
	before a concurrent payment committed misses that payment. Our read locks, so it
	sees it: where the two disagree, the ledger's figure is the right one."""
	if ledger_balance is None:
		return
	precision = money_precision(invoice)
	if ledger_balance != engine.round_to(engine.to_decimal(invoice.outstanding_amount or 0), precision):
		frappe.db.set_value(
			"Sales Invoice", invoice.name, "outstanding_amount", ledger_balance, update_modified=False
		)
		frappe.get_doc("Sales Invoice", invoice.name).set_status(update=True, update_modified=False)


def _write_states(rows, plan_state: PlanState, precision) -> tuple[bool, bool]:
	"""Writes what changed; says whether any installment did, and whether an amount did."""
	changed = amounts_changed = False
	collecting = plan_state.billed and plan_state.status == engine.ACTIVE
	for row, amount, state in zip(rows, plan_state.amounts, plan_state.states, strict=True):
		values = {
			"amount": amount,
			"paid_amount": state.paid_amount,
			"outstanding_amount": state.outstanding_amount,
			"status": state.status,
			"to_collect": int(
				collecting and state.outstanding_amount > 0 and state.status != engine.CANCELLED
			),
		}
		current = {
			"amount": engine.round_to(engine.to_decimal(row.amount), precision),
			"paid_amount": engine.round_to(engine.to_decimal(row.paid_amount), precision),
			"outstanding_amount": engine.round_to(engine.to_decimal(row.outstanding_amount), precision),
			"status": row.status,
			"to_collect": int(row.to_collect or 0),
		}
		if values != current:
			update_row(INSTALLMENT, row.name, values)
			amounts_changed |= values["amount"] != current["amount"]
			row.update(values)
			changed = True
	return changed, amounts_changed


def as_dict(invoice_name: str, doctype: str = owners.SALES_INVOICE) -> dict:
	invoice = load(doctype, invoice_name)
	rows = get_rows(invoice_name, doctype) if invoice.pb_plan_status else []
	current = next(
		(row.stage_no for row in rows if row.outstanding_amount > 0 and row.status != engine.CANCELLED), None
	)
	subjects = (
		dict(
			frappe.get_all(
				"Task",
				{"name": ("in", [row.task for row in rows if row.task])},
				["name", "subject"],
				as_list=True,
			)
		)
		if any(row.task for row in rows)
		else {}
	)
	each_draw = invoice.get("pb_billing") == engine.EACH_DRAW
	draw_status = owners.order_draws(invoice_name, rows).invoice_status if each_draw and rows else []
	return {
		**({"sales_invoice": invoice_name} if doctype == owners.SALES_INVOICE else {}),
		"doctype": doctype,
		"name": invoice_name,
		**(
			{"billing": invoice.get("pb_billing") or engine.ONE_INVOICE}
			if doctype == owners.SALES_ORDER
			else {}
		),
		# ERPNext bills a closed or held order no more: the plan says its draws wait.
		"billing_stopped": invoice.status if each_draw and invoice.status in engine.NOT_BILLABLE else None,
		"status": invoice.pb_plan_status or None,
		"mode": invoice.pb_mode or None,
		"template": invoice.pb_template or None,
		"target": invoice.pb_plan_target if rows else None,
		"current": current,
		# The invoice's balance is what the installments still ask for plus refunded money
		# still owed: both are given, so every screen can show why the two figures differ.
		"installments_outstanding": installments_outstanding(rows),
		"refunded_balance": engine.to_decimal(invoice.pb_refunded_balance or 0) if rows else Decimal(0),
		"invoice_outstanding": invoice.outstanding_amount
		if doctype == owners.SALES_INVOICE
		else installments_outstanding(rows)
		if each_draw
		else invoice_total(invoice) - engine.to_decimal(invoice.get("advance_paid") or 0),
		"installments": [
			{
				"idx": row.stage_no,
				"label": row.label,
				"percentage": row.percentage,
				"amount": row.amount,
				"due_date": row.due_date,
				"paid_amount": row.paid_amount,
				"outstanding_amount": row.outstanding_amount,
				"status": row.status,
				"trigger": row.trigger or None,
				"task": row.task or None,
				"task_subject": subjects.get(row.task),
				"offset_days": row.offset_days or 0,
				"waiting_for": tasks.waiting_label(subjects.get(row.task))
				if row.task and not row.due_date
				else None,
				**(
					{
						"draw_invoice": row.draw_invoice if status is not None and status < 2 else None,
						"draw_state": engine.draw_state(
							status, engine.to_decimal(row.paid_amount), engine.to_decimal(row.amount)
						),
					}
					if each_draw
					else {}
				),
			}
			for row, status in zip(rows, draw_status or [None] * len(rows), strict=True)
		],
	}


def installments_outstanding(rows) -> Decimal:
	"""What the installments still ask for: the invoice balance less refunded money owed."""
	return sum(
		(engine.to_decimal(row.outstanding_amount) for row in rows if row.status != engine.CANCELLED),
		Decimal(0),
	)


def reschedule_unpaid(invoice, changes: dict[int, dict]) -> list[str]:
	"""Applies new labels and due dates to installments with nothing paid (the engine
	decides what may change); returns what changed, in words, for the invoice's timeline.
	A reminded installment moved to a later date is reminded again when that date comes."""
	rows = get_rows(invoice.name, invoice.doctype)
	current = [{**row, "follows_task": bool(row.trigger and row.task)} for row in rows]
	today, changed = getdate(nowdate()), []
	try:
		wanted = engine.reschedule_unpaid(current, changes, today=today)
	except PlanError as refusal:
		throw_refusal(refusal)
	for row, new in zip(rows, wanted, strict=True):
		values = {}
		if new["label"] != row.label:
			values["label"] = new["label"]
			changed.append(_("{0} renamed {1}").format(row.label, new["label"]))
		old_date = getdate(row.due_date) if row.due_date else None
		if new["due_date"] != old_date:
			values["due_date"] = new["due_date"]
			if new["due_date"] > today:
				values["reminded_on"] = None
			changed.append(
				_("{0}: due {1} instead of {2}").format(
					new["label"], formatdate(new["due_date"]), formatdate(old_date) if old_date else "—"
				)
			)
		if values:
			frappe.db.set_value(INSTALLMENT, row.name, values, update_modified=False)
			row.update(values)
	if changed:
		payment_schedule.mirror_into_db(invoice, rows)
	return changed
