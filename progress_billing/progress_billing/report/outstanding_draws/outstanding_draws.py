"""Outstanding Draws: every uncollected installment of an active plan, most overdue first.

One query reads the installments with their invoices; whether a row is Past Due, Due
Today or Upcoming, and the order that follows from it, are the engine's rules.
"""

import frappe
from frappe import _
from frappe.query_builder.functions import Coalesce, Count, NullIf
from frappe.utils import getdate

from progress_billing import engine, settings
from progress_billing.plans import INSTALLMENT

DUE_GROUPS = (engine.PAST_DUE, engine.DUE_TODAY, engine.UPCOMING)


def execute(filters=None):
	filters = frappe._dict(filters or {})
	words = settings.get_words()
	columns = get_columns(words)
	if not settings.is_enabled():
		return (
			columns,
			[],
			_("{0} is switched off: there is nothing to collect.").format(words["program_name"]),
		)

	filters.company = filters.company or frappe.defaults.get_user_default("Company")
	if not filters.company:
		frappe.throw(_("Choose a Company."))
	if filters.status and filters.status not in DUE_GROUPS:
		frappe.throw(_("Status must be one of {0}.").format(", ".join(map(status_label, DUE_GROUPS))))

	today = getdate()
	# Translated once: a report of 100,000 rows spent half its time translating per row.
	labels = {group: status_label(group) for group in DUE_GROUPS}
	position = _("{0} of {1}")
	rows = [fill_row(row, today, labels, position) for row in fetch_installments(filters)]
	if filters.status:
		rows = [row for row in rows if row.due_group == filters.status]
	rows.sort(key=lambda row: (*engine.due_sort_key(row.due_date, today), row.sales_invoice, row.stage_no))
	return columns, rows


def get_columns(words: dict) -> list[dict]:
	def money(label, fieldname):
		return {
			"label": label,
			"fieldname": fieldname,
			"fieldtype": "Currency",
			"options": "currency",
			"width": 120,
		}

	return [
		{
			"label": _("Customer"),
			"fieldname": "customer",
			"fieldtype": "Link",
			"options": "Customer",
			"width": 180,
		},
		{
			"label": _("Sales Invoice"),
			"fieldname": "sales_invoice",
			"fieldtype": "Link",
			"options": "Sales Invoice",
			"width": 170,
		},
		{"label": words["interval_name"], "fieldname": "label", "fieldtype": "Data", "width": 140},
		{"label": _("Position"), "fieldname": "position", "fieldtype": "Data", "width": 90},
		{"label": _("Due Date"), "fieldname": "due_date", "fieldtype": "Date", "width": 100},
		money(_("Amount"), "amount"),
		money(_("Paid"), "paid_amount"),
		money(_("Outstanding"), "outstanding_amount"),
		{"label": _("Status"), "fieldname": "due_status", "fieldtype": "Data", "width": 100},
		{
			"label": _("Days Overdue"),
			"fieldname": "days_overdue",
			"fieldtype": "Int",
			"width": 110,
			"disable_total": 1,
		},
		{
			"label": _("Currency"),
			"fieldname": "currency",
			"fieldtype": "Link",
			"options": "Currency",
			"hidden": 1,
		},
	]


def fetch_installments(filters) -> list[dict]:
	"""Uncollected installments of active plans on submitted invoices, each with the size
	of its plan (counted over all the plan's installments, paid ones included)."""
	installment = frappe.qb.DocType(INSTALLMENT)
	invoice = frappe.qb.DocType("Sales Invoice")
	plan = frappe.qb.DocType(INSTALLMENT).as_("plan")
	# A correlated count on the (sales_invoice, stage_no) index: a window over a derived
	# table made MariaDB materialise and sort every active plan's rows first.
	plan_size = (
		frappe.qb.from_(plan).select(Count("*")).where(plan.sales_invoice == installment.sales_invoice)
	)
	query = (
		frappe.qb.from_(installment)
		.join(invoice)
		.on(invoice.name == installment.sales_invoice)
		.select(
			invoice.customer,
			installment.sales_invoice,
			installment.label,
			installment.stage_no,
			installment.due_date,
			installment.amount,
			installment.paid_amount,
			installment.outstanding_amount,
			invoice.currency,
			plan_size.as_("installment_count"),
		)
		.where(
			(invoice.docstatus == 1)
			& (invoice.pb_plan_status == engine.ACTIVE)
			& (invoice.company == filters.company)
			& (installment.outstanding_amount > 0)
			& (installment.status != engine.CANCELLED)
		)
	)
	if filters.customer:
		query = query.where(invoice.customer == filters.customer)
	if filters.department:
		department = invoice_department(invoice)
		if department is None:
			return []
		query = query.where(department == filters.department)
	if filters.from_date:
		query = query.where(installment.due_date >= getdate(filters.from_date))
	if filters.to_date:
		query = query.where(installment.due_date <= getdate(filters.to_date))
	return query.run(as_dict=True)


def invoice_department(invoice):
	"""The invoice's department as settings.invoice_department reads it: the site's own
	`department` field where it has one, else ours."""
	meta = frappe.get_meta("Sales Invoice")
	fields = [getattr(invoice, name) for name in ("department", "pb_department") if meta.has_field(name)]
	if len(fields) == 2:
		return Coalesce(NullIf(fields[0], ""), fields[1])
	return fields[0] if fields else None


def fill_row(row, today, labels: dict, position: str):
	"""Completes a fetched row in place: at 100,000 rows a new dict per row costs."""
	row.due_group = engine.due_group(row.due_date, today)
	row.due_status = labels[row.due_group]
	row.days_overdue = engine.days_overdue(row.due_date, today)
	row.position = position.format(row.stage_no, row.pop("installment_count"))
	return row


def status_label(due_group: str) -> str:
	return {
		engine.PAST_DUE: _("Past Due"),
		engine.DUE_TODAY: _("Due Today"),
		engine.UPCOMING: _("Upcoming"),
	}[due_group]
