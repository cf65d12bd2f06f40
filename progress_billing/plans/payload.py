"""The plan as the API, the desk and the portal read it."""

from decimal import Decimal

import frappe

from progress_billing import engine
from progress_billing.plans import applications, figures, ledger, owners, tasks


def as_dict(invoice_name: str, doctype: str = owners.SALES_INVOICE) -> dict:
	invoice = owners.load(doctype, invoice_name)
	rows = owners.get_rows(invoice_name, doctype) if invoice.pb_plan_status else []
	current = next(
		(row.stage_no for row in rows if row.outstanding_amount > 0 and row.status != engine.CANCELLED), None
	)
	subjects = (
		dict(
			frappe.get_all(
				"Task",
				{"name": ("in", [row.task for row in rows if row.task])},
				["name", "subject"],
				as_list=True,
			)
		)
		if any(row.task for row in rows)
		else {}
	)
	each_draw = invoice.get("pb_billing") in engine.BILLED_ON_ORDER
	with_retainage = each_draw and bool(invoice.get("pb_retainage"))
	money = ledger.order_draws(invoice_name, rows, retainage=with_retainage) if each_draw and rows else None
	draw_status = money.invoice_status if money else []
	retained = [draw.retained for draw in money.draws] if money else [Decimal(0)] * len(rows)
	# An invoice billed as one job withholds its own retainage, shared among its installments.
	own_retainage = doctype == owners.SALES_INVOICE and bool(invoice.get("pb_retainage"))
	if own_retainage:
		retained = [engine.to_decimal(row.retained or 0) for row in rows]
	return {
		**({"sales_invoice": invoice_name} if doctype == owners.SALES_INVOICE else {}),
		"doctype": doctype,
		"name": invoice_name,
		**(
			{"billing": invoice.get("pb_billing") or engine.ONE_INVOICE}
			if doctype == owners.SALES_ORDER
			else {}
		),
		# ERPNext bills a closed or held order no more: the plan says its draws wait.
		"billing_stopped": invoice.status if each_draw and invoice.status in engine.NOT_BILLABLE else None,
		"status": invoice.pb_plan_status or None,
		"mode": invoice.pb_mode or None,
		"template": invoice.pb_template or None,
		"target": invoice.pb_plan_target if rows else None,
		"current": current,
		# The invoice's balance is what the installments still ask for plus refunded money
		# still owed: both are given, so every screen can show why the two figures differ.
		"installments_outstanding": figures.installments_outstanding(rows),
		"refunded_balance": engine.to_decimal(invoice.pb_refunded_balance or 0) if rows else Decimal(0),
		"invoice_outstanding": invoice.outstanding_amount
		if doctype == owners.SALES_INVOICE
		else figures.installments_outstanding(rows)
		if each_draw
		else owners.invoice_total(invoice) - engine.to_decimal(invoice.get("advance_paid") or 0),
		"installments": [
			{
				"idx": row.stage_no,
				"label": row.label,
				"percentage": row.percentage,
				"amount": row.amount,
				"due_date": row.due_date,
				"paid_amount": row.paid_amount,
				"outstanding_amount": row.outstanding_amount,
				"status": row.status,
				"trigger": row.trigger or None,
				"task": row.task or None,
				"task_subject": subjects.get(row.task),
				"offset_days": row.offset_days or 0,
				"waiting_for": tasks.waiting_label(subjects.get(row.task))
				if row.task and not row.due_date
				else None,
				**({"retained": kept} if own_retainage else {}),
				**(
					{
						"draw_invoice": row.draw_invoice if status is not None and status < 2 else None,
						"draw_state": engine.draw_state(
							status, engine.to_decimal(row.paid_amount), engine.to_decimal(row.amount) - kept
						),
						# Work billed = retained + due now: what the draw's invoice withholds.
						"retained": kept,
					}
					if each_draw
					else {}
				),
			}
			for row, status, kept in zip(rows, draw_status or [None] * len(rows), retained, strict=True)
		],
		**(
			{"retainage": _retainage(invoice, *_job_held(invoice, money))}
			if each_draw or own_retainage
			else {}
		),
		**(
			{"schedule_of_values": applications.schedule_of_values(invoice_name)}
			if invoice.get("pb_billing") == engine.PAY_APPLICATIONS
			else {}
		),
	}


def _job_held(job, money) -> tuple[engine.Held, Decimal]:
	"""What the job holds and what its releases still ask for: an order's from its draws'
	money; an invoice's own from its ledger, or on a draft, what its row will withhold."""
	if isinstance(money, ledger.DrawMoney):
		return money.retainage, money.release_outstanding
	if job.get("doctype") != owners.SALES_INVOICE:
		return engine.Held(), Decimal(0)
	if job.docstatus == 0:
		return engine.Held(ledger.withheld_on(job.name)), Decimal(0)
	held, releases = ledger.job_retainage(owners.SALES_INVOICE, job.name)
	return held, ledger.release_outstanding(releases)


def _retainage(job, held: engine.Held, release_outstanding: Decimal) -> dict:
	"""The job's retainage terms and what its ledger says of them."""
	return {
		"rate": engine.to_decimal(job.get("pb_retainage") or 0),
		"step_at": engine.to_decimal(job.get("pb_retainage_step_at") or 0) or None,
		"rate_after": engine.to_decimal(job.get("pb_retainage_after") or 0),
		"retained": held.retained,
		"released": held.released,
		"held": held.held,
		"release_outstanding": release_outstanding,
		"release_on": job.get("pb_retainage_release_on"),
		"release_task": job.get("pb_retainage_release_task"),
	}
