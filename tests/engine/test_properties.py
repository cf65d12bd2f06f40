"""Invariants that hold for every plan, payment and recalculation, not just the examples."""

from datetime import timedelta
from decimal import Decimal
from itertools import pairwise

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from progress_billing.engine import (
	AMOUNT,
	PERCENTAGE,
	OverpaymentError,
	PlanError,
	allocate_receipts,
	build_plan,
	collected_for_plan,
	current_installment,
	recalculate_amounts,
	split_by_weights,
	unit,
)
from progress_billing.engine.money import split_never_negative
from tests.engine.helpers import TODAY

precisions = st.sampled_from([0, 2, 3])


@st.composite
def money(draw, precision, low=1, high=10**9):
	units = draw(st.integers(min_value=low, max_value=high))
	return Decimal(units).scaleb(-precision)


@st.composite
def percentages(draw):
	"""2 to 12 positive percentages at 6 places totalling exactly 100."""
	count = draw(st.integers(min_value=2, max_value=12))
	cuts = sorted(
		draw(st.lists(st.integers(1, 10**8 - 1), min_size=count - 1, max_size=count - 1, unique=True))
	)
	bounds = [0, *cuts, 10**8]
	return [Decimal(b - a).scaleb(-6) for a, b in pairwise(bounds)]


@st.composite
def plans(draw):
	precision = draw(precisions)
	shares = draw(percentages())
	target = draw(money(precision, low=10**3))
	rows = [{"label": f"Row {idx}", "percentage": share} for idx, share in enumerate(shares, 1)]
	try:
		plan = build_plan(target, rows, mode=PERCENTAGE, precision=precision, today=TODAY)
	except PlanError as refusal:
		assume("too small" not in str(refusal))
		raise
	return precision, plan


@settings(max_examples=150)
@given(plans())
def test_installments_sum_to_the_target_exactly_and_none_is_negative(case):
	precision, plan = case
	assert sum(plan.amounts) == plan.target
	assert all(amount > 0 for amount in plan.amounts)
	assert all(amount == amount.quantize(unit(precision)) for amount in plan.amounts)
	assert sum(row.percentage for row in plan.installments) == 100


@settings(max_examples=150)
@given(plans())
def test_every_row_but_the_first_is_its_rounded_share(case):
	precision, plan = case
	for row in plan.installments[1:]:
		assert abs(row.amount - plan.target * row.percentage / 100) <= unit(precision) / 2


@settings(max_examples=100)
@given(precisions, st.data())
def test_amount_mode_with_blank_rows_conserves_the_target(precision, data):
	target = data.draw(money(precision, low=10**4))
	count = data.draw(st.integers(2, 12))
	deposit = data.draw(st.integers(1, int(target / unit(precision)) // 2)) * unit(precision)
	rows = [{"label": "Deposit", "amount": deposit}] + [{"label": f"Draw {i}"} for i in range(2, count + 1)]
	plan = build_plan(target, rows, mode=AMOUNT, precision=precision, today=TODAY)
	assert sum(plan.amounts) == target
	assert plan.amounts[0] == deposit
	first_blank, *other_blanks = plan.amounts[1:]
	assert len(set(other_blanks)) <= 1
	if other_blanks:
		assert 0 <= first_blank - other_blanks[0] < unit(precision) * len(other_blanks) + unit(precision)
	assert sum(row.percentage for row in plan.installments) == 100


@settings(max_examples=150)
@given(plans(), st.data())
def test_cascade_pays_in_order_and_conserves_the_money(case, data):
	precision, plan = case
	received = data.draw(st.integers(0, int(plan.target / unit(precision)))) * unit(precision)
	states = allocate_receipts(plan.amounts, received)
	assert sum(state.paid_amount for state in states) == received
	assert all(0 <= state.paid_amount <= state.amount for state in states)
	assert all(state.outstanding_amount == state.amount - state.paid_amount for state in states)
	current = current_installment(states)
	if current is not None:
		assert all(state.outstanding_amount == 0 for state in states[: current - 1])
		assert all(state.paid_amount == 0 for state in states[current:])


@settings(max_examples=100)
@given(plans(), st.data())
def test_a_payment_then_its_cancellation_restores_the_exact_state(case, data):
	precision, plan = case
	step = unit(precision)
	before = data.draw(st.integers(0, int(plan.target / step))) * step
	payment = data.draw(st.integers(1, max(1, int((plan.target - before) / step)))) * step
	assume(before + payment <= plan.target)
	original = allocate_receipts(plan.amounts, before)
	allocate_receipts(plan.amounts, before + payment)
	assert allocate_receipts(plan.amounts, before + payment - payment) == original


@settings(max_examples=100)
@given(plans(), st.data())
def test_money_beyond_the_plan_is_always_refused(case, data):
	precision, plan = case
	extra = data.draw(st.integers(1, 10**6)) * unit(precision)
	try:
		allocate_receipts(plan.amounts, plan.target + extra)
	except OverpaymentError:
		return
	raise AssertionError("overpayment was accepted")


@settings(max_examples=100)
@given(plans(), st.data())
def test_refunds_never_lower_what_installments_have_been_paid(case, data):
	precision, plan = case
	step = unit(precision)
	receipts = data.draw(st.integers(0, int(plan.target / step))) * step
	refund = data.draw(st.integers(0, int(receipts / step))) * step
	with_refund = collected_for_plan(receipts, refund, plan.target)
	without = collected_for_plan(receipts, 0, plan.target)
	assert with_refund == without == receipts


@settings(max_examples=150)
@given(plans(), st.data())
def test_recalculation_conserves_the_new_total_and_what_was_paid(case, data):
	precision, plan = case
	step = unit(precision)
	collected = data.draw(st.integers(0, int(plan.target / step))) * step
	new_target = data.draw(st.integers(int(collected / step), int(plan.target / step) * 3)) * step
	percentages = [row.percentage for row in plan.installments]
	new = recalculate_amounts(percentages, plan.amounts, collected, new_target, precision=precision)

	assert sum(new) == new_target
	assert all(amount >= 0 for amount in new)
	assert all(amount == amount.quantize(step) for amount in new)
	before = allocate_receipts(plan.amounts, collected)
	after = allocate_receipts(new, collected)
	for old_state, new_amount, new_state in zip(before, new, after, strict=True):
		if old_state.outstanding_amount == 0 and (new_target < plan.target or old_state is not before[-1]):
			assert new_amount == old_state.amount
			assert new_state.outstanding_amount == 0
	assert sum(state.paid_amount for state in after) == collected


@settings(max_examples=100)
@given(plans(), st.data())
def test_recalculating_below_what_was_collected_is_refused(case, data):
	precision, plan = case
	step = unit(precision)
	collected = data.draw(st.integers(1, int(plan.target / step))) * step
	try:
		recalculate_amounts(
			[row.percentage for row in plan.installments],
			plan.amounts,
			collected,
			collected - step,
			precision=precision,
		)
	except PlanError:
		return
	raise AssertionError("a total below what was collected was accepted")


@settings(max_examples=150)
@given(precisions, st.data())
def test_splits_conserve_and_the_safe_split_never_goes_negative(precision, data):
	total = data.draw(money(precision, low=0, high=10**6))
	weights = data.draw(st.lists(st.integers(1, 10**6).map(Decimal), min_size=1, max_size=12))
	plain = split_by_weights(total, weights, precision)
	parts = split_never_negative(total, weights, precision)
	assert sum(plain) == sum(parts) == total
	assert all(part >= 0 for part in parts)


@settings(max_examples=100)
@given(st.lists(st.integers(0, 400), min_size=2, max_size=12), st.integers(1, 90))
def test_resolved_due_dates_are_in_order(gaps, interval):
	given_dates = [TODAY + timedelta(days=gap) if gap % 3 else None for gap in sorted(gaps)]
	try:
		plan = build_plan(
			"1200",
			[
				{"label": f"R{i}", "percentage": None, "amount": None, "due_date": d}
				for i, d in enumerate(given_dates)
			],
			mode=AMOUNT,
			today=TODAY,
			interval_days=interval,
		)
	except PlanError as refusal:
		assert refusal.row is not None and refusal.field == "due_date"
		return
	due = [row.due_date for row in plan.installments]
	assert due == sorted(due)
