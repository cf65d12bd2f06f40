from datetime import timedelta
from types import SimpleNamespace

from progress_billing.engine.timeline import (
	DONE,
	DUE_NOW,
	IN_PROGRESS,
	INSTALLMENT,
	NEXT,
	PAID_STATE,
	PAST_DUE_STATE,
	TASK,
	UPCOMING,
	WAITING,
	build_timeline,
)
from tests.engine.helpers import TODAY, D


def day(offset):
	return TODAY + timedelta(days=offset)


def task(name, status="Open", start=None, completed=None):
	return SimpleNamespace(name=name, status=status, exp_start_date=start, completed_on=completed)


def installment(stage, outstanding, due, status="Unpaid", task=None, invoice="SINV-1"):
	return SimpleNamespace(
		sales_invoice=invoice,
		stage_no=stage,
		due_date=due,
		outstanding_amount=D(outstanding),
		status=status,
		task=task,
	)


def names(timeline):
	return [
		(entry.kind, getattr(entry.source, "name", None) or entry.source.stage_no, entry.state)
		for entry in timeline
	]


def test_tasks_and_installments_in_one_list_by_date_with_their_states():
	tasks = [
		task("Measure", "Completed", start=day(-20), completed=day(-18)),
		task("Removal", "Working", start=day(-2)),
		task("Install", start=day(15)),
	]
	installments = [
		installment(1, 0, day(-21), "Paid", task="Measure"),
		installment(2, 1000, None, task="Removal"),
		installment(3, 2000, None, task="Install"),
	]
	assert names(build_timeline(tasks, installments, TODAY)) == [
		(INSTALLMENT, 1, PAID_STATE),
		(TASK, "Measure", DONE),
		(TASK, "Removal", IN_PROGRESS),
		(INSTALLMENT, 2, WAITING),
		(TASK, "Install", UPCOMING),
		(INSTALLMENT, 3, WAITING),
	]


def test_installment_states_by_date_and_the_next_one():
	installments = [
		installment(1, 500, day(-3)),
		installment(2, 1000, day(0)),
		installment(3, 1000, day(30), invoice="SINV-2"),
		installment(4, 1000, day(60), invoice="SINV-2"),
	]
	states = [entry.state for entry in build_timeline([], installments, TODAY)]
	assert states == [PAST_DUE_STATE, DUE_NOW, NEXT, UPCOMING]


def test_a_task_and_an_installment_on_one_day_put_the_task_first():
	timeline = build_timeline([task("Install", start=day(5))], [installment(1, 100, day(5))], TODAY)
	assert [entry.kind for entry in timeline] == [TASK, INSTALLMENT]


def test_undated_entries_without_an_anchor_go_last():
	timeline = build_timeline([task("Someday")], [installment(1, 100, day(5))], TODAY)
	assert [entry.kind for entry in timeline] == [INSTALLMENT, TASK]
