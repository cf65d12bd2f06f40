"""What ERPNext itself shows of an invoice on a plan (its Payment Schedule, Dunning,
Accounts Receivable by payment terms, a Payment Entry's outstanding invoices, a Payment
Request) tells the same story as the plan; and wherever the invoice balance differs from
what the installments ask for, the refunded part is named."""

import pytest

frappe = pytest.importorskip("frappe", reason="frappe is not importable: run pytest with the bench's python")

from frappe.utils import add_days, fmt_money, getdate, nowdate

from erpnext.accounts.doctype.payment_entry.payment_entry import get_outstanding_reference_documents
from erpnext.accounts.doctype.payment_request.payment_request import make_payment_request
from erpnext.accounts.doctype.sales_invoice.sales_invoice import create_dunning
from erpnext.accounts.report.accounts_receivable.accounts_receivable import execute as accounts_receivable

from progress_billing import api
from progress_billing.portal import invoice_page
from progress_billing.views import printing
from tests.integration.factories import (
	company,
	enable_program,
	ensure_customer,
	make_invoice,
	receive_payment,
)


@pytest.fixture(autouse=True)
def program():
	enable_program(program_name="Payment Schedule", interval_name="Draw")


def usd(amount) -> str:
	return fmt_money(amount, currency="USD")


def overdue_thirds():
	"""The issue's case: 3,000 on Thirds posted 45 days ago, so the deposit and the
	progress draw are overdue, and 1,500 taken with Accept Payment."""
	customer = ensure_customer("_PB Agrees " + frappe.generate_hash(length=8))
	posted = add_days(nowdate(), -45)
	invoice = make_invoice(rate=3000, customer=customer, posting_date=posted, due_date=posted)
	api.save_plan(invoice.name, template="Thirds")
	invoice.reload()
	invoice.submit()
	api.accept_payment(invoice.name, 1500, mode_of_payment="Cash")
	return invoice


def schedule(invoice_name):
	return [
		(row.paid_amount, row.outstanding)
		for row in frappe.get_all(
			"Payment Schedule",
			{"parent": invoice_name, "parenttype": "Sales Invoice"},
			["paid_amount", "outstanding"],
			order_by="idx",
		)
	]


def test_the_payment_schedule_says_what_each_row_has_been_paid():
	invoice = overdue_thirds()
	assert schedule(invoice.name) == [(1000, 0), (500, 500), (0, 1000)]


def test_dunning_asks_only_for_what_is_overdue_and_unpaid():
	invoice = overdue_thirds()
	dunning = create_dunning(invoice.name)
	# Before: the paid deposit and the whole progress draw, 2,000.
	assert sum(row.outstanding for row in dunning.overdue_payments) == 500
	assert [row.outstanding for row in dunning.overdue_payments] == [500]


def test_schedule_rows_keep_their_names_as_money_moves():
	"""A Dunning links its overdue payments to schedule rows by name."""
	invoice = overdue_thirds()
	names = frappe.get_all("Payment Schedule", {"parent": invoice.name}, pluck="name", order_by="idx")
	api.accept_payment(invoice.name, 500, mode_of_payment="Cash")
	assert frappe.get_all("Payment Schedule", {"parent": invoice.name}, pluck="name", order_by="idx") == names
	assert schedule(invoice.name) == [(1000, 0), (1000, 0), (0, 1000)]


def test_cancelling_the_payment_puts_the_schedule_back():
	invoice = overdue_thirds()
	payment = frappe.get_all(
		"Payment Entry Reference", {"reference_name": invoice.name, "docstatus": 1}, pluck="parent"
	)[0]
	frappe.get_doc("Payment Entry", payment).cancel()
	assert schedule(invoice.name) == [(0, 1000), (0, 1000), (0, 1000)]
	assert sum(row.outstanding for row in create_dunning(invoice.name).overdue_payments) == 2000


def test_accounts_receivable_by_payment_terms_splits_the_balance_as_the_plan_does():
	invoice = overdue_thirds()
	filters = frappe._dict(
		company=company(),
		report_date=nowdate(),
		ageing_based_on="Due Date",
		range="30, 60, 90, 120",
		based_on_payment_terms=1,
		party_type="Customer",
		party=[invoice.customer],
	)
	rows = [row for row in accounts_receivable(filters)[1] if row.get("voucher_no") == invoice.name]
	by_term = {row.payment_term: (row.paid, row.outstanding) for row in rows}
	# The paid deposit owes nothing, so the report leaves it out, as it does any paid term.
	assert by_term == {"Progress": (500, 500), "Final": (0, 1000)}


def test_get_outstanding_invoices_shows_the_invoice_balance_and_its_due_date():
	invoice = overdue_thirds()
	rows = get_outstanding_reference_documents(
		{
			"posting_date": nowdate(),
			"company": company(),
			"party_type": "Customer",
			"payment_type": "Receive",
			"party": invoice.customer,
			"party_account": invoice.debit_to,
		}
	)
	(row,) = [row for row in rows if row.voucher_no == invoice.name]
	plan = api.get_plan(invoice.name)
	assert row.outstanding_amount == plan["installments_outstanding"] == 1500
	assert getdate(row.due_date) == plan["installments"][-1]["due_date"]


def test_a_payment_request_asks_for_what_the_plan_still_asks_for():
	invoice = overdue_thirds()
	request = make_payment_request(dt="Sales Invoice", dn=invoice.name, mute_email=1, return_doc=1)
	assert not request.is_new()
	# ERPNext alone would ask for the grand total, 3,000, although 1,500 was paid.
	assert request.grand_total == api.get_plan(invoice.name)["installments_outstanding"] == 1500


# Refunded, still owed


def refunded_plan():
	"""The issue's figures: 4,770 on 50/50, 2,000 received, 500 refunded."""
	customer = ensure_customer("_PB Refunded " + frappe.generate_hash(length=8))
	invoice = make_invoice(rate=4770, customer=customer)
	api.save_plan(invoice.name, template="50/50 Split")
	invoice.reload()
	invoice.submit()
	payment = api.accept_payment(invoice.name, 2000, mode_of_payment="Cash")["payment_entry"]
	api.refund_payment(payment, 500)
	return invoice


def test_the_plan_names_the_refunded_balance_beside_the_installments():
	invoice = refunded_plan()
	plan = api.get_plan(invoice.name)
	assert plan["installments_outstanding"] == 2770
	assert plan["refunded_balance"] == 500
	assert plan["invoice_outstanding"] == 3270
	assert plan["installments_outstanding"] + plan["refunded_balance"] == plan["invoice_outstanding"]
	assert schedule(invoice.name) == [(2000, 385), (0, 2385)]


def test_accept_payment_says_where_a_payment_lands_and_what_refunded_money_is_left():
	invoice = refunded_plan()
	warnings = api.preview_payment(invoice.name, 3000)["warnings"]
	assert warnings == [
		f"This payment exceeds the current Draw; {usd(2615)} will be applied to the next.",
		f"Deposit, 1 of 2: {usd(385)}, paid in full.",
		f"Final, 2 of 2: {usd(2385)}, paid in full.",
		f"Refunded, still owed: {usd(230)} goes to it, {usd(270)} is left.",
	]
	small = api.preview_payment(invoice.name, 100)["warnings"]
	assert small == [
		"This is less than the current Draw.",
		f"Deposit, 1 of 2: {usd(100)} of {usd(385)}.",
		f"Refunded, still owed: {usd(500)} stays owed after this payment.",
	]


def test_paying_the_full_balance_clears_the_refunded_balance_too():
	invoice = refunded_plan()
	api.accept_payment(invoice.name, 3270, mode_of_payment="Cash")
	plan = api.get_plan(invoice.name)
	assert (plan["status"], plan["refunded_balance"], plan["invoice_outstanding"]) == ("Completed", 0, 0)


def test_the_portal_hero_and_plan_show_the_refunded_line():
	invoice = refunded_plan()
	context = invoice_page.invoice_context(frappe.get_doc("Sales Invoice", invoice.name))
	assert [(line["label"], line["amount"]) for line in context["balance_lines"]] == [
		("Plan balance", usd(2770)),
		("Refunded, still owed", usd(500)),
		("Invoice balance", usd(3270)),
	]


def test_the_printed_plan_shows_the_refunded_line():
	invoice = refunded_plan()
	html = frappe.render_template(
		frappe.read_file(frappe.get_app_path("progress_billing", "templates", "print", "plan.html")),
		{
			"doc": frappe.get_doc("Sales Invoice", invoice.name),
			"get_plan_for_print": printing.get_plan_for_print,
		},
	)
	assert "Refunded, still owed" in html and usd(500) in html and usd(3270) in html


def test_a_plan_without_refunds_shows_no_refunded_line():
	invoice = overdue_thirds()
	context = invoice_page.invoice_context(frappe.get_doc("Sales Invoice", invoice.name))
	assert context["balance_lines"] == []
	assert api.get_plan(invoice.name)["refunded_balance"] == 0


def test_a_cancelled_plan_leaves_erpnexts_single_row_as_money_moves():
	invoice = overdue_thirds()
	api.cancel_plan(invoice.name)
	assert len(schedule(invoice.name)) == 1
	receive_payment(invoice.name, 100)
	assert len(schedule(invoice.name)) == 1
