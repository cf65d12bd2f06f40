from pathlib import Path

import pytest

frappe = pytest.importorskip("frappe", reason="frappe is not importable: run pytest with the bench's python")

from frappe.desk.query_report import run as run_report
from frappe.utils import add_days, getdate, nowdate

from progress_billing import api
from progress_billing.plans import making
from progress_billing.progress_billing.report.outstanding_draws import outstanding_draws
from tests.integration.factories import (
	company,
	enable_program,
	ensure_customer,
	ensure_department,
	make_invoice,
	receive_payment,
)

REPORT = "Outstanding Draws"


@pytest.fixture(autouse=True)
def program():
	enable_program()


def fresh_customer() -> str:
	return ensure_customer("_PB Draws " + frappe.generate_hash(length=8))


@pytest.fixture
def customer():
	return fresh_customer()


def planned_invoice(customer, template="Thirds", rate=3000, posted_days_ago=0, submit=True, **values):
	"""An invoice with a plan whose first installment falls due on the posting date."""
	posted = add_days(nowdate(), -posted_days_ago)
	invoice = make_invoice(rate=rate, customer=customer, posting_date=posted, due_date=posted, **values)
	api.save_plan(invoice.name, template=template)
	if submit:
		invoice.reload()
		invoice.submit()
	return invoice


def execute(**filters):
	return outstanding_draws.execute(frappe._dict({"company": company(), **filters}))


def rows_for(**filters):
	return execute(**filters)[1]


def day(offset: int):
	return getdate(add_days(nowdate(), offset))


def test_every_unpaid_installment_of_every_active_plan_is_a_row(customer):
	invoices = {planned_invoice(customer, template="50/50 Split", rate=1000).name for _ in range(3)}
	rows = rows_for(customer=customer)
	assert len(rows) == 6
	assert {row.sales_invoice for row in rows} == invoices
	assert sorted(row.position for row in rows) == ["1 of 2"] * 3 + ["2 of 2"] * 3
	assert {(row.customer, row.currency, row.amount, row.outstanding_amount) for row in rows} == {
		(customer, "USD", 500, 500)
	}


def test_paid_installments_leave_but_still_count_in_the_position(customer):
	invoice = planned_invoice(customer)
	receive_payment(invoice.name, 1500)
	rows = rows_for(customer=customer)
	assert [
		(row.label, row.position, row.amount, row.paid_amount, row.outstanding_amount) for row in rows
	] == [
		("Progress", "2 of 3", 1000, 500, 500),
		("Final", "3 of 3", 1000, 0, 1000),
	]


def test_cancelled_removed_completed_and_draft_plans_are_left_out(customer):
	cancelled_invoice = planned_invoice(customer)
	cancelled_invoice.reload()
	cancelled_invoice.cancel()
	cancelled_plan = planned_invoice(customer)
	api.cancel_plan(cancelled_plan.name)
	removed = planned_invoice(customer)
	making.remove(removed.name)
	completed = planned_invoice(customer)
	receive_payment(completed.name, 3000)
	planned_invoice(customer, submit=False)
	active = planned_invoice(customer)

	assert frappe.db.get_value("Sales Invoice", cancelled_plan.name, "pb_plan_status") == "Cancelled"
	assert frappe.db.get_value("Sales Invoice", completed.name, "pb_plan_status") == "Completed"
	assert {row.sales_invoice for row in rows_for(customer=customer)} == {active.name}


def test_past_due_comes_first_then_due_today_then_upcoming_each_by_date(customer):
	planned_invoice(customer, posted_days_ago=10)  # due -10, +20, +50
	planned_invoice(customer, posted_days_ago=40)  # due -40, -10, +20
	planned_invoice(customer, posted_days_ago=30)  # due -30, 0, +30
	rows = rows_for(customer=customer)

	assert [row.due_status for row in rows] == ["Past Due"] * 4 + ["Due Today"] + ["Upcoming"] * 4
	assert [row.due_date for row in rows] == [
		day(offset) for offset in (-40, -30, -10, -10, 0, 20, 20, 30, 50)
	]
	assert [row.days_overdue for row in rows] == [40, 30, 10, 10, 0, 0, 0, 0, 0]


def test_days_overdue_counts_from_the_due_date(customer):
	planned_invoice(customer, posted_days_ago=40)
	assert [(row.label, row.days_overdue) for row in rows_for(customer=customer)] == [
		("Deposit", 40),
		("Progress", 10),
		("Final", 0),
	]


@pytest.mark.parametrize(
	"status, offset", [("Past Due", -30), ("Due Today", 0), ("Upcoming", 30)], ids=lambda value: str(value)
)
def test_the_status_filter_keeps_one_group(customer, status, offset):
	planned_invoice(customer, posted_days_ago=30)  # due -30, 0, +30
	rows = rows_for(customer=customer, status=status)
	assert [(row.due_status, row.due_date) for row in rows] == [(status, day(offset))]


def test_an_unknown_status_is_refused(customer):
	with pytest.raises(frappe.ValidationError):
		rows_for(customer=customer, status="Someday")


def test_the_due_date_filters_are_inclusive(customer):
	planned_invoice(customer, posted_days_ago=40)  # due -40, -10, +20
	assert [row.due_date for row in rows_for(customer=customer, from_date=day(-10))] == [day(-10), day(20)]
	assert [row.due_date for row in rows_for(customer=customer, to_date=day(-10))] == [day(-40), day(-10)]
	assert [row.due_date for row in rows_for(customer=customer, from_date=day(-20), to_date=day(19))] == [
		day(-10)
	]


def test_the_customer_filter_keeps_one_customer(customer):
	other = fresh_customer()
	mine = planned_invoice(customer)
	theirs = planned_invoice(other)
	assert {row.sales_invoice for row in rows_for(customer=customer)} == {mine.name}
	assert {mine.name, theirs.name} <= {row.sales_invoice for row in rows_for()}


def test_the_department_filter_keeps_that_departments_invoices(customer):
	department = ensure_department()
	in_department = planned_invoice(customer, department=department)
	planned_invoice(customer)
	rows = rows_for(customer=customer, department=department)
	assert len(rows) == 3
	assert {row.sales_invoice for row in rows} == {in_department.name}


def test_the_company_filter_is_applied(customer):
	planned_invoice(customer)
	assert rows_for(customer=customer, company="_PB No Such Company") == []


def test_the_report_adds_a_totals_row(customer):
	first = planned_invoice(customer)
	receive_payment(first.name, 1500)
	planned_invoice(customer, template="50/50 Split", rate=1000)
	result = run_report(REPORT, filters={"company": company(), "customer": customer})["result"]
	rows, total = result[:-1], result[-1]
	assert len(rows) == 4
	assert total[0] == "Total"
	assert (total[5], total[6], total[7]) == (3000, 500, 2500)


def test_the_installment_column_takes_the_businesss_word(customer):
	enable_program(interval_name="Draw")
	columns = execute(customer=customer)[0]
	assert columns[2]["label"] == "Draw"
	assert columns[2]["fieldname"] == "label"


def test_money_columns_follow_the_invoice_currency():
	columns = {column["fieldname"]: column for column in execute()[0]}
	for fieldname in ("amount", "paid_amount", "outstanding_amount"):
		assert (columns[fieldname]["fieldtype"], columns[fieldname]["options"]) == ("Currency", "currency")
	assert columns["currency"]["hidden"] == 1


def test_nothing_is_listed_while_the_program_is_off(customer):
	planned_invoice(customer)
	enable_program(enabled=0)
	columns, rows, message = execute(customer=customer)
	assert columns
	assert rows == []
	assert "switched off" in message


def test_the_number_of_queries_does_not_grow_with_the_rows():
	few, many = fresh_customer(), fresh_customer()
	for _ in range(2):
		planned_invoice(few)
	for _ in range(10):
		planned_invoice(many)
	execute(customer=few)  # settings and metadata are cached after the first run

	def count_queries(customer):
		db, queries = frappe.local.db, []
		sql = db.sql

		def counting_sql(*args, **kwargs):
			queries.append(args[0] if args else kwargs.get("query"))
			return sql(*args, **kwargs)

		db.sql = counting_sql
		try:
			rows = execute(customer=customer)[1]
		finally:
			del db.sql
		return len(rows), len(queries)

	(few_rows, few_queries), (many_rows, many_queries) = count_queries(few), count_queries(many)
	assert (few_rows, many_rows) == (6, 30)
	assert few_queries == many_queries <= 2  # dated rows, then those waiting on a task


def to_collect(invoice_name) -> list[int]:
	return frappe.get_all(
		"Progress Billing Installment",
		{"sales_invoice": invoice_name},
		pluck="to_collect",
		order_by="stage_no",
	)


def test_each_installment_knows_whether_it_is_to_collect(customer):
	"""The flag the report's index range reads, kept by every path that moves a plan."""
	draft = planned_invoice(customer, submit=False)
	assert to_collect(draft.name) == [0, 0, 0]
	draft.reload()
	draft.submit()
	assert to_collect(draft.name) == [1, 1, 1]
	receive_payment(draft.name, 1500)
	assert to_collect(draft.name) == [0, 1, 1]
	payment = receive_payment(draft.name, 1500)
	assert to_collect(draft.name) == [0, 0, 0]
	payment.cancel()
	assert to_collect(draft.name) == [0, 1, 1]
	api.cancel_plan(draft.name)
	assert to_collect(draft.name) == [0, 0, 0]

	cancelled = planned_invoice(customer)
	cancelled.reload()
	cancelled.cancel()
	assert to_collect(cancelled.name) == [0, 0, 0]
	assert frappe.get_all(
		"Progress Billing Installment", {"sales_invoice": cancelled.name}, pluck="installment_count"
	) == [3, 3, 3]


def test_the_report_opens_on_the_most_overdue_due_within_four_weeks():
	script = Path(outstanding_draws.__file__).with_name("outstanding_draws.js").read_text()
	assert f"frappe.datetime.get_today(), {outstanding_draws.OPENING_WINDOW_DAYS})" in script
	assert f'default: "{outstanding_draws.MOST_OVERDUE}"' in script


def test_show_keeps_the_most_overdue_rows_and_says_how_many_there_are(customer):
	planned_invoice(customer, posted_days_ago=40)  # due -40, -10, +20
	planned_invoice(customer, posted_days_ago=30)  # due -30, 0, +30
	_columns, rows, message = execute(customer=customer, show="2")
	assert [row.due_date for row in rows] == [day(-40), day(-30)]
	assert message == "The 2 most overdue of 6 rows. Set Show to All to see every one."
	assert len(execute(customer=customer, show="6")) == 2  # all of them: no message
	assert len(execute(customer=customer, show="All")[1]) == 6


def test_show_refuses_what_is_not_a_number_of_rows(customer):
	with pytest.raises(frappe.ValidationError, match="Show must be"):
		execute(customer=customer, show="lots")


def test_an_installment_waiting_on_its_task_comes_after_every_dated_one(customer):
	invoice = planned_invoice(customer, posted_days_ago=10, submit=False)  # due -10, +20, +50
	frappe.db.set_value(
		"Progress Billing Installment", {"sales_invoice": invoice.name, "stage_no": 1}, "due_date", None
	)
	invoice.reload()
	invoice.submit()
	rows = rows_for(customer=customer)
	assert [(row.stage_no, row.due_status) for row in rows] == [
		(2, "Upcoming"),
		(3, "Upcoming"),
		(1, "Upcoming"),
	]
	assert [row.stage_no for row in execute(customer=customer, show="2")[1]] == [2, 3]
	assert [row.stage_no for row in rows_for(customer=customer, status="Upcoming")] == [2, 3, 1]


def test_the_opening_window_keeps_past_due_and_the_next_four_weeks(customer):
	planned_invoice(customer, posted_days_ago=40)  # due -40, -10, +20
	planned_invoice(customer, posted_days_ago=0)  # due 0, +30, +60
	window = add_days(nowdate(), outstanding_draws.OPENING_WINDOW_DAYS)
	assert [row.due_date for row in rows_for(customer=customer, to_date=window)] == [
		day(-40),
		day(-10),
		day(0),
		day(20),
	]
	assert len(rows_for(customer=customer)) == 6


def test_the_migration_fills_the_flags_of_earlier_plans(customer):
	from progress_billing.patches import fill_installments_to_collect

	open_invoice = planned_invoice(customer)
	frappe.db.sql(
		"update `tabProgress Billing Installment` set to_collect = 0, installment_count = 0 where sales_invoice = %s",
		open_invoice.name,
	)
	assert rows_for(customer=customer) == []
	fill_installments_to_collect.execute()
	assert to_collect(open_invoice.name) == [1, 1, 1]
	assert [row.position for row in rows_for(customer=customer)] == ["1 of 3", "2 of 3", "3 of 3"]


def test_the_report_reads_the_installments_alone_unless_filtering_by_department():
	"""The installments carry company, customer and whether they are to collect: the
	invoice table is joined only for the department filter."""
	plain = outstanding_draws.installments_query(frappe._dict(company=company()), getdate()).get_sql()
	assert "`tabSales Invoice`" not in plain
	assert "ORDER BY `due_date`,`sales_invoice`,`sales_order`,`stage_no`" in plain
	department = ensure_department()
	by_department = outstanding_draws.installments_query(
		frappe._dict(company=company(), department=department), getdate()
	).get_sql()
	assert "`tabSales Invoice`" in by_department
