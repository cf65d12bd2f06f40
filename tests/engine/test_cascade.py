import pytest

from progress_billing.engine import (
	ACTIVE,
	CANCELLED,
	COMPLETED,
	PAID,
	PARTLY_PAID,
	UNPAID,
	OverpaymentError,
	PlanError,
	allocate_receipts,
	current_installment,
	plan_status,
)
from tests.engine.helpers import D

THIRDS = [D(1000), D(1000), D(1000)]


def paid(states):
	return [state.paid_amount for state in states]


def test_2500_over_three_thousands_pays_two_and_half_the_third():
	states = allocate_receipts(THIRDS, D(2500))
	assert paid(states) == [D(1000), D(1000), D(500)]
	assert [state.outstanding_amount for state in states] == [0, 0, D(500)]
	assert [state.status for state in states] == [PAID, PAID, PARTLY_PAID]
	assert current_installment(states) == 3
	assert plan_status(states) == ACTIVE


def test_nothing_received_leaves_everything_unpaid_and_the_first_current():
	states = allocate_receipts(THIRDS, 0)
	assert [state.status for state in states] == [UNPAID] * 3
	assert current_installment(states) == 1


@pytest.mark.parametrize(
	"received, expected",
	[
		("1", ["1", "0", "0"]),
		("999.99", ["999.99", "0", "0"]),
		("1000", ["1000", "0", "0"]),
		("1000.01", ["1000", "0.01", "0"]),
		("2000", ["1000", "1000", "0"]),
		("2999.99", ["1000", "1000", "999.99"]),
	],
)
def test_money_fills_the_oldest_unpaid_installment_first(received, expected):
	assert paid(allocate_receipts(THIRDS, D(received))) == [D(value) for value in expected]


def test_the_whole_plan_received_completes_it():
	states = allocate_receipts(THIRDS, D(3000))
	assert current_installment(states) is None
	assert plan_status(states) == COMPLETED


def test_money_beyond_the_plan_is_refused():
	with pytest.raises(OverpaymentError, match="more than the 3000 the plan asks for"):
		allocate_receipts(THIRDS, D("3000.01"))


def test_negative_money_is_refused():
	with pytest.raises(PlanError, match="cannot be negative"):
		allocate_receipts(THIRDS, D(-1))


def test_a_cancelled_plan_keeps_what_was_paid_and_cancels_the_rest():
	states = allocate_receipts(THIRDS, D(1500), cancelled=True)
	assert [state.status for state in states] == [PAID, CANCELLED, CANCELLED]
	assert paid(states) == [D(1000), D(500), D(0)]
	assert current_installment(states) is None
	assert plan_status(states, cancelled=True) == CANCELLED


def test_unequal_installments_cascade_in_order():
	states = allocate_receipts([D(250), D(500), D(250)], D(600))
	assert paid(states) == [D(250), D(350), D(0)]
	assert current_installment(states) == 2


def test_precision_zero_amounts():
	assert paid(allocate_receipts([D(334), D(333), D(333)], D(500))) == [D(334), D(166), D(0)]
