"""Invoice each draw: an order's plan that bills every installment as its own Sales Invoice.

The plan stays on the order. Each draw invoice is made by ERPNext's own mapper from the
order (so the order's Billed % and its lines' billed amounts track), bills every order
line in the draw's proportion, takes the order's deposits as ERPNext's advances, and is
worth exactly its installment. A draw is billed on its due date (the scheduler), when
the task it follows is completed, or by hand.
"""

from decimal import Decimal

import frappe
from frappe import _
from frappe.utils import (
	cint,
	flt,
	fmt_money,
	getdate,
	nowdate,
)

from erpnext.selling.doctype.sales_order.sales_order import make_sales_invoice

from progress_billing import engine, plans, settings
from progress_billing.billing import retainage
from progress_billing.notify import notices
from progress_billing.plans import ledger, owners, recompute
from progress_billing.views import labels

ORDER = owners.SALES_ORDER
SAVEPOINT = "pb_draw_invoice"


def bills_each_draw(order) -> bool:
	return order.get("pb_billing") == engine.EACH_DRAW


def set_billing(order, billing: str):
	"""Switches an order's plan between one invoice and an invoice per draw; refused once a
	draw invoice exists, since the plan could then no longer move whole to one invoice."""
	if billing == (order.get("pb_billing") or engine.ONE_INVOICE):
		return
	invoiced = frappe.db.sql(
		"""select 1 from `tabSales Invoice Item` item join `tabSales Invoice` si on si.name = item.parent
		where item.sales_order = %s and si.docstatus < 2 and ifnull(si.is_return, 0) = 0 limit 1""",
		order.name,
	)
	if invoiced or frappe.db.get_value(ORDER, order.name, "per_billed"):
		frappe.throw(
			_(
				"This order has already been invoiced (drafts included); how its plan is billed can no longer change."
			)
		)
	frappe.db.set_value(ORDER, order.name, "pb_billing", billing, update_modified=False)
	order.pb_billing = billing


def draw_title(label: str, position: int, count: int) -> str:
	return labels.installment_title(label, position, count)


def invoice_draw(order_name: str, idx: int, submit: bool | None = None) -> str:
	"""Makes the invoice for installment `idx` of the order and returns its name. Refuses,
	with a reason, a draw that cannot be billed now."""
	order = owners.load(ORDER, order_name, for_update=True)
	if not order or not order.pb_plan_status:
		frappe.throw(_("Sales Order {0} has no plan.").format(order_name))
	if not bills_each_draw(order):
		frappe.throw(_("This order's plan is billed as one invoice, not draw by draw."))
	if order.docstatus != 1:
		frappe.throw(_("Submit the order before invoicing its draws."))
	if order.status in engine.NOT_BILLABLE:
		frappe.throw(_("Sales Order {0} is {1}: it cannot be invoiced.").format(order_name, _(order.status)))
	if order.pb_plan_status != engine.ACTIVE:
		frappe.throw(_("Only an active plan's draws can be invoiced."))
	if cint(frappe.db.get_single_value("Selling Settings", "maintain_same_sales_rate")):
		frappe.throw(
			_(
				"Selling Settings keep the order's rates on its invoices (Maintain Same Rate Throughout Sales Cycle): a draw invoice bills a share of each line, so untick it to invoice draw by draw."
			)
		)
	rows = owners.get_rows(order_name, ORDER)
	row = next((row for row in rows if row.stage_no == idx), None)
	if not row:
		frappe.throw(_("This plan has no installment {0}.").format(idx))
	# A locking read of the installment (the order's lock is held, so no invoice lock is
	# taken before it): it sees the draw invoice another request linked a moment ago. A
	# cancelled or deleted draw invoice is unlinked, so a link means a live one.
	linked = frappe.db.sql(
		f"select draw_invoice from `tab{plans.INSTALLMENT}` where name = %s for update", row.name
	)[0][0]
	if linked:
		frappe.throw(_("{0} is already invoiced on {1}.").format(row.label, linked))

	money = ledger.order_draws(order_name, rows)
	amount = engine.to_decimal(row.amount)
	invoice, retained = _draw_invoice(order, row, rows, money)
	invoice.insert()
	if engine.to_decimal(invoice.grand_total) != amount - retained:
		# Something on the site changed the invoice as it was saved (a pricing rule, say).
		frappe.throw(
			_("The invoice for {0} came to {1} instead of {2}; it was not made.").format(
				row.label, invoice.grand_total, amount - retained
			)
		)
	# The draw is due when its invoice is: the plan, the portal and ERPNext tell one story.
	frappe.db.set_value(
		plans.INSTALLMENT,
		row.name,
		{"draw_invoice": invoice.name, "due_date": invoice.due_date},
		update_modified=False,
	)
	if settings.get_settings().submit_draw_invoices if submit is None else submit:
		invoice.submit()
	else:
		recompute.refresh(order_name, doctype=ORDER)
	return invoice.name


def _draw_invoice(order, row, rows, money):
	"""ERPNext's Make Sales Invoice from the order, cut down to the draw: every line billed
	in the draw's share of what is still unbilled of it (drafts of other draws count as
	billed), taxes by ERPNext, and the total brought to the installment's amount to the cent."""
	open_total = sum(
		(
			engine.to_decimal(other.amount)
			for other, status in zip(rows, money.invoice_status, strict=True)
			if status not in (0, 1)
		),
		Decimal(0),
	)
	amount = engine.to_decimal(row.amount)
	invoice = make_sales_invoice(order.name)
	if not invoice.items:
		frappe.throw(_("Every line of Sales Order {0} is already billed.").format(order.name))
	lines = {
		line.name: line
		for line in frappe.get_all(
			"Sales Order Item", {"parent": order.name}, ["name", "qty", "amount", "billed_amt"]
		)
	}
	in_drafts = _billed_in_drafts(order.name)
	shares = engine.lines_for_draw(
		[
			engine.to_decimal(lines[item.so_detail].amount)
			- engine.to_decimal(lines[item.so_detail].billed_amt)
			- in_drafts.get(item.so_detail, Decimal(0))
			for item in invoice.items
		],
		amount,
		open_total,
		invoice.items[0].precision("amount"),
	)
	bill_lines(invoice, shares, {name: line.qty for name, line in lines.items()})
	invoice.update(
		{
			"pb_draw_order": order.name,
			"pb_draw_stage": row.stage_no,
			"pb_draw_title": draw_title(row.label, row.stage_no, len(rows)),
			"ignore_pricing_rule": 1,
			"disable_rounded_total": 1,
			"additional_discount_percentage": 0,
			"discount_amount": 0,
			"apply_discount_on": "Grand Total",
			"due_date": max(getdate(row.due_date or nowdate()), getdate(nowdate())),
			# ERPNext allocates the order's own deposits, oldest first, as it validates.
			"allocate_advances_automatically": 1,
			"only_include_allocated_payments": 1,
		}
	)
	invoice.payment_terms_template = None
	invoice.set("payment_schedule", [])
	_bring_total_to(invoice, amount)
	contract = sum((engine.to_decimal(line.amount) for line in lines.values()), Decimal(0))
	billed_before = sum((engine.to_decimal(line.billed_amt) for line in lines.values()), Decimal(0)) + sum(
		in_drafts.values(), Decimal(0)
	)
	retained = retainage.withhold(invoice, order, billed_before, contract)
	return invoice, retained


def bill_lines(invoice, shares, order_qty: dict):
	"""Each mapped line of `invoice` billed its share exactly (`shares` in the lines' order),
	at the order line's quantity (`order_qty` by order line) and rates that bill the share:
	a fractional quantity would be refused for units such as Nos."""
	# ERPNext refuses an item twice on an invoice unless Selling Settings allow it, or the
	# rows' descriptions differ: a line's second row then says what it is.
	twice_allowed = cint(frappe.db.get_single_value("Selling Settings", "allow_multiple_items"))
	mapped, items = list(invoice.items), []
	for item, share in zip(mapped, shares, strict=True):
		line_qty = engine.to_decimal(order_qty[item.so_detail])
		for part, (qty, rate) in enumerate(engine.line_rows(share, line_qty, item.precision("rate"))):
			line = frappe.copy_doc(item) if part else item
			if part and not twice_allowed:
				line.description = "{} ({})".format(
					item.description or item.item_name,
					_("{0} of the {1} units at {2}").format(
						f"{qty.normalize():f}",
						f"{line_qty.normalize():f}",
						fmt_money(rate, currency=invoice.currency),
					),
				)
			line.qty = flt(qty)
			line.rate = line.price_list_rate = flt(rate)
			line.discount_percentage = line.discount_amount = line.margin_rate_or_amount = 0
			line.pricing_rules = None
			items.append(line)
	invoice.set("items", [])
	for position, line in enumerate(items, 1):
		line.idx = position  # a line's second row, copied, would keep the first's place
		invoice.append("items", line)


def _billed_in_drafts(order_name: str) -> dict[str, Decimal]:
	"""What draft draw invoices of the order bill of each of its lines: ERPNext counts a
	line billed only once its invoice is submitted."""
	return {
		so_detail: engine.to_decimal(amount)
		for so_detail, amount in frappe.db.sql(
			"""select item.so_detail, sum(item.amount) from `tabSales Invoice Item` item
			join `tabSales Invoice` si on si.name = item.parent
			where si.pb_draw_order = %s and si.docstatus = 0 group by item.so_detail""",
			order_name,
		)
	}


def _bring_total_to(invoice, amount: Decimal):
	"""ERPNext rounds each tax row: the total can miss the installment by a cent or two,
	either way. ERPNext's own discount on the grand total closes the gap exactly (it
	carries its rounding into the last tax row)."""
	invoice.calculate_taxes_and_totals()
	gap = engine.to_decimal(invoice.grand_total) - amount
	if gap:
		invoice.discount_amount = flt(gap, invoice.precision("discount_amount"))
		invoice.calculate_taxes_and_totals()


def carry_amendment(invoice):
	"""An amended draw invoice bills the same draw as the one it amends (cancelled, so its
	installment was scheduled again), unless that draw was invoiced anew meanwhile."""
	if not invoice.is_new() or not invoice.get("amended_from"):
		return
	if not invoice.get("pb_draw_order"):
		original = frappe.db.get_value(
			owners.SALES_INVOICE,
			invoice.amended_from,
			["pb_draw_order", "pb_draw_stage", "pb_draw_title"],
			as_dict=True,
		)
		if not original or not original.pb_draw_order:
			return
		invoice.update(original)
	again = frappe.db.get_value(
		owners.SALES_INVOICE,
		{
			"pb_draw_order": invoice.pb_draw_order,
			"pb_draw_stage": invoice.pb_draw_stage,
			"docstatus": ("<", 2),
		},
		"name",
	)
	if again:
		frappe.throw(_("{0} is already invoiced on {1}.").format(invoice.pb_draw_title, again))


def link_amendment(invoice):
	"""The amended draw invoice is its installment's invoice again."""
	owners.load(ORDER, invoice.pb_draw_order, for_update=True)
	frappe.db.set_value(
		plans.INSTALLMENT,
		{"sales_order": invoice.pb_draw_order, "stage_no": invoice.pb_draw_stage},
		"draw_invoice",
		invoice.name,
		update_modified=False,
	)
	recompute.refresh(invoice.pb_draw_order, doctype=ORDER)


def refuse_other_invoices(invoice):
	"""An order billed draw by draw is invoiced only through its draws: an invoice made any
	other way (ERPNext's Create > Sales Invoice) would bill lines the draws still expect to."""
	if invoice.get("pb_draw_order") or invoice.get("is_return"):
		return
	orders = {item.sales_order for item in invoice.get("items") or [] if item.get("sales_order")}
	if not orders:
		return
	billed_on_order = frappe.get_all(
		ORDER,
		filters={
			"name": ("in", list(orders)),
			"pb_billing": ("in", engine.BILLED_ON_ORDER),
			"pb_plan_status": engine.ACTIVE,
		},
		fields=["name", "pb_billing"],
	)
	for order in billed_on_order:
		if order.pb_billing == engine.PAY_APPLICATIONS:
			frappe.throw(
				_("Sales Order {0} is billed by pay applications: make a Pay Application for it.").format(
					order.name
				)
			)
		frappe.throw(
			_("Sales Order {0} is invoiced draw by draw: use Invoice Draw Now on the order.").format(
				order.name
			)
		)


def unlink(invoice_name: str, order_name: str, deposit_taken=0):
	"""A draw invoice was cancelled or deleted: its installment is scheduled again. ERPNext
	unlinks the cancelled invoice's payments: a deposit it had taken is now the customer's
	unallocated credit, which the office is told."""
	if deposit_taken:
		frappe.msgprint(
			_(
				"The deposit this invoice had taken, {0}, is now the customer's unallocated credit; reconcile it with Payment Reconciliation to use it again."
			).format(deposit_taken),
			alert=True,
		)
	frappe.db.set_value(
		plans.INSTALLMENT, {"draw_invoice": invoice_name}, "draw_invoice", None, update_modified=False
	)
	order = owners.load(ORDER, order_name, for_update=True)
	if order and order.pb_plan_status:
		recompute.refresh(order_name, invoice=order)


def on_draw_submitted(invoice):
	"""The draw invoice is real: the order's plan shows it, and the customer gets it (one
	email, which also stands for that installment's due-date reminder)."""
	recompute.refresh(invoice.pb_draw_order, doctype=ORDER)
	notices.send_draw_invoice(invoice)
