"""Puts our invoice pages on ERPNext's portal routes without editing ERPNext.

ERPNext maps /invoices to the Sales Invoice list and /invoices/<name> to its generic
`order` page. Route rules cannot be overridden (for equal rules Werkzeug keeps the
first one, and ERPNext's are loaded first), but page renderers from the
`page_renderer` hook are asked before Frappe's own: this one takes those two
endpoints, for Sales Invoice only, and renders our templates with our context.
"""

import os

import frappe
from frappe.website.page_renderers.template_page import TemplatePage

from progress_billing.portal import invoice_list, invoice_page

APP = "progress_billing"
TEMPLATES = "templates/includes/portal"
LIST_ENDPOINT = "Sales Invoice"  # what ERPNext's rule for /invoices resolves to
PAGE_ENDPOINT = "order"  # ERPNext's page for /invoices/<name>, with doctype in form_dict

PAGES = {
	"invoice_list": invoice_list.get_context,
	"invoice": invoice_page.get_context,
}


def page_for(endpoint: str) -> str | None:
	if endpoint == LIST_ENDPOINT:
		return "invoice_list"
	if endpoint == PAGE_ENDPOINT and frappe.form_dict.doctype == LIST_ENDPOINT:
		return "invoice"
	return None


class InvoicePortalPage(TemplatePage):
	def set_template_path(self):
		self.page = page_for(self.path)
		if not self.page:
			return
		self.app = APP
		self.app_path = frappe.get_app_path(APP)
		self.file_dir = TEMPLATES
		self.template_path = f"{TEMPLATES}/{self.page}.html"
		self.basename = os.path.join(self.app_path, TEMPLATES, self.page)
		self.basepath = os.path.dirname(self.basename)
		self.filename = f"{self.page}.html"
		self.name = self.page

	def can_render(self):
		return bool(self.page)

	def update_context(self):
		super().update_context()
		PAGES[self.page](self.context)
