"""Mirrors a plan into ERPNext's own Payment Schedule, so the invoice's due date, its
Overdue status and Accounts Receivable by payment terms tell the plan's story."""

from decimal import Decimal

import frappe
from frappe.utils import add_years, flt, getdate

from progress_billing import engine
from progress_billing.plans import update_row

# ERPNext needs a date on every schedule row. An installment waiting on a task gets one
# far enough out that ERPNext never calls it overdue; the plan itself shows no date.
WAITING_PLACEHOLDER_YEARS = 5


def schedule_rows(invoice, installments) -> list[dict]:
	"""The plan as Payment Schedule rows, with its exact amounts and what each has been
	paid, so that Dunning, Accounts Receivable by payment terms and the invoice's Overdue
	status read the plan. ERPNext refuses two rows on one date, so installments falling
	due together share a row, carrying their sums."""
	conversion_rate = engine.to_decimal(invoice.conversion_rate or 1)
	amounts = [engine.to_decimal(row.amount) for row in installments]
	doctype = invoice.get("doctype") or "Sales Invoice"
	base_precision = int(frappe.get_meta(doctype).get_field("base_grand_total").precision or 2)
	base_target = engine.round_to(sum(amounts) * conversion_rate, base_precision)
	base_amounts = engine.split_by_weights(base_target, amounts, base_precision) if sum(amounts) else amounts

	placeholder = add_years(last_known_due_date(installments) or getdate(), WAITING_PLACEHOLDER_YEARS)
	rows: dict = {}
	for row, amount, base_amount in zip(installments, amounts, base_amounts, strict=True):
		due_date = getdate(row.due_date) if row.due_date else placeholder
		paid = engine.to_decimal(row.get("paid_amount") or 0)
		merged = rows.setdefault(
			due_date,
			{
				"description": [],
				"due_date": due_date,
				"invoice_portion": 0,
				"payment_amount": 0,
				"base_payment_amount": 0,
				"paid_amount": 0,
			},
		)
		merged["description"].append(row.label)
		merged["invoice_portion"] += flt(row.percentage, 6)
		merged["payment_amount"] += amount
		merged["base_payment_amount"] += base_amount
		merged["paid_amount"] += paid
	return [
		{
			**row,
			"description": " + ".join(row["description"]),
			"invoice_portion": flt(row["invoice_portion"], 6),
			"outstanding": row["payment_amount"] - row["paid_amount"],
		}
		for row in rows.values()
	]


def last_known_due_date(installments):
	known = [getdate(row.due_date) for row in installments if row.due_date]
	return max(known) if known else None


def mirror_into_doc(doc, installments):
	"""On a draft being saved: replace what ERPNext just built with the plan's rows."""
	doc.set("payment_schedule", schedule_rows(doc, installments))
	if doc.doctype == "Sales Invoice":  # an order has no due date of its own
		doc.due_date = last_known_due_date(installments) or doc.posting_date


def mirror_into_db(invoice, installments):
	"""On a saved or submitted invoice, whose child rows no longer pass through validate."""
	_replace_rows(invoice, schedule_rows(invoice, installments))
	if _doctype(invoice) == "Sales Invoice":  # an order has no due date of its own
		set_due_date(invoice, last_known_due_date(installments) or invoice.posting_date)


def mirror_paid_into_db(invoice, installments):
	"""After money moved and nothing else did (same amounts, same dates, so the same
	rows): each row's paid and outstanding amounts in one statement, on the payment path."""
	rows = schedule_rows(invoice, installments)
	cases = " ".join("when %s then %s" for _row in rows)
	values = [value for idx, row in enumerate(rows, 1) for value in (idx, row["paid_amount"])]
	values += [value for idx, row in enumerate(rows, 1) for value in (idx, row["outstanding"])]
	frappe.db.sql(
		f"update `tabPayment Schedule` set paid_amount = case idx {cases} else paid_amount end,"
		f" outstanding = case idx {cases} else outstanding end"
		" where parenttype = %s and parent = %s",
		[*values, _doctype(invoice), invoice.name],
	)


def set_due_date(invoice, due_date):
	"""The invoice's due date, and on a submitted invoice its own ledger entry's, from
	which ERPNext's Get Outstanding Invoices and Payment Reconciliation read it."""
	if invoice.get("due_date") and getdate(invoice.due_date) == getdate(due_date):
		return  # a payment moves no date: nothing to write on its way
	frappe.db.set_value("Sales Invoice", invoice.name, "due_date", due_date, update_modified=False)
	if invoice.docstatus == 1:
		frappe.db.set_value(
			"Payment Ledger Entry",
			{"voucher_type": "Sales Invoice", "voucher_no": invoice.name, "against_voucher_no": invoice.name},
			"due_date",
			due_date,
			update_modified=False,
		)


def restore_single_row(invoice):
	"""Without a plan the invoice falls back to one row for its whole balance, on its due date."""
	if _doctype(invoice) == "Sales Invoice":
		total = engine.to_decimal(invoice.outstanding_amount or 0)
	else:
		use_rounded = not invoice.get("disable_rounded_total") and invoice.get("rounded_total")
		total = engine.to_decimal((invoice.rounded_total if use_rounded else invoice.grand_total) or 0)
	row = {
		"due_date": invoice.due_date,
		"invoice_portion": 100,
		"payment_amount": total,
		"base_payment_amount": flt(total * engine.to_decimal(invoice.conversion_rate or 1)),
		"outstanding": total,
		"paid_amount": 0,
	}
	_replace_rows(invoice, [row])


def _doctype(invoice) -> str:
	return invoice.get("doctype") or "Sales Invoice"


def _replace_rows(invoice, rows: list[dict]):
	"""Writes `rows` over the invoice's schedule in place: a Dunning links its overdue
	payments to schedule rows by name, so rows that stay keep their names."""
	# A plain query: this runs on every payment (frappe.get_all costs several times more).
	ps = frappe.qb.DocType("Payment Schedule")
	existing = (
		frappe.qb.from_(ps)
		.select(ps.name, *(ps[field] for field in COMPARED_FIELDS))
		.where((ps.parenttype == _doctype(invoice)) & (ps.parent == invoice.name))
		.orderby(ps.idx)
		.run(as_dict=True)
	)
	for idx, row in enumerate(rows, 1):
		values = {field: row.get(field) for field in COMPARED_FIELDS}
		values["idx"] = idx
		if idx <= len(existing):
			current = existing[idx - 1]
			changed = {field: value for field, value in values.items() if _differs(current.get(field), value)}
			if changed:
				update_row("Payment Schedule", current.name, changed)
			continue
		frappe.get_doc(
			{
				"doctype": "Payment Schedule",
				"parenttype": _doctype(invoice),
				"parentfield": "payment_schedule",
				"parent": invoice.name,
				**values,
			}
		).db_insert()
	for stale in existing[len(rows) :]:
		frappe.db.delete("Payment Schedule", {"name": stale.name})


COMPARED_FIELDS = (
	"idx",
	"description",
	"due_date",
	"invoice_portion",
	"payment_amount",
	"base_payment_amount",
	"paid_amount",
	"outstanding",
	"payment_term",
)


def _differs(current, wanted) -> bool:
	if isinstance(wanted, int | float | Decimal) or isinstance(current, int | float | Decimal):
		return engine.to_decimal(current or 0) != engine.to_decimal(wanted or 0)
	if hasattr(wanted, "isoformat") or hasattr(current, "isoformat"):
		return (getdate(current) if current else None) != (getdate(wanted) if wanted else None)
	return (current or "") != (wanted or "")
