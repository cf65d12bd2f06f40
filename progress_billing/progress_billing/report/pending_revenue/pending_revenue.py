"""Pending Revenue: every open invoice, drafts and submitted ones with a balance.

One query reads the invoices with their installments; where a plan stands, and the
words that say so under the balance, come from the engine and labels.
"""

import frappe
from frappe import _
from frappe.query_builder import Case
from frappe.query_builder.functions import Coalesce, Sum
from frappe.utils import getdate

from progress_billing import engine, settings
from progress_billing.plans import INSTALLMENT, ledger
from progress_billing.views import labels

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

	rows = labels.report_rows(fetch_invoices(filters), getdate(), words)
	if filters.progress_billing != NOT_ON_PLAN:
		# Orders on a plan are revenue to come too: what they still ask for, deposits aside.
		rows += labels.report_rows(fetch_orders(filters), getdate(), words)
	columns = with_retainage_held(rows, columns)
	for row in rows:
		row.status = _(row.status) if row.status else ""
		if row.get("sales_order"):
			row.document_type, row.document = "Sales Order", row.sales_order
		else:
			row.document_type, row.document = "Sales Invoice", row.sales_invoice
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

	# Widths that fit a 1366 px screen (about 1,230 px with the row numbers).
	return [
		# The invoice, or an order on a plan before its invoice.
		{
			"label": _("Document"),
			"fieldname": "document",
			"fieldtype": "Dynamic Link",
			"options": "document_type",
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
		{"label": _("Posting Date"), "fieldname": "posting_date", "fieldtype": "Date", "width": 110},
		{"label": _("Due Date"), "fieldname": "due_date", "fieldtype": "Date", "width": 110},
		{"label": _("Status"), "fieldname": "status", "fieldtype": "Data", "width": 100},
		money(_("Grand Total"), "grand_total", width=110),
		money(_("Balance"), "outstanding_amount", width=290),
		*labels.note_columns(words),
		{
			"label": _("Currency"),
			"fieldname": "currency",
			"fieldtype": "Link",
			"options": "Currency",
			"hidden": 1,
		},
		{"label": _("Document Type"), "fieldname": "document_type", "fieldtype": "Data", "hidden": 1},
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
			invoice.pb_retainage_invoice,
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
		query = query.where(invoice.pb_plan_status.isin(labels.ON_PLAN))
	elif filters.progress_billing == NOT_ON_PLAN:
		query = query.where(invoice.pb_plan_status.isnull() | invoice.pb_plan_status.notin(labels.ON_PLAN))
	return labels.with_installments(query, invoice).run(as_dict=True)


def still_to_collect(order):
	"""An order's revenue still to come beside its invoices' rows: for one billed draw by
	draw or by pay applications, what no invoice of it bills yet (its invoices have their
	own rows); otherwise its total less the deposits it received."""
	installment = frappe.qb.DocType(INSTALLMENT)
	invoiced = (
		frappe.qb.from_(installment)
		.select(Coalesce(Sum(installment.amount), 0))
		.where((installment.sales_order == order.name) & installment.draw_invoice.isnotnull())
	)
	return (
		Case()
		.when(order.pb_billing.isin(engine.BILLED_ON_ORDER), order.grand_total - invoiced)
		.else_(order.grand_total - order.advance_paid)
	)


def with_retainage_held(rows: list, columns: list[dict]) -> list[dict]:
	"""Retainage is not due until it is released: where jobs hold some, a column of its
	own, on the row of the order, or of the invoice billed as one job."""
	held_by_order = ledger.held_by_job(
		"Sales Order", [row.sales_order for row in rows if row.get("sales_order")]
	)
	held_by_invoice = ledger.held_by_job(
		"Sales Invoice",
		[
			row.sales_invoice
			for row in rows
			if row.get("sales_invoice") and row.get("pb_retainage_invoice") == row.sales_invoice
		],
	)
	if not held_by_order and not held_by_invoice:
		return columns
	for row in rows:
		row.retainage_held = (
			held_by_order.get(row.sales_order)
			if row.get("sales_order")
			else held_by_invoice.get(row.get("sales_invoice"))
		)
	at = next(idx for idx, column in enumerate(columns) if column["fieldname"] == "outstanding_amount") + 1
	column = {**columns[at - 1], "label": _("Retainage Held"), "fieldname": "retainage_held", "width": 120}
	return [*columns[:at], column, *columns[at:]]


def fetch_orders(filters) -> list[dict]:
	"""Orders on a plan not yet invoiced (a plan that moved to its invoice is counted
	there), drafts and submitted ones; their balance is their total less what they received."""
	order = frappe.qb.DocType("Sales Order")
	query = (
		frappe.qb.from_(order)
		.select(
			order.name.as_("sales_order"),
			order.customer,
			order.transaction_date.as_("posting_date"),
			order.delivery_date.as_("due_date"),
			order.status,
			order.grand_total,
			still_to_collect(order).as_("outstanding_amount"),
			order.currency,
			order.pb_plan_status,
		)
		.where(
			(order.company == filters.company)
			& (order.docstatus < 2)
			& order.pb_plan_status.isin(labels.ON_PLAN)
			& (still_to_collect(order) > 0)
		)
		.orderby(order.transaction_date)
		.orderby(order.name)
	)
	if filters.customer:
		query = query.where(order.customer == filters.customer)
	return labels.with_installments(query, order, link_field="sales_order").run(as_dict=True)
