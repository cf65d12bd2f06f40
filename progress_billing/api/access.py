"""Who may read or change a plan's document, and which document an API call names."""

import frappe
from frappe import _

from progress_billing import engine, settings
from progress_billing.api import arguments
from progress_billing.plans import owners

# Every method takes the plan's document as `doctype` and `name` (a Sales Invoice, a Sales
# Order or a Quotation); `sales_invoice=` names an invoice, as it always has.
PLAN_DOCTYPES = (owners.SALES_INVOICE, owners.SALES_ORDER, owners.QUOTATION)


def document(sales_invoice=None, doctype=None, name=None) -> tuple[str, str]:
	if sales_invoice not in (None, ""):
		return owners.SALES_INVOICE, arguments.document_name(
			owners.SALES_INVOICE, sales_invoice, "sales_invoice"
		)
	doctype = arguments.choice(doctype, PLAN_DOCTYPES, "doctype")
	return doctype, arguments.document_name(doctype, name, "name")


def moved_to(doc) -> dict:
	"""Where an earlier document's plan went: the order made from a quotation, the invoice
	for the whole order."""
	if doc.get("pb_plan_invoice"):
		return {"doctype": owners.SALES_INVOICE, "name": doc.pb_plan_invoice}
	return {"doctype": owners.SALES_ORDER, "name": doc.get("pb_plan_order")}


def check_invoice_permission(sales_invoice, ptype: str):
	arguments.document_name("Sales Invoice", sales_invoice, "sales_invoice")
	check_permission(owners.SALES_INVOICE, sales_invoice, ptype)


def check_permission(doctype: str, name: str, ptype: str):
	"""Desk permission, or for reading, ERPNext's portal rule: a portal user reads the
	documents of the customers they are a portal user of, and no others."""
	if frappe.has_permission(doctype, ptype, doc=name):
		return
	if ptype == "read" and frappe.session.user != "Guest":
		if frappe.has_website_permission(frappe.get_doc(doctype, name)):
			return
	message = (
		_("You are not permitted to access this invoice.")
		if doctype == owners.SALES_INVOICE
		else _("You are not permitted to access this order.")
	)
	frappe.throw(message, frappe.PermissionError)


def for_change(doctype: str, name: str, allow_cancelled_plan: bool = False):
	"""The document, locked, once the user may change its plan and no money has landed on it."""
	check_permission(doctype, name, "read")
	invoice = owners.load(doctype, name, for_update=True)
	if not settings.can_configure(frappe.get_doc(doctype, name)):
		frappe.throw(
			_("You are not permitted to configure the {0} of this invoice.").format(
				settings.get_words()["program_name"]
			),
			frappe.PermissionError,
		)
	if invoice.docstatus == 2 or invoice.get("is_return"):
		frappe.throw(_("A cancelled invoice or a return cannot carry a plan."))
	if invoice.get("is_pos"):
		frappe.throw(_("A POS invoice is paid at the counter: it carries no plan."))
	if invoice.get("pb_draw_order"):
		frappe.throw(
			_("This invoice bills a draw of Sales Order {0}: its plan is the order's.").format(
				invoice.pb_draw_order
			)
		)
	if invoice.pb_plan_status in (owners.INVOICED, owners.ORDERED):
		frappe.throw(_("This plan moved on to the next document of the job; change it there."))
	cancelled_plan = invoice.pb_plan_status == engine.CANCELLED
	if not (allow_cancelled_plan and cancelled_plan) and owners.has_money_applied(name, doctype):
		frappe.throw(
			_(
				"Money has been applied to this {0}; it can no longer be changed. Reschedule it to move or rename what is not paid yet."
			).format(settings.get_words()["program_name"])
		)
	return invoice
