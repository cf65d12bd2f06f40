"""Progress Billing Settings and the words a business chose for the program."""

import frappe
from frappe import _

SETTINGS = "Progress Billing Settings"
ACCOUNTS_ROLES = ("Accounts Manager", "Accounts User")


def get_settings():
	return frappe.get_cached_doc(SETTINGS)


def is_enabled() -> bool:
	return bool(get_settings().enabled)


def get_words() -> dict:
	settings = get_settings()
	return {
		"program_name": settings.program_name or _("Payment Schedule"),
		"interval_name": settings.interval_name or _("Installment"),
	}


def user_has_program(user: str | None = None) -> bool:
	"""The user's own Progress Billing preference (on unless switched off)."""
	user = user or frappe.session.user
	value = frappe.db.get_value("User", user, "pb_enabled", cache=True)
	return value is None or bool(int(value))


def has_app_permission() -> bool:
	"""Whether Frappe's apps page shows the app to the session user: desk users who may
	read Sales Invoices and have not switched the program off."""
	user = frappe.session.user
	if user == "Administrator":
		return True
	if frappe.get_cached_value("User", user, "user_type") != "System User" or not is_enabled():
		return False
	return user_has_program(user) and bool(frappe.has_permission("Sales Invoice", "read", user=user))


def department_has_program(department: str | None) -> bool:
	return bool(department) and bool(frappe.db.get_value("Department", department, "pb_enabled", cache=True))


def invoice_department(invoice) -> str | None:
	return invoice.get("department") or invoice.get("pb_department")


def can_configure(invoice, user: str | None = None) -> bool:
	"""Accounts users always may; anyone else who can write the invoice only with the
	technician override on, and never with their own preference off."""
	user = user or frappe.session.user
	if not user_has_program(user):
		return False
	if not frappe.has_permission(invoice.doctype, "write", doc=invoice, user=user):
		return False
	if set(ACCOUNTS_ROLES) & set(frappe.get_roles(user)):
		return True
	return bool(get_settings().allow_tech_override)
