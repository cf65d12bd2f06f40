"""Every whitelisted method, given bad arguments, answers with a clear error and writes
nothing: generated arguments (hypothesis) thrown at each method on a real site."""

import datetime
import math
from decimal import Decimal

import pytest

frappe = pytest.importorskip("frappe", reason="frappe is not importable: run pytest with the bench's python")

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from progress_billing import api
from progress_billing.portal import payments as portal_payments
from progress_billing.views import dashboard
from tests.integration.factories import enable_program, make_invoice

CLEAR_ERRORS = (frappe.ValidationError, frappe.PermissionError, frappe.DoesNotExistError)
EXAMPLES = settings(
	max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

# Values that are never a document name, a number or a plan's rows.
junk = st.one_of(
	st.none(),
	st.booleans(),
	st.lists(st.integers(), max_size=3),
	st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
	st.floats(allow_nan=True, allow_infinity=True).filter(lambda x: not math.isfinite(x)),
)
no_such_name = st.text(min_size=1, max_size=20).map(lambda text: "_PB no such " + text)
bad_names = st.one_of(junk, no_such_name, st.just(""), st.integers())
bad_numbers = st.one_of(
	junk,
	st.sampled_from(["not a number", "NaN", "nan", "Infinity", "-Infinity", "1e400", "1e20", "", "1,000"]),
	st.text(alphabet="abcxyz!@# ", min_size=1, max_size=8),
	st.integers(max_value=0),
	st.integers(min_value=10**13),
)
bad_rows = st.one_of(
	st.sampled_from(
		["not json", "{", "[1, 2]", '{"label": "x"}', "[[]]", "NaN", '[{"label": "A", "percentage": NaN}]']
	),
	st.lists(st.integers(), min_size=1, max_size=3),
	st.lists(
		st.fixed_dictionaries(
			{"label": st.one_of(st.text(max_size=5), st.none()), "percentage": bad_numbers}
		),
		min_size=1,
		max_size=13,
	),
	st.dictionaries(st.text(max_size=4), st.integers(), min_size=1, max_size=2),
)
bad_texts = st.one_of(
	st.lists(st.text(max_size=3), min_size=1, max_size=2),
	st.dictionaries(st.text(max_size=3), st.text(max_size=3), min_size=1, max_size=2),
	no_such_name,
)


@pytest.fixture
def planned():
	enable_program()
	invoice = make_invoice(rate=3000, submit=True)
	api.save_plan(invoice.name, template="Thirds")
	return invoice.name


def snapshot(invoice_name: str) -> tuple:
	"""What any of these methods could have written."""
	return (
		frappe.db.count("Payment Entry"),
		frappe.db.count("Journal Entry"),
		frappe.db.count("Payment Request"),
		frappe.db.count("Communication"),
		frappe.get_all(
			"Progress Billing Installment",
			{"sales_invoice": invoice_name},
			["label", "amount", "due_date", "paid_amount", "status"],
			order_by="stage_no",
		),
		frappe.db.get_value(
			"Sales Invoice",
			invoice_name,
			["pb_plan_status", "pb_template", "pb_mode", "pb_plan_target", "outstanding_amount", "due_date"],
		),
	)


def refused(call) -> str:
	"""Runs `call`; it must raise one of the clear errors, with a message."""
	frappe.clear_messages()
	with pytest.raises(CLEAR_ERRORS) as error:
		call()
	message = str(error.value) or " ".join(str(m) for m in frappe.get_message_log())
	frappe.clear_messages()
	frappe.local.response = frappe._dict()
	assert message.strip(), f"{type(error.value).__name__} without a message"
	assert "Traceback" not in message
	return message


def check(planned, call):
	before = snapshot(planned)
	message = refused(call)
	assert snapshot(planned) == before, message


@EXAMPLES
@given(name=bad_names)
def test_methods_taking_an_invoice_refuse_a_bad_invoice_name(planned, name):
	for method in (
		api.get_plan,
		api.remove_plan,
		api.cancel_plan,
		api.get_payment_history,
		api.get_invoice_context,
	):
		check(planned, lambda method=method: method(name))
	check(planned, lambda: api.save_plan(name, template="Thirds"))
	check(planned, lambda: api.accept_payment(name, 100, mode_of_payment="Cash"))
	check(planned, lambda: api.preview_payment(name, 100))
	check(planned, lambda: api.get_payment_mode(name, "Cash"))
	check(planned, lambda: api.reschedule_plan(name, [{"idx": 2, "label": "Later"}]))
	check(planned, lambda: portal_payments.start_payment(name, 100))


@EXAMPLES
@given(rows=bad_rows)
def test_save_plan_and_reschedule_refuse_bad_rows(planned, rows):
	check(planned, lambda: api.save_plan(planned, installments=rows))
	check(planned, lambda: api.reschedule_plan(planned, rows))


@EXAMPLES
@given(
	idx=st.one_of(junk, st.text(max_size=3), st.integers().filter(lambda n: not 1 <= n <= 3)),
	due_date=st.one_of(st.integers(), st.sampled_from(["tomorrow", "2026-02-30", "1999-01-01", ""])),
)
def test_reschedule_refuses_a_bad_row_or_date(planned, idx, due_date):
	check(planned, lambda: api.reschedule_plan(planned, [{"idx": idx, "label": "Later"}]))
	check(planned, lambda: api.reschedule_plan(planned, [{"idx": 2, "due_date": due_date}]))


@EXAMPLES
@given(
	mode=st.one_of(junk, st.text(max_size=10)).filter(lambda m: m not in ("Percentage", "Amount", "", None))
)
def test_save_plan_refuses_an_unknown_mode(planned, mode):
	"""(A blank mode means the default, by percentage.)"""
	check(planned, lambda: api.save_plan(planned, template="Thirds", mode=mode))


@EXAMPLES
@given(template=bad_texts)
def test_save_plan_refuses_an_unknown_template(planned, template):
	check(planned, lambda: api.save_plan(planned, template=template))


@EXAMPLES
@given(target=bad_numbers.filter(lambda value: value not in (None, "")))
def test_save_plan_refuses_a_bad_target(planned, target):
	check(planned, lambda: api.save_plan(planned, template="Thirds", target=target))


@EXAMPLES
@given(amount=bad_numbers)
def test_payments_refuse_a_bad_amount(planned, amount):
	check(planned, lambda: api.accept_payment(planned, amount, mode_of_payment="Cash"))
	before = snapshot(planned)
	frappe.clear_messages()
	try:
		preview = api.preview_payment(planned, amount)
	except CLEAR_ERRORS:
		preview = None
	else:  # the dialog's preview answers a refusal as text, to show in its banner
		assert preview["allowed"] is False and preview["warnings"][0].strip()
	assert snapshot(planned) == before


@EXAMPLES
@given(
	mode=bad_texts,
	reference_date=st.one_of(st.sampled_from(["yesterday", "2026-13-45", "31-12-2026"]), st.integers()),
)
def test_accept_payment_refuses_a_bad_mode_or_date(planned, mode, reference_date):
	check(planned, lambda: api.accept_payment(planned, 100, mode_of_payment=mode))
	check(
		planned,
		lambda: api.accept_payment(planned, 100, mode_of_payment="Cash", reference_date=reference_date),
	)


@pytest.fixture
def taken(planned):
	"""A payment of 1,000 on the planned invoice, refundable (shared by a test's examples)."""
	return api.accept_payment(planned, 1000, mode_of_payment="Cash")["payment_entry"]


@EXAMPLES
@given(payment=bad_names, amount=bad_numbers, flag=st.sampled_from(["yes", 2, -1, "maybe", [1]]))
def test_refund_payment_refuses_bad_arguments(planned, taken, payment, amount, flag):
	check(planned, lambda: api.refund_payment(payment, 100))
	check(planned, lambda: api.refund_payment(taken, amount))
	check(planned, lambda: api.refund_payment(taken, 100, cancel_remaining_plan=flag))


@EXAMPLES
@given(project=bad_names)
def test_the_project_timeline_refuses_a_bad_project(planned, project):
	check(planned, lambda: api.get_project_timeline(project))


@EXAMPLES
@given(
	filters=st.one_of(
		st.sampled_from(
			["not json", "{", "[1]", '"text"', '{"company": 5}', '{"company": "_PB No Such Co"}']
		),
		st.lists(st.integers(), min_size=1, max_size=2),
	)
)
def test_the_number_cards_refuse_bad_filters(planned, filters):
	check(planned, lambda: dashboard.get_outstanding_total(filters))
	check(planned, lambda: dashboard.get_past_due_total(filters))


# Well-formed values of every type a Python caller may pass (a server script, another app, a
# scheduled job), as ERPNext's own APIs take them: accepted, and the plan is the same.
def as_python_types(share: int, due: datetime.date):
	return st.tuples(
		st.sampled_from([share, float(share), Decimal(share), str(share), f"{share}.000"]),
		st.sampled_from(
			[
				due,
				datetime.datetime.combine(due, datetime.time(9, 30)),
				due.isoformat(),
				frappe.utils.getdate(due),
			]
		),
	)


@EXAMPLES
@given(data=st.data())
def test_well_formed_values_of_every_python_type_are_accepted(data):
	enable_program()
	invoice = make_invoice(rate=3000)
	today = datetime.date.today()
	first = data.draw(as_python_types(40, today))
	second = data.draw(as_python_types(60, today + datetime.timedelta(days=30)))
	target = data.draw(st.sampled_from([None, 3000, 3000.0, "3000", Decimal("3000.00")]))
	plan = api.save_plan(
		invoice.name,
		installments=[
			{"label": "Deposit", "percentage": first[0], "due_date": first[1]},
			{"label": "Final", "percentage": second[0], "due_date": second[1]},
		],
		target=target,
	)
	assert [(row["amount"], row["due_date"]) for row in plan["installments"]] == [
		(1200, today),
		(1800, today + datetime.timedelta(days=30)),
	]
