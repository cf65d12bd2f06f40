"""The plan on the printed invoice, order or quotation (and its PDF): a Jinja method for
the print template."""

import frappe
from frappe import _

from progress_billing import engine, settings
from progress_billing.plans import ledger, owners, payload


def get_plan_for_print(name: str, doctype: str = "Sales Invoice") -> dict | None:
	"""What the print template shows, or None for a document without a plan of its own."""
	if doctype not in owners.OWNERS or not name:
		return None
	draw = draw_with_retainage(name) if doctype == owners.SALES_INVOICE else None
	if draw and not draw["own"]:
		return {"retainage_draw": draw, "installments": [], "words": settings.get_words()}
	if frappe.db.get_value(doctype, name, "pb_plan_status") not in (
		engine.ACTIVE,
		engine.COMPLETED,
		engine.CANCELLED,
	):
		return {"retainage_draw": draw, "installments": [], "words": settings.get_words()} if draw else None
	# An invoice billed as one job: what it withholds, then the plan of what it asks.
	return {**payload.as_dict(name, doctype), "retainage_draw": draw, "words": settings.get_words()}


def draw_with_retainage(name: str) -> dict | None:
	"""A draw invoice, or an invoice billed as one job (`own`), that withholds retainage:
	what it bills, what it retains (its tax row on the Retainage Receivable account), and
	what is due now."""
	invoice = frappe.db.get_value(
		owners.SALES_INVOICE,
		name,
		["pb_retainage_order", "pb_retainage_invoice", "pb_retainage_release", "is_return", "grand_total"],
		as_dict=True,
	)
	own = bool(invoice) and invoice.pb_retainage_invoice == name
	if (
		not invoice
		or not (invoice.pb_retainage_order or own)
		or invoice.pb_retainage_release
		or invoice.is_return
	):
		return None
	row = frappe.db.sql(
		f"""select min(tax.description), sum(-tax.tax_amount_after_discount_amount)
		from `tabSales Taxes and Charges` tax
		join `tabSales Invoice` si on si.name = tax.parent
		{ledger.RETAINAGE_TAX}
		where tax.parent = %s and tax.parenttype = 'Sales Invoice'""",
		name,
	)[0]
	label, retained = row[0], engine.to_decimal(row[1] or 0)
	if not retained:
		return None
	due = engine.to_decimal(invoice.grand_total)
	return {
		"billed": due + retained,
		"retained": retained,
		"label": label,
		"due": due,
		"own": own,
		"title": _("Work billed") if own else _("Work billed this draw"),
		# An invoice billed as one job asks for it by the installments printed below.
		"due_title": _("Amount due") if own else _("Due now"),
	}
