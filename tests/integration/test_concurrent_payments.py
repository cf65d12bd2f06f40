"""Two payments submitted at the same moment from two database connections."""

import threading

import pytest

frappe = pytest.importorskip("frappe", reason="frappe is not importable: run pytest with the bench's python")

from erpnext.accounts.doctype.payment_entry.payment_entry import get_payment_entry

from progress_billing import api
from tests.integration.factories import enable_program, make_invoice, make_sales_order, receive_payment

# Two connections only see what is committed: the fixture commits, then cleans up.
pytestmark = pytest.mark.commits


def deposit_on_order(order_name, amount):
	payment = get_payment_entry("Sales Order", order_name, party_amount=amount)
	payment.reference_no, payment.reference_date = "PB-TEST", frappe.utils.nowdate()
	return payment.insert()


def pay_in_own_connection(invoice_name, amount, barrier, results, index, draft=None):
	site, sites_path = frappe.local.site, frappe.local.sites_path
	try:
		frappe.init(site=site, sites_path=sites_path)
		frappe.connect()
		frappe.set_user("Administrator")
		payment = (draft or receive_payment)(invoice_name, amount, **({} if draft else {"submit": False}))
		frappe.db.commit()  # drafts hold the naming series lock until they commit
		barrier.wait(timeout=30)
		payment.submit()
		frappe.db.commit()
		results[index] = payment.name
	except Exception as error:
		frappe.db.rollback()
		results[index] = error
	finally:
		frappe.destroy()


def run_in_thread(target, *args):
	site, sites_path = frappe.local.site, frappe.local.sites_path

	def with_site():
		frappe.local.site, frappe.local.sites_path = site, sites_path
		target(*args)

	thread = threading.Thread(target=with_site)
	thread.start()
	return thread


@pytest.fixture
def committed_invoice():
	was = frappe.db.get_value(
		"Progress Billing Settings", None, ["enabled", "program_name", "interval_name"], as_dict=True
	)
	enable_program()
	invoice = make_invoice(rate=3000, submit=True)
	api.save_plan(invoice.name, template="Thirds")
	frappe.db.commit()
	yield invoice
	frappe.db.rollback()
	enable_program(**was)  # what this fixture committed is put back
	for name in frappe.get_all("Payment Entry Reference", {"reference_name": invoice.name}, pluck="parent"):
		payment = frappe.get_doc("Payment Entry", name)
		if payment.docstatus == 1:
			payment.cancel()
	invoice.reload()
	invoice.cancel()
	frappe.db.commit()


def test_two_payments_at_once_are_both_counted_once(committed_invoice):
	barrier = threading.Barrier(2)
	results = [None, None]
	threads = [
		run_in_thread(pay_in_own_connection, committed_invoice.name, 1000, barrier, results, index)
		for index in range(2)
	]
	for thread in threads:
		thread.join(timeout=120)
	frappe.db.rollback()  # a fresh snapshot, to see what the two connections committed

	assert all(isinstance(result, str) for result in results), results
	plan = api.get_plan(committed_invoice.name)
	assert [row["paid_amount"] for row in plan["installments"]] == [1000, 1000, 0]
	assert plan["current"] == 3
	assert frappe.db.get_value("Sales Invoice", committed_invoice.name, "outstanding_amount") == 1000


@pytest.fixture
def committed_order():
	was = frappe.db.get_value(
		"Progress Billing Settings", None, ["enabled", "program_name", "interval_name"], as_dict=True
	)
	enable_program()
	order = make_sales_order(rate=3000)
	api.save_plan(doctype="Sales Order", name=order.name, template="Thirds")
	order.reload()
	order.submit()
	frappe.db.commit()
	yield order
	frappe.db.rollback()
	enable_program(**was)
	for name in frappe.get_all("Payment Entry Reference", {"reference_name": order.name}, pluck="parent"):
		payment = frappe.get_doc("Payment Entry", name)
		if payment.docstatus == 1:
			payment.cancel()
	order.reload()
	order.cancel()
	frappe.db.commit()


def test_two_deposits_on_an_order_at_once_are_both_counted_once(committed_order):
	barrier = threading.Barrier(2)
	results = [None, None]
	threads = [
		run_in_thread(
			pay_in_own_connection, committed_order.name, 1000, barrier, results, index, deposit_on_order
		)
		for index in range(2)
	]
	for thread in threads:
		thread.join(timeout=120)
	frappe.db.rollback()

	assert all(isinstance(result, str) for result in results), results
	plan = api.get_plan(doctype="Sales Order", name=committed_order.name)
	assert [row["paid_amount"] for row in plan["installments"]] == [1000, 1000, 0]
	assert frappe.db.get_value("Sales Order", committed_order.name, "advance_paid") == 2000


def call_in_own_connection(call, barrier, results, index):
	"""`call()` in a connection of its own, released with the others at the barrier; its
	answer (or its error) in results[index]."""
	site, sites_path = frappe.local.site, frappe.local.sites_path
	try:
		frappe.init(site=site, sites_path=sites_path)
		frappe.connect()
		frappe.set_user("Administrator")
		barrier.wait(timeout=30)
		results[index] = call()
		frappe.db.commit()
	except Exception as error:
		frappe.db.rollback()
		results[index] = error
	finally:
		frappe.destroy()


def invoice_draw_in_own_connection(order_name, barrier, results, index):
	def invoice_first_draw():
		return api.invoice_draw(sales_order=order_name, idx=1)["sales_invoice"]

	call_in_own_connection(invoice_first_draw, barrier, results, index)


@pytest.fixture
def committed_draw_order():
	was = frappe.db.get_value(
		"Progress Billing Settings",
		None,
		["enabled", "program_name", "interval_name", "submit_draw_invoices"],
		as_dict=True,
	)
	enable_program(submit_draw_invoices=1)
	order = make_sales_order(rate=3000)
	api.save_plan(doctype="Sales Order", name=order.name, template="Thirds", billing="Invoice Each Draw")
	order.reload()
	order.submit()
	frappe.db.commit()
	yield order
	frappe.db.rollback()
	enable_program(**was)
	for name in frappe.get_all("Sales Invoice", {"pb_draw_order": order.name, "docstatus": 1}, pluck="name"):
		frappe.get_doc("Sales Invoice", name).cancel()
	order.reload()
	order.cancel()
	frappe.db.commit()


def two_at_once(in_own_connection, *args) -> tuple[list, list]:
	"""`in_own_connection(*args, barrier, results, index)` twice at the same moment: what
	was made (names) and what was refused (validation errors)."""
	barrier = threading.Barrier(2)
	results = [None, None]
	threads = [run_in_thread(in_own_connection, *args, barrier, results, index) for index in range(2)]
	for thread in threads:
		thread.join(timeout=120)
	frappe.db.rollback()  # a fresh snapshot, to see what the two connections committed
	made = [result for result in results if isinstance(result, str)]
	refused = [result for result in results if isinstance(result, frappe.ValidationError)]
	assert len(made) + len(refused) == 2, results
	return made, refused


def test_two_requests_to_invoice_one_draw_at_once_make_one_invoice(committed_draw_order):
	made, refused = two_at_once(invoice_draw_in_own_connection, committed_draw_order.name)
	assert len(made) == 1 and len(refused) == 1, (made, refused)
	assert "already invoiced" in str(refused[0])
	assert frappe.get_all("Sales Invoice", {"pb_draw_order": committed_draw_order.name}, pluck="name") == made


def refund_in_own_connection(payment_name, amount, barrier, results, index):
	def refund():
		return api.refund_payment(payment_name, amount)["journal_entry"]

	call_in_own_connection(refund, barrier, results, index)


@pytest.fixture
def committed_payment(committed_invoice):
	payment = receive_payment(committed_invoice.name, 1000)
	frappe.db.commit()
	yield payment
	frappe.db.rollback()
	for name in frappe.get_all("Journal Entry", {"pb_refund_of": payment.name, "docstatus": 1}, pluck="name"):
		frappe.get_doc("Journal Entry", name).cancel()
	frappe.db.commit()


def test_two_refunds_of_one_payment_at_once_pay_back_the_payment_once(committed_payment):
	"""Both refund the whole 1,000 at the same moment: one is made, the other is refused
	for what the first already paid back (without the payment's lock, both were made)."""
	made, refused = two_at_once(refund_in_own_connection, committed_payment.name, 1000)
	assert len(made) == 1 and len(refused) == 1, (made, refused)
	assert "still refundable" in str(refused[0])
	refunded = frappe.get_all(
		"Journal Entry", {"pb_refund_of": committed_payment.name, "docstatus": 1}, pluck="total_debit"
	)
	assert refunded == [1000]
