"""Showing engine refusals to a person: translated, with their values formatted."""

from datetime import date
from decimal import Decimal

import frappe
from frappe import _
from frappe.utils import escape_html, formatdate

from progress_billing.engine import PlanError
from progress_billing.engine.messages import Term


def format_refusal(refusal: PlanError, currency: str | None = None) -> str:
	"""The refusal in the user's language; with `currency`, its amounts are money."""
	return _(refusal.message).format(*(_format_param(param, currency) for param in refusal.params))


def throw_refusal(refusal: PlanError, title: str | None = None, currency: str | None = None):
	"""Raises a translated frappe.ValidationError; the row and field ride along for the dialog."""
	frappe.local.response["pb_refusal"] = {"row": refusal.row, "field": refusal.field}
	frappe.throw(format_refusal(refusal, currency), frappe.ValidationError, title=title)


def _format_param(param, currency: str | None = None):
	# Refusals are shown as HTML (Frappe's message dialog): a person's text in them is text.
	if isinstance(param, Term):
		return _(param)
	if isinstance(param, str):
		return escape_html(param)
	if isinstance(param, date):
		return formatdate(param)
	if isinstance(param, Decimal) and currency:
		return frappe.format_value(param, {"fieldtype": "Currency", "options": currency}, currency=currency)
	if isinstance(param, Decimal):
		return frappe.format_value(
			param, {"fieldtype": "Float", "precision": max(0, -param.as_tuple().exponent)}
		)
	return param
