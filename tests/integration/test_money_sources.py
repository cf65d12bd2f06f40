"""Every way money reaches or leaves an invoice moves its plan, as the ledger says."""

import pytest

frappe = pytest.importorskip("frappe", reason="frappe is not importable: run pytest with the bench's python")

from frappe.utils import fmt_money, nowdate

from erpnext.accounts.doctype.sales_invoice.sales_invoice import make_sales_return

from progress_billing import api
from tests.integration.factories import company, enable_program, make_invoice, receive_payment


@pytest.fixture(autouse=True)
def program():
	enable_program()


def thirds(rate=3000):
	invoice = make_invoice(rate=rate, submit=True)
	api.save_plan(invoice.name, template="Thirds")
	return invoice


def paid(invoice_name):
	return [row["paid_amount"] for row in api.get_plan(invoice_name)["installments"]]


def outstanding(invoice_name):
	return frappe.db.get_value("Sales Invoice", invoice_name, "outstanding_amount")


def journal_receipt(invoice, amount):
	"""Money received by Journal Entry against the invoice."""
	journal = frappe.get_doc(
		{
			"doctype": "Journal Entry",
			"voucher_type": "Cash Entry",
			"company": invoice.company,
			"posting_date": nowdate(),
			"accounts": [
				{
					"account": frappe.db.get_value("Company", company(), "default_cash_account"),
					"debit_in_account_currency": amount,
				},
				{
					"account": invoice.debit_to,
					"party_type": "Customer",
					"party": invoice.customer,
					"credit_in_account_currency": amount,
					"reference_type": "Sales Invoice",
					"reference_name": invoice.name,
				},
			],
		}
	).insert()
	journal.submit()
	return journal


def test_a_journal_entry_pays_installments_and_its_cancellation_reverses_it():
	invoice = thirds()
	journal = journal_receipt(invoice, 1500)
	assert paid(invoice.name) == [1000, 500, 0]
	journal.cancel()
	assert paid(invoice.name) == [0, 0, 0]


def unallocated_payment(invoice, amount):
	from erpnext.accounts.doctype.payment_entry.payment_entry import get_payment_entry

	payment = get_payment_entry("Sales Invoice", invoice.name, party_amount=amount)
	payment.references = []
	payment.reference_no = "ADVANCE"
	payment.reference_date = nowdate()
	payment.set_amounts()
	payment.insert()
	payment.submit()
	return payment


def reconcile(invoice, payment, amount):
	reconciliation = frappe.get_doc("Payment Reconciliation")
	reconciliation.company = invoice.company
	reconciliation.party_type = "Customer"
	reconciliation.party = invoice.customer
	reconciliation.receivable_payable_account = invoice.debit_to
	# Only these two: on a long-lived site the customer has more open entries than the
	# tool lists at once.
	reconciliation.invoice_name = invoice.name
	reconciliation.payment_name = payment.name
	reconciliation.get_unreconciled_entries()
	invoices = [row.as_dict() for row in reconciliation.invoices if row.invoice_number == invoice.name]
	payments = [row.as_dict() for row in reconciliation.payments if row.reference_name == payment.name]
	reconciliation.allocate_entries(frappe._dict(invoices=invoices, payments=payments))
	for row in reconciliation.allocation:
		row.allocated_amount = amount
	reconciliation.reconcile()


def test_a_payment_reconciled_after_submit_pays_installments():
	invoice = thirds()
	payment = unallocated_payment(invoice, 1200)
	assert paid(invoice.name) == [0, 0, 0]
	reconcile(invoice, payment, 1200)
	assert paid(invoice.name) == [1000, 200, 0]
	assert outstanding(invoice.name) == 1800


def test_unreconciling_a_payment_takes_its_money_off_the_plan():
	invoice = thirds()
	payment = receive_payment(invoice.name, 1500)
	unreconcile = frappe.get_doc(
		{
			"doctype": "Unreconcile Payment",
			"company": invoice.company,
			"voucher_type": "Payment Entry",
			"voucher_no": payment.name,
		}
	)
	unreconcile.add_references()
	unreconcile.allocations = [row for row in unreconcile.allocations if row.reference_name == invoice.name]
	unreconcile.insert()
	unreconcile.submit()
	assert paid(invoice.name) == [0, 0, 0]
	assert outstanding(invoice.name) == 3000


def test_a_debit_note_raises_the_unpaid_installments():
	invoice = thirds()
	receive_payment(invoice.name, 1000)
	debit_note = make_invoice(rate=600, is_debit_note=1, return_against=invoice.name)
	debit_note.submit()
	plan = api.get_plan(invoice.name)
	assert [row["amount"] for row in plan["installments"]] == [1000, 1300, 1300]
	assert plan["target"] == 3600


def test_cancelling_a_credit_note_restores_the_installments():
	invoice = thirds()
	receive_payment(invoice.name, 1000)
	credit_note = make_sales_return(invoice.name)
	credit_note.items[0].qty = -1
	credit_note.items[0].rate = 600
	credit_note.insert()
	credit_note.submit()
	credit_note.cancel()
	assert [row["amount"] for row in api.get_plan(invoice.name)["installments"]] == [1000, 1000, 1000]


def test_accept_payment_takes_the_money_and_rolls_the_plan_forward():
	invoice = thirds()
	result = api.accept_payment(invoice.name, 1000, mode_of_payment="Cash")
	payment = frappe.get_doc("Payment Entry", result["payment_entry"])
	assert payment.docstatus == 1
	assert payment.mode_of_payment == "Cash"
	assert result["warnings"] == []
	plan = api.get_plan(invoice.name)
	assert plan["current"] == 2
	assert outstanding(invoice.name) == 2000


def test_accept_payment_warns_below_and_above_the_current_installment():
	invoice = thirds()
	below = api.accept_payment(invoice.name, 400, mode_of_payment="Cash")
	assert below["warnings"] == ["This is less than the current Installment."]
	above = api.accept_payment(invoice.name, 1100, mode_of_payment="Cash")
	assert above["warnings"][0].startswith("This payment exceeds the current Installment")
	assert paid(invoice.name) == [1000, 500, 0]


def test_accept_payment_uses_the_renamed_word():
	enable_program(interval_name="Draw")
	invoice = thirds()
	assert api.accept_payment(invoice.name, 10, mode_of_payment="Cash")["warnings"] == [
		"This is less than the current Draw."
	]


@pytest.mark.parametrize(
	"amount, message",
	[(0, "greater than zero"), (-5, "greater than zero"), (3000.01, "Overpayment is not permitted")],
)
def test_accept_payment_refuses_bad_amounts_and_writes_nothing(amount, message):
	invoice = thirds()
	before = frappe.db.count("Payment Entry")
	with pytest.raises(frappe.ValidationError, match=message):
		api.accept_payment(invoice.name, amount)
	assert frappe.db.count("Payment Entry") == before
	assert paid(invoice.name) == [0, 0, 0]


def test_accept_payment_asks_for_the_mode_of_payment_first_and_writes_nothing():
	invoice = thirds()
	before = frappe.db.count("Payment Entry")
	with pytest.raises(frappe.MandatoryError, match="Choose the mode of payment"):
		api.accept_payment(invoice.name, 100)
	with pytest.raises(frappe.DoesNotExistError, match="does not exist"):
		api.accept_payment(invoice.name, 100, mode_of_payment="No Such Mode")
	assert frappe.db.count("Payment Entry") == before
	assert paid(invoice.name) == [0, 0, 0]


def bank_mode() -> str:
	"""A mode of payment that pays into the company's bank account, as a business sets one up."""
	name = "_PB Bank Transfer"
	bank_account = frappe.db.get_value(
		"Account", {"company": company(), "account_type": "Bank", "is_group": 0}, "name"
	)
	if not frappe.db.exists("Mode of Payment", name):
		frappe.get_doc(
			{
				"doctype": "Mode of Payment",
				"mode_of_payment": name,
				"type": "Bank",
				"accounts": [{"company": company(), "default_account": bank_account}],
			}
		).insert()
	return name


def test_a_bank_payment_asks_for_its_reference_before_anything_is_written():
	invoice = thirds()
	mode = bank_mode()
	assert api.get_payment_mode(invoice.name, mode) == {"needs_reference": True}
	assert api.get_payment_mode(invoice.name, "Cash") == {"needs_reference": False}
	before = frappe.db.count("Payment Entry")
	with pytest.raises(frappe.MandatoryError, match="enter the payment's reference number"):
		api.accept_payment(invoice.name, 100, mode_of_payment=mode)
	assert frappe.db.count("Payment Entry") == before
	taken = api.accept_payment(invoice.name, 100, mode_of_payment=mode, reference_no="TRF-1")
	assert frappe.db.get_value("Payment Entry", taken["payment_entry"], "reference_no") == "TRF-1"
	assert paid(invoice.name) == [100, 0, 0]


def test_the_overpayment_refusal_names_amounts_as_money():
	invoice = thirds()
	refused = api.preview_payment(invoice.name, 6000)
	assert refused["allowed"] is False
	usd = lambda amount: fmt_money(amount, currency="USD")  # noqa: E731
	assert refused["warnings"] == [
		f"{usd(6000)} exceeds the invoice balance of {usd(3000)}. Overpayment is not permitted."
	]


def test_preview_says_how_a_payment_would_land():
	invoice = thirds()
	assert api.preview_payment(invoice.name, 2500)["kind"] == "exceeds_current"
	refused = api.preview_payment(invoice.name, 5000)
	assert refused["allowed"] is False
	assert "Overpayment is not permitted" in refused["warnings"][0]


def test_a_refund_never_unpays_an_installment():
	invoice = thirds()
	payment = receive_payment(invoice.name, 1000)
	result = api.refund_payment(payment.name, 400)
	journal = frappe.get_doc("Journal Entry", result["journal_entry"])
	assert journal.docstatus == 1
	assert journal.pb_refund_of == payment.name
	assert paid(invoice.name) == [1000, 0, 0]
	assert outstanding(invoice.name) == 2400


def test_money_taken_again_after_a_refund_lands_on_the_oldest_unpaid_installment():
	invoice = thirds()
	payment = receive_payment(invoice.name, 1000)
	api.refund_payment(payment.name, 400)
	receive_payment(invoice.name, 400)
	assert paid(invoice.name) == [1000, 400, 0]
	assert outstanding(invoice.name) == 2000


def test_a_completed_plan_refunded_says_all_collected_with_a_balance():
	invoice = thirds()
	payment = receive_payment(invoice.name, 3000)
	api.refund_payment(payment.name, 500)
	plan = api.get_plan(invoice.name)
	assert plan["status"] == "Completed"
	assert outstanding(invoice.name) == 500
	receive_payment(invoice.name, 500)
	assert api.get_plan(invoice.name)["status"] == "Completed"


def test_a_refund_beyond_what_is_refundable_is_refused():
	invoice = thirds()
	payment = receive_payment(invoice.name, 1000)
	api.refund_payment(payment.name, 600)
	with pytest.raises(frappe.ValidationError, match="at most"):
		api.refund_payment(payment.name, 401)


def test_a_refund_can_cancel_the_rest_of_the_plan():
	invoice = thirds()
	payment = receive_payment(invoice.name, 1500)
	plan = api.refund_payment(payment.name, 200, cancel_remaining_plan=1)["plan"]
	assert plan["status"] == "Cancelled"
	assert [row["status"] for row in plan["installments"]] == ["Paid", "Cancelled", "Cancelled"]
	assert [row["paid_amount"] for row in plan["installments"]] == [1000, 500, 0]
	schedule = frappe.get_doc("Sales Invoice", invoice.name).payment_schedule
	assert [row.payment_amount for row in schedule] == [outstanding(invoice.name)]


def test_a_cancelled_plan_can_be_removed_and_a_fresh_one_configured():
	invoice = thirds()
	payment = receive_payment(invoice.name, 1000)
	api.refund_payment(payment.name, 400, cancel_remaining_plan=1)
	api.remove_plan(invoice.name)
	fresh = api.save_plan(invoice.name, template="50/50 Split")
	assert fresh["target"] == 2400
	assert [row["amount"] for row in fresh["installments"]] == [1200, 1200]
	assert [row["paid_amount"] for row in fresh["installments"]] == [0, 0]
	receive_payment(invoice.name, 300)
	assert paid(invoice.name) == [300, 0]


def test_payment_history_lists_refunds_as_negative_rows():
	invoice = thirds()
	payment = receive_payment(invoice.name, 1000)
	api.refund_payment(payment.name, 400)
	history = api.get_payment_history(invoice.name)
	assert [(row["kind"], row["amount"]) for row in history] == [("Payment", 1000), ("Refund", -400)]
	assert history[0]["refundable"] == 600


def test_a_plan_switched_off_program_keeps_cascading():
	invoice = thirds()
	enable_program(enabled=0)
	receive_payment(invoice.name, 1500)
	assert paid(invoice.name) == [1000, 500, 0]


def test_an_advance_allocated_on_the_invoice_is_not_plan_money_and_later_payments_are():
	customer_invoice = make_invoice(rate=3000)
	advance = unallocated_payment(customer_invoice, 500)
	customer_invoice.reload()
	customer_invoice.append(
		"advances",
		{
			"reference_type": "Payment Entry",
			"reference_name": advance.name,
			"advance_amount": 500,
			"allocated_amount": 500,
		},
	)
	customer_invoice.save()
	plan = api.save_plan(customer_invoice.name, template="50/50 Split")
	assert plan["target"] == 2500
	customer_invoice.reload()
	customer_invoice.submit()
	assert outstanding(customer_invoice.name) == 2500
	assert paid(customer_invoice.name) == [0, 0]
	receive_payment(customer_invoice.name, 1500)
	assert paid(customer_invoice.name) == [1250, 250]


def test_a_failure_in_our_handler_fails_the_payment_and_leaves_nothing_half_done(monkeypatch):
	from progress_billing.plans import store

	invoice = thirds()
	before = paid(invoice.name)

	def broken_write(rows, plan_state, precision):
		frappe.db.set_value("Progress Billing Installment", rows[0].name, "paid_amount", 999)
		raise RuntimeError("handler failed half way")

	monkeypatch.setattr(store, "_write_states", broken_write)
	frappe.db.savepoint("payment")
	with pytest.raises(RuntimeError):
		receive_payment(invoice.name, 1000)
	frappe.db.rollback(save_point="payment")  # what the request does with the failed submit
	monkeypatch.undo()
	assert paid(invoice.name) == before
	assert outstanding(invoice.name) == 3000
	assert not frappe.db.exists("Payment Entry Reference", {"reference_name": invoice.name, "docstatus": 1})
