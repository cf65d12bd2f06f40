"""What ERPNext's Payment Ledger says about invoices: one grouped, indexed query."""

from dataclasses import dataclass
from decimal import Decimal

import frappe
from frappe.query_builder import Case
from frappe.query_builder.functions import Sum

from progress_billing.engine import to_decimal


@dataclass(frozen=True)
class InvoiceMoney:
	invoice_total: Decimal  # the invoice itself plus its credit and debit notes
	receipts: Decimal  # money in, voided payments excluded
	refunds: Decimal  # money paid back out


def invoice_money(invoice_names: list[str]) -> dict[str, InvoiceMoney]:
	"""Totals by invoice from undelinked Payment Ledger Entries (cancelled and
	unreconciled ones are delinked by ERPNext), in the receivable account's currency."""
	if not invoice_names:
		return {}
	ple = frappe.qb.DocType("Payment Ledger Entry")
	amount = ple.amount_in_account_currency
	is_invoice = ple.voucher_type == "Sales Invoice"
	rows = (
		frappe.qb.from_(ple)
		.select(
			ple.against_voucher_no.as_("invoice"),
			Sum(Case().when(is_invoice, amount).else_(0)).as_("invoice_total"),
			Sum(Case().when(~is_invoice & (amount < 0), -amount).else_(0)).as_("receipts"),
			Sum(Case().when(~is_invoice & (amount > 0), amount).else_(0)).as_("refunds"),
		)
		.where(
			(ple.against_voucher_type == "Sales Invoice")
			& ple.against_voucher_no.isin(invoice_names)
			& (ple.delinked == 0)
		)
		.groupby(ple.against_voucher_no)
		.run(as_dict=True)
	)
	return {
		row.invoice: InvoiceMoney(
			to_decimal(row.invoice_total or 0), to_decimal(row.receipts or 0), to_decimal(row.refunds or 0)
		)
		for row in rows
	}
