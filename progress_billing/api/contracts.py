"""What contractors bill beyond a plan of installments: retainage held back from draws
and released, and pay applications billing an order by progress per line. Re-exported
by `progress_billing.api`, where integrators call them."""

import frappe
from frappe import _

from progress_billing import engine, settings
from progress_billing.api import access, arguments
from progress_billing.billing import pay_applications, releases
from progress_billing.billing import retainage as retainage_billing
from progress_billing.plans import owners, payload, recompute

RETAINAGE_JOBS = (owners.SALES_ORDER, owners.SALES_INVOICE)  # what withholds retainage


@frappe.whitelist(methods=["POST"])
def release_retainage(sales_order=None, amount=None, posting_date=None, sales_invoice=None) -> dict:
	"""Bills what a job holds as retainage (all of it, or `amount`) on a new Sales Invoice
	dated `posting_date` (today by default): an order billed draw by draw or by pay
	applications (`sales_order`), or an invoice billed as one job (`sales_invoice`). Needs
	the right to create Sales Invoices, as invoicing a draw does."""
	if sales_invoice not in (None, "") and sales_order not in (None, ""):
		frappe.throw(_("Release the retainage of one job: an order or an invoice."), frappe.ValidationError)
	if sales_invoice not in (None, ""):
		doctype = owners.SALES_INVOICE
		name = arguments.document_name(doctype, sales_invoice, "sales_invoice")
	else:
		doctype = owners.SALES_ORDER
		name = arguments.document_name(doctype, sales_order, "sales_order")
	amount = arguments.number(amount, "amount", optional=True)
	posting_date = arguments.date(posting_date, "posting_date")
	access.check_permission(doctype, name, "read")
	if not frappe.has_permission(owners.SALES_INVOICE, "create"):
		frappe.throw(_("You are not permitted to create invoices."), frappe.PermissionError)
	invoice = releases.release(name, amount, posting_date, doctype=doctype)
	return {"doctype": invoice.doctype, "name": invoice.name}


def retainage_arguments(doctype, rate, step_at, rate_after) -> tuple | None:
	if all(value in (None, "") for value in (rate, step_at, rate_after)):
		return None
	if doctype not in RETAINAGE_JOBS:
		frappe.throw(
			_("retainage: a Sales Order billed draw by draw, or a Sales Invoice, withholds retainage."),
			frappe.ValidationError,
		)
	return tuple(
		arguments.number(value, argument, optional=True)
		for value, argument in (
			(rate, "retainage"),
			(step_at, "retainage_step_at"),
			(rate_after, "retainage_after"),
		)
	)


def release_arguments(doctype, release_on, task) -> tuple | None:
	"""When what is held is released by itself: a date, or a task; given empty, by hand."""
	if release_on is None and task is None:
		return None
	if doctype not in RETAINAGE_JOBS:
		frappe.throw(
			_("retainage: only a Sales Order's or a Sales Invoice's retainage is released."),
			frappe.ValidationError,
		)
	return (
		arguments.date(release_on, "retainage_release_on"),
		arguments.document_name("Task", task, "retainage_release_task") if task not in (None, "") else None,
	)


def order_for_terms(doctype, name, plan_needed: bool = True):
	access.check_permission(doctype, name, "read")
	order = owners.load(doctype, name, for_update=True)
	if not settings.can_configure(frappe.get_doc(doctype, name)):
		frappe.throw(_("You are not permitted to change this plan."), frappe.PermissionError)
	if plan_needed and not order.pb_plan_status:
		frappe.throw(_("Make the plan first, then choose how it is billed."))
	return order


def give_retainage(order, terms: tuple | None):
	"""The terms asked for, or on an order now billed draw by draw that has none, the
	Settings' default."""
	if order.get("doctype") != owners.SALES_ORDER:
		return
	if terms is None:
		if order.get("pb_billing") not in engine.BILLED_ON_ORDER or order.get("pb_retainage"):
			return
		terms = retainage_billing.default_terms()
		if not terms[0]:
			return
	retainage_billing.set_terms(order, *terms)


def start_pay_applications(doctype: str, name: str, terms: tuple | None) -> dict:
	"""save_plan(billing="Pay Applications"): the order is billed by progress per line."""
	order = order_for_terms(doctype, name, plan_needed=False)
	pay_applications.start(order)
	give_retainage(order, terms)
	recompute.refresh(name, doctype=doctype)
	return payload.as_dict(name, doctype)


@frappe.whitelist(methods=["POST"])
def make_pay_application(sales_order=None, period_end=None, lines=None, posting_date=None) -> dict:
	"""A draft pay application for the period to `period_end`. `lines` are rows of
	`so_detail` (the order line's name) with the work completed to date as `amount` or
	`percent_complete`, and materials presently `stored`; lines not given stay where the
	last application left them. Submit it with Frappe's usual submit to bill it."""
	name = arguments.document_name(owners.SALES_ORDER, sales_order, "sales_order")
	period_end = arguments.date(period_end, "period_end")
	if not period_end:
		frappe.throw(
			_("period_end: the last day of the period the application covers."), frappe.ValidationError
		)
	posting_date = arguments.date(posting_date, "posting_date")
	rows = arguments.rows(lines, "lines") or []
	for row in rows:
		for field in ("amount", "percent_complete", "stored"):
			if field in row:
				row[field] = arguments.number(row[field], f"lines.{field}", optional=True)
	access.check_permission(owners.SALES_ORDER, name, "read")
	if not frappe.has_permission(pay_applications.DOCTYPE, "create"):
		frappe.throw(_("You are not permitted to make pay applications."), frappe.PermissionError)
	doc = pay_applications.make(name, period_end, rows, posting_date)
	return {"doctype": doc.doctype, "name": doc.name}
