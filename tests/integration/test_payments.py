import pytest

frappe = pytest.importorskip("frappe", reason="frappe is not importable: run pytest with the bench's python")

from erpnext.accounts.doctype.sales_invoice.sales_invoice import make_sales_return

from progress_billing import api
from progress_billing.plans import recompute
from tests.integration.factories import enable_program, make_invoice, receive_payment


@pytest.fixture(autouse=True)
def program():
	enable_program()


def thirds(rate=3000):
	invoice = make_invoice(rate=rate, submit=True)
	api.save_plan(invoice.name, template="Thirds")
	return invoice


def state(invoice):
	plan = api.get_plan(invoice.name)
	return [(row["paid_amount"], row["outstanding_amount"], row["status"]) for row in plan["installments"]]


def test_2500_over_three_thousands_pays_two_and_half_the_third():
	invoice = thirds()
	receive_payment(invoice.name, 2500)
	assert state(invoice) == [(1000, 0, "Paid"), (1000, 0, "Paid"), (500, 500, "Partly Paid")]
	assert api.get_plan(invoice.name)["current"] == 3


def test_payments_land_on_the_oldest_unpaid_installment_first():
	invoice = thirds()
	receive_payment(invoice.name, 400)
	receive_payment(invoice.name, 900)
	assert state(invoice) == [(1000, 0, "Paid"), (300, 700, "Partly Paid"), (0, 1000, "Unpaid")]


def test_cancelling_a_payment_reverses_it_exactly():
	invoice = thirds()
	receive_payment(invoice.name, 1000)
	before = state(invoice)
	payment = receive_payment(invoice.name, 1500)
	payment.cancel()
	assert state(invoice) == before


def test_paying_everything_completes_the_plan():
	invoice = thirds()
	receive_payment(invoice.name, 3000)
	plan = api.get_plan(invoice.name)
	assert plan["status"] == "Completed"
	assert plan["current"] is None


def test_a_payment_beyond_the_balance_is_refused_and_changes_nothing():
	invoice = thirds()
	receive_payment(invoice.name, 2000)
	with pytest.raises(frappe.ValidationError):
		receive_payment(invoice.name, 1500)
	assert state(invoice)[2] == (0, 1000, "Unpaid")


def test_refreshing_twice_gives_the_same_answer():
	invoice = thirds()
	receive_payment(invoice.name, 1200)
	before = state(invoice)
	recompute.refresh(invoice.name)
	recompute.refresh(invoice.name)
	assert state(invoice) == before


def test_a_credit_note_lowers_the_unpaid_installments():
	invoice = thirds()
	receive_payment(invoice.name, 1000)
	credit_note = make_sales_return(invoice.name)
	credit_note.items[0].qty = -1
	credit_note.items[0].rate = 600
	credit_note.update_outstanding_for_self = 0
	credit_note.insert()
	credit_note.submit()
	assert [row["amount"] for row in api.get_plan(invoice.name)["installments"]] == [1000, 700, 700]
	assert api.get_plan(invoice.name)["target"] == 2400


def test_cancelling_the_invoice_cancels_its_plan():
	invoice = thirds()
	invoice.reload()
	invoice.cancel()
	plan = api.get_plan(invoice.name)
	assert plan["status"] == "Cancelled"
	assert {row["status"] for row in plan["installments"]} == {"Cancelled"}


def test_an_amended_invoice_starts_with_a_fresh_copy_of_the_plan():
	invoice = thirds()
	invoice.reload()
	invoice.cancel()
	amended = frappe.copy_doc(invoice)
	amended.amended_from = invoice.name
	amended.docstatus = 0
	amended.insert()
	plan = api.get_plan(amended.name)
	assert plan["status"] == "Active"
	assert [row["amount"] for row in plan["installments"]] == [1000, 1000, 1000]
	assert {row["paid_amount"] for row in plan["installments"]} == {0}
