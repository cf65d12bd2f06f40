"""A plan on a Sales Order: deposits taken against the order as ERPNext advances, and the
plan moving to the invoice that bills the whole order, paid as far as the advances
ERPNext allocates to that invoice."""

import pytest

frappe = pytest.importorskip("frappe", reason="frappe is not importable: run pytest with the bench's python")

from erpnext.selling.doctype.sales_order.sales_order import make_sales_invoice

from progress_billing import api
from tests.integration.factories import enable_program, make_sales_order
from tests.integration.test_portal import CUSTOMER, get_page, portal_user  # noqa: F401 (a fixture)

ORDER = "Sales Order"


@pytest.fixture(autouse=True)
def program():
	enable_program()


def plan_of(order) -> dict:
	return api.get_plan(doctype=ORDER, name=order.name)


def states(plan: dict) -> list[tuple]:
	return [(row["label"], row["amount"], row["paid_amount"], row["status"]) for row in plan["installments"]]


def thirds_order(rate=3000, submit=True):
	order = make_sales_order(rate=rate)
	api.save_plan(doctype=ORDER, name=order.name, template="Thirds")
	order.reload()
	if submit:
		order.submit()
	return order


def deposit(order, amount, **values):
	return api.accept_payment(doctype=ORDER, name=order.name, amount=amount, mode_of_payment="Cash", **values)


def test_the_same_plan_on_an_order_and_erpnexts_schedule_says_so():
	order = thirds_order(submit=False)
	plan = plan_of(order)
	assert (plan["doctype"], plan["name"], plan["template"]) == (ORDER, order.name, "Thirds")
	assert [row["amount"] for row in plan["installments"]] == [1000, 1000, 1000]
	schedule = frappe.get_all(
		"Payment Schedule", {"parent": order.name, "parenttype": ORDER}, ["payment_amount"], order_by="idx"
	)
	assert [row.payment_amount for row in schedule] == [1000, 1000, 1000]


def test_a_draft_orders_new_total_resplits_the_plan():
	order = thirds_order(rate=3000, submit=False)
	order.items[0].rate = 6000
	order.save()
	assert [row["amount"] for row in plan_of(order)["installments"]] == [2000, 2000, 2000]


def test_a_deposit_against_the_order_pays_the_oldest_installment_first():
	order = thirds_order()
	payment = deposit(order, 1500)["payment_entry"]
	references = frappe.get_all(
		"Payment Entry Reference",
		{"parent": payment},
		["reference_doctype", "reference_name", "allocated_amount"],
	)
	assert [(row.reference_doctype, row.reference_name, row.allocated_amount) for row in references] == [
		(ORDER, order.name, 1500)
	]
	plan = plan_of(order)
	assert states(plan) == [
		("Deposit", 1000, 1000, "Paid"),
		("Progress", 1000, 500, "Partly Paid"),
		("Final", 1000, 0, "Unpaid"),
	]
	assert plan["invoice_outstanding"] == 1500
	assert frappe.db.get_value(ORDER, order.name, "advance_paid") == 1500


def test_more_than_the_orders_balance_is_refused_with_nothing_written():
	order = thirds_order()
	deposit(order, 1000)
	payments = frappe.db.count("Payment Entry")
	with pytest.raises(frappe.ValidationError):
		deposit(order, 2000.01)
	assert frappe.db.count("Payment Entry") == payments
	assert api.preview_payment(doctype=ORDER, name=order.name, amount=2000.01)["allowed"] is False


def test_a_deposit_needs_a_submitted_order():
	order = thirds_order(submit=False)
	with pytest.raises(frappe.ValidationError, match="Submit the order"):
		deposit(order, 1000)


def test_cancelling_the_deposit_puts_the_plan_back():
	order = thirds_order()
	payment = frappe.get_doc("Payment Entry", deposit(order, 1000)["payment_entry"])
	payment.cancel()
	assert [row[3] for row in states(plan_of(order))] == ["Unpaid", "Unpaid", "Unpaid"]


def invoice_the_order(order, allocate_advances=True):
	invoice = make_sales_invoice(order.name)
	invoice.allocate_advances_automatically = 1 if allocate_advances else 0
	if allocate_advances:
		invoice.set_advances()
	invoice.insert()
	return invoice


def test_the_invoice_for_the_whole_order_takes_its_plan_paid_as_far_as_the_advance():
	"""The issue's example, from the order on: a 1,000 deposit on the order, then the
	invoice: its plan shows the deposit paid and owes exactly what ERPNext says it owes."""
	order = thirds_order()
	deposit(order, 1000)
	invoice = invoice_the_order(order)

	# A plan is never on two live documents: the order says where its plan went.
	assert frappe.db.get_value(ORDER, order.name, ["pb_plan_status", "pb_plan_invoice"]) == (
		"Invoiced",
		invoice.name,
	)
	assert plan_of(order)["installments"] == []
	context = api.get_invoice_context(doctype=ORDER, name=order.name)
	assert context["moved_to"] == {"doctype": "Sales Invoice", "name": invoice.name}
	assert not context["can_configure"]

	invoice.reload()
	invoice.submit()
	plan = api.get_plan(invoice.name)
	assert states(plan) == [
		("Deposit", 1000, 1000, "Paid"),
		("Progress", 1000, 0, "Unpaid"),
		("Final", 1000, 0, "Unpaid"),
	]
	invoice.reload()
	assert invoice.outstanding_amount == 2000
	assert plan["installments_outstanding"] == invoice.outstanding_amount == plan["invoice_outstanding"]


def test_without_the_advance_allocated_the_invoice_plan_owes_the_whole_invoice():
	order = thirds_order()
	deposit(order, 1000)
	invoice = invoice_the_order(order, allocate_advances=False)
	invoice.submit()
	plan = api.get_plan(invoice.name)
	invoice.reload()
	assert [row["paid_amount"] for row in plan["installments"]] == [0, 0, 0]
	assert plan["installments_outstanding"] == invoice.outstanding_amount == 3000


def test_deleting_the_draft_invoice_gives_the_plan_back_to_the_order():
	order = thirds_order()
	deposit(order, 1000)
	invoice = invoice_the_order(order)
	invoice.delete()
	assert frappe.db.get_value(ORDER, order.name, "pb_plan_status") == "Active"
	assert [row[3] for row in states(plan_of(order))] == ["Paid", "Unpaid", "Unpaid"]


def test_a_part_invoice_leaves_the_plan_on_the_order():
	order = make_sales_order(rate=1500, qty=2)
	api.save_plan(doctype=ORDER, name=order.name, template="Thirds")
	order.reload()
	order.submit()
	invoice = make_sales_invoice(order.name)
	invoice.items[0].qty = 1
	invoice.insert()
	assert not invoice.get("pb_plan_status")
	assert frappe.db.get_value(ORDER, order.name, "pb_plan_status") == "Active"


def test_an_order_plan_is_changed_only_by_those_who_may_write_the_order():
	order = thirds_order(submit=False)
	frappe.set_user("Guest")
	try:
		with pytest.raises(frappe.PermissionError):
			api.save_plan(doctype=ORDER, name=order.name, template="Thirds")
	finally:
		frappe.set_user("Administrator")


def test_the_api_refuses_a_document_type_that_carries_no_plan():
	with pytest.raises(frappe.ValidationError, match="doctype must be one of"):
		api.get_plan(doctype="Purchase Order", name="whatever")


def test_update_items_on_a_submitted_order_resplits_what_is_not_paid():
	import json

	from erpnext.controllers.accounts_controller import update_child_qty_rate

	order = thirds_order()
	deposit(order, 1000)
	item = order.items[0]
	update_child_qty_rate(
		ORDER,
		json.dumps([{"docname": item.name, "item_code": item.item_code, "qty": 2, "rate": 3000}]),
		order.name,
	)
	plan = plan_of(order)
	assert states(plan)[0] == ("Deposit", 1000, 1000, "Paid")
	assert sum(row["amount"] for row in plan["installments"]) == 6000
	assert [row["amount"] for row in plan["installments"]][1:] == [2500, 2500]
	schedule = frappe.get_all(
		"Payment Schedule", {"parent": order.name, "parenttype": ORDER}, ["payment_amount"], order_by="idx"
	)
	assert [row.payment_amount for row in schedule] == [1000, 2500, 2500]


# From the quotation on


def make_quotation(rate=3000, submit=True, customer=None):
	from tests.integration.factories import company, ensure_customer, ensure_item

	quotation = frappe.get_doc(
		{
			"doctype": "Quotation",
			"company": company(),
			"quotation_to": "Customer",
			"party_name": ensure_customer(customer) if customer else ensure_customer(),
			"transaction_date": frappe.utils.nowdate(),
			"disable_rounded_total": 1,
			"items": [{"item_code": ensure_item(), "qty": 1, "rate": rate}],
		}
	).insert()
	api.save_plan(doctype="Quotation", name=quotation.name, template="Thirds")
	quotation.reload()
	if submit:
		quotation.submit()
	return quotation


def order_from(quotation, submit=True):
	from erpnext.selling.doctype.quotation.quotation import make_sales_order as make_order

	order = make_order(quotation.name)
	order.delivery_date = frappe.utils.add_days(frappe.utils.nowdate(), 60)
	order.insert()
	if submit:
		order.reload()
		order.submit()
	return order


def test_a_quotation_carries_the_plan_the_customer_accepts():
	quotation = make_quotation(submit=False)
	plan = api.get_plan(doctype="Quotation", name=quotation.name)
	assert (plan["template"], [row["amount"] for row in plan["installments"]]) == (
		"Thirds",
		[1000, 1000, 1000],
	)
	with pytest.raises(frappe.ValidationError, match="quotation takes no payments"):
		api.accept_payment(doctype="Quotation", name=quotation.name, amount=100, mode_of_payment="Cash")


def test_make_sales_order_moves_the_quotations_plan_to_the_order():
	quotation = make_quotation()
	order = order_from(quotation, submit=False)
	assert [row["amount"] for row in plan_of(order)["installments"]] == [1000, 1000, 1000]
	assert frappe.db.get_value("Quotation", quotation.name, ["pb_plan_status", "pb_plan_order"]) == (
		"Ordered",
		order.name,
	)
	assert api.get_plan(doctype="Quotation", name=quotation.name)["installments"] == []
	context = api.get_invoice_context(doctype="Quotation", name=quotation.name)
	assert context["moved_to"] == {"doctype": ORDER, "name": order.name}


def test_deleting_the_draft_order_gives_the_plan_back_to_the_quotation():
	quotation = make_quotation()
	order = order_from(quotation, submit=False)
	order.delete()
	assert frappe.db.get_value("Quotation", quotation.name, "pb_plan_status") == "Active"
	assert len(api.get_plan(doctype="Quotation", name=quotation.name)["installments"]) == 3


def test_quote_to_order_to_deposit_to_invoice():
	"""The issue's example: quote, order, a 1,000 deposit on the order, the order invoiced:
	the invoice's plan shows the deposit paid and owes what ERPNext says the invoice owes."""
	order = order_from(make_quotation())
	deposit(order, 1000)
	invoice = invoice_the_order(order)
	invoice.reload()
	invoice.submit()
	invoice.reload()
	plan = api.get_plan(invoice.name)
	assert [(row["label"], row["status"]) for row in plan["installments"]] == [
		("Deposit", "Paid"),
		("Progress", "Unpaid"),
		("Final", "Unpaid"),
	]
	assert plan["installments_outstanding"] == invoice.outstanding_amount == 2000


def test_the_quotation_and_the_order_print_their_plan():
	enable_program(program_name="Build Plan", interval_name="Draw")
	quotation = make_quotation()
	html = frappe.get_print("Quotation", quotation.name)
	assert "Build Plan" in html and ">Draw<" in html and "(2 of 3)" in html
	assert ">Paid<" not in html  # a quote proposes the schedule: nothing is paid on it
	order = order_from(quotation)
	assert "(3 of 3)" in frappe.get_print(ORDER, order.name)
	# The quotation's plan moved on: its print no longer shows installments of its own.
	assert "(3 of 3)" not in frappe.get_print("Quotation", quotation.name)


# The customer's portal


@pytest.mark.usefixtures("portal_user")
def test_the_portal_shows_the_plan_on_the_quotation_and_the_order():
	quotation = make_quotation(customer=CUSTOMER)
	status, html = get_page(f"/quotations/{quotation.name}")
	assert status == 200, html[-2000:]
	assert "pb-portal-table" in html and "Deposit" in html and "(2 of 3)" not in html
	order = order_from(quotation)
	deposit(order, 1000)
	status, html = get_page(f"/orders/{order.name}")
	assert status == 200, html[-2000:]
	assert html.count('class="indicator-pill green">Paid<') == 1  # the deposit
	# ERPNext's own page is still there around the plan.
	assert order.name in html and "order-container" in html


def test_outstanding_draws_lists_an_orders_deposits_with_the_order_as_the_document():
	from progress_billing.progress_billing.report.outstanding_draws import outstanding_draws

	order = thirds_order()
	deposit(order, 500)
	draft = thirds_order(submit=False)
	columns, rows = outstanding_draws.execute(frappe._dict(customer=order.customer, show="All"))[:2]
	mine = [row for row in rows if row.document in (order.name, draft.name)]
	assert [(row.document_type, row.document, row.position, row.outstanding_amount) for row in mine] == [
		(ORDER, order.name, "1 of 3", 500),
		(ORDER, order.name, "2 of 3", 1000),
		(ORDER, order.name, "3 of 3", 1000),
	]
	document = next(column for column in columns if column["fieldname"] == "document")
	assert (document["fieldtype"], document["options"]) == ("Dynamic Link", "document_type")
	# Invoiced, the same installments are the invoice's to collect.
	invoice = invoice_the_order(order)
	invoice.reload()
	invoice.submit()
	rows = outstanding_draws.execute(frappe._dict(customer=order.customer, show="All"))[1]
	assert {row.document for row in rows if row.document in (order.name, invoice.name)} == {invoice.name}


# Cancel and amend, as invoices do


def test_a_cancelled_order_cancels_its_plan_and_its_amendment_starts_a_fresh_copy():
	order = thirds_order()
	order.cancel()
	assert plan_of(order)["status"] == "Cancelled"
	amended = frappe.copy_doc(order)
	amended.amended_from, amended.docstatus = order.name, 0
	amended.insert()
	plan = plan_of(amended)
	assert (plan["status"], plan["template"]) == ("Active", "Thirds")
	assert [row["amount"] for row in plan["installments"]] == [1000, 1000, 1000]


def test_a_revised_quotation_starts_with_the_plan_of_the_one_it_amends():
	quotation = make_quotation()
	quotation.cancel()
	revised = frappe.copy_doc(quotation)
	revised.amended_from, revised.docstatus = quotation.name, 0
	revised.insert()
	plan = api.get_plan(doctype="Quotation", name=revised.name)
	assert [row["label"] for row in plan["installments"]] == ["Deposit", "Progress", "Final"]


def test_cancelling_an_order_made_from_a_quotation_gives_the_plan_back_to_the_quotation():
	quotation = make_quotation()
	order = order_from(quotation)
	order.cancel()
	assert frappe.db.get_value("Quotation", quotation.name, "pb_plan_status") == "Active"
	assert len(api.get_plan(doctype="Quotation", name=quotation.name)["installments"]) == 3


# Reminders


def test_draw_due_reminders_go_out_for_an_orders_installments_once_never_for_the_deposit():
	from frappe.utils import add_days, getdate, nowdate

	from progress_billing.notify import reminders
	from progress_billing.setup.email_templates import sync_email_templates
	from tests.integration.factories import customer_with_email, ensure_outgoing_account

	ensure_outgoing_account()
	sync_email_templates()
	order = make_sales_order(rate=3000, customer=customer_with_email("pb-order@example.com"))
	api.save_plan(
		doctype=ORDER,
		name=order.name,
		installments=[
			{"label": "Deposit", "percentage": 30, "due_date": nowdate()},
			{"label": "Rough-in", "percentage": 40, "due_date": add_days(nowdate(), 10)},
			{"label": "Final", "percentage": 30, "due_date": add_days(nowdate(), 20)},
		],
	)
	order.reload()
	order.submit()
	try:
		assert reminders.send_draw_due_reminders(getdate(nowdate())) == 0  # only the deposit is due
		on_the_day = getdate(add_days(nowdate(), 10))
		assert reminders.send_draw_due_reminders(on_the_day) == 1
		assert reminders.send_draw_due_reminders(on_the_day) == 0  # once
		emails = frappe.get_all(
			"Email Queue", {"reference_doctype": ORDER, "reference_name": order.name}, pluck="message"
		)
		assert len(emails) == 1 and f"/orders/{order.name}" in emails[0]
		assert frappe.db.exists("Communication", {"reference_doctype": ORDER, "reference_name": order.name})
	finally:
		frappe.local.outgoing_email_account = {}


def test_pending_revenue_shows_orders_on_a_plan_until_their_invoice_takes_it():
	from progress_billing.progress_billing.report.pending_revenue import pending_revenue

	enable_program(default_interval_days=30)
	order = thirds_order()
	deposit(order, 1000)

	def rows():
		return {
			row.document: row
			for row in pending_revenue.execute(frappe._dict(customer=order.customer))[1]
			if row.document_type == ORDER
		}

	row = rows()[order.name]
	assert (row.outstanding_amount, row.plan_marker) == (2000, "PS")
	# The deposit is paid; Progress falls due 30 days after the order.
	progress_due = frappe.utils.formatdate(frappe.utils.add_days(order.transaction_date, 30))
	assert row.plan_note == f"Next Installment: Progress · Due {progress_due}"
	invoice_the_order(order)
	assert order.name not in rows()


def test_a_new_order_or_quotation_of_a_ticked_department_starts_on_the_default_plan():
	from tests.integration.factories import ensure_department

	enable_program(default_template="60/40 Deposit")
	department = ensure_department()
	order = make_sales_order(rate=1000, pb_department=department)
	assert [row["amount"] for row in plan_of(order)["installments"]] == [600, 400]
	quotation = frappe.get_doc(
		{
			"doctype": "Quotation",
			"quotation_to": "Customer",
			"party_name": order.customer,
			"company": order.company,
			"pb_department": department,
			"items": [{"item_code": order.items[0].item_code, "qty": 1, "rate": 1000}],
		}
	).insert()
	assert [
		row["amount"] for row in api.get_plan(doctype="Quotation", name=quotation.name)["installments"]
	] == [
		600,
		400,
	]


def test_an_installment_of_an_orders_plan_can_follow_a_task_of_the_orders_project():
	from tests.integration.test_task_milestones import make_project

	project, tasks = make_project("Install")
	order = make_sales_order(rate=3000, project=project.name)
	install = tasks["Install"].name
	plan = api.save_plan(
		doctype=ORDER,
		name=order.name,
		installments=[
			{"label": "Deposit", "percentage": 50},
			{"label": "On completion", "percentage": 50, "trigger": "After Task Completed", "task": install},
		],
	)
	assert plan["installments"][1]["task"] == install
	assert plan["installments"][1]["due_date"] is None  # waits for the task


def test_unreconciling_the_advance_from_the_invoice_puts_the_invoice_plan_back():
	order = thirds_order()
	payment = deposit(order, 1000)["payment_entry"]
	invoice = invoice_the_order(order)
	invoice.reload()
	invoice.submit()
	unreconcile = frappe.get_doc(
		{
			"doctype": "Unreconcile Payment",
			"company": invoice.company,
			"voucher_type": "Payment Entry",
			"voucher_no": payment,
		}
	)
	unreconcile.add_references()
	unreconcile.allocations = [row for row in unreconcile.allocations if row.reference_name == invoice.name]
	unreconcile.insert()
	unreconcile.submit()
	invoice.reload()
	plan = api.get_plan(invoice.name)
	assert [row["paid_amount"] for row in plan["installments"]] == [0, 0, 0]
	assert plan["installments_outstanding"] == invoice.outstanding_amount == 3000
