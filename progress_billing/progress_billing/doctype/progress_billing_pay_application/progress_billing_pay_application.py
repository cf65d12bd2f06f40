"""A pay application: the work completed per line of an order's schedule of values for a
period, billed on submit (billing/pay_applications.py holds what it does)."""

from frappe.model.document import Document

from progress_billing.billing import pay_applications


class ProgressBillingPayApplication(Document):
	def autoname(self):
		# "SAL-ORD-2026-00003-PA-02": the order and the application's number, which agree.
		pay_applications.number(self)
		self.name = f"{self.sales_order}-PA-{self.application_no:02d}"

	def validate(self):
		pay_applications.fill(self)

	def before_submit(self):
		pay_applications.check_latest(self)

	def on_submit(self):
		pay_applications.bill(self)

	def before_cancel(self):
		pay_applications.check_latest(self, cancelling=True)

	def on_cancel(self):
		pay_applications.unbill(self)

	def on_trash(self):
		pay_applications.forget_invoice(self)
