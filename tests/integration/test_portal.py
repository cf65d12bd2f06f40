"""The plan on ERPNext's customer portal: /invoices and /invoices/<name>.

Most tests build the pages' contexts inside the rolled-back test transaction. The last
one drives the running web server over HTTP as two portal users; since that server is
another process, its data is committed and removed again by its fixture.
"""

import os
from unittest import mock

import pytest

frappe = pytest.importorskip("frappe", reason="frappe is not importable: run pytest with the bench's python")

from frappe.utils import add_days, formatdate, nowdate
from frappe.utils.password import update_password
from frappe.website.serve import get_response

from erpnext.accounts.doctype.payment_request.payment_request import PaymentRequest

from progress_billing import api, settings
from progress_billing.portal import access, invoice_list, invoice_page, payments, standing
from tests.integration.factories import (
	company,
	enable_program,
	ensure_customer,
	make_invoice,
	receive_payment,
)

CUSTOMER = "_PB Portal Customer"
OTHER_CUSTOMER = "_PB Portal Other Customer"
PORTAL_USER = "pb-portal-user@example.com"
BASE_URL = os.environ.get("PROGRESS_BILLING_URL", "http://127.0.0.1:8000").rstrip("/")


@pytest.fixture(autouse=True)
def program():
	enable_program(program_name="Payment Schedule", interval_name="Installment")


def thirds(rate=3000, posted=None, customer=CUSTOMER):
	"""A submitted invoice on the Thirds template: due on posting, +30 and +60 days."""
	posted = posted or nowdate()
	invoice = make_invoice(
		rate=rate, customer=ensure_customer(customer), posting_date=posted, due_date=posted
	)
	api.save_plan(invoice.name, template="Thirds")
	invoice.reload()
	invoice.submit()
	return invoice


def regular(rate=1000, customer=CUSTOMER, **values):
	return make_invoice(rate=rate, customer=ensure_customer(customer), submit=True, **values)


def page(invoice) -> dict:
	return invoice_page.invoice_context(frappe.get_doc("Sales Invoice", invoice.name))


@pytest.fixture
def portal_user():
	"""A portal user of CUSTOMER, inside the test's transaction; its cached roles go with it."""
	make_portal_user(PORTAL_USER, ensure_customer(CUSTOMER))
	yield PORTAL_USER
	frappe.clear_cache(user=PORTAL_USER)


def get_page(path: str, user: str = PORTAL_USER) -> tuple[int, str]:
	"""The page as the web server renders it for `user` (see the portal_user fixture)."""
	frappe.set_user(user)
	frappe.local.form_dict = frappe._dict()
	frappe.utils.set_request(method="GET", path=path)
	try:
		response = get_response()
	finally:
		frappe.set_user("Administrator")
	return response.status_code, frappe.safe_decode(response.get_data())


def render_page(invoice) -> str:
	status, html = get_page(f"/invoices/{invoice.name}")
	assert status == 200, html[-2000:]
	return html


def rows_for(*customers) -> list[dict]:
	invoices, _more = invoice_list.list_invoices(list(customers))
	return invoice_list.list_rows(invoices, words())


def words() -> dict:
	return settings.get_words()


def money(amount) -> str:
	return frappe.utils.fmt_money(amount, currency="USD")


def make_portal_user(email: str, customer: str):
	"""A Website User with the Customer role and a Contact linked to `customer`; ERPNext
	v15 grants the portal through the customer's Portal Users, so it is added there too."""
	if not frappe.db.exists("User", email):
		frappe.get_doc(
			{
				"doctype": "User",
				"email": email,
				"first_name": email.split("@")[0],
				"send_welcome_email": 0,
				"roles": [{"role": "Customer"}],
			}
		).insert(ignore_permissions=True)
	frappe.get_doc(
		{
			"doctype": "Contact",
			"first_name": email.split("@")[0],
			"email_ids": [{"email_id": email, "is_primary": 1}],
			"user": email,
			"links": [{"link_doctype": "Customer", "link_name": customer}],
		}
	).insert(ignore_permissions=True)
	doc = frappe.get_doc("Customer", customer)
	if not any(row.user == email for row in doc.portal_users):
		doc.append("portal_users", {"user": email})
		doc.save(ignore_permissions=True)


# The invoice list


def test_the_list_puts_outstanding_invoices_first():
	older_unpaid = regular(rate=700, posting_date=add_days(nowdate(), -5))
	on_plan = thirds()
	paid = regular(rate=400)
	receive_payment(paid.name, 400)
	names = [row["name"] for row in rows_for(CUSTOMER)]
	assert names.index(older_unpaid.name) < names.index(paid.name)
	assert names.index(on_plan.name) < names.index(paid.name)


def test_an_invoice_on_a_plan_shows_the_current_installments_remaining_amount_with_the_marker(portal_user):
	on_plan = thirds(rate=3000)
	receive_payment(on_plan.name, 400)
	other = regular(rate=900)
	rows = {row["name"]: row for row in rows_for(CUSTOMER)}

	row = rows[on_plan.name]
	assert row["on_plan"] and row["amount"] == 600  # the deposit's remaining part, not the 2,600 balance
	assert row["amount_display"] == money(600)
	assert row["caption"] == "Installment 1 of 3, due today"
	assert not rows[other.name]["on_plan"] and rows[other.name]["amount"] == 900

	status, html = get_page("/invoices")
	assert status == 200
	on_plan_html = _list_item(html, on_plan.name)
	assert '<span class="pb-marker">Payment Schedule</span>' in on_plan_html  # the program's own name
	assert money(600) in on_plan_html and money(2600) not in on_plan_html
	assert "pb-marker" not in _list_item(html, other.name) and money(900) in _list_item(html, other.name)


def _list_item(html: str, invoice_name: str) -> str:
	"""The markup of one invoice's row in the rendered list."""
	start = html.index(f'<span class="list-item-name font-weight-bold">{invoice_name}</span>')
	end = html.find('<a class="transaction-item-link"', start)
	return html[start:end]


def test_the_list_shows_only_the_customers_it_is_given_a_page_at_a_time():
	unpaid = regular(rate=100)
	paid = regular(rate=100)
	receive_payment(paid.name, 100)
	theirs = regular(rate=100, customer=OTHER_CUSTOMER)
	names = [row["name"] for row in rows_for(CUSTOMER)]
	assert unpaid.name in names and paid.name in names and theirs.name not in names
	assert invoice_list.list_invoices([]) == ([], False)

	first, more = invoice_list.list_invoices([CUSTOMER], 0, 1)
	assert [invoice.name for invoice in first] == [unpaid.name] and more
	pages = [invoice_list.list_invoices([CUSTOMER], start, 1) for start in range(1, len(names))]
	assert [invoice.name for page, _more in pages for invoice in page] == names[1:]
	assert not pages[-1][1]


# Where the plan stands, at the top of the invoice page


def hero(invoice) -> dict:
	return page(invoice)["hero"]


def test_upcoming_asks_for_the_next_installment():
	invoice = thirds()
	receive_payment(invoice.name, 1000)
	top = hero(invoice)
	due = formatdate(add_days(nowdate(), 30))
	assert (top["tone"], top["label"], top["amount"]) == ("upcoming", "Next Installment", 1000)
	assert top["message"] == f"Installment 2 of 3: Progress is due on {due}. Nothing is due before then."


def test_due_now_asks_for_the_installment_due_today():
	top = hero(thirds())
	assert (top["tone"], top["label"], top["amount"]) == ("due", "Due today", 1000)
	assert top["message"] == "Installment 1 of 3: Deposit is due today."


def test_past_due_asks_for_everything_due_before_today_in_red(portal_user):
	posted = add_days(nowdate(), -40)  # due 40 and 10 days ago, and in 20 days
	invoice = thirds(posted=posted)
	receive_payment(invoice.name, 300)
	top = hero(invoice)
	assert (top["tone"], top["label"], top["amount"]) == ("past-due", "Past due", 1700)
	assert top["message"].startswith(f"Installment 1 of 3: Deposit was due on {formatdate(posted)}.")
	assert "every Installment due before today" in top["message"]
	html = render_page(invoice)
	assert 'class="pb-hero pb-tone-past-due"' in html and money(1700) in html
	assert '<span class="indicator-pill red">' in html  # the invoice's own status pill too


def test_collected_says_every_installment_is_paid():
	invoice = thirds()
	receive_payment(invoice.name, 3000)
	context = page(invoice)
	assert (context["hero"]["tone"], context["hero"]["label"], context["hero"]["amount"]) == (
		"paid",
		"Paid in full",
		0,
	)
	assert (
		context["hero"]["message"] == "Every Installment of your Payment Schedule has been paid. Thank you."
	)
	assert context["pay"] is None


def test_collected_with_a_balance_after_a_refund_says_so():
	invoice = thirds()
	payment = receive_payment(invoice.name, 3000)
	api.refund_payment(payment.name, 500)
	top = hero(invoice)
	assert (top["tone"], top["label"], top["amount"]) == ("balance", "Balance due", 500)
	assert "a refund has left a balance" in top["message"]


def test_a_cancelled_plan_is_a_regular_bill_again():
	invoice = thirds()
	receive_payment(invoice.name, 1000)
	api.cancel_plan(invoice.name)
	top = hero(invoice)
	assert (top["tone"], top["amount"], top["on_plan"]) == ("regular", 2000, False)
	assert "was cancelled; it is a regular bill again" in top["message"]
	row = next(row for row in rows_for(CUSTOMER) if row["name"] == invoice.name)
	assert not row["on_plan"] and row["amount"] == 2000


def test_the_business_words_are_used_everywhere(portal_user):
	enable_program(program_name="Build Plan", interval_name="Draw")
	invoice = thirds()
	context = page(invoice)
	assert context["hero"]["message"] == "Draw 1 of 3: Deposit is due today."
	html = render_page(invoice)
	assert "Build Plan" in html and "<th>Draw</th>" in html
	row = next(row for row in rows_for(CUSTOMER) if row["name"] == invoice.name)
	assert row["caption"] == "Draw 1 of 3, due today"


def test_today_is_the_day_in_the_businesss_timezone():
	"""Due, past due and upcoming are judged by the date in System Settings' time zone."""
	invoice = thirds()  # the deposit is due today
	with mock.patch("frappe.utils.data.get_system_timezone", return_value="Pacific/Kiritimati"):
		east = standing.today()  # UTC+14
	with mock.patch("frappe.utils.data.get_system_timezone", return_value="Etc/GMT+12"):
		west = standing.today()  # UTC-12
	assert (east - west).days >= 1
	with mock.patch.object(standing, "nowdate", return_value=str(add_days(nowdate(), 1))):
		assert hero(invoice)["tone"] == "past-due"


# The plan, the items and the payments


def test_the_page_lists_the_plan_items_and_payments_with_refunds_as_negative_rows(portal_user):
	invoice = thirds()
	payment = receive_payment(invoice.name, 1300)
	plan = page(invoice)["plan"]
	assert [(row["idx"], row["label"]) for row in plan["rows"]] == [
		(1, "Deposit"),
		(2, "Progress"),
		(3, "Final"),
	]
	assert [(row["paid_display"], row["outstanding_display"], row["status"]) for row in plan["rows"]] == [
		(money(1000), money(0), "Paid"),
		(money(300), money(700), "Partly Paid"),
		(money(0), money(1000), "Unpaid"),
	]
	assert [row["current"] for row in plan["rows"]] == [False, True, False]

	api.refund_payment(payment.name, 200)
	context = page(invoice)

	assert [(row["kind"], row["name"], row["amount"]) for row in context["payments"]] == [
		("Payment", payment.name, 1300),
		("Refund", context["payments"][1]["name"], -200),
	]
	assert context["payments"][1]["description"] == f"Refund of {payment.name}"
	assert [item["item_name"] for item in context["line_items"]] == [invoice.items[0].item_name]

	html = render_page(invoice)
	assert 'class="pb-refund"' in html and money(-200) in html
	# In an attribute, & is written &amp; (the browser reads it back as &).
	assert f"/printview?doctype=Sales+Invoice&amp;name={invoice.name}" in html
	assert "frappe.utils.print_format.download_pdf" in html


# Paying online


@pytest.fixture
def no_bank_accounts():
	"""The company's own bank accounts, which a long-lived site may hold, are set aside
	inside the test's transaction."""
	frappe.db.set_value("Bank Account", {"company": company(), "is_company_account": 1}, "disabled", 1)


def test_without_a_gateway_pay_is_hidden_and_explained(portal_user, no_bank_accounts):
	invoice = thirds()
	pay = page(invoice)["pay"]
	assert not pay["available"]
	assert pay["explanation"]["title"] == "Online payment is not set up for this invoice."
	assert pay["explanation"]["message"] == f"Please pay {company()} the way you agreed with them."
	html = render_page(invoice)
	assert 'class="pb-pay-unavailable' in html and '<form class="pb-pay-form"' not in html


def company_bank_account(**values):
	if not frappe.db.exists("Bank", "_PB Test Bank"):
		frappe.get_doc({"doctype": "Bank", "bank_name": "_PB Test Bank", "swift_number": "PBTEDEFF"}).insert()
	return frappe.get_doc(
		{
			"doctype": "Bank Account",
			"account_name": "_PB Operating",
			"bank": "_PB Test Bank",
			"is_company_account": 1,
			"company": company(),
			**values,
		}
	).insert()


def test_without_a_gateway_the_companys_bank_details_say_how_to_pay(portal_user, no_bank_accounts):
	company_bank_account(is_default=1, iban="DE89370400440532013000", bank_account_no="0532013000")
	invoice = thirds()
	explanation = page(invoice)["pay"]["explanation"]
	assert explanation["message"] == (
		f"Pay {company()} by bank transfer, quoting {invoice.name} as the reference:"
	)
	assert [(line["label"], line["value"]) for line in explanation["bank_details"]] == [
		("Bank", "_PB Test Bank"),
		("Account Name", "_PB Operating"),
		("IBAN", "DE89370400440532013000"),
		("Account Number", "0532013000"),
		("SWIFT", "PBTEDEFF"),
	]
	html = render_page(invoice)
	assert "DE89370400440532013000" in html and "PBTEDEFF" in html


def test_several_bank_accounts_and_no_default_show_none_of_them(portal_user, no_bank_accounts):
	company_bank_account(iban="DE89370400440532013000")
	frappe.get_doc(
		{
			"doctype": "Bank Account",
			"account_name": "_PB Savings",
			"bank": "_PB Test Bank",
			"is_company_account": 1,
			"company": company(),
		}
	).insert()
	assert page(thirds())["pay"]["explanation"]["bank_details"] == []


def test_without_a_gateway_or_a_bank_account_the_invoices_terms_say_how_to_pay(portal_user, no_bank_accounts):
	invoice = thirds()
	frappe.db.set_value("Sales Invoice", invoice.name, "terms", "<p>Cheques payable to Greenway Ltd.</p>")
	invoice.reload()
	explanation = page(invoice)["pay"]["explanation"]
	assert explanation["message"] == f"Please pay {company()} as the terms of this invoice say:"
	assert explanation["terms"] == "Cheques payable to Greenway Ltd."
	html = render_page(invoice)
	assert html.count("Cheques payable to Greenway Ltd.") == 1  # in the pay box, not twice


@pytest.fixture
def gateway():
	"""A Payment Gateway Account for USD; the payments app that owns gateways is faked."""
	bank = frappe.get_all(
		"Account", {"account_type": "Bank", "company": company(), "is_group": 0}, pluck="name"
	)
	frappe.get_doc(
		{
			"doctype": "Payment Gateway Account",
			"name": "_PB Portal Gateway - USD",
			"payment_gateway": "_PB Portal Gateway",
			"payment_account": bank[0],
			"currency": "USD",
			"is_default": 1,
		}
	).db_insert()
	with (
		mock.patch.object(payments, "payments_app_installed", return_value=True),
		mock.patch.object(PaymentRequest, "get_payment_url", return_value="https://gateway.test/pay"),
	):
		yield


def test_with_a_gateway_pay_offers_what_is_due_now(portal_user, gateway):
	invoice = thirds()
	receive_payment(invoice.name, 250)
	pay = page(invoice)["pay"]
	assert pay["available"] and pay["explanation"] is None
	assert (pay["value"], pay["max"]) == ("750.00", "2750.00")
	html = render_page(invoice)
	assert '<form class="pb-pay-form"' in html and 'value="750.00"' in html


def test_pay_makes_an_erpnext_payment_request_and_the_money_lands_on_the_oldest_installment(
	portal_user, gateway
):
	invoice = thirds()
	frappe.set_user(portal_user)
	result = payments.start_payment(invoice.name, 1200)
	frappe.set_user("Administrator")
	assert result["payment_url"] == "https://gateway.test/pay"
	request = frappe.get_doc("Payment Request", result["payment_request"])
	assert (request.docstatus, request.reference_name, request.grand_total) == (1, invoice.name, 1200)

	request.set_as_paid()  # what the gateway's confirmation does
	plan = api.get_plan(invoice.name)
	assert [row["paid_amount"] for row in plan["installments"]] == [1000, 200, 0]


def test_pay_refuses_more_than_the_balance_and_other_customers_invoices(portal_user, gateway):
	invoice = thirds()
	theirs = thirds(customer=OTHER_CUSTOMER)
	frappe.set_user(portal_user)
	with pytest.raises(frappe.ValidationError):
		payments.start_payment(invoice.name, 3000.01)
	with pytest.raises(frappe.PermissionError):
		payments.start_payment(theirs.name, 100)


# Who sees what


def test_a_portal_user_sees_only_their_customers_invoices(portal_user):
	mine = thirds()
	theirs = thirds(customer=OTHER_CUSTOMER)
	frappe.set_user(portal_user)
	assert access.portal_customers() == [CUSTOMER]
	assert access.get_invoice(mine.name).name == mine.name
	with pytest.raises(frappe.PermissionError):
		access.get_invoice(theirs.name)
	with pytest.raises(frappe.PageDoesNotExistError):
		access.get_invoice("NO-SUCH-INVOICE")
	frappe.set_user("Guest")
	with pytest.raises(frappe.PermissionError):
		access.get_invoice(mine.name)

	assert get_page(f"/invoices/{mine.name}")[0] == 200
	status, html = get_page(f"/invoices/{theirs.name}")
	assert status == 403 and "pb-hero" not in html
	status, html = get_page("/invoices")
	assert mine.name in html and theirs.name not in html


# Over HTTP, against the running server


def server_reason() -> str | None:
	"""Why the HTTP tests cannot reach the site at BASE_URL, or None when a Frappe site answers."""
	import requests

	try:
		response = requests.get(f"{BASE_URL}/api/method/ping", timeout=5)
		response.raise_for_status()
		if response.json().get("message") != "pong":
			return f"the server at {BASE_URL} is not a Frappe site"
	except (requests.RequestException, ValueError) as error:
		return f"no web server for the site at {BASE_URL} (set PROGRESS_BILLING_URL): {error}"
	return None


@pytest.fixture(scope="module")
def two_portal_customers(site):
	"""Two customers, each with a portal user and a submitted invoice on a plan:
	committed, since the web server reads them, and removed again afterwards."""
	reason = server_reason()
	if reason and os.environ.get("CI"):
		# .ci/run serves the site wherever it finds a bench: in CI this skip would hide a failure.
		pytest.fail(f"CI must run the HTTP tests: {reason}")
	if reason:
		pytest.skip(reason)
	frappe.set_user("Administrator")
	was_enabled = frappe.db.get_single_value("Progress Billing Settings", "enabled")
	people = {}
	try:
		enable_program()  # plans are made only while the program is on; the switch is put back
		for key in ("a", "b"):
			email = f"pb-portal-http-{key}@example.com"
			customer = ensure_customer(f"_PB Portal HTTP Customer {key.upper()}")
			make_portal_user(email, customer)
			password = frappe.generate_hash(length=16)
			update_password(email, password)
			invoice = thirds(customer=customer)
			people[key] = frappe._dict(
				email=email, password=password, customer=customer, invoice=invoice.name
			)
		enable_program(enabled=was_enabled)
	except Exception:
		frappe.db.rollback()  # nothing was committed yet
		raise
	frappe.db.commit()
	try:
		yield people
	finally:
		_remove_portal_data(people)


def _remove_portal_data(people):
	frappe.db.rollback()
	frappe.set_user("Administrator")
	for person in people.values():
		invoice = frappe.get_doc("Sales Invoice", person.invoice)
		if invoice.docstatus == 1:
			invoice.cancel()
		for contact in frappe.get_all("Contact", {"user": person.email}, pluck="name"):
			frappe.delete_doc("Contact", contact, ignore_permissions=True, force=True)
		customer = frappe.get_doc("Customer", person.customer)
		customer.portal_users = [row for row in customer.portal_users if row.user != person.email]
		customer.save(ignore_permissions=True)
		frappe.delete_doc("User", person.email, ignore_permissions=True, force=True)
	frappe.db.commit()


def login(person):
	import requests

	session = requests.Session()
	response = session.post(
		f"{BASE_URL}/api/method/login", data={"usr": person.email, "pwd": person.password}, timeout=30
	)
	assert response.status_code == 200, response.text[:300]
	return session


def test_over_http_each_portal_user_sees_only_their_own_invoices(two_portal_customers):
	import requests

	a, b = two_portal_customers["a"], two_portal_customers["b"]
	for me, other in ((a, b), (b, a)):
		session = login(me)

		listing = session.get(f"{BASE_URL}/invoices", timeout=60)
		assert listing.status_code == 200
		assert me.invoice in listing.text and other.invoice not in listing.text
		assert 'class="pb-marker"' in listing.text

		own = session.get(f"{BASE_URL}/invoices/{me.invoice}", timeout=60)
		assert own.status_code == 200 and "pb-hero" in own.text and "Payment Schedule" in own.text

		foreign = session.get(f"{BASE_URL}/invoices/{other.invoice}", timeout=60)
		assert foreign.status_code == 403 and "pb-hero" not in foreign.text

		mine = session.get(
			f"{BASE_URL}/api/method/progress_billing.api.get_plan",
			params={"sales_invoice": me.invoice},
			timeout=60,
		)
		assert mine.status_code == 200, mine.text[:300]
		assert mine.json()["message"]["sales_invoice"] == me.invoice
		assert mine.json()["message"]["installments"]

		plan = session.get(
			f"{BASE_URL}/api/method/progress_billing.api.get_plan",
			params={"sales_invoice": other.invoice},
			timeout=60,
		)
		assert plan.status_code == 403 and plan.json().get("exc_type") == "PermissionError"
		assert "installments" not in plan.text

	guest = requests.get(f"{BASE_URL}/invoices/{a.invoice}", timeout=60)
	assert guest.status_code == 403 and "pb-hero" not in guest.text


def test_the_invoice_page_offers_its_pdf_in_plain_sight(portal_user):
	invoice = thirds()
	status, html = get_page(f"/invoices/{invoice.name}")
	assert status == 200
	links = html[html.index('class="pb-doc-links"') :]
	assert 'class="btn btn-sm btn-secondary pb-pdf-link"' in links[:600]
	assert "frappe.utils.print_format.download_pdf" in links[:600] and "Download PDF" in links[:600]
