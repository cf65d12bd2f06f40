"""Pay applications: an order billed each period by the work completed on each of its lines.

The order's lines are its schedule of values; ERPNext's Update Items changes them (change
orders), and the next application reads them as they are. An application gives, per line,
the work completed to date and the materials presently stored; the engine works out the
rest (engine/pay_application.py). Submitting it bills the period: one Sales Invoice made by
ERPNext's Make Sales Invoice from the order, each line billed what it gained since the last
application, with the retainage of the period withheld as a draw's is. The invoice is the
order's, as a draw invoice is: it becomes one row of the order's plan, so payments, Accept
Payment, Outstanding Draws, reminders and the portal treat it as they treat draws.
Cancelling the application cancels its invoice and takes its row away.
"""

from decimal import Decimal

import frappe
from frappe import _
from frappe.utils import formatdate, getdate, nowdate

from erpnext.selling.doctype.sales_order.sales_order import make_sales_invoice

from progress_billing import engine, plans
from progress_billing.billing import draws, retainage
from progress_billing.engine import PlanError
from progress_billing.engine.pay_application import LineInput, lines_for_period, summarize, work_for_percent
from progress_billing.errors import throw_refusal
from progress_billing.plans import applications, owners, recompute

ORDER = owners.SALES_ORDER
DOCTYPE = applications.DOCTYPE
SUMMARY_FIELDS = (
	"original_contract_sum",
	"net_change_by_change_orders",
	"contract_sum_to_date",
	"total_completed_and_stored",
	"retainage_on_completed",
	"retainage_on_stored",
	"total_retainage",
	"total_earned_less_retainage",
	"previous_certificates",
	"current_payment_due",
	"balance_to_finish_including_retainage",
)


def start(order):
	"""Bills the order by pay applications from now on: refused once it was invoiced."""
	draws.set_billing(order, engine.PAY_APPLICATIONS)
	frappe.db.delete(plans.INSTALLMENT, {"sales_order": order.name})
	values = {
		"pb_plan_status": engine.ACTIVE,
		"pb_template": None,
		"pb_mode": None,
		"pb_plan_target": owners.invoice_total(order),
		"pb_original_contract_sum": frappe.db.get_value(ORDER, order.name, "total")
		if order.docstatus == 1
		else 0,
	}
	frappe.db.set_value(ORDER, order.name, values, update_modified=False)
	order.update(values)


def keep_original_sum(order):
	"""On the order's submit: its contract sum as submitted, beside which change orders show."""
	if order.get("pb_billing") == engine.PAY_APPLICATIONS and not order.get("pb_original_contract_sum"):
		order.db_set("pb_original_contract_sum", order.total, update_modified=False)


def fill(doc):
	"""Works out the application from the order's lines and the last submitted application:
	each line's figures, and the summary. Lines the application does not mention stay
	where the last one left them."""
	order = owners.load(ORDER, doc.sales_order)
	if not order or order.docstatus != 1:
		frappe.throw(_("Submit the order before applying for payment on it."))
	if order.pb_billing != engine.PAY_APPLICATIONS or order.pb_plan_status != engine.ACTIVE:
		frappe.throw(_("Sales Order {0} is not billed by pay applications.").format(doc.sales_order))
	number(doc)
	previous_lines, previous = applications.previous(doc)
	order_lines = applications.order_lines(doc.sales_order)
	given = {row.so_detail: row for row in doc.get("lines") or []}
	unknown = set(given) - {line.name for line in order_lines}
	if unknown:
		frappe.throw(_("{0} is not a line of Sales Order {1}.").format(sorted(unknown)[0], doc.sales_order))
	precision = owners.money_precision(order)
	inputs = []
	for line in order_lines:
		before = previous_lines.get(line.name) or frappe._dict(work_to_date=0, stored=0)
		row = given.get(line.name)
		inputs.append(
			LineInput(
				line.name,
				engine.to_decimal(line.amount),
				engine.to_decimal(before.work_to_date or 0),
				engine.to_decimal(before.stored or 0),
				work_to_date=engine.to_decimal(row.work_to_date or 0) if row else None,
				stored=engine.to_decimal(row.stored or 0) if row else None,
			)
		)
	terms = retainage.terms(order)
	try:
		lines = lines_for_period(inputs, precision)
		summary = summarize(
			lines,
			order.get("pb_original_contract_sum") or sum((i.scheduled for i in inputs), Decimal(0)),
			previous.total_earned_less_retainage if previous else 0,
			terms,
			precision,
		)
	except PlanError as refusal:
		throw_refusal(refusal, currency=order.currency)
	kept = (
		engine.split_by_weights(
			summary.total_retainage, [line.completed_and_stored for line in lines], precision
		)
		if summary.total_retainage
		else [Decimal(0)] * len(lines)
	)
	doc.set("lines", [])
	for source, line, share in zip(order_lines, lines, kept, strict=True):
		doc.append(
			"lines",
			{
				"so_detail": source.name,
				"item_code": source.item_code,
				"description": applications.line_description(source),
				"scheduled_value": line.scheduled,
				"previous": line.previous,
				"previous_work": line.work_to_date - line.this_period,
				"previous_stored": line.previous - line.work_to_date + line.this_period,
				"work_to_date": line.work_to_date,
				"percent_to_date": round(line.work_to_date * 100 / line.scheduled, 2)
				if line.scheduled
				else 0,
				"stored": line.stored,
				"this_period": line.this_period,
				"completed_and_stored": line.completed_and_stored,
				"percent_complete": line.percent_complete(),
				"balance_to_finish": line.balance_to_finish,
				"retainage": share,
				"currency": order.currency,
			},
		)
	doc.update({field: getattr(summary, field) for field in SUMMARY_FIELDS})
	doc.retainage_rate = retainage.terms_text(terms)
	doc.flags.period_retainage = summary.total_retainage - engine.to_decimal(
		previous.total_retainage if previous else 0
	)


def number(doc):
	"""An application's number on its order: an amendment keeps the number of the one it
	amends; a new one follows the highest so far, a cancelled one's never given again."""
	if doc.application_no:
		return
	if doc.amended_from:
		doc.application_no = frappe.db.get_value(DOCTYPE, doc.amended_from, "application_no")
		return
	doc.application_no = (
		frappe.db.sql(
			f"select max(application_no) from `tab{DOCTYPE}` where sales_order = %s", doc.sales_order
		)[0][0]
		or 0
	) + 1


def check_latest(doc, cancelling: bool = False):
	"""Applications follow each other: one is submitted or cancelled only as the latest.
	The order's row is locked first, so two applications submitted at once queue up."""
	owners.load(ORDER, doc.sales_order, for_update=True)
	later = frappe.db.exists(
		DOCTYPE,
		{"sales_order": doc.sales_order, "docstatus": 1, "application_no": (">", doc.application_no)},
	)
	if later:
		message = (
			_("Cancel the later application {0} first.")
			if cancelling
			else _("A later application, {0}, is already submitted.")
		)
		frappe.throw(message.format(later))


def bill(doc):
	"""The period's invoice: each order line billed what it gained since the last
	application, the period's retainage withheld, submitted; it becomes the order's row."""
	order = owners.load(ORDER, doc.sales_order, for_update=True)
	fill(doc)  # what is submitted is what the order and the last application say now
	shares = {
		row.so_detail: engine.to_decimal(row.completed_and_stored) - engine.to_decimal(row.previous)
		for row in doc.lines
	}
	billed = sum(shares.values(), Decimal(0))
	if billed <= 0:
		frappe.throw(
			_("Nothing was completed or stored since the last application: there is nothing to bill.")
		)
	invoice = make_sales_invoice(doc.sales_order)
	invoice.set("items", [item for item in invoice.items if shares.get(item.so_detail)])
	missing = {name for name, share in shares.items() if share} - {item.so_detail for item in invoice.items}
	if missing:
		frappe.throw(
			_("Sales Order {0} has no unbilled amount left on a line this application bills.").format(
				doc.sales_order
			)
		)
	quantities = {line.name: line.qty for line in applications.order_lines(doc.sales_order)}
	draws.bill_lines(invoice, [shares[item.so_detail] for item in invoice.items], quantities)
	posting_date = getdate(doc.posting_date or nowdate())
	title = _("Pay Application {0}, to {1}").format(doc.application_no, formatdate(doc.period_end))
	invoice.update(
		{
			"posting_date": posting_date,
			"set_posting_time": 1,
			"pb_draw_order": doc.sales_order,
			"pb_draw_stage": doc.application_no,
			"pb_draw_title": title,
			"pb_pay_application": doc.name,
			"ignore_pricing_rule": 1,
			"disable_rounded_total": 1,
			"additional_discount_percentage": 0,
			"discount_amount": 0,
			"allocate_advances_automatically": 1,
			"only_include_allocated_payments": 1,
		}
	)
	if not invoice.get("payment_terms_template"):
		invoice.set("payment_schedule", [])
		invoice.due_date = max(posting_date, getdate(nowdate()))
	invoice.calculate_taxes_and_totals()
	kept = doc.flags.period_retainage or Decimal(0)
	if kept:
		terms = retainage.terms(order)
		label = retainage.retainage_label(terms.rate, terms.rate_after if terms.step_at is not None else None)
		retainage.withhold_amount(invoice, order, kept, label)
	invoice.insert()
	if engine.to_decimal(invoice.total) != billed:
		frappe.throw(
			_("The invoice for this application came to {0} of work instead of {1}; it was not made.").format(
				invoice.total, billed
			)
		)
	contract = engine.to_decimal(doc.contract_sum_to_date) or Decimal(1)
	frappe.get_doc(
		{
			"doctype": plans.INSTALLMENT,
			"sales_order": doc.sales_order,
			"stage_no": doc.application_no,
			"label": title,
			"percentage": engine.round_to(billed * 100 / contract, 6),
			"amount": engine.to_decimal(invoice.grand_total) + kept,
			"due_date": invoice.due_date,
			"paid_amount": 0,
			"outstanding_amount": invoice.grand_total,
			"status": engine.UNPAID,
			"customer": invoice.customer,
			"company": invoice.company,
			"currency": invoice.currency,
			"draw_invoice": invoice.name,
			"installment_count": doc.application_no,
		}
	).db_insert()
	frappe.db.set_value(
		plans.INSTALLMENT,
		{"sales_order": doc.sales_order},
		"installment_count",
		doc.application_no,
		update_modified=False,
	)
	doc.db_set("sales_invoice", invoice.name)
	invoice.submit()


def unbill(doc):
	"""The application is cancelled: its invoice too, and its row leaves the order's plan."""
	invoice = doc.sales_invoice and frappe.get_doc(owners.SALES_INVOICE, doc.sales_invoice)
	if invoice and invoice.docstatus == 1:
		invoice.flags.from_pay_application = True
		invoice.cancel()
	frappe.db.delete(plans.INSTALLMENT, {"sales_order": doc.sales_order, "stage_no": doc.application_no})
	recompute.refresh(doc.sales_order, doctype=ORDER)


def forget_invoice(doc):
	"""A cancelled application being deleted: its cancelled invoice no longer points at it
	(the two link each other, and Frappe deletes neither while the other links it)."""
	if doc.sales_invoice:
		frappe.db.set_value(
			owners.SALES_INVOICE,
			{"name": doc.sales_invoice, "docstatus": 2},
			"pb_pay_application",
			None,
			update_modified=False,
		)


def refuse_direct_cancel(invoice):
	"""A pay application's invoice is cancelled by cancelling the application, which knows
	the figures that follow from it."""
	application = invoice.get("pb_pay_application")
	if application and not invoice.flags.from_pay_application:
		if frappe.db.get_value(DOCTYPE, application, "docstatus") == 1:
			frappe.throw(
				_("Cancel Pay Application {0} instead: it cancels this invoice.").format(application)
			)


def make(order_name: str, period_end, lines: list[dict], posting_date=None):
	"""A draft application for the period to `period_end`: each given line's work to date
	(`amount`, or `percent_complete` of the line) and materials presently `stored`."""
	doc = frappe.new_doc(DOCTYPE)
	doc.update(
		{"sales_order": order_name, "period_end": period_end, "posting_date": posting_date or nowdate()}
	)
	scheduled = {line.name: engine.to_decimal(line.amount) for line in applications.order_lines(order_name)}
	previous_lines, _previous_app = applications.previous(doc)
	precision = owners.money_precision(owners.load(ORDER, order_name))
	for row, given in enumerate(lines, 1):
		so_detail = given.get("so_detail")
		if so_detail not in scheduled:
			frappe.throw(_("{0} is not a line of Sales Order {1}.").format(so_detail, order_name))
		before = previous_lines.get(so_detail) or frappe._dict(work_to_date=0, stored=0)
		if given.get("amount") is not None:
			work = engine.to_decimal(given["amount"])
		elif given.get("percent_complete") is not None:
			try:
				work = work_for_percent(scheduled[so_detail], given["percent_complete"], precision, row)
			except PlanError as refusal:
				throw_refusal(refusal)
		else:
			work = engine.to_decimal(before.work_to_date or 0)
		stored = given.get("stored")
		doc.append(
			"lines",
			{
				"so_detail": so_detail,
				"work_to_date": work,
				"stored": engine.to_decimal(before.stored or 0)
				if stored is None
				else engine.to_decimal(stored),
			},
		)
	for so_detail in scheduled:
		if so_detail not in {row.so_detail for row in doc.lines}:
			before = previous_lines.get(so_detail) or frappe._dict(work_to_date=0, stored=0)
			doc.append(
				"lines",
				{"so_detail": so_detail, "work_to_date": before.work_to_date, "stored": before.stored},
			)
	doc.insert()
	return doc
