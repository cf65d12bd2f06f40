"""Retainage on a job billed as one invoice: the invoice withholds its share of the work on
a row of its own taxes, into the Retainage Receivable account; its plan splits what it asks
now, and a release bills the rest back."""

from decimal import Decimal

import pytest

frappe = pytest.importorskip("frappe", reason="frappe is not importable: run pytest with the bench's python")

from frappe.utils import add_days, nowdate

from erpnext.accounts.doctype.sales_invoice.sales_invoice import create_dunning, make_sales_return

from progress_billing import api
from progress_billing.billing import releases
from progress_billing.progress_billing.report.retainage_held import retainage_held
from progress_billing.views import printing
from tests.integration.factories import company, enable_program, make_invoice, receive_payment
from tests.integration.test_draw_invoices import tax_account
from tests.integration.test_retainage import (
	account_balance,
	accounts_receivable,
	receivable,
	retainage_account,
)

INVOICE = "Sales Invoice"
STAGES = [
	{"label": "Deposit", "percentage": 30},
	{"label": "Rough-in", "percentage": 40},
	{"label": "Final", "percentage": 30},
]
D = Decimal


@pytest.fixture(autouse=True)
def program():
	enable_program(submit_draw_invoices=1)


def job(rate=100000, retainage=10, step_at=50, after=5, **values):
	"""A draft invoice for the whole job, on three installments, withholding retainage."""
	invoice = make_invoice(rate=rate, **values)
	api.save_plan(
		sales_invoice=invoice.name,
		installments=STAGES,
		retainage=retainage,
		retainage_step_at=step_at,
		retainage_after=after,
	)
	invoice.reload()
	return invoice


def retainage_rows(invoice) -> list:
	return [tax for tax in invoice.taxes if tax.account_head == retainage_account()]


def plan(invoice) -> dict:
	return api.get_plan(sales_invoice=invoice.name)


def report_row(invoice, **filters) -> dict | None:
	_columns, rows = retainage_held.execute({"company": company(), "customer": invoice.customer, **filters})[
		:2
	]
	found = [row for row in rows if row.sales_invoice == invoice.name]
	return {key: found[0][key] for key in ("retained", "released", "held")} if found else None


def released_invoices(invoice) -> list[str]:
	return frappe.get_all(
		INVOICE,
		filters={"pb_retainage_invoice": invoice.name, "pb_retainage_release": 1, "docstatus": 1},
		pluck="name",
	)


def test_the_invoice_withholds_ten_then_five_percent_and_its_plan_splits_what_it_asks():
	invoice = job()
	# 10% of the first half of the work, 5% of the second: 5,000 + 2,500.
	(row,) = retainage_rows(invoice)
	assert D(str(row.tax_amount)) == D(-7500)
	assert D(str(invoice.grand_total)) == D(92500)
	assert invoice.pb_retainage_invoice == invoice.name
	figures = plan(invoice)
	assert [row["amount"] for row in figures["installments"]] == [D(27750), D(37000), D(27750)]
	assert [row["retained"] for row in figures["installments"]] == [D(2250), D(3000), D(2250)]
	assert figures["retainage"]["rate"] == 10 and figures["retainage"]["rate_after"] == 5
	assert figures["retainage"]["retained"] == D(7500)
	# ERPNext's own Payment Schedule asks what the plan asks.
	assert [D(str(term.payment_amount)) for term in invoice.payment_schedule] == [
		D(27750),
		D(37000),
		D(27750),
	]

	invoice.submit()
	assert account_balance(retainage_account(), [invoice.name]) == D(7500)
	assert receivable([invoice.name]) == D(92500)
	assert accounts_receivable(invoice.customer, [invoice.name]) == {invoice.name: D(92500)}
	assert report_row(invoice) == {"retained": 7500, "released": 0, "held": 7500}
	# The deposit is overdue: the Dunning asks for it, never for the retainage.
	frappe.db.set_value(
		"Payment Schedule", {"parent": invoice.name, "idx": 1}, "due_date", add_days(nowdate(), -30)
	)
	frappe.db.set_value(INVOICE, invoice.name, "due_date", add_days(nowdate(), -30))
	dunning = create_dunning(invoice.name)
	assert [D(str(row.outstanding)) for row in dunning.overdue_payments] == [D(27750)]

	receive_payment(invoice.name, 92500)
	figures = plan(invoice)
	assert [row["status"] for row in figures["installments"]] == ["Paid"] * 3
	assert figures["status"] == "Active"  # the retainage is still held
	assert figures["retainage"]["held"] == D(7500)

	# A part first, then the rest: each release bills exactly what it says.
	first = api.release_retainage(sales_invoice=invoice.name, amount=2500)
	assert D(str(frappe.db.get_value(INVOICE, first["name"], "grand_total"))) == D(2500)
	assert plan(invoice)["retainage"]["held"] == D(5000)
	assert plan(invoice)["retainage"]["release_outstanding"] == D(2500)
	api.release_retainage(sales_invoice=invoice.name)
	releases = released_invoices(invoice)
	assert len(releases) == 2
	assert plan(invoice)["retainage"]["held"] == 0
	assert report_row(invoice, show_released=1) == {"retained": 7500, "released": 7500, "held": 0}
	for name in releases:
		receive_payment(name, frappe.db.get_value(INVOICE, name, "outstanding_amount"))

	every = [invoice.name, *releases]
	assert account_balance(retainage_account(), every) == 0
	assert receivable(every) == 0
	assert plan(invoice)["status"] == "Completed"


def test_with_tax_the_invoice_and_its_release_add_up_to_the_work_and_its_tax_to_the_cent():
	invoice = make_invoice(
		rate=333.33,
		qty=7,
		taxes=[
			{
				"charge_type": "On Net Total",
				"account_head": tax_account(),
				"description": "VAT",
				"rate": 7.5,
			}
		],
	)
	api.save_plan(sales_invoice=invoice.name, installments=STAGES, retainage=10)
	invoice.reload()
	vat = next(tax for tax in invoice.taxes if tax.description == "VAT")
	net = D(str(invoice.net_total))
	assert D(str(vat.tax_amount)) == (net * D("0.075")).quantize(D("0.01"))  # on the whole work
	(row,) = retainage_rows(invoice)
	assert -D(str(row.tax_amount)) == (net * D("0.10")).quantize(D("0.01"))  # of the work before tax
	invoice.submit()
	release = frappe.get_doc(INVOICE, api.release_retainage(sales_invoice=invoice.name)["name"])
	assert not release.taxes  # the tax was charged with the work
	billed = D(str(invoice.grand_total)) + D(str(release.grand_total))
	assert billed == net + D(str(vat.tax_amount))


def test_a_credit_note_cancelling_and_amending_keep_what_the_job_holds_exact():
	invoice = job(step_at=None, after=None)
	invoice.submit()
	assert plan(invoice)["retainage"]["held"] == D(10000)

	credit = make_sales_return(invoice.name)
	credit.insert()
	credit.submit()
	assert credit.pb_retainage_invoice == invoice.name
	assert not credit.pb_retainage  # the job's terms, not the credit note's own
	assert account_balance(retainage_account(), [invoice.name, credit.name]) == 0
	assert plan(invoice)["retainage"]["held"] == 0
	with pytest.raises(frappe.ValidationError, match="Nothing is held"):
		api.release_retainage(sales_invoice=invoice.name)

	credit.cancel()
	assert plan(invoice)["retainage"]["held"] == D(10000)
	invoice.reload()
	invoice.cancel()
	assert report_row(invoice) is None

	amended = frappe.copy_doc(invoice, ignore_no_copy=False)  # as the desk's Amend copies it
	amended.update({"amended_from": invoice.name, "docstatus": 0})
	amended.insert()
	amended.reload()
	# The amendment withholds on the same terms, as its own job.
	assert amended.pb_retainage == 10
	assert amended.pb_retainage_invoice == amended.name
	assert [D(str(row.tax_amount)) for row in retainage_rows(amended)] == [D(-10000)]
	assert [row["retained"] for row in plan(amended)["installments"]] == [D(3000), D(4000), D(3000)]
	amended.submit()
	assert plan(amended)["retainage"]["held"] == D(10000)
	release = api.release_retainage(sales_invoice=amended.name, posting_date=nowdate())
	assert D(str(frappe.db.get_value(INVOICE, release["name"], "grand_total"))) == D(10000)
	assert account_balance(retainage_account(), [amended.name, release["name"]]) == 0


def test_terms_of_none_take_the_row_away_and_bad_terms_change_nothing():
	invoice = job(step_at=None, after=None)
	assert D(str(invoice.grand_total)) == D(90000)
	for bad in ({"retainage": 150}, {"retainage": 10, "retainage_step_at": 50, "retainage_after": 20}):
		with pytest.raises(frappe.ValidationError):
			api.save_plan(sales_invoice=invoice.name, **bad)
		invoice.reload()
		assert D(str(invoice.grand_total)) == D(90000)
		assert invoice.pb_retainage == 10
	# Rows the plan refuses undo the new terms too.
	with pytest.raises(frappe.ValidationError):
		api.save_plan(
			sales_invoice=invoice.name,
			installments=[{"label": "All", "percentage": 90}],
			retainage=5,
		)
	invoice.reload()
	assert invoice.pb_retainage == 10 and D(str(invoice.grand_total)) == D(90000)

	api.save_plan(sales_invoice=invoice.name, retainage=0)
	invoice.reload()
	assert not retainage_rows(invoice)
	assert not invoice.pb_retainage_invoice
	assert D(str(invoice.grand_total)) == D(100000)
	assert [row["amount"] for row in plan(invoice)["installments"]] == [D(30000), D(40000), D(30000)]
	assert "retainage" not in plan(invoice)


def test_a_submitted_invoice_keeps_its_terms_and_a_release_is_never_more_than_is_held():
	invoice = job(step_at=None, after=None)
	invoice.submit()
	with pytest.raises(frappe.ValidationError, match="draft"):
		api.save_plan(sales_invoice=invoice.name, retainage=5)
	assert frappe.db.get_value(INVOICE, invoice.name, "pb_retainage") == 10
	for amount, message in (
		(D("10000.01"), "more than"),
		(D("0.001"), "decimal places"),
		(-5, "more than zero"),
	):
		with pytest.raises(frappe.ValidationError, match=message):
			api.release_retainage(sales_invoice=invoice.name, amount=amount)
	assert released_invoices(invoice) == []
	with pytest.raises(frappe.ValidationError):
		api.release_retainage(sales_invoice=invoice.name, sales_order=invoice.name)

	plain = make_invoice(rate=500, submit=True)
	with pytest.raises(frappe.ValidationError, match="Nothing is held"):
		api.release_retainage(sales_invoice=plain.name)


def test_the_release_date_releases_what_the_invoice_holds_once():
	invoice = job(step_at=None, after=None)
	api.save_plan(sales_invoice=invoice.name, retainage_release_on=add_days(nowdate(), 10))
	invoice.reload()
	invoice.submit()
	assert releases.release_due(nowdate(), commit=False) == {"released": 0, "failed": 0}
	assert releases.release_due(add_days(nowdate(), 10), commit=False)["released"] == 1
	assert releases.release_due(add_days(nowdate(), 11), commit=False)["released"] == 0
	(release,) = released_invoices(invoice)
	assert D(str(frappe.db.get_value(INVOICE, release, "grand_total"))) == D(10000)


def test_the_print_shows_the_work_the_retainage_and_the_plan_of_what_is_due():
	invoice = job(step_at=None, after=None)
	shown = printing.get_plan_for_print(invoice.name)
	assert shown["retainage_draw"]["billed"] == D(100000)
	assert shown["retainage_draw"]["retained"] == D(10000)
	assert shown["retainage_draw"]["due"] == D(90000)
	assert [row["amount"] for row in shown["installments"]] == [D(27000), D(36000), D(27000)]
	html = frappe.get_print(INVOICE, invoice.name, print_format="Standard")
	assert "Work billed" in html and "Retainage 10%" in html and "Amount due" in html
	# Each installment's share of what is retained, in a column of its own.
	assert "Retained</th>" in html
	assert html.count("3,000.00") == 2 and "4,000.00" in html


def test_a_part_credit_note_gives_back_the_retainage_of_the_work_it_returns():
	invoice = make_invoice(rate=50000, qty=2)
	api.save_plan(sales_invoice=invoice.name, installments=STAGES, retainage=10)
	invoice.reload()
	invoice.submit()
	credit = make_sales_return(invoice.name)
	credit.items[0].qty = -1  # half the work
	credit.insert()
	credit.submit()
	(row,) = retainage_rows(credit)
	assert D(str(row.tax_amount)) == D(5000)  # ERPNext copied all 10,000
	assert D(str(credit.grand_total)) == D(-45000)
	assert plan(invoice)["retainage"]["held"] == D(5000)
	assert account_balance(retainage_account(), [invoice.name, credit.name]) == D(5000)
	# The other half: what is left, to the cent, and nothing is held any more.
	rest = make_sales_return(invoice.name)
	rest.insert()
	rest.submit()
	assert [D(str(row.tax_amount)) for row in retainage_rows(rest)] == [D(5000)]
	assert plan(invoice)["retainage"]["held"] == 0


def test_the_invoices_totals_words_and_later_tax_rows_follow_the_retainage():
	invoice = make_invoice(
		rate=100000,
		taxes=[
			{"charge_type": "On Net Total", "account_head": tax_account(), "description": "VAT", "rate": 5},
		],
	)
	api.save_plan(sales_invoice=invoice.name, installments=STAGES, retainage=10)
	invoice.reload()
	# A charge on the total after the retainage, added after its row, keeps pointing at it.
	invoice.append(
		"taxes",
		{
			"charge_type": "On Previous Row Total",
			"row_id": 2,
			"account_head": tax_account(),
			"description": "Levy",
			"rate": 1,
		},
	)
	invoice.items[0].rate = 80000
	invoice.save()
	assert [tax.description for tax in invoice.taxes] == ["VAT", "Retainage 10%", "Levy"]
	assert D(str(invoice.taxes[1].tax_amount)) == D(-8000)
	# 80,000 + 4,000 VAT - 8,000 retainage = 76,000, and 1% of it.
	assert D(str(invoice.grand_total)) == D(76760)
	assert invoice.in_words == frappe.utils.money_in_words(invoice.grand_total, invoice.currency)
	assert sum(D(str(term.payment_amount)) for term in invoice.payment_schedule) == D(76760)


def test_a_discount_on_the_grand_total_is_refused_and_one_on_the_net_total_is_withheld_after():
	invoice = job(step_at=None, after=None)
	invoice.update({"apply_discount_on": "Grand Total", "additional_discount_percentage": 10})
	with pytest.raises(frappe.ValidationError, match="Net Total"):
		invoice.save()
	invoice.reload()
	invoice.update({"apply_discount_on": "Net Total", "additional_discount_percentage": 10})
	invoice.save()
	(row,) = retainage_rows(invoice)
	assert D(str(row.tax_amount)) == D(-9000)  # 10% of the 90,000 of work after the discount
	assert D(str(invoice.grand_total)) == D(81000)
	invoice.save()  # and again: nothing moves
	assert D(str(invoice.grand_total)) == D(81000)


def test_retainage_outlives_the_plan_it_was_set_with_and_all_of_the_work_may_be_retained():
	invoice = job(step_at=None, after=None)
	api.remove_plan(sales_invoice=invoice.name)
	invoice.reload()
	assert D(str(invoice.grand_total)) == D(90000)  # still withheld, without a plan
	assert [D(str(term.payment_amount)) for term in invoice.payment_schedule] == [D(90000)]
	assert plan(invoice)["retainage"]["retained"] == D(10000)
	api.save_plan(sales_invoice=invoice.name, retainage=100)
	invoice.reload()
	assert D(str(invoice.grand_total)) == 0
	api.save_plan(sales_invoice=invoice.name, retainage=0)
	invoice.reload()
	assert not retainage_rows(invoice) and D(str(invoice.grand_total)) == D(100000)
