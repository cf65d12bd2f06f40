"""Paying money back: a Journal Entry that debits the customer against the invoice and
credits the account the money came into, linked to the payment it refunds (pb_refund_of).
It reaches the plan through the ledger."""

from decimal import Decimal

import frappe
from frappe import _
from frappe.query_builder.functions import Sum
from frappe.utils import flt, nowdate

from progress_billing import engine
from progress_billing.plans import owners, recompute
from progress_billing.plans.schedule import restore_single_row


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


def lock_payment(payment_entry: str):
	frappe.db.sql("select name from `tabPayment Entry` where name = %s for update", payment_entry)


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


def refunded_invoice(payment) -> str:
	invoices = [
		row.reference_name
		for row in payment.references
		if row.reference_doctype == "Sales Invoice" and row.allocated_amount > 0
	]
	with_plan = [name for name in invoices if owners.plan_invoice_for(name)]
	if not (with_plan or invoices):
		frappe.throw(_("{0} was not allocated to a Sales Invoice.").format(payment.name))
	return (with_plan or invoices)[0]


def cancel_plan(invoice_name: str, doctype: str = "Sales Invoice"):
	"""Cancels what is left of the plan: paid installments stay in its history and the
	document is a regular bill (or order) again."""
	frappe.db.set_value(doctype, invoice_name, "pb_plan_status", engine.CANCELLED, update_modified=False)
	recompute.refresh(invoice_name, doctype=doctype)
	restore_single_row(owners.load(doctype, invoice_name))
