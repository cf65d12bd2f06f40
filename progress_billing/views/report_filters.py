"""What the app's reports share before they query: the answer while the program is off,
and the company they read (the filter, or the user's default)."""

import frappe
from frappe import _

from progress_billing import settings


def switched_off(columns: list[dict]) -> tuple | None:
	"""The report's answer while the program is switched off, or None while it is on."""
	if settings.is_enabled():
		return None
	program = frappe.utils.escape_html(settings.get_words()["program_name"])
	return columns, [], _("{0} is switched off.").format(program)


def company(filters) -> str:
	filters.company = filters.company or frappe.defaults.get_user_default("Company")
	if not filters.company:
		frappe.throw(_("Choose a Company."))
	return filters.company
