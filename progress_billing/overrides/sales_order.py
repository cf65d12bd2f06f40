"""Sales Order events of its own: deposits reach the order's plan through ERPNext's
Advance Payment Ledger, under the order's row lock."""

import frappe

from progress_billing import engine
from progress_billing.plans import ledger, owners, recompute

ORDER = owners.SALES_ORDER


def refresh_from_advance_ledger(doc, method=None):
	"""ERPNext writes an Advance Payment Ledger Entry for every payment or journal entry
	against an order, and a negative one when it is cancelled: refresh the order's plan."""
	if doc.against_voucher_type == ORDER and doc.against_voucher_no:
		order = owners.load(ORDER, doc.against_voucher_no, for_update=True)
		if order and order.pb_plan_status == engine.ACTIVE:
			recompute.refresh(order.name, invoice=order)


def lock_orders(order_names: list[str]):
	"""Row locks of orders with a plan, taken before their ledger entries are written."""
	if order_names:
		frappe.db.sql(
			"select name from `tabSales Order` where name in %s"
			" and ifnull(pb_plan_status, '') = 'Active' for update",
			[tuple(order_names)],
		)


def correct_advance_paid(doc, method=None):
	"""ERPNext sums an order's Advance Payment Ledger with a plain read after writing its
	entry: with two deposits at once, the second sees a snapshot from before the first
	committed, and the order's Advance Paid misses it. For orders with a plan, the locking
	read the plan uses is the right figure: ERPNext's field is set to it."""
	for name in {row.reference_name for row in doc.references if row.reference_doctype == ORDER}:
		order = owners.load(ORDER, name)
		if not order or order.pb_plan_status != engine.ACTIVE:
			continue
		money = ledger.order_money(name, owners.invoice_total(order), lock=True)
		received = money.receipts if money else 0
		if engine.to_decimal(order.advance_paid or 0) != received:
			frappe.db.set_value(ORDER, name, "advance_paid", received, update_modified=False)
