"""Payment Entry, Journal Entry and Unreconcile Payment events."""

from progress_billing import plans
from progress_billing.overrides import sales_order


def lock_payment_entry_invoices(doc, method=None):
	plans.lock_invoices(
		[row.reference_name for row in doc.references if row.reference_doctype == "Sales Invoice"]
	)
	sales_order.lock_orders(
		[row.reference_name for row in doc.references if row.reference_doctype == "Sales Order"]
	)


def lock_journal_entry_invoices(doc, method=None):
	plans.lock_invoices(
		[
			row.reference_name
			for row in doc.accounts
			if row.reference_type == "Sales Invoice" and row.reference_name
		]
	)


def refresh_unreconciled_invoices(doc, method=None):
	"""Unreconciling rewrites ledger rows by query, without a ledger entry submit."""
	for allocation in doc.allocations:
		if allocation.reference_doctype == "Sales Invoice":
			invoice = plans.plan_invoice_for(allocation.reference_name)
			if invoice:
				plans.refresh(invoice)
