"""Revenue: every submitted invoice posted in a period, with where each plan stands.

One query reads the invoices with their installments. There is deliberately no
filter on plans here: revenue is revenue, whether or not it is collected in stages.
"""

import frappe
from frappe import _
from frappe.utils import get_first_day, getdate

from progress_billing import settings
from progress_billing.views import labels


def execute(filters=None):
	filters = frappe._dict(filters or {})
	words = settings.get_words()
	columns = get_columns(words)
	if not settings.is_enabled():
		return columns, [], _("{0} is switched off.").format(words["program_name"])

	filters.company = filters.company or frappe.defaults.get_user_default("Company")
	if not filters.company:
		frappe.throw(_("Choose a Company."))
	today = getdate()
	filters.from_date = getdate(filters.from_date or get_first_day(today))
	filters.to_date = getdate(filters.to_date or today)
	if filters.from_date > filters.to_date:
		frappe.throw(_("From Date must be on or before To Date."))

	rows = labels.report_rows(fetch_invoices(filters), today, words)
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
		{"label": _("Posting Date"), "fieldname": "posting_date", "fieldtype": "Date", "width": 110},
		{
			"label": _("Sales Invoice"),
			"fieldname": "sales_invoice",
			"fieldtype": "Link",
			"options": "Sales Invoice",
			"width": 190,
		},
		labels.marker_column(words),
		{
			"label": _("Customer"),
			"fieldname": "customer",
			"fieldtype": "Link",
			"options": "Customer",
			"width": 150,
		},
		{"label": _("Status"), "fieldname": "status", "fieldtype": "Data", "width": 100},
		money(_("Net Total"), "net_total"),
		money(_("Grand Total"), "grand_total"),
		money(_("Balance"), "outstanding_amount", width=230),
		*labels.note_columns(words),
		{
			"label": _("Currency"),
			"fieldname": "currency",
			"fieldtype": "Link",
			"options": "Currency",
			"hidden": 1,
		},
	]


def fetch_invoices(filters) -> list[dict]:
	"""Submitted invoices posted in the period, credit and debit notes included."""
	invoice = frappe.qb.DocType("Sales Invoice")
	query = (
		frappe.qb.from_(invoice)
		.select(
			invoice.name.as_("sales_invoice"),
			invoice.posting_date,
			invoice.customer,
			invoice.status,
			invoice.net_total,
			invoice.grand_total,
			invoice.outstanding_amount,
			invoice.currency,
			invoice.pb_plan_status,
		)
		.where(
			(invoice.docstatus == 1)
			& (invoice.company == filters.company)
			& invoice.posting_date[filters.from_date : filters.to_date]
		)
		.orderby(invoice.posting_date)
		.orderby(invoice.name)
	)
	if filters.customer:
		query = query.where(invoice.customer == filters.customer)
	return labels.with_installments(query, invoice).run(as_dict=True)
