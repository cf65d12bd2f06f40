"""When a job slips: the due dates and labels of installments with nothing paid change on
a plan money has reached; amounts and anything paid stay as they are."""

import pytest

frappe = pytest.importorskip("frappe", reason="frappe is not importable: run pytest with the bench's python")

from frappe.utils import add_days, getdate, nowdate

from progress_billing import api
from progress_billing.notify import reminders
from progress_billing.setup.email_templates import sync_email_templates
from tests.integration.factories import (
	OFFICE_USER,
	TECH_USER,
	customer_with_email,
	enable_program,
	ensure_outgoing_account,
	make_invoice,
)


@pytest.fixture(autouse=True)
def program():
	enable_program()
	ensure_outgoing_account()
	sync_email_templates()
	yield
	frappe.local.outgoing_email_account = {}


def day(offset: int):
	return getdate(add_days(nowdate(), offset))


def paid_deposit():
	"""3,000 on Thirds, due today, in 30 and in 60 days; the deposit paid."""
	invoice = make_invoice(rate=3000, customer=customer_with_email("pb-slip@example.com"), submit=True)
	api.save_plan(invoice.name, template="Thirds")
	api.accept_payment(invoice.name, 1000, mode_of_payment="Cash")
	return invoice


def plan_rows(invoice_name):
	return [
		(row["label"], row["due_date"], row["amount"], row["paid_amount"])
		for row in api.get_plan(invoice_name)["installments"]
	]


def schedule(invoice_name):
	return frappe.get_all(
		"Payment Schedule",
		{"parent": invoice_name},
		["description", "due_date", "payment_amount"],
		order_by="idx",
		as_list=True,
	)


def test_unpaid_installments_move_and_are_renamed_after_money_landed():
	invoice = paid_deposit()
	api.reschedule_plan(
		invoice.name,
		[{"idx": 2, "due_date": str(day(45)), "label": "Rough-in"}, {"idx": 3, "due_date": str(day(75))}],
	)
	assert plan_rows(invoice.name) == [
		("Deposit", day(0), 1000, 1000),
		("Rough-in", day(45), 1000, 0),
		("Final", day(75), 1000, 0),
	]
	# ERPNext's schedule and due date follow.
	assert [tuple(row) for row in schedule(invoice.name)] == [
		("Deposit", day(0), 1000),
		("Rough-in", day(45), 1000),
		("Final", day(75), 1000),
	]
	assert frappe.db.get_value("Sales Invoice", invoice.name, "due_date") == day(75)


def test_the_change_is_on_the_invoices_timeline_with_who_and_what():
	invoice = paid_deposit()
	api.reschedule_plan(invoice.name, [{"idx": 2, "due_date": str(day(45))}])
	(comment,) = frappe.get_all(
		"Comment",
		{"reference_doctype": "Sales Invoice", "reference_name": invoice.name, "comment_type": "Info"},
		["content", "owner", "creation"],
	)
	assert comment.owner == "Administrator"
	assert "rescheduled" in comment.content and "Progress" in comment.content


@pytest.mark.parametrize(
	"change, message",
	[
		({"idx": 1, "due_date": "2099-01-01"}, "Row 1: money has been applied"),
		({"idx": 1, "label": "Down payment"}, "Row 1: money has been applied"),
		({"idx": 2, "due_date": "2020-01-01"}, "is in the past"),
		({"idx": 2, "due_date": "2099-01-01"}, "is before the due date of row 2"),
		({"idx": 2, "label": ""}, "a label is required"),
		({"idx": 9, "label": "Extra"}, "no row 9"),
		({"idx": "2", "label": "Extra"}, "whole number"),
	],
)
def test_what_may_not_change_is_refused_and_nothing_changes(change, message):
	invoice = paid_deposit()
	before = (plan_rows(invoice.name), schedule(invoice.name))
	with pytest.raises(frappe.ValidationError, match=message):
		api.reschedule_plan(invoice.name, [change])
	assert (plan_rows(invoice.name), schedule(invoice.name)) == before


def test_amounts_are_not_rescheduled():
	invoice = paid_deposit()
	api.reschedule_plan(invoice.name, [{"idx": 2, "due_date": str(day(40)), "amount": 5}])
	assert [row[2] for row in plan_rows(invoice.name)] == [1000, 1000, 1000]


def test_reminders_follow_the_new_date():
	invoice = paid_deposit()
	api.reschedule_plan(invoice.name, [{"idx": 2, "due_date": str(day(0))}])
	assert reminders.send_draw_due_reminders(today=day(0)) == 1  # reminded today
	api.reschedule_plan(invoice.name, [{"idx": 2, "due_date": str(day(10))}])
	assert reminders.send_draw_due_reminders(today=day(0)) == 0  # not due any more
	assert reminders.send_draw_due_reminders(today=day(10)) == 1  # reminded again on the new date


def test_only_who_may_configure_plans_may_reschedule():
	invoice = paid_deposit()
	frappe.set_user(TECH_USER)
	with pytest.raises(frappe.PermissionError):
		api.reschedule_plan(invoice.name, [{"idx": 2, "due_date": str(day(45))}])
	frappe.set_user(OFFICE_USER)
	api.reschedule_plan(invoice.name, [{"idx": 2, "due_date": str(day(45))}])
	frappe.set_user("Administrator")
	assert plan_rows(invoice.name)[1][1] == day(45)
