"""Events shared by the documents a plan can sit on before its invoice: Quotation and
Sales Order. The plan follows a draft's total, ERPNext's Update Items on a submitted
order, and ends with the document (or goes back to where it came from)."""

import frappe

from progress_billing import engine, plans
from progress_billing.billing import pay_applications
from progress_billing.plans import handover, making, owners, recompute, schedule, store


def after_insert(doc, method=None):
	"""An amended quotation or order starts with a fresh copy of the original's plan; an
	order made from a quotation takes over the quotation's plan; otherwise a department
	with the program ticked gives it the default plan."""
	_take_a_plan(doc)
	making.carry_into_memory(doc)


def _take_a_plan(doc):
	if doc.amended_from and making.copy_plan(doc.amended_from, doc):
		return
	if doc.doctype == owners.SALES_ORDER and handover.quotation_plan_to_order(doc):
		return
	making.attach_default_plan(doc)


def validate(doc, method=None):
	"""Runs after ERPNext built the document's Payment Schedule: put the plan's rows in its
	place, on a draft and as it is submitted (ERPNext re-rounds the rows from their portions
	then, a cent away from the plan's)."""
	making.yield_to_chosen_terms(doc)
	building = doc.docstatus == 0 or doc.get("_action") == "submit"
	if building and doc.get("pb_plan_status") == engine.ACTIVE and not doc.is_new():
		making.mirror_into_schedule(doc)


def on_update(doc, method=None):
	"""A draft's total changed: re-split the plan by its percentages."""
	if doc.docstatus == 0 and doc.get("pb_plan_status") == engine.ACTIVE:
		recompute.refresh(doc.name, doctype=doc.doctype)
		store.copy_party(owners.load(doc.doctype, doc.name))


def on_submit(doc, method=None):
	"""A submitted order's installments are there to collect (its deposit first), before any
	money reaches its ledger."""
	if doc.get("pb_plan_status") == engine.ACTIVE:
		pay_applications.keep_original_sum(doc)
		recompute.refresh(doc.name, doctype=doc.doctype)


def on_update_after_submit(doc, method=None):
	"""ERPNext's Update Items changed the order's total: unpaid installments are re-split."""
	if doc.get("pb_plan_status") == engine.ACTIVE:
		recompute.refresh(doc.name, doctype=doc.doctype)
		if doc.get("pb_billing") != engine.PAY_APPLICATIONS:  # its rows are its invoices, not a schedule
			schedule.mirror_into_db(
				owners.load(doc.doctype, doc.name), owners.get_rows(doc.name, doc.doctype)
			)


def on_cancel(doc, method=None):
	if doc.get("pb_plan_status") != engine.ACTIVE or _taken_back(doc):
		return
	frappe.db.set_value(doc.doctype, doc.name, "pb_plan_status", engine.CANCELLED, update_modified=False)
	recompute.refresh(doc.name, doctype=doc.doctype)


def on_trash(doc, method=None):
	if doc.get("pb_plan_status") and _taken_back(doc):
		return
	frappe.db.delete(plans.INSTALLMENT, {owners.owner(doc.doctype).link_field: doc.name})


def _taken_back(doc) -> bool:
	"""A plan this document took over from an earlier one goes back there."""
	return any(handover.take_back(step, doc.name) for step in handover.STEPS if step.target == doc.doctype)
