"""Taking money on a document with a plan, as ERPNext documents: a normal Payment Entry,
checked against the plan first, and on an order billed draw by draw allocated to its open
draw invoices. It reaches the plan through the ledger."""

from decimal import Decimal

import frappe
from frappe import _
from frappe.query_builder.functions import Sum
from frappe.utils import flt, nowdate

from erpnext.accounts.doctype.payment_entry.payment_entry import get_payment_entry
from erpnext.accounts.doctype.sales_invoice.sales_invoice import get_bank_cash_account
from erpnext.accounts.utils import get_account_currency

from progress_billing import engine
from progress_billing.engine import PlanError
from progress_billing.errors import throw_refusal
from progress_billing.plans import owners, payload
from progress_billing.settings import get_words
from progress_billing.views import labels


def check_payment(invoice_name: str, amount, doctype: str = "Sales Invoice") -> engine.PaymentCheck:
	return _assess(invoice_name, amount, doctype)[1]


def assess_payment(
	invoice_name: str, amount, doctype: str = "Sales Invoice"
) -> tuple[engine.PaymentCheck, list[str]]:
	"""The engine's check of `amount` and what the dialog says of it (refuses a bad amount)."""
	return _assess(invoice_name, amount, doctype)[1:]


def _assess(invoice_name: str, amount, doctype: str = "Sales Invoice"):
	"""One read of the document and its plan for the check and the warnings alike. What an
	order may still receive is its total less what it received (ERPNext's advance paid)."""
	invoice = owners.load(doctype, invoice_name)
	plan = payload.as_dict(invoice_name, doctype)
	current = plan["installments"][plan["current"] - 1] if plan["current"] else None
	try:
		check = engine.check_payment(
			amount, current["outstanding_amount"] if current else 0, plan["invoice_outstanding"]
		)
	except PlanError as refusal:
		throw_refusal(refusal, currency=invoice.currency)
	return invoice, check, payment_warnings(check, plan, amount, invoice.currency)


def payment_warnings(check: engine.PaymentCheck, plan: dict, amount, currency: str) -> list[str]:
	"""What the Accept Payment dialog says before Charge: how the amount sits against the
	current installment, which installments it pays, and what it leaves of refunded money
	still owed (refunds never un-pay an installment, so that is owed beside the plan)."""
	interval = get_words()["interval_name"]
	installments = plan["installments"]
	landing = engine.land_payment(
		amount,
		[row["outstanding_amount"] if row["status"] != engine.CANCELLED else 0 for row in installments],
		plan.get("refunded_balance") or 0,
	)
	warnings = []
	if check.kind == engine.BELOW_CURRENT:
		warnings.append(_("This is less than the current {0}.").format(interval))
	elif check.kind == engine.EXCEEDS_CURRENT:
		warnings.append(
			_("This payment exceeds the current {0}; {1} will be applied to the next.").format(
				interval, _money(check.spill, currency)
			)
		)
	if len(landing.installments) > 1 or landing.refunded or landing.refunded_left:
		for idx, share in landing.installments:
			row = installments[idx - 1]
			title = labels.installment_title(row["label"], idx, len(installments))
			if share >= engine.to_decimal(row["outstanding_amount"]):
				warnings.append(_("{0}: {1}, paid in full.").format(title, _money(share, currency)))
			else:
				warnings.append(
					_("{0}: {1} of {2}.").format(
						title, _money(share, currency), _money(row["outstanding_amount"], currency)
					)
				)
	if landing.refunded:
		warnings.append(
			_("Refunded, still owed: {0} goes to it, {1} is left.").format(
				_money(landing.refunded, currency), _money(landing.refunded_left, currency)
			)
		)
	elif landing.refunded_left:
		warnings.append(
			_("Refunded, still owed: {0} stays owed after this payment.").format(
				_money(landing.refunded_left, currency)
			)
		)
	return warnings


def _money(value, currency: str) -> str:
	return frappe.format_value(value, {"fieldtype": "Currency", "options": currency}, currency=currency)


def payment_account(mode_of_payment: str | None, company: str) -> dict:
	"""The account a mode of payment pays into, and whether ERPNext will want a reference
	for it (it does for a bank); refuses a missing or unknown mode before anything is written."""
	if not mode_of_payment:
		frappe.throw(_("Choose the mode of payment."), frappe.MandatoryError)
	if not isinstance(mode_of_payment, str) or not frappe.db.exists("Mode of Payment", mode_of_payment):
		frappe.throw(
			_("Mode of Payment {0} does not exist.").format(frappe.bold(str(mode_of_payment))),
			frappe.DoesNotExistError,
		)
	account = get_bank_cash_account(mode_of_payment, company).get("account")
	return {
		"account": account,
		"needs_reference": frappe.get_cached_value("Account", account, "account_type") == "Bank",
	}


def take_payment(
	invoice_name: str,
	amount,
	mode_of_payment=None,
	reference_no=None,
	reference_date=None,
	doctype: str = "Sales Invoice",
):
	"""Creates and submits a Payment Entry for `amount` against the invoice, or against an
	order as ERPNext's advance; returns it with what the dialog would have said of the
	amount before it was taken."""
	invoice, _check, warnings = _assess(invoice_name, amount, doctype)
	receiving = payment_account(mode_of_payment, invoice.company)
	if receiving["needs_reference"] and not (reference_no or "").strip():
		frappe.throw(
			_("{0} pays into a bank account: enter the payment's reference number.").format(
				frappe.bold(mode_of_payment)
			),
			frappe.MandatoryError,
		)
	amount = flt(amount, frappe.get_meta("Payment Entry").get_field("paid_amount").precision or 2)
	open_draws = (
		_open_draw_invoices(invoice_name) if invoice.get("pb_billing") in engine.BILLED_ON_ORDER else None
	)
	# ERPNext makes no payment against a fully billed order: an order billed draw by draw
	# is paid through its draw invoices, whichever it starts from.
	payment = (
		get_payment_entry("Sales Invoice", open_draws[0].name, party_amount=amount)
		if open_draws
		else get_payment_entry(doctype, invoice_name, party_amount=amount)
	)
	payment.mode_of_payment = mode_of_payment
	payment.paid_to = receiving["account"]
	payment.paid_to_account_currency = get_account_currency(receiving["account"])
	payment.reference_no = reference_no or payment.reference_no
	payment.reference_date = reference_date or nowdate()
	for reference in payment.references:
		if reference.reference_doctype == doctype and reference.reference_name == invoice_name:
			reference.allocated_amount = amount
	if open_draws is not None:
		_allocate_to_draws(payment, invoice_name, engine.to_decimal(amount), open_draws)
	payment.set_amounts()
	payment.insert()
	payment.submit()
	return payment, warnings


def _open_draw_invoices(order_name: str) -> list[dict]:
	return frappe.db.sql(
		"""select si.name, si.outstanding_amount, si.grand_total, si.due_date
		from `tabProgress Billing Installment` inst
		join `tabSales Invoice` si on si.name = inst.draw_invoice
		where inst.sales_order = %s and si.docstatus = 1 and si.outstanding_amount > 0
		order by inst.stage_no""",
		order_name,
		as_dict=True,
	)


def _allocate_to_draws(payment, order_name: str, amount, open_invoices: list[dict]):
	"""An order billed draw by draw: the payment goes to its open draw invoices, oldest
	first; what is left stays against the order, a deposit for the draws to come."""
	payment.set("references", [])
	left = amount
	for invoice in open_invoices:
		share = min(left, engine.to_decimal(invoice.outstanding_amount))
		if share <= 0:
			break
		payment.append(
			"references",
			{
				"reference_doctype": "Sales Invoice",
				"reference_name": invoice.name,
				"total_amount": invoice.grand_total,
				"outstanding_amount": invoice.outstanding_amount,
				"due_date": invoice.due_date,
				"allocated_amount": share,
			},
		)
		left -= share
	if left > 0:
		order = frappe.db.get_value("Sales Order", order_name, ["grand_total", "advance_paid"], as_dict=True)
		payment.append(
			"references",
			{
				"reference_doctype": "Sales Order",
				"reference_name": order_name,
				"total_amount": order.grand_total,
				"outstanding_amount": engine.to_decimal(order.grand_total)
				- engine.to_decimal(order.advance_paid or 0),
				"allocated_amount": left,
			},
		)


def payment_history(invoice_name: str) -> list[dict]:
	"""Payments against the invoice, each with what is still refundable, and refunds as
	their own negative rows; oldest first."""
	pe = frappe.qb.DocType("Payment Entry")
	pe_ref = frappe.qb.DocType("Payment Entry Reference")
	payments = (
		frappe.qb.from_(pe_ref)
		.join(pe)
		.on(pe.name == pe_ref.parent)
		.select(
			pe.name,
			pe.posting_date,
			pe.mode_of_payment,
			pe.reference_no,
			Sum(pe_ref.allocated_amount).as_("amount"),
		)
		.where(
			(pe_ref.reference_doctype == "Sales Invoice")
			& (pe_ref.reference_name == invoice_name)
			& (pe.docstatus == 1)
		)
		.groupby(pe.name, pe.posting_date, pe.mode_of_payment, pe.reference_no)
		.run(as_dict=True)
	)
	je = frappe.qb.DocType("Journal Entry")
	jea = frappe.qb.DocType("Journal Entry Account")
	refunds = (
		frappe.qb.from_(jea)
		.join(je)
		.on(je.name == jea.parent)
		.select(je.name, je.posting_date, je.pb_refund_of, Sum(jea.debit_in_account_currency).as_("amount"))
		.where(
			(jea.reference_type == "Sales Invoice")
			& (jea.reference_name == invoice_name)
			& (je.docstatus == 1)
			& je.pb_refund_of.isnotnull()
		)
		.groupby(je.name, je.posting_date, je.pb_refund_of)
		.run(as_dict=True)
	)
	refunded_by_payment: dict[str, Decimal] = {}
	for row in refunds:
		refunded_by_payment[row.pb_refund_of] = refunded_by_payment.get(
			row.pb_refund_of, Decimal(0)
		) + engine.to_decimal(row.amount)
	history = [
		{
			"kind": "Payment",
			"name": row.name,
			"posting_date": row.posting_date,
			"mode_of_payment": row.mode_of_payment,
			"reference_no": row.reference_no,
			"amount": row.amount,
			"refundable": engine.to_decimal(row.amount) - refunded_by_payment.get(row.name, Decimal(0)),
		}
		for row in payments
	] + [
		{
			"kind": "Refund",
			"name": row.name,
			"posting_date": row.posting_date,
			"refund_of": row.pb_refund_of,
			"amount": -row.amount,
		}
		for row in refunds
	]
	return sorted(history, key=lambda row: (row["posting_date"], row["kind"] == "Refund", row["name"]))
