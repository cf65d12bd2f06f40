import frappe
from frappe import _
from frappe.model.document import Document

from progress_billing.engine import PlanError, check_stages
from progress_billing.engine.text import TEMPLATE_NAME, plain_text
from progress_billing.errors import throw_refusal


class PaymentScheduleTemplate(Document):
	def validate(self):
		try:
			self.template_name = plain_text(self.template_name, TEMPLATE_NAME)
			percentages = check_stages([row.as_dict() for row in self.stages])
		except PlanError as refusal:
			throw_refusal(refusal, title=_("Invalid Template"))
		for row, percentage in zip(self.stages, percentages, strict=True):
			row.percentage = percentage

	def on_trash(self):
		if self.is_builtin and not frappe.flags.in_uninstall:
			frappe.throw(
				_("{0} is a built-in template and cannot be deleted.").format(frappe.bold(self.name))
			)

	def before_rename(self, old, new, merge=False):
		try:
			plain_text(new, TEMPLATE_NAME)
		except PlanError as refusal:
			throw_refusal(refusal, title=_("Invalid Template"))
		if self.is_builtin:
			frappe.throw(_("{0} is a built-in template and cannot be renamed.").format(frappe.bold(old)))
