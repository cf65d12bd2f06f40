"""The plan, read-only, on ERPNext's portal pages for a quotation and a sales order
(/quotations/<name>, /orders/<name>), so the customer reads the schedule with the quote
and sees deposits taken against the order.

ERPNext's page stays in charge: its context (which refuses anyone the document is not
for), its layout and its actions. This renderer only swaps in a template that extends
ERPNext's and adds the plan below it.
"""

from urllib.parse import urlencode

import frappe
from frappe import _
from frappe.utils import fmt_money, formatdate
from frappe.website.page_renderers.template_page import TemplatePage

from progress_billing import engine, settings
from progress_billing.plans import applications, ledger, owners
from progress_billing.portal import invoice_page, standing

ERPNEXT_PAGE = "order"  # ERPNext's page for /orders/<name> and /quotations/<name>
DOCTYPES = (owners.QUOTATION, owners.SALES_ORDER)
TEMPLATE = "progress_billing/templates/includes/portal/order.html"


class OrderPortalPage(TemplatePage):
	def set_template_path(self):
		super().set_template_path()
		self.ours = (
			self.path == ERPNEXT_PAGE
			and getattr(self, "app", None) == "erpnext"
			and frappe.form_dict.doctype in DOCTYPES
		)

	def can_render(self):
		return self.ours and super().can_render()

	def update_context(self):
		super().update_context()  # ERPNext's get_context: permission and the document
		doc = self.context.get("doc")
		if doc and settings.is_enabled():
			self.context.update(plan_context(doc))
		self.template_path = self.context.template = TEMPLATE


def _add_draw_invoices(doc, rows) -> ledger.DrawMoney:
	"""An order billed draw by draw: each installment's state, and its invoice once that is
	submitted (a draft is the office's, not yet the customer's)."""
	money = ledger.order_draws(doc.name, rows, retainage=bool(doc.get("pb_retainage")))
	for row, status, draw in zip(rows, money.invoice_status, money.draws, strict=True):
		row.invoice = row.draw_invoice if status == 1 else None
		row.draw_state = engine.draw_state(
			1 if status == 1 else None,
			engine.to_decimal(row.paid_amount),
			engine.to_decimal(row.amount) - draw.retained,
		)
	return money


def retainage_lines(doc, money: ledger.DrawMoney) -> list[dict]:
	"""What the job's draws withheld, what was released, and what is still held: money
	billed, not yet asked for."""
	if not engine.to_decimal(doc.get("pb_retainage") or 0) and not money.retainage.retained:
		return []
	by_applications = doc.get("pb_billing") == engine.PAY_APPLICATIONS
	return invoice_page.held_lines(
		doc,
		money.retainage,
		_("Retained by applications") if by_applications else _("Retained by draws"),
	)


def plan_context(doc) -> dict:
	"""The plan as the invoice page shows it, without money the document cannot take."""
	words = settings.get_words()
	if doc.get("pb_plan_status") in (owners.INVOICED, owners.ORDERED):
		return {"words": words, "plan": None, "moved_to": moved_to(doc)}
	if doc.get("pb_plan_status") not in (engine.ACTIVE, engine.COMPLETED):
		return {"words": words, "plan": None}
	rows = owners.get_rows(doc.name, doc.doctype)
	for row in rows:
		row.idx = row.stage_no
	lines = []
	if doc.get("pb_billing") in engine.BILLED_ON_ORDER:
		lines = retainage_lines(doc, _add_draw_invoices(doc, rows))
	owed = doc.doctype == owners.SALES_ORDER and doc.docstatus == 1  # nothing is owed on a quote or a draft
	current = next((row.idx for row in rows if row.outstanding_amount > 0), None) if owed else None
	plan = invoice_page.plan_view(doc, rows, current, standing.today(), owed=owed)
	return {
		"words": words,
		"plan": plan,
		"balance_lines": lines,
		"pay_applications": pay_application_links(doc)
		if doc.get("pb_billing") == engine.PAY_APPLICATIONS
		else [],
	}


def pay_application_links(doc) -> list[dict]:
	"""The order's submitted pay applications, each with its PDF."""
	return [
		{
			"title": _("Pay Application {0}, to {1}").format(row.application_no, formatdate(row.period_end)),
			"amount": fmt_money(row.current_payment_due, currency=doc.currency),
			"pdf": "/api/method/frappe.utils.print_format.download_pdf?"
			+ urlencode(
				{
					"doctype": applications.DOCTYPE,
					"name": row.name,
					"format": "Pay Application",
					"no_letterhead": 0,
				}
			),
			"invoice": row.sales_invoice,
		}
		for row in applications.applications(doc.name)
	]


PORTAL_ROUTES = {owners.SALES_INVOICE: "/invoices/", owners.SALES_ORDER: "/orders/"}


def moved_to(doc) -> dict:
	"""Where the plan went (the order made from the quote, the invoice for the whole order),
	with a link once that document is the customer's to see (submitted)."""
	doctype, name = (
		(owners.SALES_INVOICE, doc.get("pb_plan_invoice"))
		if doc.get("pb_plan_invoice")
		else (owners.SALES_ORDER, doc.get("pb_plan_order"))
	)
	submitted = bool(name) and frappe.db.get_value(doctype, name, "docstatus") == 1
	return {
		"doctype": doctype,
		"name": name,
		"route": PORTAL_ROUTES[doctype] + name if submitted else None,
	}
