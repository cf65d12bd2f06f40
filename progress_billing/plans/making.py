"""A plan made on a document, copied to its amendment, given up for a chosen Payment Terms
Template or a return, or removed: the engine builds it, `store` writes it, `recompute`
refreshes it."""

from decimal import Decimal

import frappe
from frappe import _
from frappe.utils import getdate, nowdate

from progress_billing import engine, settings
from progress_billing.engine import PlanError
from progress_billing.plans import (
	INSTALLMENT,
	PLAN_DOC_FIELDS,
	figures,
	ledger,
	owners,
	recompute,
	schedule,
	store,
	tasks,
)


def build(invoice, rows, *, mode: str, target=None) -> tuple[engine.Plan, list[dict], list[str]]:
	"""The engine's plan for `rows` on `invoice` (raises PlanError), the rows as prepared
	(task triggers resolved) and notes for the user, such as a task the project lacks."""
	program = frappe.get_cached_doc("Progress Billing Settings")
	prepared, notes = tasks.attach_task_dates(invoice.get("project"), rows)
	plan = engine.build_plan(
		target if target not in (None, "") else _open_amount(invoice),
		prepared,
		mode=mode,
		precision=owners.money_precision(invoice),
		today=getdate(nowdate()),
		start_date=getdate(invoice.posting_date),
		interval_days=program.default_interval_days or engine.DEFAULT_INTERVAL_DAYS,
	)
	return plan, prepared, notes


def _open_amount(invoice) -> Decimal:
	"""What a new plan covers by default: an invoice's outstanding, an order's total less
	what it has received."""
	if invoice.doctype == owners.SALES_INVOICE:
		return invoice.outstanding_amount or owners.invoice_total(invoice)
	return owners.invoice_total(invoice) - engine.to_decimal(invoice.get("advance_paid") or 0)


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
	recompute.refresh(invoice.name, doctype=invoice.doctype)
	schedule.mirror_into_db(invoice, owners.get_rows(invoice.name, invoice.doctype))


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
	rows = owners.get_rows(doc.name, doc.doctype)
	if rows:
		state = figures.compute(owners.reading_of(doc, rows))
		planned = [
			row.update({"amount": amount}) or row for row, amount in zip(rows, state.amounts, strict=True)
		]
		schedule.mirror_into_doc(doc, planned)


def drop_from_return(doc):
	"""A draft made into a return (a credit note) carries no plan of its own: a credit note
	re-splits its original's plan instead. Nor does one paid at the counter (POS), which
	ERPNext gives no Payment Schedule: its payments are in the invoice itself."""
	if (doc.get("is_return") or doc.get("is_pos")) and doc.get("pb_plan_status") and not doc.is_new():
		store.forget(doc)


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
		store.forget(doc)
		doc.set("payment_schedule", [])
		doc.set_payment_schedule()


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
		and not doc.get("is_pos")  # paid at the counter: ERPNext gives it no schedule either
		and not doc.get("payment_terms_template")
		# Rows typed in by hand are a choice too; ERPNext alone builds a single row.
		and len(doc.get("payment_schedule") or []) <= 1
		and settings.user_has_program()
		and settings.department_has_program(settings.invoice_department(doc))
	):
		return
	values = owners.load(doc.doctype, doc.name)
	try:
		plan, rows, _notes = build(values, template_rows(default_template), mode=engine.PERCENTAGE)
	except PlanError:
		return  # a document too small for the template simply starts without a plan
	write(values, plan, template=default_template, rows=rows)


def copy_plan(original: str, doc) -> bool:
	"""An amended document starts with a fresh, unpaid copy of the original's plan."""
	rows = owners.get_rows(original, doc.doctype)
	if not rows:
		return False
	template = frappe.db.get_value(doc.doctype, original, "pb_template")
	values = owners.load(doc.doctype, doc.name)
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
		money = ledger.invoice_money([invoice.name]).get(invoice.name)
		if money:
			return engine.round_to(money.invoice_total, owners.money_precision(invoice))
	return owners.invoice_total(invoice)


def _ledger_refunds(invoice) -> Decimal:
	if invoice.docstatus != 1 or invoice.doctype != owners.SALES_INVOICE:
		return Decimal(0)
	money = ledger.invoice_money([invoice.name]).get(invoice.name)
	return money.refunds if money else Decimal(0)


def remove(invoice_name: str, doctype: str = owners.SALES_INVOICE):
	frappe.db.delete(INSTALLMENT, {owners.owner(doctype).link_field: invoice_name})
	schedule.restore_single_row(owners.load(doctype, invoice_name))
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
