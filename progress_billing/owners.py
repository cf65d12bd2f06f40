"""The documents a plan can belong to, and what differs between them.

One plan, many documents: the engine and `plans` never name a doctype; they ask the
owner of the plan. Each owner answers the same few questions: which field of an
installment points at it, how its plan-related values are read (under the names an
invoice uses), and what its ledger says it received.
"""

from dataclasses import dataclass
from decimal import Decimal

import frappe

from progress_billing import engine
from progress_billing.engine import to_decimal
from progress_billing.ledger import InvoiceMoney, invoice_money

SALES_INVOICE = "Sales Invoice"
SALES_ORDER = "Sales Order"
QUOTATION = "Quotation"
ADVANCE_LEDGER_INDEX = "pb_against_order_index"  # ours, on ERPNext's Advance Payment Ledger Entry
INVOICED = "Invoiced"  # an order's plan status once the invoice for the whole order took it over
ORDERED = "Ordered"  # a quotation's plan status once the order made from it took it over

# The values `plans` reads of an owner, as a Sales Invoice names them.
PLAN_VALUES = (
	"pb_plan_status",
	"pb_plan_target",
	"pb_outside_plan",
	"pb_refunds_before",
	"pb_refunded_balance",
	"pb_template",
	"pb_mode",
)


@dataclass(frozen=True)
class Owner:
	doctype: str
	link_field: str  # the installment's field that points at the owner
	columns: tuple[tuple[str, str], ...]  # (the owner's column, the name plans read it by)

	def select_sql(self) -> str:
		columns = ", ".join(
			f"`{column}` as `{alias}`" if column != alias else f"`{column}`" for column, alias in self.columns
		)
		return f"select {columns} from `tab{self.doctype}` where name = %s"

	def load(self, name: str, for_update: bool = False):
		rows = frappe.db.sql(self._sql + (" for update" if for_update else ""), name, as_dict=True)
		if not rows:
			return None
		values = rows[0]
		values.doctype = self.doctype
		if self.doctype == QUOTATION and values.pop("quotation_to", None) != "Customer":
			values.customer = None  # a quotation to a lead or prospect has no customer yet
		return values

	@property
	def _sql(self) -> str:
		return _SQL[self.doctype]

	def money(self, values, total: Decimal, lock: bool = False) -> InvoiceMoney | None:
		"""What the owner's ledger says: billed total, money received and paid back, and
		what is still owed; None before anything reached the ledger. `total` is the
		document's own, which an order's ledger does not hold."""
		if self.doctype == SALES_INVOICE:
			return invoice_money([values.name], lock=lock).get(values.name)
		if self.doctype == SALES_ORDER:
			return order_money(values.name, total, lock=lock)
		return None  # a quotation receives no money


def _columns(*own: tuple[str, str]) -> tuple[tuple[str, str], ...]:
	shared = (
		"name",
		"docstatus",
		"company",
		"currency",
		"grand_total",
		"rounded_total",
		"disable_rounded_total",
	)
	return tuple((field, field) for field in shared) + own + tuple((field, field) for field in PLAN_VALUES)


SALES_INVOICE_OWNER = Owner(
	SALES_INVOICE,
	"sales_invoice",
	_columns(
		("customer", "customer"),
		("posting_date", "posting_date"),
		("is_return", "is_return"),
		("outstanding_amount", "outstanding_amount"),
		("conversion_rate", "conversion_rate"),
		("due_date", "due_date"),
		("project", "project"),
		("is_debit_note", "is_debit_note"),
		("return_against", "return_against"),
		("pb_draw_order", "pb_draw_order"),
	),
)
SALES_ORDER_OWNER = Owner(
	SALES_ORDER,
	"sales_order",
	_columns(
		("customer", "customer"),
		("transaction_date", "posting_date"),
		("advance_paid", "advance_paid"),
		("conversion_rate", "conversion_rate"),
		("delivery_date", "due_date"),
		("project", "project"),
		("per_billed", "per_billed"),
		("status", "status"),
		("pb_billing", "pb_billing"),
	),
)
QUOTATION_OWNER = Owner(
	QUOTATION,
	"quotation",
	_columns(
		("party_name", "customer"),
		("quotation_to", "quotation_to"),
		("transaction_date", "posting_date"),
		("conversion_rate", "conversion_rate"),
		("valid_till", "due_date"),
		("status", "status"),
	),
)
OWNERS = {owner.doctype: owner for owner in (SALES_INVOICE_OWNER, SALES_ORDER_OWNER, QUOTATION_OWNER)}
_SQL = {owner.doctype: owner.select_sql() for owner in OWNERS.values()}


def owner(doctype: str) -> Owner:
	return OWNERS[doctype]


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


def order_draws(sales_order: str, rows, lock: bool = False) -> DrawMoney:
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
		draws.append(engine.Draw(percentage, total, received))
	return DrawMoney(draws, status, deposits_on_order(sales_order, lock=lock))


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
