"""One list of the job: its tasks and its installments, by date, each with its state."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from progress_billing.engine.cascade import PAID
from progress_billing.engine.due import DUE_TODAY, PAST_DUE, due_group
from progress_billing.engine.money import to_decimal

TASK = "Task"
INSTALLMENT = "Installment"

DONE = "Done"
IN_PROGRESS = "In Progress"
UPCOMING = "Upcoming"
PAID_STATE = "Paid"
DUE_NOW = "Due Now"
PAST_DUE_STATE = "Past Due"
NEXT = "Next"
WAITING = "Waiting"


@dataclass(frozen=True)
class TimelineEntry:
	kind: str  # TASK or INSTALLMENT
	date: date | None
	state: str
	source: object  # the task or installment row it was made from


def build_timeline(tasks: Sequence, installments: Sequence, today: date) -> list[TimelineEntry]:
	"""`tasks` have name, status, exp_start_date, completed_on; `installments` have
	sales_invoice, stage_no, due_date, outstanding_amount, status and task.

	A task stands at its completion date once done, else at its expected start. An
	installment stands at its due date; one still waiting on its task stands right after
	that task. The first open installment of each invoice that is not yet due is Next.
	"""
	task_entries = {
		task.name: TimelineEntry(TASK, _task_date(task), _task_state(task, today), task) for task in tasks
	}
	current = {}
	for row in sorted(installments, key=lambda row: (row.sales_invoice, row.stage_no)):
		if to_decimal(row.outstanding_amount) > 0:
			current.setdefault(row.sales_invoice, row.stage_no)

	entries = list(task_entries.values())
	for row in installments:
		state = _installment_state(row, today, current.get(row.sales_invoice) == row.stage_no)
		entries.append(TimelineEntry(INSTALLMENT, row.due_date, state, row))

	def sort_key(entry):
		if entry.date is not None:
			return (entry.date, 0 if entry.kind == TASK else 1, _order(entry))
		anchor = task_entries.get(getattr(entry.source, "task", None))
		if anchor and anchor.date is not None:
			return (anchor.date, 2, _order(entry))
		return (date.max, 3, _order(entry))

	return sorted(entries, key=sort_key)


def _order(entry) -> tuple:
	source = entry.source
	return (
		getattr(source, "sales_invoice", "") or "",
		getattr(source, "stage_no", 0) or 0,
		getattr(source, "name", ""),
	)


def _task_date(task) -> date | None:
	if task.status == "Completed" and task.completed_on:
		return task.completed_on
	return task.exp_start_date


def _task_state(task, today: date) -> str:
	if task.status == "Completed":
		return DONE
	if task.exp_start_date and task.exp_start_date <= today:
		return IN_PROGRESS
	return UPCOMING


def _installment_state(row, today: date, is_current: bool) -> str:
	if row.status == PAID or to_decimal(row.outstanding_amount) <= 0:
		return PAID_STATE
	if row.due_date is None:
		return WAITING
	group = due_group(row.due_date, today)
	if group == PAST_DUE:
		return PAST_DUE_STATE
	if group == DUE_TODAY:
		return DUE_NOW
	return NEXT if is_current else UPCOMING
