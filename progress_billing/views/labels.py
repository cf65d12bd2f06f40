"""Where a plan stands, in the words a person reads under an invoice's balance.

The engine decides the standing (engine.plan_standing); this module says it in the
business's own words, for the office's reports and for the customer's portal alike,
and gives the reports their invoices' installments from the same query.
"""

from itertools import groupby

import frappe
from frappe import _
from frappe.utils import fmt_money, formatdate, getdate

from progress_billing import engine
from progress_billing.plans import INSTALLMENT
from progress_billing.views import colours

# Plans the office still treats as plans; a cancelled plan is a regular bill again.
ON_PLAN = (engine.ACTIVE, engine.COMPLETED)
INSTALLMENT_FIELDS = ("stage_no", "label", "outstanding_amount", "due_date", "status")
PREFIX = "installment_"


def installment_title(label: str, position: int, count: int) -> str:
	"""How an installment is named to a person: "Rough-in, 2 of 3" (the JS twin is
	progress_billing.installment_title)."""
	return _("{0}, {1} of {2}").format(label, position, count)


def is_on_plan(plan_status: str | None) -> bool:
	return plan_status in ON_PLAN


def standing_for(invoice, installments, today) -> engine.Standing:
	"""The engine's standing for `invoice` (with pb_plan_status and outstanding_amount)
	and its installment rows (stage_no, label, outstanding_amount, due_date, status)."""
	rows = [
		frappe._dict(
			idx=row.stage_no,
			label=row.label,
			outstanding_amount=row.outstanding_amount or 0,
			due_date=getdate(row.due_date) if row.due_date else None,
			status=row.status,
		)
		for row in sorted(installments, key=lambda row: row.stage_no or 0)
	]
	return engine.plan_standing(
		rows,
		plan_status=invoice.pb_plan_status,
		invoice_outstanding=invoice.outstanding_amount or 0,
		today=getdate(today),
		refunded_owed=invoice.get("pb_refunded_balance") or 0,
	)


def describe(standing: engine.Standing, currency: str | None, words: dict) -> str:
	"""One line, e.g. "Next Draw: Final Payment · Due 07/09/2026" (words from settings.get_words()),
	with refunded money still owed as its own part, so the line explains the balance beside it."""
	line = _describe_standing(standing, currency, words)
	if standing.refunded > 0 and standing.kind != engine.PLAN_CANCELLED:
		refunded = _("Refunded, still owed: {0}").format(fmt_money(standing.refunded, currency=currency))
		return _("{0} · {1}").format(line, refunded)
	return line


def _describe_standing(standing: engine.Standing, currency: str | None, words: dict) -> str:
	interval = words["interval_name"]
	amount = fmt_money(standing.amount, currency=currency)
	due = formatdate(standing.due_date) if standing.due_date else ""
	if standing.kind == engine.UPCOMING:
		if not standing.due_date:
			return _("Next {0}: {1}").format(interval, standing.label)
		return _("Next {0}: {1} · Due {2}").format(interval, standing.label, due)
	if standing.kind == engine.DUE_NOW:
		return _("{0} Due Today: {1} · {2}").format(interval, standing.label, amount)
	if standing.kind == engine.PAST_DUE:
		return _("Past Due: {0}, was due {1}").format(amount, due)
	if standing.kind in (engine.COLLECTED, engine.COLLECTED_WITH_BALANCE):
		return _("Every {0} collected.").format(interval)
	return _("{0} cancelled: billed as a regular invoice.").format(words["program_name"])


def indicator(standing: engine.Standing) -> str:
	return colours.STANDING[standing.kind]


def plan_values(invoice, installments, today, words: dict) -> dict:
	"""The marker, sub-label and colour a report row carries for `invoice`: empty for an
	invoice that is not on a plan."""
	if not is_on_plan(invoice.pb_plan_status) or not installments:
		return {"plan_marker": "", "plan_note": "", "plan_standing": "", "plan_indicator": ""}
	standing = standing_for(invoice, installments, today)
	return {
		"plan_marker": marker(words),
		"plan_note": describe(standing, invoice.currency, words),
		"plan_standing": standing.kind,
		"plan_indicator": indicator(standing),
	}


def marker(words: dict) -> str:
	"""The program's initials ("PB" for Progress Billing): a short pill in a column headed
	with the program's whole name."""
	initials = "".join(word[0] for word in words["program_name"].split() if word[:1].isalnum())
	return initials.upper()[:3] or words["program_name"][:3]


def marker_column(words: dict) -> dict:
	"""The marker on rows with a plan, coloured by the report's formatter; wide enough for
	its header, the program's name, at 1366 px."""
	width = min(180, max(70, 7 * len(words["program_name"]) + 24))
	return {"label": words["program_name"], "fieldname": "plan_marker", "fieldtype": "Data", "width": width}


def note_columns(words: dict) -> list[dict]:
	"""The sub-label and its colour: the report's formatter shows them under the balance."""
	return [
		{"label": words["program_name"], "fieldname": "plan_note", "fieldtype": "Data", "hidden": 1},
		{"label": _("Standing"), "fieldname": "plan_standing", "fieldtype": "Data", "hidden": 1},
		{"label": _("Indicator"), "fieldname": "plan_indicator", "fieldtype": "Data", "hidden": 1},
	]


def with_installments(query, invoice, link_field: str = "sales_invoice"):
	"""Left-joins the installments of the invoices on a plan onto an invoice query, as
	installment_<field>. The query selects the invoice's name as sales_invoice (or an
	order's as sales_order, with `link_field`), its pb_plan_status, outstanding_amount
	and currency, and is already ordered so that each document's rows come together."""
	installment = frappe.qb.DocType(INSTALLMENT)
	return (
		query.select(invoice.pb_refunded_balance)
		.left_join(installment)
		.on((installment[link_field] == invoice.name) & invoice.pb_plan_status.isin(ON_PLAN))
		.select(*(getattr(installment, field).as_(PREFIX + field) for field in INSTALLMENT_FIELDS))
		.orderby(installment.stage_no)
	)


def report_rows(query_rows, today, words: dict) -> list[frappe._dict]:
	"""One row per invoice from the rows of a `with_installments` query, each with its
	plan's marker, sub-label and colour."""
	rows = []
	for _name, group in groupby(query_rows, key=lambda row: row.get("sales_invoice") or row.sales_order):
		group = list(group)
		invoice = frappe._dict({key: value for key, value in group[0].items() if not key.startswith(PREFIX)})
		installments = [
			frappe._dict({field: row[PREFIX + field] for field in INSTALLMENT_FIELDS})
			for row in group
			if row[PREFIX + "stage_no"] is not None
		]
		invoice.update(plan_values(invoice, installments, today, words))
		rows.append(invoice)
	return rows
