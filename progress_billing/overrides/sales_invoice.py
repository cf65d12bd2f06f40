"""Sales Invoice events: attach the default plan, follow draft totals, end with the invoice."""

import frappe

from progress_billing import engine, plans, settings
from progress_billing.billing import draws, pay_applications, retainage
from progress_billing.notify import notices
from progress_billing.plans import handover, making, recompute, store


def after_insert(doc, method=None):
	if doc.get("pb_draw_order") and doc.amended_from:
		draws.link_amendment(doc)
	if doc.is_return or doc.get("pb_draw_order") or not settings.is_enabled():
		return
	_take_a_plan(doc)
	making.carry_into_memory(doc)


def _take_a_plan(doc):
	if doc.amended_from and making.copy_plan(doc.amended_from, doc):
		return
	if handover.order_plan_to_invoice(doc):
		return
	making.attach_default_plan(doc)


def before_validate(doc, method=None):
	"""Before ERPNext computes totals, schedule and words: the invoice's retainage row."""
	retainage.before_validate(doc)


def validate(doc, method=None):
	"""Runs after ERPNext built its Payment Schedule: put the plan's rows in its place."""
	draws.carry_amendment(doc)
	draws.refuse_other_invoices(doc)
	making.drop_from_return(doc)
	making.yield_to_chosen_terms(doc)
	building = doc.docstatus == 0 or doc.get("_action") == "submit"
	if building and doc.get("pb_plan_status") and not doc.is_new() and not doc.is_return:
		making.mirror_into_schedule(doc)


def on_update(doc, method=None):
	"""A draft's total changed: re-split the plan by its percentages."""
	if doc.docstatus == 0 and doc.get("pb_plan_status"):
		recompute.refresh(doc.name)
		store.copy_party(doc)


def on_submit(doc, method=None):
	if doc.get("pb_draw_order"):
		draws.on_draw_submitted(doc)
	else:
		recompute.refresh_part_invoiced_orders(doc)
	if doc.get("pb_plan_status"):
		notices.send_schedule_notice(doc.name)


def before_cancel(doc, method=None):
	pay_applications.refuse_direct_cancel(doc)


def on_cancel(doc, method=None):
	if doc.get("pb_draw_order"):
		draws.unlink(doc.name, doc.pb_draw_order, doc.get("total_advance"))
	else:
		recompute.refresh_part_invoiced_orders(doc)
	if doc.get("pb_plan_status") and handover.take_back(handover.ORDER_TO_INVOICE, doc.name):
		return
	if doc.get("pb_plan_status"):
		frappe.db.set_value(
			"Sales Invoice", doc.name, "pb_plan_status", engine.CANCELLED, update_modified=False
		)
		recompute.refresh(doc.name)


def on_trash(doc, method=None):
	if doc.get("pb_draw_order"):
		draws.unlink(doc.name, doc.pb_draw_order)
	if doc.get("pb_plan_status") and handover.take_back(handover.ORDER_TO_INVOICE, doc.name):
		return
	frappe.db.delete(plans.INSTALLMENT, {"sales_invoice": doc.name})
