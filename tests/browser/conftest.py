"""Browser tests: the desk and the portal in headless Chromium, driven by drive.js
(playwright-core), against the site the integration tests use, served over HTTP.

They need what the integration tests need (PROGRESS_BILLING_SITE, the bench's python),
and besides: Chromium (`/usr/bin/chromium`, or CHROMIUM), node with `playwright-core`
where it finds it (NODE_PATH), and the site served at PROGRESS_BILLING_URL (default
http://127.0.0.1:8000). `.ci/run` provides all three. Without a site they are skipped,
like the integration tests; without the rest they are skipped saying why, except with
CI set, where they fail: a skip there would hide a failure.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.integration import conftest as integration
from tests.integration.conftest import rollback  # noqa: F401  (every test rolled back, as there)

HERE = Path(__file__).parent
DRIVER = HERE / "drive.js"
BASE_URL = os.environ.get("PROGRESS_BILLING_URL", "http://127.0.0.1:8000").rstrip("/")
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ADMIN_PASSWORD = os.environ.get("PROGRESS_BILLING_ADMIN_PASSWORD", "admin")


def pytest_collection_modifyitems(config, items):
	reason = integration.skip_reason()
	if reason:
		for item in items:
			if HERE in Path(item.fspath).parents:
				item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def site():
	"""The connection the integration tests make (tests/integration/conftest.py), shared
	when they run in the same session, made here when the browser tests run alone."""
	import frappe

	if getattr(frappe.local, "site", None) == integration.SITE and getattr(frappe.local, "db", None):
		yield integration.SITE
		return
	sites_path = str(integration.BENCH / "sites")
	os.chdir(sites_path)
	frappe.init(site=integration.SITE, sites_path=sites_path)
	frappe.connect()
	frappe.flags.in_test = True
	frappe.set_user("Administrator")
	from tests.integration.factories import ensure_users

	ensure_users()
	yield integration.SITE
	if getattr(frappe.local, "db", None):
		frappe.db.rollback()
		frappe.destroy()


def browser_reason() -> str | None:
	if not Path(CHROMIUM).is_file():
		return f"no Chromium at {CHROMIUM} (apt-get install chromium, or set CHROMIUM)"
	node = shutil.which("node")
	if not node:
		return "no node on PATH"
	found = subprocess.run(
		[node, "-e", "require.resolve('playwright-core')"], capture_output=True, text=True, timeout=30
	)
	if found.returncode:
		return "node finds no playwright-core (npm install playwright-core, and set NODE_PATH)"
	from tests.integration.test_portal import server_reason

	return server_reason()


@pytest.fixture(scope="session")
def browser(site):
	"""Runs a drive.js scenario: drive(scenario, viewport=(w, h), **args) -> its result."""
	reason = browser_reason()
	if reason and os.environ.get("CI"):
		pytest.fail(f"CI must run the browser tests: {reason}")
	if reason:
		pytest.skip(reason)

	def drive(scenario, viewport=(1366, 768), user="Administrator", password=ADMIN_PASSWORD, **args):
		job = {
			"base": BASE_URL,
			"user": user,
			"password": password,
			"viewport": list(viewport),
			"scenario": scenario,
			"args": args,
			"shots": os.environ.get("PROGRESS_BILLING_SHOTS"),
		}
		done = subprocess.run(
			["node", str(DRIVER)], input=json.dumps(job), capture_output=True, text=True, timeout=600
		)
		assert done.returncode == 0, done.stderr[-3000:]
		answer = json.loads(done.stdout)
		assert not answer.get("error"), (answer["error"], answer.get("page"), answer["console_errors"][-5:])
		return answer

	return drive
