"""Installments now carry whether they are to collect and the size of their plan, so
Outstanding Draws reads them alone: fill both for plans made before."""

import frappe


def execute():
	frappe.db.sql(
		"""
		update `tabProgress Billing Installment` installment
		join `tabSales Invoice` invoice on invoice.name = installment.sales_invoice
		set installment.to_collect = (
			invoice.docstatus = 1 and invoice.pb_plan_status = 'Active'
			and installment.outstanding_amount > 0 and installment.status != 'Cancelled'
		)
		"""
	)
	frappe.db.sql(
		"""
		update `tabProgress Billing Installment` installment
		join (
			select sales_invoice, count(*) as size
			from `tabProgress Billing Installment` group by sales_invoice
		) plan on plan.sales_invoice = installment.sales_invoice
		set installment.installment_count = plan.size
		"""
	)
