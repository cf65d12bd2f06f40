"""Draws billed on their day: the morning job that invoices every due draw once, and the
draws a completed task brings due. One order's failure is logged and leaves the others."""

import frappe
from frappe import _
from frappe.utils import (
	add_days,
	getdate,
	nowdate,
)

from progress_billing import engine, plans, settings
from progress_billing.billing.draws import SAVEPOINT, invoice_draw


def due_draws(today) -> list[dict]:
	"""Installments of submitted orders billed draw by draw that are due and not invoiced:
	one indexed query."""
	return frappe.db.sql(
		"""select inst.name, inst.sales_order, inst.stage_no
		from `tabProgress Billing Installment` inst
		join `tabSales Order` so on so.name = inst.sales_order
		left join `tabSales Invoice` si on si.name = inst.draw_invoice
		where inst.due_date <= %(today)s and inst.sales_order is not null
			and so.docstatus = 1 and so.pb_billing = %(each)s and so.pb_plan_status = 'Active'
			and so.status not in %(stopped)s
			and (inst.draw_invoice is null or si.docstatus = 2 or si.name is null)
		order by inst.sales_order, inst.stage_no""",
		{"today": today, "each": engine.EACH_DRAW, "stopped": engine.NOT_BILLABLE},
		as_dict=True,
	)


def invoice_due_draws(today=None, commit: bool = True) -> dict:
	"""The scheduler's job: bills every due draw once. Each order stands on its own (a
	savepoint, then a commit), so one that fails is logged and leaves the others billed;
	running it again bills nothing twice."""
	if not settings.is_enabled():
		return {"invoiced": 0, "failed": 0}
	today = getdate(today or nowdate())
	by_order: dict[str, list[int]] = {}
	for row in due_draws(today):
		by_order.setdefault(row.sales_order, []).append(row.stage_no)
	invoiced = failed = 0
	for order_name, stages in by_order.items():
		frappe.db.savepoint(SAVEPOINT)
		try:
			for idx in stages:
				invoice_draw(order_name, idx)
		except Exception:
			_roll_back_to_savepoint(whole_transaction_ok=commit)
			frappe.log_error(title=_("Draw invoice failed for {0}").format(order_name))
			failed += 1
		else:
			frappe.db.release_savepoint(SAVEPOINT)
			invoiced += len(stages)
		if commit:
			frappe.db.commit()
	return {"invoiced": invoiced, "failed": failed}


def _roll_back_to_savepoint(whole_transaction_ok: bool):
	"""Undoes a failed draw. After a deadlock the database has already rolled the whole
	transaction back and the savepoint is gone: the scheduler, which commits each order,
	goes on with the next; elsewhere the failure is raised, so nothing half-done is kept."""
	try:
		frappe.db.rollback(save_point=SAVEPOINT)
	except Exception:
		if not whole_transaction_ok:
			raise
		frappe.db.rollback()


def enqueue_due_draws():
	frappe.enqueue(
		"progress_billing.billing.draw_scheduler.invoice_due_draws",
		queue="long",
		job_id="progress_billing.invoice_due_draws",
		deduplicate=True,
	)
	# Retainage whose release date has come is billed on the same morning run.
	frappe.enqueue(
		"progress_billing.billing.releases.release_due",
		queue="long",
		job_id="progress_billing.release_due_retainage",
		deduplicate=True,
	)


def invoice_draws_after_task(task) -> list[str]:
	"""A completed task: the draws of orders billed draw by draw that follow it fall due
	(their offset after its completion) and those due by today are invoiced now; the
	scheduler bills the others on their day. A draw that cannot be invoiced now is logged
	and left to the scheduler: completing the task never fails for it."""
	if not settings.is_enabled():
		return []
	rows = frappe.db.sql(
		"""select inst.name, inst.sales_order, inst.stage_no, inst.offset_days
		from `tabProgress Billing Installment` inst
		join `tabSales Order` so on so.name = inst.sales_order
		left join `tabSales Invoice` si on si.name = inst.draw_invoice
		where inst.task = %s and inst.trigger = %s and so.docstatus = 1 and so.pb_billing = %s
			and so.pb_plan_status = 'Active' and so.status not in %s
			and (inst.draw_invoice is null or si.docstatus = 2)""",
		(task.name, engine.AFTER_TASK_COMPLETED, engine.EACH_DRAW, engine.NOT_BILLABLE),
		as_dict=True,
	)
	completed = getdate(task.completed_on or nowdate())
	invoiced = []
	for row in rows:
		due = add_days(completed, row.offset_days or 0)
		frappe.db.set_value(plans.INSTALLMENT, row.name, "due_date", due, update_modified=False)
		if due > getdate(nowdate()):
			continue
		frappe.db.savepoint(SAVEPOINT)
		try:
			invoiced.append(invoice_draw(row.sales_order, row.stage_no))
		except Exception:
			_roll_back_to_savepoint(whole_transaction_ok=False)
			frappe.clear_last_message()
			frappe.log_error(title=_("Draw invoice failed for {0}").format(row.sales_order))
		else:
			frappe.db.release_savepoint(SAVEPOINT)
	return invoiced
