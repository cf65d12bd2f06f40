import pytest

from progress_billing.engine import PlanError, allocate_receipts, recalculate_amounts
from tests.engine.helpers import D

THIRDS_PCT = [D("33.333334"), D("33.333333"), D("33.333333")]
THIRDS = [D(1000), D(1000), D(1000)]


def test_before_anything_is_paid_the_new_total_is_resplit_by_percentages():
	assert recalculate_amounts([D(60), D(40)], [D(600), D(400)], 0, D(1500)) == [D(900), D(600)]


def test_resplit_puts_the_remainder_on_the_first_row():
	assert recalculate_amounts(THIRDS_PCT, THIRDS, 0, D(1000)) == [D("333.34"), D("333.33"), D("333.33")]


def test_a_credit_note_after_the_deposit_spreads_the_rest_over_the_unpaid():
	assert recalculate_amounts(THIRDS_PCT, THIRDS, D(1000), D(2400)) == [D(1000), D(700), D(700)]


def test_a_debit_note_after_the_deposit_raises_the_unpaid():
	assert recalculate_amounts(THIRDS_PCT, THIRDS, D(1000), D(3600)) == [D(1000), D(1300), D(1300)]


def test_unpaid_rows_keep_their_relative_percentages():
	new = recalculate_amounts([D(20), D(30), D(50)], [D(200), D(300), D(500)], D(200), D(1800))
	assert new == [D(200), D(600), D(1000)]


def test_a_partly_paid_installment_is_resplit_and_its_money_cascades():
	new = recalculate_amounts(THIRDS_PCT, THIRDS, D(1500), D(1600))
	assert new == [D(1000), D(300), D(300)]
	assert [state.paid_amount for state in allocate_receipts(new, D(1500))] == [D(1000), D(300), D(200)]


def test_a_new_total_below_what_was_collected_is_refused():
	with pytest.raises(PlanError, match="less than the 1500 already collected"):
		recalculate_amounts(THIRDS_PCT, THIRDS, D(1500), D(1499))


def test_a_new_total_equal_to_what_was_collected_closes_the_plan():
	new = recalculate_amounts(THIRDS_PCT, THIRDS, D(1000), D(1000))
	assert new == [D(1000), D(0), D(0)]
	assert all(state.outstanding_amount == 0 for state in allocate_receipts(new, D(1000)))


def test_raising_a_fully_paid_plan_reopens_the_last_installment():
	new = recalculate_amounts(THIRDS_PCT, THIRDS, D(3000), D(3300))
	assert new == [D(1000), D(1000), D(1300)]


def test_a_new_total_finer_than_the_currency_is_refused():
	with pytest.raises(PlanError):
		recalculate_amounts(THIRDS_PCT, THIRDS, 0, D("10.001"))


def test_precision_zero_resplit():
	assert recalculate_amounts(THIRDS_PCT, [D(334), D(333), D(333)], 0, D(100), precision=0) == [
		D(34),
		D(33),
		D(33),
	]
