import frappe
from frappe import _
from frappe.model.document import Document

from progress_billing.setup.visibility import sync_visibility


class ProgressBillingSettings(Document):
	def validate(self):
		if (self.default_interval_days or 0) < 1:
			frappe.throw(_("The default interval must be at least one day."))
		self.program_name = (self.program_name or "").strip()
		self.interval_name = (self.interval_name or "").strip()

	def on_update(self):
		# The switch and the program's name reach menus and the workspace at once.
		sync_visibility()
