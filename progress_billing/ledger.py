"""What ERPNext's Payment Ledger says about invoices: one grouped, indexed query."""

from dataclasses import dataclass
from decimal import Decimal

import frappe
from frappe.query_builder import Case
from frappe.query_builder.functions import Sum

from progress_billing.engine import to_decimal

PLE_INVOICE_INDEX = "against_voucher_no_against_voucher_type_index"


@dataclass(frozen=True)
class InvoiceMoney:
	invoice_total: Decimal  # the invoice itself plus its credit and debit notes
	receipts: Decimal  # money in, voided payments excluded
	refunds: Decimal  # money paid back out
	balance: Decimal = Decimal(0)  # the invoice's own outstanding, its debit notes apart


def invoice_money(invoice_names: list[str], lock: bool = False) -> dict[str, InvoiceMoney]:
	"""Totals by invoice from undelinked Payment Ledger Entries (cancelled and
	unreconciled ones are delinked by ERPNext), in the receivable account's currency.

	A debit note's entries count as its original invoice's. With `lock`, the read is a
	locking one, which sees what concurrent transactions have committed since ours began.
	Through the composite index it locks these invoices' rows and, as InnoDB does under
	REPEATABLE READ, the gap after them: until the transaction ends, a ledger entry for an
	invoice whose name sorts just after (typically one being submitted right now) waits.
	"""
	if not invoice_names:
		return {}
	original_of = _debit_notes_of(invoice_names)
	vouchers = [*invoice_names, *original_of]
	ple = frappe.qb.DocType("Payment Ledger Entry")
	amount = ple.amount_in_account_currency
	is_invoice = ple.voucher_type == "Sales Invoice"
	rows = (
		frappe.qb.from_(ple)
		# ERPNext's composite index keeps the locking read to these invoices' rows (and the gap after).
		.force_index(PLE_INVOICE_INDEX)
		.select(
			ple.against_voucher_no.as_("invoice"),
			Sum(Case().when(is_invoice, amount).else_(0)).as_("invoice_total"),
			Sum(Case().when(~is_invoice & (amount < 0), -amount).else_(0)).as_("receipts"),
			Sum(Case().when(~is_invoice & (amount > 0), amount).else_(0)).as_("refunds"),
			Sum(amount).as_("balance"),
		)
		.where(
			(ple.against_voucher_type == "Sales Invoice")
			& ple.against_voucher_no.isin(vouchers)
			& (ple.delinked == 0)
		)
		.groupby(ple.against_voucher_no)
	)
	if lock:
		rows = rows.for_update()
	totals: dict[str, InvoiceMoney] = {}
	for row in rows.run(as_dict=True):
		invoice = original_of.get(row.invoice, row.invoice)
		money = InvoiceMoney(
			to_decimal(row.invoice_total or 0),
			to_decimal(row.receipts or 0),
			to_decimal(row.refunds or 0),
			to_decimal(row.balance or 0) if invoice == row.invoice else Decimal(0),
		)
		totals[invoice] = _add(totals[invoice], money) if invoice in totals else money
	return totals


def _debit_notes_of(invoice_names: list[str]) -> dict[str, str]:
	"""Submitted debit notes raised against these invoices, mapped to their original."""
	si = frappe.qb.DocType("Sales Invoice")
	rows = (
		frappe.qb.from_(si)
		.select(si.name, si.return_against)
		.where((si.is_debit_note == 1) & (si.docstatus == 1) & si.return_against.isin(invoice_names))
		.run(as_dict=True)
	)
	return {row.name: row.return_against for row in rows}


def _add(a: InvoiceMoney, b: InvoiceMoney) -> InvoiceMoney:
	return InvoiceMoney(
		a.invoice_total + b.invoice_total,
		a.receipts + b.receipts,
		a.refunds + b.refunds,
		a.balance + b.balance,
	)
