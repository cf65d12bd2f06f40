"""Mirrors a plan into ERPNext's own Payment Schedule, so the invoice's due date, its
Overdue status and Accounts Receivable by payment terms tell the plan's story."""

import frappe
from frappe.utils import flt, getdate

from progress_billing import engine


def schedule_rows(invoice, installments) -> list[dict]:
	"""One Payment Schedule row per installment, with the plan's exact amounts."""
	conversion_rate = engine.to_decimal(invoice.conversion_rate or 1)
	amounts = [engine.to_decimal(row.amount) for row in installments]
	base_precision = frappe.get_meta("Sales Invoice").get_field("base_grand_total").precision or 2
	base_target = engine.round_to(sum(amounts) * conversion_rate, int(base_precision))
	base_amounts = (
		engine.split_by_weights(base_target, amounts, int(base_precision)) if sum(amounts) else amounts
	)
	return [
		{
			"description": row.label,
			"due_date": row.due_date,
			"invoice_portion": flt(row.percentage, 6),
			"payment_amount": amount,
			"base_payment_amount": base_amount,
			"outstanding": amount,
			"paid_amount": 0,
		}
		for row, amount, base_amount in zip(installments, amounts, base_amounts, strict=True)
	]


def mirror_into_doc(doc, installments):
	"""On a draft being saved: replace what ERPNext just built with the plan's rows."""
	rows = schedule_rows(doc, installments)
	doc.set("payment_schedule", rows)
	doc.due_date = max(getdate(row["due_date"]) for row in rows)


def mirror_into_db(invoice, installments):
	"""On a saved or submitted invoice, whose child rows no longer pass through validate."""
	rows = schedule_rows(invoice, installments)
	_replace_rows(invoice.name, rows)
	frappe.db.set_value(
		"Sales Invoice",
		invoice.name,
		"due_date",
		max(getdate(row["due_date"]) for row in rows),
		update_modified=False,
	)


def restore_single_row(invoice):
	"""Without a plan the invoice falls back to one row for its whole balance, on its due date."""
	total = engine.to_decimal(invoice.outstanding_amount or 0)
	row = {
		"due_date": invoice.due_date,
		"invoice_portion": 100,
		"payment_amount": total,
		"base_payment_amount": flt(total * engine.to_decimal(invoice.conversion_rate or 1)),
		"outstanding": total,
		"paid_amount": 0,
	}
	_replace_rows(invoice.name, [row])


def _replace_rows(invoice_name: str, rows: list[dict]):
	frappe.db.delete("Payment Schedule", {"parenttype": "Sales Invoice", "parent": invoice_name})
	for idx, row in enumerate(rows, 1):
		frappe.get_doc(
			{
				"doctype": "Payment Schedule",
				"parenttype": "Sales Invoice",
				"parentfield": "payment_schedule",
				"parent": invoice_name,
				"idx": idx,
				**row,
			}
		).db_insert()
