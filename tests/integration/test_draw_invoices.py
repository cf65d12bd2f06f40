"""Invoice each draw: an order's plan that bills every installment as its own Sales Invoice,
made by ERPNext's mapper, exact to the cent, paid by the order's deposits, oldest first."""

from decimal import Decimal

import pytest

frappe = pytest.importorskip("frappe", reason="frappe is not importable: run pytest with the bench's python")

from frappe.utils import add_days, getdate, nowdate

from erpnext.controllers.accounts_controller import update_child_qty_rate

from progress_billing import api, plans
from progress_billing.billing import draw_scheduler, draws
from progress_billing.plans import recompute
from progress_billing.setup.email_templates import sync_email_templates
from tests.integration.factories import (
	company,
	customer_with_email,
	enable_program,
	ensure_customer,
	ensure_item,
	ensure_outgoing_account,
	make_sales_order,
)
from tests.integration.test_portal import CUSTOMER, get_page, portal_user  # noqa: F401 (a fixture)
from tests.integration.test_task_milestones import make_project

ORDER = "Sales Order"
EACH = "Invoice Each Draw"


@pytest.fixture(autouse=True)
def program():
	enable_program(default_billing="One Invoice", submit_draw_invoices=1)


def plan_of(order) -> dict:
	return api.get_plan(doctype=ORDER, name=order.name)


def each_draw_order(rate=3000, submit=True, rows=None, **values):
	order = make_sales_order(rate=rate, **values)
	if rows:
		api.save_plan(doctype=ORDER, name=order.name, installments=rows, billing=EACH)
	else:
		api.save_plan(doctype=ORDER, name=order.name, template="Thirds", billing=EACH)
	order.reload()
	if submit:
		order.submit()
	return order


def invoice(order, idx) -> str:
	return api.invoice_draw(sales_order=order.name, idx=idx)["sales_invoice"]


def draw_view(order) -> list[tuple]:
	return [
		(row["label"], row["amount"], row["paid_amount"], row["draw_state"], bool(row["draw_invoice"]))
		for row in plan_of(order)["installments"]
	]


def tax_account() -> str:
	abbr = frappe.get_cached_value("Company", company(), "abbr")
	name = f"_PB VAT - {abbr}"
	if not frappe.db.exists("Account", name):
		parent = frappe.get_all(
			"Account", {"company": company(), "account_type": "Tax", "is_group": 1}, pluck="name", limit=1
		) or frappe.get_all(
			"Account", {"company": company(), "root_type": "Liability", "is_group": 1}, pluck="name", limit=1
		)
		frappe.get_doc(
			{
				"doctype": "Account",
				"account_name": "_PB VAT",
				"company": company(),
				"parent_account": parent[0],
				"account_type": "Tax",
				"tax_rate": 7.5,
			}
		).insert(ignore_permissions=True)
	return name


def taxed_order(rows):
	"""Two lines, one of three units, at awkward prices, with 7.5% tax on the net total."""
	order = frappe.get_doc(
		{
			"doctype": "Sales Order",
			"company": company(),
			"customer": ensure_customer(),
			"transaction_date": nowdate(),
			"delivery_date": add_days(nowdate(), 60),
			"items": [
				{"item_code": ensure_item(), "qty": 3, "rate": 333.33},
				{"item_code": ensure_item(), "qty": 1, "rate": 1234.57},
			],
			"taxes": [
				{
					"charge_type": "On Net Total",
					"account_head": tax_account(),
					"description": "VAT",
					"rate": 7.5,
				}
			],
		}
	).insert()
	api.save_plan(doctype=ORDER, name=order.name, installments=rows, billing=EACH)
	order.reload()
	order.submit()
	return order


def test_the_billing_choice_comes_from_the_settings_and_the_api_changes_it():
	order = make_sales_order()
	api.save_plan(doctype=ORDER, name=order.name, template="Thirds")
	assert plan_of(order)["billing"] == "One Invoice"
	assert api.save_plan(doctype=ORDER, name=order.name, billing=EACH)["billing"] == EACH
	assert frappe.db.get_value(ORDER, order.name, "pb_billing") == EACH

	enable_program(default_billing=EACH)
	other = make_sales_order()
	api.save_plan(doctype=ORDER, name=other.name, template="Thirds")
	assert plan_of(other)["billing"] == EACH


def test_an_order_with_tax_bills_three_draws_that_add_up_to_its_grand_total_to_the_cent():
	order = taxed_order(
		[
			{"label": "Deposit", "percentage": 33.33},
			{"label": "Rough-in", "percentage": 33.33},
			{"label": "Final", "percentage": 33.34},
		]
	)
	grand_total = Decimal(str(order.grand_total))
	amounts = [Decimal(str(row["amount"])) for row in plan_of(order)["installments"]]
	assert sum(amounts) == grand_total

	names = [invoice(order, idx) for idx in (1, 2, 3)]
	totals = []
	for idx, name in enumerate(names):
		draw = frappe.get_doc("Sales Invoice", name)
		assert draw.docstatus == 1
		assert Decimal(str(draw.grand_total)) == amounts[idx]
		assert draw.taxes and draw.taxes[0].tax_amount  # ERPNext computed the draw's tax
		assert {item.sales_order for item in draw.items} == {order.name}
		totals.append(Decimal(str(draw.grand_total)))
	assert sum(totals) == grand_total
	order.reload()
	assert order.per_billed >= 99.99
	assert order.billing_status == "Fully Billed"
	assert [state for *_rest, state, _linked in draw_view(order)] == ["Invoiced"] * 3


def test_the_draw_invoice_says_which_installment_it_bills_on_screen_and_in_print():
	order = each_draw_order(
		rows=[
			{"label": "Deposit", "percentage": 20},
			{"label": "Rough-in", "percentage": 50},
			{"label": "Final", "percentage": 30},
		]
	)
	name = invoice(order, 2)
	assert frappe.db.get_value("Sales Invoice", name, "pb_draw_title") == "Rough-in, 2 of 3"
	assert frappe.db.get_value("Sales Invoice", name, "grand_total") == 1500
	assert "Rough-in, 2 of 3" in frappe.get_print("Sales Invoice", name)


def test_deposits_on_the_order_are_taken_by_the_draw_invoices_oldest_first():
	order = each_draw_order()
	api.accept_payment(doctype=ORDER, name=order.name, amount=1500, mode_of_payment="Cash")
	assert draw_view(order) == [
		("Deposit", 1000, 1000, "Scheduled", False),
		("Progress", 1000, 500, "Scheduled", False),
		("Final", 1000, 0, "Scheduled", False),
	]
	first = invoice(order, 1)
	# Covered by the deposit: paid the moment it is invoiced.
	assert frappe.db.get_value("Sales Invoice", first, ["outstanding_amount", "status"]) == (0, "Paid")
	second = invoice(order, 2)
	assert frappe.db.get_value("Sales Invoice", second, "outstanding_amount") == 500
	assert draw_view(order) == [
		("Deposit", 1000, 1000, "Paid", True),
		("Progress", 1000, 500, "Partly Paid", True),
		("Final", 1000, 0, "Scheduled", False),
	]


def allocations(payment: dict, field: str) -> list[tuple]:
	"""The payment's references, in order: (`field`, allocated amount)."""
	references = frappe.get_all(
		"Payment Entry Reference",
		{"parent": payment["payment_entry"]},
		[field, "allocated_amount"],
		order_by="idx",
	)
	return [(row[field], row.allocated_amount) for row in references]


def test_accept_payment_on_the_order_pays_its_open_draw_invoices_oldest_first():
	order = each_draw_order()
	first, second = invoice(order, 1), invoice(order, 2)
	with pytest.raises(frappe.ValidationError):
		api.accept_payment(doctype=ORDER, name=order.name, amount=3000.01, mode_of_payment="Cash")
	preview = api.preview_payment(doctype=ORDER, name=order.name, amount=1500)
	assert preview["allowed"] and preview["kind"] == "exceeds_current"
	payment = api.accept_payment(doctype=ORDER, name=order.name, amount=1500, mode_of_payment="Cash")
	assert allocations(payment, "reference_name") == [
		(first, 1000),
		(second, 500),
	]
	assert draw_view(order) == [
		("Deposit", 1000, 1000, "Paid", True),
		("Progress", 1000, 500, "Partly Paid", True),
		("Final", 1000, 0, "Scheduled", False),
	]
	# More than the open invoices ask for: the rest is a deposit against the order.
	payment = api.accept_payment(doctype=ORDER, name=order.name, amount=800, mode_of_payment="Cash")
	assert allocations(payment, "reference_doctype") == [
		("Sales Invoice", 500),
		(ORDER, 300),
	]
	assert [row[2] for row in draw_view(order)] == [1000, 1000, 300]


def test_cancelling_a_draw_invoice_schedules_its_installment_again():
	order = each_draw_order()
	name = invoice(order, 1)
	frappe.get_doc("Sales Invoice", name).cancel()
	assert draw_view(order)[0] == ("Deposit", 1000, 0, "Scheduled", False)
	again = invoice(order, 1)
	assert again != name
	assert draw_view(order)[0] == ("Deposit", 1000, 0, "Invoiced", True)


def test_a_draw_is_invoiced_once_and_bad_requests_change_nothing():
	order = each_draw_order()
	invoice(order, 1)
	count = frappe.db.count("Sales Invoice", {"pb_draw_order": order.name})
	for idx in (1, 4, 0, "x"):
		with pytest.raises(frappe.ValidationError):
			api.invoice_draw(sales_order=order.name, idx=idx)
	with pytest.raises(frappe.ValidationError):
		api.invoice_draw(sales_order="SAL-ORD-NOPE", idx=1)
	one_invoice = make_sales_order()
	api.save_plan(doctype=ORDER, name=one_invoice.name, template="Thirds")
	one_invoice.reload()
	one_invoice.submit()
	with pytest.raises(frappe.ValidationError):
		api.invoice_draw(sales_order=one_invoice.name, idx=1)
	with pytest.raises(frappe.ValidationError):
		api.save_plan(doctype=ORDER, name=order.name, billing="One Invoice")  # a draw is invoiced
	with pytest.raises(frappe.ValidationError):
		api.save_plan(doctype=ORDER, name=order.name, billing="Monthly")
	assert frappe.db.count("Sales Invoice", {"pb_draw_order": order.name}) == count


def test_draws_can_be_left_as_drafts_for_review():
	enable_program(default_billing="One Invoice", submit_draw_invoices=0)
	order = each_draw_order()
	name = invoice(order, 1)
	assert frappe.db.get_value("Sales Invoice", name, "docstatus") == 0
	assert draw_view(order)[0] == ("Deposit", 1000, 0, "Draft", True)
	frappe.get_doc("Sales Invoice", name).submit()
	assert draw_view(order)[0] == ("Deposit", 1000, 0, "Invoiced", True)


def test_a_one_invoice_order_still_hands_its_plan_to_the_invoice_for_the_whole_order():
	from erpnext.selling.doctype.sales_order.sales_order import make_sales_invoice

	order = make_sales_order()
	api.save_plan(doctype=ORDER, name=order.name, template="Thirds", billing="One Invoice")
	order.reload()
	order.submit()
	whole = make_sales_invoice(order.name).insert()
	assert frappe.db.get_value("Sales Invoice", whole.name, "pb_plan_status") == "Active"


def test_update_items_resplits_the_draws_not_yet_invoiced():
	order = each_draw_order()
	invoice(order, 1)
	item = order.items[0]
	trans_items = [
		{"docname": item.name, "item_code": item.item_code, "qty": item.qty, "rate": item.rate},
		{"item_code": ensure_item(), "qty": 1, "rate": 600, "delivery_date": add_days(nowdate(), 60)},
	]
	update_child_qty_rate(ORDER, frappe.as_json(trans_items), order.name)
	assert [row[1] for row in draw_view(order)] == [1000, 1300, 1300]


def rough_in_order(project):
	"""A submitted order billed draw by draw whose second draw follows the Rough-in task."""
	order = make_sales_order(project=project.name)
	api.save_plan(
		doctype=ORDER,
		name=order.name,
		billing=EACH,
		installments=[
			{"label": "Deposit", "percentage": 30},
			{
				"label": "Rough-in",
				"percentage": 70,
				"trigger": "After Task Completed",
				"task_subject": "Rough-in",
			},
		],
	)
	order.reload()
	order.submit()
	return order


def test_completing_the_task_a_draw_follows_invoices_it():
	project, tasks = make_project("Rough-in", "Install")
	order = rough_in_order(project)
	assert draw_view(order)[1][3:] == ("Scheduled", False)
	task = tasks["Rough-in"]
	task.status = "Completed"
	task.completed_on = nowdate()
	task.save()
	assert draw_view(order)[1][3:] == ("Invoiced", True)


def test_the_customer_is_emailed_each_draw_invoice_once():
	ensure_outgoing_account()
	sync_email_templates()
	try:
		order = each_draw_order(customer=customer_with_email("pb-draws@example.com"))
		name = invoice(order, 1)
		queued = frappe.get_all(
			"Email Queue", {"reference_doctype": "Sales Invoice", "reference_name": name}, ["name"]
		)
		assert len(queued) == 1
		# The morning reminder for the same installment does not repeat it.
		from progress_billing.notify import reminders

		before = frappe.db.count("Email Queue")
		reminders.send_draw_due_reminders(getdate(nowdate()))
		assert frappe.db.count("Email Queue") == before
	finally:
		frappe.local.outgoing_email_account = {}


def test_the_scheduler_bills_each_due_draw_of_100_orders_exactly_once():
	orders = [each_draw_order(rate=1000 + n) for n in range(100)]
	first = draw_scheduler.invoice_due_draws(commit=False)
	assert first == {"invoiced": 100, "failed": 0}
	assert draw_scheduler.invoice_due_draws(commit=False) == {"invoiced": 0, "failed": 0}
	for order in orders:
		made = frappe.get_all("Sales Invoice", {"pb_draw_order": order.name, "docstatus": 1}, pluck="name")
		assert len(made) == 1
		assert (
			frappe.db.get_value(plans.INSTALLMENT, {"sales_order": order.name, "stage_no": 1}, "draw_invoice")
			== made[0]
		)


def test_a_new_total_below_what_is_invoiced_is_refused_and_changes_nothing():
	order = each_draw_order()
	invoice(order, 1), invoice(order, 2)
	item = order.items[0]
	frappe.db.savepoint("update_items")
	with pytest.raises(frappe.ValidationError):
		update_child_qty_rate(
			ORDER,
			frappe.as_json([{"docname": item.name, "item_code": item.item_code, "qty": 1, "rate": 1500}]),
			order.name,
		)
	frappe.db.rollback(save_point="update_items")  # as the failed request's transaction is
	order = frappe.get_doc(ORDER, order.name)
	assert order.grand_total == 3000
	assert [row[1] for row in draw_view(order)] == [1000, 1000, 1000]


def test_our_own_refusal_of_a_total_below_the_invoiced_names_both_figures():
	order = each_draw_order()
	invoice(order, 1), invoice(order, 2)
	frappe.db.set_value(ORDER, order.name, {"grand_total": 1500, "rounded_total": 1500})
	with pytest.raises(frappe.ValidationError, match="below"):
		recompute.refresh(order.name, doctype=ORDER)


def test_a_closed_order_bills_no_more_draws_and_the_scheduler_skips_it():
	from erpnext.selling.doctype.sales_order.sales_order import update_status

	order = each_draw_order()
	update_status("Closed", order.name)
	with pytest.raises(frappe.ValidationError, match="Closed"):
		api.invoice_draw(sales_order=order.name, idx=1)
	assert plan_of(order)["billing_stopped"] == "Closed"
	assert not [row for row in draw_scheduler.due_draws(getdate(nowdate())) if row.sales_order == order.name]


def test_only_a_user_who_may_create_invoices_bills_a_draw():
	order = each_draw_order()
	frappe.set_user("Guest")
	try:
		with pytest.raises(frappe.PermissionError):
			api.invoice_draw(sales_order=order.name, idx=1)
	finally:
		frappe.set_user("Administrator")
	assert not frappe.db.exists("Sales Invoice", {"pb_draw_order": order.name})


def test_outstanding_draws_lists_invoiced_draws_on_their_invoice_and_the_rest_on_the_order():
	from progress_billing.progress_billing.report.outstanding_draws import outstanding_draws

	order = each_draw_order()
	first = invoice(order, 1)
	rows = outstanding_draws.execute(frappe._dict(customer=order.customer, show="All"))[1]
	mine = [row for row in rows if row.document in (order.name, first)]
	assert [(row.document_type, row.document, row.position) for row in mine] == [
		("Sales Invoice", first, "1 of 3"),
		(ORDER, order.name, "2 of 3"),
		(ORDER, order.name, "3 of 3"),
	]


@pytest.mark.usefixtures("portal_user")
def test_the_portal_order_page_links_each_submitted_draw_invoice():
	order = each_draw_order(customer=CUSTOMER)
	first = invoice(order, 1)
	status, html = get_page(f"/orders/{order.name}")
	assert status == 200, html[-2000:]
	assert f'href="/invoices/{first}"' in html
	assert html.count("pb-draw-invoice") == 1
	assert ">Invoiced<" in html and ">Scheduled<" in html
	# The draw invoice's own page says what it bills, and leads back to the order.
	status, html = get_page(f"/invoices/{first}")
	assert status == 200, html[-2000:]
	assert "Deposit, 1 of 3" in html and f'href="/orders/{order.name}"' in html


def test_a_reminder_for_an_invoiced_draw_points_to_its_invoice():
	from progress_billing.notify import reminders

	ensure_outgoing_account()
	sync_email_templates()
	enable_program(default_billing="One Invoice", submit_draw_invoices=0)
	try:
		order = each_draw_order(
			customer=customer_with_email("pb-draw-reminder@example.com"),
			rows=[
				{"label": "Deposit", "percentage": 30, "due_date": nowdate()},
				{"label": "Rough-in", "percentage": 70, "due_date": add_days(nowdate(), 10)},
			],
		)
		# A draft draw invoice, submitted later by the office without its email (no
		# account then): the morning reminder is the customer's notice, and points to it.
		name = invoice(order, 2)
		frappe.local.outgoing_email_account = {}
		frappe.db.set_value("Email Account", "_PB Outgoing", "enable_outgoing", 0)
		frappe.get_doc("Sales Invoice", name).submit()
		frappe.db.set_value("Email Account", "_PB Outgoing", "enable_outgoing", 1)
		frappe.local.outgoing_email_account = {}
		assert reminders.send_draw_due_reminders(getdate(add_days(nowdate(), 10))) == 1
		emails = frappe.get_all(
			"Email Queue", {"reference_doctype": "Sales Invoice", "reference_name": name}, pluck="message"
		)
		assert len(emails) == 1 and f"/invoices/{name}" in emails[0]
	finally:
		frappe.local.outgoing_email_account = {}


def test_a_draw_invoices_payment_unreconciled_is_owed_again_on_the_order_plan():
	from tests.integration.factories import receive_payment

	order = each_draw_order()
	first = invoice(order, 1)
	payment = receive_payment(first, 1000)
	assert draw_view(order)[0] == ("Deposit", 1000, 1000, "Paid", True)
	unreconcile = frappe.get_doc(
		{
			"doctype": "Unreconcile Payment",
			"company": order.company,
			"voucher_type": "Payment Entry",
			"voucher_no": payment.name,
		}
	)
	unreconcile.add_references()
	unreconcile.insert()
	unreconcile.submit()
	assert draw_view(order)[0] == ("Deposit", 1000, 0, "Invoiced", True)


def test_a_cancelled_draw_invoice_gives_up_the_deposit_it_took_as_erpnext_does():
	order = each_draw_order()
	api.accept_payment(doctype=ORDER, name=order.name, amount=1000, mode_of_payment="Cash")
	first = invoice(order, 1)
	assert draw_view(order)[0] == ("Deposit", 1000, 1000, "Paid", True)
	frappe.local.message_log = []
	frappe.get_doc("Sales Invoice", first).cancel()
	assert any("unallocated credit" in str(message) for message in frappe.local.message_log)
	# ERPNext unlinks the payment from the cancelled invoice: the money is the customer's
	# unallocated credit, no longer the order's deposit, and the plan says so.
	assert draw_view(order) == [
		("Deposit", 1000, 0, "Scheduled", False),
		("Progress", 1000, 0, "Scheduled", False),
		("Final", 1000, 0, "Scheduled", False),
	]


def test_drafts_of_two_draws_bill_each_line_once_when_submitted():
	enable_program(default_billing="One Invoice", submit_draw_invoices=0)
	order = each_draw_order(rate=1000, qty=3)
	first, second, third = invoice(order, 1), invoice(order, 2), invoice(order, 3)
	for name in (first, second, third):
		frappe.get_doc("Sales Invoice", name).submit()
	order.reload()
	assert (order.per_billed, order.billing_status) == (100, "Fully Billed")
	totals = [frappe.db.get_value("Sales Invoice", name, "grand_total") for name in (first, second, third)]
	assert totals == [1000, 1000, 1000]
	# Each line in whole units, at rates that bill its share exactly.
	items = frappe.get_all("Sales Invoice Item", {"parent": first}, ["qty", "rate"], order_by="idx")
	assert [(row.qty, row.rate) for row in items] == [(2, 333.33), (1, 333.34)]


def test_a_fully_invoiced_order_is_paid_through_its_draw_invoices():
	order = each_draw_order()
	names = [invoice(order, idx) for idx in (1, 2, 3)]
	api.accept_payment(doctype=ORDER, name=order.name, amount=3000, mode_of_payment="Cash")
	assert [frappe.db.get_value("Sales Invoice", name, "outstanding_amount") for name in names] == [0, 0, 0]
	assert plan_of(order)["status"] == "Completed"


def test_an_amended_draw_invoice_bills_the_same_draw():
	order = each_draw_order()
	original = frappe.get_doc("Sales Invoice", invoice(order, 2))
	original.cancel()
	amended = frappe.copy_doc(original)
	amended.amended_from, amended.docstatus = original.name, 0
	amended.insert()
	assert (amended.pb_draw_order, amended.pb_draw_stage) == (order.name, 2)
	amended.submit()
	assert draw_view(order)[1] == ("Progress", 1000, 0, "Invoiced", True)
	assert plan_of(order)["installments"][1]["draw_invoice"] == amended.name


def test_erpnexts_own_invoice_for_an_order_billed_draw_by_draw_is_refused():
	from erpnext.selling.doctype.sales_order.sales_order import make_sales_invoice

	order = each_draw_order()
	with pytest.raises(frappe.ValidationError, match="draw by draw"):
		make_sales_invoice(order.name).insert()
	assert not frappe.db.exists("Sales Invoice Item", {"sales_order": order.name})


def test_completing_a_task_of_an_order_on_hold_invoices_nothing_and_saves():
	from erpnext.selling.doctype.sales_order.sales_order import update_status

	project, tasks = make_project("Rough-in")
	order = rough_in_order(project)
	update_status("On Hold", order.name)
	task = tasks["Rough-in"]
	task.status, task.completed_on = "Completed", nowdate()
	task.save()
	assert frappe.db.get_value("Task", task.name, "status") == "Completed"
	assert not frappe.db.exists("Sales Invoice", {"pb_draw_order": order.name})


def test_a_pricing_rule_does_not_move_a_draw_off_its_installment():
	frappe.get_doc(
		{
			"doctype": "Pricing Rule",
			"title": "_PB ten off",
			"apply_on": "Item Code",
			"items": [{"item_code": ensure_item()}],
			"selling": 1,
			"rate_or_discount": "Discount Percentage",
			"discount_percentage": 10,
			"company": company(),
		}
	).insert()
	order = each_draw_order(rate=3000)
	amounts = [row["amount"] for row in plan_of(order)["installments"]]
	name = invoice(order, 1)
	assert frappe.db.get_value("Sales Invoice", name, "grand_total") == amounts[0]


def test_the_scheduler_rolls_back_an_order_that_fails_half_way(monkeypatch):
	good, bad = each_draw_order(), each_draw_order()
	real = draws.on_draw_submitted

	def failing(invoice):
		if invoice.pb_draw_order == bad.name:
			raise frappe.ValidationError("the submit failed")
		return real(invoice)

	monkeypatch.setattr(draws, "on_draw_submitted", failing)
	assert draw_scheduler.invoice_due_draws(commit=False) == {"invoiced": 1, "failed": 1}
	assert not frappe.db.exists("Sales Invoice", {"pb_draw_order": bad.name})
	assert not frappe.db.get_value(
		plans.INSTALLMENT, {"sales_order": bad.name, "stage_no": 1}, "draw_invoice"
	)
	assert frappe.db.count("Sales Invoice", {"pb_draw_order": good.name, "docstatus": 1}) == 1


def test_a_draw_invoice_carries_no_plan_of_its_own_and_says_whose_draw_it_bills():
	order = each_draw_order()
	name = invoice(order, 2)
	context = api.get_invoice_context(name)
	assert context["draw_of"] == {"order": order.name, "title": "Progress, 2 of 3"}
	assert not context["can_configure"]
	with pytest.raises(frappe.ValidationError, match=order.name):
		api.save_plan(name, template="Thirds")
	assert not frappe.db.get_value("Sales Invoice", name, "pb_plan_status")


def test_an_order_paid_ahead_in_full_still_invoices_each_draw_paid():
	order = each_draw_order()
	api.accept_payment(doctype=ORDER, name=order.name, amount=3000, mode_of_payment="Cash")
	plan = plan_of(order)
	assert plan["status"] == "Active"  # paid, but its draws are still to be invoiced
	assert [row[2:4] for row in draw_view(order)] == [(1000, "Scheduled")] * 3
	assert draw_scheduler.invoice_due_draws(commit=False) == {"invoiced": 1, "failed": 0}
	first = frappe.db.get_value(plans.INSTALLMENT, {"sales_order": order.name, "stage_no": 1}, "draw_invoice")
	assert frappe.db.get_value("Sales Invoice", first, "status") == "Paid"


def test_a_split_line_gets_its_own_description_where_erpnext_allows_an_item_once():
	frappe.db.set_single_value("Selling Settings", "allow_multiple_items", 0)
	order = each_draw_order(rate=1000, qty=3)
	name = invoice(order, 1)
	items = frappe.get_all(
		"Sales Invoice Item", {"parent": name}, ["qty", "rate", "description"], order_by="idx"
	)
	assert [(row.qty, row.rate) for row in items] == [(2, 333.33), (1, 333.34)]
	assert "1 of the 3 units at" in items[1].description
	assert frappe.db.get_value("Sales Invoice", name, "grand_total") == 1000


def test_the_billing_choice_is_refused_once_a_draft_invoice_bills_the_order():
	from erpnext.selling.doctype.sales_order.sales_order import make_sales_invoice

	order = make_sales_order(rate=1000, qty=2)
	api.save_plan(doctype=ORDER, name=order.name, template="Thirds")
	order.reload()
	order.submit()
	part = make_sales_invoice(order.name)
	part.items[0].qty = 1
	part.insert()  # a draft for part of the order: the plan stays on the order
	with pytest.raises(frappe.ValidationError, match="already been invoiced"):
		api.save_plan(doctype=ORDER, name=order.name, billing=EACH)
	assert frappe.db.get_value(ORDER, order.name, "pb_billing") == "One Invoice"
