from datetime import date, timedelta

import pytest

from progress_billing.engine import (
	AFTER_TASK_COMPLETED,
	BEFORE_TASK_STARTS,
	EventDue,
	build_plan,
	resolve_due_dates,
	task_due,
)
from tests.engine.helpers import TODAY

START = date(2026, 12, 10)
DONE = date(2026, 12, 20)


def test_before_a_task_starts_is_its_expected_start_less_the_offset():
	assert task_due(BEFORE_TASK_STARTS, expected_start=START, completed_on=None, offset_days=3) == EventDue(
		START - timedelta(days=3)
	)


def test_after_a_task_is_completed_is_its_completion_plus_the_offset():
	assert task_due(AFTER_TASK_COMPLETED, expected_start=START, completed_on=DONE, offset_days=2) == EventDue(
		DONE + timedelta(days=2)
	)


def test_until_the_task_is_completed_there_is_no_date():
	assert task_due(AFTER_TASK_COMPLETED, expected_start=START, completed_on=None) == EventDue(None)


def test_an_unknown_trigger_is_a_programming_error():
	with pytest.raises(ValueError):
		task_due("When it rains", expected_start=START, completed_on=None)


def dates(*given, strict=True):
	return resolve_due_dates(list(given), today=TODAY, start_date=TODAY, interval_days=30, strict=strict)


def test_an_event_date_may_be_in_the_past():
	past = TODAY - timedelta(days=5)
	assert dates(EventDue(past), None) == [past, past + timedelta(days=30)]


def test_an_event_date_before_the_previous_row_moves_up_to_it():
	assert dates(date(2027, 1, 10), EventDue(date(2027, 1, 1))) == [date(2027, 1, 10), date(2027, 1, 10)]


def test_a_pending_event_has_no_date_and_blank_rows_after_it_wait_with_it():
	assert dates(None, EventDue(None), None) == [TODAY, None, None]


def test_a_given_date_after_a_pending_event_keeps_its_date_and_order_with_earlier_rows():
	assert dates(None, EventDue(None), date(2027, 3, 1)) == [TODAY, None, date(2027, 3, 1)]


def test_rescheduling_moves_later_given_dates_up_instead_of_refusing():
	moved = EventDue(date(2027, 5, 1))
	assert dates(TODAY - timedelta(days=40), moved, date(2027, 2, 1), strict=False) == [
		TODAY - timedelta(days=40),
		date(2027, 5, 1),
		date(2027, 5, 1),
	]


def test_a_plan_with_a_waiting_installment_builds():
	rows = [
		{"label": "Measure", "percentage": 25, "due_date": EventDue(START)},
		{"label": "Removal", "percentage": 25, "due_date": EventDue(None)},
		{"label": "Install", "percentage": 50, "due_date": EventDue(None)},
	]
	plan = build_plan("4000", rows, today=TODAY)
	assert [row.due_date for row in plan.installments] == [START, None, None]
	assert plan.amounts == [1000, 1000, 2000]
