import frappe
from frappe import _
from frappe.model.document import Document

from progress_billing.engine import PlanError
from progress_billing.engine.text import INSTALLMENT_NAME, PROGRAM_NAME, plain_text
from progress_billing.errors import throw_refusal
from progress_billing.setup.visibility import sync_visibility


class ProgressBillingSettings(Document):
	def validate(self):
		if (self.default_interval_days or 0) < 1:
			frappe.throw(_("The default interval must be at least one day."))
		try:
			self.program_name = plain_text(self.program_name, PROGRAM_NAME)
			self.interval_name = plain_text(self.interval_name, INSTALLMENT_NAME)
		except PlanError as refusal:
			throw_refusal(refusal, title=_("Invalid Words"))

	def on_update(self):
		# The switch and the program's name reach menus and the workspace at once.
		sync_visibility()
