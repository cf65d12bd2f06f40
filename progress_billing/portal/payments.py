"""Paying an invoice online from the portal, through ERPNext's Payment Request and the
payment gateway configured for the invoice's currency.

The customer chooses the amount (what is due now is offered). However much it is, the
Payment Entry that the gateway's confirmation creates reaches the plan as every payment
does: on the oldest unpaid installment first.
"""

import frappe
from frappe import _
from frappe.utils import flt

from erpnext.accounts.doctype.payment_request.payment_request import (
	cancel_old_payment_requests,
	make_payment_request,
)

from progress_billing import engine
from progress_billing.api import arguments
from progress_billing.billing import payments as billing_payments
from progress_billing.portal import access

# ERPNext v15 keeps payment gateways (Stripe, PayPal ...) in the separate payments app.
PAYMENTS_APP = "payments"


def payments_app_installed() -> bool:
	return PAYMENTS_APP in frappe.get_installed_apps()


def gateway_account(currency: str) -> str | None:
	"""The Payment Gateway Account that takes `currency` through a payment page, the
	default one first; None where no gateway is configured."""
	if not payments_app_installed():
		return None
	accounts = frappe.get_all(
		"Payment Gateway Account",
		filters={"currency": currency, "payment_channel": ("!=", "Phone")},
		pluck="name",
		order_by="is_default desc, creation asc",
		limit=1,
	)
	return accounts[0] if accounts else None


def can_pay_online(invoice) -> bool:
	return bool(
		invoice.docstatus == 1
		and not invoice.is_return
		and (invoice.outstanding_amount or 0) > 0
		and gateway_account(invoice.currency)
	)


def company_bank_details(company: str) -> list[dict]:
	"""What a customer needs to pay the company by bank transfer, from its default company
	Bank Account (or its only one): bank, account name, IBAN, account number, branch code,
	SWIFT. Empty where ERPNext knows no such account."""
	accounts = frappe.get_all(
		"Bank Account",
		filters={"company": company, "is_company_account": 1, "disabled": 0},
		fields=["bank", "account_name", "iban", "bank_account_no", "branch_code", "is_default"],
		order_by="is_default desc, creation asc",
		limit=2,
	)
	if not accounts or (len(accounts) > 1 and not accounts[0].is_default):
		return []  # several accounts and none the default: not ours to pick one
	account = accounts[0]
	swift = frappe.db.get_value("Bank", account.bank, "swift_number") if account.bank else None
	details = [
		(_("Bank"), account.bank),
		(_("Account Name"), account.account_name),
		(_("IBAN"), account.iban),
		(_("Account Number"), account.bank_account_no),
		(_("Branch Code"), account.branch_code),
		(_("SWIFT"), swift),
	]
	return [{"label": label, "value": value} for label, value in details if value]


@frappe.whitelist(methods=["POST"])
def start_payment(sales_invoice, amount) -> dict:
	"""Requests `amount` on the invoice through its gateway; returns the payment page to go to."""
	access.require_login()
	arguments.document_name(access.DOCTYPE, sales_invoice, "sales_invoice")
	invoice = access.get_invoice(sales_invoice)
	amount = arguments.number(amount, "amount")
	if not can_pay_online(invoice):
		frappe.throw(_("This invoice cannot be paid online."))
	billing_payments.check_payment(invoice.name, amount)  # refuses nothing, or more than the balance
	# As ERPNext's own portal Pay does: requests that never reached the gateway are
	# cancelled, so they do not count against the invoice's total.
	cancel_old_payment_requests(access.DOCTYPE, invoice.name)
	request = make_payment_request(
		dt=access.DOCTYPE,
		dn=invoice.name,
		payment_gateway_account=gateway_account(invoice.currency),
		recipient_id=frappe.session.user,
		mute_email=1,
		return_doc=1,
	)
	request.grand_total = flt(engine.to_decimal(amount), request.precision("grand_total"))
	request.flags.ignore_permissions = True
	request.save()
	request.submit()
	return {"payment_request": request.name, "payment_url": request.get_payment_url()}
