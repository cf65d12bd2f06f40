"""Pay applications: the continuation sheet's lines and the summary that ties them."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from progress_billing.engine import PlanError, Retainage
from progress_billing.engine.pay_application import (
	LineInput,
	lines_for_period,
	period_retainage,
	summarize,
)

D = Decimal
TEN = Retainage(D(10))


def test_a_line_given_as_a_percentage_or_an_amount_and_one_left_where_it_was():
	lines = lines_for_period(
		[
			LineInput("a", D(50000), work_to_date=D(12500)),
			LineInput("b", D(30000), percent_to_date=D("33.333")),
			LineInput("c", D(20000), previous_work=D(4000), previous_stored=D(1000)),
		],
		2,
	)
	assert [(line.this_period, line.stored, line.work_to_date) for line in lines] == [
		(D(12500), D(0), D(12500)),
		(D("9999.90"), D(0), D("9999.90")),
		(D(0), D(1000), D(4000)),
	]
	assert lines[2].billed_this_period == 0
	assert lines[0].percent_complete() == D(25)
	assert lines[0].balance_to_finish == D(37500)


def test_stored_materials_installed_later_bill_nothing_twice():
	# 8,000 of materials stored last month; this month they are installed with 2,000 of labour.
	line = lines_for_period(
		[
			LineInput(
				"a",
				D(40000),
				previous_work=D(10000),
				previous_stored=D(8000),
				work_to_date=D(20000),
				stored=D(0),
			)
		],
		2,
	)[0]
	assert line.this_period == D(10000)
	assert line.billed_this_period == D(2000)


@pytest.mark.parametrize(
	"given, words",
	[
		(LineInput("a", D(100), work_to_date=D(101)), "change order"),
		(LineInput("a", D(100), work_to_date=D(60), stored=D(41)), "change order"),
		(LineInput("a", D(100), previous_work=D(50), work_to_date=D(40)), "cancel and amend"),
		(LineInput("a", D(100), previous_stored=D(30), stored=D(0)), "cancel and amend"),
		(LineInput("a", D(100), percent_to_date=D(120)), "100%"),
		(LineInput("a", D(100), work_to_date=D("1.001")), "decimal places"),
		(LineInput("a", D(100), stored=D(-1)), "negative"),
	],
)
def test_a_line_beyond_its_value_or_going_back_is_refused_with_its_row(given, words):
	with pytest.raises(PlanError) as refusal:
		lines_for_period([LineInput("x", D(10)), given], 2)
	assert refusal.value.row == 2
	assert words in refusal.value.message.format(*refusal.value.params)


def test_the_summary_of_a_first_application():
	lines = lines_for_period(
		[LineInput("a", D(150000), work_to_date=D(30000)), LineInput("b", D(112000), stored=D(5000))], 2
	)
	summary = summarize(lines, D(250000), D(0), TEN, 2)
	assert summary.net_change_by_change_orders == D(12000)
	assert summary.contract_sum_to_date == D(262000)
	assert summary.total_completed_and_stored == D(35000)
	assert (summary.retainage_on_completed, summary.retainage_on_stored) == (D(3000), D(500))
	assert summary.total_earned_less_retainage == D(31500)
	assert summary.current_payment_due == D(31500)
	assert summary.balance_to_finish_including_retainage == D(230500)


cents = st.integers(min_value=0, max_value=10**8).map(lambda units: D(units).scaleb(-2))


@st.composite
def jobs(draw):
	"""A schedule of values and three periods of progress that only go forward."""
	count = draw(st.integers(1, 6))
	scheduled = [draw(cents) + D(1) for _ in range(count)]
	periods = []
	for _period in range(3):
		rows = []
		for _value in scheduled:
			work = draw(st.integers(0, 100))
			stored = draw(st.integers(0, 100 - work))
			rows.append((work, stored))
		periods.append(rows)
	rate = D(draw(st.integers(0, 20)))
	step = draw(st.one_of(st.none(), st.integers(1, 99)))
	terms = Retainage(rate, D(step), rate / 2) if rate and step else Retainage(rate)
	return scheduled, periods, terms


@given(jobs())
def test_periods_tie_to_each_other_and_to_the_summary(job):
	scheduled, periods, terms = job
	previous = {idx: (D(0), D(0)) for idx in range(len(scheduled))}
	certified, withheld, billed = D(0), D(0), D(0)
	for period in periods:
		inputs = []
		for idx, (value, (work_pct, stored_pct)) in enumerate(zip(scheduled, period, strict=True)):
			before_work, before_stored = previous[idx]
			work = max(before_work, (value * work_pct / 100).quantize(D("0.01")))
			stored = max(
				(value * stored_pct / 100).quantize(D("0.01")), before_work + before_stored - work, D(0)
			)
			stored = min(stored, value - work)
			inputs.append(
				LineInput(str(idx), value, before_work, before_stored, work_to_date=work, stored=stored)
			)
		lines = lines_for_period(inputs, 2)
		summary = summarize(lines, sum(scheduled), certified, terms, 2)
		for line in lines:
			# This period = to date less previous, per line; never above the line's value.
			assert line.billed_this_period == line.completed_and_stored - line.previous
			assert line.completed_and_stored <= line.scheduled
		period_billed = sum((line.billed_this_period for line in lines), D(0))
		assert period_billed == summary.total_completed_and_stored - billed
		# The summary's lines tie exactly.
		assert (
			summary.contract_sum_to_date
			== summary.original_contract_sum + summary.net_change_by_change_orders
		)
		assert summary.total_retainage == summary.retainage_on_completed + summary.retainage_on_stored
		assert (
			summary.total_earned_less_retainage
			== summary.total_completed_and_stored - summary.total_retainage
		)
		assert (
			summary.current_payment_due == summary.total_earned_less_retainage - summary.previous_certificates
		)
		assert (
			summary.balance_to_finish_including_retainage
			== summary.contract_sum_to_date - summary.total_earned_less_retainage
		)
		# What the period's invoice asks: its work less its share of the retainage.
		kept = period_retainage(summary, withheld)
		assert kept >= 0
		assert period_billed - kept == summary.current_payment_due
		certified += summary.current_payment_due
		withheld += kept
		billed += period_billed
		previous = {int(line.key): (line.work_to_date, line.stored) for line in lines}
