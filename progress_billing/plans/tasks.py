"""Installments that follow a task of the invoice's project: reading the tasks once,
turning them into the engine's EventDue, and rescheduling when a task moves."""

import frappe
from frappe import _
from frappe.utils import getdate

from progress_billing import engine


def fetch_tasks(project: str | None, names=(), subjects=()) -> list[dict]:
	"""The project's tasks named or titled as asked, in one query."""
	if not project or not (names or subjects):
		return []
	task = frappe.qb.DocType("Task")
	match = task.name.isin(list(names) or [""]) | task.subject.isin(list(subjects) or [""])
	return (
		frappe.qb.from_(task)
		.select(task.name, task.subject, task.status, task.exp_start_date, task.completed_on)
		.where((task.project == project) & match)
		.run(as_dict=True)
	)


def event_due(row, task) -> engine.EventDue:
	return engine.task_due(
		row.get("trigger"),
		expected_start=getdate(task.exp_start_date) if task.exp_start_date else None,
		completed_on=getdate(task.completed_on) if task.status == "Completed" and task.completed_on else None,
		offset_days=row.get("offset_days"),
	)


def attach_task_dates(project: str | None, rows: list[dict]) -> tuple[list[dict], list[str]]:
	"""Gives rows with a trigger their task's EventDue. A row whose task the project lacks
	falls back to the default interval (its date left blank), with a note saying so."""
	wanted = [row for row in rows if row.get("trigger")]
	tasks = fetch_tasks(
		project,
		names=[row["task"] for row in wanted if row.get("task")],
		subjects=[row["task_subject"] for row in wanted if row.get("task_subject") and not row.get("task")],
	)
	by_name = {task.name: task for task in tasks}
	by_subject = {task.subject.strip().lower(): task for task in tasks}
	notes, prepared = [], []
	for row in rows:
		row = dict(row)
		if row.get("trigger"):
			if row["trigger"] not in engine.TRIGGERS:
				raise engine.PlanError(
					_("Row {0}: choose when the task triggers it."),
					len(prepared) + 1,
					row=len(prepared) + 1,
					field="trigger",
				)
			task = by_name.get(row.get("task")) or by_subject.get(
				(row.get("task_subject") or "").strip().lower()
			)
			if task:
				row.update(task=task.name, due_date=event_due(row, task))
			else:
				notes.append(_missing_task_note(project, row))
				row.update(trigger=None, task=None, offset_days=0, due_date=None)
		prepared.append(row)
	return prepared, notes


def _missing_task_note(project, row) -> str:
	wanted = row.get("task") or row.get("task_subject")
	if not project:
		return _(
			"{0}: the invoice has no project with a task {1}, so it falls due after the default interval."
		).format(row.get("label"), wanted)
	return _("{0}: project {1} has no task {2}, so it falls due after the default interval.").format(
		row.get("label"), project, wanted
	)


def waiting_label(task_subject: str | None) -> str:
	return _("when {0} is completed").format(task_subject or _("the task"))
