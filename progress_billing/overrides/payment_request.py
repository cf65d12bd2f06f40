"""Payment Request events: a request for an invoice on a plan never asks for money the
invoice has already received."""

import frappe
from frappe.utils import flt

from progress_billing.plans import owners


def validate(doc, method=None):
	"""ERPNext asks for the invoice's grand total less other requests, whatever Payment
	Entries already paid; on a plan, what is asked for is at most the invoice balance."""
	if doc.docstatus != 0 or doc.reference_doctype != "Sales Invoice" or not doc.reference_name:
		return
	if not owners.plan_invoice_for(doc.reference_name):
		return
	balance = frappe.db.get_value("Sales Invoice", doc.reference_name, "outstanding_amount")
	if flt(doc.grand_total) > flt(balance):
		doc.grand_total = flt(balance, doc.precision("grand_total"))
