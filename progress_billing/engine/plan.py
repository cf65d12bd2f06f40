"""Building a payment plan: rows in, exact installments out, or a refusal naming the row."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_DOWN, Decimal

from progress_billing.engine.errors import PlanError
from progress_billing.engine.messages import _
from progress_billing.engine.money import (
	HUNDRED,
	PERCENT_PRECISION,
	ZERO,
	has_more_places,
	round_to,
	split_by_weights,
	to_decimal,
	unit,
)
from progress_billing.engine.text import LABEL, plain_text

PERCENTAGE = "Percentage"
AMOUNT = "Amount"
MODES = (PERCENTAGE, AMOUNT)

MIN_INSTALLMENTS = 2
MAX_INSTALLMENTS = 12
DEFAULT_INTERVAL_DAYS = 30
PERCENT_TOLERANCE = unit(PERCENT_PRECISION)


@dataclass(frozen=True)
class Installment:
	idx: int
	label: str
	percentage: Decimal
	amount: Decimal
	due_date: date | None


@dataclass(frozen=True)
class Plan:
	mode: str
	target: Decimal
	installments: tuple[Installment, ...]

	@property
	def amounts(self) -> list[Decimal]:
		return [row.amount for row in self.installments]


def build_plan(
	target,
	rows: Sequence[Mapping],
	*,
	mode: str = PERCENTAGE,
	precision: int = 2,
	today: date,
	start_date: date | None = None,
	interval_days: int = DEFAULT_INTERVAL_DAYS,
) -> Plan:
	"""Validates `rows` (dicts with label, percentage or amount, due_date) into a Plan.

	`start_date` (the invoice date) is the due date of a blank first row; it defaults
	to `today`. Raises PlanError for the first problem found.
	"""
	if mode not in MODES:
		raise PlanError(_("Choose how to split the plan: {0} or {1}."), PERCENTAGE, AMOUNT, field="mode")
	target = _parse_target(target, precision)
	_check_row_count(rows)
	labels = [_parse_label(row, idx) for idx, row in enumerate(rows, 1)]

	if mode == PERCENTAGE:
		percentages = _parse_percentages(rows)
		amounts = split_by_weights(target, percentages, precision)
	else:
		amounts = _parse_amounts(rows, target, precision)
		percentages = split_by_weights(HUNDRED, amounts, PERCENT_PRECISION)

	if any(amount <= 0 for amount in amounts):
		raise PlanError(_("{0} is too small to split into {1} rows."), target, len(rows), field="target")

	due_dates = resolve_due_dates(
		[row.get("due_date") for row in rows],
		today=today,
		start_date=start_date or today,
		interval_days=interval_days,
	)
	installments = tuple(
		Installment(idx, label, percentage, amount, due_date)
		for idx, (label, percentage, amount, due_date) in enumerate(
			zip(labels, percentages, amounts, due_dates, strict=True), 1
		)
	)
	return Plan(mode, target, installments)


def check_stages(rows: Sequence[Mapping]) -> list[Decimal]:
	"""Validates a template's stages (label and percentage, 2 to 12, totalling 100);
	returns the percentages made exact, the first row absorbing any tolerance."""
	_check_row_count(rows)
	for idx, row in enumerate(rows, 1):
		_parse_label(row, idx)
	return _parse_percentages(rows)


def follows_template(plan: Plan, stages: Sequence[Mapping]) -> bool:
	"""Whether a plan is still the template it was started from: split by percentage into
	the template's stages, same labels and percentages in the same order. A plan whose rows
	were changed, or split by amount, no longer carries the template's name."""
	if plan.mode != PERCENTAGE or len(plan.installments) != len(stages):
		return False
	return all(
		row.label == (stage.get("label") or "").strip()
		and abs(row.percentage - to_decimal(stage.get("percentage") or 0)) <= PERCENT_TOLERANCE
		for row, stage in zip(plan.installments, stages, strict=True)
	)


@dataclass(frozen=True)
class EventDue:
	"""A due date that follows an event of the job (a task starting or being completed);
	None while the event has not happened."""

	date: date | None


def resolve_due_dates(
	given: Sequence,
	*,
	today: date,
	start_date: date,
	interval_days: int = DEFAULT_INTERVAL_DAYS,
	strict: bool = True,
) -> list[date | None]:
	"""Fills blank dates (the previous date plus the interval; the first falls on
	`start_date`) and checks that given dates are in order and not in the past.

	An EventDue row takes its event's date, moved up to the previous row's date where
	it would fall before it; while its event is pending it has no date, and blank rows
	after it wait with it. With `strict` off (rescheduling a saved plan), given dates are
	not refused for being past or out of order either: they too are moved up.
	"""
	if int(interval_days) < 1:
		raise PlanError(_("The default interval must be at least one day."), field="interval_days")
	interval = timedelta(days=int(interval_days))
	resolved: list[date | None] = []
	for idx, value in enumerate(given, 1):
		previous_idx, previous = next(
			((i, known) for i, known in reversed(list(enumerate(resolved, 1))) if known is not None),
			(None, None),
		)
		if isinstance(value, EventDue):
			due_date = value.date and max(value.date, previous or value.date)
		elif (due_date := _parse_date(value, idx)) is None:
			if not resolved:
				due_date = start_date
			else:
				due_date = resolved[-1] + interval if resolved[-1] is not None else None
		elif not strict:
			due_date = max(due_date, previous or due_date)
		else:
			if due_date < today:
				raise PlanError(
					_("Row {0}: the due date {1} is in the past."), idx, due_date, row=idx, field="due_date"
				)
			if previous and due_date < previous:
				raise PlanError(
					_("Row {0}: the due date {1} is before the due date of row {2} ({3})."),
					idx,
					due_date,
					previous_idx,
					previous,
					row=idx,
					field="due_date",
				)
		resolved.append(due_date)
	return resolved


def _parse_target(value, precision: int) -> Decimal:
	if value in (None, ""):
		raise PlanError(_("Enter the amount to schedule."), field="target")
	target = to_decimal(value)
	if target <= 0:
		raise PlanError(_("The amount to schedule must be greater than zero."), field="target")
	if has_more_places(target, precision):
		raise PlanError(
			_("{0} has more decimal places than the currency allows ({1})."),
			target,
			precision,
			field="target",
		)
	return round_to(target, precision)


def _check_row_count(rows: Sequence) -> None:
	if not MIN_INSTALLMENTS <= len(rows) <= MAX_INSTALLMENTS:
		raise PlanError(
			_("A plan needs between {0} and {1} rows, not {2}."),
			MIN_INSTALLMENTS,
			MAX_INSTALLMENTS,
			len(rows),
		)


def _parse_label(row: Mapping, idx: int) -> str:
	label = plain_text(row.get("label"), LABEL, row=idx)
	if not label:
		raise PlanError(_("Row {0}: a label is required."), idx, row=idx, field="label")
	return label


def _parse_row_number(row: Mapping, idx: int, field: str) -> Decimal | None:
	value = row.get(field)
	if value in (None, ""):
		return None
	try:
		return to_decimal(value)
	except PlanError:
		raise PlanError(_("Row {0}: {1} is not a number."), idx, value, row=idx, field=field) from None


def _parse_percentages(rows: Sequence[Mapping]) -> list[Decimal]:
	percentages = []
	for idx, row in enumerate(rows, 1):
		percentage = _parse_row_number(row, idx, "percentage")
		if percentage is None:
			raise PlanError(_("Row {0}: enter a percentage."), idx, row=idx, field="percentage")
		if percentage <= 0:
			raise PlanError(
				_("Row {0}: the percentage must be greater than zero."), idx, row=idx, field="percentage"
			)
		# As a Percent field does: a client's 100/3 (33.333333333333336) is 33.333333.
		percentage = round_to(percentage, PERCENT_PRECISION)
		if percentage <= 0:
			raise PlanError(
				_("Row {0}: the percentage must be greater than zero."), idx, row=idx, field="percentage"
			)
		percentages.append(percentage)

	total = sum(percentages, ZERO)
	if abs(total - HUNDRED) > PERCENT_TOLERANCE:
		raise PlanError(_("The percentages add up to {0}%; they must total exactly 100%."), total)
	# Within the tolerance (three rows of 33.333333): the first row absorbs the difference.
	percentages[0] += HUNDRED - total
	return percentages


def _parse_amounts(rows: Sequence[Mapping], target: Decimal, precision: int) -> list[Decimal]:
	given: list[Decimal | None] = []
	for idx, row in enumerate(rows, 1):
		amount = _parse_row_number(row, idx, "amount")
		if amount is not None:
			if amount <= 0:
				raise PlanError(
					_("Row {0}: the amount must be greater than zero."), idx, row=idx, field="amount"
				)
			if has_more_places(amount, precision):
				raise PlanError(
					_("Row {0}: {1} has more decimal places than the currency allows ({2})."),
					idx,
					amount,
					precision,
					row=idx,
					field="amount",
				)
		given.append(amount)

	filled_total = sum((amount for amount in given if amount is not None), ZERO)
	blanks = [idx for idx, amount in enumerate(given) if amount is None]
	if not blanks:
		if filled_total != target:
			raise PlanError(
				_("The amounts add up to {0}; they must total exactly {1}."), filled_total, target
			)
		return list(given)

	left = target - filled_total
	if left <= 0:
		raise PlanError(
			_("The filled rows already add up to {0} of {1}; nothing is left for the blank rows."),
			filled_total,
			target,
		)
	# Equal shares rounded down, so the first blank row carries the whole remainder.
	shares = split_by_weights(left, [Decimal(1)] * len(blanks), precision, rounding=ROUND_DOWN)
	for position, share in zip(blanks, shares, strict=True):
		given[position] = share
	return list(given)


def _parse_date(value, idx: int) -> date | None:
	if value in (None, ""):
		return None
	if isinstance(value, datetime):
		return value.date()
	if isinstance(value, date):
		return value
	try:
		return date.fromisoformat(str(value)[:10])
	except ValueError:
		raise PlanError(_("Row {0}: {1} is not a date."), idx, value, row=idx, field="due_date") from None


def reschedule_unpaid(
	current: Sequence[Mapping], changes: Mapping[int, Mapping], *, today: date
) -> list[dict]:
	"""New labels and due dates for a plan money has reached, or a refusal naming the row.

	`current` are the installments in order (label, due_date, paid_amount, and `follows_task`
	for one whose date follows a task); `changes` maps a 1-based row to its new label and/or
	due_date. Amounts never change here, and neither does anything of an installment with
	money on it: restructuring a paid plan means a refund and a new plan. A new date may not
	be in the past, nor out of order with the rows around it. Returns every row's label and
	due date after the change.
	"""
	rows = [{"label": row["label"], "due_date": row.get("due_date")} for row in current]
	for idx, change in sorted(changes.items()):
		if not 1 <= idx <= len(rows):
			raise PlanError(_("There is no row {0} in this plan."), idx, row=idx)
		row = current[idx - 1]
		if to_decimal(row.get("paid_amount") or 0) > 0:
			raise PlanError(
				_("Row {0}: money has been applied to it; it can no longer be changed."), idx, row=idx
			)
		if "label" in change:
			rows[idx - 1]["label"] = _parse_label(change, idx)
		if "due_date" in change:
			new_date = _parse_date(change["due_date"], idx)
			if new_date == rows[idx - 1]["due_date"]:
				continue
			if row.get("follows_task"):
				raise PlanError(
					_("Row {0} follows its task: move the task, and its date follows."),
					idx,
					row=idx,
					field="due_date",
				)
			if new_date is None:
				raise PlanError(_("Row {0}: enter a due date."), idx, row=idx, field="due_date")
			if new_date < today:
				raise PlanError(
					_("Row {0}: the due date {1} is in the past."), idx, new_date, row=idx, field="due_date"
				)
			rows[idx - 1]["due_date"] = new_date
	previous_idx, previous = None, None
	for idx, row in enumerate(rows, 1):
		if row["due_date"] is None:
			continue
		if previous and row["due_date"] < previous and (idx in changes or previous_idx in changes):
			raise PlanError(
				_("Row {0}: the due date {1} is before the due date of row {2} ({3})."),
				idx,
				row["due_date"],
				previous_idx,
				previous,
				row=idx,
				field="due_date",
			)
		previous_idx, previous = idx, row["due_date"]
	return rows
