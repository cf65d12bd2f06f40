"""The German translation covers every string the app shows: what Frappe's own extractor
finds in the code (`_()`, `__()`), and the labels of its DocTypes, reports, number cards
and custom fields, which Frappe translates when it renders them."""

import csv
import json
import re
from pathlib import Path

import pytest

frappe = pytest.importorskip("frappe", reason="frappe is not importable: run pytest with the bench's python")

from frappe.translate import get_messages_from_file

from progress_billing.setup.custom_fields import CUSTOM_FIELDS

APP = Path(__file__).resolve().parents[2] / "progress_billing"
GERMAN = APP / "translations" / "de.csv"
PLACEHOLDER = re.compile(r"\{\d*\}")


def code_messages() -> set[str]:
	frappe.flags.scanned_files = set()
	messages = set()
	for path in sorted(APP.rglob("*")):
		if path.suffix in (".py", ".js", ".html") and "dist" not in path.parts:
			messages.update(message for _path, message, _context, _line in get_messages_from_file(str(path)))
	return messages


def select_options(field: dict) -> list[str]:
	if field.get("fieldtype") != "Select":
		return []
	return [option for option in (field.get("options") or "").split("\n") if option and not option.isdigit()]


def meta_messages() -> set[str]:
	messages = {"Progress Billing"}  # the module and the apps-screen title
	module = APP / "progress_billing"
	for path in module.glob("doctype/*/*.json"):
		doctype = json.loads(path.read_text())
		messages.add(doctype["name"])
		for field in doctype["fields"]:
			messages.update(filter(None, (field.get("label"), field.get("description"))))
			messages.update(select_options(field))
	for path in module.glob("report/*/*.json"):
		messages.add(json.loads(path.read_text())["report_name"])
	for path in module.glob("number_card/*/*.json"):
		messages.add(json.loads(path.read_text())["label"])
	for fields in CUSTOM_FIELDS.values():
		for field in fields:
			messages.update(filter(None, (field.get("label"), field.get("description"))))
			messages.update(select_options(field))
	return messages


def german() -> dict[str, str]:
	with GERMAN.open(encoding="utf-8", newline="") as source:
		return {row[0]: row[1] for row in csv.reader(source) if row}


def test_every_string_the_app_shows_has_a_german_translation():
	translations = german()
	missing = sorted((code_messages() | meta_messages()) - set(translations))
	assert missing == []


def test_german_translations_keep_their_placeholders_and_are_not_blank():
	wrong = [
		source
		for source, translated in german().items()
		if not translated.strip()
		or sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(translated))
	]
	assert wrong == []


def test_frappe_reads_the_file_and_translates_for_a_german_user():
	frappe.local.lang = "de"
	frappe.local.lang_full_dict = None
	frappe.cache.delete_value("lang_full_dict")
	try:
		assert frappe._("Plan balance") == german()["Plan balance"] != "Plan balance"
	finally:
		frappe.local.lang = "en"
		frappe.local.lang_full_dict = None
