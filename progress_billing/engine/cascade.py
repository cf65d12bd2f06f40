"""Where received money sits in a plan: oldest unpaid installment first, then onwards."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from progress_billing.engine.errors import OverpaymentError, PlanError
from progress_billing.engine.messages import _
from progress_billing.engine.money import ZERO, to_decimal

UNPAID = "Unpaid"
PARTLY_PAID = "Partly Paid"
PAID = "Paid"
CANCELLED = "Cancelled"

ACTIVE = "Active"
COMPLETED = "Completed"


@dataclass(frozen=True)
class InstallmentState:
	amount: Decimal
	paid_amount: Decimal
	outstanding_amount: Decimal
	status: str


def allocate_receipts(amounts: Sequence, received, *, cancelled: bool = False) -> list[InstallmentState]:
	"""Cascades `received` over `amounts` in order, each installment capped at its amount.

	On a cancelled plan, what was paid stays paid and everything still outstanding is
	Cancelled. Money beyond the whole plan raises OverpaymentError.
	"""
	amounts = [to_decimal(amount) for amount in amounts]
	left = to_decimal(received)
	if left < 0:
		raise PlanError(_("The amount received cannot be negative."))
	total = sum(amounts, ZERO)
	if left > total:
		raise OverpaymentError(_("{0} received is more than the {1} the plan asks for."), left, total)

	states = []
	for amount in amounts:
		paid = min(amount, left)
		left -= paid
		states.append(InstallmentState(amount, paid, amount - paid, _status(amount, paid, cancelled)))
	return states


def collected_for_plan(receipts, refunds, target) -> Decimal:
	"""The money that has paid installments, given the ledger's totals for the plan.

	`receipts` are payments in, net of voided (cancelled) payments; `refunds` are
	payments out. A refund never un-pays an installment, so refunds are not netted
	here: they only raise the invoice's balance. Money received beyond the target can
	only be re-filling refunded money, so it pays no installment.
	"""
	receipts, refunds, target = to_decimal(receipts), to_decimal(refunds), to_decimal(target)
	if receipts < 0 or refunds < 0:
		raise PlanError(_("Receipts and refunds cannot be negative."))
	if receipts - refunds > target:
		raise OverpaymentError(
			_("{0} received net of refunds is more than the {1} the plan asks for."),
			receipts - refunds,
			target,
		)
	return min(receipts, target)


def receipts_within_plan(receipts, refunds, target) -> Decimal:
	"""The receipts the plan takes in, given the ledger's totals: ERPNext lets more reach
	its ledger than the plan asks (a journal entry past the balance, billing an order over
	its total within ERPNext's allowance). Beyond the target and what was paid back, money
	pays no installment: it is the customer's credit, ERPNext's to show."""
	receipts, refunds, target = to_decimal(receipts), to_decimal(refunds), to_decimal(target)
	return min(receipts, max(target, ZERO) + refunds)


def refunds_owed(receipts, refunds, target) -> Decimal:
	"""Refunded money the customer still owes, given the same ledger totals.

	A refund never un-pays an installment, so what was paid back is owed beside the
	plan, until money received beyond the target fills it again. The invoice's balance
	is always what the installments still ask for plus this.
	"""
	receipts, refunds = to_decimal(receipts), to_decimal(refunds)
	collected = collected_for_plan(receipts, refunds, target)
	return refunds - (receipts - collected)


def current_installment(states: Sequence[InstallmentState]) -> int | None:
	"""1-based index of the first installment with something outstanding, if any."""
	for idx, state in enumerate(states, 1):
		if state.outstanding_amount > 0 and state.status != CANCELLED:
			return idx
	return None


def plan_status(states: Sequence[InstallmentState], *, cancelled: bool = False) -> str:
	if cancelled:
		return CANCELLED
	return COMPLETED if all(state.outstanding_amount == 0 for state in states) else ACTIVE


def _status(amount: Decimal, paid: Decimal, cancelled: bool) -> str:
	if paid >= amount:
		return PAID
	if cancelled:
		return CANCELLED
	return PARTLY_PAID if paid > 0 else UNPAID
