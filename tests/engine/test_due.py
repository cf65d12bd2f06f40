from datetime import date, timedelta

import pytest

from progress_billing.engine import DUE_TODAY, PAST_DUE, UPCOMING, days_overdue, due_group, due_sort_key
from tests.engine.helpers import TODAY


@pytest.mark.parametrize(
	"offset, group", [(-30, PAST_DUE), (-1, PAST_DUE), (0, DUE_TODAY), (1, UPCOMING), (365, UPCOMING)]
)
def test_due_group(offset, group):
	assert due_group(TODAY + timedelta(days=offset), TODAY) == group


def test_an_undated_installment_is_upcoming():
	assert due_group(None, TODAY) == UPCOMING


@pytest.mark.parametrize("offset, days", [(-10, 10), (-1, 1), (0, 0), (5, 0)])
def test_days_overdue(offset, days):
	assert days_overdue(TODAY + timedelta(days=offset), TODAY) == days


def test_days_overdue_of_an_undated_installment_is_zero():
	assert days_overdue(None, TODAY) == 0


def test_sort_puts_past_due_first_then_due_today_then_upcoming_each_by_date():
	due_dates = [
		date(2026, 12, 5),
		None,
		TODAY,
		date(2026, 11, 20),
		date(2026, 10, 1),
		date(2026, 11, 30),
	]
	ordered = sorted(due_dates, key=lambda due: due_sort_key(due, TODAY))
	assert ordered == [
		date(2026, 10, 1),
		date(2026, 11, 20),
		TODAY,
		date(2026, 11, 30),
		date(2026, 12, 5),
		None,
	]
