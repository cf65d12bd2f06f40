"""An order's pay applications as they stand: its lines (the schedule of values), its
submitted applications, and what the last one left each line at. Reads only; billing them
is billing/pay_applications.py."""

from decimal import Decimal

import frappe
from frappe.utils import strip_html

from progress_billing import engine
from progress_billing.plans import owners

DOCTYPE = "Progress Billing Pay Application"
LINE = "Progress Billing Pay Application Line"


def order_lines(order_name: str) -> list[dict]:
	return frappe.get_all(
		"Sales Order Item",
		{"parent": order_name, "parenttype": owners.SALES_ORDER},
		["name", "item_code", "item_name", "description", "qty", "amount"],
		order_by="idx",
	)


def line_description(line) -> str:
	"""What a line of the schedule is called: its description on the order (lines of one
	item differ by it), as plain text, or its item's name."""
	text = strip_html(line.get("description") or "").strip()
	return (text or line.item_name or line.item_code or "")[:140]


def applications(order_name: str) -> list[dict]:
	"""The order's submitted applications, in order."""
	return frappe.get_all(
		DOCTYPE,
		{"sales_order": order_name, "docstatus": 1},
		["name", "application_no", "period_end", "docstatus", "sales_invoice", "current_payment_due"],
		order_by="application_no",
	)


def previous(doc) -> tuple[dict, frappe._dict | None]:
	"""The latest submitted application before `doc`, and its lines by order line."""
	earlier = frappe.get_all(
		DOCTYPE,
		{"sales_order": doc.sales_order, "docstatus": 1, "name": ("!=", doc.name or "")},
		["name", "application_no", "total_earned_less_retainage", "total_retainage"],
		order_by="application_no desc",
		limit=1,
	)
	if not earlier:
		return {}, None
	lines = frappe.get_all(
		LINE,
		{"parent": earlier[0].name, "parenttype": DOCTYPE},
		["so_detail", "work_to_date", "stored"],
	)
	return {line.so_detail: line for line in lines}, earlier[0]


def schedule_of_values(order_name: str) -> dict:
	"""The order's schedule of values as the last submitted application left it, and its
	applications: for get_plan and the portal."""
	latest = {}
	done = applications(order_name)
	if done:
		latest = {
			line.so_detail: line
			for line in frappe.get_all(
				LINE,
				{"parent": done[-1].name, "parenttype": DOCTYPE},
				["so_detail", "completed_and_stored", "retainage", "work_to_date", "stored"],
			)
		}
	lines = []
	for line in order_lines(order_name):
		now = latest.get(line.name) or frappe._dict(
			completed_and_stored=0, retainage=0, work_to_date=0, stored=0
		)
		scheduled = engine.to_decimal(line.amount)
		completed = engine.to_decimal(now.completed_and_stored or 0)
		lines.append(
			{
				"so_detail": line.name,
				"item_code": line.item_code,
				"description": line_description(line),
				"scheduled_value": scheduled,
				"completed_and_stored": completed,
				"percent_complete": engine.round_to(completed * 100 / scheduled, 2)
				if scheduled
				else Decimal(0),
				"retainage": engine.to_decimal(now.retainage or 0),
				"balance_to_finish": scheduled - completed,
			}
		)
	return {"lines": lines, "applications": done}
