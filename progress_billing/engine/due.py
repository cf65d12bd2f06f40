"""Grouping uncollected installments by when they fall due, for reports and reminders."""

from datetime import date

PAST_DUE = "Past Due"
DUE_TODAY = "Due Today"
UPCOMING = "Upcoming"
DUE_GROUPS = (PAST_DUE, DUE_TODAY, UPCOMING)


def due_group(due_date: date | None, today: date) -> str:
	"""An installment with no date yet (waiting on an event) is Upcoming, never Past Due."""
	if due_date is None or due_date > today:
		return UPCOMING
	return DUE_TODAY if due_date == today else PAST_DUE


def due_sort_key(due_date: date | None, today: date) -> tuple:
	"""Past Due first, then Due Today, then Upcoming, each by due date; undated last."""
	return (DUE_GROUPS.index(due_group(due_date, today)), due_date is None, due_date or date.max)


def days_overdue(due_date: date | None, today: date) -> int:
	if due_date is None or due_date >= today:
		return 0
	return (today - due_date).days
