"""Draw-due reminders: one email per installment, on the day it falls due.

The scheduler calls `enqueue_draw_due_reminders` early each morning and the work runs on
the long queue. An installment missed by a few days (the workers were down) is still
sent within CATCH_UP_DAYS; older ones never are. `reminded_on` marks what was queued,
so running again sends nothing new. The deposit (stage 1) is collected on site and is
never reminded. Installments of a submitted order's plan (deposits asked before its
invoice) are reminded as invoices' are, on the order.
"""

from urllib.parse import quote

from pypika.terms import ValueWrapper

import frappe
from frappe import _
from frappe.core.doctype.communication.email import make as make_communication
from frappe.email.doctype.email_account.email_account import EmailAccount
from frappe.query_builder.functions import Count, IfNull
from frappe.utils import (
	add_days,
	create_batch,
	fmt_money,
	formatdate,
	get_url,
	getdate,
	now_datetime,
	validate_email_address,
)

from progress_billing import engine, settings
from progress_billing.plans import INSTALLMENT, owners
from progress_billing.views import labels

# The documents whose installments are reminded, and their portal page.
REMINDED = {owners.SALES_INVOICE: "/invoices/", owners.SALES_ORDER: "/orders/"}
from progress_billing.setup.email_templates import get_draw_due_template

CATCH_UP_DAYS = 3
BATCH_SIZE = 500
SAVEPOINT = "pb_draw_due_reminder"
AUTOESCAPE = "{{% autoescape true %}}{0}{{% endautoescape %}}"
JOB_ID = "progress_billing.draw_due_reminders"


def enqueue_draw_due_reminders():
	"""The scheduler's entry point: a cron job runs on the short default queue, and a
	run over thousands of installments needs the long one."""
	frappe.enqueue(
		"progress_billing.notify.reminders.send_draw_due_reminders",
		queue="long",
		job_id=JOB_ID,
		deduplicate=True,
	)


def send_draw_due_reminders(today=None) -> int:
	"""Queues a reminder for each installment due from CATCH_UP_DAYS ago to today that has
	not had one; returns how many were queued."""
	if not settings.is_enabled():
		return 0
	return send_reminders(due_installments(getdate(today)), get_draw_due_template(), commit_batches=True)


def send_reminders(rows, template, commit_batches: bool = False) -> int:
	"""Queues `template` for each row with someone to write to; returns how many.
	`commit_batches` is for the scheduler's own job, never for a document's hook."""
	if not rows:
		return 0

	account = outgoing_account()
	if not account:
		frappe.log_error(
			title=_("Draw due reminders not sent"),
			message=_("There is no outgoing Email Account to send them from."),
		)
		return 0

	words = settings.get_words()
	queued = 0
	for batch in create_batch(rows, BATCH_SIZE):
		recipients = reminder_recipients(batch)
		for row in batch:
			if row.name in recipients:
				queued += queue_reminder(row, recipients[row.name], template, account.default_sender, words)
		if commit_batches and not frappe.flags.in_test:
			# What is queued stays queued if the job stops part way, and payments
			# waiting on these installment rows are not held up by one long transaction.
			frappe.db.commit()
	return queued


def due_installments(today) -> list[dict]:
	"""The installments to remind today, with what the email needs, one query per kind
	of document, in due-date order."""
	installment = frappe.qb.DocType(INSTALLMENT)
	rows = []
	for doctype in REMINDED:
		rows += (
			reminder_query(installment, doctype).where(
				installment.due_date.between(add_days(today, -CATCH_UP_DAYS), today)
				& (installment.stage_no > 1)
			)
		).run(as_dict=True)
	return _as_documents(sorted(rows, key=lambda row: (row.due_date, row.document, row.stage_no)))


def installments_by_name(names: list[str]) -> list[dict]:
	"""These installments, where one may still be asked for (same rules but the date)."""
	if not names:
		return []
	installment = frappe.qb.DocType(INSTALLMENT)
	rows = []
	for doctype in REMINDED:
		rows += reminder_query(installment, doctype).where(installment.name.isin(names)).run(as_dict=True)
	return _as_documents(rows)


def _as_documents(rows: list[dict]) -> list[dict]:
	drawn = [row.draw_invoice for row in rows if row.get("draw_invoice")]
	submitted = (
		set(frappe.get_all(owners.SALES_INVOICE, {"name": ("in", drawn), "docstatus": 1}, pluck="name"))
		if drawn
		else set()
	)
	for row in rows:
		if row.get("draw_invoice") in submitted:
			# An invoiced draw is paid on its invoice: the reminder points there.
			row.document_type, row.document = owners.SALES_INVOICE, row.draw_invoice
		# An invoice's rows keep `sales_invoice`, as the task-completed notices read them.
		if row.document_type == owners.SALES_INVOICE:
			row.sales_invoice = row.document
	return rows


def reminder_query(installment, doctype: str = owners.SALES_INVOICE):
	"""Installments not yet reminded, with something outstanding, on active plans of
	submitted invoices (or orders), with the document, the people to write to and the task if any."""
	link = installment[owners.owner(doctype).link_field]
	siblings = frappe.qb.DocType(INSTALLMENT).as_("siblings")
	invoice = frappe.qb.DocType(doctype)
	task = frappe.qb.DocType("Task")
	installment_count = (
		frappe.qb.from_(siblings).select(Count(siblings.name)).where(siblings[link.name] == link)
	)
	query = frappe.qb.from_(installment).join(invoice).on(invoice.name == link)
	if doctype == owners.SALES_ORDER:
		# A draw of an order billed draw by draw is announced by its invoice's email; once
		# invoiced, it is reminded as that invoice's.
		query = query.where(
			(IfNull(invoice.pb_billing, "") != engine.EACH_DRAW) | installment.draw_invoice.isnotnull()
		)
	return (
		with_recipient_fields(query, invoice)
		.left_join(task)
		.on(task.name == installment.task)
		.select(
			installment.name,
			link.as_("document"),
			ValueWrapper(doctype).as_("document_type"),
			installment.stage_no,
			installment.label,
			installment.due_date,
			installment.outstanding_amount,
			installment.draw_invoice,
			installment_count.as_("installment_count"),
			invoice.currency,
			task.subject.as_("task_subject"),
		)
		.where(
			installment.reminded_on.isnull()
			& (installment.outstanding_amount > 0)
			& (installment.status != engine.CANCELLED)
			& (invoice.docstatus == 1)
			& (invoice.pb_plan_status == engine.ACTIVE)
		)
	)


def with_recipient_fields(query, invoice):
	"""Joins the invoice's contact and its customer's primary contact, selecting what
	reminder_recipients needs to choose an address and respect an opt-out."""
	customer = frappe.qb.DocType("Customer")
	invoice_contact = frappe.qb.DocType("Contact").as_("invoice_contact")
	primary_contact = frappe.qb.DocType("Contact").as_("primary_contact")
	return (
		query.left_join(customer)
		.on(customer.name == invoice.customer)
		.left_join(invoice_contact)
		.on(invoice_contact.name == invoice.contact_person)
		.left_join(primary_contact)
		.on(primary_contact.name == customer.customer_primary_contact)
		.select(
			invoice.customer,
			invoice.customer_name,
			invoice.company,
			invoice.contact_email,
			invoice_contact.unsubscribed.as_("contact_unsubscribed"),
			primary_contact.email_id.as_("primary_email"),
			primary_contact.unsubscribed.as_("primary_unsubscribed"),
		)
	)


def reminder_recipients(rows) -> dict[str, str]:
	"""Installment name -> the address to write to: the invoice's contact email, else the
	customer's primary contact's. Rows without one, or whose person opted out, are left out."""
	candidates = {}
	for row in rows:
		if row.contact_email:
			email, contact_opted_out = row.contact_email, row.contact_unsubscribed
		else:
			email, contact_opted_out = row.primary_email, row.primary_unsubscribed
		email = (email or "").strip()
		if email and validate_email_address(email) and not contact_opted_out:
			candidates[row.name] = email

	opted_out = unsubscribed(rows, {email.lower() for email in candidates.values()})
	by_name = {row.name: row for row in rows}
	return {
		name: email
		for name, email in candidates.items()
		if not opted_out
		& {
			(email.lower(), None, None),
			(email.lower(), by_name[name].document_type, by_name[name].document),
			(email.lower(), "Customer", by_name[name].customer),
		}
	}


def unsubscribed(rows, emails: set[str]) -> set[tuple]:
	"""Who opted out, as (email, reference doctype, reference name), with (email, None, None)
	for everything: Frappe's Email Unsubscribe records, and contacts marked unsubscribed."""
	if not emails:
		return set()
	emails = list(emails)
	opted_out = set()

	unsubscribe = frappe.qb.DocType("Email Unsubscribe")
	for record in (
		frappe.qb.from_(unsubscribe)
		.select(
			unsubscribe.email,
			unsubscribe.global_unsubscribe,
			unsubscribe.reference_doctype,
			unsubscribe.reference_name,
		)
		.where(
			unsubscribe.email.isin(emails)
			& (
				(unsubscribe.global_unsubscribe == 1)
				| (
					unsubscribe.reference_doctype.isin(list({row.document_type for row in rows}))
					& unsubscribe.reference_name.isin(list({row.document for row in rows}))
				)
				| (
					(unsubscribe.reference_doctype == "Customer")
					& unsubscribe.reference_name.isin(list({row.customer for row in rows}))
				)
			)
		)
	).run(as_dict=True):
		if record.global_unsubscribe:
			opted_out.add((record.email.lower(), None, None))
		else:
			opted_out.add((record.email.lower(), record.reference_doctype, record.reference_name))

	contact = frappe.qb.DocType("Contact")
	contact_email = frappe.qb.DocType("Contact Email")
	for record in (
		frappe.qb.from_(contact)
		.left_join(contact_email)
		.on((contact_email.parent == contact.name) & (contact_email.parenttype == "Contact"))
		.select(contact.email_id, contact_email.email_id.as_("other_email_id"))
		.where(
			(contact.unsubscribed == 1)
			& (contact.email_id.isin(emails) | contact_email.email_id.isin(emails))
		)
	).run(as_dict=True):
		for email in (record.email_id, record.other_email_id):
			if email and email.lower() in emails:
				opted_out.add((email.lower(), None, None))
	return opted_out


def queue_reminder(row, recipient: str, template, sender: str, words: dict) -> bool:
	"""Queues one email and marks the installment, or, on any error, neither: it is logged
	and tried again on the next run."""
	frappe.db.savepoint(SAVEPOINT)
	try:
		queue_email(
			row.document, recipient, template, reminder_context(row, words), sender, doctype=row.document_type
		)
		frappe.db.set_value(INSTALLMENT, row.name, "reminded_on", now_datetime(), update_modified=False)
	except Exception:
		frappe.db.rollback(save_point=SAVEPOINT)
		frappe.log_error(
			title=_("Draw due reminder failed for {0}").format(row.document),
			reference_doctype=row.document_type,
			reference_name=row.document,
		)
		return False
	frappe.db.release_savepoint(SAVEPOINT)
	return True


def outgoing_account():
	return EmailAccount.find_outgoing(match_by_doctype="Sales Invoice")


def queue_email(
	invoice_name: str,
	recipient: str,
	template,
	context: dict,
	sender: str | None = None,
	doctype: str = owners.SALES_INVOICE,
):
	"""Renders `template` and queues it to `recipient`, on the document's timeline."""
	sender = sender or outgoing_account().default_sender
	subject = frappe.render_template(template.subject, context)
	# The context is a person's text (names, labels, the program's words): escaped once, as
	# it is printed, also in a template the business wrote without `| e`.
	message = frappe.render_template(AUTOESCAPE.format(template.response_), context)
	# The Communication puts the email on the invoice's timeline; frappe.sendmail
	# alone would only queue it.
	communication = make_communication(
		doctype=doctype,
		name=invoice_name,
		subject=subject,
		content=message,
		sender=sender,
		recipients=[recipient],
		communication_type="Automated Message",
		email_template=None if template.is_new() else template.name,
	)["name"]
	frappe.sendmail(
		recipients=[recipient],
		sender=sender,
		subject=subject,
		message=message,
		reference_doctype=doctype,
		reference_name=invoice_name,
		communication=communication,
	)


def reminder_context(row, words: dict) -> dict:
	"""What the Email Template can use: the installment asked for, not the whole invoice."""
	label = row.label or words["interval_name"]
	return {
		**words,
		"customer": row.customer,
		"customer_name": row.customer_name or row.customer,
		"company": row.company,
		"invoice": row.document,
		"pay_url": get_url(REMINDED[row.document_type] + quote(row.document)),
		"label": label,
		"position": row.stage_no,
		"count": row.installment_count,
		"installment": labels.installment_title(label, row.stage_no, row.installment_count),
		"amount": fmt_money(row.outstanding_amount, currency=row.currency),
		"outstanding_amount": row.outstanding_amount,
		"currency": row.currency,
		"due_date": formatdate(row.due_date),
		"task": row.get("task_subject"),
	}
