"""Outstanding Draws' index now also orders an order's deposits by their order
(`to_collect_by_due_date`): drop the index it replaces, so the report is served by the new one."""

import frappe

SUPERSEDED = "company_to_collect_due_date_sales_invoice_stage_no_index"
TABLE = "tabProgress Billing Installment"


def execute():
	if frappe.db.has_index(TABLE, SUPERSEDED):
		frappe.db.sql_ddl(f"alter table `{TABLE}` drop index `{SUPERSEDED}`")
