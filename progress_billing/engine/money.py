"""Exact money arithmetic: Decimal at a given precision, and splits that conserve."""

from collections.abc import Sequence
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation

from progress_billing.engine.errors import PlanError
from progress_billing.engine.messages import _

PERCENT_PRECISION = 6
HUNDRED = Decimal(100)
ZERO = Decimal(0)
# Beyond any amount a currency field holds (ERPNext's are decimal(21, 9)), and far
# below where Decimal arithmetic at its default 28 digits stops being exact.
LARGEST = Decimal(10) ** 12


def unit(precision: int) -> Decimal:
	"""The smallest amount at `precision`: 0.01 for 2, 1 for 0, 0.001 for 3."""
	return Decimal(1).scaleb(-precision)


def to_decimal(value) -> Decimal:
	"""Converts a number from any adapter (str, int, float, Decimal) without float noise."""
	if isinstance(value, Decimal):
		number = value
	elif isinstance(value, bool):
		raise PlanError(_("{0} is not a number."), value)
	elif isinstance(value, float):
		number = Decimal(repr(value))
	else:
		try:
			number = Decimal(str(value).strip())
		except InvalidOperation:
			raise PlanError(_("{0} is not a number."), value) from None
	if not number.is_finite():
		raise PlanError(_("{0} is not a number."), value)
	if abs(number) >= LARGEST:
		raise PlanError(_("{0} is too large."), value)
	return number


def round_to(value: Decimal, precision: int, rounding=ROUND_HALF_UP) -> Decimal:
	return value.quantize(unit(precision), rounding=rounding)


def has_more_places(value: Decimal, precision: int) -> bool:
	return value != value.quantize(unit(precision), rounding=ROUND_DOWN)


def split_by_weights(
	total: Decimal, weights: Sequence[Decimal], precision: int, rounding=ROUND_HALF_UP
) -> list[Decimal]:
	"""Splits `total` in proportion to `weights`; the parts add up to `total` exactly.

	Every part but the first is rounded (half up unless told otherwise) and the first
	takes the remainder, which for a tiny first weight can come out negative: callers
	decide whether that is a refusal or calls for `split_never_negative`.
	"""
	if not weights:
		return []
	weight_sum = sum(weights, ZERO)
	if weight_sum <= 0:
		raise ValueError("weights must add up to more than zero")
	rest = [round_to(total * weight / weight_sum, precision, rounding) for weight in weights[1:]]
	return [total - sum(rest, ZERO), *rest]


def split_never_negative(total: Decimal, weights: Sequence[Decimal], precision: int) -> list[Decimal]:
	"""Like `split_by_weights`, but where rounding the others up would push the first
	part below zero they are rounded down, leaving the first at least its exact share."""
	parts = split_by_weights(total, weights, precision)
	if parts and parts[0] < 0 <= total:
		parts = split_by_weights(total, weights, precision, rounding=ROUND_DOWN)
	return parts
