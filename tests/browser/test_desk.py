"""The plan in a browser: requests per form refresh, text a person typed shown as text on
every page that shows it, and the Configure dialog's manners.

The browser reads only committed data: the module's fixture commits an invoice, an order
and a quotation on plans (and a portal user), and takes them back at the end.
"""

import pytest

frappe = pytest.importorskip("frappe", reason="frappe is not importable: run pytest with the bench's python")

from frappe.utils import nowdate
from frappe.utils.password import update_password

from progress_billing import api, plans
from progress_billing.plans import owners
from tests.integration.factories import enable_program, ensure_customer, make_invoice, make_sales_order
from tests.integration.test_order_plans import make_quotation
from tests.integration.test_portal import make_portal_user

pytestmark = pytest.mark.commits

# Markup where a person's text goes: it must show as text, and never run.
LABEL = "<img src=x onerror=window.__pb_xss=1>"
PROGRAM_NAME = "Draws <img src=x onerror=window.__pb_xss=2>"
INTERVAL_NAME = "Stage <img src=x onerror=window.__pb_xss=3>"
CUSTOMER = "_PB Browser Customer"
PORTAL_USER = "pb-browser-portal@example.com"
SETTINGS = "Progress Billing Settings"


@pytest.fixture(scope="module")
def job(site, browser):
	"""Committed, since the web server reads them: a submitted invoice, a submitted order and
	a quotation, each on a plan whose first label is markup; a second draft invoice on a
	plan; the program's words with markup; a portal user of the customer. When the module
	ends the drafts and the portal user are removed, the submitted documents cancelled (as
	test_portal.py does), the labels and the settings put back."""
	frappe.set_user("Administrator")
	words = {
		field: frappe.db.get_single_value(SETTINGS, field)
		for field in ("enabled", "program_name", "interval_name")
	}
	made = frappe._dict(password=frappe.generate_hash(length=16), documents=[])
	try:
		enable_program()
		customer = ensure_customer(CUSTOMER)
		invoice = make_invoice(rate=3000, customer=customer, due_date=nowdate())
		api.save_plan(invoice.name, template="Thirds")
		invoice.reload()
		invoice.submit()
		draft = make_invoice(rate=12480, customer=customer)
		api.save_plan(draft.name, template="Thirds")
		order = make_sales_order(rate=3000, customer=customer)
		api.save_plan(doctype="Sales Order", name=order.name, template="Thirds")
		order.reload()
		order.submit()
		quotation = make_quotation(rate=3000, submit=False, customer=customer)
		made.documents = [invoice, draft, order, quotation]
		for doc in made.documents:
			first = owners.get_rows(doc.name, doc.doctype)[0]
			# Written past the API (which refuses markup), as text stored before it did.
			frappe.db.set_value(plans.INSTALLMENT, first.name, "label", LABEL, update_modified=False)
		frappe.db.set_single_value(SETTINGS, "program_name", PROGRAM_NAME)
		frappe.db.set_single_value(SETTINGS, "interval_name", INTERVAL_NAME)
		make_portal_user(PORTAL_USER, customer)
		update_password(PORTAL_USER, made.password)
	except Exception:
		frappe.db.rollback()  # nothing was committed yet
		raise
	frappe.db.commit()
	frappe.clear_document_cache(SETTINGS, SETTINGS)
	made.update(invoice=invoice.name, draft=draft.name, order=order.name, quotation=quotation.name)
	try:
		yield made
	finally:
		for attempt in range(3):
			try:
				remove(made, words)
				break
			except frappe.QueryDeadlockError:  # another connection's work on the same rows
				if attempt == 2:
					raise


def remove(made, words):
	frappe.db.rollback()
	frappe.set_user("Administrator")
	for doc in reversed(made.documents):
		if not frappe.db.exists(doc.doctype, doc.name):
			continue
		for row in owners.get_rows(doc.name, doc.doctype):
			if row.label == LABEL:
				frappe.db.set_value(plans.INSTALLMENT, row.name, "label", "Deposit", update_modified=False)
		doc = frappe.get_doc(doc.doctype, doc.name)
		# A submitted document is cancelled and kept, as ERPNext keeps its ledger entries:
		# deleting it would leave them behind, and hand its name to the next invoice.
		if doc.docstatus == 1:
			doc.cancel()
		elif doc.docstatus == 0:
			frappe.delete_doc(doc.doctype, doc.name, ignore_permissions=True, force=True)
	for contact in frappe.get_all("Contact", {"user": PORTAL_USER}, pluck="name"):
		frappe.delete_doc("Contact", contact, ignore_permissions=True, force=True)
	if frappe.db.exists("Customer", CUSTOMER):
		customer = frappe.get_doc("Customer", CUSTOMER)
		customer.portal_users = [row for row in customer.portal_users if row.user != PORTAL_USER]
		customer.save(ignore_permissions=True)
	if frappe.db.exists("User", PORTAL_USER):
		frappe.delete_doc("User", PORTAL_USER, ignore_permissions=True, force=True)
	for field, value in words.items():
		frappe.db.set_single_value(SETTINGS, field, value)
	frappe.db.commit()
	frappe.clear_document_cache(SETTINGS, SETTINGS)


def test_refreshing_an_invoice_form_asks_the_server_nothing_of_ours(browser, job):
	"""The plan's context comes with the document (its `onload`), and the form scripts are
	registered once per doctype: after an order's and a quotation's forms, an invoice's
	refresh still makes no request of ours (before: 1 alone, 3 after the other two)."""
	answer = browser("refresh_requests", invoice=job.invoice, order=job.order, quotation=job.quotation)
	result = answer["result"]
	assert result["runs_per_refresh"] == 1, result
	for moment in ("first_load", "refresh_alone", "back_to_invoice", "refresh_after_others"):
		assert len(result[moment]) <= 1, (moment, result)
	assert result["refresh_alone"] == [] and result["refresh_after_others"] == [], result


def test_text_a_person_typed_shows_as_text_on_every_page(browser, job):
	"""A label and the program's words with markup: the desk form, its Configure dialog,
	the print view, Outstanding Draws and the customer's invoice page show them as text.
	(The print view, the report and the portal page are rendered by the server.)"""
	answer = browser("markup", invoice=job.invoice, portal={"usr": PORTAL_USER, "pwd": job.password})
	pages = answer["result"]["pages"]
	assert [page["what"] for page in pages] == [
		"invoice form",
		"configure dialog",
		"print view",
		"outstanding draws",
		"portal invoice",
	]
	ran = [page for page in pages if page["xss"] or page["images"]]
	assert ran == [], pages
	assert answer["dialogs"] == []
	configure = pages[1]
	assert LABEL in configure["grid_labels"], configure
	assert pages[-1]["status"] == 200, pages[-1]


def test_the_configure_dialog_keeps_its_buttons_free_and_asks_before_losing_rows(browser, job):
	result = browser("configure_manners", invoice=job.draft)["result"]
	picker = result["picker"]
	assert picker == {"open": True, "covers_buttons": False, "on_screen": True}, result
	# Esc closes the date picker, not the dialog.
	assert result["after_first_escape"] == {"picker_open": False, "dialogs": 1}, result
	# Over the target: by how much, in money.
	assert "over the target by" in result["bar"] and "987,519.00" in result["bar"], result
	# Esc with changes asks first.
	assert result["after_second_escape"]["dialogs"] == 2, result
	assert any("Close without saving" in text for text in result["after_second_escape"]["asks"]), result


def test_on_a_phone_the_main_action_is_a_button_and_every_target_takes_a_finger(browser, job, tmp_path):
	phone = (390, 844)
	form = browser(
		"screenshot",
		viewport=phone,
		doctype="Sales Invoice",
		name=job.invoice,
		scroll_to=".pb-plan",
		path=str(tmp_path / "invoice.png"),
	)["result"]
	assert form["actions"][:1] == ["Accept Payment"], form
	assert form["small"] == [], form
	dialog = browser(
		"screenshot",
		viewport=phone,
		doctype="Sales Invoice",
		name=job.draft,
		dialog="Configure",
		path=str(tmp_path / "configure.png"),
	)["result"]
	assert dialog["small"] == [], dialog


def test_the_apps_page_tile_opens_the_programs_workspace_whatever_it_is_called(browser, job):
	workspace = frappe.get_all("Workspace", {"module": "Progress Billing", "public": 1}, pluck="name")
	assert len(workspace) == 1, workspace
	result = browser("apps_tile")["result"]
	# Frappe keeps a bare /app tile as it is (frappe/apps.py); the desk does the rest.
	assert result["route"] == "/app", result
	assert result["landed"] == [
		"/app/" + workspace[0].lower().replace(" ", "-"),
		["Workspaces", workspace[0]],
	], result
