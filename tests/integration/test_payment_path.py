"""A payment's way from ERPNext's ledger hook to the written plan passes each module once,
in one direction: the hook, the refresh, the owner's values and money (through the
ledger readers), the engine's figures, the installments written, the schedule mirrored."""

import sys

import pytest

frappe = pytest.importorskip("frappe", reason="frappe is not importable: run pytest with the bench's python")

from progress_billing import api
from tests.integration.factories import enable_program, make_invoice, make_sales_order, receive_payment

HOOK = "progress_billing.overrides.payment_ledger_entry"
# The engine is the rules every module may ask; the package's __init__ holds its names and
# the plain row write: neither is a step of the path.
LEAVES = ("progress_billing.engine", "progress_billing.plans")
PATH = [
	HOOK,
	"progress_billing.plans.recompute",
	"progress_billing.plans.owners",
	"progress_billing.plans.ledger",
	"progress_billing.plans.figures",
	"progress_billing.plans.store",
	"progress_billing.plans.schedule",
]


@pytest.fixture(autouse=True)
def program():
	enable_program()


def ledger_hook_paths(pay) -> list[list[str]]:
	"""The modules of ours each Payment Ledger Entry hook entered while `pay` ran, in order,
	one list per hook call. A module is entered when a function of another module calls
	into it; calls within a module are not entries."""
	paths: list[list[str]] = []
	inside: list = []

	def step(module: str) -> bool:
		return (
			module.startswith("progress_billing")
			and module not in LEAVES
			and not module.startswith(LEAVES[0] + ".")
		)

	def profile(frame, event, _arg):
		module = frame.f_globals.get("__name__") or ""
		if event == "return":
			if inside and frame is inside[-1]:
				inside.pop()
			return
		if event != "call":
			return
		if module == HOOK and frame.f_code.co_name == "on_submit":
			inside.append(frame)
			paths.append([HOOK])
			return
		if not inside or not step(module):
			return
		caller = frame.f_back.f_globals.get("__name__") if frame.f_back else None
		if caller != module:
			paths[-1].append(module)

	sys.setprofile(profile)
	try:
		pay()
	finally:
		sys.setprofile(None)
	return paths


def test_a_payment_on_an_invoice_plan_passes_each_module_once_in_order():
	invoice = make_invoice(rate=3000, submit=True)
	api.save_plan(invoice.name, template="Thirds")
	paths = ledger_hook_paths(lambda: receive_payment(invoice.name, 1500))
	assert paths == [PATH]
	assert [row["paid_amount"] for row in api.get_plan(invoice.name)["installments"]] == [1000, 500, 0]


def test_a_payment_on_a_draw_invoice_refreshes_its_order_by_the_same_path():
	enable_program(submit_draw_invoices=1)
	order = make_sales_order(rate=3000)
	api.save_plan(doctype="Sales Order", name=order.name, template="Thirds", billing="Invoice Each Draw")
	order.reload()
	order.submit()
	draw = api.invoice_draw(sales_order=order.name, idx=1)["sales_invoice"]
	paths = ledger_hook_paths(lambda: receive_payment(draw, 1000))
	assert paths == [PATH]
	plan = api.get_plan(doctype="Sales Order", name=order.name)
	assert [row["paid_amount"] for row in plan["installments"]] == [1000, 0, 0]
