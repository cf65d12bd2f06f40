"""A plan follows the job: ERPNext's Make Sales Order moves a quotation's plan to the new
order, and its Make Sales Invoice moves an order's plan to the invoice that bills the
whole order. The plan is never on two live documents: the earlier one keeps a link to
where its plan went, and takes it back if that document is deleted or cancelled.
"""

from dataclasses import dataclass

import frappe

from progress_billing import engine, plans
from progress_billing.plans import making, owners, recompute, schedule, store


@dataclass(frozen=True)
class Step:
	source: str  # the earlier document's doctype
	target: str  # the next document's doctype
	moved_status: str  # the earlier document's plan status once its plan moved on
	moved_to: str  # the earlier document's field naming where its plan went


QUOTATION_TO_ORDER = Step(owners.QUOTATION, owners.SALES_ORDER, owners.ORDERED, "pb_plan_order")
ORDER_TO_INVOICE = Step(owners.SALES_ORDER, owners.SALES_INVOICE, owners.INVOICED, "pb_plan_invoice")
STEPS = (QUOTATION_TO_ORDER, ORDER_TO_INVOICE)


def hand_over(step: Step, source_name: str, target) -> bool:
	"""Moves the active plan of `source_name` to the new document `target` (in hand, just
	inserted). The target's total may differ: its plan is re-split by percentages, and
	what it was paid comes from its own ledger."""
	source = owners.load(step.source, source_name, for_update=True)
	if not source or source.pb_plan_status != engine.ACTIVE:
		return False
	_relink(step.source, source_name, step.target, target.name)
	values = {
		"pb_plan_status": engine.ACTIVE,
		"pb_template": source.pb_template,
		"pb_mode": source.pb_mode,
		"pb_plan_target": owners.invoice_total(target),
		"pb_outside_plan": 0,
		"pb_refunds_before": 0,
		**making.billing_values(target),
	}
	frappe.db.set_value(step.target, target.name, values, update_modified=False)
	target.update(values)  # the document in hand may be saved or submitted next
	frappe.db.set_value(
		step.source,
		source_name,
		{"pb_plan_status": step.moved_status, step.moved_to: target.name},
		update_modified=False,
	)
	moved = owners.load(step.target, target.name)
	store.copy_party(moved)
	recompute.refresh(target.name, invoice=moved)
	schedule.mirror_into_db(moved, owners.get_rows(target.name, step.target))
	return True


def take_back(step: Step, target_name: str) -> bool:
	"""The document that took a plan over is deleted or cancelled: the plan goes back to
	the earlier document (for an order, to where its advances are again)."""
	source_name = frappe.db.get_value(step.source, {step.moved_to: target_name}, "name")
	if not source_name:
		return False
	_relink(step.target, target_name, step.source, source_name)
	frappe.db.set_value(
		step.source,
		source_name,
		{"pb_plan_status": engine.ACTIVE, step.moved_to: None},
		update_modified=False,
	)
	frappe.db.set_value(
		step.target, target_name, {"pb_plan_status": None, "pb_template": None}, update_modified=False
	)
	recompute.refresh(source_name, doctype=step.source)
	return True


def _relink(from_doctype: str, from_name: str, to_doctype: str, to_name: str):
	"""Points a plan's installments at another document, and no longer at this one."""
	from_field = owners.owner(from_doctype).link_field
	to_field = owners.owner(to_doctype).link_field
	frappe.db.sql(
		f"update `tab{plans.INSTALLMENT}` set `{to_field}` = %s, `{from_field}` = null where `{from_field}` = %s",
		(to_name, from_name),
	)


def source_of(target, field: str) -> str | None:
	"""The one earlier document every item of `target` was made from (its items' `field`),
	or None where there is none or more than one."""
	sources = {row.get(field) for row in target.get("items") or []}
	return sources.pop() if len(sources) == 1 and None not in sources and "" not in sources else None


def order_plan_to_invoice(invoice) -> bool:
	"""A new invoice for a whole submitted order, before any of it was billed, takes over
	the order's plan; a part invoice leaves it on the order."""
	order_name = source_of(invoice, "sales_order")
	if not order_name:
		return False
	order = frappe.db.get_value(
		owners.SALES_ORDER,
		order_name,
		["docstatus", "per_billed", "grand_total", "rounded_total", "disable_rounded_total", "pb_billing"],
		as_dict=True,
	)
	if order.pb_billing in engine.BILLED_ON_ORDER:
		return False  # its draws are invoiced one by one; the plan stays on the order
	if (
		order.docstatus != 1
		or order.per_billed
		or owners.invoice_total(order) != owners.invoice_total(invoice)
	):
		return False
	return hand_over(ORDER_TO_INVOICE, order_name, invoice)


def quotation_plan_to_order(order) -> bool:
	"""A new order made from a quotation (ERPNext's Make Sales Order) takes over its plan."""
	quotation = source_of(order, "prevdoc_docname")
	return bool(quotation) and hand_over(QUOTATION_TO_ORDER, quotation, order)
