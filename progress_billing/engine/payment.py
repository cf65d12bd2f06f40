"""What a proposed payment does to a plan, before it is taken."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from progress_billing.engine.errors import OverpaymentError, PlanError
from progress_billing.engine.messages import _
from progress_billing.engine.money import ZERO, to_decimal

BELOW_CURRENT = "below_current"
COVERS_CURRENT = "covers_current"
EXCEEDS_CURRENT = "exceeds_current"


@dataclass(frozen=True)
class PaymentCheck:
	kind: str
	spill: Decimal  # what flows on past the current installment


def check_payment(amount, current_outstanding, invoice_outstanding) -> PaymentCheck:
	"""Refuses nothing-or-less and more than the invoice balance; otherwise says how
	the payment sits against the current installment (less, exactly, or cascading on)."""
	amount = to_decimal(amount)
	current_outstanding = to_decimal(current_outstanding)
	invoice_outstanding = to_decimal(invoice_outstanding)
	if amount <= 0:
		raise PlanError(_("The amount must be greater than zero."), field="amount")
	if amount > invoice_outstanding:
		raise OverpaymentError(
			_("{0} exceeds the invoice balance of {1}. Overpayment is not permitted."),
			amount,
			invoice_outstanding,
			field="amount",
		)
	if amount < current_outstanding:
		return PaymentCheck(BELOW_CURRENT, Decimal(0))
	if amount == current_outstanding:
		return PaymentCheck(COVERS_CURRENT, Decimal(0))
	return PaymentCheck(EXCEEDS_CURRENT, amount - current_outstanding)


@dataclass(frozen=True)
class Landing:
	"""Where a payment goes: `installments` are (1-based index, amount) in plan order;
	`refunded` is what fills refunded money still owed, once every installment is paid;
	`refunded_left` is what stays owed of it afterwards."""

	installments: tuple[tuple[int, Decimal], ...]
	refunded: Decimal
	refunded_left: Decimal


def land_payment(amount, outstanding_amounts: Sequence, refunded_owed=0) -> Landing:
	"""Follows `amount` down the installments still outstanding, oldest first, as the
	ledger will count it, and then onto the refunded balance."""
	left = to_decimal(amount)
	refunded_owed = to_decimal(refunded_owed or 0)
	landed = []
	for idx, outstanding in enumerate(outstanding_amounts, 1):
		share = min(to_decimal(outstanding), left)
		if share > 0:
			landed.append((idx, share))
			left -= share
	refunded = min(left, refunded_owed) if left > 0 else ZERO
	return Landing(tuple(landed), refunded, refunded_owed - refunded)
