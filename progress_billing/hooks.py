app_name = "progress_billing"
app_title = "Progress Billing"
app_publisher = "progress_billing developers"
app_description = "Bill one job in stages: a deposit, progress draws, a final payment"
app_email = "dev@progress-billing.local"
app_license = "MIT"

required_apps = ["frappe/erpnext"]

# Frappe's apps page (/apps), beside ERPNext. The workspace bears the program's name, which
# no fixed route spells, and Frappe sends a tile whose /app/<name> is no workspace of the
# user's to the first one: the tile opens the desk, and the desk, arriving from the apps
# page, opens the program's workspace (public/js/workspace_route.js).
add_to_apps_screen = [
	{
		"name": "progress_billing",
		"logo": "/assets/progress_billing/images/progress-billing-logo.svg",
		"title": "Progress Billing",
		"route": "/app",
		"has_permission": "progress_billing.settings.has_app_permission",
	}
]

after_install = "progress_billing.setup.install.after_install"
after_migrate = "progress_billing.setup.install.after_migrate"
before_uninstall = "progress_billing.setup.install.before_uninstall"

# The desk's script and styles, built by `bench build` (public/js, public/css).
app_include_css = "progress_billing.bundle.css"
app_include_js = "progress_billing.bundle.js"

# Every state's colour, sent to the desk once (views/colours.py).
boot_session = "progress_billing.views.colours.boot_session"

jinja = {"methods": ["progress_billing.views.printing.get_plan_for_print"]}

# ERPNext's /invoices route rules can't be overridden (the first identical rule wins);
# page renderers are asked first: ours answer only for Sales Invoices, and for ERPNext's
# project, quotation and order pages, which keep their own context and add the job
# timeline or the plan.
page_renderer = [
	"progress_billing.portal.renderer.InvoicePortalPage",
	"progress_billing.portal.project_page.ProjectPortalPage",
	"progress_billing.portal.order_page.OrderPortalPage",
]

# A customer opens the PDF of a pay application of their own order from the portal.
has_website_permission = {
	"Progress Billing Pay Application": "progress_billing.portal.access.pay_application_permission",
}

doc_events = {
	"Sales Invoice": {
		"onload": "progress_billing.overrides.form_load.onload",
		"after_insert": "progress_billing.overrides.sales_invoice.after_insert",
		"before_validate": "progress_billing.overrides.sales_invoice.before_validate",
		"validate": "progress_billing.overrides.sales_invoice.validate",
		"on_update": "progress_billing.overrides.sales_invoice.on_update",
		"on_submit": "progress_billing.overrides.sales_invoice.on_submit",
		"before_cancel": "progress_billing.overrides.sales_invoice.before_cancel",
		"on_cancel": "progress_billing.overrides.sales_invoice.on_cancel",
		"on_trash": "progress_billing.overrides.sales_invoice.on_trash",
	},
	"Quotation": {
		"onload": "progress_billing.overrides.form_load.onload",
		"after_insert": "progress_billing.overrides.selling_documents.after_insert",
		"validate": "progress_billing.overrides.selling_documents.validate",
		"on_update": "progress_billing.overrides.selling_documents.on_update",
		"on_cancel": "progress_billing.overrides.selling_documents.on_cancel",
		"on_trash": "progress_billing.overrides.selling_documents.on_trash",
	},
	"Sales Order": {
		"onload": "progress_billing.overrides.form_load.onload",
		"after_insert": "progress_billing.overrides.selling_documents.after_insert",
		"validate": "progress_billing.overrides.selling_documents.validate",
		"on_update": "progress_billing.overrides.selling_documents.on_update",
		"on_submit": "progress_billing.overrides.selling_documents.on_submit",
		"on_update_after_submit": "progress_billing.overrides.selling_documents.on_update_after_submit",
		"on_cancel": "progress_billing.overrides.selling_documents.on_cancel",
		"on_trash": "progress_billing.overrides.selling_documents.on_trash",
	},
	"Advance Payment Ledger Entry": {
		"after_insert": "progress_billing.overrides.sales_order.refresh_from_advance_ledger",
	},
	"Payment Entry": {
		"before_submit": "progress_billing.overrides.payments.lock_payment_entry_invoices",
		"before_cancel": "progress_billing.overrides.payments.lock_payment_entry_invoices",
		"on_submit": "progress_billing.overrides.sales_order.correct_advance_paid",
		"on_cancel": "progress_billing.overrides.sales_order.correct_advance_paid",
	},
	"Journal Entry": {
		"before_submit": "progress_billing.overrides.payments.lock_journal_entry_invoices",
		"before_cancel": "progress_billing.overrides.payments.lock_journal_entry_invoices",
	},
	"Unreconcile Payment": {
		"on_submit": "progress_billing.overrides.payments.refresh_unreconciled_invoices",
	},
	"Payment Request": {
		"validate": "progress_billing.overrides.payment_request.validate",
	},
	"Task": {
		"on_update": "progress_billing.overrides.task.on_update",
	},
	"Payment Ledger Entry": {
		"on_submit": "progress_billing.overrides.payment_ledger_entry.on_submit",
	},
}

scheduler_events = {
	"cron": {
		# Early morning in the site's timezone; the job itself runs on the long queue.
		# Draw invoices and reminders: a draw billed draw by draw is announced by its
		# invoice's email, and reminders leave it alone until it is invoiced.
		"0 6 * * *": [
			"progress_billing.billing.draw_scheduler.enqueue_due_draws",
			"progress_billing.notify.reminders.enqueue_draw_due_reminders",
		],
	},
}
