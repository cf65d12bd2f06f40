"""Install, migrate and uninstall: safe to run again and again."""

import frappe
from frappe.custom.doctype.custom_field.custom_field import create_custom_fields

from progress_billing.setup.custom_fields import CUSTOM_FIELDS, DEPARTMENT_FIELD
from progress_billing.setup.email_templates import sync_email_templates
from progress_billing.setup.templates import sync_builtin_templates
from progress_billing.setup.visibility import sync_visibility


def after_install():
	sync()


def after_migrate():
	sync()


def sync():
	for doctype, fieldnames in RETIRED_FIELDS.items():
		frappe.db.delete("Custom Field", {"dt": doctype, "fieldname": ("in", fieldnames)})
	create_custom_fields(_custom_fields(), update=True)
	sync_builtin_templates()
	sync_email_templates()
	sync_visibility()


# Fields an earlier version added and this one no longer has.
RETIRED_FIELDS = {"Sales Invoice": ["pb_column_break"]}


def before_uninstall():
	for doctype, fields in _custom_fields().items():
		for field in fields:
			frappe.db.delete("Custom Field", {"dt": doctype, "fieldname": field["fieldname"]})
		frappe.clear_cache(doctype=doctype)


def _custom_fields() -> dict:
	fields = {doctype: list(rows) for doctype, rows in CUSTOM_FIELDS.items()}
	# Where the site has a Department accounting dimension, the invoice already has one.
	has_department = frappe.get_meta("Sales Invoice").has_field("department")
	if not has_department or frappe.db.exists(
		"Custom Field", {"dt": "Sales Invoice", "fieldname": DEPARTMENT_FIELD["fieldname"]}
	):
		fields["Sales Invoice"].append(DEPARTMENT_FIELD)
	return fields
