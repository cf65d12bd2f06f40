"""The plan on the printed invoice, order or quotation (and its PDF): a Jinja method for
the print template."""

import frappe

from progress_billing import engine, owners, plans, settings


def get_plan_for_print(name: str, doctype: str = "Sales Invoice") -> dict | None:
	"""What the print template shows, or None for a document without a plan of its own."""
	if doctype not in owners.OWNERS or not name:
		return None
	if frappe.db.get_value(doctype, name, "pb_plan_status") not in (
		engine.ACTIVE,
		engine.COMPLETED,
		engine.CANCELLED,
	):
		return None
	return {**plans.as_dict(name, doctype), "words": settings.get_words()}
