from frappe.model.document import Document


class PaymentScheduleTemplateStage(Document):
	pass
