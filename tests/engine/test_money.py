from decimal import Decimal

import pytest

from progress_billing.engine import PlanError, split_by_weights, to_decimal, unit
from progress_billing.engine.money import has_more_places, round_to, split_never_negative
from tests.engine.helpers import D


@pytest.mark.parametrize("precision, expected", [(0, "1"), (2, "0.01"), (3, "0.001")])
def test_unit_is_the_smallest_amount(precision, expected):
	assert unit(precision) == D(expected)


@pytest.mark.parametrize(
	"value, expected", [(0.1, "0.1"), (1000, "1000"), ("12.50", "12.50"), (D("3.3"), "3.3")]
)
def test_to_decimal_takes_numbers_without_float_noise(value, expected):
	assert to_decimal(value) == D(expected)


@pytest.mark.parametrize("value", ["abc", "", "NaN", "Infinity", True, None])
def test_to_decimal_refuses_what_is_not_a_number(value):
	with pytest.raises(PlanError):
		to_decimal(value)


@pytest.mark.parametrize(
	"value, precision, expected",
	[("2.345", 2, "2.35"), ("2.344", 2, "2.34"), ("0.5", 0, "1"), ("1.0005", 3, "1.001")],
)
def test_round_to_rounds_half_up(value, precision, expected):
	assert round_to(D(value), precision) == D(expected)


@pytest.mark.parametrize(
	"value, precision, more", [("1.005", 2, True), ("1.00", 2, False), ("1.5", 0, True), ("7", 0, False)]
)
def test_has_more_places(value, precision, more):
	assert has_more_places(D(value), precision) is more


def test_split_puts_the_remainder_on_the_first_part():
	assert split_by_weights(D("1000.00"), [D(1)] * 3, 2) == [D("333.34"), D("333.33"), D("333.33")]


def test_split_at_precision_zero():
	assert split_by_weights(D("100"), [D(1)] * 3, 0) == [D(34), D(33), D(33)]


def test_split_at_precision_three():
	assert split_by_weights(D("1.000"), [D(1)] * 3, 3) == [D("0.334"), D("0.333"), D("0.333")]


def test_a_plain_split_of_a_tiny_total_can_leave_the_first_part_negative():
	assert split_by_weights(D("0.05"), [D(1)] * 7, 2)[0] == D("-0.01")


def test_split_never_negative_rounds_the_others_down_instead():
	parts = split_never_negative(D("0.05"), [D(1)] * 7, 2)
	assert parts == [D("0.05")] + [D(0)] * 6


def test_split_never_negative_keeps_the_plain_split_when_it_is_fine():
	assert split_never_negative(D("1000"), [D(1)] * 3, 2) == split_by_weights(D("1000"), [D(1)] * 3, 2)


def test_split_refuses_weights_that_add_to_nothing():
	with pytest.raises(ValueError):
		split_by_weights(D(10), [Decimal(0), Decimal(0)], 2)


def test_split_of_nothing_is_empty():
	assert split_by_weights(D(10), [], 2) == []
