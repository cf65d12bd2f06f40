"""Retainage Held: per customer and job (an order, or an invoice billed as one job), what
its invoices withheld, what releases billed back, what is still held and since when, from
the General Ledger.

One query reads the company's Retainage Receivable account through its index and joins
each entry's invoice by name; credit notes and cancellations are in the ledger already.
"""

import frappe
from frappe import _
from frappe.utils import getdate

from progress_billing.views import report_filters


def execute(filters=None):
	filters = frappe._dict(filters or {})
	columns = get_columns()
	off = report_filters.switched_off(columns)
	if off:
		return off
	report_filters.company(filters)
	account = frappe.db.get_value("Company", filters.company, "pb_retainage_account")
	if not account:
		return (
			columns,
			[],
			_("No retainage has been withheld in {0} yet.").format(frappe.utils.escape_html(filters.company)),
		)
	today = getdate()
	rows = fetch_jobs(account, filters)
	buckets = age_buckets()  # translated once: a report of thousands of jobs
	for row in rows:
		row.held = row.retained - row.released
		row.age = bucket_of((today - row.held_since).days, buckets) if row.held_since and row.held else ""
	if not filters.show_released:
		rows = [row for row in rows if row.held]
	return columns, rows


def get_columns() -> list[dict]:
	def money(label, fieldname):
		return {
			"label": label,
			"fieldname": fieldname,
			"fieldtype": "Currency",
			"options": "currency",
			"width": 130,
		}

	return [
		{
			"label": _("Customer"),
			"fieldname": "customer",
			"fieldtype": "Link",
			"options": "Customer",
			"width": 200,
		},
		{
			"label": _("Sales Order"),
			"fieldname": "sales_order",
			"fieldtype": "Link",
			"options": "Sales Order",
			"width": 190,
			"align": "left",  # kept left where the row is an invoice's job and the cell empty
		},
		# A job billed as one invoice, in place of an order.
		{
			"label": _("Sales Invoice"),
			"fieldname": "sales_invoice",
			"fieldtype": "Link",
			"options": "Sales Invoice",
			"width": 190,
			"align": "left",
		},
		money(_("Retained"), "retained"),
		money(_("Released"), "released"),
		money(_("Held"), "held"),
		{"label": _("Held Since"), "fieldname": "held_since", "fieldtype": "Date", "width": 110},
		# A bucket, as Accounts Receivable ages: a number here would be summed in the total row.
		{"label": _("Age"), "fieldname": "age", "fieldtype": "Data", "width": 110},
		{
			"label": _("Currency"),
			"fieldname": "currency",
			"fieldtype": "Link",
			"options": "Currency",
			"hidden": 1,
		},
	]


AGE_BUCKETS = (30, 60, 90, 180, 365)


def age_buckets() -> list[tuple[int, str]]:
	"""The aging buckets of retainage held, by their last day: "0-30 days" ... "Over 365 days"."""
	buckets, low = [], 0
	for high in AGE_BUCKETS:
		buckets.append((high, _("{0}-{1} days").format(low, high)))
		low = high + 1
	return [*buckets, (None, _("Over {0} days").format(AGE_BUCKETS[-1]))]


def bucket_of(days: int, buckets: list[tuple[int, str]]) -> str:
	return next(label for high, label in buckets if high is None or days <= high)


def fetch_jobs(account: str, filters) -> list[dict]:
	"""Each job's retainage in its invoices' currency: debits into the account by the
	invoices that withhold it (credit notes off), credits by its releases (billed back)."""
	conditions = ""
	if filters.customer:
		conditions += " and si.customer = %(customer)s"
	return frappe.db.sql(
		f"""select si.pb_retainage_order as sales_order, si.pb_retainage_invoice as sales_invoice,
			si.customer, si.currency,
			sum(case when si.pb_retainage_release = 1 then 0
				else gle.debit_in_transaction_currency - gle.credit_in_transaction_currency end) as retained,
			sum(case when si.pb_retainage_release = 1
				then gle.credit_in_transaction_currency - gle.debit_in_transaction_currency else 0 end) as released,
			min(case when si.pb_retainage_release = 0 and si.is_return = 0 then si.posting_date end) as held_since
		from `tabGL Entry` gle force index (account)
		join `tabSales Invoice` si on si.name = gle.voucher_no
		where gle.account = %(account)s and gle.is_cancelled = 0 and gle.voucher_type = 'Sales Invoice'
			and (si.pb_retainage_order is not null or si.pb_retainage_invoice is not null){conditions}
		group by si.pb_retainage_order, si.pb_retainage_invoice, si.customer, si.currency
		order by held_since, sales_order, sales_invoice""",
		{"account": account, "customer": filters.customer},
		as_dict=True,
	)
