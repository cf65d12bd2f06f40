"""The Email Template reminders are written from: created once, then the business's to edit."""

import frappe
from frappe import _

DRAW_DUE_REMINDER = "Draw Due Reminder"
DRAW_DUE_BODY = ("templates", "emails", "draw_due_reminder.html")


def sync_email_templates():
	"""Creates the template when it is missing; an existing one, edited or not, is left alone."""
	if not frappe.db.exists("Email Template", DRAW_DUE_REMINDER):
		default_draw_due_template().insert(ignore_permissions=True)


def get_draw_due_template():
	"""The site's template, or the built-in text while the site has none."""
	if frappe.db.exists("Email Template", DRAW_DUE_REMINDER):
		return frappe.get_doc("Email Template", DRAW_DUE_REMINDER)
	return default_draw_due_template()


def default_draw_due_template():
	"""The built-in text as an unsaved Email Template. Jinja, with the business's words
	for the program and the installment in `program_name` and `interval_name`."""
	template = frappe.new_doc("Email Template")
	template.update(
		{
			"name": DRAW_DUE_REMINDER,
			"subject": _("{{ interval_name }} due: {{ installment }} ({{ invoice }})"),
			"use_html": 1,
			"response_html": frappe.read_file(frappe.get_app_path("progress_billing", *DRAW_DUE_BODY)),
		}
	)
	return template
