"""Pending Revenue: every open invoice, drafts and submitted ones with a balance.

One query reads the invoices with their installments; where a plan stands, and the
words that say so under the balance, come from the engine and plan_labels.
"""

import frappe
from frappe import _
from frappe.utils import getdate

from progress_billing import plan_labels, settings

ALL = "All"
ON_PLAN = "On a plan"
NOT_ON_PLAN = "Not on a plan"
PLAN_FILTERS = (ALL, ON_PLAN, NOT_ON_PLAN)


def execute(filters=None):
	filters = frappe._dict(filters or {})
	words = settings.get_words()
	columns = get_columns(words)
	if not settings.is_enabled():
		return columns, [], _("{0} is switched off.").format(words["program_name"])

	filters.company = filters.company or frappe.defaults.get_user_default("Company")
	if not filters.company:
		frappe.throw(_("Choose a Company."))
	filters.progress_billing = filters.progress_billing or ALL
	if filters.progress_billing not in PLAN_FILTERS:
		frappe.throw(
			_("{0} must be one of {1}.").format(
				words["program_name"], ", ".join(_(value) for value in PLAN_FILTERS)
			)
		)

	rows = plan_labels.report_rows(fetch_invoices(filters), getdate(), words)
	for row in rows:
		row.status = _(row.status) if row.status else ""
	return columns, rows


def get_columns(words: dict) -> list[dict]:
	def money(label, fieldname, width=120):
		return {
			"label": label,
			"fieldname": fieldname,
			"fieldtype": "Currency",
			"options": "currency",
			"width": width,
		}

	return [
		{
			"label": _("Sales Invoice"),
			"fieldname": "sales_invoice",
			"fieldtype": "Link",
			"options": "Sales Invoice",
			"width": 170,
		},
		plan_labels.marker_column(words),
		{
			"label": _("Customer"),
			"fieldname": "customer",
			"fieldtype": "Link",
			"options": "Customer",
			"width": 180,
		},
		{"label": _("Posting Date"), "fieldname": "posting_date", "fieldtype": "Date", "width": 100},
		{"label": _("Due Date"), "fieldname": "due_date", "fieldtype": "Date", "width": 100},
		{"label": _("Status"), "fieldname": "status", "fieldtype": "Data", "width": 100},
		money(_("Grand Total"), "grand_total"),
		money(_("Balance"), "outstanding_amount", width=260),
		*plan_labels.note_columns(words),
		{
			"label": _("Currency"),
			"fieldname": "currency",
			"fieldtype": "Link",
			"options": "Currency",
			"hidden": 1,
		},
	]


def fetch_invoices(filters) -> list[dict]:
	"""Drafts, and submitted invoices with something still to collect; credit notes aside."""
	invoice = frappe.qb.DocType("Sales Invoice")
	query = (
		frappe.qb.from_(invoice)
		.select(
			invoice.name.as_("sales_invoice"),
			invoice.customer,
			invoice.posting_date,
			invoice.due_date,
			invoice.status,
			invoice.grand_total,
			invoice.outstanding_amount,
			invoice.currency,
			invoice.pb_plan_status,
		)
		.where(
			(invoice.company == filters.company)
			& (invoice.is_return == 0)
			& ((invoice.docstatus == 0) | ((invoice.docstatus == 1) & (invoice.outstanding_amount > 0)))
		)
		.orderby(invoice.posting_date)
		.orderby(invoice.name)
	)
	if filters.customer:
		query = query.where(invoice.customer == filters.customer)
	if filters.progress_billing == ON_PLAN:
		query = query.where(invoice.pb_plan_status.isin(plan_labels.ON_PLAN))
	elif filters.progress_billing == NOT_ON_PLAN:
		query = query.where(
			invoice.pb_plan_status.isnull() | invoice.pb_plan_status.notin(plan_labels.ON_PLAN)
		)
	return plan_labels.with_installments(query, invoice).run(as_dict=True)
