"""Re-splitting a plan when the invoice total changes, without touching what is paid."""

from collections.abc import Sequence
from decimal import Decimal

from progress_billing.engine.cascade import allocate_receipts
from progress_billing.engine.errors import PlanError
from progress_billing.engine.messages import _
from progress_billing.engine.money import ZERO, has_more_places, split_never_negative, to_decimal


def recalculate_amounts(
	percentages: Sequence, amounts: Sequence, collected, new_target, *, precision: int = 2
) -> list[Decimal]:
	"""New installment amounts for `new_target`, given `collected` money already applied.

	Fully paid installments keep their amounts; what is left of the new target is split
	over the others by their original percentages (relative to each other), the
	remainder on the first of them. With nothing fully paid this is simply a re-split
	of the new target. When every installment is paid and the target grows, the
	difference goes on the last one, which is then open again.
	"""
	percentages = [to_decimal(p) for p in percentages]
	amounts = [to_decimal(a) for a in amounts]
	collected, new_target = to_decimal(collected), to_decimal(new_target)
	if new_target < 0 or has_more_places(new_target, precision):
		raise PlanError(_("{0} is not a valid amount for this currency."), new_target)
	if new_target < collected:
		raise PlanError(
			_("The new total {0} is less than the {1} already collected on this plan."), new_target, collected
		)

	states = allocate_receipts(amounts, collected)
	open_rows = [idx for idx, state in enumerate(states) if state.outstanding_amount > 0]
	if not open_rows:
		new_amounts = list(amounts)
		new_amounts[-1] += new_target - sum(amounts, ZERO)
		return new_amounts

	settled = sum((amounts[idx] for idx in range(len(amounts)) if idx not in open_rows), ZERO)
	weights = [percentages[idx] for idx in open_rows]
	if sum(weights, ZERO) <= 0:
		weights = [Decimal(1)] * len(open_rows)
	shares = split_never_negative(new_target - settled, weights, precision)

	new_amounts = list(amounts)
	for idx, share in zip(open_rows, shares, strict=True):
		new_amounts[idx] = share
	return new_amounts
