"""The built-in plan templates, created on install and restored on every migrate."""

import frappe

BUILTIN_TEMPLATES = {
	"50/50 Split": [("Deposit", 50), ("Final", 50)],
	"60/40 Deposit": [("Deposit", 60), ("Final", 40)],
	"Thirds": [("Deposit", "33.333334"), ("Progress", "33.333333"), ("Final", "33.333333")],
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
		template.set("stages", [{"label": label, "percentage": percentage} for label, percentage in stages])
		template.flags.ignore_permissions = True
		template.save()
