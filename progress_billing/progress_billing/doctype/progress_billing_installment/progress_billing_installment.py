import frappe
from frappe.model.document import Document


class ProgressBillingInstallment(Document):
	pass


def on_doctype_update():
	frappe.db.add_index("Progress Billing Installment", ["sales_invoice", "stage_no"])
	frappe.db.add_index("Progress Billing Installment", ["company", "status", "due_date"])
	# Outstanding Draws: one range scan in the report's own order, without the invoice
	# table or a sort, so its most overdue rows come first and stop early.
	# An order's deposits (no invoice yet) sort by their order within a date.
	frappe.db.add_index(
		"Progress Billing Installment",
		["company", "to_collect", "due_date", "sales_invoice", "sales_order", "stage_no"],
		index_name="to_collect_by_due_date",
	)
