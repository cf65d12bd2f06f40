"""Outstanding Draws: every uncollected installment of an active plan, most overdue first.

One range scan of the installments' (company, to_collect, due_date) index reads the rows
in due-date order, which is past due, then due today, then upcoming, each by date; the
invoice table is joined only to filter by department. Whether a row is Past Due, Due
Today or Upcoming is the engine's rule.
"""

import frappe
from frappe import _
from frappe.query_builder.functions import Coalesce, Count, NullIf
from frappe.utils import escape_html, getdate

from progress_billing import engine, settings
from progress_billing.plans import INSTALLMENT

DUE_GROUPS = (engine.PAST_DUE, engine.DUE_TODAY, engine.UPCOMING)
# The report opens on what is actionable: past due and due within four weeks (the
# desk's default "Due To"); clearing that filter shows every row.
OPENING_WINDOW_DAYS = 28
# And on the most overdue of them: a grid of 80,000 rows helps nobody read, and costs
# seconds to fetch and draw. "All" is one filter away, and Frappe's export follows it.
MOST_OVERDUE = 500
SHOW_ALL = "All"


def execute(filters=None):
	filters = frappe._dict(filters or {})
	words = settings.get_words()
	columns = get_columns(words)
	if not settings.is_enabled():
		return (
			columns,
			[],
			_("{0} is switched off: there is nothing to collect.").format(escape_html(words["program_name"])),
		)

	filters.company = filters.company or frappe.defaults.get_user_default("Company")
	if not filters.company:
		frappe.throw(_("Choose a Company."))
	if filters.status and filters.status not in DUE_GROUPS:
		frappe.throw(_("Status must be one of {0}.").format(", ".join(map(status_label, DUE_GROUPS))))

	limit = show_limit(filters.show)
	today = getdate()
	# Translated once: a report of 100,000 rows spent half its time translating per row.
	labels = {group: status_label(group) for group in DUE_GROUPS}
	position = _("{0} of {1}")
	rows = fetch_installments(filters, today, limit)
	for row in rows:
		fill_row(row, today, labels, position)
	if any(row.retained for row in rows):
		columns = with_retained(columns)
	if limit and len(rows) == limit:
		total = count_installments(filters, today)
		if total > limit:
			message = _("The {0} most overdue of {1} rows. Set Show to All to see every one.").format(
				limit, frappe.format_value(total, {"fieldtype": "Int"})
			)
			return columns, rows, message
	return columns, rows


def show_limit(show) -> int | None:
	"""How many rows the Show filter asks for; every row where it is blank or All."""
	if show in (None, "", SHOW_ALL):
		return None
	if str(show).isdigit() and int(show) > 0:
		return int(show)
	frappe.throw(_("Show must be a number of rows or {0}.").format(_(SHOW_ALL)))


def get_columns(words: dict) -> list[dict]:
	def money(label, fieldname):
		return {
			"label": label,
			"fieldname": fieldname,
			"fieldtype": "Currency",
			"options": "currency",
			"width": 110,
		}

	# Widths that fit a 1366 px screen beside the row numbers and a scroll bar (1,188 px),
	# each with room for its header and a whole document name (the grid draws a column a
	# few pixels narrower than asked, and spaces its digits).
	return [
		{
			"label": _("Customer"),
			"fieldname": "customer",
			"fieldtype": "Link",
			"options": "Customer",
			"width": 140,
		},
		# The invoice, or for a deposit asked of an order before its invoice, the order.
		{
			"label": _("Document"),
			"fieldname": "document",
			"fieldtype": "Dynamic Link",
			"options": "document_type",
			"width": 192,
		},
		{
			"label": escape_html(words["interval_name"]),
			"fieldname": "label",
			"fieldtype": "Data",
			"width": 110,
		},
		{"label": _("Position"), "fieldname": "position", "fieldtype": "Data", "width": 80},
		{"label": _("Due Date"), "fieldname": "due_date", "fieldtype": "Date", "width": 108},
		money(_("Amount"), "amount"),
		money(_("Paid"), "paid_amount"),
		money(_("Outstanding"), "outstanding_amount"),
		{"label": _("Status"), "fieldname": "due_status", "fieldtype": "Data", "width": 110},
		{
			"label": _("Days Overdue"),
			"fieldname": "days_overdue",
			"fieldtype": "Int",
			"width": 118,
			"disable_total": 1,
		},
		{
			"label": _("Currency"),
			"fieldname": "currency",
			"fieldtype": "Link",
			"options": "Currency",
			"hidden": 1,
		},
		{"label": _("Document Type"), "fieldname": "document_type", "fieldtype": "Data", "hidden": 1},
	]


def with_retained(columns: list[dict]) -> list[dict]:
	"""Draws that withhold retainage: what they retain, beside what is outstanding (it is
	not due until released, so not in Outstanding)."""
	at = next(idx for idx, column in enumerate(columns) if column["fieldname"] == "outstanding_amount") + 1
	retained = {**columns[at - 1], "label": _("Retained"), "fieldname": "retained"}
	return [*columns[:at], retained, *columns[at:]]


def fetch_installments(filters, today, limit: int | None = None) -> list[dict]:
	"""The rows in report order: by due date, then installments still waiting on their
	task (no date yet, so upcoming), which the index would put first."""
	query = installments_query(filters, today)
	if query is None:
		return []
	due_date = frappe.qb.DocType(INSTALLMENT).due_date
	dated, waiting = query.where(due_date.isnotnull()), query.where(due_date.isnull())
	if limit:
		rows = dated.limit(limit).run(as_dict=True)
		return rows + (waiting.limit(limit - len(rows)).run(as_dict=True) if len(rows) < limit else [])
	return dated.run(as_dict=True) + waiting.run(as_dict=True)


def count_installments(filters, today) -> int:
	query = installments_query(filters, today, Count("*"))
	return query.run()[0][0] if query else 0


ROW_FIELDS = (
	"customer",
	"sales_invoice",
	"sales_order",
	"draw_invoice",
	"label",
	"stage_no",
	"installment_count",
	"due_date",
	"amount",
	"paid_amount",
	"outstanding_amount",
	"retained",
	"currency",
)


def installments_query(filters, today, *fields):
	"""Installments to collect (outstanding, on active plans of submitted invoices), in
	due-date order, then by invoice and position; None where nothing can match."""
	installment = frappe.qb.DocType(INSTALLMENT)
	query = frappe.qb.from_(installment).select(*(fields or (installment[field] for field in ROW_FIELDS)))
	query = query.where((installment.company == filters.company) & (installment.to_collect == 1))
	if not fields:
		query = (
			query.orderby(installment.due_date)
			.orderby(installment.sales_invoice)
			.orderby(installment.sales_order)
			.orderby(installment.stage_no)
		)
	if filters.customer:
		query = query.where(installment.customer == filters.customer)
	if filters.status == engine.PAST_DUE:
		query = query.where(installment.due_date < today)
	elif filters.status == engine.DUE_TODAY:
		query = query.where(installment.due_date == today)
	elif filters.status == engine.UPCOMING:
		query = query.where((installment.due_date > today) | installment.due_date.isnull())
	if filters.from_date:
		query = query.where(installment.due_date >= getdate(filters.from_date))
	if filters.to_date:
		query = query.where(installment.due_date <= getdate(filters.to_date))
	if filters.department:
		# An installment belongs to its invoice's plan, or to its order's (a deposit asked
		# before the invoice, or an order billed draw by draw): the department is that
		# document's.
		invoice, order = frappe.qb.DocType("Sales Invoice"), frappe.qb.DocType("Sales Order")
		departments = [
			department
			for department in (
				document_department(invoice, "Sales Invoice"),
				document_department(order, "Sales Order"),
			)
			if department is not None
		]
		if not departments:
			return None
		query = (
			query.left_join(invoice)
			.on(invoice.name == installment.sales_invoice)
			.left_join(order)
			.on(order.name == installment.sales_order)
			.where(Coalesce(*departments) == filters.department)
		)
	return query


def document_department(table, doctype: str):
	"""The document's department as settings.invoice_department reads it: the site's own
	`department` field where it has one, else ours; NULL where it has neither."""
	meta = frappe.get_meta(doctype)
	fields = [
		NullIf(getattr(table, name), "") for name in ("department", "pb_department") if meta.has_field(name)
	]
	if len(fields) == 2:
		return Coalesce(*fields)
	return fields[0] if fields else None


def fill_row(row, today, labels: dict, position: str):
	"""Completes a fetched row in place: at 100,000 rows a new dict per row costs."""
	row.due_group = engine.due_group(row.due_date, today)
	row.due_status = labels[row.due_group]
	row.days_overdue = engine.days_overdue(row.due_date, today)
	row.position = position.format(row.stage_no, row.pop("installment_count"))
	# Frappe's grid renders a Data cell as HTML: a label a person typed is text.
	row.label = escape_html(row.label)
	if row.sales_invoice or row.draw_invoice:
		# An order billed draw by draw: a draw already invoiced is collected on its invoice.
		row.document_type, row.document = "Sales Invoice", row.sales_invoice or row.draw_invoice
	else:
		row.document_type, row.document = "Sales Order", row.sales_order


def status_label(due_group: str) -> str:
	return {
		engine.PAST_DUE: _("Past Due"),
		engine.DUE_TODAY: _("Due Today"),
		engine.UPCOMING: _("Upcoming"),
	}[due_group]
