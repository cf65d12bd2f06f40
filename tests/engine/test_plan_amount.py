import pytest

from progress_billing.engine import AMOUNT, PlanError, build_plan
from tests.engine.helpers import TODAY, D, rows


def plan(target, *amounts, precision=2):
	return build_plan(target, rows(*amounts, key="amount"), mode=AMOUNT, precision=precision, today=TODAY)


def test_amounts_that_total_the_target_are_kept():
	assert plan("3000", "1000", "500", "1500").amounts == [D(1000), D(500), D(1500)]


def test_a_deposit_with_blank_rows_shares_the_rest_equally():
	assert plan("3000", "1000", None, None).amounts == [D(1000), D(1000), D(1000)]


def test_the_remainder_goes_on_the_first_blank_row():
	assert plan("1000", "100", None, None, None).amounts == [D(100), D("300.00"), D("300.00"), D("300.00")]
	# Equal shares are rounded down; the first blank row takes the remainder.
	assert plan("1000.00", "0.01", None, None).amounts == [D("0.01"), D("500.00"), D("499.99")]
	assert plan("9999", "1", None, None, None, None, precision=0).amounts == [
		D(1),
		D(2501),
		D(2499),
		D(2499),
		D(2499),
	]


def test_blank_rows_anywhere_share_the_rest():
	assert plan("1000", None, "400", None).amounts == [D("300.00"), D(400), D("300.00")]


def test_all_blank_rows_split_the_target_equally():
	assert plan("100", None, None, None, precision=0).amounts == [D(34), D(33), D(33)]


def test_percentages_are_derived_and_total_exactly_100():
	result = plan("3000", "1000", None, None)
	percentages = [row.percentage for row in result.installments]
	assert sum(percentages) == 100
	assert percentages == [D("33.333334"), D("33.333333"), D("33.333333")]


def test_amounts_short_of_the_target_are_refused():
	with pytest.raises(PlanError, match="they must total exactly 3000"):
		plan("3000", "1000", "1000")


def test_amounts_over_the_target_are_refused():
	with pytest.raises(PlanError, match="they must total exactly 1000"):
		plan("1000", "600", "600")


def test_filled_rows_that_leave_nothing_for_the_blanks_are_refused():
	with pytest.raises(PlanError, match="nothing is left for the blank rows"):
		plan("1000", "1000", None)


@pytest.mark.parametrize("bad", ["0", "-1"])
def test_zero_or_negative_amounts_are_refused_naming_the_row(bad):
	with pytest.raises(PlanError, match="Row 2: the amount must be greater than zero") as refusal:
		plan("1000", "1000", bad)
	assert refusal.value.row == 2
	assert refusal.value.field == "amount"


def test_amounts_finer_than_the_currency_are_refused():
	with pytest.raises(PlanError, match="more decimal places"):
		plan("1000", "500.005", None)


def test_amount_mode_at_precision_zero_refuses_cents():
	with pytest.raises(PlanError, match="more decimal places"):
		plan("1000", "500.5", None, precision=0)


def test_a_blank_share_too_small_to_split_is_refused():
	with pytest.raises(PlanError, match="too small to split"):
		plan("1000.00", "999.99", None, None)
