"""Marks engine messages for translation without importing Frappe.

Frappe's string extractor collects every `_("...")` literal in the app, so the
English text written here reaches the translation files; the adapters translate
it with `frappe._` when they show it to a person.
"""


def _(message: str) -> str:
	return message
