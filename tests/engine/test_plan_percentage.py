import pytest

from progress_billing.engine import PERCENTAGE, PlanError, build_plan
from tests.engine.helpers import TODAY, D, rows


def plan(target, *percentages, precision=2, **kwargs):
	return build_plan(target, rows(*percentages), mode=PERCENTAGE, precision=precision, today=TODAY, **kwargs)


def test_thirds_of_a_thousand_put_the_cent_on_the_first_row():
	assert plan("1000.00", "33.333333", "33.333333", "33.333334").amounts == [
		D("333.34"),
		D("333.33"),
		D("333.33"),
	]


@pytest.mark.parametrize(
	"target, percentages, expected",
	[
		("1000", ["50", "50"], ["500", "500"]),
		("1000", ["60", "40"], ["600", "400"]),
		("999.99", ["50", "50"], ["499.99", "500.00"]),
		("0.03", ["50", "50"], ["0.01", "0.02"]),
		("2500", ["10", "20", "30", "40"], ["250", "500", "750", "1000"]),
		("100", ["12.5", "87.5"], ["12.50", "87.50"]),
	],
)
def test_every_row_but_the_first_is_rounded_and_the_first_takes_the_rest(target, percentages, expected):
	assert plan(target, *percentages).amounts == [D(value) for value in expected]


@pytest.mark.parametrize(
	"precision, target, expected",
	[(0, "1000", ["334", "333", "333"]), (3, "1000.000", ["333.334", "333.333", "333.333"])],
)
def test_other_precisions(precision, target, expected):
	result = plan(target, "33.333333", "33.333333", "33.333334", precision=precision)
	assert result.amounts == [D(value) for value in expected]


def test_percentages_within_a_millionth_of_100_are_accepted_and_made_exact():
	result = plan("1000", "33.333333", "33.333333", "33.333333")
	assert [row.percentage for row in result.installments] == [D("33.333334"), D("33.333333"), D("33.333333")]
	assert sum(row.percentage for row in result.installments) == 100


@pytest.mark.parametrize("percentages", [["50", "49.999998"], ["50", "50.1"], ["30", "30"], ["60", "60"]])
def test_percentages_off_by_more_than_a_millionth_are_refused(percentages):
	with pytest.raises(PlanError, match="must total exactly 100%"):
		plan("1000", *percentages)


@pytest.mark.parametrize("bad, message", [("0", "greater than zero"), ("-10", "greater than zero")])
def test_zero_or_negative_percentages_are_refused_naming_the_row(bad, message):
	with pytest.raises(PlanError, match=message) as refusal:
		plan("1000", "100", bad)
	assert refusal.value.row == 2
	assert refusal.value.field == "percentage"


def test_a_missing_percentage_is_refused():
	with pytest.raises(PlanError, match="Row 1: enter a percentage") as refusal:
		plan("1000", None, "100")
	assert refusal.value.row == 1


def test_a_percentage_that_is_not_a_number_is_refused():
	with pytest.raises(PlanError, match="Row 2: abc is not a number"):
		plan("1000", "50", "abc")


def test_percentages_are_rounded_to_six_places_as_a_percent_field_is():
	# A JavaScript client's thirds: 100 / 3 == 33.333333333333336.
	thirds = plan("3000", 100 / 3, 100 / 3, 100 / 3)
	assert [row.percentage for row in thirds.installments] == [D("33.333334"), D("33.333333"), D("33.333333")]
	assert thirds.amounts == [D("1000.00"), D("1000.00"), D("1000.00")]
	assert plan("1000", "50.0000001", "49.9999999").amounts == [D("500.00"), D("500.00")]


def test_percentages_that_are_really_off_are_still_refused_after_rounding():
	with pytest.raises(PlanError, match=r"add up to 99\.999996"):
		plan("1000", "33.3333324", "33.3333324", "33.3333324")
	with pytest.raises(PlanError, match="greater than zero"):
		plan("1000", "0.0000001", "99.9999999")


def test_float_percentages_from_json_are_read_exactly():
	assert plan(1000.0, 33.333333, 33.333333, 33.333334).amounts[0] == D("333.34")


@pytest.mark.parametrize("count", [0, 1, 13, 20])
def test_fewer_than_two_or_more_than_twelve_rows_are_refused(count):
	percentages = ["1"] * count
	with pytest.raises(PlanError, match="between 2 and 12 rows"):
		plan("1000", *percentages)


@pytest.mark.parametrize("count", [2, 5, 12])
def test_two_to_twelve_rows_are_accepted(count):
	share = (D(100) / count).quantize(D("0.000001"))
	result = plan("1000", 100 - share * (count - 1), *[share] * (count - 1))
	assert len(result.installments) == count
	assert sum(result.amounts) == D(1000)


@pytest.mark.parametrize("label", ["", "   ", None])
def test_a_blank_label_is_refused(label):
	data = rows("50", "50")
	data[1]["label"] = label
	with pytest.raises(PlanError, match="Row 2: a label is required") as refusal:
		build_plan("1000", data, today=TODAY)
	assert refusal.value.field == "label"


def test_labels_are_trimmed():
	data = rows("50", "50")
	data[0]["label"] = "  Deposit "
	assert build_plan("1000", data, today=TODAY).installments[0].label == "Deposit"


@pytest.mark.parametrize("target", ["0", "-5", None, ""])
def test_a_target_of_nothing_is_refused(target):
	with pytest.raises(PlanError):
		plan(target, "50", "50")


def test_a_target_with_more_places_than_the_currency_is_refused():
	with pytest.raises(PlanError, match="more decimal places"):
		plan("10.005", "50", "50")


def test_twelve_equal_six_place_shares_short_of_100_are_refused():
	with pytest.raises(PlanError, match=r"add up to 99\.999996%"):
		plan("1000", *["8.333333"] * 12)


def test_a_share_whose_rounding_leaves_the_first_row_nothing_is_refused():
	with pytest.raises(PlanError, match="too small to split"):
		plan("32134", "0.000001", "0.05135", "0.00778", "99.940869", precision=0)


def test_a_target_too_small_to_split_is_refused():
	with pytest.raises(PlanError, match="too small to split"):
		plan("0.02", "33.333333", "33.333333", "33.333334")


def test_an_unknown_mode_is_refused():
	with pytest.raises(PlanError, match="Choose how to split"):
		build_plan("1000", rows("50", "50"), mode="Thirds", today=TODAY)


def test_rows_are_numbered_from_one_in_order():
	result = plan("1000", "50", "50")
	assert [row.idx for row in result.installments] == [1, 2]
	assert [row.label for row in result.installments] == ["Stage 1", "Stage 2"]
