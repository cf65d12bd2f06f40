import email

import pytest

frappe = pytest.importorskip("frappe", reason="frappe is not importable: run pytest with the bench's python")

from frappe.utils import add_days, fmt_money, formatdate, get_url, getdate, nowdate

from progress_billing import api
from progress_billing.notify import reminders
from progress_billing.setup.email_templates import DRAW_DUE_REMINDER, sync_email_templates
from tests.integration.factories import (
	customer_with_email,
	enable_program,
	ensure_outgoing_account,
	make_invoice,
	receive_payment,
)

ADDRESS = "pb-customer@example.com"


def set_program(**values):
	enable_program(**{"enabled": 1, "default_interval_days": 30, **values})


@pytest.fixture(autouse=True)
def program():
	set_program()


@pytest.fixture(autouse=True)
def outgoing_account():
	ensure_outgoing_account()
	yield
	frappe.local.outgoing_email_account = {}


@pytest.fixture(autouse=True)
def template():
	sync_email_templates()


def new_customer(address=ADDRESS, unsubscribed=0) -> str:
	return customer_with_email(address, unsubscribed, prefix="_PB Reminders ")


def plan_with_draw_due(days_ago=0, customer=None, **values):
	"""A submitted invoice on Thirds whose second installment fell due `days_ago` days ago."""
	posted = add_days(nowdate(), -(30 + days_ago))
	invoice = make_invoice(
		rate=3000, customer=customer or new_customer(), posting_date=posted, due_date=posted, **values
	)
	api.save_plan(invoice.name, template="Thirds")
	invoice.reload()
	invoice.submit()
	assert installment(invoice.name, 2).due_date == getdate(add_days(nowdate(), -days_ago))
	return invoice


def installment(invoice_name, stage_no):
	return frappe.db.get_value(
		"Progress Billing Installment",
		{"sales_invoice": invoice_name, "stage_no": stage_no},
		["name", "due_date", "outstanding_amount", "reminded_on"],
		as_dict=True,
	)


def queued(invoice_name) -> list[dict]:
	"""The Email Queue rows for the invoice, each with its recipients."""
	rows = frappe.get_all(
		"Email Queue",
		filters={"reference_doctype": "Sales Invoice", "reference_name": invoice_name},
		fields=["name", "communication", "message", "status"],
	)
	for row in rows:
		row.recipients = frappe.get_all("Email Queue Recipient", {"parent": row.name}, pluck="recipient")
	return rows


def communications(invoice_name) -> list[dict]:
	return frappe.get_all(
		"Communication",
		filters={
			"reference_doctype": "Sales Invoice",
			"reference_name": invoice_name,
			"communication_type": "Automated Message",
		},
		fields=["name", "subject", "content", "recipients", "email_template"],
	)


def html_of(queued_message: str) -> str:
	mail = email.message_from_string(queued_message)
	return "".join(
		part.get_payload(decode=True).decode()
		for part in mail.walk()
		if part.get_content_type() == "text/html"
	)


def test_one_email_on_the_due_date_and_none_on_a_second_run():
	invoice = plan_with_draw_due(days_ago=0)
	reminders.send_draw_due_reminders()

	[row] = queued(invoice.name)
	assert row.recipients == [ADDRESS]
	assert row.status == "Not Sent"
	[communication] = communications(invoice.name)
	assert row.communication == communication.name
	assert communication.recipients == ADDRESS
	assert communication.email_template == DRAW_DUE_REMINDER
	assert installment(invoice.name, 2).reminded_on

	reminders.send_draw_due_reminders()
	assert len(queued(invoice.name)) == 1
	assert len(communications(invoice.name)) == 1


def test_the_email_asks_for_the_installment_in_the_businesss_words():
	set_program(program_name="Build Plan", interval_name="Draw")
	invoice = plan_with_draw_due(days_ago=0)
	receive_payment(invoice.name, 1250)  # the deposit and 250 of the draw
	reminders.send_draw_due_reminders()

	[communication] = communications(invoice.name)
	assert communication.subject == f"Draw due: Progress, 2 of 3 ({invoice.name})"
	due = installment(invoice.name, 2)
	[row] = queued(invoice.name)
	for text in (communication.content, html_of(row.message)):
		assert "Build Plan" in text
		assert "Draw" in text
		assert "Progress, 2 of 3" in text
		assert fmt_money(750, currency=invoice.currency) in text
		assert fmt_money(3000, currency=invoice.currency) not in text
		assert formatdate(due.due_date) in text
		assert get_url(f"/invoices/{invoice.name}") in text


def test_the_deposit_is_never_reminded():
	invoice = make_invoice(rate=3000, customer=new_customer())
	api.save_plan(invoice.name, template="Thirds")
	invoice.reload()
	invoice.submit()
	assert installment(invoice.name, 1).due_date == getdate(nowdate())

	reminders.send_draw_due_reminders()
	assert queued(invoice.name) == []
	assert not installment(invoice.name, 1).reminded_on


def test_a_paid_installment_is_not_reminded():
	invoice = plan_with_draw_due(days_ago=0)
	receive_payment(invoice.name, 2000)
	reminders.send_draw_due_reminders()
	assert queued(invoice.name) == []


def test_a_missed_day_is_caught_up_but_an_old_installment_never():
	recent = plan_with_draw_due(days_ago=2)
	old = plan_with_draw_due(days_ago=5)
	reminders.send_draw_due_reminders()
	assert len(queued(recent.name)) == 1
	assert queued(old.name) == []
	assert not installment(old.name, 2).reminded_on


@pytest.mark.parametrize("scope", ["invoice", "customer", "everything"])
def test_an_unsubscribed_address_gets_nothing(scope):
	customer = new_customer()
	invoice = plan_with_draw_due(days_ago=0, customer=customer)
	reference = {
		"invoice": {"reference_doctype": "Sales Invoice", "reference_name": invoice.name},
		"customer": {"reference_doctype": "Customer", "reference_name": customer},
		"everything": {"global_unsubscribe": 1},
	}[scope]
	frappe.get_doc({"doctype": "Email Unsubscribe", "email": ADDRESS, **reference}).insert(
		ignore_permissions=True
	)
	reminders.send_draw_due_reminders()
	assert queued(invoice.name) == []
	assert communications(invoice.name) == []
	assert not installment(invoice.name, 2).reminded_on


def test_an_unsubscribed_contact_gets_nothing():
	invoice = plan_with_draw_due(days_ago=0, customer=new_customer(unsubscribed=1))
	reminders.send_draw_due_reminders()
	assert queued(invoice.name) == []


def test_without_an_invoice_contact_the_customers_primary_contact_is_written_to():
	invoice = plan_with_draw_due(days_ago=0)
	frappe.db.set_value(
		"Sales Invoice", invoice.name, {"contact_person": None, "contact_email": None}, update_modified=False
	)
	reminders.send_draw_due_reminders()
	[row] = queued(invoice.name)
	assert row.recipients == [ADDRESS]


def test_the_invoice_contact_email_comes_first():
	invoice = plan_with_draw_due(days_ago=0)
	frappe.db.set_value(
		"Sales Invoice", invoice.name, "contact_email", "pb-site-office@example.com", update_modified=False
	)
	reminders.send_draw_due_reminders()
	[row] = queued(invoice.name)
	assert row.recipients == ["pb-site-office@example.com"]


def test_no_email_address_is_skipped_silently():
	invoice = plan_with_draw_due(days_ago=0, customer=new_customer(address=None))
	# Error Logs outlive a test's rollback, and invoice names come back after one: count
	# this run's, not every log that ever named an invoice of this name.
	logged_before = frappe.db.count("Error Log", {"reference_name": invoice.name})
	reminders.send_draw_due_reminders()
	assert queued(invoice.name) == []
	assert not installment(invoice.name, 2).reminded_on
	assert frappe.db.count("Error Log", {"reference_name": invoice.name}) == logged_before


def test_one_failing_email_does_not_stop_or_undo_the_others(monkeypatch):
	failing = plan_with_draw_due(days_ago=1, customer=new_customer("pb-bounce@example.com"))
	fine = plan_with_draw_due(days_ago=0)
	sendmail = frappe.sendmail

	def sendmail_failing_for_one(*args, **kwargs):
		if "pb-bounce@example.com" in kwargs["recipients"]:
			raise frappe.OutgoingEmailError("SMTP refused")
		return sendmail(*args, **kwargs)

	monkeypatch.setattr(frappe, "sendmail", sendmail_failing_for_one)
	failing_logged = {"reference_doctype": "Sales Invoice", "reference_name": failing.name}
	logged_before = frappe.db.count("Error Log", failing_logged)
	assert reminders.send_draw_due_reminders() >= 1

	assert len(queued(fine.name)) == 1
	assert installment(fine.name, 2).reminded_on
	assert queued(failing.name) == []
	assert communications(failing.name) == []
	assert not installment(failing.name, 2).reminded_on
	assert frappe.db.count("Error Log", failing_logged) == logged_before + 1

	monkeypatch.setattr(frappe, "sendmail", sendmail)
	reminders.send_draw_due_reminders()
	assert len(queued(failing.name)) == 1


def test_a_cancelled_plan_sends_nothing():
	invoice = plan_with_draw_due(days_ago=0)
	frappe.db.set_value("Sales Invoice", invoice.name, "pb_plan_status", "Cancelled", update_modified=False)
	reminders.send_draw_due_reminders()
	assert queued(invoice.name) == []


def test_a_disabled_program_sends_nothing():
	invoice = plan_with_draw_due(days_ago=0)
	enable_program(enabled=0)
	assert reminders.send_draw_due_reminders() == 0
	assert queued(invoice.name) == []
	assert not installment(invoice.name, 2).reminded_on


def test_the_template_is_the_businesss_to_edit():
	template = frappe.get_doc("Email Template", DRAW_DUE_REMINDER)
	template.subject = "Pay {{ installment }} please"
	template.save()
	sync_email_templates()
	assert (
		frappe.db.get_value("Email Template", DRAW_DUE_REMINDER, "subject") == "Pay {{ installment }} please"
	)

	invoice = plan_with_draw_due(days_ago=0)
	reminders.send_draw_due_reminders()
	[communication] = communications(invoice.name)
	assert communication.subject == "Pay Progress, 2 of 3 please"


def test_the_scheduler_runs_the_reminders_on_the_long_queue(monkeypatch):
	calls = []
	monkeypatch.setattr(frappe, "enqueue", lambda method, **kwargs: calls.append((method, kwargs)))
	reminders.enqueue_draw_due_reminders()
	[(method, kwargs)] = calls
	assert frappe.get_attr(method) is reminders.send_draw_due_reminders
	assert kwargs["queue"] == "long"
	assert kwargs["deduplicate"]
