"""The refresh: a plan recomputed from its document and its ledger, and written. A payment
passes through it in one direction: the owner's values and money, the engine's figures,
the installments written, ERPNext's Payment Schedule mirrored. Running it twice changes
nothing."""

from progress_billing import engine
from progress_billing.plans import figures, owners, schedule, store


def refresh_for_ledger_entry(against_invoice: str):
	"""A ledger entry was written against `against_invoice`: refresh the plan its money
	belongs to (its own, a debit note's original's, or a draw invoice's order's)."""
	reading = owners.read_for_ledger_entry(against_invoice)
	if reading:
		_apply(reading)


def refresh(invoice_name: str, invoice=None, doctype: str = owners.SALES_INVOICE):
	"""Recomputes the plan from the document and its ledger; running it twice changes nothing.

	Locks the document's row first, so two payments landing at once are applied one
	after the other (`invoice`, where given, was read by such a locking read).
	"""
	reading = owners.read(invoice.doctype if invoice else doctype, invoice_name, values=invoice, lock=True)
	if reading:
		_apply(reading)


def _apply(reading: owners.Reading):
	plan_state = figures.compute(reading)
	changed, amounts_changed = store.write_state(reading.values, reading.rows, plan_state, reading.precision)
	# ERPNext's schedule carries what each row has been paid, as the installments do;
	# a cancelled plan left the invoice ERPNext's own single row.
	if plan_state.status != engine.CANCELLED:
		if amounts_changed:
			schedule.mirror_into_db(reading.values, reading.rows)
		elif changed:
			schedule.mirror_paid_into_db(reading.values, reading.rows)


def refresh_part_invoiced_orders(invoice):
	"""An invoice of part of an order on a plan (or a credit note against one) was submitted
	or cancelled: the order's plan asks for less, or more, again."""
	for order in sorted({row.sales_order for row in invoice.items if row.get("sales_order")}):
		values = owners.load(owners.SALES_ORDER, order, for_update=True)
		if values and values.pb_plan_status in (engine.ACTIVE, engine.COMPLETED):
			if values.pb_billing not in engine.BILLED_ON_ORDER:
				refresh(order, invoice=values, doctype=owners.SALES_ORDER)
