"""The public, permission-checked surface: desk, portal and integrators call these."""

import frappe
from frappe import _

from progress_billing import arguments, collections, engine, notifications, plans, settings, timeline
from progress_billing.engine import PlanError
from progress_billing.errors import throw_refusal


@frappe.whitelist()
def get_plan(sales_invoice) -> dict:
	_check_invoice_permission(sales_invoice, "read")
	return plans.as_dict(sales_invoice)


@frappe.whitelist(methods=["POST"])
def save_plan(
	sales_invoice,
	installments=None,
	template=None,
	mode=engine.PERCENTAGE,
	target=None,
) -> dict:
	rows = arguments.rows(installments, "installments")
	template = arguments.optional_text(template, "template")
	mode = arguments.choice(
		engine.PERCENTAGE if mode in (None, "") else mode, (engine.PERCENTAGE, engine.AMOUNT), "mode"
	)
	target = arguments.number(target, "target", optional=True)
	invoice = _invoice_for_change(sales_invoice)
	if not settings.is_enabled():
		frappe.throw(
			_("{0} is switched off; new plans cannot be made.").format(settings.get_words()["program_name"])
		)
	try:
		if not rows:
			if not template:
				raise PlanError(_("Choose a template or enter the rows of the plan."), field="template")
			rows, mode = plans.template_rows(template), engine.PERCENTAGE
		plan, prepared, notes = plans.build(invoice, rows, mode=mode, target=target)
		if template and not engine.follows_template(plan, plans.template_rows(template)):
			template = None  # rows changed after picking it: the plan is no longer that template
	except PlanError as refusal:
		throw_refusal(refusal, title=_("Cannot save {0}").format(settings.get_words()["program_name"]))
	plans.write(invoice, plan, template=template, rows=prepared)
	for note in notes:
		frappe.msgprint(note, title=_("Task not found"), indicator="orange")
	notifications.send_schedule_notice(sales_invoice)
	return plans.as_dict(sales_invoice)


@frappe.whitelist(methods=["POST"])
def reschedule_plan(sales_invoice, installments) -> dict:
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
	_check_invoice_permission(sales_invoice, "read")
	invoice = plans.load_invoice(sales_invoice, for_update=True)
	if not settings.can_configure(frappe.get_doc("Sales Invoice", sales_invoice)):
		frappe.throw(_("You are not permitted to change this plan."), frappe.PermissionError)
	if invoice.pb_plan_status != engine.ACTIVE:
		frappe.throw(_("Only an active plan can be rescheduled."))
	changed = plans.reschedule_unpaid(invoice, changes)
	if changed:
		frappe.get_doc("Sales Invoice", sales_invoice).add_comment(
			"Info",
			_("{0} rescheduled: {1}").format(settings.get_words()["program_name"], "; ".join(changed)),
		)
		notifications.send_schedule_notice(sales_invoice)
	return plans.as_dict(sales_invoice)


@frappe.whitelist(methods=["POST"])
def remove_plan(sales_invoice) -> dict:
	"""While nothing has been paid, or once the plan was cancelled."""
	_invoice_for_change(sales_invoice, allow_cancelled_plan=True)
	plans.remove(sales_invoice)
	return plans.as_dict(sales_invoice)


@frappe.whitelist(methods=["POST"])
def accept_payment(
	sales_invoice, amount, mode_of_payment=None, reference_no=None, reference_date=None
) -> dict:
	_check_invoice_permission(sales_invoice, "read")
	if not frappe.has_permission("Payment Entry", "create"):
		frappe.throw(_("You are not permitted to take payments."), frappe.PermissionError)
	amount = arguments.number(amount, "amount")
	reference_no = arguments.optional_text(reference_no, "reference_no")
	reference_date = arguments.date(reference_date, "reference_date")
	payment, warnings = collections.take_payment(
		sales_invoice, amount, mode_of_payment, reference_no, reference_date
	)
	return {"payment_entry": payment.name, "warnings": warnings}


@frappe.whitelist()
def preview_payment(sales_invoice, amount) -> dict:
	"""How `amount` would land, for the Accept Payment dialog; refusals come back as text."""
	_check_invoice_permission(sales_invoice, "read")
	try:
		amount = arguments.number(amount, "amount")
		check, warnings = collections.assess_payment(sales_invoice, amount)
	except frappe.ValidationError as refusal:
		frappe.clear_last_message()
		return {"allowed": False, "warnings": [str(refusal)]}
	return {"allowed": True, "kind": check.kind, "warnings": warnings}


@frappe.whitelist()
def get_payment_mode(sales_invoice, mode_of_payment) -> dict:
	"""Whether a mode of payment needs a reference number (ERPNext wants one for a bank),
	so the Accept Payment dialog can ask for it before Charge."""
	_check_invoice_permission(sales_invoice, "read")
	company = plans.load_invoice(sales_invoice).company
	return {"needs_reference": collections.payment_account(mode_of_payment, company)["needs_reference"]}


@frappe.whitelist(methods=["POST"])
def refund_payment(payment_entry, amount, cancel_remaining_plan=0) -> dict:
	arguments.document_name("Payment Entry", payment_entry, "payment_entry")
	amount = arguments.number(amount, "amount")
	cancel_remaining_plan = arguments.flag(cancel_remaining_plan, "cancel_remaining_plan")
	if not frappe.has_permission("Journal Entry", "create") or not frappe.has_permission(
		"Payment Entry", "read", doc=payment_entry
	):
		frappe.throw(_("You are not permitted to refund payments."), frappe.PermissionError)
	journal, invoice = collections.refund(payment_entry, amount)
	if cancel_remaining_plan and plans.load_invoice(invoice).pb_plan_status == engine.ACTIVE:
		collections.cancel_plan(invoice)
	return {"journal_entry": journal.name, "plan": plans.as_dict(invoice)}


@frappe.whitelist(methods=["POST"])
def cancel_plan(sales_invoice) -> dict:
	_check_invoice_permission(sales_invoice, "read")
	if not settings.can_configure(frappe.get_doc("Sales Invoice", sales_invoice)):
		frappe.throw(_("You are not permitted to cancel this plan."), frappe.PermissionError)
	if plans.load_invoice(sales_invoice).pb_plan_status != engine.ACTIVE:
		frappe.throw(_("Only an active plan can be cancelled."))
	collections.cancel_plan(sales_invoice)
	return plans.as_dict(sales_invoice)


@frappe.whitelist()
def get_payment_history(sales_invoice) -> list[dict]:
	_check_invoice_permission(sales_invoice, "read")
	return collections.payment_history(sales_invoice)


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
def get_invoice_context(sales_invoice) -> dict:
	"""Everything the invoice form needs in one call: program, words, rights, plan, templates."""
	_check_invoice_permission(sales_invoice, "read")
	program = get_program()
	if not program["enabled"]:
		return {"program": program}
	doc = frappe.get_doc("Sales Invoice", sales_invoice)
	locked = plans.has_money_applied(sales_invoice)
	return {
		"program": program,
		"plan": plans.as_dict(sales_invoice),
		"can_configure": settings.can_configure(doc) and doc.docstatus < 2 and not doc.is_return,
		"locked": locked,
		"invoice_total": plans.invoice_total(doc),
		"templates": frappe.get_all(
			"Payment Schedule Template", fields=["name", "is_builtin"], order_by="is_builtin desc, name asc"
		),
		"default_interval_days": settings.get_settings().default_interval_days,
		"default_template": settings.get_settings().default_template,
		"outstanding_amount": doc.outstanding_amount,
		"payments": collections.payment_history(sales_invoice) if doc.docstatus == 1 else [],
		"can_take_payment": bool(frappe.has_permission("Payment Entry", "create")),
		"can_refund": bool(frappe.has_permission("Journal Entry", "create")),
	}


def _check_invoice_permission(sales_invoice, ptype: str):
	"""Desk permission, or for reading, ERPNext's portal rule: a portal user reads the
	invoices of the customers they are a portal user of, and no others."""
	arguments.document_name("Sales Invoice", sales_invoice, "sales_invoice")
	if frappe.has_permission("Sales Invoice", ptype, doc=sales_invoice):
		return
	if ptype == "read" and frappe.session.user != "Guest":
		if frappe.has_website_permission(frappe.get_doc("Sales Invoice", sales_invoice)):
			return
	frappe.throw(_("You are not permitted to access this invoice."), frappe.PermissionError)


def _invoice_for_change(sales_invoice, allow_cancelled_plan: bool = False):
	"""The invoice, locked, once the user may change its plan and no money has landed on it."""
	_check_invoice_permission(sales_invoice, "read")
	invoice = plans.load_invoice(sales_invoice, for_update=True)
	if not settings.can_configure(frappe.get_doc("Sales Invoice", sales_invoice)):
		frappe.throw(
			_("You are not permitted to configure the {0} of this invoice.").format(
				settings.get_words()["program_name"]
			),
			frappe.PermissionError,
		)
	if invoice.docstatus == 2 or invoice.is_return:
		frappe.throw(_("A cancelled invoice or a return cannot carry a plan."))
	cancelled_plan = invoice.pb_plan_status == engine.CANCELLED
	if not (allow_cancelled_plan and cancelled_plan) and plans.has_money_applied(sales_invoice):
		frappe.throw(
			_(
				"Money has been applied to this {0}; it can no longer be changed. Reschedule it to move or rename what is not paid yet."
			).format(settings.get_words()["program_name"])
		)
	return invoice
