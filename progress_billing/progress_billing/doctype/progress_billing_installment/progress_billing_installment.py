import frappe
from frappe.model.document import Document


class ProgressBillingInstallment(Document):
	pass


def on_doctype_update():
	frappe.db.add_index("Progress Billing Installment", ["sales_invoice", "stage_no"])
	frappe.db.add_index("Progress Billing Installment", ["company", "status", "due_date"])
	# Outstanding Draws: one range scan, in due-date order, without the invoice table.
	frappe.db.add_index("Progress Billing Installment", ["company", "to_collect", "due_date"])
