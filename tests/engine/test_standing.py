from datetime import timedelta
from types import SimpleNamespace

from progress_billing.engine import (
	ACTIVE,
	CANCELLED,
	COLLECTED,
	COLLECTED_WITH_BALANCE,
	COMPLETED,
	DUE_NOW,
	PAID,
	PARTLY_PAID,
	PAST_DUE,
	PLAN_CANCELLED,
	UNPAID,
	UPCOMING,
	plan_standing,
)
from tests.engine.helpers import TODAY, D


def row(idx, outstanding, days, status=UNPAID, label=None):
	due = None if days is None else TODAY + timedelta(days=days)
	return SimpleNamespace(
		idx=idx, label=label or f"Stage {idx}", outstanding_amount=D(outstanding), due_date=due, status=status
	)


def standing(rows, outstanding, plan_status=ACTIVE):
	return plan_standing(rows, plan_status=plan_status, invoice_outstanding=D(outstanding), today=TODAY)


def kind_and_amount(rows, outstanding, plan_status=ACTIVE):
	result = standing(rows, outstanding, plan_status)
	return result.kind, result.amount


def test_the_next_installment_not_yet_due_is_upcoming():
	result = standing([row(1, 0, -10, PAID), row(2, 1000, 20, label="Final")], 1000)
	assert (result.kind, result.amount, result.idx, result.label) == (UPCOMING, D(1000), 2, "Final")
	assert result.due_date == TODAY + timedelta(days=20)


def test_an_installment_due_today_is_due_now_for_what_is_left_of_it():
	assert kind_and_amount([row(1, 400, 0, PARTLY_PAID), row(2, 1000, 30)], 1400) == (DUE_NOW, D(400))


def test_past_due_adds_up_everything_that_fell_due_before_today():
	result = standing([row(1, 500, -40, PARTLY_PAID), row(2, 1000, -10), row(3, 1000, 20)], 2500)
	assert (result.kind, result.amount, result.idx) == (PAST_DUE, D(1500), 1)
	assert result.due_date == TODAY - timedelta(days=40)


def test_an_installment_waiting_on_an_event_is_upcoming_never_past_due():
	assert standing([row(1, 0, -5, PAID), row(2, 1000, None)], 1000).kind == UPCOMING


def test_everything_collected():
	assert kind_and_amount([row(1, 0, -5, PAID), row(2, 0, 5, PAID)], 0, COMPLETED) == (COLLECTED, D(0))


def test_everything_collected_but_a_refund_left_a_balance():
	assert kind_and_amount([row(1, 0, -5, PAID), row(2, 0, 5, PAID)], 250, COMPLETED) == (
		COLLECTED_WITH_BALANCE,
		D(250),
	)


def test_a_cancelled_plan_is_a_regular_bill_for_the_balance():
	rows = [row(1, 0, -5, PAID), row(2, 1000, 5, CANCELLED)]
	assert kind_and_amount(rows, 1000, CANCELLED) == (PLAN_CANCELLED, D(1000))
