"""The workspace's number cards: what active plans still have to collect, and how much
of it is past due, for one company, in its currency."""

import frappe
from frappe import _
from frappe.query_builder.functions import Sum
from frappe.utils import flt, getdate

from progress_billing import engine, settings
from progress_billing.api import arguments
from progress_billing.plans import INSTALLMENT

OUTSTANDING_REPORT = "Outstanding Draws"


@frappe.whitelist()
def get_outstanding_total(filters=None) -> dict:
	"""Number Card (Custom): every uncollected installment of the company's active plans."""
	company = _company(filters)
	return _card(company, _uncollected_total(company, past_due_only=False), status=None)


@frappe.whitelist()
def get_past_due_total(filters=None) -> dict:
	"""Number Card (Custom): the part of it that fell due before today."""
	company = _company(filters)
	return _card(company, _uncollected_total(company, past_due_only=True), status=engine.PAST_DUE)


def _company(filters) -> str | None:
	if not frappe.has_permission(INSTALLMENT, "read"):
		frappe.throw(_("You are not permitted to see what is outstanding."), frappe.PermissionError)
	filters = arguments.mapping(filters, "filters")
	company = filters.get("company") or frappe.defaults.get_user_default("Company")
	if company:
		arguments.document_name("Company", company, "company")
	if company and not frappe.has_permission("Company", "read", doc=company):
		frappe.throw(_("You are not permitted to access {0}.").format(company), frappe.PermissionError)
	return company


def _uncollected_total(company: str | None, past_due_only: bool) -> float:
	"""Installment balances in the invoice currency, converted at the invoice's rate."""
	if not company or not settings.is_enabled():
		return 0.0
	installment = frappe.qb.DocType(INSTALLMENT)
	invoice = frappe.qb.DocType("Sales Invoice")
	query = (
		frappe.qb.from_(installment)
		.join(invoice)
		.on(invoice.name == installment.sales_invoice)
		.select(Sum(installment.outstanding_amount * invoice.conversion_rate))
		.where(
			(invoice.docstatus == 1)
			& (invoice.pb_plan_status == engine.ACTIVE)
			& (invoice.company == company)
			& (installment.outstanding_amount > 0)
			& (installment.status != engine.CANCELLED)
		)
	)
	if past_due_only:
		query = query.where(installment.due_date < getdate())
	total = query.run()[0][0]
	return flt(total, frappe.get_precision("Sales Invoice", "base_grand_total"))


def _card(company: str | None, value: float, status: str | None) -> dict:
	route_options = {"company": company}
	if status:
		route_options["status"] = status
	return {
		"value": value,
		"fieldtype": "Currency",
		# Read by the desk from the Company records ERPNext puts in the boot.
		"options": "Company:company:default_currency",
		"route": ["query-report", OUTSTANDING_REPORT],
		"route_options": route_options,
	}
