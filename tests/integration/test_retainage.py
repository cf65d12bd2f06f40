"""Retainage on a job billed draw by draw, on ERPNext's ledger: each draw invoice withholds
its share of the work into the Retainage Receivable account, and a release bills it back."""

from decimal import Decimal

import pytest

frappe = pytest.importorskip("frappe", reason="frappe is not importable: run pytest with the bench's python")

from frappe.utils import add_days, nowdate

from erpnext.accounts.doctype.sales_invoice.sales_invoice import create_dunning, make_sales_return

from progress_billing import api
from progress_billing.progress_billing.report.retainage_held import retainage_held
from tests.integration.factories import company, enable_program, make_sales_order, receive_payment
from tests.integration.test_draw_invoices import taxed_order

ORDER = "Sales Order"
EACH = "Invoice Each Draw"
FIFTHS = [{"label": f"Draw {idx}", "percentage": 20} for idx in range(1, 6)]
D = Decimal


@pytest.fixture(autouse=True)
def program():
	enable_program(default_billing="One Invoice", submit_draw_invoices=1)


def job(rate=100000, rows=FIFTHS, retainage=10, step_at=50, after=5):
	order = make_sales_order(rate=rate)
	api.save_plan(
		doctype=ORDER,
		name=order.name,
		installments=rows,
		billing=EACH,
		retainage=retainage,
		retainage_step_at=step_at,
		retainage_after=after,
	)
	order.reload()
	order.submit()
	return order


def draw(order, idx) -> "frappe.Document":
	return frappe.get_doc("Sales Invoice", api.invoice_draw(sales_order=order.name, idx=idx)["sales_invoice"])


def retainage_account() -> str:
	return frappe.db.get_value("Company", company(), "pb_retainage_account")


def account_balance(account: str, vouchers: list[str]) -> D:
	"""What the General Ledger says `account` holds from these vouchers."""
	value = frappe.db.sql(
		"select sum(debit - credit) from `tabGL Entry` where account = %s and is_cancelled = 0"
		" and voucher_no in %s",
		(account, tuple(vouchers)),
	)[0][0]
	return D(str(value or 0))


def receivable(vouchers: list[str]) -> D:
	"""What the customer's receivable still holds for these invoices (Payment Ledger)."""
	value = frappe.db.sql(
		"select sum(amount) from `tabPayment Ledger Entry` where delinked = 0 and against_voucher_no in %s",
		(tuple(vouchers),),
	)[0][0]
	return D(str(value or 0))


def report_row(order, **filters) -> dict | None:
	"""The order's row of Retainage Held, read from the General Ledger."""
	_columns, rows = retainage_held.execute({"company": company(), "customer": order.customer, **filters})[:2]
	found = [row for row in rows if row.sales_order == order.name]
	return {key: found[0][key] for key in ("retained", "released", "held", "age")} if found else None


def accounts_receivable(customer: str, vouchers: list[str]) -> dict:
	"""ERPNext's Accounts Receivable report: each of these invoices' outstanding."""
	from erpnext.accounts.report.accounts_receivable.accounts_receivable import execute

	rows = execute(
		{
			"company": company(),
			"report_date": nowdate(),
			"ageing_based_on": "Due Date",
			"range": "30, 60, 90, 120",
			"party_type": "Customer",
			"party": [customer],
		}
	)[1]
	return {row.voucher_no: D(str(row.outstanding)) for row in rows if row.get("voucher_no") in vouchers}


def figures(order) -> dict:
	return api.get_plan(doctype=ORDER, name=order.name)["retainage"]


def test_five_draws_withhold_ten_then_five_percent_and_the_release_bills_exactly_what_was_held():
	order = job()
	invoices = [draw(order, idx) for idx in range(1, 6)]
	# 10% until the job is 50% billed, then 5%: the third draw straddles the step.
	expected = [D(2000), D(2000), D(1500), D(1000), D(1000)]
	for invoice, retained in zip(invoices, expected, strict=True):
		assert D(str(invoice.grand_total)) == D(20000) - retained
		assert D(str(invoice.outstanding_amount)) == D(20000) - retained
		assert invoice.pb_retainage_order == order.name
		assert not invoice.pb_retainage  # the order's terms, not terms of its own
	names = [invoice.name for invoice in invoices]
	assert account_balance(retainage_account(), names) == D(7500)
	assert figures(order)["held"] == D(7500)
	assert report_row(order) == {"retained": 7500, "released": 0, "held": 7500, "age": "0-30 days"}
	plan = api.get_plan(doctype=ORDER, name=order.name)
	assert [row["retained"] for row in plan["installments"]] == expected
	assert [row["outstanding_amount"] for row in plan["installments"]] == [D(20000) - x for x in expected]

	# What ERPNext asks the customer for is what is due now, never the retainage.
	assert receivable(names) == D(92500)
	assert accounts_receivable(order.customer, names) == {
		invoice.name: D(20000) - retained for invoice, retained in zip(invoices, expected, strict=True)
	}
	# A month on, the first draw is overdue: the Dunning asks for what its invoice asks now.
	frappe.db.set_value(
		"Payment Schedule", {"parent": invoices[0].name}, "due_date", add_days(nowdate(), -30)
	)
	frappe.db.set_value("Sales Invoice", invoices[0].name, "due_date", add_days(nowdate(), -30))
	dunning = create_dunning(invoices[0].name)
	assert D(str(dunning.overdue_payments[0].outstanding)) == D(18000)

	for invoice in invoices:
		receive_payment(invoice.name, invoice.outstanding_amount)
	assert api.get_plan(doctype=ORDER, name=order.name)["status"] == "Active"  # retainage still held

	release = api.release_retainage(sales_order=order.name)
	released = frappe.get_doc("Sales Invoice", release["name"])
	assert release["doctype"] == "Sales Invoice" and released.docstatus == 1
	assert D(str(released.grand_total)) == D(7500)
	assert not released.taxes
	assert figures(order)["held"] == 0
	receive_payment(released.name, 7500)

	every = [*names, released.name]
	assert account_balance(retainage_account(), every) == 0
	assert report_row(order) is None  # nothing held: left out unless released jobs are asked for
	assert report_row(order, show_released=1) == {"retained": 7500, "released": 7500, "held": 0, "age": ""}
	assert receivable(every) == 0
	order.reload()
	assert order.per_billed == 100
	assert api.get_plan(doctype=ORDER, name=order.name)["status"] == "Completed"


def test_with_tax_the_draws_and_the_release_add_up_to_the_grand_total_to_the_cent():
	enable_program(default_retainage=10)
	order = taxed_order(
		[
			{"label": "Deposit", "percentage": 33.33},
			{"label": "Rough-in", "percentage": 33.33},
			{"label": "Final", "percentage": 33.34},
		]
	)
	assert figures(order)["rate"] == 10  # the Settings' default
	invoices = [draw(order, idx) for idx in (1, 2, 3)]
	for invoice in invoices:
		vat = next(tax for tax in invoice.taxes if tax.description == "VAT")
		# Tax on the whole work of the draw, retainage withheld of the work before tax.
		assert D(str(vat.tax_amount)) == (D(str(invoice.net_total)) * D("0.075")).quantize(D("0.01"))
		held = -D(str(invoice.taxes[-1].tax_amount))
		assert held == (D(str(invoice.total)) * D("0.10")).quantize(D("0.01"))
	release = frappe.get_doc(
		"Sales Invoice", api.release_retainage(sales_order=order.name, posting_date=nowdate())["name"]
	)
	billed = sum((D(str(invoice.grand_total)) for invoice in invoices), D(0)) + D(str(release.grand_total))
	assert billed == D(str(order.grand_total))


def test_cancelling_amending_and_crediting_a_draw_keep_the_retainage_exact():
	order = job(rows=FIFTHS, step_at=None, after=None)
	first, second = draw(order, 1), draw(order, 2)
	assert figures(order)["held"] == D(4000)

	second.cancel()
	assert figures(order)["held"] == D(2000)
	amended = frappe.copy_doc(second)
	amended.update({"amended_from": second.name, "docstatus": 0})
	amended.insert()
	amended.submit()
	assert D(str(amended.grand_total)) == D(18000)
	assert figures(order)["held"] == D(4000)

	credit = make_sales_return(first.name)
	credit.insert()
	credit.submit()
	assert figures(order)["held"] == D(2000)
	assert account_balance(retainage_account(), [first.name, credit.name]) == 0


def test_a_partial_release_then_the_rest_and_never_more_than_is_held():
	order = job(rows=FIFTHS, step_at=None, after=None)
	for idx in range(1, 6):
		draw(order, idx)
	assert figures(order)["held"] == D(10000)
	first = api.release_retainage(sales_order=order.name, amount="2500.50")
	assert figures(order)["held"] == D("7499.50")
	invoices_before = frappe.db.count("Sales Invoice")
	with pytest.raises(frappe.ValidationError):
		api.release_retainage(sales_order=order.name, amount=7500)
	assert frappe.db.count("Sales Invoice") == invoices_before
	rest = api.release_retainage(sales_order=order.name)
	assert frappe.db.get_value("Sales Invoice", rest["name"], "grand_total") == 7499.5
	assert figures(order)["released"] == D(10000) and figures(order)["held"] == 0

	frappe.get_doc("Sales Invoice", first["name"]).cancel()
	assert figures(order)["held"] == D("2500.50")


@pytest.mark.parametrize(
	"terms",
	[
		{"retainage": 120},
		{"retainage": 10, "retainage_step_at": 100, "retainage_after": 5},
		{"retainage": 10, "retainage_step_at": 50, "retainage_after": 15},
		{"retainage": "ten"},
	],
)
def test_bad_terms_are_refused_and_change_nothing(terms):
	order = make_sales_order(rate=1000)
	api.save_plan(doctype=ORDER, name=order.name, installments=FIFTHS, billing=EACH)
	with pytest.raises(frappe.ValidationError):
		api.save_plan(doctype=ORDER, name=order.name, **terms)
	assert frappe.db.get_value(ORDER, order.name, "pb_retainage") == 0


def test_terms_stay_once_a_draw_is_invoiced_and_an_invoice_plan_has_none():
	order = job(rate=1000, step_at=None, after=None)
	draw(order, 1)
	with pytest.raises(frappe.ValidationError):
		api.save_plan(doctype=ORDER, name=order.name, retainage=5)
	assert frappe.db.get_value(ORDER, order.name, "pb_retainage") == 10

	one_invoice = make_sales_order(rate=1000)
	api.save_plan(doctype=ORDER, name=one_invoice.name, installments=FIFTHS)
	with pytest.raises(frappe.ValidationError):
		api.save_plan(doctype=ORDER, name=one_invoice.name, retainage=10)


def test_releasing_needs_the_right_to_invoice(monkeypatch):
	order = job(rate=1000, step_at=None, after=None)
	draw(order, 1)
	monkeypatch.setattr(
		frappe, "has_permission", lambda doctype, ptype="read", *args, **kwargs: ptype == "read"
	)
	with pytest.raises(frappe.PermissionError):
		api.release_retainage(sales_order=order.name)
	monkeypatch.undo()
	assert figures(order)["held"] == D(20)


def test_nothing_to_release_is_refused():
	order = job(rate=1000, step_at=None, after=None)
	with pytest.raises(frappe.ValidationError):
		api.release_retainage(sales_order=order.name)
	with pytest.raises(frappe.ValidationError):
		api.release_retainage(sales_order="no such order")


def test_pending_revenue_shows_what_is_still_to_bill_and_the_retainage_held_apart():
	from progress_billing.progress_billing.report.pending_revenue import pending_revenue

	order = job(step_at=None, after=None)
	first = draw(order, 1)
	columns, rows = pending_revenue.execute({"company": company(), "customer": order.customer})[:2]
	by_document = {row.document: row for row in rows}
	# The order's row: what no invoice bills yet; the draw's own row: what it asks now.
	assert by_document[order.name].outstanding_amount == 80000
	assert by_document[order.name].retainage_held == D(2000)
	assert by_document[first.name].outstanding_amount == 18000
	assert "retainage_held" in [column["fieldname"] for column in columns]


def test_a_release_date_or_a_completed_task_releases_what_is_held_once():
	from frappe.utils import add_days as plus

	from progress_billing.billing import releases
	from tests.integration.test_task_milestones import make_project

	order = job(rate=1000, step_at=None, after=None)
	draw(order, 1)
	api.save_plan(doctype=ORDER, name=order.name, retainage_release_on=plus(nowdate(), 10))
	assert figures(order)["release_on"] == frappe.utils.getdate(plus(nowdate(), 10))
	assert releases.release_due(nowdate(), commit=False) == {"released": 0, "failed": 0}
	assert releases.release_due(plus(nowdate(), 10), commit=False)["released"] == 1
	assert figures(order)["held"] == 0 and figures(order)["released"] == D(20)
	assert releases.release_due(plus(nowdate(), 11), commit=False)["released"] == 0

	project, tasks = make_project("Warranty walk-through")
	task = tasks["Warranty walk-through"]
	other = make_sales_order(rate=1000, project=project.name)
	api.save_plan(doctype=ORDER, name=other.name, installments=FIFTHS, billing=EACH, retainage=10)
	api.save_plan(doctype=ORDER, name=other.name, retainage_release_task=task.name)
	other.reload()
	other.submit()
	draw(other, 1)
	task.status = "Completed"
	task.completed_on = nowdate()
	task.save()
	assert figures(other)["held"] == 0 and figures(other)["released"] == D(20)
	with pytest.raises(frappe.ValidationError):
		api.save_plan(
			doctype=ORDER, name=order.name, retainage_release_on=nowdate(), retainage_release_task=task.name
		)
