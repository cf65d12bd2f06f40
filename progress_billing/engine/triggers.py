"""Installments that follow the job's tasks instead of the calendar."""

from datetime import date, timedelta

from progress_billing.engine.plan import EventDue

BEFORE_TASK_STARTS = "Before Task Starts"
AFTER_TASK_COMPLETED = "After Task Completed"
TRIGGERS = (BEFORE_TASK_STARTS, AFTER_TASK_COMPLETED)


def task_due(
	trigger: str, *, expected_start: date | None, completed_on: date | None, offset_days=0
) -> EventDue:
	"""Before a task starts: its expected start less the offset. After it is completed:
	its completion date plus the offset, and no date until then."""
	offset = timedelta(days=int(offset_days or 0))
	if trigger == BEFORE_TASK_STARTS:
		return EventDue(expected_start - offset if expected_start else None)
	if trigger == AFTER_TASK_COMPLETED:
		return EventDue(completed_on + offset if completed_on else None)
	raise ValueError(f"unknown trigger {trigger!r}")
