"""Schedule of Values: every line of the orders billed by pay applications, with what is
scheduled, billed to date (ERPNext's own billed amount of the line, from submitted
invoices), how complete it is, what the last application retains of it, and the balance
to finish. One query: the orders by their billing basis, their lines by parent, and the
last application's lines by the application's order index.
"""

import frappe
from frappe import _
from frappe.utils import escape_html

from progress_billing import engine
from progress_billing.plans import applications
from progress_billing.views import report_filters


def execute(filters=None):
	filters = frappe._dict(filters or {})
	columns = get_columns()
	off = report_filters.switched_off(columns)
	if off:
		return off
	report_filters.company(filters)
	rows = fetch_lines(filters)
	for row in rows:
		# Frappe's grid renders a Data cell as HTML: a description a person typed is text.
		row.description = escape_html(applications.line_description(row))
		scheduled = engine.to_decimal(row.scheduled_value or 0)
		billed = engine.to_decimal(row.billed_to_date or 0)
		row.percent_complete = float(engine.round_to(billed * 100 / scheduled, 2)) if scheduled else 0.0
		row.balance_to_finish = scheduled - billed
	return columns, rows + total_row(rows)


def total_row(rows: list) -> list[dict]:
	"""The totals, where the lines share a currency: a % complete of the whole, which a sum
	of the lines' percentages would not be."""
	if not rows or len({row.currency for row in rows}) > 1:
		return []
	total = frappe._dict(description=_("Total"), currency=rows[0].currency, bold=1)
	for field in ("scheduled_value", "billed_to_date", "retained", "balance_to_finish"):
		total[field] = sum((engine.to_decimal(row[field] or 0) for row in rows), engine.to_decimal(0))
	scheduled = total.scheduled_value
	total.percent_complete = (
		float(engine.round_to(total.billed_to_date * 100 / scheduled, 2)) if scheduled else 0.0
	)
	return [total]


def get_columns() -> list[dict]:
	def money(label, fieldname):
		return {
			"label": label,
			"fieldname": fieldname,
			"fieldtype": "Currency",
			"options": "currency",
			"width": 135,
		}

	return [
		{
			"label": _("Sales Order"),
			"fieldname": "sales_order",
			"fieldtype": "Link",
			"options": "Sales Order",
			"width": 180,
		},
		{
			"label": _("Customer"),
			"fieldname": "customer",
			"fieldtype": "Link",
			"options": "Customer",
			"width": 150,
		},
		{"label": _("Description of Work"), "fieldname": "description", "fieldtype": "Data", "width": 210},
		money(_("Scheduled Value"), "scheduled_value"),
		money(_("Billed to Date"), "billed_to_date"),
		{
			"label": _("% Complete"),
			"fieldname": "percent_complete",
			"fieldtype": "Percent",
			"width": 110,
		},
		money(_("Retained"), "retained"),
		money(_("Balance to Finish"), "balance_to_finish"),
		{
			"label": _("Currency"),
			"fieldname": "currency",
			"fieldtype": "Link",
			"options": "Currency",
			"hidden": 1,
		},
	]


def fetch_lines(filters) -> list[dict]:
	conditions = ""
	if filters.sales_order:
		conditions += " and so.name = %(sales_order)s"
	if filters.customer:
		conditions += " and so.customer = %(customer)s"
	return frappe.db.sql(
		f"""select so.name as sales_order, so.customer, so.currency, item.item_code, item.item_name,
			item.description,
			item.amount as scheduled_value, item.billed_amt as billed_to_date,
			ifnull(line.retainage, 0) as retained
		from `tabSales Order` so force index (pb_billing_index)
		join `tabSales Order Item` item on item.parent = so.name and item.parenttype = 'Sales Order'
		left join `tab{applications.DOCTYPE}` latest on latest.sales_order = so.name and latest.docstatus = 1
			and latest.application_no = (select max(other.application_no) from `tab{applications.DOCTYPE}` other
				where other.sales_order = so.name and other.docstatus = 1)
		left join `tab{applications.LINE}` line on line.parent = latest.name and line.so_detail = item.name
		where so.pb_billing = %(billing)s and so.docstatus = 1 and so.company = %(company)s{conditions}
		order by so.name, item.idx""",
		{**filters, "billing": engine.PAY_APPLICATIONS},
		as_dict=True,
	)
