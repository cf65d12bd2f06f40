from datetime import date, datetime, timedelta

import pytest

from progress_billing.engine import PlanError, build_plan, resolve_due_dates
from tests.engine.helpers import TODAY, rows


def dates(*given, start=TODAY, interval=30):
	return resolve_due_dates(list(given), today=TODAY, start_date=start, interval_days=interval)


def test_a_blank_first_row_falls_on_the_invoice_date():
	assert dates(None, None)[0] == TODAY


def test_a_blank_first_row_falls_on_an_earlier_invoice_date_too():
	invoice_date = TODAY - timedelta(days=5)
	assert dates(None, None, start=invoice_date)[0] == invoice_date


def test_blank_rows_follow_the_previous_row_by_the_default_interval():
	assert dates(None, None, None) == [TODAY, TODAY + timedelta(30), TODAY + timedelta(60)]


def test_the_interval_can_be_changed():
	assert dates(None, None, interval=14) == [TODAY, TODAY + timedelta(14)]


def test_blank_rows_follow_a_given_date():
	given = date(2027, 1, 1)
	assert dates(None, given, None) == [TODAY, given, given + timedelta(30)]


def test_equal_dates_are_in_order():
	assert dates(TODAY, TODAY) == [TODAY, TODAY]


def test_iso_strings_and_datetimes_are_read():
	assert dates("2026-12-01", datetime(2027, 1, 1, 9, 30)) == [date(2026, 12, 1), date(2027, 1, 1)]


def test_a_date_in_the_past_is_refused_naming_the_row():
	with pytest.raises(PlanError, match="Row 2: the due date 2026-11-20 is in the past") as refusal:
		dates(None, TODAY - timedelta(days=1))
	assert refusal.value.row == 2
	assert refusal.value.field == "due_date"


def test_a_date_before_the_previous_row_is_refused():
	with pytest.raises(PlanError, match="Row 2: the due date 2026-12-01 is before the due date of row 1"):
		dates(date(2026, 12, 2), date(2026, 12, 1))


def test_a_date_before_a_computed_previous_date_is_refused():
	with pytest.raises(PlanError, match="Row 3"):
		dates(None, None, TODAY + timedelta(days=10))


def test_something_that_is_not_a_date_is_refused():
	with pytest.raises(PlanError, match="Row 1: soon is not a date"):
		dates("soon", None)


@pytest.mark.parametrize("interval", [0, -3])
def test_an_interval_under_a_day_is_refused(interval):
	with pytest.raises(PlanError, match="at least one day"):
		dates(None, None, interval=interval)


def test_build_plan_fills_dates_from_the_invoice_date():
	invoice_date = date(2026, 11, 1)
	plan = build_plan("900", rows("50", "50"), today=TODAY, start_date=invoice_date)
	assert [row.due_date for row in plan.installments] == [invoice_date, invoice_date + timedelta(30)]


def test_build_plan_refuses_dates_out_of_order():
	data = rows("50", "50", dates=[date(2027, 2, 1), date(2027, 1, 1)])
	with pytest.raises(PlanError, match="Row 2"):
		build_plan("900", data, today=TODAY)
