"""Outstanding Draws: every uncollected installment of an active plan, most overdue first.

One query reads the installments with their invoices; whether a row is Past Due, Due
Today or Upcoming, and the order that follows from it, are the engine's rules.
"""

from pypika import analytics

import frappe
from frappe import _
from frappe.query_builder.functions import Coalesce, NullIf
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
	rows = [report_row(installment, today) for installment in fetch_installments(filters)]
	if filters.status:
		rows = [row for row in rows if row.due_group == filters.status]
	rows.sort(key=lambda row: engine.due_sort_key(row.due_date, today))
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
	"""Uncollected installments of active plans on submitted invoices, with the size of
	each plan: counted over all its installments, before the paid ones are left out."""
	installment = frappe.qb.DocType(INSTALLMENT)
	invoice = frappe.qb.DocType("Sales Invoice")
	plan_rows = (
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
			installment.status,
			invoice.currency,
			analytics.Count(installment.name).over(installment.sales_invoice).as_("installment_count"),
		)
		.where(
			(invoice.docstatus == 1)
			& (invoice.pb_plan_status == engine.ACTIVE)
			& (invoice.company == filters.company)
		)
	)
	if filters.customer:
		plan_rows = plan_rows.where(invoice.customer == filters.customer)
	if filters.department:
		department = invoice_department(invoice)
		if department is None:
			return []
		plan_rows = plan_rows.where(department == filters.department)
	plan_rows = plan_rows.as_("plan_rows")

	query = (
		frappe.qb.from_(plan_rows)
		.select("*")
		.where((plan_rows.outstanding_amount > 0) & (plan_rows.status != engine.CANCELLED))
		.orderby(plan_rows.due_date, plan_rows.sales_invoice, plan_rows.stage_no)
	)
	if filters.from_date:
		query = query.where(plan_rows.due_date >= getdate(filters.from_date))
	if filters.to_date:
		query = query.where(plan_rows.due_date <= getdate(filters.to_date))
	return query.run(as_dict=True)


def invoice_department(invoice):
	"""The invoice's department as settings.invoice_department reads it: the site's own
	`department` field where it has one, else ours."""
	meta = frappe.get_meta("Sales Invoice")
	fields = [getattr(invoice, name) for name in ("department", "pb_department") if meta.has_field(name)]
	if len(fields) == 2:
		return Coalesce(NullIf(fields[0], ""), fields[1])
	return fields[0] if fields else None


def report_row(installment, today) -> frappe._dict:
	due_date = getdate(installment.due_date) if installment.due_date else None
	due_group = engine.due_group(due_date, today)
	return frappe._dict(
		customer=installment.customer,
		sales_invoice=installment.sales_invoice,
		label=installment.label,
		position=_("{0} of {1}").format(installment.stage_no, installment.installment_count),
		due_date=due_date,
		amount=installment.amount,
		paid_amount=installment.paid_amount,
		outstanding_amount=installment.outstanding_amount,
		due_group=due_group,
		due_status=status_label(due_group),
		days_overdue=engine.days_overdue(due_date, today),
		currency=installment.currency,
	)


def status_label(due_group: str) -> str:
	return {
		engine.PAST_DUE: _("Past Due"),
		engine.DUE_TODAY: _("Due Today"),
		engine.UPCOMING: _("Upcoming"),
	}[due_group]
