import pytest

from progress_billing.engine import (
	BELOW_CURRENT,
	COVERS_CURRENT,
	EXCEEDS_CURRENT,
	OverpaymentError,
	PlanError,
	check_payment,
)
from tests.engine.helpers import D


@pytest.mark.parametrize(
	"amount, kind, spill",
	[("400", BELOW_CURRENT, "0"), ("1000", COVERS_CURRENT, "0"), ("2500", EXCEEDS_CURRENT, "1500")],
)
def test_how_a_payment_sits_against_the_current_installment(amount, kind, spill):
	check = check_payment(D(amount), D(1000), D(3000))
	assert check.kind == kind
	assert check.spill == D(spill)


def test_the_whole_balance_is_allowed():
	assert check_payment(D(3000), D(1000), D(3000)).kind == EXCEEDS_CURRENT


def test_more_than_the_invoice_balance_is_refused():
	with pytest.raises(OverpaymentError, match="Overpayment is not permitted"):
		check_payment(D("3000.01"), D(1000), D(3000))


@pytest.mark.parametrize("amount", ["0", "-1"])
def test_nothing_or_less_is_refused(amount):
	with pytest.raises(PlanError, match="greater than zero"):
		check_payment(D(amount), D(1000), D(3000))
