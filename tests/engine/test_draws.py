"""Invoice each draw: what draws are worth, what they bill of each line, their states."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from progress_billing.engine import (
	PAID,
	PARTLY_PAID,
	UNPAID,
	Draw,
	PlanError,
	draw_amounts,
	draw_state,
	draw_states,
	line_rows,
	lines_for_draw,
)
from progress_billing.engine.draws import DRAFT, DRAW_PAID, DRAW_PARTLY_PAID, INVOICED, SCHEDULED
from tests.engine.helpers import D


def draws(*percentages, invoiced=None):
	invoiced = invoiced or {}
	return [
		Draw(D(pct), *(invoiced[idx] if idx in invoiced else (None, D(0))))
		for idx, pct in enumerate(percentages)
	]


def test_before_any_invoice_draws_split_the_order_total_with_the_remainder_on_the_first():
	assert draw_amounts(D("1000.00"), draws("33.33", "33.33", "33.34"), 2) == [
		D("333.30"),
		D("333.30"),
		D("333.40"),
	]
	# 100.01 at 30/30/40: 30.00 and 40.00 rounded, the first takes the cent left over.
	assert draw_amounts(D("100.01"), draws("30", "30", "40"), 2) == [D("30.01"), D("30.00"), D("40.00")]


def test_an_invoiced_draw_keeps_its_invoice_total_and_the_others_share_what_is_left():
	amounts = draw_amounts(D("1100.00"), draws("40", "30", "30", invoiced={0: (D("440.00"), D(0))}), 2)
	assert amounts == [D("440.00"), D("330.00"), D("330.00")]
	# The order's total rose by 110 (Update Items): only the draws not yet invoiced change.
	amounts = draw_amounts(D("1210.00"), draws("40", "30", "30", invoiced={0: (D("440.00"), D(0))}), 2)
	assert amounts == [D("440.00"), D("385.00"), D("385.00")]


def test_a_total_below_what_is_invoiced_is_refused():
	with pytest.raises(PlanError):
		draw_amounts(D("400.00"), draws("40", "60", invoiced={0: (D("440.00"), D(0))}), 2)
	with pytest.raises(PlanError):
		draw_amounts(
			D("1000.00"), draws("50", "50", invoiced={0: (D("440.00"), D(0)), 1: (D("500.00"), D(0))}), 2
		)


def test_every_draw_invoiced_leaves_each_at_its_invoice():
	invoiced = {0: (D("500.00"), D(0)), 1: (D("500.00"), D(0))}
	assert draw_amounts(D("1000.00"), draws("50", "50", invoiced=invoiced), 2) == [D("500.00"), D("500.00")]


def test_deposits_cover_draws_not_yet_invoiced_oldest_first_and_invoices_pay_their_own():
	plan = draws("20", "40", "40", invoiced={1: (D("400.00"), D("150.00"))})
	states = draw_states([D("200.00"), D("400.00"), D("400.00")], plan, D("250.00"))
	assert [(state.paid_amount, state.status) for state in states] == [
		(D("200.00"), PAID),
		(D("150.00"), PARTLY_PAID),
		(D("50.00"), PARTLY_PAID),
	]
	states = draw_states([D("200.00"), D("400.00"), D("400.00")], draws("20", "40", "40"), D(0))
	assert {state.status for state in states} == {UNPAID}


def test_money_counted_twice_for_a_moment_never_overpays_a_draw():
	# Mid-submit, the deposit is still the order's while the new invoice's ledger shows it.
	plan = draws("50", "50", invoiced={0: (D("500.00"), D("500.00"))})
	states = draw_states([D("500.00"), D("500.00")], plan, D("1000.00"))
	assert [(state.paid_amount, state.status) for state in states] == [
		(D("500.00"), PAID),
		(D("500.00"), PAID),
	]


@pytest.mark.parametrize(
	"docstatus, paid, expected",
	[
		(None, "0", SCHEDULED),
		(None, "100", SCHEDULED),  # a deposit covers it, but it is not invoiced yet
		(2, "0", SCHEDULED),  # its invoice was cancelled: it can be invoiced again
		(0, "0", DRAFT),
		(1, "0", INVOICED),
		(1, "40", DRAW_PARTLY_PAID),
		(1, "100", DRAW_PAID),
	],
)
def test_draw_state(docstatus, paid, expected):
	assert draw_state(docstatus, D(paid), D("100")) == expected


def test_a_draw_bills_its_share_of_each_line_and_the_last_bills_every_remainder():
	assert lines_for_draw([D("600.00"), D("400.00")], D("330.00"), D("1100.00"), 2) == [
		D("180.00"),
		D("120.00"),
	]
	remaining = [D("419.99"), D("280.01")]
	assert lines_for_draw(remaining, D("770.00"), D("770.00"), 2) == remaining


def test_a_line_bills_its_share_exactly_in_whole_units():
	assert line_rows(D("100.00"), D("3"), 2) == [(D("2"), D("33.33")), (D("1"), D("33.34"))]
	assert line_rows(D("333.30"), D("3"), 2) == [(D("3"), D("111.10"))]
	assert line_rows(D("99.99"), D("1"), 2) == [(D("1"), D("99.99"))]


@given(
	share=st.decimals("0", "100000", places=2),
	qty=st.integers(1, 500),
)
def test_line_rows_always_bill_the_share_in_whole_units(share, qty):
	rows = line_rows(share, Decimal(qty), 2)
	assert sum(row_qty * rate for row_qty, rate in rows) == share
	assert sum(row_qty for row_qty, _rate in rows) == qty
	assert all(row_qty > 0 and row_qty == row_qty.to_integral_value() and rate >= 0 for row_qty, rate in rows)


@given(
	lines=st.lists(st.decimals("0", "100000", places=2), min_size=1, max_size=6),
	draw_values=st.lists(st.decimals("0.01", "100000", places=2), min_size=2, max_size=8),
)
def test_a_lines_draws_add_up_to_the_line_and_never_bill_more_than_is_left(lines, draw_values):
	remaining, open_total = list(lines), sum(draw_values, Decimal(0))
	for amount in draw_values:
		billed = lines_for_draw(remaining, amount, open_total, 2)
		assert all(0 <= part <= left for part, left in zip(billed, remaining, strict=True))
		remaining = [left - part for left, part in zip(remaining, billed, strict=True)]
		open_total -= amount
	assert remaining == [Decimal(0)] * len(lines)


@given(
	total=st.decimals("1", "1000000", places=2),
	percentages=st.lists(st.integers(1, 100), min_size=2, max_size=12),
	invoiced_count=st.integers(0, 11),
)
def test_draws_always_add_up_to_the_order_total(total, percentages, invoiced_count):
	weights = [Decimal(p) for p in percentages]
	first = draw_amounts(total, [Draw(w) for w in weights], 2)
	count = min(invoiced_count, len(weights) - 1)
	plan = [
		Draw(w, a if idx < count else None) for idx, (w, a) in enumerate(zip(weights, first, strict=True))
	]
	amounts = draw_amounts(total, plan, 2)
	assert sum(amounts) == total
	assert amounts[:count] == first[:count]
