"""Retainage released: a job's retainage billed back, by hand (all of it or a part), on a
date (a warranty's end) or when a task of its project is completed. A release is a Sales
Invoice whose line credits the Retainage Receivable account: it bills the retainage back
to the customer's receivable, without tax, which was charged with the work."""

import frappe
from frappe import _
from frappe.utils import getdate, nowdate

from progress_billing import engine, settings
from progress_billing.billing.retainage import account
from progress_billing.engine import PlanError
from progress_billing.errors import throw_refusal
from progress_billing.notify import notices
from progress_billing.plans import ledger, owners, recompute

ORDER = owners.SALES_ORDER
INVOICE = owners.SALES_INVOICE
SAVEPOINT = "pb_retainage_release"


def set_release_trigger(job, release_on=None, task=None):
	"""When the job's retainage releases itself: on `release_on` (a warranty's end, say),
	or once `task` of the job's project is completed; neither, by hand only."""
	if release_on and task:
		frappe.throw(_("Release the retainage on a date or when a task is completed, not both."))
	doctype = job.get("doctype") or ORDER
	if task:
		project = frappe.db.get_value("Task", task, "project")
		if not project or project != frappe.db.get_value(doctype, job.name, "project"):
			frappe.throw(_("Task {0} is not a task of the job's project.").format(task))
	values = {"pb_retainage_release_on": release_on or None, "pb_retainage_release_task": task or None}
	frappe.db.set_value(doctype, job.name, values, update_modified=False)
	job.update(values)


def release_due(today=None, commit: bool = True) -> dict:
	"""The scheduler's job: releases what is held on jobs (orders, invoices billed as one
	job) whose release date has come. Each job stands on its own (a savepoint, then a
	commit); running it again releases nothing twice, since nothing is held any more."""
	today = getdate(today or nowdate())
	jobs = [
		(doctype, name)
		for doctype in (ORDER, INVOICE)
		for name in frappe.get_all(
			doctype,
			filters=[
				["docstatus", "=", 1],
				["pb_retainage", ">", 0],
				["pb_retainage_release_on", "is", "set"],
				["pb_retainage_release_on", "<=", today],
			],
			pluck="name",
		)
	]
	return _release_each(jobs, commit=commit)


def release_after_task(task) -> dict:
	"""A completed task: the jobs whose retainage waits on it release what they hold."""
	jobs = [
		(doctype, name)
		for doctype in (ORDER, INVOICE)
		for name in frappe.get_all(
			doctype, filters={"docstatus": 1, "pb_retainage_release_task": task.name}, pluck="name"
		)
	]
	return _release_each(jobs, commit=False)


def _release_each(jobs: list[tuple[str, str]], commit: bool) -> dict:
	released = failed = 0
	for doctype, name in jobs:
		if not ledger.job_retainage(doctype, name)[0].held > 0:
			continue
		frappe.db.savepoint(SAVEPOINT)
		try:
			release(name, doctype=doctype)
		except Exception:
			frappe.db.rollback(save_point=SAVEPOINT)
			frappe.clear_last_message()
			frappe.log_error(title=_("Retainage release failed for {0}").format(name))
			failed += 1
		else:
			frappe.db.release_savepoint(SAVEPOINT)
			released += 1
		if commit:
			frappe.db.commit()
	return {"released": released, "failed": failed}


def release(name: str, amount=None, posting_date=None, doctype: str = ORDER):
	"""Bills what the job holds (all of it, or `amount`) on a new Sales Invoice that moves
	it from the Retainage Receivable account back to the customer's receivable, due per the
	job's payment terms. Submitted and emailed as draw invoices are (Settings)."""
	job = owners.load(doctype, name, for_update=True)
	if not job or job.docstatus != 1:
		frappe.throw(_("Submit the document before releasing its retainage."))
	held, _releases = ledger.job_retainage(doctype, name, lock=True)
	precision = owners.money_precision(job)
	try:
		amount = engine.check_release(amount, held, precision)
	except PlanError as refusal:
		throw_refusal(refusal, currency=job.currency)
	posting_date = getdate(posting_date or nowdate())
	full = frappe.get_doc(doctype, name)
	invoice = frappe.new_doc(INVOICE)
	invoice.update(
		{
			"customer": full.customer,
			"company": full.company,
			"currency": full.currency,
			"selling_price_list": full.selling_price_list,
			"project": full.project,
			"cost_center": full.get("cost_center"),
			"posting_date": posting_date,
			"set_posting_time": 1,
			"payment_terms_template": full.payment_terms_template,
			"disable_rounded_total": 1,
			"ignore_pricing_rule": 1,
			ledger.RETAINAGE_KEY[doctype]: name,
			"pb_retainage_release": 1,
		}
	)
	invoice.append(
		"items",
		{
			"item_name": _("Retainage released"),
			"description": _release_description(doctype, name),
			"qty": 1,
			"rate": amount,
			"uom": frappe.db.get_single_value("Stock Settings", "stock_uom") or "Nos",
			"conversion_factor": 1,
			"income_account": account(full.company),
			"cost_center": full.get("cost_center")
			or frappe.get_cached_value("Company", full.company, "cost_center"),
		},
	)
	invoice.insert()
	if engine.to_decimal(invoice.grand_total) != amount:
		frappe.throw(
			_("The release came to {0} instead of {1}; it was not made.").format(invoice.grand_total, amount)
		)
	if settings.get_settings().submit_draw_invoices:
		invoice.submit()
		notices.send_release_invoice(invoice)
	recompute.refresh(name, doctype=doctype)
	return invoice


def _release_description(doctype: str, name: str) -> str:
	if doctype == INVOICE:
		return _("Retainage released on Sales Invoice {0}").format(name)
	return _("Retainage released on Sales Order {0}").format(name)
