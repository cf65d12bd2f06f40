"""The portal's invoice page (/invoices/<name>): what is due now and why, the plan, the
line items, payments with refunds as their own rows, ERPNext's print and PDF, and Pay
where a payment gateway is set up. The plan is shown, never changed, here."""

from decimal import Decimal
from urllib.parse import urlencode

import frappe
from frappe import _
from frappe.utils import fmt_money, formatdate, getdate, strip_html

from progress_billing import engine, settings
from progress_billing.billing import payments as billing_payments
from progress_billing.plans import figures, ledger, owners
from progress_billing.portal import access, payments, standing
from progress_billing.portal.invoice_list import ROUTE
from progress_billing.views import colours


def get_context(context):
	doc = access.get_invoice(frappe.form_dict.name)
	context.update(
		{
			"name": "order",  # the page's element id: ERPNext's portal styles for its order page apply
			"no_cache": 1,
			"show_sidebar": True,
			"doc": doc,
			"title": doc.name,
			"parents": [{"route": ROUTE, "title": _("Invoices")}],
			**invoice_context(doc),
		}
	)


def invoice_context(doc) -> dict:
	"""Everything the page shows beyond ERPNext's own invoice fields."""
	words = settings.get_words()
	rows = standing.installments_by_invoice([doc.name])[doc.name] if doc.pb_plan_status else []
	today = standing.today()
	summary = standing.summarize(doc, rows, words, today)
	billed = doc.docstatus == 1 and not doc.is_return
	if summary.on_plan:
		doc.indicator_color, doc.indicator_title = standing.plan_indicator(summary)
	else:
		doc.set_indicator()
	return {
		"words": words,
		"balance_lines": _balance_lines(doc, rows, words) if billed else [],
		"retainage_lines": _own_retainage_lines(doc) if billed else [],
		"hero": _hero(doc, summary) if billed else None,
		"plan": _plan(doc, rows, summary, today),
		"line_items": _items(doc),
		"payments": _payments(doc) if doc.docstatus == 1 else [],
		"pay": _pay(doc, summary, words) if billed and doc.outstanding_amount > 0 else None,
		**print_links(doc),
	}


def held_lines(doc, held: engine.Held, retained_label: str) -> list[dict]:
	"""A job's retainage: what it withheld, what was released, and what is still held:
	money billed, not yet asked for."""

	def line(label, amount, tone=None):
		return {"label": label, "amount": _money(amount, doc.currency), "tone": tone}

	return [
		line(retained_label, held.retained),
		line(_("Released"), held.released),
		line(_("Retainage held"), held.held, "total"),
	]


def _own_retainage_lines(doc) -> list[dict]:
	"""An invoice billed as one job that withholds retainage."""
	if doc.get("pb_retainage_invoice") != doc.name:
		return []
	held, _releases = ledger.job_retainage(doc.doctype, doc.name)
	return held_lines(doc, held, _("Retained")) if held.retained else []


def _money(amount, currency: str) -> str:
	return fmt_money(amount, currency=currency)


def _balance_lines(doc, rows: list, words: dict) -> list[dict]:
	"""Where the invoice balance differs from what the installments still ask for (a
	refund never un-pays one), the two parts and their sum, so the figures visibly add up."""
	refunded = engine.to_decimal(doc.get("pb_refunded_balance") or 0)
	if not rows or refunded <= 0 or doc.pb_plan_status == engine.CANCELLED:
		return []
	return [
		{"label": _("Plan balance"), "amount": _money(figures.installments_outstanding(rows), doc.currency)},
		{
			"label": _("Refunded, still owed"),
			"amount": _money(refunded, doc.currency),
			"tone": "refunded",
		},
		{
			"label": _("Invoice balance"),
			"amount": _money(doc.outstanding_amount, doc.currency),
			"tone": "total",
		},
	]


def _unbroken(amount: str) -> str:
	"""An amount inside a sentence: its symbol never ends a line apart from its figure."""
	return amount.replace(" ", "\u00a0")


def _hero(doc, summary: standing.Summary) -> dict:
	return {
		"tone": summary.tone,
		"label": summary.label,
		"amount": summary.amount,
		"amount_display": _money(summary.amount, doc.currency),
		"message": summary.message,
		"on_plan": summary.on_plan,
		"balance": _("Invoice balance {0} of {1}").format(
			_unbroken(_money(doc.outstanding_amount, doc.currency)),
			_unbroken(_money(owners.invoice_total(doc), doc.currency)),
		),
	}


def _plan(doc, rows: list, summary: standing.Summary, today) -> dict | None:
	if not rows:
		return None
	current = summary.standing.idx if summary.on_plan and summary.standing else None
	return plan_view(doc, rows, current, today)


def plan_view(doc, rows: list, current: int | None, today, owed: bool = True) -> dict:
	"""The plan as the portal's plan table shows it; where nothing is `owed` yet (a quote,
	a draft order) no installment is called past due."""
	return {
		"status": doc.pb_plan_status,
		"status_title": plan_status_title(doc.pb_plan_status),
		"cancelled": doc.pb_plan_status == engine.CANCELLED,
		"rows": [plan_row(doc, row, current, today, owed) for row in rows],
	}


def plan_row(doc, row, current: int | None, today, owed: bool = True) -> dict:
	outstanding = engine.to_decimal(row.outstanding_amount)
	due_date = getdate(row.due_date) if row.due_date else None
	past_due = (
		owed
		and outstanding > 0
		and row.status != engine.CANCELLED
		and due_date is not None
		and due_date < today
	)
	return {
		"idx": row.idx,
		"label": row.label,
		"due_date": formatdate(due_date) if due_date else _("Not set"),
		"amount_display": _money(row.amount, doc.currency),
		"paid_display": _money(row.paid_amount, doc.currency),
		"outstanding": outstanding,
		"outstanding_display": _money(outstanding, doc.currency),
		"retained_display": _money(row.retained, doc.currency) if row.get("retained") else None,
		"status": row.status,
		"status_title": _draw_state_title(row.draw_state)
		if row.get("draw_state") and not past_due
		else _installment_status_title(row.status, past_due),
		"invoice": row.get("invoice"),
		"status_color": colours.installment(row.status, past_due),
		"current": row.idx == current,
		"past_due": past_due,
	}


def plan_status_title(status: str) -> str:
	return {
		engine.ACTIVE: _("Active"),
		engine.COMPLETED: _("Completed"),
		engine.CANCELLED: _("Cancelled"),
	}.get(status, status)


def _draw_state_title(state: str) -> str:
	return {
		engine.SCHEDULED: _("Scheduled"),
		engine.INVOICED: _("Invoiced"),
		engine.PARTLY_PAID: _("Partly Paid"),
		engine.PAID: _("Paid"),
	}.get(state, state)


def _installment_status_title(status: str, past_due: bool) -> str:
	if past_due:
		return _("Past Due")
	return {
		engine.UNPAID: _("Unpaid"),
		engine.PARTLY_PAID: _("Partly Paid"),
		engine.PAID: _("Paid"),
		engine.CANCELLED: _("Cancelled"),
	}.get(status, status)


def _items(doc) -> list[dict]:
	"""The line items as ERPNext's portal lists them; a description only where it says more than the name."""
	rows = []
	for item in doc.items:
		description = strip_html(item.description or "").strip()
		rows.append(
			{
				"item_name": item.item_name or item.item_code,
				"description": "" if description == item.item_name else description[:140],
				"qty": item.get_formatted("qty"),
				"rate": item.get_formatted("rate"),
				"amount": item.get_formatted("amount"),
			}
		)
	return rows


def _payments(doc) -> list[dict]:
	"""Payments and refunds, oldest first; a refund is its own row with a negative amount."""
	rows = []
	for entry in billing_payments.payment_history(doc.name):
		refund = entry["kind"] == "Refund"
		if refund:
			description = _("Refund of {0}").format(entry["refund_of"])
		else:
			description = entry.get("mode_of_payment") or ""
		rows.append(
			{
				"kind": entry["kind"],
				"kind_title": _("Refund") if refund else _("Payment"),
				"name": entry["name"],
				"posting_date": formatdate(entry["posting_date"]),
				"description": description,
				"amount": engine.to_decimal(entry["amount"]),
				"amount_display": _money(entry["amount"], doc.currency),
				"refund": refund,
			}
		)
	return rows


def _pay(doc, summary: standing.Summary, words: dict) -> dict:
	available = payments.can_pay_online(doc)
	balance = _money(doc.outstanding_amount, doc.currency)
	if summary.on_plan:
		note = _("You may pay any amount up to the balance of {0}; it goes to the oldest unpaid {1} first.")
		note = note.format(balance, words["interval_name"])
	else:
		note = _("You may pay any amount up to the balance of {0}.").format(balance)
	precision = owners.money_precision(doc)
	amount = summary.amount if summary.amount > 0 else engine.to_decimal(doc.outstanding_amount)
	return {
		"available": available,
		"amount": amount,
		"value": f"{amount:.{precision}f}",
		"step": f"{Decimal(1).scaleb(-precision):f}",
		"max": f"{engine.to_decimal(doc.outstanding_amount):.{precision}f}",
		"currency": doc.currency,
		"note": note,
		"explanation": None if available else _no_gateway_explanation(doc),
	}


def _no_gateway_explanation(doc) -> dict:
	"""How to pay where there is no online payment: the company's bank details and the
	invoice's terms where ERPNext knows them; only then "the way you agreed"."""
	bank_details = payments.company_bank_details(doc.company)
	terms = strip_html(doc.terms or "").strip()
	if bank_details:
		message = _("Pay {0} by bank transfer, quoting {1} as the reference:").format(doc.company, doc.name)
	elif terms:
		message = _("Please pay {0} as the terms of this invoice say:").format(doc.company)
	else:
		message = _("Please pay {0} the way you agreed with them.").format(doc.company)
	return {
		"title": _("Online payment is not set up for this invoice."),
		"message": message,
		"bank_details": bank_details,
		"terms": terms,
	}


def print_links(doc) -> dict:
	"""ERPNext's print view and PDF, in the print format its portal uses."""
	print_format = (
		frappe.db.get_value(
			"Property Setter",
			{"property": "default_print_format", "doc_type": access.DOCTYPE},
			"value",
		)
		or "Standard"
	)
	query = urlencode({"doctype": access.DOCTYPE, "name": doc.name, "format": print_format})
	return {
		"print_format": print_format,
		"print_url": f"/printview?{query}",
		"pdf_url": f"/api/method/frappe.utils.print_format.download_pdf?{query}",
	}
