"""Schedule of Values adds its own total row (a % complete of the whole order, which a sum
of the lines' percentages is not). Frappe keeps a standard report's `add_total_row` as a
site has it when the report is synced, so a site that installed it with Frappe's total row
is told here."""

import frappe


def execute():
	if frappe.db.exists("Report", "Schedule of Values"):
		frappe.db.set_value("Report", "Schedule of Values", "add_total_row", 0, update_modified=False)
