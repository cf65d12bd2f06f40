"""Taking and refunding money on an invoice with a plan, as ERPNext documents.

A payment is a normal Payment Entry; a refund is a Journal Entry that debits the
customer against the invoice and credits the account the money came into, linked to
the payment it refunds (pb_refund_of). Both reach the plan through the ledger.
"""

from decimal import Decimal

import frappe
from frappe import _
from frappe.query_builder.functions import Sum
from frappe.utils import flt, nowdate

from erpnext.accounts.doctype.payment_entry.payment_entry import get_payment_entry
from erpnext.accounts.doctype.sales_invoice.sales_invoice import get_bank_cash_account
from erpnext.accounts.utils import get_account_currency

from progress_billing import engine, plan_labels, plans
from progress_billing.engine import PlanError
from progress_billing.errors import throw_refusal
from progress_billing.payment_schedule import restore_single_row
from progress_billing.settings import get_words


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
	invoice = plans.load(doctype, invoice_name)
	plan = plans.as_dict(invoice_name, doctype)
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
			title = plan_labels.installment_title(row["label"], idx, len(installments))
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
	open_draws = _open_draw_invoices(invoice_name) if invoice.get("pb_billing") == engine.EACH_DRAW else None
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


def refundable_amount(payment_entry: str, invoice_name: str, lock: bool = False) -> Decimal:
	"""What is still refundable of the payment's allocation to the invoice. With `lock`
	(after `lock_payment`), locking reads: they see refunds other transactions committed
	while this one waited for the payment, where a plain read sees its older snapshot."""
	pe_ref = frappe.qb.DocType("Payment Entry Reference")
	allocated = (
		frappe.qb.from_(pe_ref)
		.select(Sum(pe_ref.allocated_amount))
		.where(
			(pe_ref.parent == payment_entry)
			& (pe_ref.reference_doctype == "Sales Invoice")
			& (pe_ref.reference_name == invoice_name)
			& (pe_ref.docstatus == 1)
		)
	)
	allocated = _run_sum(allocated, lock)
	return allocated - _refunded(payment_entry, lock)


def _refunded(payment_entry: str, lock: bool = False) -> Decimal:
	je = frappe.qb.DocType("Journal Entry")
	jea = frappe.qb.DocType("Journal Entry Account")
	refunded = (
		frappe.qb.from_(jea)
		.join(je)
		.on(je.name == jea.parent)
		.select(Sum(jea.debit_in_account_currency))
		.where(
			(je.pb_refund_of == payment_entry) & (je.docstatus == 1) & (jea.reference_type == "Sales Invoice")
		)
	)
	return _run_sum(refunded, lock)


def _run_sum(query, lock: bool) -> Decimal:
	return engine.to_decimal((query.for_update() if lock else query).run()[0][0] or 0)


def refund(payment_entry: str, amount):
	"""Refunds up to what is still refundable on `payment_entry`; returns the Journal Entry.

	The payment's row is locked before anything is read: two refunds of one payment at
	once are taken one after the other, and the second sees what the first paid back.
	(ERPNext's own cancel of the payment takes the same row first, then the invoice's.)"""
	lock_payment(payment_entry)
	payment = frappe.get_doc("Payment Entry", payment_entry)
	if payment.docstatus != 1 or payment.payment_type != "Receive" or payment.party_type != "Customer":
		frappe.throw(_("Only a submitted payment received from a customer can be refunded."))
	invoice_name = refunded_invoice(payment)
	amount = engine.to_decimal(amount)
	refundable = refundable_amount(payment.name, invoice_name, lock=True)
	if amount <= 0 or amount > refundable:
		frappe.throw(
			_("The refund must be more than zero and at most {0}, what is still refundable on {1}.").format(
				frappe.format_value(
					refundable, {"fieldtype": "Currency", "options": payment.paid_to_account_currency}
				),
				payment.name,
			)
		)
	journal = frappe.new_doc("Journal Entry")
	amount = flt(
		amount, frappe.get_meta("Journal Entry Account").get_field("debit_in_account_currency").precision or 2
	)
	journal.voucher_type = (
		"Bank Entry"
		if frappe.db.get_value("Account", payment.paid_to, "account_type") == "Bank"
		else "Cash Entry"
	)
	journal.company = payment.company
	journal.posting_date = nowdate()
	journal.cheque_no = payment.reference_no or payment.name
	journal.cheque_date = nowdate()
	journal.pb_refund_of = payment.name
	journal.user_remark = _("Refund of {0} against {1}").format(payment.name, invoice_name)
	journal.append(
		"accounts",
		{
			"account": payment.paid_from,
			"party_type": "Customer",
			"party": payment.party,
			"debit_in_account_currency": amount,
			"reference_type": "Sales Invoice",
			"reference_name": invoice_name,
			"cost_center": payment.cost_center,
		},
	)
	journal.append(
		"accounts",
		{
			"account": payment.paid_to,
			"credit_in_account_currency": amount,
			"cost_center": payment.cost_center,
		},
	)
	journal.insert()
	journal.submit()
	return journal, invoice_name


def lock_payment(payment_entry: str):
	frappe.db.sql("select name from `tabPayment Entry` where name = %s for update", payment_entry)


def refunded_invoice(payment) -> str:
	invoices = [
		row.reference_name
		for row in payment.references
		if row.reference_doctype == "Sales Invoice" and row.allocated_amount > 0
	]
	with_plan = [name for name in invoices if plans.plan_invoice_for(name)]
	if not (with_plan or invoices):
		frappe.throw(_("{0} was not allocated to a Sales Invoice.").format(payment.name))
	return (with_plan or invoices)[0]


def cancel_plan(invoice_name: str, doctype: str = "Sales Invoice"):
	"""Cancels what is left of the plan: paid installments stay in its history and the
	document is a regular bill (or order) again."""
	frappe.db.set_value(doctype, invoice_name, "pb_plan_status", engine.CANCELLED, update_modified=False)
	plans.refresh(invoice_name, doctype=doctype)
	restore_single_row(plans.load(doctype, invoice_name))


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
