"""Mirrors a plan into ERPNext's own Payment Schedule, so the invoice's due date, its
Overdue status and Accounts Receivable by payment terms tell the plan's story."""

import frappe
from frappe.utils import add_years, flt, getdate

from progress_billing import engine

# ERPNext needs a date on every schedule row. An installment waiting on a task gets one
# far enough out that ERPNext never calls it overdue; the plan itself shows no date.
WAITING_PLACEHOLDER_YEARS = 5


def schedule_rows(invoice, installments) -> list[dict]:
	"""The plan as Payment Schedule rows, with its exact amounts. ERPNext refuses two rows
	on one date, so installments falling due together share a row."""
	conversion_rate = engine.to_decimal(invoice.conversion_rate or 1)
	amounts = [engine.to_decimal(row.amount) for row in installments]
	base_precision = int(frappe.get_meta("Sales Invoice").get_field("base_grand_total").precision or 2)
	base_target = engine.round_to(sum(amounts) * conversion_rate, base_precision)
	base_amounts = engine.split_by_weights(base_target, amounts, base_precision) if sum(amounts) else amounts

	placeholder = add_years(last_known_due_date(installments) or getdate(), WAITING_PLACEHOLDER_YEARS)
	rows: dict = {}
	for row, amount, base_amount in zip(installments, amounts, base_amounts, strict=True):
		due_date = getdate(row.due_date) if row.due_date else placeholder
		merged = rows.setdefault(
			due_date,
			{
				"description": [],
				"due_date": due_date,
				"invoice_portion": 0,
				"payment_amount": 0,
				"base_payment_amount": 0,
			},
		)
		merged["description"].append(row.label)
		merged["invoice_portion"] += flt(row.percentage, 6)
		merged["payment_amount"] += amount
		merged["base_payment_amount"] += base_amount
	return [
		{
			**row,
			"description": " + ".join(row["description"]),
			"invoice_portion": flt(row["invoice_portion"], 6),
			"outstanding": row["payment_amount"],
			"paid_amount": 0,
		}
		for row in rows.values()
	]


def last_known_due_date(installments):
	known = [getdate(row.due_date) for row in installments if row.due_date]
	return max(known) if known else None


def mirror_into_doc(doc, installments):
	"""On a draft being saved: replace what ERPNext just built with the plan's rows."""
	doc.set("payment_schedule", schedule_rows(doc, installments))
	doc.due_date = last_known_due_date(installments) or doc.posting_date


def mirror_into_db(invoice, installments):
	"""On a saved or submitted invoice, whose child rows no longer pass through validate."""
	_replace_rows(invoice.name, schedule_rows(invoice, installments))
	frappe.db.set_value(
		"Sales Invoice",
		invoice.name,
		"due_date",
		last_known_due_date(installments) or invoice.posting_date,
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
