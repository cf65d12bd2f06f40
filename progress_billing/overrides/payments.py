"""Payment Entry, Journal Entry and Unreconcile Payment events."""

from progress_billing.overrides import sales_order
from progress_billing.plans import owners, recompute


def lock_payment_entry_invoices(doc, method=None):
	invoices = [row.reference_name for row in doc.references if row.reference_doctype == "Sales Invoice"]
	orders = [row.reference_name for row in doc.references if row.reference_doctype == "Sales Order"]
	_lock(invoices, orders)


def lock_journal_entry_invoices(doc, method=None):
	references = [(row.reference_type, row.reference_name) for row in doc.accounts if row.reference_name]
	_lock(
		[name for doctype, name in references if doctype == "Sales Invoice"],
		[name for doctype, name in references if doctype == "Sales Order"],
	)


def _lock(invoices: list[str], orders: list[str] | None = None):
	"""Invoices first, then orders, as ERPNext's own paths take them (a draw invoice's
	ledger entry, or its cancellation, refreshes its order's plan): two payments never
	wait on each other."""
	draw_orders = owners.lock_invoices(invoices)
	sales_order.lock_orders(sorted(set(orders or []) | set(draw_orders)))


def refresh_unreconciled_invoices(doc, method=None):
	"""Unreconciling rewrites ledger rows by query, without a ledger entry submit."""
	for allocation in doc.allocations:
		if allocation.reference_doctype == "Sales Invoice":
			recompute.refresh_for_ledger_entry(allocation.reference_name)
