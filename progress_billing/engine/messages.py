"""Marks engine messages for translation without importing Frappe.

Frappe's string extractor collects every `_("...")` literal in the app, so the
English text written here reaches the translation files; the adapters translate
it with `frappe._` when they show it to a person.
"""


def _(message: str) -> str:
	return message


class Term(str):
	"""A word of ours that stands in a message's placeholder ("the label"): the adapter
	translates it with the message, where a person's own text in a placeholder is not."""
