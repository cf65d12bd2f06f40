"""Moving what is not paid yet: labels and dates of unpaid installments, nothing else."""

from datetime import date

import pytest

from progress_billing.engine import PlanError, reschedule_unpaid

TODAY = date(2026, 6, 1)


def plan():
	return [
		{"label": "Deposit", "due_date": date(2026, 5, 1), "paid_amount": 1000},
		{"label": "Rough-in", "due_date": date(2026, 6, 15), "paid_amount": 0},
		{"label": "Final", "due_date": date(2026, 7, 15), "paid_amount": 0},
	]


def test_an_unpaid_installment_moves_and_is_renamed():
	rows = reschedule_unpaid(
		plan(), {2: {"due_date": "2026-06-30", "label": "Rough-in (slipped)"}}, today=TODAY
	)
	assert rows[1] == {"label": "Rough-in (slipped)", "due_date": date(2026, 6, 30)}
	assert rows[0]["due_date"] == date(2026, 5, 1)  # a paid row's past date is history, not a refusal


def test_a_row_with_money_on_it_cannot_change():
	with pytest.raises(PlanError, match="Row 1: money has been applied") as refusal:
		reschedule_unpaid(plan(), {1: {"due_date": "2026-06-02"}}, today=TODAY)
	assert refusal.value.row == 1


def test_a_partly_paid_row_cannot_change_either():
	rows = plan()
	rows[1]["paid_amount"] = "0.01"
	with pytest.raises(PlanError, match="Row 2: money has been applied"):
		reschedule_unpaid(rows, {2: {"label": "New"}}, today=TODAY)


def test_a_date_in_the_past_or_out_of_order_is_refused():
	with pytest.raises(PlanError, match="in the past"):
		reschedule_unpaid(plan(), {2: {"due_date": "2026-05-31"}}, today=TODAY)
	with pytest.raises(PlanError, match=r"Row 3: the due date .* is before the due date of row 2"):
		reschedule_unpaid(plan(), {2: {"due_date": "2026-08-01"}}, today=TODAY)


def test_moving_two_rows_together_keeps_them_in_order():
	rows = reschedule_unpaid(
		plan(), {2: {"due_date": "2026-08-01"}, 3: {"due_date": "2026-09-01"}}, today=TODAY
	)
	assert [row["due_date"] for row in rows] == [date(2026, 5, 1), date(2026, 8, 1), date(2026, 9, 1)]


def test_a_row_that_follows_a_task_keeps_its_date_but_may_be_renamed():
	rows = plan()
	rows[2]["follows_task"] = True
	with pytest.raises(PlanError, match="follows its task"):
		reschedule_unpaid(rows, {3: {"due_date": "2026-09-01"}}, today=TODAY)
	assert reschedule_unpaid(rows, {3: {"label": "Install"}}, today=TODAY)[2]["label"] == "Install"


def test_a_blank_label_or_an_unknown_row_is_refused():
	with pytest.raises(PlanError, match="Row 2: a label is required"):
		reschedule_unpaid(plan(), {2: {"label": " "}}, today=TODAY)
	with pytest.raises(PlanError, match="no row 4"):
		reschedule_unpaid(plan(), {4: {"label": "Extra"}}, today=TODAY)
