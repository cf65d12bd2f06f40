"""Labels and the program's words are plain text now: take the markup out of those stored
before it was refused (installments, template stages, ERPNext's Payment Schedule rows that
carry an installment's label, and the settings' words)."""

import frappe

from progress_billing.engine.text import has_markup, strip_markup

SETTINGS = "Progress Billing Settings"
# Where a person's text that looks like markup sits.
LOOKS_LIKE_MARKUP = "(`{0}` like '%<%' or `{0}` like '%&%;%')"
LABELS = {
	"Progress Billing Installment": f"select name, label from `tabProgress Billing Installment` where {LOOKS_LIKE_MARKUP.format('label')}",
	"Payment Schedule Template Stage": f"select name, label from `tabPayment Schedule Template Stage` where {LOOKS_LIKE_MARKUP.format('label')}",
	# Only the rows of documents on a plan: a payment term's description may be HTML by design.
	"Payment Schedule": " union all ".join(
		f"""select ps.name, ps.description from `tabPayment Schedule` ps
		join `tab{parent}` doc on doc.name = ps.parent and ps.parenttype = '{parent}'
		where ifnull(doc.pb_plan_status, '') != '' and {LOOKS_LIKE_MARKUP.format("description")}"""
		for parent in ("Sales Invoice", "Sales Order", "Quotation")
	),
}


def execute():
	for doctype, query in LABELS.items():
		field = "description" if doctype == "Payment Schedule" else "label"
		for name, value in frappe.db.sql(query):
			if has_markup(value):
				text = strip_markup(value) or frappe._("Installment")
				frappe.db.set_value(doctype, name, field, text, update_modified=False)
	for field in ("program_name", "interval_name"):
		value = frappe.db.get_single_value(SETTINGS, field)
		if value and has_markup(value):
			frappe.db.set_single_value(SETTINGS, field, strip_markup(value))
	frappe.clear_document_cache(SETTINGS, SETTINGS)
