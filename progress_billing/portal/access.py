"""Which invoices the portal shows a user: ERPNext's own rules, applied the same way
on the list and on the invoice page."""

import frappe
from frappe import _

from erpnext.controllers.website_list_for_contact import get_customers_suppliers

DOCTYPE = "Sales Invoice"


def require_login():
	if frappe.session.user == "Guest":
		frappe.throw(_("Please log in to see your invoices."), frappe.PermissionError)


def portal_customers() -> list[str]:
	"""The customers whose invoices the session user may see: for a portal user those
	linked to them, as ERPNext's `has_website_permission` decides."""
	customers, _suppliers = get_customers_suppliers(DOCTYPE, frappe.session.user)
	return list(customers or [])


def pay_application_permission(doc, ptype=None, user=None, verbose=False) -> bool:
	"""A portal user reads a pay application, and its PDF, where they read its order."""
	order = frappe.get_doc("Sales Order", doc.sales_order)
	return doc.docstatus == 1 and bool(frappe.has_website_permission(order, user=user))


def get_invoice(name: str | None):
	"""The invoice, once the session user may see it on the portal; raises otherwise."""
	require_login()
	if not name or not isinstance(name, str) or not frappe.db.exists(DOCTYPE, name):
		raise frappe.PageDoesNotExistError
	doc = frappe.get_doc(DOCTYPE, name)
	if not frappe.has_website_permission(doc):
		frappe.throw(_("You are not permitted to see this invoice."), frappe.PermissionError)
	return doc
