"""A realistic job on a site in one command, and its removal:

	bench --site SITE execute progress_billing.demo.make
	bench --site SITE execute progress_billing.demo.remove

`make` switches the program on and builds, for a customer marked as the demo's, a kitchen
quoted, ordered, paid a deposit and invoiced as a whole (part of the next installment
paid), a bathroom billed draw by draw with 10% retainage held, a showroom fit-out billed by
pay applications, and countertops whose installments follow a
project's tasks, with a portal user to see it all from the customer's side. `remove`
cancels and deletes every one of those documents and puts the settings back.

What the demo made, and the settings as they were, are kept under one global default
(`progress_billing_demo`), read straight from the database: a cached copy could outlive a
rolled-back transaction. Neither function commits; `bench execute` does once it returns.
"""

import json

import frappe
from frappe import _

from progress_billing.demo import removal
from progress_billing.demo.job import PORTAL_EMAIL, Job

KEY = "progress_billing_demo"
SETTINGS = "Progress Billing Settings"
# What the demo switches on in Progress Billing Settings; remove() restores the rest.
DEMO_SETTINGS = {"enabled": 1, "submit_draw_invoices": 1}
# Global defaults Frappe sets when any user is saved.
USER_DEFAULTS = ("email_user_password",)


def recorded() -> dict | None:
	"""What the demo made on this site ({"documents": [[doctype, name], ...], "settings":
	the values it replaced, ...}), or None."""
	value = frappe.db.get_value("DefaultValue", {"parent": "__default", "defkey": KEY}, "defvalue")
	return json.loads(value) if value else None


def make():
	"""Builds the demo job and prints what it made; does nothing if it is already there."""
	if recorded():
		print(
			_("The demo is already on this site. Remove it first: bench execute progress_billing.demo.remove")
		)
		return
	if frappe.db.exists("User", PORTAL_EMAIL):
		frappe.throw(_("User {0} already exists; the demo needs that address.").format(PORTAL_EMAIL))

	documents = []
	previous = stored_settings()
	new_defaults = [
		key
		for key in USER_DEFAULTS
		if not frappe.db.exists("DefaultValue", {"parent": "__default", "defkey": key})
	]
	write_settings(DEMO_SETTINGS)
	job = Job(lambda doc: documents.append([doc.doctype, doc.name]))
	customer = job.customer()
	user, password = job.portal_user()
	job.items()
	made = {
		"kitchen": job.kitchen(),
		"bathroom": job.bathroom(),
		"fitout": job.fitout(),
		"countertops": job.countertops(),
	}
	frappe.db.set_default(
		KEY,
		json.dumps(
			{
				"documents": documents,
				"settings": previous,
				"new_defaults": new_defaults,
				"customer": customer,
				"user": user,
				**made,
			},
			default=str,
		),
	)
	print(summary(customer, user, password, made))


def remove():
	"""Cancels and deletes everything the demo made and puts the settings back."""
	state = recorded()
	if not state:
		print(_("There is no demo on this site."))
		return
	deleted = removal.remove_documents(state)
	restore_settings(state["settings"])
	frappe.defaults.clear_default(key=KEY, parent="__default")
	print(_("The demo is removed: {0} documents deleted, settings as they were.").format(deleted))


def stored_settings() -> dict:
	"""The demo's settings as stored now; a field never saved is left out."""
	return dict(
		frappe.db.sql(
			"select field, value from `tabSingles` where doctype = %s and field in %s",
			(SETTINGS, tuple(DEMO_SETTINGS)),
		)
	)


def write_settings(values: dict):
	"""Field by field, keeping no version of the demo's switch in the settings' history;
	the desk's menus and workspace follow as they do when the settings are saved."""
	from progress_billing.setup.visibility import sync_visibility

	for field, value in values.items():
		frappe.db.set_single_value(SETTINGS, field, value, update_modified=False)
	sync_visibility()


def restore_settings(previous: dict):
	"""The fields as they were stored before the demo, and unstored where they were not."""
	unstored = [field for field in DEMO_SETTINGS if field not in previous]
	if unstored:
		frappe.db.delete("Singles", {"doctype": SETTINGS, "field": ("in", unstored)})
		frappe.db.value_cache.pop(SETTINGS, None)
	write_settings(previous)


def summary(customer: str, user: str, password: str, made: dict) -> str:
	kitchen, bathroom, countertops = made["kitchen"], made["bathroom"], made["countertops"]
	lines = [
		_("Demo job for {0}:").format(customer),
		_("Kitchen: Quotation {0} (30 / 40 / 30) ordered as Sales Order {1}, deposit {2};").format(
			kitchen["quotation"], kitchen["order"], kitchen["deposit"]
		),
		_("  Sales Invoice {0} for the whole order, Rough-in part paid by {1}.").format(
			kitchen["invoice"], kitchen["payment"]
		),
		_(
			"Bathroom: Sales Order {0} billed draw by draw, 10% retainage, first draw Sales Invoice {1}."
		).format(bathroom["order"], bathroom["draw_invoice"]),
		_("Showroom fit-out: Sales Order {0} billed by pay applications, {1} submitted, {2} drafted.").format(
			made["fitout"]["order"], made["fitout"]["submitted"], made["fitout"]["draft"]
		),
		_("Countertops: Project {0}, Sales Invoice {1} following its tasks, Measure paid by {2}.").format(
			countertops["project"], countertops["invoice"], countertops["payment"]
		),
		_("Portal: log in at {0} as {1} with password {2}").format(
			frappe.utils.get_url("/login"), user, password
		),
		_("Remove it all: bench execute progress_billing.demo.remove"),
	]
	return "\n".join(lines)
