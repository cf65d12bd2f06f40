"""Trust at the edges: a person's text is text everywhere it is shown, money is never asked
or paid back twice, and a choice the user made is kept."""

import datetime
from decimal import Decimal

import pytest

frappe = pytest.importorskip("frappe", reason="frappe is not importable: run pytest with the bench's python")

from frappe.utils import add_days, getdate, nowdate

from erpnext.selling.doctype.sales_order.sales_order import make_sales_invoice

from progress_billing import api
from progress_billing.engine import PlanError
from progress_billing.errors import format_refusal
from progress_billing.notify import reminders
from progress_billing.progress_billing.report.outstanding_draws import outstanding_draws
from progress_billing.setup.email_templates import DRAW_DUE_REMINDER, get_template, sync_email_templates
from tests.integration.factories import (
	OFFICE_USER,
	TECH_USER,
	company,
	customer_with_email,
	enable_program,
	ensure_customer,
	ensure_department,
	ensure_item,
	ensure_outgoing_account,
	make_invoice,
	make_sales_order,
	receive_payment,
)
from tests.integration.test_portal import CUSTOMER, get_page, portal_user  # noqa: F401 (a fixture)

PAYLOAD = "<img src=x onerror=alert(1)>"
ESCAPED = "&lt;img src=x onerror=alert(1)&gt;"
WORDS_PAYLOAD = "<b onmouseover=alert(2)>Plan</b>"
ORDER = "Sales Order"


@pytest.fixture(autouse=True)
def program():
	enable_program()


def thirds(customer=None, **values):
	invoice = make_invoice(rate=3000, customer=customer, **values)
	api.save_plan(invoice.name, template="Thirds")
	invoice.reload()
	invoice.submit()
	return invoice


# 1. A label, the program's words: plain text where typed, text where shown.


def test_markup_in_a_label_is_refused_by_every_way_in_and_nothing_is_written():
	invoice = make_invoice(rate=3000)
	rows = [{"label": "Deposit", "percentage": 50}, {"label": PAYLOAD, "percentage": 50}]
	with pytest.raises(frappe.ValidationError, match="plain text"):
		api.save_plan(invoice.name, installments=rows)
	assert not frappe.get_all("Progress Billing Installment", {"sales_invoice": invoice.name})

	template = frappe.get_doc(
		{
			"doctype": "Payment Schedule Template",
			"template_name": "_PB Markup",
			"stages": [{"label": PAYLOAD, "percentage": 50}, {"label": "Final", "percentage": 50}],
		}
	)
	with pytest.raises(frappe.ValidationError, match="plain text"):
		template.insert()
	# Frappe's own naming rule already refuses "<" and ">" in a name; ours, the rest.
	with pytest.raises((frappe.ValidationError, frappe.NameError)):
		frappe.get_doc(
			{
				"doctype": "Payment Schedule Template",
				"template_name": PAYLOAD,
				"stages": [{"label": "Half", "percentage": 50}, {"label": "Final", "percentage": 50}],
			}
		).insert()

	settings = frappe.get_single("Progress Billing Settings")
	settings.program_name = WORDS_PAYLOAD
	with pytest.raises(frappe.ValidationError, match="plain text"):
		settings.save()


def test_a_reschedule_label_with_markup_is_refused():
	invoice = thirds()
	receive_payment(invoice.name, 1000)
	with pytest.raises(frappe.ValidationError, match="plain text"):
		api.reschedule_plan(invoice.name, installments=[{"idx": 2, "label": PAYLOAD}])
	assert (
		frappe.db.get_value(
			"Progress Billing Installment", {"sales_invoice": invoice.name, "stage_no": 2}, "label"
		)
		== "Progress"
	)


def test_text_too_long_for_its_field_is_refused():
	invoice = make_invoice(rate=3000)
	rows = [{"label": "D" * 141, "percentage": 50}, {"label": "Final", "percentage": 50}]
	with pytest.raises(frappe.ValidationError, match="at most 140"):
		api.save_plan(invoice.name, installments=rows)


@pytest.fixture
def stored_payload():
	"""A plan whose label, and a program whose name, carry markup stored before it was
	refused (written past the checks, as an old site has them)."""
	invoice = thirds(customer=ensure_customer(CUSTOMER))
	frappe.db.set_value(
		"Progress Billing Installment", {"sales_invoice": invoice.name, "stage_no": 1}, "label", PAYLOAD
	)
	frappe.db.set_single_value("Progress Billing Settings", "program_name", WORDS_PAYLOAD)
	frappe.clear_document_cache("Progress Billing Settings", "Progress Billing Settings")
	return invoice


def assert_text(html: str):
	assert PAYLOAD not in html and WORDS_PAYLOAD not in html
	assert "onerror=alert(1)>" not in html and "onmouseover=alert(2)>" not in html


def test_a_stored_payload_is_text_in_the_print(stored_payload):
	html = frappe.get_print("Sales Invoice", stored_payload.name, print_format="Standard")
	assert_text(html)
	assert ESCAPED in html


@pytest.mark.usefixtures("portal_user")
def test_a_stored_payload_is_text_on_the_customers_portal_pages(stored_payload):
	for path in (f"/invoices/{stored_payload.name}", "/invoices"):
		status, html = get_page(path)
		assert status == 200, html[-1500:]
		assert_text(html)
	status, html = get_page(f"/invoices/{stored_payload.name}")
	assert ESCAPED in html


def test_a_stored_payload_is_text_in_outstanding_draws(stored_payload):
	columns, rows = outstanding_draws.execute(frappe._dict(company=company(), show="All"))[:2]
	mine = [row for row in rows if row.document == stored_payload.name]
	assert [row.label for row in mine] == [ESCAPED, "Progress", "Final"]
	assert all(PAYLOAD not in str(column["label"]) for column in columns)


def test_a_stored_payload_is_text_in_the_customers_email(stored_payload):
	ensure_outgoing_account()
	sync_email_templates()
	customer = customer_with_email("pb-trust@example.com", prefix="_PB A & B ")
	frappe.db.set_value("Sales Invoice", stored_payload.name, "customer", customer)
	row = frappe._dict(
		document=stored_payload.name,
		document_type="Sales Invoice",
		customer=customer,
		customer_name=customer,
		company=company(),
		label=PAYLOAD,
		stage_no=1,
		installment_count=3,
		outstanding_amount=1000,
		currency="USD",
		due_date=getdate(),
	)
	context = reminders.reminder_context(row, {"program_name": WORDS_PAYLOAD, "interval_name": "Draw"})
	reminders.queue_email(
		stored_payload.name, "pb-trust@example.com", get_template(DRAW_DUE_REMINDER), context
	)
	message = frappe.get_all(
		"Communication",
		{"reference_name": stored_payload.name, "communication_type": "Automated Message"},
		pluck="content",
	)[0]
	assert_text(message)
	assert ESCAPED in message
	# Escaped once: "A & B" reads "A &amp; B" in the HTML, never "A &amp;amp; B".
	assert "_PB A &amp; B" in message and "&amp;amp;" not in message


def test_a_refusal_naming_a_persons_text_shows_it_as_text():
	refusal = PlanError("Row {0}: {1} cannot move.", 2, PAYLOAD)
	assert format_refusal(refusal) == f"Row 2: {ESCAPED} cannot move."


def test_the_patch_takes_the_markup_out_of_stored_labels_and_words(stored_payload):
	from progress_billing.patches import strip_markup_from_labels

	frappe.db.set_value(
		"Progress Billing Installment",
		{"sales_invoice": stored_payload.name, "stage_no": 2},
		"label",
		"<b>Rough-in</b>",
	)
	strip_markup_from_labels.execute()
	labels = frappe.get_all(
		"Progress Billing Installment",
		{"sales_invoice": stored_payload.name},
		pluck="label",
		order_by="stage_no",
	)
	assert labels == ["Installment", "Rough-in", "Final"]
	assert frappe.db.get_single_value("Progress Billing Settings", "program_name") == "Plan"


# 2, 3. Refunds: taken once (test_concurrent_payments), and by the rule of Cancel Plan.


def test_a_refund_that_cancels_the_plan_is_refused_to_whom_may_not_cancel_it():
	invoice = thirds()
	payment = receive_payment(invoice.name, 1000)
	frappe.db.set_value("User", OFFICE_USER, "pb_enabled", 0)  # the program hidden from them
	frappe.clear_cache(user=OFFICE_USER)
	frappe.set_user(OFFICE_USER)
	try:
		with pytest.raises(frappe.PermissionError, match="cancel this plan"):
			api.refund_payment(payment.name, 500, cancel_remaining_plan=1)
	finally:
		frappe.set_user("Administrator")
	assert not frappe.get_all("Journal Entry", {"pb_refund_of": payment.name})
	assert frappe.db.get_value("Sales Invoice", invoice.name, "pb_plan_status") == "Active"


# 4. A part invoice of an order on a plan: the plan asks only what it does not bill.


def job_and_materials_order():
	"""3,000: a 2,000 job line and a 1,000 materials line, on Thirds, billed as one invoice."""
	materials = "_PB Test Materials"
	if not frappe.db.exists("Item", materials):
		frappe.get_doc(
			{
				"doctype": "Item",
				"item_code": materials,
				"item_group": frappe.get_all("Item Group", {"is_group": 0}, pluck="name", limit=1)[0],
				"stock_uom": "Nos",
				"is_stock_item": 0,
			}
		).insert(ignore_permissions=True)
	order = make_sales_order(rate=2000)
	order.append(
		"items", {"item_code": materials, "qty": 1, "rate": 1000, "delivery_date": order.delivery_date}
	)
	order.save()
	api.save_plan(doctype=ORDER, name=order.name, template="Thirds")
	order.reload()
	order.submit()
	return order


def asked_of(order) -> Decimal:
	rows = outstanding_draws.execute(frappe._dict(company=company(), customer=order.customer, show="All"))[1]
	return sum(row.outstanding_amount for row in rows if row.sales_order == order.name)


def test_a_paid_part_invoice_of_the_order_is_not_asked_for_again():
	order = job_and_materials_order()
	assert asked_of(order) == 3000
	invoice = make_sales_invoice(order.name)
	invoice.items = [row for row in invoice.items if row.item_code != ensure_item()]
	invoice.insert()
	invoice.submit()
	assert invoice.grand_total == 1000
	# Before the fix the plan still asked 3,000 of a customer who owes 2,000 on this job.
	assert asked_of(order) == 2000
	receive_payment(invoice.name, 1000)
	assert asked_of(order) == 2000
	plan = api.get_plan(doctype=ORDER, name=order.name)
	assert [row["outstanding_amount"] for row in plan["installments"]] == [0, 1000, 1000]

	invoice.reload()
	for name in frappe.get_all("Payment Entry Reference", {"reference_name": invoice.name}, pluck="parent"):
		frappe.get_doc("Payment Entry", name).cancel()
	invoice.reload()
	invoice.cancel()
	assert asked_of(order) == 3000


def test_an_unpaid_part_invoice_and_the_plan_together_ask_no_more_than_the_job_owes():
	order = job_and_materials_order()
	api.accept_payment(doctype=ORDER, name=order.name, amount=500, mode_of_payment="Cash")
	invoice = make_sales_invoice(order.name)
	invoice.items = [row for row in invoice.items if row.item_code != ensure_item()]
	invoice.allocate_advances_automatically = 1
	invoice.insert()
	invoice.submit()
	invoice.reload()
	# The materials invoice took the 500 deposit as its advance: it asks 500 more.
	assert invoice.outstanding_amount == 500
	assert asked_of(order) == 2000  # 3,000 less the 1,000 the part invoice bills
	assert asked_of(order) + invoice.outstanding_amount == 3000 - 500


# 5. Outstanding Draws by department finds the orders.


def test_outstanding_draws_by_department_finds_an_orders_installments():
	department = ensure_department()
	order = make_sales_order(rate=3000)
	order.set("department" if order.meta.has_field("department") else "pb_department", department)
	order.save()
	api.save_plan(doctype=ORDER, name=order.name, template="Thirds")
	order.reload()
	order.submit()
	rows = outstanding_draws.execute(frappe._dict(company=company(), department=department, show="All"))[1]
	assert [row.document for row in rows if row.sales_order == order.name] == [order.name] * 3

	invoice = thirds(department=department)
	rows = outstanding_draws.execute(frappe._dict(company=company(), department=department, show="All"))[1]
	assert {row.document for row in rows} >= {order.name, invoice.name}
	other = outstanding_draws.execute(
		frappe._dict(company=company(), department=ensure_department("_PB Elsewhere"), show="All")
	)[1]
	assert not {row.document for row in other} & {order.name, invoice.name}


# 6. A Python caller passes dates and Decimals.


FIRST_DUE = {
	"date": lambda: datetime.date.today(),
	"datetime": lambda: datetime.datetime.now(),
	"text": nowdate,
	"frappe-date": getdate,
}
SHARE = {"date": 50, "datetime": Decimal("50"), "text": 50.0, "frappe-date": "50"}


@pytest.mark.parametrize("kind", list(FIRST_DUE))
def test_a_python_caller_may_pass_dates_and_decimals(kind):
	first_due, share = FIRST_DUE[kind](), SHARE[kind]
	invoice = make_invoice(rate=3000)
	plan = api.save_plan(
		invoice.name,
		installments=[
			{"label": "Deposit", "percentage": share, "due_date": first_due},
			{
				"label": "Final",
				"percentage": Decimal("50"),
				"due_date": datetime.date.today() + datetime.timedelta(30),
			},
		],
	)
	assert [row["amount"] for row in plan["installments"]] == [1500, 1500]
	assert plan["installments"][0]["due_date"] == getdate()


def test_malformed_text_for_a_date_is_still_refused():
	invoice = make_invoice(rate=3000)
	with pytest.raises(frappe.ValidationError):
		api.save_plan(
			invoice.name,
			installments=[
				{"label": "Deposit", "percentage": 50, "due_date": "next tuesday"},
				{"label": "Final", "percentage": 50},
			],
		)
	with pytest.raises(frappe.ValidationError, match="text, a number or a date"):
		api.save_plan(
			invoice.name,
			installments=[{"label": "Deposit", "percentage": [50]}, {"label": "Final", "percentage": 50}],
		)


# 9. A Payment Terms Template the user chose is kept.


def two_terms_template() -> str:
	name = "_PB Two Terms"
	if not frappe.db.exists("Payment Terms Template", name):
		frappe.get_doc(
			{
				"doctype": "Payment Terms Template",
				"template_name": name,
				"terms": [
					{"invoice_portion": 40, "credit_days": 0, "description": "_PB On order"},
					{"invoice_portion": 60, "credit_days": 30, "description": "_PB On completion"},
				],
			}
		).insert(ignore_permissions=True)
	return name


def department_field(doctype: str) -> str:
	return "department" if frappe.get_meta(doctype).has_field("department") else "pb_department"


@pytest.mark.parametrize("doctype", ["Sales Invoice", ORDER])
def test_a_chosen_payment_terms_template_is_kept_and_the_form_says_so(doctype):
	enable_program(default_template="Thirds")
	department = ensure_department()
	make = make_invoice if doctype == "Sales Invoice" else make_sales_order
	template = two_terms_template()
	doc = make(rate=3000, payment_terms_template=template, **{department_field(doctype): department})
	doc.reload()
	assert not doc.pb_plan_status
	assert [row.description for row in doc.payment_schedule] == ["_PB On order", "_PB On completion"]
	assert api.get_invoice_context(doctype=doctype, name=doc.name)["terms_template"] == template

	# Without a chosen template, the department's default plan still applies.
	plain = make(rate=3000, **{department_field(doctype): department})
	assert frappe.db.get_value(doctype, plain.name, "pb_plan_status") == "Active"


# 10. Smaller: a technician loads a template.


def test_a_technician_allowed_to_configure_gets_the_templates_stages_with_the_form():
	enable_program(allow_tech_override=1)
	invoice = make_invoice(rate=3000)
	frappe.set_user(TECH_USER)
	try:
		assert not frappe.has_permission("Payment Schedule Template", "read")
		context = api.get_invoice_context(invoice.name)
	finally:
		frappe.set_user("Administrator")
	assert context["can_configure"]
	thirds_template = next(template for template in context["templates"] if template["name"] == "Thirds")
	assert [stage["label"] for stage in thirds_template["stages"]] == ["Deposit", "Progress", "Final"]


# Found on the way: a plan written after insert was lost on the next save of the same document.


@pytest.mark.parametrize("doctype", ["Sales Invoice", ORDER, "Quotation"])
def test_a_default_plan_survives_the_next_save_of_the_same_document(doctype):
	"""The desk saves, then submits, the document it holds; so do scripts. Before, the plan
	attached after insert was written back as empty by that next save."""
	enable_program(default_template="Thirds")
	department = ensure_department()
	if doctype == "Quotation":
		doc = frappe.get_doc(
			{
				"doctype": "Quotation",
				"company": company(),
				"party_name": ensure_customer(),
				"transaction_date": nowdate(),
				"items": [{"item_code": ensure_item(), "qty": 1, "rate": 3000}],
				department_field(doctype): department,
			}
		).insert()
	else:
		make = make_invoice if doctype == "Sales Invoice" else make_sales_order
		doc = make(rate=3000, **{department_field(doctype): department})
	assert doc.pb_plan_status == "Active"
	assert [row.payment_amount for row in doc.payment_schedule] == [1000, 1000, 1000]
	doc.submit()
	assert frappe.db.get_value(doctype, doc.name, "pb_plan_status") == "Active"
	schedule = frappe.get_all(
		"Payment Schedule",
		{"parent": doc.name, "parenttype": doctype},
		pluck="payment_amount",
		order_by="idx",
	)
	assert schedule == [1000, 1000, 1000]
	if doctype != "Quotation":
		rows = outstanding_draws.execute(frappe._dict(company=company(), show="All"))[1]
		assert [row.outstanding_amount for row in rows if row.document == doc.name] == [1000, 1000, 1000]


# ERPNext's own documents are never refused by a plan's bookkeeping.


def test_an_order_billed_over_its_total_within_erpnexts_allowance_is_not_refused():
	frappe.db.set_single_value("Accounts Settings", "over_billing_allowance", 20)
	order = job_and_materials_order()
	invoice = make_sales_invoice(order.name)
	for row in invoice.items:
		row.rate = row.rate * 1.1
	invoice.insert()
	invoice.submit()  # before: refused, "3,300 received net of refunds is more than the 3,000"
	assert asked_of(order) == 0


def test_a_draft_made_into_a_return_drops_its_plan():
	enable_program(default_template="Thirds")
	invoice = make_invoice(rate=3000, department=ensure_department())
	assert invoice.pb_plan_status == "Active"
	invoice.is_return = 1
	invoice.items[0].qty = -1
	invoice.save()
	invoice.submit()  # before: refused, "-3,000 is not a valid amount for this currency"
	assert not frappe.db.get_value("Sales Invoice", invoice.name, "pb_plan_status")
	assert not frappe.get_all("Progress Billing Installment", {"sales_invoice": invoice.name})


def test_payment_schedule_rows_typed_by_hand_are_kept():
	enable_program(default_template="Thirds")
	invoice = make_invoice(
		rate=3000,
		department=ensure_department(),
		payment_schedule=[
			{"due_date": nowdate(), "invoice_portion": 30, "payment_amount": 900},
			{"due_date": add_days(nowdate(), 30), "invoice_portion": 70, "payment_amount": 2100},
		],
	)
	assert not invoice.pb_plan_status
	assert [row.payment_amount for row in invoice.payment_schedule] == [900, 2100]


@pytest.mark.parametrize("doctype", ["Sales Invoice", ORDER])
@pytest.mark.parametrize("action", ["save", "submit"])
def test_a_payment_terms_template_picked_after_the_plan_was_made_takes_its_place(doctype, action):
	enable_program(default_template="Thirds")
	make = make_invoice if doctype == "Sales Invoice" else make_sales_order
	doc = make(rate=3000, **{department_field(doctype): ensure_department()})
	assert doc.pb_plan_status == "Active"
	doc.payment_terms_template = two_terms_template()
	getattr(doc, action)()
	assert not frappe.db.get_value(doctype, doc.name, "pb_plan_status")
	assert not frappe.get_all("Progress Billing Installment", {owner_field(doctype): doc.name})
	assert [row.description for row in doc.payment_schedule] == ["_PB On order", "_PB On completion"]


def owner_field(doctype: str) -> str:
	return "sales_invoice" if doctype == "Sales Invoice" else "sales_order"


def test_submitting_an_order_on_a_plan_again_changes_nothing():
	"""ERPNext's own tests submit a submitted order again; its rows are re-rounded from
	their portions on the way (333.33 against the plan's 333.34), which was refused."""
	enable_program(default_template="Thirds")
	order = make_sales_order(rate=1000, **{department_field(ORDER): ensure_department()})
	order.submit()
	order.submit()
	schedule = frappe.get_all(
		"Payment Schedule",
		{"parent": order.name, "parenttype": ORDER},
		pluck="payment_amount",
		order_by="idx",
	)
	assert schedule == [333.34, 333.33, 333.33]
