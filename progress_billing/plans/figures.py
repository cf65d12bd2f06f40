"""A plan's figures: each installment's amount, what it was paid and what it still asks,
from the document's values, its installments and the money its ledger says it received.
The engine decides; this module only feeds it and turns refusals into errors."""

from dataclasses import dataclass
from decimal import Decimal

from progress_billing import engine
from progress_billing.engine import PlanError
from progress_billing.errors import throw_refusal
from progress_billing.plans import (
	ledger,
	owners,
)


@dataclass(frozen=True)
class PlanState:
	target: Decimal
	amounts: list[Decimal]
	states: list[engine.InstallmentState]
	status: str
	ledger_balance: Decimal | None = None  # the invoice's outstanding by a locking ledger read
	refunded_balance: Decimal = Decimal(0)  # refunded money still owed beside the installments
	billed: bool = False  # the invoice is submitted: its outstanding installments are to collect
	retained: list[Decimal] | None = None  # each draw's retainage, on an order billed draw by draw


def compute(reading: owners.Reading) -> PlanState:
	"""The plan's state from the document (a document or its values), its installments and
	what its ledger says (`owners.money`). Raises a translated error where the engine refuses."""
	invoice, rows, money, precision = reading.values, reading.rows, reading.money, reading.precision
	outside = engine.round_to(engine.to_decimal(invoice.pb_outside_plan or 0), precision)
	cancelled = invoice.pb_plan_status == engine.CANCELLED or invoice.docstatus == 2

	total, receipts, refunds, balance = reading.total, Decimal(0), Decimal(0), None
	doctype = invoice.get("doctype") or owners.SALES_INVOICE
	if isinstance(money, ledger.DrawMoney):
		return _compute_draws(invoice, money, total, precision, cancelled)
	if money:
		total = engine.round_to(money.invoice_total, precision)
		receipts = engine.round_to(money.receipts, precision)
		refunds = engine.round_to(money.refunds, precision)
		balance = engine.round_to(money.balance, precision)

	# Money that moved before the plan was made is not the plan's: the part of the total
	# it does not cover was paid (or is owed) outside it, and earlier refunds are history.
	refunds_before = engine.to_decimal(invoice.get("pb_refunds_before") or 0)
	receipts = max(Decimal(0), receipts - outside - refunds_before)
	refunds = max(Decimal(0), refunds - refunds_before)
	target = total - outside
	receipts = engine.receipts_within_plan(receipts, refunds, target)
	amounts = [engine.round_to(engine.to_decimal(row.amount), precision) for row in rows]
	try:
		collected = engine.collected_for_plan(receipts, refunds, max(target, Decimal(0)))
		if target != sum(amounts):
			amounts = engine.recalculate_amounts(
				[row.percentage for row in rows], amounts, collected, target, precision=precision
			)
		states = engine.allocate_receipts(amounts, collected, cancelled=cancelled)
		refunded = engine.refunds_owed(receipts, refunds, max(target, Decimal(0)))
	except PlanError as refusal:
		throw_refusal(refusal)
	status = engine.plan_status(states, cancelled=cancelled)
	retained = None
	if doctype == owners.SALES_INVOICE and invoice.get("pb_retainage"):
		retained = _retained_shares(invoice, money, amounts, precision)
		if status == engine.COMPLETED and money and (money.retainage.held or money.release_outstanding):
			status = engine.ACTIVE  # retainage still held, or released and not yet paid
	# A submitted invoice's installments are there to collect, and so are a submitted
	# order's (deposits asked for ahead of its invoice); a quotation's are a proposal.
	billed = invoice.docstatus == 1 and doctype != owners.QUOTATION
	if doctype != owners.SALES_INVOICE:
		balance = None  # an order keeps no outstanding amount of its own to correct
	return PlanState(target, amounts, states, status, balance, refunded, billed=billed, retained=retained)


def _retained_shares(invoice, money, amounts: list[Decimal], precision: int) -> list[Decimal] | None:
	"""An invoice billed as one job: what it withholds (its credit notes taken off), shared
	among its installments as they share what it asks, so each one's work is both."""
	withheld = money.retainage.retained if money else ledger.withheld_on(invoice.name)
	if not withheld or sum(amounts, Decimal(0)) <= 0:
		return None
	return engine.split_never_negative(withheld, amounts, precision)


def _compute_draws(
	order, money: ledger.DrawMoney, total: Decimal, precision: int, cancelled: bool
) -> PlanState:
	"""An order billed draw by draw: invoiced draws are worth and were paid what their
	invoices say; deposits no draw invoice has taken yet cover the others, oldest first."""
	by_applications = order.get("pb_billing") == engine.PAY_APPLICATIONS
	try:
		if by_applications:
			# Each row is an application's invoice, worth what it billed; the rest of the
			# order is billed by the applications to come.
			amounts = [draw.invoice_total or Decimal(0) for draw in money.draws]
		else:
			amounts = engine.draw_amounts(total, money.draws, precision)
	except PlanError as refusal:
		throw_refusal(refusal)
	states = engine.draw_states(amounts, money.draws, money.unapplied_deposits, cancelled=cancelled)
	status = engine.plan_status(states, cancelled=cancelled)
	if status == engine.COMPLETED and by_applications and sum(amounts, Decimal(0)) < total:
		status = engine.ACTIVE  # applications are still to bill the rest of the order
	if status == engine.COMPLETED and any(draw.invoice_total is None for draw in money.draws):
		status = engine.ACTIVE  # paid ahead by deposits, but draws are still to be invoiced
	if status == engine.COMPLETED and (money.retainage.held or money.release_outstanding):
		status = engine.ACTIVE  # retainage still held, or released and not yet paid
	retained = [draw.retained for draw in money.draws]
	return PlanState(total, amounts, states, status, None, Decimal(0), order.docstatus == 1, retained)


def installments_outstanding(rows) -> Decimal:
	"""What the installments still ask for: the invoice balance less refunded money owed."""
	return sum(
		(engine.to_decimal(row.outstanding_amount) for row in rows if row.status != engine.CANCELLED),
		Decimal(0),
	)
