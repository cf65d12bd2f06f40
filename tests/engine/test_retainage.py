"""Retainage: what each draw withholds, the step-down, releases, and draws' states."""

from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from progress_billing.engine import (
	PAID,
	PARTLY_PAID,
	Draw,
	Held,
	PlanError,
	Retainage,
	check_release,
	draw_states,
	make_retainage,
	retained_on,
	split_never_negative,
)

D = Decimal
TEN_THEN_FIVE = Retainage(D(10), D(50), D(5))


def test_no_rate_means_no_retainage():
	assert make_retainage(0) == Retainage()
	assert make_retainage(None) == Retainage()
	assert retained_on(D(1000), 0, D(5000), Retainage(), 2) == 0


def test_a_flat_rate_retains_its_share_of_the_work():
	assert retained_on(D("20000"), 0, D("100000"), make_retainage(10), 2) == D("2000.00")
	assert retained_on(D("333.33"), 0, D("1000"), make_retainage(10), 2) == D("33.33")


def test_the_step_down_splits_the_draw_that_crosses_it():
	# 100,000 job, 10% until 50% billed, then 5%: the draw from 40,000 to 60,000 retains
	# 10% of its first 10,000 and 5% of the next.
	assert retained_on(D("20000"), D("40000"), D("100000"), TEN_THEN_FIVE, 2) == D("1500.00")
	assert retained_on(D("20000"), D("0"), D("100000"), TEN_THEN_FIVE, 2) == D("2000.00")
	assert retained_on(D("20000"), D("60000"), D("100000"), TEN_THEN_FIVE, 2) == D("1000.00")
	assert retained_on(D("20000"), D("60000"), D("100000"), make_retainage(10, 50, 0), 2) == 0


@pytest.mark.parametrize(
	"terms, field",
	[
		((-1, None, None), "retainage"),
		((101, None, None), "retainage"),
		(("ten", None, None), "retainage"),
		((10, 100, 5), "retainage_step_at"),
		((10, 50, 12), "retainage_after"),
		((10, None, 5), "retainage_step_at"),
		((0, 50, 5), "retainage"),
	],
)
def test_terms_that_make_no_sense_are_refused_with_their_field(terms, field):
	with pytest.raises(PlanError) as refusal:
		make_retainage(*terms)
	assert refusal.value.field == field


def test_a_release_bills_what_is_held_and_no_more():
	held = Held(D("7500"), D("2500"))
	assert held.held == D("5000")
	assert check_release(None, held, 2) == D("5000")
	assert check_release(D("1000.50"), held, 2) == D("1000.50")
	for amount in (D("5000.01"), D(0), D(-5), D("10.001")):
		with pytest.raises(PlanError):
			check_release(amount, held, 2)
	with pytest.raises(PlanError):
		check_release(None, Held(D(100), D(100)), 2)


def test_an_invoiced_draw_is_paid_when_what_it_asks_now_is_paid():
	# A 20,000 draw retaining 2,000 asks 18,000 now.
	draws = [Draw(D(20), D("20000"), D("18000"), D("2000")), Draw(D(80), D("80000"), D("1000"), D("8000"))]
	states = draw_states([D("20000"), D("80000")], draws, D(0))
	assert [(s.paid_amount, s.outstanding_amount, s.status) for s in states] == [
		(D("18000"), D(0), PAID),
		(D("1000"), D("71000"), PARTLY_PAID),
	]


cents = st.integers(min_value=1, max_value=10**9).map(lambda units: D(units).scaleb(-2))
rates = st.integers(min_value=0, max_value=100).map(D)


@st.composite
def jobs(draw):
	"""A job's work split into draws, with a rate and maybe a step-down."""
	parts = draw(st.lists(cents, min_size=1, max_size=8))
	rate = draw(rates)
	if rate and draw(st.booleans()):
		step_at = D(draw(st.integers(1, 99)))
		after = D(draw(st.integers(0, int(rate))))
		return parts, Retainage(rate, step_at, after)
	return parts, Retainage(rate)


@given(jobs())
def test_retained_and_due_add_up_to_the_work_and_each_part_stays_within_its_rate(job):
	parts, terms = job
	contract = sum(parts, D(0))
	billed = D(0)
	for work in parts:
		retained = retained_on(work, billed, contract, terms, 2)
		due = work - retained
		assert retained + due == work
		assert D(0) <= retained <= work
		# Never more than the rate in force on each part of the work (a cent of rounding aside).
		threshold = contract * terms.step_at / 100 if terms.step_at is not None else contract
		before = min(work, max(threshold - billed, D(0)))
		ceiling = (before * terms.rate + (work - before) * terms.rate_at(D(100))) / 100
		assert retained <= ceiling + D("0.005")
		billed += work


@given(cents, cents, st.one_of(st.none(), cents))
def test_releases_never_exceed_what_is_held(retained, released, amount):
	held = Held(retained, min(released, retained))
	try:
		billed = check_release(amount, held, 2)
	except PlanError:
		return
	assert D(0) < billed <= held.held


@given(cents, rates, cents)
def test_a_draw_with_retainage_never_asks_more_than_it_bills_less_what_it_retains(amount, rate, paid):
	retained = retained_on(amount, 0, amount, Retainage(rate), 2)
	received = min(paid, amount - retained)
	state = draw_states([amount], [Draw(D(100), amount, received, retained)], D(0))[0]
	assert state.paid_amount + state.outstanding_amount + retained == amount


@given(jobs(), st.lists(st.integers(min_value=1, max_value=100), min_size=1, max_size=6))
def test_an_invoice_billed_as_one_job_shares_its_retainage_among_its_installments(job, weights):
	"""One invoice bills the whole work: it withholds by the terms over its own work, its
	installments share what it asks, and each installment's retained share follows."""
	parts, terms = job
	work = sum(parts, D(0))
	retained = retained_on(work, 0, work, terms, 2)
	# Never more than the first rate of the whole work, never less than the rate after it.
	assert retained <= work * terms.rate / 100 + D("0.005")
	assert retained >= work * terms.rate_at(D(100)) / 100 - D("0.005")
	asks = split_never_negative(work - retained, [D(weight) for weight in weights], 2)
	assume(sum(asks, D(0)) > 0)  # at 100% the invoice asks nothing now, and nothing is shared
	shares = split_never_negative(retained, asks, 2)
	assert sum(shares, D(0)) == retained
	assert all(share >= 0 for share in shares)
	assert sum(asks, D(0)) + sum(shares, D(0)) == work
