"""Where an invoice stands for its customer: what is asked for now, and in which words.

The engine decides the standing of a plan; this module reads the rows it needs in bulk
and says the result in the business's words, with dates as the business's calendar
has them (`nowdate` is today in the site's timezone).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import frappe
from frappe import _
from frappe.utils import formatdate, getdate, nowdate

from progress_billing import engine
from progress_billing.plans import INSTALLMENT, INSTALLMENT_FIELDS
from progress_billing.views import colours

ON_PLAN = (engine.ACTIVE, engine.COMPLETED)

# How each standing looks: the tone names a CSS modifier (pb-tone-<tone>).
UPCOMING, DUE, PAST_DUE, PAID, BALANCE, REGULAR = "upcoming", "due", "past-due", "paid", "balance", "regular"
TONES = {
	engine.UPCOMING: UPCOMING,
	engine.DUE_NOW: DUE,
	engine.PAST_DUE: PAST_DUE,
	engine.COLLECTED: PAID,
	engine.COLLECTED_WITH_BALANCE: BALANCE,
}


@dataclass(frozen=True)
class Summary:
	tone: str
	label: str  # a few words above the amount: "Due today", "Past due" ...
	amount: Decimal  # what is asked for now
	caption: str  # one short line for the invoice list
	message: str  # one or two sentences for the invoice page
	on_plan: bool  # the invoice is billed by its plan (not cancelled)
	standing: engine.Standing | None = None


def today():
	"""Today in the business's timezone (System Settings), not the server's."""
	return getdate(nowdate())


def installments_by_invoice(invoice_names: list[str]) -> dict[str, list]:
	"""Each invoice's installments in order, read in one query; rows carry `idx` as the engine expects."""
	by_invoice: dict[str, list] = {name: [] for name in invoice_names}
	if not invoice_names:
		return by_invoice
	for row in frappe.get_all(
		INSTALLMENT,
		filters={"sales_invoice": ("in", invoice_names)},
		fields=["sales_invoice", *INSTALLMENT_FIELDS],
		order_by="sales_invoice asc, stage_no asc",
	):
		row.idx = row.stage_no
		by_invoice[row.sales_invoice].append(row)
	return by_invoice


def summarize(invoice, rows: list, words: dict, on: date | None = None) -> Summary:
	"""`invoice` carries docstatus, due_date, outstanding_amount and pb_plan_status;
	`rows` are its installments (see `installments_by_invoice`)."""
	on = on or today()
	outstanding = engine.to_decimal(invoice.outstanding_amount or 0)
	if invoice.docstatus == 1 and invoice.get("pb_plan_status") and rows:
		standing = engine.plan_standing(
			rows, plan_status=invoice.pb_plan_status, invoice_outstanding=outstanding, today=on
		)
		if standing.kind != engine.PLAN_CANCELLED:
			return _plan_summary(standing, rows, on, words)
		return _regular_summary(invoice, outstanding, on, words, standing)
	return _regular_summary(invoice, outstanding, on, words)


def plan_indicator(summary: Summary) -> tuple[str, str]:
	"""The status pill (color, title) of an invoice on a plan: where the plan stands,
	where ERPNext's own would only look at the invoice's final due date."""
	title = {
		PAST_DUE: _("Past Due"),
		DUE: _("Due Today"),
		UPCOMING: _("Upcoming"),
		PAID: _("Paid"),
		BALANCE: _("Balance Due"),
	}[summary.tone]
	return colours.STANDING[summary.standing.kind], title


def installment_title(idx: int, count: int, label: str | None, words: dict) -> str:
	title = _("{0} {1} of {2}").format(words["interval_name"], idx, count)
	return _("{0}: {1}").format(title, label) if label else title


def _plan_summary(standing: engine.Standing, rows: list, on: date, words: dict) -> Summary:
	interval, program, count = words["interval_name"], words["program_name"], len(rows)
	kind, amount = standing.kind, standing.amount
	if kind in (engine.COLLECTED, engine.COLLECTED_WITH_BALANCE):
		if kind == engine.COLLECTED:
			label, caption = _("Paid in full"), _("Every {0} paid").format(interval)
			message = _("Every {0} of your {1} has been paid. Thank you.").format(interval, program)
		else:
			label, caption = _("Balance due"), _("Balance left after a refund")
			message = _(
				"Every {0} of your {1} was paid, but a refund has left a balance on this invoice."
			).format(interval, program)
		return Summary(TONES[kind], label, amount, caption, message, True, standing)

	short = _("{0} {1} of {2}").format(interval, standing.idx, count)
	title = installment_title(standing.idx, count, standing.label, words)
	due = formatdate(standing.due_date) if standing.due_date else None
	if kind == engine.PAST_DUE:
		label = _("Past due")
		caption = _("{0}, past due since {1}").format(short, due)
		message = _("{0} was due on {1}.").format(title, due)
		if _past_due_count(rows, on) > 1:
			message += " " + _("This amount covers every {0} due before today.").format(interval)
	elif kind == engine.DUE_NOW:
		label = _("Due today")
		caption = _("{0}, due today").format(short)
		message = _("{0} is due today.").format(title)
	else:
		label = _("Next {0}").format(interval)
		caption = _("{0}, due {1}").format(short, due) if due else short
		message = (
			_("{0} is due on {1}. Nothing is due before then.").format(title, due)
			if due
			else _("{0} is next; its date is not set yet.").format(title)
		)
	return Summary(TONES[kind], label, amount, caption, message, True, standing)


def _past_due_count(rows: list, on: date) -> int:
	return sum(
		1
		for row in rows
		if row.outstanding_amount > 0
		and row.status != engine.CANCELLED
		and row.due_date
		and row.due_date < on
	)


def _regular_summary(invoice, outstanding: Decimal, on, words: dict, standing=None) -> Summary:
	"""An invoice without a plan, or whose plan was cancelled: a regular bill."""
	cancelled = standing is not None
	program = words["program_name"]
	if outstanding <= 0:
		message = (
			_("The {0} for this invoice was cancelled; nothing is owed.").format(program)
			if cancelled
			else _("This invoice is paid.")
		)
		return Summary(PAID, _("Paid"), Decimal(0), "", message, False, standing)

	due_date = getdate(invoice.due_date) if invoice.get("due_date") else None
	due = formatdate(due_date) if due_date else None
	overdue = due_date is not None and due_date < on
	tone = PAST_DUE if overdue else REGULAR
	label = _("Past due") if overdue else _("Amount due")
	if overdue:
		caption = _("Past due since {0}").format(due)
	else:
		caption = _("Due {0}").format(due) if due else ""
	balance = ""
	if due:
		balance = (
			_("The balance was due on {0}.").format(due)
			if overdue
			else _("The balance is due on {0}.").format(due)
		)
	message = balance
	if cancelled:
		regular = _("The {0} for this invoice was cancelled; it is a regular bill again.").format(program)
		message = " ".join(part for part in (regular, balance) if part)
	return Summary(tone, label, outstanding, caption, message, False, standing)
