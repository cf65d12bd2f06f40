"""Refunded money still owed, and where a payment lands: the figures that explain why an
invoice's balance differs from what its installments ask for."""

from datetime import date
from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from progress_billing.engine import (
	PAST_DUE,
	allocate_receipts,
	collected_for_plan,
	land_payment,
	plan_standing,
	refunds_owed,
)


def test_a_partial_refund_is_owed_beside_the_installments():
	# The figures: a 4,770 plan, 2,000 received, 500 refunded.
	assert refunds_owed(D("2000"), D("500"), D("4770")) == D("500")
	states = allocate_receipts(
		[D("1000"), D("1270"), D("1250"), D("1250")], collected_for_plan(2000, 500, 4770)
	)
	owing = sum(state.outstanding_amount for state in states)
	assert owing == D("2770")
	assert owing + refunds_owed(2000, 500, 4770) == D("4770") - D("2000") + D("500")


def test_money_beyond_the_target_fills_the_refunded_balance():
	assert refunds_owed(D("4970"), D("500"), D("4770")) == D("300")
	assert refunds_owed(D("5270"), D("500"), D("4770")) == D("0")


def test_no_refund_owes_nothing_beside_the_plan():
	assert refunds_owed(D("1234.56"), D("0"), D("4770")) == D("0")


@given(
	target=st.integers(min_value=1, max_value=10**7),
	paid=st.integers(min_value=0, max_value=10**7),
	refunded=st.integers(min_value=0, max_value=10**7),
)
def test_installments_and_the_refunded_balance_add_up_to_the_invoice_balance(target, paid, refunded):
	receipts, refunds = D(paid) / 100, D(refunded) / 100
	target = D(target) / 100
	if receipts - refunds > target or refunded > paid:
		return
	collected = collected_for_plan(receipts, refunds, target)
	owed = refunds_owed(receipts, refunds, target)
	assert owed >= 0
	assert (target - collected) + owed == target - receipts + refunds


def test_a_payment_lands_oldest_first_then_on_the_refunded_balance():
	landing = land_payment(D("3000"), [D("0"), D("770"), D("1000"), D("1000")], D("500"))
	assert landing.installments == ((2, D("770")), (3, D("1000")), (4, D("1000")))
	assert landing.refunded == D("230")
	assert landing.refunded_left == D("270")


def test_a_payment_within_the_current_installment_leaves_the_refund_owed():
	landing = land_payment(D("100"), [D("500"), D("1000")], D("500"))
	assert landing.installments == ((1, D("100")),)
	assert (landing.refunded, landing.refunded_left) == (D("0"), D("500"))


def test_the_standing_carries_the_refunded_balance():
	row = type(
		"Row",
		(),
		{
			"idx": 2,
			"label": "Rough-in",
			"outstanding_amount": D("500"),
			"status": "Partly Paid",
			"due_date": date(2026, 1, 1),
		},
	)
	standing = plan_standing(
		[row],
		plan_status="Active",
		invoice_outstanding=D("1000"),
		today=date(2026, 2, 1),
		refunded_owed=D("500"),
	)
	assert (standing.kind, standing.amount, standing.refunded) == (PAST_DUE, D("500"), D("500"))
