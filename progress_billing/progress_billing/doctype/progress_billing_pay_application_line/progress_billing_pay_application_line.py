from frappe.model.document import Document


class ProgressBillingPayApplicationLine(Document):
	pass
