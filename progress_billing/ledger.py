"""What ERPNext's Payment Ledger says about invoices: one grouped, indexed query."""

from dataclasses import dataclass
from decimal import Decimal

import frappe

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
	# Plain SQL text: this runs on every ledger entry, where building it by frappe.qb cost
	# more than the read. ERPNext's composite index keeps the locking read to these
	# invoices' rows (and the gap after).
	rows = frappe.db.sql(
		f"""select against_voucher_no as invoice,
			sum(case when voucher_type = 'Sales Invoice' then amount_in_account_currency else 0 end) as invoice_total,
			sum(case when voucher_type != 'Sales Invoice' and amount_in_account_currency < 0
				then -amount_in_account_currency else 0 end) as receipts,
			sum(case when voucher_type != 'Sales Invoice' and amount_in_account_currency > 0
				then amount_in_account_currency else 0 end) as refunds,
			sum(amount_in_account_currency) as balance
		from `tabPayment Ledger Entry` force index (`{PLE_INVOICE_INDEX}`)
		where against_voucher_type = 'Sales Invoice' and against_voucher_no in %s and delinked = 0
		group by against_voucher_no{" for update" if lock else ""}""",
		[tuple(vouchers)],
		as_dict=True,
	)
	totals: dict[str, InvoiceMoney] = {}
	for row in rows:
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
	rows = frappe.db.sql(
		"select name, return_against from `tabSales Invoice`"
		" where is_debit_note = 1 and docstatus = 1 and return_against in %s",
		[tuple(invoice_names)],
		as_dict=True,
	)
	return {row.name: row.return_against for row in rows}


def _add(a: InvoiceMoney, b: InvoiceMoney) -> InvoiceMoney:
	return InvoiceMoney(
		a.invoice_total + b.invoice_total,
		a.receipts + b.receipts,
		a.refunds + b.refunds,
		a.balance + b.balance,
	)
