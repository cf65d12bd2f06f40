"""Install, migrate and uninstall: safe to run again and again."""

import frappe
from frappe.custom.doctype.custom_field.custom_field import create_custom_fields
from frappe.model import no_value_fields

from progress_billing.plans import ledger
from progress_billing.setup.custom_fields import CUSTOM_FIELDS, DEPARTMENT_FIELD
from progress_billing.setup.email_templates import BODIES, sync_email_templates
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
	add_ledger_indexes()
	sync_builtin_templates()
	sync_email_templates()
	sync_visibility()


def add_ledger_indexes():
	"""An order's plan reads what ERPNext's Advance Payment Ledger says the order received,
	by a locking read (so two deposits at once are both counted); ERPNext gives that table
	no index on the order, and without one the read would lock the whole table."""
	frappe.db.add_index(
		"Advance Payment Ledger Entry",
		["against_voucher_no", "against_voucher_type"],
		index_name=ledger.ADVANCE_LEDGER_INDEX,
	)


# Fields an earlier version added and this one no longer has.
RETIRED_FIELDS = {"Sales Invoice": ["pb_column_break"]}


def before_uninstall():
	"""Takes away what the app added to other doctypes: fields and their columns, the
	Email Templates it created and its index on ERPNext's Advance Payment Ledger. Its own
	DocTypes, reports and workspace go with the module."""
	for doctype, fields in _all_custom_fields().items():
		for field in fields:
			frappe.db.delete("Custom Field", {"dt": doctype, "fieldname": field["fieldname"]})
			if field["fieldtype"] not in no_value_fields:
				frappe.db.sql_ddl(f"alter table `tab{doctype}` drop column if exists `{field['fieldname']}`")
		frappe.clear_cache(doctype=doctype)
	for name in BODIES:
		frappe.db.delete("Email Template", {"name": name})
	if frappe.db.has_index("tabAdvance Payment Ledger Entry", ledger.ADVANCE_LEDGER_INDEX):
		frappe.db.sql_ddl(
			f"alter table `tabAdvance Payment Ledger Entry` drop index `{ledger.ADVANCE_LEDGER_INDEX}`"
		)


# The documents a plan is made on: each gets a Department where the site has none, so
# that a department's tick attaches the default plan to them.
PLAN_DOCUMENTS = {
	"Sales Invoice": "customer_name",
	"Sales Order": "customer_name",
	"Quotation": "customer_name",
}


def _all_custom_fields() -> dict:
	fields = _custom_fields()
	for doctype, after in PLAN_DOCUMENTS.items():
		department = {**DEPARTMENT_FIELD, "insert_after": after}
		if department not in fields[doctype]:
			fields[doctype].append(department)
	return fields


def _custom_fields() -> dict:
	fields = {doctype: list(rows) for doctype, rows in CUSTOM_FIELDS.items()}
	for doctype, after in PLAN_DOCUMENTS.items():
		# Where the site has a Department accounting dimension, the document already has one.
		has_department = frappe.get_meta(doctype).has_field("department")
		if not has_department or frappe.db.exists(
			"Custom Field", {"dt": doctype, "fieldname": DEPARTMENT_FIELD["fieldname"]}
		):
			fields[doctype].append({**DEPARTMENT_FIELD, "insert_after": after})
	return fields
