import pytest
from hypothesis import given
from hypothesis import strategies as st

from progress_billing.engine import (
	PAID,
	OverpaymentError,
	PlanError,
	allocate_receipts,
	collected_for_plan,
	receipts_within_plan,
)
from tests.engine.helpers import D

THIRDS = [D(1000), D(1000), D(1000)]


def test_a_refund_never_unpays_an_installment():
	collected = collected_for_plan(receipts=D(1000), refunds=D(400), target=D(3000))
	assert collected == D(1000)
	assert allocate_receipts(THIRDS, collected)[0].status == PAID


def test_money_taken_again_after_a_refund_lands_on_the_oldest_unpaid_installment():
	collected = collected_for_plan(receipts=D(1400), refunds=D(400), target=D(3000))
	assert [state.paid_amount for state in allocate_receipts(THIRDS, collected)] == [D(1000), D(400), D(0)]


def test_a_refund_on_a_completed_plan_leaves_it_completed():
	assert collected_for_plan(receipts=D(3000), refunds=D(400), target=D(3000)) == D(3000)


def test_money_refilling_a_refund_beyond_the_target_pays_no_installment():
	assert collected_for_plan(receipts=D(3400), refunds=D(400), target=D(3000)) == D(3000)


def test_voided_payments_are_simply_not_receipts():
	before = collected_for_plan(receipts=D(1000), refunds=0, target=D(3000))
	assert collected_for_plan(receipts=D(1000) + D(700) - D(700), refunds=0, target=D(3000)) == before


def test_more_received_than_the_target_net_of_refunds_is_refused():
	with pytest.raises(OverpaymentError):
		collected_for_plan(receipts=D(3500), refunds=D(400), target=D(3000))


@pytest.mark.parametrize("receipts, refunds", [(-1, 0), (0, -1)])
def test_negative_totals_are_refused(receipts, refunds):
	with pytest.raises(PlanError):
		collected_for_plan(receipts=receipts, refunds=refunds, target=D(3000))


@given(
	receipts=st.decimals(min_value=0, max_value=10**6, places=2),
	refunds=st.decimals(min_value=0, max_value=10**6, places=2),
)
def test_receipts_within_the_plan_never_overpay_it(receipts, refunds):
	"""Whatever ERPNext's ledger holds, what the plan takes in is never refused and never
	pays more than the plan asks (money beyond it is the customer's credit)."""
	taken = receipts_within_plan(receipts, refunds, D(3000))
	assert taken <= receipts
	assert collected_for_plan(taken, refunds, D(3000)) == min(taken, D(3000))
