"""Invoice each draw: an order's installments billed one Sales Invoice each.

An order's plan either moves whole to the invoice for the order ("One Invoice"), or
stays on the order and bills each installment as its own invoice ("Invoice Each
Draw"). Here: what each draw is worth once some are invoiced, how much of each order
line a draw bills, and what state each installment is in.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from progress_billing.engine.cascade import InstallmentState, allocate_receipts
from progress_billing.engine.errors import PlanError
from progress_billing.engine.messages import _
from progress_billing.engine.money import ZERO, round_to, split_by_weights, unit

ONE_INVOICE = "One Invoice"
EACH_DRAW = "Invoice Each Draw"
PAY_APPLICATIONS = "Pay Applications"  # billed by progress per line (engine/pay_application.py)
BILLING_CHOICES = (ONE_INVOICE, EACH_DRAW, PAY_APPLICATIONS)
# Orders whose plan stays on the order and is billed by invoices of its own making.
BILLED_ON_ORDER = (EACH_DRAW, PAY_APPLICATIONS)

# An order in these states bills nothing more (ERPNext's own rule for Make Sales Invoice).
NOT_BILLABLE = ("Closed", "On Hold", "Completed")

# What an installment of an order billed draw by draw is, as the office and the customer see it.
SCHEDULED = "Scheduled"  # not invoiced yet (deposits on the order may already cover it)
DRAFT = "Draft"  # its invoice is made and waits for review
INVOICED = "Invoiced"  # its invoice is submitted and nothing of it is paid
DRAW_PARTLY_PAID = "Partly Paid"
DRAW_PAID = "Paid"


@dataclass(frozen=True)
class Draw:
	"""One installment of the order, as the ledgers see it."""

	percentage: Decimal
	invoice_total: Decimal | None = None  # its submitted invoice's total; None while not invoiced
	invoice_received: Decimal = ZERO  # what that invoice's ledger says it received
	retained: Decimal = ZERO  # what that invoice withholds as retainage: billed, not due until released


def draw_amounts(order_total: Decimal, draws: Sequence[Draw], precision: int) -> list[Decimal]:
	"""Invoiced draws are worth what their invoice says; the others share what is left
	of the order's total by their percentages, the remainder on the first of them.

	Raises PlanError where the order's total falls below what is already invoiced."""
	invoiced = sum((draw.invoice_total for draw in draws if draw.invoice_total is not None), ZERO)
	open_draws = [draw for draw in draws if draw.invoice_total is None]
	left = order_total - invoiced
	if left < 0 or (left > 0 and not open_draws):
		raise PlanError(
			_("The order's total {0} is below the {1} already invoiced draw by draw."),
			order_total,
			invoiced,
			field="total",
		)
	if not open_draws:
		return [draw.invoice_total for draw in draws]
	weights = [draw.percentage for draw in open_draws]
	if sum(weights, ZERO) <= 0:
		weights = [Decimal(1)] * len(open_draws)
	shares = iter(split_by_weights(left, weights, precision))
	return [draw.invoice_total if draw.invoice_total is not None else next(shares) for draw in draws]


def draw_states(
	amounts: Sequence[Decimal], draws: Sequence[Draw], unapplied_deposits: Decimal, *, cancelled: bool = False
) -> list[InstallmentState]:
	"""An invoiced draw is paid what its invoice received; deposits on the order that no
	invoice has taken yet cover the draws not invoiced, oldest first.

	Neither counts beyond what its draws ask: while ERPNext submits a draw invoice, its
	ledger entry comes before the deposit moves from the order to the invoice, and the
	same money is for a moment on both."""
	waiting = [amounts[idx] for idx, draw in enumerate(draws) if draw.invoice_total is None]
	deposits = min(max(unapplied_deposits, ZERO), sum(waiting, ZERO))
	covered = iter(allocate_receipts(waiting, deposits, cancelled=cancelled))
	states = []
	for amount, draw in zip(amounts, draws, strict=True):
		if draw.invoice_total is None:
			states.append(next(covered))
		else:
			# What its invoice asks for now: the draw less what it retains.
			due = amount - draw.retained
			received = min(max(draw.invoice_received, ZERO), due)
			state = allocate_receipts([due], received, cancelled=cancelled)[0]
			states.append(InstallmentState(amount, state.paid_amount, state.outstanding_amount, state.status))
	return states


def draw_state(invoice_docstatus: int | None, paid: Decimal, amount: Decimal) -> str:
	"""Scheduled, Draft, Invoiced, Partly Paid or Paid."""
	if invoice_docstatus is None or invoice_docstatus == 2:
		return SCHEDULED
	if invoice_docstatus == 0:
		return DRAFT
	if paid >= amount:
		return DRAW_PAID
	return DRAW_PARTLY_PAID if paid > 0 else INVOICED


def lines_for_draw(
	remaining: Sequence[Decimal], amount: Decimal, open_total: Decimal, precision: int
) -> list[Decimal]:
	"""How much of each order line (what is still unbilled of it) a draw worth `amount`
	bills, when the draws not yet invoiced are worth `open_total` together. The last
	open draw bills every line's remainder exactly; the others their share, rounded."""
	if amount >= open_total:
		return list(remaining)
	return [round_to(line * amount / open_total, precision) for line in remaining]


def line_rows(share: Decimal, qty: Decimal, precision: int) -> list[tuple[Decimal, Decimal]]:
	"""How an order line of `qty` units bills exactly `share`: (quantity, rate) rows. Where
	`share` does not divide by a whole number of units at the rate's precision, the line is
	billed as two rows, some units at one rate and the rest one smallest unit dearer
	(3 units for 100.00: 2 at 33.33 and 1 at 33.34), so no unit is ever a fraction."""
	step = unit(precision)
	if not qty or qty != qty.to_integral_value() or qty < 0:
		return [(qty, share)] if not qty else [(qty, (share / qty).quantize(step, rounding=ROUND_HALF_UP))]
	base = (share / qty).quantize(step, rounding=ROUND_DOWN)
	dearer = ((share - base * qty) / step).to_integral_value()
	if not dearer:
		return [(qty, base)]
	return [(qty - dearer, base), (dearer, base + step)]
