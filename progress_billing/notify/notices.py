"""Telling the customer when the job moves their plan: an installment falling due because
a task was completed, and the schedule itself whenever it is saved or its dates change."""

import hashlib
import json

import frappe
from frappe import _
from frappe.utils import fmt_money, formatdate, get_url, now_datetime

from progress_billing import engine, plans, settings
from progress_billing.notify import reminders
from progress_billing.plans import owners, payload, tasks
from progress_billing.setup.email_templates import DRAW_INVOICE, SCHEDULE_NOTICE, TASK_COMPLETED, get_template

SAVEPOINT = "pb_schedule_notice"


def notify_job_change(invoice_name: str, fell_due: list[str]) -> bool:
	"""One event of the job, one email: where a task made installments fall due, the
	customer is told that, with the schedule as it now stands; otherwise, the schedule
	alone, if it changed."""
	if fell_due and send_task_completion_notice(invoice_name, fell_due):
		return True
	return send_schedule_notice(invoice_name)


def send_task_completion_notice(invoice_name: str, installment_names: list[str]) -> bool:
	"""One email for the installments of `invoice_name` that just fell due, naming the
	first of them and carrying the whole schedule. They are marked reminded and the
	schedule as sent, so neither the morning reminder nor a schedule notice repeats it."""
	if not installment_names or not settings.is_enabled():
		return False
	rows = reminders.installments_by_name(installment_names)
	recipients = reminders.reminder_recipients(rows) if rows else {}
	first = next((row for row in sorted(rows, key=lambda row: row.stage_no) if row.name in recipients), None)
	account = reminders.outgoing_account() if first else None
	if not account:
		return False
	invoice = owners.load_invoice(invoice_name)
	plan = payload.as_dict(invoice_name)
	context = {
		**reminders.reminder_context(first, settings.get_words()),
		"schedule": schedule_lines(plan, invoice.currency),
	}

	def send():
		reminders.queue_email(
			invoice_name,
			recipients[first.name],
			get_template(TASK_COMPLETED),
			context,
			account.default_sender,
		)
		frappe.db.set_value(
			plans.INSTALLMENT,
			{"name": ("in", [row.name for row in rows])},
			"reminded_on",
			now_datetime(),
			update_modified=False,
		)
		_mark_schedule_sent(invoice_name, plan)

	return send_or_log(send, _("Task completion notice failed for {0}").format(invoice_name))


def schedule_lines(plan: dict, currency: str) -> list[dict]:
	"""What is still to pay, one line an installment, for an email."""
	return [
		{
			"label": installment["label"],
			"amount": fmt_money(installment["outstanding_amount"], currency=currency),
			"when": schedule_reason(installment),
		}
		for installment in plan["installments"]
		if installment["outstanding_amount"] > 0
	]


def _mark_schedule_sent(invoice_name: str, plan: dict):
	frappe.db.set_value(
		"Sales Invoice",
		invoice_name,
		"pb_schedule_notified",
		schedule_fingerprint(plan),
		update_modified=False,
	)


def send_schedule_notice(invoice_name: str) -> bool:
	"""Emails the schedule of a plan that follows the job's tasks, unless the customer was
	already sent this very schedule. A calendar plan's dates are on the invoice itself."""
	invoice = owners.load_invoice(invoice_name)
	if not settings.is_enabled() or invoice.docstatus != 1 or invoice.pb_plan_status != engine.ACTIVE:
		return False
	plan = payload.as_dict(invoice_name)
	if not any(row["task"] for row in plan["installments"]):
		return False
	fingerprint = schedule_fingerprint(plan)
	if fingerprint == frappe.db.get_value("Sales Invoice", invoice_name, "pb_schedule_notified"):
		return False
	row = invoice_recipient_row(invoice_name)
	recipient = reminders.reminder_recipients([row]).get(row.name) if row else None
	if not recipient:
		return False

	words = settings.get_words()
	context = {
		**words,
		"customer_name": row.customer_name or row.customer,
		"company": row.company,
		"invoice": invoice_name,
		"pay_url": get_url("/invoices/" + invoice_name),
		"schedule": schedule_lines(plan, invoice.currency),
	}
	if not reminders.outgoing_account():
		return False

	def send():
		reminders.queue_email(invoice_name, recipient, get_template(SCHEDULE_NOTICE), context)
		_mark_schedule_sent(invoice_name, plan)

	return send_or_log(send, _("Schedule notice failed for {0}").format(invoice_name))


def send_or_log(send, failure_title: str) -> bool:
	"""Runs `send` in a savepoint: a failed email must not undo the save or the task
	update that prompted it, so it alone is rolled back, and logged."""
	frappe.db.savepoint(SAVEPOINT)
	try:
		send()
	except Exception:
		frappe.db.rollback(save_point=SAVEPOINT)
		frappe.log_error(title=failure_title)
		return False
	frappe.db.release_savepoint(SAVEPOINT)
	return True


def schedule_reason(installment: dict) -> str:
	"""When, and why: 'Due 12-10-2026 (before Measure)', or 'when Install is completed'."""
	subject = installment.get("task_subject")
	if installment["due_date"] is None:
		return installment.get("waiting_for") or tasks.waiting_label(subject)
	due = _("Due {0}").format(formatdate(installment["due_date"]))
	if subject and installment.get("trigger") == engine.BEFORE_TASK_STARTS:
		return _("{0} (before {1})").format(due, subject)
	if subject and installment.get("trigger") == engine.AFTER_TASK_COMPLETED:
		return _("{0} (after {1})").format(due, subject)
	return due


def schedule_fingerprint(plan: dict) -> str:
	key = [
		(row["label"], str(row["amount"]), str(row["due_date"]), row.get("trigger"), row.get("task"))
		for row in plan["installments"]
	]
	return hashlib.sha1(json.dumps(key).encode()).hexdigest()


def invoice_recipient_row(invoice_name: str):
	invoice = frappe.qb.DocType("Sales Invoice")
	query = frappe.qb.from_(invoice).select(invoice.name, invoice.name.as_("sales_invoice"))
	rows = (
		reminders.with_recipient_fields(query, invoice).where(invoice.name == invoice_name).run(as_dict=True)
	)
	return rows[0] if rows else None


def send_draw_invoice(invoice) -> bool:
	"""The draw's invoice to the customer, once: it also stands for that installment's
	due-date reminder."""
	installment = frappe.db.get_value(plans.INSTALLMENT, {"draw_invoice": invoice.name}, "name")
	if not installment:
		return False

	def mark_reminded():
		frappe.db.set_value(
			plans.INSTALLMENT, installment, "reminded_on", now_datetime(), update_modified=False
		)

	return _send_invoice(invoice, invoice.pb_draw_title, invoice.pb_draw_order, mark_reminded)


def send_release_invoice(invoice) -> bool:
	"""The invoice that bills a job's retainage back, to the customer, once."""
	return _send_invoice(
		invoice, _("Retainage released"), invoice.pb_retainage_order or invoice.pb_retainage_invoice
	)


def _send_invoice(invoice, title: str, order: str, after_send=None) -> bool:
	if not settings.is_enabled() or not reminders.outgoing_account():
		return False
	recipient_row = invoice_recipient_row(invoice.name)
	recipient = (
		reminders.reminder_recipients([recipient_row]).get(recipient_row.name) if recipient_row else None
	)
	if not recipient:
		return False
	words = settings.get_words()
	context = {
		**words,
		"customer_name": invoice.customer_name or invoice.customer,
		"company": invoice.company,
		"invoice": invoice.name,
		"order": order,
		"installment": title,
		"amount": fmt_money(invoice.grand_total, currency=invoice.currency),
		"outstanding_amount": fmt_money(invoice.outstanding_amount, currency=invoice.currency),
		"due_date": formatdate(invoice.due_date),
		"pay_url": get_url("/invoices/" + invoice.name),
	}

	def send():
		reminders.queue_email(invoice.name, recipient, get_template(DRAW_INVOICE), context)
		if after_send:
			after_send()

	return send_or_log(send, _("Draw invoice email failed for {0}").format(invoice.name))
