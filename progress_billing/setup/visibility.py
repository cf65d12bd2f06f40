"""What the desk shows of the program: nothing while it is off, and under the business's
own name while it is on.

While Progress Billing is disabled its reports are disabled (so they leave menus and
search) and its workspace is hidden. The workspace is built here rather than shipped as
a file: the desk links a workspace by its title but finds it by its name, so renaming
the program renames the record, which a standard file would bring back on every migrate.

Run on every install and migrate, and whenever Progress Billing Settings are saved;
running it again changes nothing.
"""

import json

import frappe
from frappe import _
from frappe.model.naming import set_new_name
from frappe.utils import cstr

from progress_billing import settings

MODULE = "Progress Billing"
FALLBACK_NAME = "Progress Billing"
REPORTS = ("Outstanding Draws", "Pending Revenue", "Revenue", "Retainage Held", "Schedule of Values")
SETTINGS_DOCTYPE = "Progress Billing Settings"
TEMPLATE_DOCTYPE = "Payment Schedule Template"
OUTSTANDING_CARD = "Progress Billing Outstanding"
PAST_DUE_CARD = "Progress Billing Past Due"
ROLES = ("Accounts User", "Accounts Manager", "System Manager")
SEQUENCE_ID = 4.5  # beside ERPNext's Receivables

# Stored in English like every standard workspace; the desk translates them on display.
CARD_LABELS = {OUTSTANDING_CARD: "Total Outstanding", PAST_DUE_CARD: "Total Past Due"}
REPORTS_CARD = "Reports"
SETUP_CARD = "Setup"

COMPARED_FIELDS = ("name", "label", "title", "module", "public", "is_hidden", "icon", "content")
COMPARED_ROWS = {
	"links": ("type", "label", "link_type", "link_to", "is_query_report", "link_count", "hidden"),
	"shortcuts": ("type", "link_to", "label", "doc_view", "color"),
	"number_cards": ("number_card_name", "label"),
	"roles": ("role",),
}


def sync_visibility():
	"""Shows or hides the program's reports and workspace to match the settings."""
	frappe.clear_document_cache(SETTINGS_DOCTYPE, SETTINGS_DOCTYPE)  # called from on_update
	enabled = settings.is_enabled()
	program_name = settings.get_words()["program_name"]
	changed = sync_reports(enabled)
	changed = sync_workspace(enabled, program_name) or changed
	if changed:
		clear_desk_caches()


def sync_reports(enabled: bool) -> bool:
	disabled = 0 if enabled else 1
	changed = frappe.get_all(
		"Report", filters={"name": ("in", REPORTS), "disabled": ("!=", disabled)}, pluck="name"
	)
	for name in changed:
		# Not touching `modified`: a report file is imported on migrate only when newer.
		frappe.db.set_value("Report", name, "disabled", disabled, update_modified=False)
		frappe.clear_document_cache("Report", name)
	return bool(changed)


def sync_workspace(enabled: bool, program_name: str) -> bool:
	"""Replaces the program's workspace where it differs from what the settings ask for."""
	ours = our_workspaces()
	wanted = frappe.get_doc(
		workspace_definition(
			workspace_name(program_name, ours),
			hidden=not enabled,
			sequence_id=frappe.db.get_value("Workspace", ours[0], "sequence_id") if ours else SEQUENCE_ID,
		)
	)
	if len(ours) == 1 and signature(frappe.get_doc("Workspace", ours[0])) == signature(wanted):
		return False
	for name in ours:
		delete_workspace(name)
	insert_workspace(wanted)
	return True


def our_workspaces() -> list[str]:
	return frappe.get_all(
		"Workspace", filters={"module": MODULE, "public": 1}, pluck="name", order_by="creation asc"
	)


def workspace_name(program_name: str, ours: list[str]) -> str:
	"""The program's name, unless a page, workspace or listable DocType already answers
	to that route; then a name that does not clash."""
	for candidate in (program_name, _("{0} Workspace").format(program_name), FALLBACK_NAME):
		if candidate in ours or not route_taken(candidate):
			return candidate
	return FALLBACK_NAME


def route_taken(name: str) -> bool:
	return bool(
		frappe.db.exists("Workspace", name)
		or frappe.db.exists("Page", name)
		or frappe.db.exists("DocType", {"name": name, "istable": 0})
	)


def workspace_definition(name: str, hidden: bool, sequence_id) -> dict:
	shortcuts = [
		{"type": "Report", "link_to": report, "label": report, "doc_view": "", "color": "Grey"}
		for report in REPORTS
	] + [
		{
			"type": "DocType",
			"link_to": SETTINGS_DOCTYPE,
			"label": SETTINGS_DOCTYPE,
			"doc_view": "",
			"color": "Grey",
		}
	]
	links = [
		card_break(REPORTS_CARD, len(REPORTS)),
		*(link("Report", report, is_query_report=1) for report in REPORTS),
		card_break(SETUP_CARD, 2),
		link("DocType", SETTINGS_DOCTYPE),
		link("DocType", TEMPLATE_DOCTYPE),
	]
	content = [
		*(block("number_card", {"number_card_name": label, "col": 4}) for label in CARD_LABELS.values()),
		block("spacer", {"col": 12}),
		block("header", {"text": '<span class="h4"><b>Your Shortcuts</b></span>', "col": 12}),
		*(block("shortcut", {"shortcut_name": row["label"], "col": 3}) for row in shortcuts),
		block("spacer", {"col": 12}),
		block("header", {"text": '<span class="h4"><b>Reports & Masters</b></span>', "col": 12}),
		block("card", {"card_name": REPORTS_CARD, "col": 4}),
		block("card", {"card_name": SETUP_CARD, "col": 4}),
	]
	return {
		"doctype": "Workspace",
		"name": name,
		"label": name,
		"title": name,
		"module": MODULE,
		"public": 1,
		"for_user": "",
		"is_hidden": 1 if hidden else 0,
		"icon": "income",
		"sequence_id": sequence_id,
		"content": json.dumps(content, separators=(",", ":")),
		"links": links,
		"shortcuts": shortcuts,
		"number_cards": [{"number_card_name": card, "label": label} for card, label in CARD_LABELS.items()],
		"roles": [{"role": role} for role in ROLES],
	}


def card_break(label: str, link_count: int) -> dict:
	return {"type": "Card Break", "label": label, "link_count": link_count, "hidden": 0}


def link(link_type: str, link_to: str, is_query_report: int = 0) -> dict:
	return {
		"type": "Link",
		"label": link_to,
		"link_type": link_type,
		"link_to": link_to,
		"is_query_report": is_query_report,
		"link_count": 0,
		"hidden": 0,
	}


def block(block_type: str, data: dict) -> dict:
	# A stable id, so the same settings always give the same content.
	key = data.get("number_card_name") or data.get("shortcut_name") or data.get("card_name") or ""
	return {"id": frappe.scrub(f"pb_{block_type}_{key}")[:30], "type": block_type, "data": data}


def signature(doc) -> tuple:
	def value(source, field):
		return cstr(source.get(field) or "")

	return (
		tuple(value(doc, field) for field in COMPARED_FIELDS),
		tuple(
			tuple(tuple(value(row, field) for field in fields) for row in doc.get(table) or [])
			for table, fields in COMPARED_ROWS.items()
		),
	)


def delete_workspace(name: str):
	"""Straight from the tables: Workspace's own delete hooks refuse anyone but a
	Workspace Manager and, in developer mode, delete files from the app."""
	for table in frappe.get_meta("Workspace").get_table_fields():
		frappe.db.delete(table.options, {"parent": name, "parenttype": "Workspace"})
	frappe.db.delete("Workspace", {"name": name})
	frappe.clear_document_cache("Workspace", name)


def insert_workspace(doc):
	"""Written without Workspace's save hooks, for the same reasons as delete_workspace:
	Accounts Managers save the settings, and developer mode would export the record."""
	doc.set_parent_in_children()
	children = doc.get_all_children()
	for child in children:
		set_new_name(child)
	doc.db_insert()
	for child in children:
		child.db_insert()
	frappe.clear_document_cache("Workspace", doc.name)


def clear_desk_caches():
	"""Every user's sidebar and allowed reports, so the change shows on their next load."""
	frappe.cache.delete_key("bootinfo")
	frappe.cache.delete_key("desk_sidebar_items")
	frappe.cache.delete_keys("user:*:has_role:Report")
