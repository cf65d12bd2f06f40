"""The plan on the printed invoice (and its PDF): a Jinja method for the print template."""

import frappe

from progress_billing import plans, settings


def get_plan_for_print(invoice_name: str) -> dict | None:
	"""What the print template shows, or None for an invoice without a plan."""
	if not invoice_name or not frappe.db.get_value("Sales Invoice", invoice_name, "pb_plan_status"):
		return None
	return {**plans.as_dict(invoice_name), "words": settings.get_words()}
