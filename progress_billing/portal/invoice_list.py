"""The portal's invoice list (/invoices): outstanding invoices first, and for an invoice
on a plan what is asked for now instead of its whole balance, marked as the program's."""

from urllib.parse import quote

import frappe
from frappe import _
from frappe.utils import cint, fmt_money, formatdate

from progress_billing import settings
from progress_billing.plans import owners
from progress_billing.portal import access, standing

PAGE_LENGTH = 20
ROUTE = "invoices"  # ERPNext's portal route for Sales Invoices
LIST_FIELDS = (
	"name",
	"customer_name",
	"posting_date",
	"due_date",
	"currency",
	"grand_total",
	"rounded_total",
	"disable_rounded_total",
	"outstanding_amount",
	"is_return",
	"docstatus",
	"pb_plan_status",
)


def get_context(context):
	access.require_login()
	start = max(cint(frappe.form_dict.start), 0)
	invoices, more = list_invoices(access.portal_customers(), start)
	words = settings.get_words()
	context.update(
		{
			"no_cache": 1,
			"show_sidebar": True,
			"no_breadcrumbs": True,
			"title": _("Invoices"),
			"words": words,
			"rows": list_rows(invoices, words),
			"next_start": start + PAGE_LENGTH if more else None,
			"previous_start": max(start - PAGE_LENGTH, 0) if start else None,
		}
	)


def list_invoices(customers: list[str], start: int = 0, limit: int = PAGE_LENGTH) -> tuple[list, bool]:
	"""A page of the customers' submitted invoices, outstanding ones first and each group
	newest first; and whether more follow. Callers pass only the customers the user may see."""
	if not customers:
		return [], False
	base = {"docstatus": 1, "customer": ("in", customers)}
	outstanding = {**base, "outstanding_amount": (">", 0)}
	settled = {**base, "outstanding_amount": ("<=", 0)}
	outstanding_count = frappe.db.count(access.DOCTYPE, outstanding)
	wanted = limit + 1
	page = _fetch(outstanding, start, wanted) if start < outstanding_count else []
	if len(page) < wanted:
		page += _fetch(settled, max(start - outstanding_count, 0), wanted - len(page))
	return page[:limit], len(page) > limit


def _fetch(filters: dict, start: int, limit: int) -> list:
	return frappe.get_all(
		access.DOCTYPE,
		filters=filters,
		fields=LIST_FIELDS,
		order_by="posting_date desc, creation desc",
		limit_start=start,
		limit_page_length=limit,
	)


def list_rows(invoices: list, words: dict) -> list[dict]:
	names = [invoice.name for invoice in invoices]
	installments = standing.installments_by_invoice(names)
	previews = _items_preview(names)
	today = standing.today()
	return [
		_row(invoice, standing.summarize(invoice, installments[invoice.name], words, today), previews)
		for invoice in invoices
	]


def _row(invoice, summary: standing.Summary, previews: dict) -> dict:
	if summary.on_plan:
		color, title = standing.plan_indicator(summary)
	else:
		# ERPNext's own words for a regular invoice, from its controller (whichever app
		# overrides it) on an unsaved document of the values it reads.
		document = frappe.get_doc(
			{
				"doctype": "Sales Invoice",
				"outstanding_amount": invoice.outstanding_amount,
				"due_date": invoice.due_date,
				"is_return": invoice.is_return,
			}
		)
		document.set_indicator()
		color, title = document.indicator_color, document.indicator_title
	owed = summary.amount > 0
	amount = summary.amount if owed else owners.invoice_total(invoice)
	return {
		"name": invoice.name,
		"route": f"/{ROUTE}/{quote(invoice.name)}",
		"posting_date": formatdate(invoice.posting_date),
		"indicator_color": color,
		"indicator_title": title,
		"items_preview": previews.get(invoice.name, ""),
		"amount": amount,
		"amount_display": fmt_money(amount, currency=invoice.currency),
		"owed": owed,
		"caption": summary.caption if owed else _("Total"),
		"on_plan": summary.on_plan,
		"tone": summary.tone,
	}


def _items_preview(invoice_names: list[str]) -> dict[str, str]:
	"""Item names by invoice, as ERPNext's list shows them, in one query."""
	names: dict[str, list[str]] = {}
	if invoice_names:
		for item in frappe.get_all(
			"Sales Invoice Item",
			filters={"parenttype": access.DOCTYPE, "parent": ("in", invoice_names)},
			fields=["parent", "item_name"],
			order_by="parent asc, idx asc",
		):
			if item.item_name:
				names.setdefault(item.parent, []).append(item.item_name)
	return {parent: ", ".join(items) for parent, items in names.items()}
