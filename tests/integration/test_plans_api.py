import pytest

frappe = pytest.importorskip("frappe", reason="frappe is not importable: run pytest with the bench's python")

from frappe.utils import add_days, getdate, nowdate

from progress_billing import api
from tests.integration.factories import (
	OFFICE_USER,
	TECH_USER,
	company,
	enable_program,
	ensure_customer,
	ensure_department,
	ensure_users,
	make_invoice,
	receive_payment,
)


@pytest.fixture(autouse=True)
def program():
	enable_program()


def amounts(plan):
	return [row["amount"] for row in plan["installments"]]


def test_a_template_fills_the_plan_on_a_draft_invoice():
	invoice = make_invoice(rate=3000)
	plan = api.save_plan(invoice.name, template="Thirds")
	assert plan["status"] == "Active"
	assert plan["template"] == "Thirds"
	assert plan["mode"] == "Percentage"
	assert plan["target"] == 3000
	assert plan["current"] == 1
	assert amounts(plan) == [1000, 1000, 1000]
	assert [row["label"] for row in plan["installments"]] == ["Deposit", "Progress", "Final"]
	assert [row["idx"] for row in plan["installments"]] == [1, 2, 3]
	today = getdate(nowdate())
	assert [row["due_date"] for row in plan["installments"]] == [
		today,
		add_days(today, 30),
		add_days(today, 60),
	]
	assert api.get_plan(invoice.name) == plan


def test_thirds_of_a_thousand_put_the_cent_on_the_first_row():
	invoice = make_invoice(rate=1000)
	assert amounts(api.save_plan(invoice.name, template="Thirds")) == [333.34, 333.33, 333.33]


def test_rows_by_percentage_with_dates():
	invoice = make_invoice(rate=2000)
	due = add_days(nowdate(), 10)
	plan = api.save_plan(
		invoice.name,
		installments=[
			{"label": "Deposit", "percentage": 25, "due_date": due},
			{"label": "Rough-in", "percentage": 25},
			{"label": "Final", "percentage": 50},
		],
	)
	assert amounts(plan) == [500, 500, 1000]
	assert plan["installments"][1]["due_date"] == getdate(add_days(due, 30))


def test_rows_by_amount_with_only_the_deposit_typed():
	invoice = make_invoice(rate=3000)
	plan = api.save_plan(
		invoice.name,
		mode="Amount",
		installments=[{"label": "Deposit", "amount": 1000}, {"label": "Draw"}, {"label": "Final"}],
	)
	assert amounts(plan) == [1000, 1000, 1000]
	assert plan["mode"] == "Amount"


def test_the_plan_works_on_a_submitted_invoice():
	invoice = make_invoice(rate=1500, submit=True)
	plan = api.save_plan(invoice.name, template="60/40 Deposit")
	assert amounts(plan) == [900, 600]


@pytest.mark.parametrize(
	"installments, message",
	[
		([{"label": "All", "percentage": 100}], "between 2 and 12 rows"),
		([{"label": "A", "percentage": 50}, {"label": "", "percentage": 50}], "Row 2: a label is required"),
		([{"label": "A", "percentage": 50}, {"label": "B", "percentage": 40}], "must total exactly 100%"),
		([{"label": "A", "percentage": 100}, {"label": "B", "percentage": 0}], "Row 2: the percentage"),
		(
			[{"label": "A", "percentage": 50, "due_in_days": -1}, {"label": "B", "percentage": 50}],
			"Row 1: the due date .* is in the past",
		),
		(
			[
				{"label": "A", "percentage": 50, "due_in_days": 20},
				{"label": "B", "percentage": 50, "due_in_days": 10},
			],
			"Row 2: the due date .* is before",
		),
	],
)
def test_each_refusal_is_clear_and_writes_nothing(installments, message):
	for row in installments:
		if "due_in_days" in row:
			row["due_date"] = add_days(nowdate(), row.pop("due_in_days"))
	invoice = make_invoice(rate=1000)
	with pytest.raises(frappe.ValidationError, match=message):
		api.save_plan(invoice.name, installments=installments)
	assert api.get_plan(invoice.name)["status"] is None
	assert not frappe.db.exists("Progress Billing Installment", {"sales_invoice": invoice.name})


def test_a_refusal_keeps_the_plan_that_was_there():
	invoice = make_invoice(rate=1000)
	before = api.save_plan(invoice.name, template="50/50 Split")
	with pytest.raises(frappe.ValidationError):
		api.save_plan(invoice.name, installments=[{"label": "A", "percentage": 100}])
	assert api.get_plan(invoice.name) == before


def test_an_amount_mode_plan_off_the_target_is_refused():
	invoice = make_invoice(rate=1000)
	with pytest.raises(frappe.ValidationError, match="must total exactly 1,000"):
		api.save_plan(
			invoice.name,
			mode="Amount",
			installments=[{"label": "A", "amount": 400}, {"label": "B", "amount": 400}],
		)


def test_an_unknown_template_is_refused():
	invoice = make_invoice(rate=1000)
	with pytest.raises(frappe.ValidationError, match="does not exist"):
		api.save_plan(invoice.name, template="No Such Template")


def test_a_plan_can_be_removed_and_replaced_before_money_lands():
	invoice = make_invoice(rate=1000)
	api.save_plan(invoice.name, template="Thirds")
	assert api.remove_plan(invoice.name)["status"] is None
	assert amounts(api.save_plan(invoice.name, template="50/50 Split")) == [500, 500]


def test_money_on_the_plan_locks_it():
	invoice = make_invoice(rate=1000, submit=True)
	api.save_plan(invoice.name, template="50/50 Split")
	receive_payment(invoice.name, 100)
	with pytest.raises(frappe.ValidationError, match="can no longer be changed"):
		api.save_plan(invoice.name, template="Thirds")
	with pytest.raises(frappe.ValidationError, match="can no longer be changed"):
		api.remove_plan(invoice.name)


def test_switched_off_new_plans_are_refused():
	invoice = make_invoice(rate=1000)
	enable_program(enabled=0)
	with pytest.raises(frappe.ValidationError, match="switched off"):
		api.save_plan(invoice.name, template="Thirds")


def test_a_draft_total_change_resplits_the_plan():
	invoice = make_invoice(rate=3000)
	api.save_plan(invoice.name, template="Thirds")
	invoice.reload()
	invoice.items[0].rate = 1500
	invoice.save()
	assert amounts(api.get_plan(invoice.name)) == [500, 500, 500]
	assert api.get_plan(invoice.name)["target"] == 1500


def test_a_new_invoice_in_an_enabled_department_gets_the_default_plan():
	enable_program(default_template="60/40 Deposit")
	invoice = make_invoice(rate=1000, department=ensure_department())
	plan = api.get_plan(invoice.name)
	assert plan["template"] == "60/40 Deposit"
	assert amounts(plan) == [600, 400]


def test_departments_without_the_program_get_no_plan():
	enable_program(default_template="60/40 Deposit")
	invoice = make_invoice(rate=1000, department=ensure_department("_PB Retail", enabled=0))
	assert api.get_plan(invoice.name)["status"] is None


def test_no_default_plan_while_the_program_is_off():
	enable_program(enabled=0, default_template="60/40 Deposit")
	invoice = make_invoice(rate=1000, department=ensure_department())
	assert api.get_plan(invoice.name)["status"] is None


def test_no_default_plan_for_a_user_who_switched_the_program_off():
	ensure_users()
	enable_program(default_template="60/40 Deposit")
	department = ensure_department()
	frappe.db.set_value("User", OFFICE_USER, "pb_enabled", 0)
	frappe.set_user(OFFICE_USER)
	invoice = make_invoice(rate=1000, department=department)
	assert api.get_plan(invoice.name)["status"] is None


def test_office_users_may_always_configure():
	ensure_users()
	invoice = make_invoice(rate=1000)
	frappe.set_user(OFFICE_USER)
	assert api.save_plan(invoice.name, template="Thirds")["status"] == "Active"


def test_a_technician_may_not_configure_without_the_override():
	ensure_users()
	invoice = make_invoice(rate=1000)
	frappe.set_user(TECH_USER)
	with pytest.raises(frappe.PermissionError):
		api.save_plan(invoice.name, template="Thirds")
	frappe.set_user("Administrator")
	assert api.get_plan(invoice.name)["status"] is None


def test_a_technician_may_configure_with_the_override():
	ensure_users()
	enable_program(allow_tech_override=1)
	invoice = make_invoice(rate=1000)
	frappe.set_user(TECH_USER)
	assert api.save_plan(invoice.name, template="Thirds")["status"] == "Active"


def test_a_technician_with_the_program_switched_off_may_not_even_with_the_override():
	ensure_users()
	enable_program(allow_tech_override=1)
	frappe.db.set_value("User", TECH_USER, "pb_enabled", 0)
	invoice = make_invoice(rate=1000)
	frappe.set_user(TECH_USER)
	with pytest.raises(frappe.PermissionError):
		api.save_plan(invoice.name, template="Thirds")


def test_a_user_without_access_to_the_invoice_cannot_read_its_plan():
	invoice = make_invoice(rate=1000)
	api.save_plan(invoice.name, template="Thirds")
	frappe.set_user("Guest")
	with pytest.raises(frappe.PermissionError):
		api.get_plan(invoice.name)


def test_a_drafts_new_customer_reaches_its_installments():
	invoice = make_invoice(rate=1000)
	api.save_plan(invoice.name, template="Thirds")
	other = ensure_customer("_PB Other Customer")
	invoice.reload()
	invoice.customer = other
	invoice.save()
	customers = frappe.get_all(
		"Progress Billing Installment", {"sales_invoice": invoice.name}, pluck="customer"
	)
	assert set(customers) == {other}


def test_the_printed_invoice_carries_the_plan_in_the_businesss_words():
	enable_program(program_name="Build Plan", interval_name="Draw")
	invoice = make_invoice(rate=3000)
	api.save_plan(invoice.name, template="Thirds")
	html = frappe.get_print("Sales Invoice", invoice.name)
	assert "Build Plan" in html
	assert ">Draw<" in html
	assert "Deposit" in html and "Progress" in html and "Final" in html
	assert "(2 of 3)" in html


def test_an_invoice_without_a_plan_prints_none():
	invoice = make_invoice(rate=3000)
	assert "pb-print-plan" not in frappe.get_print("Sales Invoice", invoice.name)


def test_percentages_from_a_javascript_client_are_rounded_as_a_percent_field_is():
	"""JSON.stringify([100/3, ...]) sends 33.333333333333336 for each third."""
	import json

	invoice = make_invoice(rate=3000)
	rows = [{"label": label, "percentage": 100 / 3} for label in ("Deposit", "Progress", "Final")]
	plan = api.save_plan(invoice.name, installments=json.dumps(rows))
	assert [row["amount"] for row in plan["installments"]] == [1000, 1000, 1000]
	assert [row["percentage"] for row in plan["installments"]] == [33.333334, 33.333333, 33.333333]


def test_percentages_that_do_not_add_up_are_still_refused():
	invoice = make_invoice(rate=3000)
	rows = [{"label": label, "percentage": 33.33} for label in ("Deposit", "Progress", "Final")]
	with pytest.raises(frappe.ValidationError, match=r"add up to 99\.99"):
		api.save_plan(invoice.name, installments=rows)
	assert api.get_plan(invoice.name)["installments"] == []


def test_the_configure_dialog_opens_on_the_default_template_without_a_department_tick():
	enable_program(default_template="Thirds")
	invoice = make_invoice(rate=3000)  # no department: no plan is attached
	context = api.get_invoice_context(invoice.name)
	assert context["plan"]["installments"] == []
	assert context["default_template"] == "Thirds"


def test_the_settings_say_where_the_department_tick_is():
	field = frappe.get_meta("Progress Billing Settings").get_field("default_template")
	assert "Progress Billing" in field.description and "/app/department" in field.description


def test_by_amount_a_typed_deposit_leaves_the_rest_to_the_rows_not_typed():
	"""The help article's case: a flat 1,000 deposit, the system computes the rest."""
	invoice = make_invoice(rate=8000)
	api.save_plan(invoice.name, template="Thirds")
	plan = api.save_plan(
		invoice.name,
		mode="Amount",
		template="Thirds",
		installments=[
			{"label": "Deposit", "amount": 1000},
			{"label": "Progress", "amount": None},
			{"label": "Final", "amount": None},
		],
	)
	assert amounts(plan) == [1000, 3500, 3500]
	assert [row["percentage"] for row in plan["installments"]] == [12.5, 43.75, 43.75]
	assert plan["template"] is None  # split by amount: no longer "Thirds"


def test_rows_changed_after_picking_a_template_no_longer_carry_its_name():
	invoice = make_invoice(rate=3000)
	thirds = api.save_plan(invoice.name, template="Thirds")["installments"]
	rows = [{"label": row["label"], "percentage": row["percentage"]} for row in thirds]
	assert api.save_plan(invoice.name, template="Thirds", installments=rows)["template"] == "Thirds"
	rows[0]["label"] = "Down payment"
	assert api.save_plan(invoice.name, template="Thirds", installments=rows)["template"] is None
	assert frappe.db.get_value("Sales Invoice", invoice.name, "pb_template") is None


def test_an_invoice_paid_at_the_counter_takes_no_plan_and_submits_with_its_change():
	"""POS: ERPNext gives it no Payment Schedule, its payments are in the invoice itself."""
	from progress_billing.demo.job import mode_of_payment

	enable_program(default_template="60/40 Deposit")
	invoice = make_invoice(
		rate=100,
		department=ensure_department(),
		is_pos=1,
		payments=[{"mode_of_payment": mode_of_payment(company()), "amount": 110}],
	)
	assert api.get_plan(invoice.name)["status"] is None
	with pytest.raises(frappe.ValidationError, match="POS"):
		api.save_plan(sales_invoice=invoice.name, template="60/40 Deposit")
	invoice.submit()
	assert invoice.change_amount == 10 and invoice.outstanding_amount == 0
