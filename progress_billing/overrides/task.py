"""Task events: installments tied to a task follow it."""

import frappe

from progress_billing import engine, plans
from progress_billing.billing import draw_scheduler, releases
from progress_billing.notify import notices
from progress_billing.plans import rescheduling

WATCHED = ("exp_start_date", "status", "completed_on")


def on_update(doc, method=None):
	before = doc.get_doc_before_save()
	if before and not any(before.get(field) != doc.get(field) for field in WATCHED):
		return
	if doc.status == "Completed" and (not before or before.status != "Completed"):
		draw_scheduler.invoice_draws_after_task(doc)
		releases.release_after_task(doc)
	invoices = frappe.get_all(
		plans.INSTALLMENT, filters={"task": doc.name}, pluck="sales_invoice", distinct=True
	)
	for invoice in invoices:
		if frappe.db.get_value("Sales Invoice", invoice, "pb_plan_status") != engine.ACTIVE:
			continue
		notices.notify_job_change(invoice, rescheduling.reschedule(invoice))
