import json

import pytest

frappe = pytest.importorskip("frappe", reason="frappe is not importable: run pytest with the bench's python")

from frappe.boot import get_allowed_report_names
from frappe.desk.desktop import get_desktop_page, get_workspace_sidebar_items

from progress_billing.setup import visibility
from tests.integration.factories import OFFICE_USER, enable_program, ensure_users

REPORTS = {"Outstanding Draws", "Pending Revenue", "Revenue", "Retainage Held", "Schedule of Values"}


@pytest.fixture(autouse=True)
def desk_caches():
	ensure_users()
	yield
	# What the tests showed the office user is rolled back: so is what the desk cached of it.
	visibility.clear_desk_caches()


def sync(**values):
	enable_program(**values)
	visibility.sync_visibility()


def workspaces() -> list[frappe._dict]:
	return frappe.get_all(
		"Workspace",
		filters={"module": "Progress Billing"},
		fields=["name", "label", "title", "is_hidden", "public", "creation"],
	)


def the_workspace() -> frappe._dict:
	(workspace,) = workspaces()
	return workspace


def disabled_reports() -> set[str]:
	return set(frappe.get_all("Report", {"name": ("in", REPORTS), "disabled": 1}, pluck="name"))


def as_office_user(fn):
	frappe.set_user(OFFICE_USER)
	try:
		return fn()
	finally:
		frappe.set_user("Administrator")


def sidebar_titles() -> set[str]:
	return as_office_user(lambda: {page.title for page in get_workspace_sidebar_items()["pages"]})


def test_while_enabled_the_workspace_and_reports_show_under_the_program_name():
	sync(enabled=1, program_name="Payment Schedule")
	workspace = the_workspace()
	assert (workspace.name, workspace.label, workspace.title) == ("Payment Schedule",) * 3
	assert (workspace.public, workspace.is_hidden) == (1, 0)
	assert disabled_reports() == set()
	assert "Payment Schedule" in sidebar_titles()
	assert REPORTS <= as_office_user(get_allowed_report_names)


def test_while_disabled_nothing_shows():
	sync(enabled=0)
	assert the_workspace().is_hidden == 1
	assert disabled_reports() == REPORTS
	assert "Payment Schedule" not in sidebar_titles()
	assert not REPORTS & as_office_user(get_allowed_report_names)


def test_enabling_again_shows_everything_under_the_new_name():
	sync(enabled=0, program_name="Payment Schedule")
	sync(enabled=1, program_name="Draw Program")
	workspace = the_workspace()
	assert (workspace.name, workspace.label, workspace.title, workspace.is_hidden) == (
		"Draw Program",
		"Draw Program",
		"Draw Program",
		0,
	)
	assert disabled_reports() == set()
	titles = sidebar_titles()
	assert "Draw Program" in titles
	assert "Payment Schedule" not in titles


def test_running_it_again_changes_nothing():
	sync(enabled=1, program_name="Draw Program")
	before = the_workspace()
	visibility.sync_visibility()
	visibility.sync_visibility()
	assert the_workspace() == before
	assert disabled_reports() == set()


def test_a_program_name_taken_by_another_page_gets_a_name_of_its_own():
	sync(enabled=1, program_name="Sales Invoice")
	workspace = the_workspace()
	assert workspace.name == workspace.title == "Sales Invoice Workspace"


def desktop_page(name: str) -> dict:
	return get_desktop_page(json.dumps({"name": name, "title": name, "public": 1}))


def linked(page: dict) -> set[str]:
	return {link["link_to"] for card in page["cards"]["items"] for link in card["links"]}


def test_the_workspace_holds_the_reports_settings_templates_and_number_cards():
	sync(enabled=1, program_name="Payment Schedule")
	page = desktop_page("Payment Schedule")
	assert linked(page) == REPORTS | {"Progress Billing Settings", "Payment Schedule Template"}
	cards = {card.number_card_name for card in page["number_cards"]["items"]}
	assert cards == {"Progress Billing Outstanding", "Progress Billing Past Due"}

	workspace = frappe.get_doc("Workspace", "Payment Schedule")
	blocks = json.loads(workspace.content)
	labels = {row.label for row in workspace.number_cards} | {row.label for row in workspace.shortcuts}
	named = {block["data"].get("number_card_name") or block["data"].get("shortcut_name") for block in blocks}
	assert labels <= named  # every widget has its place on the page


def test_an_accounts_user_sees_what_they_may_open():
	sync(enabled=1, program_name="Payment Schedule")
	page = as_office_user(lambda: desktop_page("Payment Schedule"))
	assert linked(page) == REPORTS | {"Payment Schedule Template"}  # settings are for managers
	assert len(page["number_cards"]["items"]) == 2


def test_the_workspace_is_kept_to_accounts_roles():
	sync(enabled=1)
	roles = {row.role for row in frappe.get_doc("Workspace", the_workspace().name).roles}
	assert roles == {"Accounts User", "Accounts Manager", "System Manager"}


# Frappe's apps page


def apps_page(user: str) -> dict:
	from frappe.apps import get_apps

	frappe.set_user(user)
	try:
		return {app["name"]: app for app in get_apps()}
	finally:
		frappe.set_user("Administrator")


def test_the_apps_page_shows_the_app_and_leads_to_the_programs_workspace():
	sync(enabled=1, program_name="Progress Billing")
	app = apps_page(OFFICE_USER)["progress_billing"]
	assert app["title"] == "Progress Billing"
	assert app["logo"] == "/assets/progress_billing/images/progress-billing-logo.svg"
	# The workspace is named after the program's words, so the tile asks for the bare desk
	# and the desk, arriving from the apps page, opens the workspace (workspace_route.js;
	# the browser test follows the tile there).
	assert app["route"] == "/app"
	logo = frappe.get_app_path("progress_billing", "public", "images", "progress-billing-logo.svg")
	assert open(logo).read().startswith("<svg")


def test_the_apps_page_leaves_the_app_out_while_the_program_is_off():
	sync(enabled=0)
	assert "progress_billing" not in apps_page(OFFICE_USER)
