"""Due dates that move: after the tasks installments follow, or by hand on unpaid ones."""

import frappe
from frappe import _
from frappe.utils import formatdate, getdate, nowdate

from progress_billing import engine
from progress_billing.engine import PlanError
from progress_billing.errors import throw_refusal
from progress_billing.plans import INSTALLMENT, owners, schedule, tasks


def reschedule(invoice_name: str) -> list[str]:
	"""Moves task-tied due dates after their tasks, keeping plan order; returns the
	installments that have just fallen due (they had no date, or a later one)."""
	invoice = owners.load_invoice(invoice_name, for_update=True)
	rows = owners.get_rows(invoice_name)
	task_rows = [row for row in rows if row.task and row.trigger]
	if not task_rows or not invoice.pb_plan_status:
		return []
	found = {
		task.name: task for task in tasks.fetch_tasks(invoice.project, names=[row.task for row in task_rows])
	}
	specs = [
		tasks.event_due(row, found[row.task]) if row.task in found and row.trigger else row.due_date
		for row in rows
	]
	program = frappe.get_cached_doc("Progress Billing Settings")
	today = getdate(nowdate())
	new_dates = engine.resolve_due_dates(
		specs,
		today=today,
		start_date=getdate(invoice.posting_date),
		interval_days=program.default_interval_days or engine.DEFAULT_INTERVAL_DAYS,
		strict=False,
	)
	fell_due, changed = [], False
	for row, new_date in zip(rows, new_dates, strict=True):
		old_date = getdate(row.due_date) if row.due_date else None
		if new_date != old_date:
			changed = True
			frappe.db.set_value(INSTALLMENT, row.name, "due_date", new_date, update_modified=False)
			if new_date and new_date <= today and (old_date is None or old_date > today):
				fell_due.append(row.name)
			row.due_date = new_date
	if changed:
		schedule.mirror_into_db(invoice, rows)
	return fell_due


def reschedule_unpaid(invoice, changes: dict[int, dict]) -> list[str]:
	"""Applies new labels and due dates to installments with nothing paid (the engine
	decides what may change); returns what changed, in words, for the invoice's timeline.
	A reminded installment moved to a later date is reminded again when that date comes."""
	rows = owners.get_rows(invoice.name, invoice.doctype)
	current = [{**row, "follows_task": bool(row.trigger and row.task)} for row in rows]
	today, changed = getdate(nowdate()), []
	try:
		wanted = engine.reschedule_unpaid(current, changes, today=today)
	except PlanError as refusal:
		throw_refusal(refusal)
	for row, new in zip(rows, wanted, strict=True):
		values = {}
		if new["label"] != row.label:
			values["label"] = new["label"]
			changed.append(_("{0} renamed {1}").format(row.label, new["label"]))
		old_date = getdate(row.due_date) if row.due_date else None
		if new["due_date"] != old_date:
			values["due_date"] = new["due_date"]
			if new["due_date"] > today:
				values["reminded_on"] = None
			changed.append(
				_("{0}: due {1} instead of {2}").format(
					new["label"], formatdate(new["due_date"]), formatdate(old_date) if old_date else "—"
				)
			)
		if values:
			frappe.db.set_value(INSTALLMENT, row.name, values, update_modified=False)
			row.update(values)
	if changed:
		schedule.mirror_into_db(invoice, rows)
	return changed
