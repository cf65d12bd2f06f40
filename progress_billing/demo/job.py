"""The demo's documents, made the way a user makes them: ERPNext's own forms and mappers
(Make Sales Order, Make Sales Invoice, Payment Entry) and the app's public API
(`progress_billing.api`). Every document made is handed to `record`, so the demo's
removal finds it again."""

import frappe
from frappe import _
from frappe.contacts.doctype.contact.contact import get_contact_name
from frappe.utils import add_days, flt, getdate, nowdate
from frappe.utils.password import update_password

from erpnext.accounts.doctype.payment_entry.payment_entry import get_payment_entry
from erpnext.accounts.doctype.sales_invoice.sales_invoice import get_bank_cash_account
from erpnext.selling.doctype.quotation.quotation import make_sales_order
from erpnext.selling.doctype.sales_order.sales_order import make_sales_invoice

from progress_billing import api

PORTAL_EMAIL = "greenway-kitchens.demo@example.com"
THIRDS = "Thirds"
COUNTERTOP = "Countertop: Measure / Removal / Install"
EACH_DRAW = "Invoice Each Draw"


class Job:
	"""What the demo makes on one company, dated around today."""

	def __init__(self, record):
		self.record = record  # called with every document made, in the order made
		self.today = getdate(nowdate())
		self.company = company()
		self.mode_of_payment = mode_of_payment(self.company)
		self.interval = frappe.db.get_single_value("Progress Billing Settings", "default_interval_days") or 30

	def days(self, offset: int):
		return add_days(self.today, offset)

	# The customer, who reads the job on the portal

	def customer(self) -> str:
		customer = frappe.get_doc(
			{
				"doctype": "Customer",
				"customer_name": _("Greenway Kitchens (Demo)"),
				"customer_type": "Company",
				"customer_group": default_or_leaf("Customer Group", "Selling Settings"),
				"territory": default_or_leaf("Territory", "Selling Settings"),
			}
		).insert()
		self.record(customer)
		self.customer_name = customer.name
		return customer.name

	def portal_user(self) -> tuple[str, str]:
		"""A Website User with the Customer role, the customer's contact and portal user;
		returns the user and a password made for it."""
		user = frappe.get_doc(
			{
				"doctype": "User",
				"email": PORTAL_EMAIL,
				"first_name": "Dana",
				"last_name": _("Whitfield (Demo)"),
				"send_welcome_email": 0,
				"roles": [{"role": "Customer"}],
			}
		).insert()
		self.record(user)
		password = frappe.generate_hash(length=12)
		update_password(user.name, password)

		# Frappe makes the user's contact itself, now or once this is committed; the
		# same contact, found by its email, is linked to the customer here.
		existing = get_contact_name(PORTAL_EMAIL)
		contact = frappe.get_doc("Contact", existing) if existing else frappe.new_doc("Contact")
		contact.update({"first_name": user.first_name, "last_name": user.last_name, "user": user.name})
		if not existing:
			contact.add_email(PORTAL_EMAIL, is_primary=True)
		contact.is_primary_contact = 1
		contact.append("links", {"link_doctype": "Customer", "link_name": self.customer_name})
		contact.save()
		if not existing:
			self.record(contact)

		customer = frappe.get_doc("Customer", self.customer_name)
		customer.customer_primary_contact = contact.name
		customer.append("portal_users", {"user": user.name})
		customer.save()
		self.portal_user_name = user.name
		return user.name, password

	def items(self):
		self.works = self.item(
			_("Remodel Works (Demo)"), _("Cabinets, worktops and fittings, supplied and fitted"), "Nos"
		)
		self.labour = self.item(_("Installation Labour (Demo)"), _("A fitter's day on site"), "Day")

	def item(self, code: str, description: str, uom: str) -> str:
		item = frappe.get_doc(
			{
				"doctype": "Item",
				"item_code": code,
				"item_name": code,
				"description": description,
				"item_group": "Services"
				if frappe.db.exists("Item Group", {"name": "Services", "is_group": 0})
				else default_or_leaf("Item Group", "Stock Settings"),
				"stock_uom": uom if frappe.db.exists("UOM", uom) else "Nos",
				"is_stock_item": 0,
				"include_item_in_manufacturing": 0,
			}
		).insert()
		self.record(item)
		return item.name

	def lines(self, *rows) -> list[dict]:
		return [{"item_code": item, "qty": qty, "rate": rate} for item, qty, rate in rows]

	# The kitchen: quoted, ordered, a deposit, one invoice for the whole order

	def kitchen(self) -> dict:
		"""A quote 30 / 40 / 30 dated so that the deposit fell due on it, the progress
		installment (the default interval later) is past due and the final one is to come."""
		start = self.days(-(self.interval + 8))
		quotation = frappe.get_doc(
			{
				"doctype": "Quotation",
				"company": self.company,
				"quotation_to": "Customer",
				"party_name": self.customer_name,
				"transaction_date": start,
				"valid_till": self.days(30),
				"disable_rounded_total": 1,
				"items": self.lines((self.works, 1, 8400), (self.labour, 3, 1360)),
			}
		).insert()
		self.record(quotation)
		api.save_plan(
			doctype="Quotation",
			name=quotation.name,
			installments=[
				{"label": _("Deposit"), "percentage": 30},
				{"label": _("Rough-in"), "percentage": 40},
				{"label": _("Final"), "percentage": 30, "due_date": str(self.days(21))},
			],
		)
		quotation.reload()
		quotation.submit()

		order = make_sales_order(quotation.name)
		order.transaction_date = start
		order.delivery_date = self.days(21)
		order.insert()
		self.record(order)
		order.reload()
		order.submit()

		plan = api.get_plan(doctype="Sales Order", name=order.name)
		deposit = api.accept_payment(
			doctype="Sales Order",
			name=order.name,
			amount=plan["installments"][0]["amount"],
			mode_of_payment=self.mode_of_payment,
			reference_no="GK-DEPOSIT",
			reference_date=str(self.today),
		)
		self.record(frappe.get_doc("Payment Entry", deposit["payment_entry"]))

		invoice = make_sales_invoice(order.name)
		invoice.set_posting_time = 1
		invoice.posting_date = start
		invoice.allocate_advances_automatically = 1
		invoice.set_advances()
		invoice.insert()
		self.record(invoice)
		invoice.reload()
		invoice.submit()

		rough_in = api.get_plan(invoice.name)["installments"][1]
		payment = self.payment(invoice.name, flt(rough_in["amount"] / 2, 0), "GK-ROUGH-IN")
		return {
			"quotation": quotation.name,
			"order": order.name,
			"deposit": deposit["payment_entry"],
			"invoice": invoice.name,
			"payment": payment,
		}

	def payment(self, invoice_name: str, amount, reference_no: str) -> str:
		"""A Payment Entry against the invoice, as Create > Payment on its form makes it."""
		payment = get_payment_entry("Sales Invoice", invoice_name, party_amount=amount)
		payment.mode_of_payment = self.mode_of_payment
		payment.paid_to = get_bank_cash_account(self.mode_of_payment, self.company)["account"]
		payment.reference_no = reference_no
		payment.reference_date = self.today
		for reference in payment.references:
			reference.allocated_amount = amount
		payment.set_amounts()
		payment.insert()
		self.record(payment)
		payment.submit()
		return payment.name

	# The bathroom: an order billed draw by draw

	def bathroom(self) -> dict:
		"""Thirds, one invoice per draw, 10% retainage held until the job is done: the first
		draw is invoiced (due today, less its retainage), the others wait for their dates."""
		start = self.days(-min(10, self.interval - 1))
		order = frappe.get_doc(
			{
				"doctype": "Sales Order",
				"company": self.company,
				"customer": self.customer_name,
				"transaction_date": start,
				"delivery_date": self.days(2 * self.interval),
				"disable_rounded_total": 1,
				"items": self.lines((self.works, 1, 4200), (self.labour, 2, 1150)),
			}
		).insert()
		self.record(order)
		had_account = frappe.db.get_value("Company", self.company, "pb_retainage_account")
		api.save_plan(
			doctype="Sales Order", name=order.name, template=THIRDS, billing=EACH_DRAW, retainage=10
		)
		order.reload()
		order.submit()
		draw = api.invoice_draw(sales_order=order.name, idx=1)["sales_invoice"]
		self.record(frappe.get_doc("Sales Invoice", draw))
		account = frappe.db.get_value("Company", self.company, "pb_retainage_account")
		if account != had_account:  # made for the demo's retainage: removed with it
			self.record(frappe.get_doc("Account", account))
		return {"order": order.name, "draw_invoice": draw}

	# The showroom fit-out: a commercial job billed by pay applications

	def fitout(self) -> dict:
		"""Four lines of work, 10% retainage, billed monthly by progress: last month's
		application submitted (its invoice due), this month's drafted with materials stored."""
		start = self.days(-45)
		order = frappe.get_doc(
			{
				"doctype": "Sales Order",
				"company": self.company,
				"customer": self.customer_name,
				"transaction_date": start,
				"delivery_date": self.days(60),
				"disable_rounded_total": 1,
				# The schedule of values: lines of one item told apart by their descriptions.
				"items": [
					{"item_code": item, "qty": qty, "rate": rate, "description": description}
					for item, qty, rate, description in (
						(self.works, 1, 18000, _("Partitions and ceilings")),
						(self.works, 1, 9500, _("Shop fittings and display units")),
						(self.labour, 20, 450, _("Fit-out labour")),
						(self.works, 1, 6500, _("Lighting and finishes")),
					)
				],
			}
		).insert()
		self.record(order)
		api.save_plan(doctype="Sales Order", name=order.name, billing="Pay Applications", retainage=10)
		order.reload()
		order.submit()
		first = order.items
		last_month = api.make_pay_application(
			sales_order=order.name,
			period_end=self.days(-15),
			posting_date=self.days(-15),
			lines=[
				{"so_detail": first[0].name, "percent_complete": 40},
				{"so_detail": first[2].name, "percent_complete": 25},
			],
		)["name"]
		application = frappe.get_doc("Progress Billing Pay Application", last_month)
		self.record(application)
		application.submit()
		self.record(frappe.get_doc("Sales Invoice", application.sales_invoice))
		this_month = api.make_pay_application(
			sales_order=order.name,
			period_end=self.today,
			lines=[
				{"so_detail": first[0].name, "percent_complete": 75},
				{"so_detail": first[1].name, "stored": 4200},
				{"so_detail": first[2].name, "percent_complete": 60},
			],
		)["name"]
		self.record(frappe.get_doc("Progress Billing Pay Application", this_month))
		return {"order": order.name, "submitted": last_month, "draft": this_month}

	# The countertops: installments that follow the project's tasks

	def countertops(self) -> dict:
		"""Measured a week ago and paid; the old tops removed today, so that installment
		falls due; installing is still to come."""
		measured = self.days(-7)
		project = frappe.get_doc(
			{
				"doctype": "Project",
				"project_name": _("Greenway Kitchens: Countertops (Demo)"),
				"company": self.company,
				"customer": self.customer_name,
				"expected_start_date": measured,
				"expected_end_date": self.days(9),
				# The customer sees the job's timeline on the portal; no invitation email.
				"users": [{"user": self.portal_user_name, "welcome_email_sent": 1}],
			}
		).insert()
		self.record(project)
		measure, removal, install = frappe.get_all(
			"Payment Schedule Template Stage",
			{"parent": COUNTERTOP, "parenttype": "Payment Schedule Template"},
			pluck="task_subject",
			order_by="idx",
		)
		tasks = {}
		for subject, begins, ends in (
			(measure, measured, measured),
			(removal, self.days(-2), self.today),
			(install, self.days(5), self.days(9)),
		):
			task = frappe.get_doc(
				{
					"doctype": "Task",
					"subject": subject,
					"project": project.name,
					"exp_start_date": begins,
					"exp_end_date": ends,
				}
			).insert()
			self.record(task)
			tasks[subject] = task

		invoice = frappe.get_doc(
			{
				"doctype": "Sales Invoice",
				"company": self.company,
				"customer": self.customer_name,
				"project": project.name,
				"set_posting_time": 1,
				"posting_date": measured,
				"due_date": measured,
				"disable_rounded_total": 1,
				"items": self.lines((self.works, 1, 4000)),
			}
		).insert()
		self.record(invoice)
		api.save_plan(doctype="Sales Invoice", name=invoice.name, template=COUNTERTOP)
		invoice.reload()
		invoice.submit()
		first = api.get_plan(invoice.name)["installments"][0]
		payment = self.payment(invoice.name, first["amount"], "GK-MEASURE")

		for subject, completed_on in ((measure, self.days(-6)), (removal, self.today)):
			task = tasks[subject]
			task.reload()
			task.status = "Completed"
			task.completed_on = completed_on
			task.save()
		return {"project": project.name, "invoice": invoice.name, "payment": payment}


def company() -> str:
	return (
		frappe.db.get_single_value("Global Defaults", "default_company")
		or frappe.get_all("Company", pluck="name", order_by="creation", limit=1)[0]
	)


def default_or_leaf(doctype: str, settings: str) -> str:
	"""The settings' default (Selling Settings' customer group, say), or the first that is
	not a group."""
	default = frappe.db.get_single_value(settings, frappe.scrub(doctype))
	if default and frappe.db.exists(doctype, {"name": default, "is_group": 0}):
		return default
	return frappe.get_all(doctype, {"is_group": 0}, pluck="name", order_by="lft", limit=1)[0]


def mode_of_payment(company_name: str) -> str:
	"""Cash where it has an account for the company, else any mode of payment that has."""
	modes = frappe.get_all(
		"Mode of Payment Account",
		{"company": company_name, "default_account": ("is", "set"), "parenttype": "Mode of Payment"},
		pluck="parent",
	)
	enabled = set(
		frappe.get_all("Mode of Payment", {"name": ("in", modes or [""]), "enabled": 1}, pluck="name")
	)
	if "Cash" in enabled:
		return "Cash"
	if not enabled:
		frappe.throw(
			_("Give a Mode of Payment (Cash, say) a default account for {0} first.").format(company_name)
		)
	return sorted(enabled)[0]
