"""The public, permission-checked surface: desk, portal and integrators call these."""

import frappe
from frappe import _

from progress_billing import engine, settings
from progress_billing.api import access, arguments, contracts
from progress_billing.api.contracts import make_pay_application, release_retainage  # noqa: F401 (public paths)
from progress_billing.billing import draws, payments, refunds, releases
from progress_billing.billing import retainage as retainage_billing
from progress_billing.engine import PlanError
from progress_billing.errors import throw_refusal
from progress_billing.notify import notices
from progress_billing.plans import making, owners, payload, recompute, rescheduling
from progress_billing.views import timeline

SAVE_PLAN = "pb_save_plan"


@frappe.whitelist()
def get_plan(sales_invoice=None, doctype=None, name=None) -> dict:
	doctype, name = access.document(sales_invoice, doctype, name)
	access.check_permission(doctype, name, "read")
	return payload.as_dict(name, doctype)


@frappe.whitelist(methods=["POST"])
def save_plan(
	sales_invoice=None,
	installments=None,
	template=None,
	mode=engine.PERCENTAGE,
	target=None,
	doctype=None,
	name=None,
	billing=None,
	retainage=None,
	retainage_step_at=None,
	retainage_after=None,
	retainage_release_on=None,
	retainage_release_task=None,
) -> dict:
	"""Makes or replaces the plan. On a Sales Order, `billing` ("One Invoice" or "Invoice
	Each Draw") says how it is billed, and `retainage` (a percentage, with an optional
	step-down: `retainage_step_at` percent billed, then `retainage_after`) what each draw
	withholds, and `retainage_release_on` (a date) or `retainage_release_task` (a task of the
	order's project) when what is held is released by itself; without rows or a template,
	only those change. On a draft Sales Invoice billed as one job, `retainage` and its
	step-down are what the invoice withholds of its work, and the plan splits what it asks."""
	doctype, name = access.document(sales_invoice, doctype, name)
	terms = contracts.retainage_arguments(doctype, retainage, retainage_step_at, retainage_after)
	release = contracts.release_arguments(doctype, retainage_release_on, retainage_release_task)
	if (terms or release) and installments in (None, "", "[]", []) and not template and billing in (None, ""):
		# An invoice billed as one job may withhold without a plan; an order's draws need one.
		order = contracts.order_for_terms(doctype, name, plan_needed=doctype != owners.SALES_INVOICE)
		if terms:
			retainage_billing.set_terms(order, *terms)
		if release:
			releases.set_release_trigger(order, *release)
		recompute.refresh(name, doctype=doctype)
		return payload.as_dict(name, doctype)
	if billing not in (None, ""):
		billing = arguments.choice(billing, engine.BILLING_CHOICES, "billing")
		if doctype != owners.SALES_ORDER:
			frappe.throw(
				_("billing: only a Sales Order's plan is billed draw by draw."), frappe.ValidationError
			)
		if billing == engine.PAY_APPLICATIONS:
			if installments not in (None, "", "[]", []) or template:
				frappe.throw(
					_("A plan billed by pay applications has no installments: its lines are the order's.")
				)
			return contracts.start_pay_applications(doctype, name, terms)
		if installments in (None, "", "[]", []) and not template:
			access.check_permission(doctype, name, "read")
			order = owners.load(doctype, name, for_update=True)
			if not settings.can_configure(frappe.get_doc(doctype, name)):
				frappe.throw(_("You are not permitted to change this plan."), frappe.PermissionError)
			if not order.pb_plan_status:
				frappe.throw(_("Make the plan first, then choose how it is billed."))
			draws.set_billing(order, billing)
			contracts.give_retainage(order, terms)
			recompute.refresh(name, doctype=doctype)
			return payload.as_dict(name, doctype)
	rows = arguments.rows(installments, "installments")
	template = arguments.optional_text(template, "template")
	mode = arguments.choice(
		engine.PERCENTAGE if mode in (None, "") else mode, (engine.PERCENTAGE, engine.AMOUNT), "mode"
	)
	target = arguments.number(target, "target", optional=True)
	invoice = access.for_change(doctype, name)
	if not settings.is_enabled():
		frappe.throw(
			_("{0} is switched off; new plans cannot be made.").format(settings.get_words()["program_name"])
		)
	own_terms = bool(terms) and doctype == owners.SALES_INVOICE
	if own_terms:
		# The invoice withholds them on a row of its taxes: its totals change, and the plan
		# splits what it then asks. Undone if the plan is refused.
		frappe.db.savepoint(SAVE_PLAN)
		retainage_billing.set_terms(invoice, *terms)
		invoice = access.for_change(doctype, name)
	try:
		if not rows:
			if not template:
				raise PlanError(_("Choose a template or enter the rows of the plan."), field="template")
			rows, mode = making.template_rows(template), engine.PERCENTAGE
		plan, prepared, notes = making.build(invoice, rows, mode=mode, target=target)
		if template and not engine.follows_template(plan, making.template_rows(template)):
			template = None  # rows changed after picking it: the plan is no longer that template
	except PlanError as refusal:
		if own_terms:
			frappe.db.rollback(save_point=SAVE_PLAN)
		throw_refusal(refusal, title=_("Cannot save {0}").format(settings.get_words()["program_name"]))
	if billing:
		draws.set_billing(invoice, billing)
	contracts.give_retainage(invoice, terms)
	making.write(invoice, plan, template=template, rows=prepared)
	if release:
		releases.set_release_trigger(invoice, *release)
	for note in notes:
		frappe.msgprint(note, title=_("Task not found"), indicator="orange")
	if doctype == owners.SALES_INVOICE:
		notices.send_schedule_notice(name)
	return payload.as_dict(name, doctype)


@frappe.whitelist(methods=["POST"])
def reschedule_plan(sales_invoice=None, installments=None, doctype=None, name=None) -> dict:
	"""New labels and due dates for installments with nothing paid, on a plan money has
	already reached (amounts and paid installments stay as they are). `installments` are
	rows of idx (1-based) with label and/or due_date."""
	rows = arguments.rows(installments, "installments") or []
	changes = {}
	for row in rows:
		idx = row.get("idx")
		if not isinstance(idx, int) or isinstance(idx, bool) or idx in changes:
			frappe.throw(
				_("installments: each row needs its own idx, a whole number."), frappe.ValidationError
			)
		changes[idx] = {key: row[key] for key in ("label", "due_date") if key in row}
	doctype, name = access.document(sales_invoice, doctype, name)
	access.check_permission(doctype, name, "read")
	invoice = owners.load(doctype, name, for_update=True)
	if not settings.can_configure(frappe.get_doc(doctype, name)):
		frappe.throw(_("You are not permitted to change this plan."), frappe.PermissionError)
	if invoice.pb_plan_status != engine.ACTIVE:
		frappe.throw(_("Only an active plan can be rescheduled."))
	changed = rescheduling.reschedule_unpaid(invoice, changes)
	if changed:
		frappe.get_doc(doctype, name).add_comment(
			"Info",
			_("{0} rescheduled: {1}").format(settings.get_words()["program_name"], "; ".join(changed)),
		)
		if doctype == owners.SALES_INVOICE:
			notices.send_schedule_notice(name)
	return payload.as_dict(name, doctype)


@frappe.whitelist(methods=["POST"])
def remove_plan(sales_invoice=None, doctype=None, name=None) -> dict:
	"""While nothing has been paid, or once the plan was cancelled."""
	doctype, name = access.document(sales_invoice, doctype, name)
	access.for_change(doctype, name, allow_cancelled_plan=True)
	making.remove(name, doctype)
	return payload.as_dict(name, doctype)


@frappe.whitelist(methods=["POST"])
def accept_payment(
	sales_invoice=None,
	amount=None,
	mode_of_payment=None,
	reference_no=None,
	reference_date=None,
	doctype=None,
	name=None,
) -> dict:
	"""A Payment Entry for `amount`: against an invoice, or against an order as ERPNext's
	advance (a deposit before any invoice)."""
	doctype, name = access.document(sales_invoice, doctype, name)
	access.check_permission(doctype, name, "read")
	if not frappe.has_permission("Payment Entry", "create"):
		frappe.throw(_("You are not permitted to take payments."), frappe.PermissionError)
	amount = arguments.number(amount, "amount")
	reference_no = arguments.optional_text(reference_no, "reference_no")
	reference_date = arguments.date(reference_date, "reference_date")
	if doctype == owners.QUOTATION:
		frappe.throw(_("A quotation takes no payments: take the deposit on its sales order."))
	if doctype == owners.SALES_ORDER and frappe.db.get_value(doctype, name, "docstatus") != 1:
		frappe.throw(_("Submit the order before taking a deposit against it."))
	payment, warnings = payments.take_payment(
		name, amount, mode_of_payment, reference_no, reference_date, doctype=doctype
	)
	return {"payment_entry": payment.name, "warnings": warnings}


@frappe.whitelist(methods=["POST"])
def invoice_draw(sales_order=None, idx=None) -> dict:
	"""Bills installment `idx` (1-based) of an order billed draw by draw now: "Invoice this
	draw now". Needs the right to create Sales Invoices."""
	name = arguments.document_name(owners.SALES_ORDER, sales_order, "sales_order")
	idx = arguments.number(idx, "idx")
	if idx != int(idx) or idx < 1:
		frappe.throw(_("idx: the installment's position, a whole number from 1."), frappe.ValidationError)
	access.check_permission(owners.SALES_ORDER, name, "read")
	if not frappe.has_permission(owners.SALES_INVOICE, "create"):
		frappe.throw(_("You are not permitted to create invoices."), frappe.PermissionError)
	return {"sales_invoice": draws.invoice_draw(name, int(idx))}


@frappe.whitelist()
def preview_payment(sales_invoice=None, amount=None, doctype=None, name=None) -> dict:
	"""How `amount` would land, for the Accept Payment dialog; refusals come back as text."""
	doctype, name = access.document(sales_invoice, doctype, name)
	access.check_permission(doctype, name, "read")
	try:
		amount = arguments.number(amount, "amount")
		check, warnings = payments.assess_payment(name, amount, doctype)
	except frappe.ValidationError as refusal:
		frappe.clear_last_message()
		return {"allowed": False, "warnings": [str(refusal)]}
	return {"allowed": True, "kind": check.kind, "warnings": warnings}


@frappe.whitelist()
def get_payment_mode(sales_invoice=None, mode_of_payment=None, doctype=None, name=None) -> dict:
	"""Whether a mode of payment needs a reference number (ERPNext wants one for a bank),
	so the Accept Payment dialog can ask for it before Charge."""
	doctype, name = access.document(sales_invoice, doctype, name)
	access.check_permission(doctype, name, "read")
	company = owners.load(doctype, name).company
	return {"needs_reference": payments.payment_account(mode_of_payment, company)["needs_reference"]}


@frappe.whitelist(methods=["POST"])
def refund_payment(payment_entry, amount, cancel_remaining_plan=0) -> dict:
	arguments.document_name("Payment Entry", payment_entry, "payment_entry")
	amount = arguments.number(amount, "amount")
	cancel_remaining_plan = arguments.flag(cancel_remaining_plan, "cancel_remaining_plan")
	if not frappe.has_permission("Journal Entry", "create") or not frappe.has_permission(
		"Payment Entry", "read", doc=payment_entry
	):
		frappe.throw(_("You are not permitted to refund payments."), frappe.PermissionError)
	if cancel_remaining_plan:
		# The same rule as Cancel Plan, checked before any money moves.
		invoice = refunds.refunded_invoice(frappe.get_doc("Payment Entry", payment_entry))
		if not settings.can_configure(frappe.get_doc(owners.SALES_INVOICE, invoice)):
			frappe.throw(_("You are not permitted to cancel this plan."), frappe.PermissionError)
	journal, invoice = refunds.refund(payment_entry, amount)
	if cancel_remaining_plan and owners.load_invoice(invoice).pb_plan_status == engine.ACTIVE:
		refunds.cancel_plan(invoice)
	return {"journal_entry": journal.name, "plan": payload.as_dict(invoice)}


@frappe.whitelist(methods=["POST"])
def cancel_plan(sales_invoice=None, doctype=None, name=None) -> dict:
	doctype, name = access.document(sales_invoice, doctype, name)
	access.check_permission(doctype, name, "read")
	if not settings.can_configure(frappe.get_doc(doctype, name)):
		frappe.throw(_("You are not permitted to cancel this plan."), frappe.PermissionError)
	if owners.load(doctype, name).pb_plan_status != engine.ACTIVE:
		frappe.throw(_("Only an active plan can be cancelled."))
	refunds.cancel_plan(name, doctype)
	return payload.as_dict(name, doctype)


@frappe.whitelist()
def get_payment_history(sales_invoice) -> list[dict]:
	access.check_invoice_permission(sales_invoice, "read")
	return payments.payment_history(sales_invoice)


@frappe.whitelist()
def get_project_timeline(project) -> dict:
	"""The job's tasks and installments in date order; for desk users who may read the
	project, and for portal users ERPNext lets see it (its project users)."""
	arguments.document_name("Project", project, "project")
	doc = frappe.get_doc("Project", project)
	if not (frappe.has_permission("Project", "read", doc=doc) or frappe.has_website_permission(doc)):
		frappe.throw(_("You are not permitted to access this project."), frappe.PermissionError)
	return timeline.project_timeline(project)


@frappe.whitelist()
def get_program() -> dict:
	"""What the desk needs to decide what to show: the switch, the words, the user's rights."""
	return {
		"enabled": settings.is_enabled() and settings.user_has_program(),
		**settings.get_words(),
	}


@frappe.whitelist()
def get_invoice_context(sales_invoice=None, doctype=None, name=None) -> dict:
	"""Everything the form needs in one call: program, words, rights, plan, templates."""
	doctype, name = access.document(sales_invoice, doctype, name)
	access.check_permission(doctype, name, "read")
	program = get_program()
	if not program["enabled"]:
		return {"program": program}
	doc = frappe.get_doc(doctype, name)
	locked = owners.has_money_applied(name, doctype)
	plan = payload.as_dict(name, doctype)
	moved = doc.get("pb_plan_status") in (owners.INVOICED, owners.ORDERED)
	draw_of = {"order": doc.pb_draw_order, "title": doc.pb_draw_title} if doc.get("pb_draw_order") else None
	return {
		"doctype": doctype,
		"name": name,
		"program": program,
		"plan": plan,
		"moved_to": access.moved_to(doc) if moved else None,
		"draw_of": draw_of,
		"can_configure": settings.can_configure(doc)
		and doc.docstatus < 2
		and not doc.get("is_return")
		and not moved
		and not draw_of,
		"locked": locked,
		"invoice_total": owners.invoice_total(doc),
		# Without a plan, the Payment Terms Template the user chose sets the schedule.
		"terms_template": None if doc.get("pb_plan_status") else doc.get("payment_terms_template"),
		# With their stages: a technician allowed to configure plans may not read the
		# template doctype itself.
		"templates": [
			{**template, "stages": making.template_rows(template.name)}
			for template in frappe.get_all(
				"Payment Schedule Template",
				fields=["name", "is_builtin"],
				order_by="is_builtin desc, name asc",
			)
		],
		"default_interval_days": settings.get_settings().default_interval_days,
		"default_template": settings.get_settings().default_template,
		"outstanding_amount": plan["invoice_outstanding"],
		"payments": payments.payment_history(name)
		if doc.docstatus == 1 and doctype == owners.SALES_INVOICE
		else [],
		"can_take_payment": bool(frappe.has_permission("Payment Entry", "create")),
		"can_refund": bool(frappe.has_permission("Journal Entry", "create")),
		"can_invoice": bool(frappe.has_permission(owners.SALES_INVOICE, "create")),
	}
