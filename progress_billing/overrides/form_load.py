"""The plan's form context, sent with the document: Sales Invoice, Sales Order, Quotation.

Frappe runs `onload` hooks when the desk loads a document (`getdoc`) and after it saves
one (`savedocs`), so the form reads `__onload.progress_billing` instead of asking the
server again on every refresh.
"""

import frappe
from frappe import _

ONLOAD_KEY = "progress_billing"


def onload(doc, method=None):
	"""What `api.get_invoice_context` answers, for the user who may read the document. A
	form load never fails because of the plan: the form asks again by itself if this is
	missing."""
	if doc.is_new() or not frappe.has_permission(doc.doctype, "read", doc=doc):
		return
	messages = len(frappe.local.message_log)
	try:
		from progress_billing import api

		context = api.get_invoice_context(doctype=doc.doctype, name=doc.name)
	except Exception:
		# Logged, and its message kept from the person opening the form.
		del frappe.local.message_log[messages:]
		frappe.log_error(title=_("Plan context failed for {0} {1}").format(_(doc.doctype), doc.name))
		return
	# The form uses it only for this version of the document (a cancel sends none).
	context["modified"] = str(doc.modified)
	doc.set_onload(ONLOAD_KEY, context)
