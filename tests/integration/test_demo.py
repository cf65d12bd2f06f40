"""The demo: `progress_billing.demo.make` builds a realistic job on a site, and
`progress_billing.demo.remove` takes every trace of it away again."""

from decimal import Decimal

import pytest

frappe = pytest.importorskip("frappe", reason="frappe is not importable: run pytest with the bench's python")

from frappe.utils import add_days, getdate, nowdate

from progress_billing import api, demo, engine
from progress_billing.progress_billing.report.outstanding_draws import outstanding_draws
from tests.integration.factories import company, ensure_outgoing_account, make_invoice
from tests.integration.test_portal import get_page

SETTINGS = "Progress Billing Settings"
LEDGER_SETTING = ("Accounts Settings", "delete_linked_ledger_entries")
# Everything the demo makes, and everything ERPNext and Frappe make alongside: after
# remove(), each counts what it counted before make().
COUNTED = (
	"Quotation",
	"Sales Order",
	"Sales Invoice",
	"Payment Entry",
	"Project",
	"Task",
	"Customer",
	"Contact",
	"Dynamic Link",
	"User",
	"Has Role",
	"Item",
	"Item Price",
	"Progress Billing Installment",
	"Progress Billing Pay Application",
	"Progress Billing Pay Application Line",
	"Account",
	"Payment Schedule",
	"GL Entry",
	"Payment Ledger Entry",
	"Advance Payment Ledger Entry",
	"Version",
	"Comment",
	"Communication",
	"Communication Link",
	"Email Queue",
	"Deleted Document",
	"DefaultValue",
	"Error Log",
)


@pytest.fixture
def program_off():
	"""The program as a site has it before the demo: off, draw invoices left as drafts."""
	frappe.db.set_single_value(SETTINGS, {"enabled": 0, "submit_draw_invoices": 0})
	ensure_outgoing_account()  # so the demo's emails are queued, and must go with it
	yield
	frappe.local.outgoing_email_account = {}


def today():
	return getdate(nowdate())


def rows(plan: dict) -> list[tuple]:
	return [(row["label"], row["status"], row["paid_amount"] > 0) for row in plan["installments"]]


def test_make_builds_the_job_and_remove_leaves_nothing(program_off, capsys):
	other = make_invoice(rate=500)  # another customer's
	counts = {doctype: frappe.db.count(doctype) for doctype in COUNTED}
	ledger_setting = frappe.db.get_single_value(*LEDGER_SETTING, cache=False)
	demo.make()
	state = demo.recorded()
	customer, user = state["customer"], state["user"]
	kitchen, bathroom, countertops = state["kitchen"], state["bathroom"], state["countertops"]
	printed = capsys.readouterr().out
	assert user in printed and "password" in printed
	assert frappe.db.get_single_value(SETTINGS, "enabled", cache=False) == 1

	# The kitchen: the quote's plan moved to the order, and on to its invoice.
	assert frappe.db.get_value("Quotation", kitchen["quotation"], ["pb_plan_status", "pb_plan_order"]) == (
		"Ordered",
		kitchen["order"],
	)
	assert frappe.db.get_value("Sales Order", kitchen["order"], ["pb_plan_status", "pb_plan_invoice"]) == (
		"Invoiced",
		kitchen["invoice"],
	)
	plan = api.get_plan(kitchen["invoice"])
	assert [row["percentage"] for row in plan["installments"]] == [30, 40, 30]
	# The deposit paid on the order, part of Rough-in (past due) paid on the invoice.
	assert rows(plan) == [
		("Deposit", "Paid", True),
		("Rough-in", "Partly Paid", True),
		("Final", "Unpaid", False),
	]
	deposit = plan["installments"][0]["amount"]
	assert frappe.db.get_value("Sales Order", kitchen["order"], "advance_paid") == deposit
	assert frappe.db.get_value("Payment Entry", kitchen["deposit"], "docstatus") == 1
	assert plan["installments"][1]["due_date"] < today() < plan["installments"][2]["due_date"]
	assert plan["installments_outstanding"] == frappe.db.get_value(
		"Sales Invoice", kitchen["invoice"], "outstanding_amount"
	)

	# The bathroom: billed draw by draw, the first draw invoiced.
	draws = api.get_plan(doctype="Sales Order", name=bathroom["order"])
	assert draws["billing"] == "Invoice Each Draw"
	assert [row["draw_invoice"] for row in draws["installments"]] == [bathroom["draw_invoice"], None, None]
	assert frappe.db.get_value(
		"Sales Invoice", bathroom["draw_invoice"], ["pb_draw_order", "docstatus", "due_date"]
	) == (bathroom["order"], 1, today())
	# It withholds 10% of its work as retainage, held until the job is done.
	first = draws["installments"][0]
	assert draws["retainage"]["rate"] == 10 and draws["retainage"]["held"] == first["retained"] > 0
	assert Decimal(str(first["outstanding_amount"])) == Decimal(str(first["amount"])) - first["retained"]

	# The fit-out: billed by pay applications, last month's submitted and invoiced, this
	# month's drafted with materials stored.
	fitout = state["fitout"]
	sov = api.get_plan(doctype="Sales Order", name=fitout["order"])["schedule_of_values"]
	assert [row["name"] for row in sov["applications"]] == [fitout["submitted"]]
	draft = frappe.get_doc("Progress Billing Pay Application", fitout["draft"])
	assert draft.docstatus == 0 and draft.application_no == 2 and draft.total_retainage > 0
	assert any(line.stored for line in draft.lines)

	# The countertops: installments that follow the project's tasks.
	plan = api.get_plan(countertops["invoice"])
	tasks = frappe.get_all("Task", {"project": countertops["project"]}, ["name", "subject"])
	assert {row["task"] for row in plan["installments"]} == {task.name for task in tasks}
	assert [row["due_date"] for row in plan["installments"]] == [add_days(today(), -7), today(), None]
	assert [row["status"] for row in plan["installments"]] == ["Paid", "Unpaid", "Unpaid"]

	# Outstanding Draws has something past due, due today and to come.
	_columns, report_rows, *_rest = outstanding_draws.execute(
		{"company": company(), "customer": customer, "show": "All"}
	)
	assert {row.due_group for row in report_rows} == {engine.PAST_DUE, engine.DUE_TODAY, engine.UPCOMING}

	# The portal user reads the customer's invoices and project, and no one else's.
	status, html = get_page(f"/invoices/{kitchen['invoice']}", user=user)
	assert status == 200 and kitchen["invoice"] in html
	frappe.set_user(user)
	try:
		assert api.get_plan(countertops["invoice"])["installments"]
		assert api.get_project_timeline(countertops["project"])
	finally:
		frappe.set_user("Administrator")
		frappe.clear_cache(user=user)
	assert frappe.get_all("Communication", {"reference_name": countertops["invoice"]}), "an email went out"
	frappe.set_user(user)
	try:
		with pytest.raises(frappe.PermissionError):
			api.get_plan(other.name)
	finally:
		frappe.set_user("Administrator")
		frappe.clear_cache(user=user)

	# Made once: a second make() says so and makes nothing.
	customers = frappe.db.count("Customer")
	demo.make()
	assert "already" in capsys.readouterr().out
	assert frappe.db.count("Customer") == customers

	# What the office did on the demo since goes with it: the next draw billed and paid.
	draw = api.invoice_draw(sales_order=bathroom["order"], idx=2)["sales_invoice"]
	api.accept_payment(sales_invoice=draw, amount=100, mode_of_payment="Cash")

	demo.remove()
	assert demo.recorded() is None
	assert "removed" in capsys.readouterr().out
	assert {doctype: frappe.db.count(doctype) for doctype in COUNTED} == counts
	assert frappe.db.get_single_value(SETTINGS, "enabled", cache=False) == 0
	assert frappe.db.get_single_value(SETTINGS, "submit_draw_invoices", cache=False) == 0
	assert frappe.db.get_single_value(*LEDGER_SETTING, cache=False) == ledger_setting
	demo.remove()
	assert "no demo" in capsys.readouterr().out
