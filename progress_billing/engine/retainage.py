"""Retainage: a share of each draw's work that the customer holds back until the job is done.

A rate (10%), and optionally a step-down as construction contracts write it: "10% until
the job is 50% billed, then 5%" (or "then none"). Each draw invoice bills its work in
full and withholds the retained share; a release later bills what was held. The rates
apply to the work (the lines' amounts, before tax): tax is charged on the whole work when
it is billed, so draws and releases add up to the order's grand total.
"""

from dataclasses import dataclass
from decimal import Decimal

from progress_billing.engine.errors import PlanError
from progress_billing.engine.messages import _
from progress_billing.engine.money import ZERO, round_to, to_decimal

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Retainage:
	rate: Decimal = ZERO  # percent of the work retained from the first draw
	step_at: Decimal | None = None  # percent of the job billed from which `rate_after` applies
	rate_after: Decimal = ZERO  # percent retained once the job is `step_at` billed

	@property
	def active(self) -> bool:
		return self.rate > 0

	def rate_at(self, billed_share: Decimal) -> Decimal:
		"""The rate in force once `billed_share` percent of the job is billed."""
		if self.step_at is not None and billed_share >= self.step_at:
			return self.rate_after
		return self.rate


def make_retainage(rate=None, step_at=None, rate_after=None) -> Retainage:
	"""Checks the terms a person typed. A rate of 0 (or none) means no retainage; a
	step-down needs a threshold between 0 and 100 and a lower rate after it."""
	rate = _percent(rate, "retainage")
	if not rate:
		if step_at not in (None, "", 0) or rate_after not in (None, "", 0):
			raise PlanError(_("Set a retainage rate before its step-down."), field="retainage")
		return Retainage()
	if step_at in (None, "", 0):
		if rate_after not in (None, "", 0):
			raise PlanError(
				_("Say at what share of the job billed the retainage steps down."),
				field="retainage_step_at",
			)
		return Retainage(rate)
	step_at = _percent(step_at, "retainage_step_at")
	if step_at >= HUNDRED:
		raise PlanError(
			_("The retainage steps down before the job is fully billed: {0}% is too late."),
			step_at,
			field="retainage_step_at",
		)
	rate_after = _percent(rate_after, "retainage_after")
	if rate_after > rate:
		raise PlanError(
			_("After the step-down the retainage is lower: {0}% is more than {1}%."),
			rate_after,
			rate,
			field="retainage_after",
		)
	return Retainage(rate, step_at, rate_after)


def _percent(value, field: str) -> Decimal:
	try:
		percent = to_decimal(value or 0)
	except (ArithmeticError, TypeError, ValueError):
		raise PlanError(_("{0} is not a percentage."), value, field=field) from None
	if percent < 0 or percent > HUNDRED:
		raise PlanError(_("A retainage rate is between 0% and 100%, not {0}%."), percent, field=field)
	return percent


def retained_on(work, billed_before, contract, retainage: Retainage, precision: int) -> Decimal:
	"""What a draw withholds of `work`, billed once `billed_before` of a job worth
	`contract` was billed: the part of the work before the step-down at the first rate,
	the part after it at the lower one. Never more than the rate in force on each part;
	nothing on work that is not positive."""
	work, billed_before, contract = to_decimal(work), to_decimal(billed_before), to_decimal(contract)
	if not retainage.active or work <= 0:
		return ZERO
	if retainage.step_at is None or contract <= 0:
		return round_to(work * retainage.rate / HUNDRED, precision)
	threshold = contract * retainage.step_at / HUNDRED
	before_step = min(work, max(threshold - billed_before, ZERO))
	after_step = work - before_step
	return round_to((before_step * retainage.rate + after_step * retainage.rate_after) / HUNDRED, precision)


@dataclass(frozen=True)
class Held:
	"""A job's retainage as its ledger says: withheld by its draws, billed back by releases."""

	retained: Decimal = ZERO
	released: Decimal = ZERO

	@property
	def held(self) -> Decimal:
		return self.retained - self.released


def check_release(amount, held: Held, precision: int) -> Decimal:
	"""The amount a release bills: all that is held when none is given; refused when it
	is not positive, has more places than the currency, or is more than is held."""
	if not held.held > 0:
		raise PlanError(_("Nothing is held on this job to release."), field="amount")
	if amount in (None, ""):
		return held.held
	amount = to_decimal(amount)
	if amount <= 0:
		raise PlanError(_("A release must be more than zero, not {0}."), amount, field="amount")
	if round_to(amount, precision) != amount:
		raise PlanError(_("{0} has more decimal places than the currency allows."), amount, field="amount")
	if amount > held.held:
		raise PlanError(_("{0} is more than the {1} held on this job."), amount, held.held, field="amount")
	return amount
