"""Every money movement on an invoice, including cancellations and reconciliations,
is written by ERPNext as a submitted Payment Ledger Entry: refresh the plan there."""

from progress_billing.plans import recompute


def on_submit(doc, method=None):
	if doc.against_voucher_type != "Sales Invoice" or not doc.against_voucher_no:
		return
	recompute.refresh_for_ledger_entry(doc.against_voucher_no)
