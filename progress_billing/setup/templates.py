"""The built-in plan templates, created on install and restored on every migrate."""

import frappe

BEFORE = "Before Task Starts"
AFTER = "After Task Completed"

# name: [(label, percentage, trigger, task subject)]
BUILTIN_TEMPLATES = {
	"50/50 Split": [("Deposit", 50, None, None), ("Final", 50, None, None)],
	"60/40 Deposit": [("Deposit", 60, None, None), ("Final", 40, None, None)],
	"Thirds": [
		("Deposit", "33.333334", None, None),
		("Progress", "33.333333", None, None),
		("Final", "33.333333", None, None),
	],
	"Countertop: Measure / Removal / Install": [
		("Measure", 25, BEFORE, "Measure"),
		("Removal", 25, AFTER, "Removal"),
		("Install", 50, AFTER, "Install"),
	],
}


def sync_builtin_templates():
	for name, stages in BUILTIN_TEMPLATES.items():
		template = (
			frappe.get_doc("Payment Schedule Template", name)
			if frappe.db.exists("Payment Schedule Template", name)
			else frappe.new_doc("Payment Schedule Template")
		)
		template.template_name = name
		template.is_builtin = 1
		template.set(
			"stages",
			[
				{"label": label, "percentage": percentage, "trigger": trigger, "task_subject": subject}
				for label, percentage, trigger, subject in stages
			],
		)
		template.flags.ignore_permissions = True
		template.save()
