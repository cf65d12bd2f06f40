"""The Email Templates this app writes from: created once, then the business's to edit."""

import frappe
from frappe import _

DRAW_DUE_REMINDER = "Draw Due Reminder"
TASK_COMPLETED = "Task Completed Draw Due"
SCHEDULE_NOTICE = "Payment Schedule Notice"
DRAW_INVOICE = "Draw Invoice"


def default_subjects() -> dict:
	return {
		DRAW_DUE_REMINDER: _("{{ interval_name }} due: {{ installment }} ({{ invoice }})"),
		TASK_COMPLETED: _("{{ task }} is done: {{ installment }} is now due ({{ invoice }})"),
		SCHEDULE_NOTICE: _("Your {{ program_name }} for {{ invoice }}"),
		DRAW_INVOICE: _("Invoice {{ invoice }}: {{ installment }}"),
	}


BODIES = {
	DRAW_DUE_REMINDER: "draw_due_reminder.html",
	TASK_COMPLETED: "task_completed.html",
	SCHEDULE_NOTICE: "schedule_notice.html",
	DRAW_INVOICE: "draw_invoice.html",
}


def sync_email_templates():
	"""Creates each template when it is missing; an existing one, edited or not, is left alone."""
	for name in BODIES:
		if not frappe.db.exists("Email Template", name):
			default_template(name).insert(ignore_permissions=True)


def get_template(name: str):
	"""The site's template, or the built-in text while the site has none."""
	if frappe.db.exists("Email Template", name):
		return frappe.get_doc("Email Template", name)
	return default_template(name)


def get_draw_due_template():
	return get_template(DRAW_DUE_REMINDER)


def default_template(name: str):
	"""The built-in text as an unsaved Email Template: Jinja, with the business's words for
	the program and the installment in `program_name` and `interval_name`."""
	template = frappe.new_doc("Email Template")
	template.update(
		{
			"name": name,
			"subject": default_subjects()[name],
			"use_html": 1,
			"response_html": frappe.read_file(
				frappe.get_app_path("progress_billing", "templates", "emails", BODIES[name])
			),
		}
	)
	return template
