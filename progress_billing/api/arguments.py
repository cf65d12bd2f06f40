"""Arguments from outside (desk, portal, REST clients), checked before anything is read
or written: each bad value gets a translated error that names the argument."""

import datetime
import json
from decimal import Decimal

import frappe
from frappe import _

from progress_billing import engine
from progress_billing.engine import PlanError
from progress_billing.errors import format_refusal


def document_name(doctype: str, value, argument: str) -> str:
	"""The name of an existing `doctype` document; refuses anything that is not one."""
	if not isinstance(value, str) or not value.strip():
		frappe.throw(_("{0}: give the name of a {1}.").format(argument, _(doctype)), frappe.ValidationError)
	if not frappe.db.exists(doctype, value):
		frappe.throw(
			_("{0} {1} does not exist.").format(_(doctype), frappe.bold(value)), frappe.DoesNotExistError
		)
	return value


def optional_text(value, argument: str) -> str | None:
	if value in (None, ""):
		return None
	if not isinstance(value, str):
		frappe.throw(_("{0} must be text.").format(argument), frappe.ValidationError)
	return value


def number(value, argument: str, optional: bool = False):
	"""A finite number of sensible size, as a Decimal (None where optional and blank)."""
	if optional and value in (None, ""):
		return None
	if isinstance(value, list | dict | tuple) or value is None:
		frappe.throw(_("{0} must be a number.").format(argument), frappe.ValidationError)
	try:
		return engine.to_decimal(value)
	except PlanError as refusal:
		frappe.throw(_("{0}: {1}").format(argument, format_refusal(refusal)), frappe.ValidationError)


# What a cell of a plan's rows may be: text and numbers from JSON, and from a Python caller
# (a server script, another app, a scheduled job) also dates and Decimals, as ERPNext's own
# APIs take them.
CELL_TYPES = (str, int, float, Decimal, datetime.date)


def date(value, argument: str) -> datetime.date | None:
	"""A date as YYYY-MM-DD, or a date or datetime from a Python caller (None where blank)."""
	if value in (None, ""):
		return None
	if isinstance(value, datetime.datetime):
		return value.date()
	if isinstance(value, datetime.date):
		return value
	try:
		return datetime.date.fromisoformat(value)
	except (ValueError, TypeError):
		frappe.throw(_("{0} is not a date (YYYY-MM-DD).").format(argument), frappe.ValidationError)


def flag(value, argument: str) -> bool:
	if value in (None, "", 0, "0", False, "false"):
		return False
	if value in (1, "1", True, "true"):
		return True
	frappe.throw(_("{0} must be 0 or 1.").format(argument), frappe.ValidationError)


def choice(value, options, argument: str) -> str:
	if not isinstance(value, str) or value not in options:
		frappe.throw(
			_("{0} must be one of: {1}.").format(argument, ", ".join(options)), frappe.ValidationError
		)
	return value


def rows(value, argument: str) -> list[dict] | None:
	"""A plan's rows: a list of objects, or the same as JSON text; None where blank."""
	if value in (None, "", "[]"):
		return None
	if isinstance(value, str):
		try:
			value = json.loads(value, parse_constant=_refuse_constant)
		except (ValueError, RecursionError):
			frappe.throw(_("{0} is not valid JSON.").format(argument), frappe.ValidationError)
	if not isinstance(value, list) or not all(isinstance(row, dict) for row in value):
		frappe.throw(_("{0} must be a list of rows.").format(argument), frappe.ValidationError)
	for idx, row in enumerate(value, 1):
		for key, cell in row.items():
			if not isinstance(key, str) or not (cell is None or isinstance(cell, CELL_TYPES)):
				frappe.throw(
					_("{0}, row {1}: {2} must be text, a number or a date.").format(argument, idx, key),
					frappe.ValidationError,
				)
	return value or None


def mapping(value, argument: str) -> dict:
	"""An object of named values (report or card filters), or the same as JSON text."""
	if value in (None, ""):
		return {}
	if isinstance(value, str):
		try:
			value = json.loads(value, parse_constant=_refuse_constant)
		except (ValueError, RecursionError):
			frappe.throw(_("{0} is not valid JSON.").format(argument), frappe.ValidationError)
	if not isinstance(value, dict):
		frappe.throw(_("{0} must be an object of named values.").format(argument), frappe.ValidationError)
	return value


def _refuse_constant(name):
	raise ValueError(name)  # NaN and Infinity are not JSON numbers
