"""The job timeline for a Project: its tasks and its invoices' installments in one list."""

from pypika import analytics

import frappe
from frappe import _
from frappe.utils import fmt_money, getdate

from progress_billing import engine, settings
from progress_billing.engine.timeline import INSTALLMENT, build_timeline
from progress_billing.plans import INSTALLMENT as INSTALLMENT_DOCTYPE
from progress_billing.plans import tasks
from progress_billing.views import labels


def project_timeline(project: str) -> dict:
	task_rows = frappe.get_all(
		"Task",
		filters={"project": project},
		fields=["name", "subject", "status", "exp_start_date", "completed_on"],
		order_by="exp_start_date asc",
	)
	for row in task_rows:
		row.exp_start_date = getdate(row.exp_start_date) if row.exp_start_date else None
		row.completed_on = getdate(row.completed_on) if row.completed_on else None
	installments = _project_installments(project)
	subjects = {row.name: row.subject for row in task_rows}
	entries = build_timeline(task_rows, installments, getdate())
	return {"words": settings.get_words(), "entries": [_entry(entry, subjects) for entry in entries]}


def _project_installments(project: str) -> list[dict]:
	installment = frappe.qb.DocType(INSTALLMENT_DOCTYPE)
	invoice = frappe.qb.DocType("Sales Invoice")
	rows = (
		frappe.qb.from_(installment)
		.join(invoice)
		.on(invoice.name == installment.sales_invoice)
		.select(
			installment.sales_invoice,
			installment.stage_no,
			installment.label,
			installment.due_date,
			installment.amount,
			installment.paid_amount,
			installment.outstanding_amount,
			installment.status,
			installment.task,
			invoice.currency,
			analytics.Count(installment.name).over(installment.sales_invoice).as_("installment_count"),
		)
		.where(
			(invoice.project == project)
			& (invoice.docstatus == 1)
			& invoice.pb_plan_status.isin([engine.ACTIVE, engine.COMPLETED])
		)
	).run(as_dict=True)
	for row in rows:
		row.due_date = getdate(row.due_date) if row.due_date else None
	return rows


def _entry(entry, subjects: dict) -> dict:
	source = entry.source
	if entry.kind == INSTALLMENT:
		subject = subjects.get(source.task)
		return {
			"kind": "installment",
			"date": entry.date,
			"state": entry.state,
			"title": labels.installment_title(source.label, source.stage_no, source.installment_count),
			"detail": _("{0} of {1} paid").format(
				fmt_money(source.paid_amount, currency=source.currency),
				fmt_money(source.amount, currency=source.currency),
			),
			"waiting_for": tasks.waiting_label(subject) if entry.date is None and source.task else None,
			"sales_invoice": source.sales_invoice,
		}
	return {
		"kind": "task",
		"date": entry.date,
		"state": entry.state,
		"title": source.subject,
		"task": source.name,
	}
