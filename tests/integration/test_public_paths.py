"""The paths integrators and the site call answer: every whitelisted method of the API, and
every dotted path hooks.py, the number cards and the reports name. A move of a module
inside the app must keep each of them answering."""

import json
from pathlib import Path

import pytest

frappe = pytest.importorskip("frappe", reason="frappe is not importable: run pytest with the bench's python")

from progress_billing import hooks

APP = Path(__file__).resolve().parents[2] / "progress_billing"

# The public surface integrators call (README, desk, portal): it stays where it is.
API = [
	"progress_billing.api.get_plan",
	"progress_billing.api.save_plan",
	"progress_billing.api.remove_plan",
	"progress_billing.api.cancel_plan",
	"progress_billing.api.accept_payment",
	"progress_billing.api.preview_payment",
	"progress_billing.api.refund_payment",
	"progress_billing.api.reschedule_plan",
	"progress_billing.api.invoice_draw",
	"progress_billing.api.get_invoice_context",
	"progress_billing.api.get_payment_history",
	"progress_billing.api.get_project_timeline",
	"progress_billing.api.get_program",
	"progress_billing.api.get_payment_mode",
	# Retainage and pay applications (issues 20 and 21).
	"progress_billing.api.release_retainage",
	"progress_billing.api.make_pay_application",
]


def dotted_paths(value):
	if isinstance(value, str):
		# Dotted Python paths, not the bundles' file names (progress_billing.bundle.js).
		if value.startswith("progress_billing.") and not value.endswith((".js", ".css")):
			yield value
	elif isinstance(value, dict):
		for item in value.values():
			yield from dotted_paths(item)
	elif isinstance(value, list | tuple):
		for item in value:
			yield from dotted_paths(item)


def hook_paths() -> list[str]:
	paths = []
	for name in dir(hooks):
		if not name.startswith("_"):
			paths += [
				path
				for path in dotted_paths(getattr(hooks, name))
				if "." in path.split("progress_billing.", 1)[1]
			]
	return sorted(set(paths))


def card_paths() -> list[str]:
	paths = []
	for path in APP.glob("progress_billing/number_card/*/*.json"):
		method = json.loads(path.read_text()).get("method")
		if method:
			paths.append(method)
	return paths


@pytest.mark.parametrize("path", API)
def test_every_api_method_answers_and_is_whitelisted(path):
	method = frappe.get_attr(path)
	assert method in frappe.whitelisted, path


def test_every_path_the_hooks_and_cards_name_answers():
	paths = hook_paths() + card_paths()
	assert len(paths) > 30
	missing = []
	for path in paths:
		try:
			frappe.get_attr(path)
		except (AttributeError, ImportError):
			try:  # a module (patches) or a class (page renderers)
				frappe.get_module(path)
			except ImportError:
				missing.append(path)
	assert missing == []
