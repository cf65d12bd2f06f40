import json
import re
from pathlib import Path

import pytest

frappe = pytest.importorskip("frappe", reason="frappe is not importable: run pytest with the bench's python")

from frappe.desk.query_report import run as run_report
from frappe.utils import add_days, fmt_money, formatdate, nowdate

from progress_billing import api
from progress_billing.progress_billing.report.pending_revenue import pending_revenue
from progress_billing.progress_billing.report.revenue import revenue
from progress_billing.views import dashboard
from tests.integration.factories import (
	OFFICE_USER,
	TECH_USER,
	company,
	enable_program,
	ensure_customer,
	ensure_users,
	make_invoice,
	receive_payment,
)

REPORTS = Path(pending_revenue.__file__).parent.parent


@pytest.fixture(autouse=True)
def program():
	enable_program(program_name="Payment Schedule", interval_name="Installment")


def fresh_customer() -> str:
	return ensure_customer("_PB Revenue " + frappe.generate_hash(length=8))


@pytest.fixture
def customer():
	return fresh_customer()


def planned_invoice(customer, template="Thirds", rate=3000, posted_days_ago=0, submit=True):
	"""An invoice with a plan whose first installment falls due on the posting date."""
	posted = add_days(nowdate(), -posted_days_ago)
	invoice = make_invoice(rate=rate, customer=customer, posting_date=posted, due_date=posted)
	api.save_plan(invoice.name, template=template)
	invoice.reload()
	if submit:
		invoice.submit()
	return invoice


def pending(**filters):
	return pending_revenue.execute(frappe._dict({"company": company(), **filters}))


def pending_rows(**filters):
	return {row.sales_invoice: row for row in pending(**filters)[1]}


def revenue_rows(**filters):
	result = revenue.execute(frappe._dict({"company": company(), **filters}))
	return {row.sales_invoice: row for row in result[1]}


def money(amount) -> str:
	return fmt_money(amount, currency="USD")


def day(offset: int) -> str:
	return formatdate(add_days(nowdate(), offset))


# Pending Revenue


def test_drafts_and_submitted_invoices_with_a_balance_are_open(customer):
	draft = make_invoice(customer=customer)
	unpaid = make_invoice(customer=customer, submit=True)
	partly_paid = make_invoice(customer=customer, submit=True)
	receive_payment(partly_paid.name, 1000)
	paid = make_invoice(customer=customer, submit=True)
	receive_payment(paid.name, 3000)
	cancelled = make_invoice(customer=customer, submit=True)
	cancelled.cancel()

	rows = pending_rows(customer=customer)
	assert set(rows) == {draft.name, unpaid.name, partly_paid.name}
	assert (rows[draft.name].status, rows[draft.name].outstanding_amount) == ("Draft", 3000)
	assert rows[partly_paid.name].outstanding_amount == 2000
	assert rows[unpaid.name].grand_total == 3000


def test_a_credit_note_is_not_pending_revenue(customer):
	from erpnext.accounts.doctype.sales_invoice.sales_invoice import make_sales_return

	invoice = make_invoice(customer=customer, submit=True)
	credit_note = make_sales_return(invoice.name)
	credit_note.insert()
	assert credit_note.name not in pending_rows(customer=customer)


@pytest.mark.parametrize(
	"plan_filter, expected",
	[
		("All", {"planned", "plain", "cancelled_plan"}),
		("On a plan", {"planned"}),
		("Not on a plan", {"plain", "cancelled_plan"}),
	],
)
def test_the_progress_billing_filter(customer, plan_filter, expected):
	invoices = {
		"planned": planned_invoice(customer),
		"plain": make_invoice(customer=customer, submit=True),
		"cancelled_plan": planned_invoice(customer),
	}
	api.cancel_plan(invoices["cancelled_plan"].name)
	names = {invoice.name: key for key, invoice in invoices.items()}
	rows = pending_rows(customer=customer, progress_billing=plan_filter)
	assert {names[name] for name in rows} == expected


def test_no_filter_value_means_all(customer):
	planned = planned_invoice(customer)
	plain = make_invoice(customer=customer)
	assert set(pending_rows(customer=customer)) == {planned.name, plain.name}


def test_an_unknown_filter_value_is_refused(customer):
	with pytest.raises(frappe.ValidationError):
		pending(customer=customer, progress_billing="Sometimes")


def test_only_plan_rows_carry_the_marker(customer):
	planned = planned_invoice(customer)
	plain = make_invoice(customer=customer, submit=True)
	cancelled_plan = planned_invoice(customer)
	api.cancel_plan(cancelled_plan.name)
	rows = pending_rows(customer=customer)
	assert rows[planned.name].plan_marker == "PS"  # the initials of the default "Payment Schedule"
	for name in (plain.name, cancelled_plan.name):
		assert (rows[name].plan_marker, rows[name].plan_note, rows[name].plan_indicator) == ("", "", "")


def test_an_installment_due_today_is_asked_for(customer):
	invoice = planned_invoice(customer)
	row = pending_rows(customer=customer)[invoice.name]
	assert row.plan_standing == "Due Now"
	assert row.plan_note == f"Installment Due Today: Deposit · {money(1000)}"
	assert row.plan_indicator == "orange"


def test_a_draft_on_a_plan_says_where_it_will_stand(customer):
	invoice = planned_invoice(customer, submit=False)
	row = pending_rows(customer=customer)[invoice.name]
	assert (row.status, row.plan_marker, row.plan_standing) == ("Draft", "PS", "Due Now")


def test_the_next_installment_is_named_with_its_date(customer):
	invoice = planned_invoice(customer)
	receive_payment(invoice.name, 1000)
	row = pending_rows(customer=customer)[invoice.name]
	assert row.plan_standing == "Upcoming"
	assert row.plan_note == f"Next Installment: Progress · Due {day(30)}"
	assert row.plan_indicator == "blue"


def test_past_due_installments_are_summed_and_shown_in_red(customer):
	invoice = planned_invoice(customer, posted_days_ago=40)  # due -40, -10, +20
	receive_payment(invoice.name, 500)
	row = pending_rows(customer=customer)[invoice.name]
	assert row.plan_standing == "Past Due"
	assert row.plan_note == f"Past Due: {money(1500)}, was due {day(-40)}"
	assert row.plan_indicator == "red"


def test_a_collected_plan_with_a_refund_still_owes_its_balance(customer):
	invoice = planned_invoice(customer)
	payment = receive_payment(invoice.name, 3000)
	assert invoice.name not in pending_rows(customer=customer)
	api.refund_payment(payment.name, 500)
	row = pending_rows(customer=customer)[invoice.name]
	assert row.outstanding_amount == 500
	assert row.plan_standing == "Collected With Balance"
	assert row.plan_note == f"Every Installment collected. · Refunded, still owed: {money(500)}"
	assert row.plan_indicator == "yellow"


def test_a_partial_refund_is_its_own_part_of_the_sub_label(customer):
	"""The issue's figures: 4,770 on a plan, 2,000 received, 500 refunded. The balance is
	3,270: the installments ask for 2,770 and the sub-label names the other 500."""
	invoice = planned_invoice(customer, template="50/50 Split", rate=4770, posted_days_ago=0)
	payment = receive_payment(invoice.name, 2000)
	api.refund_payment(payment.name, 500)
	row = pending_rows(customer=customer)[invoice.name]
	assert row.outstanding_amount == 3270
	assert row.plan_note == (
		f"Installment Due Today: Deposit · {money(385)} · Refunded, still owed: {money(500)}"
	)
	owing = sum(
		r.outstanding_amount
		for r in frappe.get_all(
			"Progress Billing Installment", {"sales_invoice": invoice.name}, ["outstanding_amount"]
		)
	)
	assert owing == 2770


def test_the_sub_labels_use_the_businesss_words(customer):
	enable_program(program_name="Progress Billing", interval_name="Draw")
	due_now = planned_invoice(customer)
	upcoming = planned_invoice(customer)
	receive_payment(upcoming.name, 1000)
	collected = planned_invoice(customer)
	api.refund_payment(receive_payment(collected.name, 3000).name, 100)

	columns, rows = pending(customer=customer)[:2]
	notes = {row.sales_invoice: row.plan_note for row in rows}
	assert notes[due_now.name] == f"Draw Due Today: Deposit · {money(1000)}"
	assert notes[upcoming.name] == f"Next Draw: Progress · Due {day(30)}"
	assert notes[collected.name] == f"Every Draw collected. · Refunded, still owed: {money(100)}"
	labels = {column["fieldname"]: column["label"] for column in columns}
	assert labels["plan_marker"] == labels["plan_note"] == "Progress Billing"
	marker = next(column for column in columns if column["fieldname"] == "plan_marker")
	assert marker["width"] >= 7 * len("Progress Billing")  # the header reads whole at 1366 px
	assert {row.plan_marker for row in rows if row.get("plan_marker")} == {"PB"}


def test_pending_revenue_adds_a_totals_row(customer):
	planned_invoice(customer)
	partly_paid = make_invoice(customer=customer, rate=1000, submit=True)
	receive_payment(partly_paid.name, 400)
	result = run_report("Pending Revenue", filters={"company": company(), "customer": customer})
	columns = [column["fieldname"] for column in result["columns"]]
	total = result["result"][-1]
	assert len(result["result"]) == 3
	assert total[columns.index("grand_total")] == 4000
	assert total[columns.index("outstanding_amount")] == 3600


def test_pending_revenue_is_empty_while_the_program_is_off(customer):
	planned_invoice(customer)
	enable_program(enabled=0)
	columns, rows, message = pending(customer=customer)
	assert columns
	assert rows == []
	assert "switched off" in message


def test_the_filter_is_labelled_in_the_report_script():
	script = (REPORTS / "pending_revenue" / "pending_revenue.js").read_text()
	assert 'fieldname: "progress_billing"' in script
	for value in ("All", "On a plan", "Not on a plan"):
		assert f'value: "{value}"' in script


# Revenue


def test_every_submitted_invoice_in_the_period_is_revenue(customer):
	today = make_invoice(customer=customer, submit=True)
	paid = make_invoice(customer=customer, submit=True)
	receive_payment(paid.name, 3000)
	planned = planned_invoice(customer)
	older = make_invoice(customer=customer, submit=True, posting_date=add_days(nowdate(), -40))
	make_invoice(customer=customer)  # a draft is not revenue yet

	rows = revenue_rows(customer=customer, from_date=add_days(nowdate(), -10), to_date=nowdate())
	assert set(rows) == {today.name, paid.name, planned.name}
	assert older.name in revenue_rows(
		customer=customer, from_date=add_days(nowdate(), -40), to_date=nowdate()
	)
	assert older.name not in revenue_rows(
		customer=customer, to_date=add_days(nowdate(), -41), from_date="2000-01-01"
	)


def test_revenue_rows_carry_the_marker_and_sub_label(customer):
	planned = planned_invoice(customer)
	collected = planned_invoice(customer)
	receive_payment(collected.name, 3000)
	plain = make_invoice(customer=customer, submit=True)
	rows = revenue_rows(customer=customer, from_date=nowdate(), to_date=nowdate())

	assert (rows[planned.name].plan_marker, rows[planned.name].plan_indicator) == ("PS", "orange")
	assert rows[planned.name].plan_note == f"Installment Due Today: Deposit · {money(1000)}"
	assert (rows[collected.name].plan_standing, rows[collected.name].plan_note) == (
		"Collected",
		"Every Installment collected.",
	)
	assert rows[plain.name].plan_marker == ""


def test_revenue_has_no_progress_billing_filter():
	script = (REPORTS / "revenue" / "revenue.js").read_text()
	fieldnames = re.findall(r'fieldname:\s*"(\w+)"', script)
	assert fieldnames == ["company", "from_date", "to_date", "customer"]
	assert json.loads((REPORTS / "revenue" / "revenue.json").read_text())["filters"] == []


def test_revenue_adds_a_totals_row(customer):
	planned_invoice(customer)
	paid = make_invoice(customer=customer, rate=1000, submit=True)
	receive_payment(paid.name, 1000)
	filters = {"company": company(), "customer": customer, "from_date": nowdate(), "to_date": nowdate()}
	result = run_report("Revenue", filters=filters)
	columns = [column["fieldname"] for column in result["columns"]]
	total = result["result"][-1]
	assert len(result["result"]) == 3
	assert total[columns.index("grand_total")] == 4000
	assert total[columns.index("outstanding_amount")] == 3000


def test_revenue_refuses_a_period_that_ends_before_it_starts(customer):
	with pytest.raises(frappe.ValidationError):
		revenue_rows(customer=customer, from_date=nowdate(), to_date=add_days(nowdate(), -1))


# Both


def count_queries(execute):
	db, queries = frappe.local.db, []
	sql = db.sql

	def counting_sql(*args, **kwargs):
		queries.append(args[0] if args else kwargs.get("query"))
		return sql(*args, **kwargs)

	db.sql = counting_sql
	try:
		rows = execute()[1]
	finally:
		del db.sql
	return len(rows), len(queries)


@pytest.mark.parametrize("report", ["pending", "revenue"])
def test_the_number_of_queries_does_not_grow_with_the_rows(report):
	few, many = fresh_customer(), fresh_customer()
	for _ in range(2):
		planned_invoice(few)
		make_invoice(customer=few, submit=True)
	for _ in range(8):
		planned_invoice(many)
		make_invoice(customer=many, submit=True)

	def execute(customer):
		if report == "pending":
			return lambda: pending(customer=customer)
		period = {"from_date": nowdate(), "to_date": nowdate()}
		return lambda: revenue.execute(frappe._dict(company=company(), customer=customer, **period))

	execute(few)()  # settings, formats and metadata are cached after the first run
	(few_rows, few_queries), (many_rows, many_queries) = (
		count_queries(execute(few)),
		count_queries(execute(many)),
	)
	assert (few_rows, many_rows) == (4, 16)
	# One query for the invoices; Pending Revenue has a second for orders on a plan.
	assert few_queries == many_queries == (2 if report == "pending" else 1)


# Number cards


def card_values():
	return dashboard.get_outstanding_total()["value"], dashboard.get_past_due_total()["value"]


def test_the_number_cards_add_up_active_plans_uncollected_installments(customer):
	outstanding, past_due = card_values()
	counted = planned_invoice(customer, posted_days_ago=40)  # due -40, -10, +20
	receive_payment(counted.name, 500)
	planned_invoice(customer, submit=False)  # a draft's plan is not owed yet
	cancelled_plan = planned_invoice(customer, posted_days_ago=40)
	api.cancel_plan(cancelled_plan.name)
	make_invoice(customer=customer, submit=True)  # no plan

	new_outstanding, new_past_due = card_values()
	assert round(new_outstanding - outstanding, 2) == 2500
	assert round(new_past_due - past_due, 2) == 1500


def test_a_number_card_opens_outstanding_draws_for_the_company():
	card = dashboard.get_past_due_total(json.dumps({"company": company()}))
	assert card["fieldtype"] == "Currency"
	assert card["route"] == ["query-report", "Outstanding Draws"]
	assert card["route_options"] == {"company": company(), "status": "Past Due"}
	assert "status" not in dashboard.get_outstanding_total()["route_options"]


def test_the_number_cards_count_only_their_company(customer):
	before = card_values()
	planned_invoice(customer, posted_days_ago=40)
	assert card_values() != before
	# Another company's plans are not counted: this customer's invoice is moved to one in
	# place, since a second company is heavy to make on a test site.
	frappe.db.sql("update `tabSales Invoice` set company = '_PB Elsewhere' where customer = %s", customer)
	assert card_values() == before


def test_the_number_cards_refuse_a_company_that_does_not_exist():
	other = json.dumps({"company": "_PB No Such Company"})
	with pytest.raises(frappe.DoesNotExistError, match="_PB No Such Company"):
		dashboard.get_outstanding_total(other)


def test_the_number_cards_read_zero_while_the_program_is_off(customer):
	planned_invoice(customer, posted_days_ago=40)
	enable_program(enabled=0)
	assert card_values() == (0, 0)


def test_the_number_cards_are_for_those_who_may_read_installments():
	ensure_users()
	try:
		frappe.set_user(OFFICE_USER)
		assert dashboard.get_outstanding_total()["fieldtype"] == "Currency"
		frappe.set_user(TECH_USER)
		with pytest.raises(frappe.PermissionError):
			dashboard.get_past_due_total()
	finally:
		frappe.set_user("Administrator")


def test_the_number_cards_are_installed_as_custom_cards():
	for name, method in (
		("Progress Billing Outstanding", "progress_billing.views.dashboard.get_outstanding_total"),
		("Progress Billing Past Due", "progress_billing.views.dashboard.get_past_due_total"),
	):
		card = frappe.get_doc("Number Card", name)
		assert (card.type, card.method, card.module) == ("Custom", method, "Progress Billing")
