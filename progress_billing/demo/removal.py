"""Takes the demo away: every document it made, and any the site made from them since (a
draw invoice the scheduler billed, a payment someone took on the demo customer, the emails
sent about them), cancelled and deleted with their ledger entries, versions and comments."""

from contextlib import contextmanager

import frappe
from frappe import _
from frappe.model.delete_doc import delete_dynamic_links

from progress_billing.plans import INSTALLMENT

# The order they are cancelled and deleted in: a payment before what it paid, an invoice
# before the order it bills, an order before its quotation.
TRANSACTIONS = (
	"Payment Request",
	"Payment Entry",
	"Journal Entry",
	"Dunning",
	"Progress Billing Pay Application",  # cancelling one cancels its invoice
	"Sales Invoice",
	"Sales Order",
	"Quotation",
)
# Then the job's own records, the customer's people, the customer, what was sold.
RECORDS = ("Task", "Project", "Contact", "Customer", "User", "Item", "Account")


def demo_documents(state: dict) -> list[tuple[str, str]]:
	"""What the demo made, and what was made for its customer since, in removal order."""
	customer, user = state["customer"], state["user"]
	made = {}
	for doctype, name in state["documents"]:
		made.setdefault(doctype, []).append(name)

	found = {
		"Payment Request": frappe.get_all(
			"Payment Request", {"party_type": "Customer", "party": customer}, pluck="name"
		),
		"Payment Entry": frappe.get_all(
			"Payment Entry", {"party_type": "Customer", "party": customer}, pluck="name"
		),
		"Journal Entry": frappe.get_all(
			"Journal Entry Account",
			{"party_type": "Customer", "party": customer, "parenttype": "Journal Entry"},
			pluck="parent",
		),
		"Dunning": frappe.get_all("Dunning", {"customer": customer}, pluck="name"),
		"Progress Billing Pay Application": frappe.get_all(
			"Progress Billing Pay Application", {"customer": customer}, pluck="name"
		),
		"Sales Invoice": frappe.get_all("Sales Invoice", {"customer": customer}, pluck="name"),
		"Sales Order": frappe.get_all("Sales Order", {"customer": customer}, pluck="name"),
		"Quotation": frappe.get_all(
			"Quotation", {"quotation_to": "Customer", "party_name": customer}, pluck="name"
		),
		"Project": frappe.get_all("Project", {"customer": customer}, pluck="name"),
	}
	projects = set(made.get("Project", [])) | set(found["Project"])
	found["Task"] = frappe.get_all("Task", {"project": ("in", list(projects) or [""])}, pluck="name")
	# A contact of other parties too is left to the customer's deletion, which unlinks it.
	contacts = frappe.get_all(
		"Dynamic Link",
		{"link_doctype": "Customer", "link_name": customer, "parenttype": "Contact"},
		pluck="parent",
	)
	found["Contact"] = [
		contact
		for contact in contacts
		if frappe.db.count("Dynamic Link", {"parent": contact, "parenttype": "Contact"}) == 1
	] + frappe.get_all("Contact", {"user": user}, pluck="name")
	found["Customer"] = [customer]
	found["User"] = [user]

	documents = []
	for doctype in TRANSACTIONS + RECORDS:
		names = set(made.get(doctype, [])) | set(found.get(doctype, []))
		# Returns before what they return; otherwise the newest first, so naming series
		# are given back as they were.
		order_by = "is_return desc, creation desc" if doctype == "Sales Invoice" else "creation desc"
		existing = frappe.get_all(
			doctype, {"name": ("in", list(names) or [""])}, pluck="name", order_by=order_by
		)
		documents += [(doctype, name) for name in existing]
	return documents


def remove_documents(state: dict) -> int:
	"""Cancels and deletes the demo's documents; returns how many were deleted."""
	documents = demo_documents(state)
	with ledger_entries_deleted():
		for doctype, name in documents:
			if frappe.db.get_value(doctype, name, "docstatus") == 1:
				doc = frappe.get_doc(doctype, name)
				doc.flags.ignore_permissions = True
				doc.cancel()
		remove_emails(documents)
		# Its contact goes before the customer, which would otherwise keep it in the bin.
		if frappe.db.exists("Customer", state["customer"]):
			frappe.db.set_value(
				"Customer", state["customer"], "customer_primary_contact", None, update_modified=False
			)
		for doctype, name in documents:
			if doctype == "Item":
				frappe.db.delete("Item Price", {"item_code": name})
			if doctype == "Account":
				# The Retainage Receivable account the demo's retainage made, on its company.
				frappe.db.set_value(
					"Company",
					{"pb_retainage_account": name},
					"pb_retainage_account",
					None,
					update_modified=False,
				)
			if doctype == "User":
				# The user's deletion would keep these in the bin, and its defaults for good.
				delete("Notification Settings", name)
				frappe.db.delete("DefaultValue", {"parent": name})
			delete(doctype, name)
	frappe.db.delete(INSTALLMENT, {"customer": state["customer"]})
	# Saving a user sets this global default; where the demo's user brought it, it goes.
	for key in state.get("new_defaults", []):
		frappe.db.delete(
			"DefaultValue", {"parent": "__default", "defkey": key, "defvalue": ("in", ("", None))}
		)
	for doctype in ("Activity Log", "Route History"):
		frappe.db.delete(doctype, {"user": state["user"]})
	# A naming series the demo began, given back to nothing, is as if never begun.
	for (series,) in frappe.db.sql("select name from `tabSeries` where current = 0"):
		if any(name.startswith(series) for _doctype, name in documents):
			frappe.db.sql("delete from `tabSeries` where name = %s", series)
	frappe.clear_messages()  # what cancelling said of each document is not news to anyone
	return len(documents)


def delete(doctype: str, name: str):
	"""Deleted for good: not kept in the bin, no "Deleted" line in the activity, and what
	Frappe clears only once the transaction commits (on a worker) cleared now."""
	if not frappe.db.exists(doctype, name):
		return
	# Its name may have been deleted before (naming series give names back): only the
	# line this deletion writes goes.
	feed = {"comment_type": "Deleted", "reference_doctype": doctype, "subject": f"{_(doctype)} {name}"}
	earlier = frappe.get_all("Comment", feed, pluck="name")
	frappe.delete_doc(doctype, name, ignore_permissions=True, delete_permanently=True)
	delete_dynamic_links(doctype, name)
	frappe.db.delete("Comment", {**feed, "name": ("not in", earlier or [""])})


def remove_emails(documents: list[tuple[str, str]]):
	"""The emails sent about the demo's documents, their queue and their error logs."""
	communications = set()
	queued = set()
	for doctype, name in documents:
		reference = {"reference_doctype": doctype, "reference_name": name}
		communications.update(frappe.get_all("Communication", reference, pluck="name"))
		communications.update(
			frappe.get_all(
				"Communication Link",
				{"link_doctype": doctype, "link_name": name, "parenttype": "Communication"},
				pluck="parent",
			)
		)
		queued.update(frappe.get_all("Email Queue", reference, pluck="name"))
		frappe.db.delete("Error Log", reference)
	if communications:
		queued.update(
			frappe.get_all("Email Queue", {"communication": ("in", list(communications))}, pluck="name")
		)
	for name in communications:
		delete("Communication", name)
	if queued:
		frappe.db.delete("Email Queue Recipient", {"parent": ("in", list(queued))})
		frappe.db.delete("Email Queue", {"name": ("in", list(queued))})


@contextmanager
def ledger_entries_deleted():
	"""ERPNext deletes a deleted transaction's GL and Payment Ledger Entries only with this
	Accounts Setting on (as its own tests switch it): on for the removal alone."""
	doctype, field = "Accounts Settings", "delete_linked_ledger_entries"
	stored = frappe.db.sql(
		"select value from `tabSingles` where doctype = %s and field = %s", (doctype, field)
	)
	frappe.db.set_single_value(doctype, field, 1, update_modified=False)
	try:
		yield
	finally:
		if stored:
			frappe.db.set_single_value(doctype, field, stored[0][0], update_modified=False)
		else:  # never saved: left unsaved
			frappe.db.delete("Singles", {"doctype": doctype, "field": field})
			frappe.db.value_cache.pop(doctype, None)
