"""Writing a plan: its installments and the plan values on its document. Plain queries on
the payment path, where the ORM costs several times more than the write."""

from decimal import Decimal

import frappe

from progress_billing import engine
from progress_billing.plans import INSTALLMENT, figures, owners, update_row


def copy_party(invoice):
	"""A draft's customer, company or currency may change: keep its installments' copies in step."""
	frappe.db.set_value(
		INSTALLMENT,
		{owners.owner(invoice.get("doctype") or owners.SALES_INVOICE).link_field: invoice.name},
		{"customer": invoice.customer, "company": invoice.company, "currency": invoice.currency},
		update_modified=False,
	)


def forget(doc):
	"""The plan of a draft being saved goes: its installments, and its values on the document."""
	frappe.db.delete(INSTALLMENT, {owners.owner(doc.doctype).link_field: doc.name})
	for field in ("pb_plan_status", "pb_template", "pb_mode"):
		doc.set(field, None)
	for field in ("pb_plan_target", "pb_outside_plan", "pb_refunds_before", "pb_refunded_balance"):
		doc.set(field, 0)


def _correct_stale_outstanding(invoice, ledger_balance: Decimal | None, precision: int):
	"""ERPNext computes outstanding with a plain read, which in a transaction that began
	before a concurrent payment committed misses that payment. Our read locks, so it
	sees it: where the two disagree, the ledger's figure is the right one."""
	if ledger_balance is None:
		return
	if ledger_balance != engine.round_to(engine.to_decimal(invoice.outstanding_amount or 0), precision):
		frappe.db.set_value(
			"Sales Invoice", invoice.name, "outstanding_amount", ledger_balance, update_modified=False
		)
		frappe.get_doc("Sales Invoice", invoice.name).set_status(update=True, update_modified=False)


def _write_states(rows, plan_state: figures.PlanState, precision) -> tuple[bool, bool]:
	"""Writes what changed; says whether any installment did, and whether an amount did."""
	changed = amounts_changed = False
	collecting = plan_state.billed and plan_state.status == engine.ACTIVE
	retained = plan_state.retained or [Decimal(0)] * len(rows)
	for row, amount, state, kept in zip(rows, plan_state.amounts, plan_state.states, retained, strict=True):
		values = {
			"amount": amount,
			"paid_amount": state.paid_amount,
			"outstanding_amount": state.outstanding_amount,
			"status": state.status,
			"to_collect": int(
				collecting and state.outstanding_amount > 0 and state.status != engine.CANCELLED
			),
			"retained": kept,
		}
		current = {
			"amount": engine.round_to(engine.to_decimal(row.amount), precision),
			"paid_amount": engine.round_to(engine.to_decimal(row.paid_amount), precision),
			"outstanding_amount": engine.round_to(engine.to_decimal(row.outstanding_amount), precision),
			"status": row.status,
			"to_collect": int(row.to_collect or 0),
			"retained": engine.round_to(engine.to_decimal(row.retained or 0), precision),
		}
		if values != current:
			update_row(INSTALLMENT, row.name, values)
			amounts_changed |= values["amount"] != current["amount"]
			row.update(values)
			changed = True
	return changed, amounts_changed


def write_state(invoice, rows, plan_state: figures.PlanState, precision: int) -> tuple[bool, bool]:
	"""Writes a refreshed plan: the invoice's outstanding where ERPNext's read was stale,
	the installments that changed, and the document's plan values. Says whether any
	installment changed, and whether an amount did (the schedule mirror follows)."""
	_correct_stale_outstanding(invoice, plan_state.ledger_balance, precision)
	changed, amounts_changed = _write_states(rows, plan_state, precision)
	values = {
		"pb_plan_status": plan_state.status,
		"pb_plan_target": plan_state.target,
		"pb_refunded_balance": plan_state.refunded_balance,
	}
	if any(
		engine.to_decimal(invoice.get(field) or 0) != value
		if isinstance(value, Decimal)
		else invoice.get(field) != value
		for field, value in values.items()
	):
		frappe.db.set_value(invoice.doctype, invoice.name, values, update_modified=False)
	return changed, amounts_changed
