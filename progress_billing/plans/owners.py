"""The documents a plan can belong to, and what differs between them.

One plan, many documents: the engine and the rest of `plans` never name a doctype; they
ask the owner of the plan. Each owner answers the same few questions: which field of an
installment points at it, how its plan-related values are read (under the names an
invoice uses), its total, and what its ledger says it received. `read` gives all of it
at once, as the refresh needs it.
"""

from dataclasses import dataclass, replace
from decimal import Decimal

import frappe
from frappe.model.meta import get_field_precision

from progress_billing import engine
from progress_billing.plans import (
	INSTALLMENT,
	INSTALLMENT_FIELDS,
	PLAN_VALUES,
	ledger,
)

SALES_INVOICE = "Sales Invoice"
SALES_ORDER = "Sales Order"
QUOTATION = "Quotation"
INVOICED = "Invoiced"  # an order's plan status once the invoice for the whole order took it over
ORDERED = "Ordered"  # a quotation's plan status once the order made from it took it over


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

	def money(self, values, total: Decimal, lock: bool = False) -> ledger.InvoiceMoney | None:
		"""What the owner's ledger says: billed total, money received and paid back, and
		what is still owed; None before anything reached the ledger. `total` is the
		document's own, which an order's ledger does not hold."""
		if self.doctype == SALES_INVOICE:
			return ledger.invoice_money([values.name], lock=lock).get(values.name)
		if self.doctype == SALES_ORDER:
			return ledger.order_money(values.name, total, lock=lock)
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
		("is_pos", "is_pos"),
		("outstanding_amount", "outstanding_amount"),
		("conversion_rate", "conversion_rate"),
		("due_date", "due_date"),
		("project", "project"),
		("is_debit_note", "is_debit_note"),
		("return_against", "return_against"),
		("pb_draw_order", "pb_draw_order"),
		("pb_retainage_order", "pb_retainage_order"),
		("pb_retainage_invoice", "pb_retainage_invoice"),
		("pb_retainage", "pb_retainage"),
		("pb_retainage_step_at", "pb_retainage_step_at"),
		("pb_retainage_after", "pb_retainage_after"),
		("pb_retainage_release_on", "pb_retainage_release_on"),
		("pb_retainage_release_task", "pb_retainage_release_task"),
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
		("pb_retainage", "pb_retainage"),
		("pb_retainage_step_at", "pb_retainage_step_at"),
		("pb_retainage_after", "pb_retainage_after"),
		("pb_original_contract_sum", "pb_original_contract_sum"),
		("pb_retainage_release_on", "pb_retainage_release_on"),
		("pb_retainage_release_task", "pb_retainage_release_task"),
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


# The payment path's reads as plain SQL text, built once: building them with frappe.qb
# on every ledger entry cost more than running them.
_ROWS_SQL = {
	owner.doctype: "select {} from `tab{}` where `{}` = %s order by stage_no".format(
		", ".join(f"`{field}`" for field in INSTALLMENT_FIELDS), INSTALLMENT, owner.link_field
	)
	for owner in OWNERS.values()
}


def money_precision(invoice) -> int:
	"""The document currency's precision, as ERPNext rounds the document's own totals."""
	df = frappe.get_meta(invoice.get("doctype") or SALES_INVOICE).get_field("grand_total")
	return get_field_precision(df, currency=invoice.currency)


def invoice_total(invoice) -> Decimal:
	"""What the customer is billed: the rounded total unless rounding is off. An order
	billed draw by draw is billed its grand total: each draw invoice is exact, unrounded."""
	use_rounded = (
		not invoice.get("disable_rounded_total")
		and invoice.get("rounded_total")
		and invoice.get("pb_billing") not in engine.BILLED_ON_ORDER
	)
	return engine.to_decimal((invoice.rounded_total if use_rounded else invoice.grand_total) or 0)


def load_invoice(name: str, for_update: bool = False):
	"""The invoice's plan-related values; a plain select, since this runs on every payment
	(frappe.db.get_value costs several times more here)."""
	return SALES_INVOICE_OWNER.load(name, for_update=for_update)


def load(doctype: str, name: str, for_update: bool = False):
	"""The plan-related values of the document a plan belongs to, named as an invoice's."""
	return owner(doctype).load(name, for_update=for_update)


def get_rows(name: str, doctype: str = SALES_INVOICE) -> list[dict]:
	return frappe.db.sql(_ROWS_SQL[doctype], name, as_dict=True)


def lock_invoices(invoice_names: list[str]) -> list[str]:
	"""Takes the row locks of invoices with a plan, or billing an order's draw, before any
	ledger entry is written, so concurrent payments on one invoice queue up instead of
	deadlocking later. Returns the orders whose draws they bill, to be locked next."""
	if not invoice_names:
		return []
	rows = frappe.db.sql(
		"select ifnull(pb_draw_order, pb_retainage_order) from `tabSales Invoice` where name in %s"
		" and (ifnull(pb_plan_status, '') != '' or pb_draw_order is not null"
		" or pb_retainage_order is not null or pb_retainage_invoice is not null) for update",
		[tuple(invoice_names)],
	)
	return [order for (order,) in rows if order]


def plan_invoice_for(invoice_name: str) -> str | None:
	"""The invoice whose plan `invoice_name`'s money belongs to: itself, or for a debit
	note the invoice it was raised against."""
	# A plain select: this runs for every ledger entry written (get_value costs several times more).
	found = frappe.db.sql(
		"select pb_plan_status, is_debit_note, return_against from `tabSales Invoice` where name = %s",
		invoice_name,
		as_dict=True,
	)
	values = found[0] if found else None
	if not values:
		return None
	if values.pb_plan_status:
		return invoice_name
	if values.is_debit_note and values.return_against:
		if frappe.db.get_value("Sales Invoice", values.return_against, "pb_plan_status"):
			return values.return_against
	return None


def has_money_applied(name: str, doctype: str = SALES_INVOICE) -> bool:
	link_field = owner(doctype).link_field
	return bool(frappe.db.exists(INSTALLMENT, {link_field: name, "paid_amount": (">", 0)}))


@dataclass(frozen=True)
class Reading:
	"""A plan as the refresh needs it: its document's values, its installments and what
	the document's ledger says (None before anything reached it)."""

	values: dict
	rows: list[dict]
	money: ledger.InvoiceMoney | ledger.DrawMoney | None
	precision: int  # the document currency's
	total: Decimal  # what the document bills (invoice_total)


def money(values, rows, lock: bool = False) -> ledger.InvoiceMoney | ledger.DrawMoney | None:
	"""What the document's ledger says for its plan: an order billed draw by draw, each
	draw invoice's money and the deposits no draw took; a submitted invoice or order, its
	billed total, receipts and refunds; a draft or a quotation, nothing."""
	doctype = values.get("doctype") or SALES_INVOICE
	if doctype == SALES_ORDER and values.get("pb_billing") in engine.BILLED_ON_ORDER:
		return ledger.order_draws(values.name, rows, lock=lock, retainage=bool(values.get("pb_retainage")))
	if values.docstatus != 1:
		return None
	found = owner(doctype).money(values, invoice_total(values), lock=lock)
	if found and doctype == SALES_INVOICE and values.get("pb_retainage"):
		# An invoice billed as one job, withholding retainage: what it holds, and what its
		# releases still ask for, keep its plan open.
		# Plain reads, as an order's draws' are (ledger.order_draws).
		held, releases = ledger.job_retainage(SALES_INVOICE, values.name)
		found = replace(found, retainage=held, release_outstanding=ledger.release_outstanding(releases))
	return found


def read(doctype: str, name: str, values=None, lock: bool = False) -> Reading | None:
	"""The plan on `name` with its money, None where it has none. With `lock`, the
	document's row is locked first (unless `values` were read by such a locking read), so
	two payments landing at once are applied one after the other."""
	values = values or load(doctype, name, for_update=lock)
	if not values or not values.pb_plan_status:
		return None
	rows = get_rows(name, values.doctype)
	if not rows:
		return None
	return reading_of(values, rows, lock=lock)


def reading_of(document, rows, lock: bool = False) -> Reading:
	"""The Reading of a document in hand (or its values) and its installments."""
	return Reading(
		document, rows, money(document, rows, lock=lock), money_precision(document), invoice_total(document)
	)


def read_for_ledger_entry(against_invoice: str) -> Reading | None:
	"""A ledger entry was written against `against_invoice`: the plan its money belongs to
	(its own; a debit note's original's; a draw invoice's order's), read with locks. One
	locking read finds it: this runs for every ledger entry. ERPNext updates the invoice's
	row in the same transaction, so locking it here takes no lock ERPNext would not take."""
	invoice = load_invoice(against_invoice, for_update=True)
	if invoice and not invoice.pb_plan_status and invoice.is_debit_note and invoice.return_against:
		invoice = load_invoice(invoice.return_against, for_update=True)
	if invoice and invoice.pb_plan_status:
		return read(SALES_INVOICE, invoice.name, values=invoice, lock=True)
	if invoice and (invoice.pb_draw_order or invoice.pb_retainage_order):
		# A draw invoice, or a release of a job's retainage (or a credit note on either).
		return read(SALES_ORDER, invoice.pb_draw_order or invoice.pb_retainage_order, lock=True)
	if invoice and invoice.pb_retainage_invoice and invoice.pb_retainage_invoice != invoice.name:
		# A release of an invoice's own retainage (or a credit note on one).
		return read(SALES_INVOICE, invoice.pb_retainage_invoice, lock=True)
	return None
