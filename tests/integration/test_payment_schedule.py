import pytest

frappe = pytest.importorskip("frappe", reason="frappe is not importable: run pytest with the bench's python")

from frappe.utils import add_days, getdate, nowdate

from progress_billing import api
from tests.integration.factories import enable_program, make_invoice, receive_payment


@pytest.fixture(autouse=True)
def program():
	enable_program()


def schedule(invoice_name):
	return [
		(row.description, row.payment_amount, row.due_date)
		for row in frappe.get_doc("Sales Invoice", invoice_name).payment_schedule
	]


def test_the_plan_replaces_erpnexts_schedule_with_exact_amounts():
	invoice = make_invoice(rate=1000)
	api.save_plan(invoice.name, template="Thirds")
	today = getdate(nowdate())
	assert schedule(invoice.name) == [
		("Deposit", 333.34, today),
		("Progress", 333.33, add_days(today, 30)),
		("Final", 333.33, add_days(today, 60)),
	]
	assert frappe.db.get_value("Sales Invoice", invoice.name, "due_date") == add_days(today, 60)


def test_the_schedule_survives_saving_and_submitting_the_draft():
	invoice = make_invoice(rate=1000)
	api.save_plan(invoice.name, template="Thirds")
	invoice.reload()
	invoice.save()
	invoice.submit()
	assert [amount for _, amount, _ in schedule(invoice.name)] == [333.34, 333.33, 333.33]


def test_a_draft_total_change_moves_the_schedule_too():
	invoice = make_invoice(rate=3000)
	api.save_plan(invoice.name, template="Thirds")
	invoice.reload()
	invoice.items[0].rate = 1000
	invoice.save()
	assert [amount for _, amount, _ in schedule(invoice.name)] == [333.34, 333.33, 333.33]


def test_removing_the_plan_gives_back_one_row_for_the_balance():
	invoice = make_invoice(rate=1000, submit=True)
	api.save_plan(invoice.name, template="Thirds")
	api.remove_plan(invoice.name)
	assert [amount for _, amount, _ in schedule(invoice.name)] == [1000]


def test_erpnext_calls_the_invoice_overdue_exactly_while_a_past_installment_is_unpaid():
	posted = add_days(nowdate(), -40)
	invoice = make_invoice(rate=3000, posting_date=posted, due_date=posted)
	api.save_plan(invoice.name, template="Thirds")  # due: 40 days ago, 10 days ago, in 20 days
	invoice.reload()
	invoice.submit()
	assert frappe.db.get_value("Sales Invoice", invoice.name, "status") == "Overdue"
	receive_payment(invoice.name, 1000)
	assert frappe.db.get_value("Sales Invoice", invoice.name, "status") == "Overdue"
	receive_payment(invoice.name, 1000)
	assert frappe.db.get_value("Sales Invoice", invoice.name, "status") == "Partly Paid"


def test_installments_due_together_share_one_schedule_row_and_the_draft_saves_again():
	invoice = make_invoice(rate=1000)
	due = add_days(nowdate(), 5)
	api.save_plan(
		invoice.name,
		installments=[
			{"label": "Deposit", "percentage": 50, "due_date": due},
			{"label": "Materials", "percentage": 25, "due_date": due},
			{"label": "Final", "percentage": 25},
		],
	)
	invoice.reload()
	invoice.save()
	assert schedule(invoice.name) == [
		("Deposit + Materials", 750, getdate(due)),
		("Final", 250, getdate(add_days(due, 30))),
	]
	invoice.reload()
	invoice.submit()
	assert sum(amount for _, amount, _ in schedule(invoice.name)) == 1000
