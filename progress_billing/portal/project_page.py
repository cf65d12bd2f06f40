"""The job timeline on ERPNext's portal project page (/projects?project=...).

ERPNext's page stays in charge: its context (which refuses anyone but the project's
users), its script and its layout. This renderer only swaps in a template that extends
ERPNext's and adds the timeline below it.
"""

from frappe.website.page_renderers.template_page import TemplatePage

from progress_billing import settings
from progress_billing.views.timeline import project_timeline

ERPNEXT_PAGE = "projects"
TEMPLATE = "progress_billing/templates/includes/portal/project.html"


class ProjectPortalPage(TemplatePage):
	def set_template_path(self):
		super().set_template_path()
		self.ours = self.path == ERPNEXT_PAGE and getattr(self, "app", None) == "erpnext"

	def can_render(self):
		return self.ours and super().can_render()

	def update_context(self):
		super().update_context()  # ERPNext's get_context: permission and the project
		project = self.context.get("doc")
		if project and settings.is_enabled():
			timeline = project_timeline(project.name)
			self.context.pb_timeline = timeline if timeline["entries"] else None
		# The source is read from context.template; ERPNext's co-located script still loads.
		self.template_path = self.context.template = TEMPLATE
