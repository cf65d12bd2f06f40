"""What ERPNext's ledgers say a plan's document received: the Payment Ledger for invoices,
the Advance Payment Ledger and the payments' references for orders. Grouped, indexed reads;
with `lock`, locking ones, which see what concurrent transactions have committed."""

from dataclasses import dataclass, field
from decimal import Decimal

import frappe

from progress_billing import engine
from progress_billing.engine import to_decimal

PLE_INVOICE_INDEX = "against_voucher_no_against_voucher_type_index"


ADVANCE_LEDGER_INDEX = "pb_against_order_index"  # ours, on ERPNext's Advance Payment Ledger Entry


@dataclass(frozen=True)
class InvoiceMoney:
	invoice_total: Decimal  # the invoice itself plus its credit and debit notes
	receipts: Decimal  # money in, voided payments excluded
	refunds: Decimal  # money paid back out
	balance: Decimal = Decimal(0)  # the invoice's own outstanding, its debit notes apart
	# An invoice billed as one job with retainage: what it holds, and what its release
	# invoices still ask for.
	retainage: engine.Held = field(default_factory=engine.Held)
	release_outstanding: Decimal = Decimal(0)


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


def order_money(sales_order: str, total: Decimal, lock: bool = False) -> InvoiceMoney | None:
	"""An order's money: what ERPNext's Advance Payment Ledger says it received (payments
	and journal entries against it, cancellations as negative entries). An order is owed
	nothing in the ledger's sense: its balance is its total less what it received."""
	# With `lock`, a locking read through our index: it sees what concurrent transactions
	# have committed since ours began (a second deposit landing at the same moment), and
	# locks only this order's entries (and the gap after them).
	# Invoices of part of the order bill that part: the plan asks only what neither they
	# nor the deposits cover, so the customer is never asked twice for the same money.
	# A deposit such an invoice took as its advance is in what it bills, not on the order.
	billed = part_invoiced(sales_order, lock=lock)
	if billed:
		received = deposits_on_order(sales_order, lock=lock) + billed
	else:
		received = frappe.db.sql(
			f"select sum(amount) from `tabAdvance Payment Ledger Entry` force index (`{ADVANCE_LEDGER_INDEX}`)"
			" where against_voucher_no = %s and against_voucher_type = 'Sales Order'"
			+ (" for update" if lock else ""),
			sales_order,
		)[0][0]
	if received is None:
		return None
	received = to_decimal(received)
	return InvoiceMoney(invoice_total=total, receipts=received, refunds=Decimal(0), balance=total - received)


@dataclass(frozen=True)
class DrawMoney:
	"""An order billed draw by draw, as its ledgers see it."""

	draws: list[engine.Draw]  # one per installment, in plan order
	invoice_status: list[int | None]  # each installment's draw invoice's docstatus, None without one
	unapplied_deposits: Decimal  # deposits on the order no draw invoice has taken yet
	retainage: engine.Held = field(
		default_factory=engine.Held
	)  # withheld by its draws, billed back by releases
	release_outstanding: Decimal = Decimal(0)  # what its release invoices still ask for


def order_draws(sales_order: str, rows, lock: bool = False, retainage: bool = False) -> DrawMoney:
	"""Each installment's draw invoice and what its ledger says, and the order's deposits
	no draw invoice has taken yet: what Payment Entries and Journal Entries still allocate
	to the order itself (ERPNext moves a deposit's allocation to the invoice that takes it,
	and a cancelled draw invoice's share becomes the customer's unallocated credit). With
	`lock`, locking reads, which see what concurrent transactions committed."""
	names = [row.draw_invoice for row in rows if row.get("draw_invoice")]
	invoices = (
		{
			row.name: row
			for row in frappe.db.sql(
				"select name, docstatus, grand_total from `tabSales Invoice` where name in %s",
				[tuple(names)],
				as_dict=True,
			)
		}
		if names
		else {}
	)
	submitted = [name for name, invoice in invoices.items() if invoice.docstatus == 1]
	ledgers = invoice_money(submitted, lock=lock) if submitted else {}
	withheld = retained_by_invoice(submitted) if retainage and submitted else {}
	draws, status = [], []
	for row in rows:
		invoice = invoices.get(row.get("draw_invoice"))
		docstatus = invoice.docstatus if invoice else None
		status.append(docstatus)
		percentage = to_decimal(row.percentage or 0)
		if docstatus != 1:
			draws.append(engine.Draw(percentage))
			continue
		money = ledgers.get(invoice.name)
		total = money.invoice_total if money else to_decimal(invoice.grand_total)
		received = total - money.balance if money else Decimal(0)
		# The invoice asks for the draw less its retainage: the draw is worth both.
		retained = withheld.get(invoice.name, Decimal(0))
		draws.append(engine.Draw(percentage, total + retained, received, retained))
	deposits = deposits_on_order(sales_order, lock=lock)
	if not retainage:
		return DrawMoney(draws, status, deposits)
	# Plain reads: a refresh holds the job's row, and a payment on a release invoice locks
	# that invoice before the job, as ERPNext's own paths lock an invoice before its order;
	# locking the releases here would take the two locks the other way round. What they
	# hold changes only as invoices are submitted or cancelled, each of which refreshes
	# the job again once it holds its row; releases themselves lock (billing.releases).
	held, releases = job_retainage("Sales Order", sales_order)
	return DrawMoney(draws, status, deposits, held, release_outstanding(releases))


# The rows ERPNext posts to the company's Retainage Receivable account: a draw's retainage
# tax row (`tax`), a release's line (`item`), each of a Sales Invoice `si`.
RETAINAGE_TAX = (
	"join `tabCompany` company on company.name = si.company"
	" and tax.account_head = company.pb_retainage_account"
)
RETAINAGE_ITEM = (
	"join `tabCompany` company on company.name = si.company"
	" and item.income_account = company.pb_retainage_account"
)


def retained_by_invoice(invoice_names: list[str]) -> dict[str, Decimal]:
	"""What each submitted invoice withholds as retainage, its credit notes taken off: its
	tax rows on the company's Retainage Receivable account, which ERPNext posts to the
	General Ledger as they are. Read from the rows, not the ledger: ERPNext writes an
	invoice's Payment Ledger Entries, whose hook refreshes the plan, before its GL Entries."""
	if not invoice_names:
		return {}
	rows = frappe.db.sql(
		f"""select ifnull(si.return_against, si.name), sum(-tax.tax_amount_after_discount_amount)
		from `tabSales Invoice` si
		join `tabSales Taxes and Charges` tax on tax.parent = si.name and tax.parenttype = 'Sales Invoice'
		{RETAINAGE_TAX}
		where si.docstatus = 1 and (si.name in %(names)s or (si.is_return = 1 and si.return_against in %(names)s))
		group by ifnull(si.return_against, si.name)""",
		{"names": tuple(invoice_names)},
	)
	return {invoice: to_decimal(amount or 0) for invoice, amount in rows}


# The Sales Invoice field naming a job's retainage on its invoices: an order's on its draw
# invoices and releases; an invoice billed as one job names itself, and its releases name it.
# Credit notes and amendments carry it over.
RETAINAGE_KEY = {"Sales Order": "pb_retainage_order", "Sales Invoice": "pb_retainage_invoice"}


def withheld_on(invoice_name: str) -> Decimal:
	"""What an invoice's retainage row withholds, as last saved (a draft's too)."""
	return _withheld_by([invoice_name])


def given_back_on(invoice_name: str, besides: str | None = None) -> Decimal:
	"""What submitted credit notes on an invoice gave back of its retainage (`besides`
	one being made)."""
	return to_decimal(
		frappe.db.sql(
			f"""select sum(tax.tax_amount_after_discount_amount) from `tabSales Invoice` si
			join `tabSales Taxes and Charges` tax on tax.parent = si.name and tax.parenttype = 'Sales Invoice'
			{RETAINAGE_TAX}
			where si.return_against = %s and si.is_return = 1 and si.docstatus = 1 and si.name != %s""",
			(invoice_name, besides or ""),
		)[0][0]
		or 0
	)


def _withheld_by(invoice_names: list[str]) -> Decimal:
	"""What these invoices' retainage rows withhold together."""
	return _sum_over(
		f"""select sum(-tax.tax_amount_after_discount_amount) from `tabSales Taxes and Charges` tax
		join `tabSales Invoice` si on si.name = tax.parent
		{RETAINAGE_TAX}
		where tax.parenttype = 'Sales Invoice' and tax.parent in %s""",
		invoice_names,
	)


def job_retainage(doctype: str, name: str, lock: bool = False) -> tuple[engine.Held, list[str]]:
	"""A job's retainage (an order's, or an invoice's own): what its invoices withheld and
	what its release invoices billed back (credit notes of either count against them), as
	the rows ERPNext posts to the Retainage Receivable account say; and its submitted
	release invoices. With `lock`, the invoices' rows are locked, so two releases of one
	job queue up."""
	invoices = frappe.db.sql(
		f"select name, pb_retainage_release, is_return from `tabSales Invoice`"
		f" where `{RETAINAGE_KEY[doctype]}` = %s and docstatus = 1" + (" for update" if lock else ""),
		name,
		as_dict=True,
	)
	if not invoices:
		return engine.Held(), []
	withheld = [invoice.name for invoice in invoices if not invoice.pb_retainage_release]
	releases = [invoice.name for invoice in invoices if invoice.pb_retainage_release]
	retained = _withheld_by(withheld)
	released = _sum_over(
		f"""select sum(item.amount) from `tabSales Invoice Item` item
		join `tabSales Invoice` si on si.name = item.parent
		{RETAINAGE_ITEM}
		where item.parent in %s""",
		releases,
	)
	billed_back = [
		invoice.name for invoice in invoices if invoice.pb_retainage_release and not invoice.is_return
	]
	return engine.Held(retained, released), billed_back


def held_by_job(doctype: str, names: list[str]) -> dict[str, Decimal]:
	"""What each of these jobs (orders, or invoices billed as one job) holds as retainage
	(withheld, less what releases billed back), in two grouped queries: for the reports."""
	if not names:
		return {}
	key = RETAINAGE_KEY[doctype]
	held: dict[str, Decimal] = {}
	for query in (
		f"""select si.`{key}`, sum(-tax.tax_amount_after_discount_amount)
		from `tabSales Invoice` si
		join `tabSales Taxes and Charges` tax on tax.parent = si.name and tax.parenttype = 'Sales Invoice'
		{RETAINAGE_TAX}
		where si.`{key}` in %(names)s and si.docstatus = 1 and si.pb_retainage_release = 0
		group by si.`{key}`""",
		f"""select si.`{key}`, -sum(item.amount)
		from `tabSales Invoice` si
		join `tabSales Invoice Item` item on item.parent = si.name and item.parenttype = 'Sales Invoice'
		{RETAINAGE_ITEM}
		where si.`{key}` in %(names)s and si.docstatus = 1 and si.pb_retainage_release = 1
		group by si.`{key}`""",
	):
		for job, amount in frappe.db.sql(query, {"names": tuple(names)}):
			held[job] = held.get(job, Decimal(0)) + to_decimal(amount or 0)
	return {job: amount for job, amount in held.items() if amount}


def release_outstanding(releases: list[str], lock: bool = False) -> Decimal:
	"""What a job's release invoices still ask for, by their ledger."""
	money = invoice_money(releases, lock=lock) if releases else {}
	return sum((one.balance for one in money.values()), Decimal(0))


def _sum_over(query: str, names: list[str]) -> Decimal:
	return to_decimal(frappe.db.sql(query, [tuple(names)])[0][0] or 0) if names else Decimal(0)


def deposits_on_order(sales_order: str, lock: bool = False) -> Decimal:
	"""The deposits Payment Entries and Journal Entries still allocate to the order itself.
	ERPNext moves a deposit's allocation to the invoice that takes it as an advance (and a
	cancelled invoice's share becomes the customer's unallocated credit), while its Advance
	Payment Ledger keeps counting it against the order."""
	suffix = " for update" if lock else ""
	by_payments = frappe.db.sql(
		"select sum(allocated_amount) from `tabPayment Entry Reference` force index (reference_name)"
		" where reference_doctype = 'Sales Order' and reference_name = %s and docstatus = 1" + suffix,
		sales_order,
	)[0][0]
	by_journals = frappe.db.sql(
		"select sum(credit_in_account_currency - debit_in_account_currency)"
		" from `tabJournal Entry Account` force index (reference_name) where reference_type = 'Sales Order' and reference_name = %s and docstatus = 1"
		+ suffix,
		sales_order,
	)[0][0]
	return to_decimal(by_payments or 0) + to_decimal(by_journals or 0)


def part_invoiced(sales_order: str, lock: bool = False) -> Decimal:
	"""What the order's own submitted invoices bill (credit notes against them taken off):
	invoices of part of the order, made with ERPNext's Make Sales Invoice while the plan
	stays on the order. ERPNext asks for that money on those invoices."""
	billed = frappe.db.sql(
		"select sum(invoice.grand_total) from `tabSales Invoice` invoice where invoice.docstatus = 1"
		" and invoice.name in (select item.parent from `tabSales Invoice Item` item"
		" where item.sales_order = %s and item.docstatus = 1)" + (" for update" if lock else ""),
		sales_order,
	)[0][0]
	return to_decimal(billed or 0)
