"""Integration tests run inside a real bench site with ERPNext and this app installed.

Point them at a site with PROGRESS_BILLING_SITE (the site's name) and
PROGRESS_BILLING_BENCH (the bench folder, default ~/frappe-bench), and run pytest
with the bench's own python. Every test is rolled back when it ends.
"""

import os
from pathlib import Path

import pytest

SITE = os.environ.get("PROGRESS_BILLING_SITE")
BENCH = Path(os.environ.get("PROGRESS_BILLING_BENCH", "~/frappe-bench")).expanduser()


def skip_reason() -> str | None:
	if not SITE:
		return "no bench site configured: set PROGRESS_BILLING_SITE (and PROGRESS_BILLING_BENCH) to run"
	try:
		import frappe  # noqa: F401
	except ImportError:
		return "frappe is not importable: run pytest with the bench's python (env/bin/python)"
	if not (BENCH / "sites" / SITE).is_dir():
		return f"site {SITE} not found under {BENCH / 'sites'}"
	return None


def pytest_collection_modifyitems(config, items):
	reason = skip_reason()
	if reason:
		here = Path(__file__).parent
		for item in items:
			if here in Path(item.fspath).parents:
				item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def site():
	import frappe

	sites_path = str(BENCH / "sites")
	os.chdir(sites_path)
	frappe.init(site=SITE, sites_path=sites_path)
	frappe.connect()
	frappe.flags.in_test = True
	frappe.set_user("Administrator")
	from tests.integration.factories import ensure_users

	ensure_users()
	yield SITE
	frappe.db.rollback()
	frappe.destroy()


@pytest.fixture(autouse=True)
def rollback(request, site):
	"""Every test is rolled back; one that commits without saying so (the `commits`
	marker) fails, since what it committed would reach the tests after it."""
	import frappe

	frappe.set_user("Administrator")
	db, commits = frappe.db, []
	commit = db.commit

	def counted_commit(*args, **kwargs):
		commits.append(request.node.nodeid)
		return commit(*args, **kwargs)

	db.commit = counted_commit
	yield
	del db.commit
	frappe.db.rollback()
	frappe.set_user("Administrator")
	# Documents cached while the test ran still say what its rolled-back transaction said.
	frappe.clear_document_cache("Progress Billing Settings", "Progress Billing Settings")
	for report in ("Outstanding Draws", "Pending Revenue", "Revenue", "Retainage Held", "Schedule of Values"):
		frappe.clear_document_cache("Report", report)
	frappe.db.value_cache.clear()
	frappe.local.response = frappe._dict()
	# A page rendered in a test leaves its GET request on frappe.local; left there, Frappe's
	# print view takes later tests for web requests and commits their access logs, and
	# with them everything those tests had changed.
	if getattr(frappe.local, "request", None) is not None:
		del frappe.local.request
	frappe.local.form_dict = frappe._dict()
	if commits and not request.node.get_closest_marker("commits"):
		pytest.fail(f"{request.node.nodeid} committed {len(commits)} time(s) without the `commits` marker")
