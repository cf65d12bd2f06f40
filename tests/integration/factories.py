"""Documents the integration tests need, made the way a user makes them."""

import frappe
from frappe.utils import add_days, nowdate

from erpnext.accounts.doctype.payment_entry.payment_entry import get_payment_entry

CUSTOMER = "_PB Test Customer"
ITEM = "_PB Test Service"


def company() -> str:
	return (
		frappe.db.get_single_value("Global Defaults", "default_company")
		or frappe.get_all("Company", pluck="name", limit=1)[0]
	)


def ensure_customer(name: str = CUSTOMER) -> str:
	if not frappe.db.exists("Customer", name):
		frappe.get_doc(
			{
				"doctype": "Customer",
				"customer_name": name,
				"customer_group": frappe.get_all("Customer Group", {"is_group": 0}, pluck="name", limit=1)[0],
				"territory": frappe.get_all("Territory", {"is_group": 0}, pluck="name", limit=1)[0],
			}
		).insert(ignore_permissions=True)
	return name


def ensure_item() -> str:
	if not frappe.db.exists("Item", ITEM):
		frappe.get_doc(
			{
				"doctype": "Item",
				"item_code": ITEM,
				"item_name": ITEM,
				"item_group": frappe.get_all("Item Group", {"is_group": 0}, pluck="name", limit=1)[0],
				"stock_uom": "Nos",
				"is_stock_item": 0,
			}
		).insert(ignore_permissions=True)
	return ITEM


def make_invoice(rate=3000, qty=1, submit=False, customer=None, department=None, **values):
	invoice = frappe.get_doc(
		{
			"doctype": "Sales Invoice",
			"company": company(),
			"customer": customer or ensure_customer(),
			"posting_date": nowdate(),
			"due_date": add_days(nowdate(), 30),
			"set_posting_time": 1,
			"disable_rounded_total": 1,
			"items": [{"item_code": ensure_item(), "qty": qty, "rate": rate}],
			**values,
		}
	)
	if department:
		invoice.set("department" if invoice.meta.has_field("department") else "pb_department", department)
	invoice.insert()
	if submit:
		invoice.submit()
	return invoice


def make_sales_order(rate=3000, qty=1, submit=False, customer=None, **values):
	order = frappe.get_doc(
		{
			"doctype": "Sales Order",
			"company": company(),
			"customer": customer or ensure_customer(),
			"transaction_date": nowdate(),
			"delivery_date": add_days(nowdate(), 60),
			"disable_rounded_total": 1,
			"items": [{"item_code": ensure_item(), "qty": qty, "rate": rate}],
			**values,
		}
	)
	order.insert()
	if submit:
		order.submit()
	return order


def receive_payment(invoice_name: str, amount, submit=True):
	"""A Payment Entry against the invoice, as the desk's Create > Payment makes it."""
	payment = get_payment_entry("Sales Invoice", invoice_name, party_amount=amount)
	payment.reference_no = "PB-TEST"
	payment.reference_date = nowdate()
	for reference in payment.references:
		reference.allocated_amount = amount
	payment.insert()
	if submit:
		payment.submit()
	return payment


def enable_program(**values):
	"""Sets the settings inside the test's transaction; written field by field, since
	another process's committed save would make a whole-document save stale. The reports
	follow the switch as they do when the settings are saved, so no test depends on what
	an earlier run left switched on."""
	from progress_billing.setup.visibility import sync_reports

	# The words too, unless given: a site's own (a demo's, say) must not reach the tests.
	values = {"enabled": 1, "program_name": "", "interval_name": "", **values}
	for field, value in values.items():
		frappe.db.set_single_value("Progress Billing Settings", field, value)
	frappe.clear_document_cache("Progress Billing Settings", "Progress Billing Settings")
	sync_reports(bool(int(values["enabled"])))
	return frappe.get_single("Progress Billing Settings")


OFFICE_USER = "pb-office@example.com"
TECH_USER = "pb-tech@example.com"
TECH_ROLE = "PB Technician"


def ensure_users():
	"""An office user (Accounts User) and a technician who may write invoices through
	a role of their own. Kept on the site: tests only read them. Made once, at the start
	of the session (conftest), and committed then: a commit inside a test would keep
	whatever else that test had changed."""
	from frappe.permissions import add_permission, update_permission_property

	if frappe.db.exists("User", TECH_USER) and frappe.db.exists(
		"Custom DocPerm", {"parent": "Sales Invoice", "role": TECH_ROLE}
	):
		return
	if not frappe.db.exists("Role", TECH_ROLE):
		frappe.get_doc({"doctype": "Role", "role_name": TECH_ROLE, "desk_access": 1}).insert()
	if not frappe.db.exists("Custom DocPerm", {"parent": "Sales Invoice", "role": TECH_ROLE}):
		add_permission("Sales Invoice", TECH_ROLE)
		for ptype in ("write", "create"):
			update_permission_property("Sales Invoice", TECH_ROLE, 0, ptype, 1)
	for email, role in ((OFFICE_USER, "Accounts User"), (TECH_USER, TECH_ROLE)):
		if not frappe.db.exists("User", email):
			user = frappe.get_doc(
				{
					"doctype": "User",
					"email": email,
					"first_name": email.split("@")[0],
					"send_welcome_email": 0,
				}
			)
			user.append("roles", {"role": role})
			user.insert(ignore_permissions=True)
	frappe.db.commit()
	frappe.clear_cache(doctype="Sales Invoice")


def ensure_department(name="_PB Installations", enabled=1) -> str:
	department = frappe.db.get_value("Department", {"department_name": name, "company": company()})
	if not department:
		department = (
			frappe.get_doc({"doctype": "Department", "department_name": name, "company": company()})
			.insert(ignore_permissions=True)
			.name
		)
	frappe.db.set_value("Department", department, "pb_enabled", enabled)
	return department


def ensure_outgoing_account():
	"""A real outgoing Email Account inside the test's transaction, so sendmail queues as
	on a live site (and not through a muted dummy)."""
	frappe.local.outgoing_email_account = {}
	if not frappe.db.exists("Email Account", "_PB Outgoing"):
		frappe.get_doc(
			{
				"doctype": "Email Account",
				"email_account_name": "_PB Outgoing",
				"email_id": "pb-outgoing@example.com",
				"enable_outgoing": 1,
				"default_outgoing": 1,
				"smtp_server": "localhost",
				"no_smtp_authentication": 1,
			}
		).insert(ignore_permissions=True)


def customer_with_email(address, unsubscribed=0, prefix="_PB Customer ") -> str:
	"""A customer of this test alone, with a primary contact at `address` (none if None)."""
	customer = ensure_customer(prefix + frappe.generate_hash(length=8))
	if address:
		contact = frappe.get_doc(
			{
				"doctype": "Contact",
				"first_name": customer,
				"unsubscribed": unsubscribed,
				"email_ids": [{"email_id": address, "is_primary": 1}],
				"links": [{"link_doctype": "Customer", "link_name": customer}],
			}
		).insert(ignore_permissions=True)
		frappe.db.set_value("Customer", customer, "customer_primary_contact", contact.name)
	return customer
