"""Pay applications: an order billed each month by the work completed per line, plus stored
materials, less retainage, less earlier certificates; one Sales Invoice per application."""

from decimal import Decimal

import pytest

frappe = pytest.importorskip("frappe", reason="frappe is not importable: run pytest with the bench's python")

from frappe.utils import add_days, nowdate

from erpnext.controllers.accounts_controller import update_child_qty_rate

from progress_billing import api
from progress_billing.progress_billing.report.schedule_of_values import schedule_of_values
from tests.integration.factories import company, enable_program, ensure_customer, ensure_item, receive_payment
from tests.integration.test_portal import CUSTOMER, OTHER_CUSTOMER, PORTAL_USER, get_page, portal_user  # noqa: F401 (a fixture)

ORDER = "Sales Order"
PAY_APPS = "Pay Applications"
DOCTYPE = "Progress Billing Pay Application"
LINES = (50000, 40000, 60000, 30000, 45000, 25000)  # a 250,000 schedule of values
D = Decimal


@pytest.fixture(autouse=True)
def program():
	enable_program(default_billing="One Invoice", submit_draw_invoices=1)


def contract(retainage=10, customer=None):
	order = frappe.get_doc(
		{
			"doctype": ORDER,
			"company": company(),
			"customer": ensure_customer(customer) if customer else ensure_customer(),
			"transaction_date": nowdate(),
			"delivery_date": add_days(nowdate(), 120),
			"disable_rounded_total": 1,
			"items": [{"item_code": ensure_item(), "qty": 1, "rate": value} for value in LINES],
		}
	).insert()
	api.save_plan(doctype=ORDER, name=order.name, billing=PAY_APPS, retainage=retainage)
	order.reload()
	order.submit()
	return order


def apply(order, days, lines, submit=True):
	rows = [{"so_detail": order.items[idx].name, **values} for idx, values in lines.items()]
	made = api.make_pay_application(sales_order=order.name, period_end=add_days(nowdate(), days), lines=rows)
	doc = frappe.get_doc(DOCTYPE, made["name"])
	if submit:
		doc.submit()
	return doc


def money(value) -> D:
	return D(str(value or 0))


def assert_ties(doc):
	"""The continuation sheet's totals tie to the summary, and the summary to itself."""
	lines = doc.lines
	assert sum(money(line.scheduled_value) for line in lines) == money(doc.contract_sum_to_date)
	assert sum(money(line.completed_and_stored) for line in lines) == money(doc.total_completed_and_stored)
	assert sum(money(line.retainage) for line in lines) == money(doc.total_retainage)
	assert sum(money(line.balance_to_finish) for line in lines) == money(doc.contract_sum_to_date) - money(
		doc.total_completed_and_stored
	)
	assert money(doc.total_retainage) == money(doc.retainage_on_completed) + money(doc.retainage_on_stored)
	assert money(doc.current_payment_due) == money(doc.total_earned_less_retainage) - money(
		doc.previous_certificates
	)
	assert money(doc.balance_to_finish_including_retainage) == money(doc.contract_sum_to_date) - money(
		doc.total_earned_less_retainage
	)


def test_three_months_with_a_change_order_stored_materials_and_retainage():
	order = contract()
	assert order.pb_original_contract_sum == 250000

	first = apply(order, 30, {0: {"percent_complete": 40}, 1: {"amount": 10000}, 2: {"stored": 15000}})
	assert_ties(first)
	# 20,000 + 10,000 of work, 15,000 stored: 45,000, less 10%.
	assert money(first.total_completed_and_stored) == D(45000)
	assert money(first.current_payment_due) == D(40500)
	invoice = frappe.get_doc("Sales Invoice", first.sales_invoice)
	assert invoice.docstatus == 1 and money(invoice.grand_total) == money(first.current_payment_due)
	assert money(invoice.total) == D(45000)

	# A change order: the second line grows by 12,000.
	line = order.items[1]
	update_child_qty_rate(
		ORDER,
		frappe.as_json(
			[
				{
					"docname": item.name,
					"item_code": item.item_code,
					"qty": 1,
					"rate": item.rate + (12000 if item.name == line.name else 0),
				}
				for item in order.items
			]
		),
		order.name,
	)
	order.reload()

	second = apply(
		order,
		58,
		{
			0: {"percent_complete": 70},
			1: {"percent_complete": 60},
			2: {"amount": 20000, "stored": 25000},
			3: {"percent_complete": 50},
		},
	)
	assert_ties(second)
	assert money(second.net_change_by_change_orders) == D(12000)
	assert money(second.contract_sum_to_date) == D(262000)
	assert money(second.previous_certificates) == money(first.current_payment_due)
	# 35,000 + 31,200 + 20,000 + 25,000 stored + 15,000 = 126,200 to date.
	assert money(second.total_completed_and_stored) == D(126200)
	assert money(frappe.db.get_value("Sales Invoice", second.sales_invoice, "grand_total")) == money(
		second.current_payment_due
	)

	# The stored materials are installed: they move to work and bill nothing twice.
	third = apply(order, 89, {idx: {"percent_complete": 100, "stored": 0} for idx in range(6)})
	assert_ties(third)
	assert money(third.total_completed_and_stored) == D(262000)
	assert money(third.total_retainage) == D(26200)
	third_invoice = frappe.get_doc("Sales Invoice", third.sales_invoice)
	assert money(third_invoice.grand_total) == money(third.current_payment_due)
	assert [
		application["name"]
		for application in api.get_plan(doctype=ORDER, name=order.name)["schedule_of_values"]["applications"]
	] == [first.name, second.name, third.name]

	order.reload()
	assert order.per_billed == 100
	release = api.release_retainage(sales_order=order.name)
	assert frappe.db.get_value("Sales Invoice", release["name"], "grand_total") == 26200

	invoices = [first.sales_invoice, second.sales_invoice, third.sales_invoice, release["name"]]
	for name in invoices:
		receive_payment(name, frappe.db.get_value("Sales Invoice", name, "outstanding_amount"))
	owed = frappe.db.sql(
		"select sum(amount) from `tabPayment Ledger Entry` where delinked = 0 and against_voucher_no in %s",
		(tuple(invoices),),
	)[0][0]
	assert money(owed) == 0
	held = frappe.db.sql(
		"select sum(debit - credit) from `tabGL Entry` where is_cancelled = 0 and voucher_no in %s and account = %s",
		(tuple(invoices), frappe.db.get_value("Company", company(), "pb_retainage_account")),
	)[0][0]
	assert money(held) == 0
	plan = api.get_plan(doctype=ORDER, name=order.name)
	assert plan["status"] == "Completed"
	assert all(line["balance_to_finish"] == 0 for line in plan["schedule_of_values"]["lines"])


def test_cancelling_the_latest_application_cancels_its_invoice_and_puts_the_figures_back():
	order = contract()
	first = apply(order, 30, {0: {"percent_complete": 50}})
	second = apply(order, 60, {0: {"percent_complete": 80}})
	with pytest.raises(frappe.ValidationError):
		first.cancel()  # a later application stands on it
	with pytest.raises(frappe.ValidationError):
		frappe.get_doc("Sales Invoice", second.sales_invoice).cancel()  # cancel the application instead
	second.reload()
	second.cancel()
	assert frappe.db.get_value("Sales Invoice", second.sales_invoice, "docstatus") == 2
	order.reload()
	assert order.per_billed == 10  # 25,000 of 250,000
	plan = api.get_plan(doctype=ORDER, name=order.name)
	assert [row["draw_invoice"] for row in plan["installments"]] == [first.sales_invoice]
	again = apply(order, 60, {0: {"percent_complete": 80}})
	assert again.application_no == 3 and money(again.previous_certificates) == money(
		first.current_payment_due
	)
	assert (first.name, again.name) == (f"{order.name}-PA-01", f"{order.name}-PA-03")
	# An amended application keeps the number of the one it amends.
	again.reload()
	again.cancel()
	amended = frappe.copy_doc(again, ignore_no_copy=False)  # as the desk amends
	amended.update({"amended_from": again.name, "docstatus": 0})
	amended.insert()
	assert (amended.application_no, amended.name) == (3, f"{order.name}-PA-03-1")
	# The cancelled application can be deleted: its cancelled invoice stops pointing at it.
	frappe.delete_doc(DOCTYPE, second.name)
	assert not frappe.db.exists(DOCTYPE, second.name)
	assert frappe.db.get_value("Sales Invoice", second.sales_invoice, "pb_pay_application") is None


def test_a_line_beyond_its_value_or_going_back_is_refused_and_nothing_is_billed():
	order = contract()
	apply(order, 30, {0: {"percent_complete": 50}})
	invoices = frappe.db.count("Sales Invoice", {"pb_draw_order": order.name})
	for lines in ({0: {"amount": 50001}}, {0: {"percent_complete": 40}}, {1: {"percent_complete": 101}}):
		with pytest.raises(frappe.ValidationError):
			apply(order, 60, lines)
	assert frappe.db.count("Sales Invoice", {"pb_draw_order": order.name}) == invoices
	with pytest.raises(frappe.ValidationError):
		apply(order, 60, {})  # nothing new to bill
	with pytest.raises(frappe.ValidationError):
		api.make_pay_application(sales_order=order.name, period_end=None, lines=[])


def test_an_order_not_billed_by_applications_takes_none():
	order = frappe.get_doc(
		{
			"doctype": ORDER,
			"company": company(),
			"customer": ensure_customer(),
			"transaction_date": nowdate(),
			"delivery_date": add_days(nowdate(), 30),
			"items": [{"item_code": ensure_item(), "qty": 1, "rate": 1000}],
		}
	).insert()
	order.submit()
	with pytest.raises(frappe.ValidationError):
		api.make_pay_application(sales_order=order.name, period_end=nowdate(), lines=[])


def test_the_print_has_both_sheets_in_the_programs_words_and_in_german():
	order = contract()
	first = apply(order, 30, {0: {"percent_complete": 40}, 2: {"stored": 15000}})
	html = frappe.get_print(DOCTYPE, first.name, "Pay Application")
	assert "Application for Payment" in html and "Continuation Sheet" in html
	assert "8. Current Payment Due" in html and "Materials Presently Stored" in html
	assert frappe.utils.fmt_money(first.current_payment_due, currency=first.currency) in html
	frappe.local.lang = "de"
	try:
		german = frappe.get_print(DOCTYPE, first.name, "Pay Application")
	finally:
		frappe.local.lang = "en"
	assert "Antrag auf Zahlung" in german and "Fortsetzungsblatt" in german


def test_the_schedule_of_values_report_reads_what_is_billed_and_retained():
	order = contract()
	first = apply(order, 30, {0: {"percent_complete": 40}, 1: {"amount": 10000}})
	_columns, rows = schedule_of_values.execute({"company": company(), "sales_order": order.name})
	assert [(row.scheduled_value, row.billed_to_date) for row in rows[:2]] == [(50000, 20000), (40000, 10000)]
	assert rows[0].percent_complete == 40 and rows[0].balance_to_finish == 30000
	*lines, total = rows
	assert sum(money(row.retained) for row in lines) == money(first.total_retainage)
	# The total's % is of the whole order, not a sum of the lines' percentages.
	assert (total.billed_to_date, total.percent_complete) == (D(30000), 12.0)


@pytest.mark.usefixtures("portal_user")
def test_the_customer_sees_the_applications_of_their_order_and_opens_their_pdf():
	order = contract(customer=CUSTOMER)
	first = apply(order, 30, {0: {"percent_complete": 40}})
	status, html = get_page(f"/orders/{order.name}")
	assert status == 200
	assert "Pay Application 1" in html and "download_pdf" in html
	del frappe.local.request  # the page's request: a print made under it would log a web access
	frappe.set_user(PORTAL_USER)
	try:
		assert "Application for Payment" in frappe.get_print(DOCTYPE, first.name, "Pay Application")
	finally:
		frappe.set_user("Administrator")
	other = contract(customer=OTHER_CUSTOMER)
	theirs = apply(other, 30, {0: {"percent_complete": 10}})
	frappe.set_user(PORTAL_USER)
	try:
		with pytest.raises(frappe.DoesNotExistError):
			frappe.get_print(DOCTYPE, theirs.name, "Pay Application")
	finally:
		frappe.set_user("Administrator")
