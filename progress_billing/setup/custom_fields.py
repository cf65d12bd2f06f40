"""Fields this app adds to ERPNext doctypes: all prefixed pb_, none copied to new documents."""

# The plan's own values: shown through the plan section's summary, kept as fields for
# list filters, reports and integrators.
PLAN_FIELD_DEFAULTS = {"no_copy": 1, "read_only": 1, "allow_on_submit": 1, "print_hide": 1, "hidden": 1}

SALES_INVOICE_FIELDS = [
	# Unlabelled: the plan's own HTML carries the program's name as its title, which a
	# static label could not follow when the name changes.
	{
		"fieldname": "pb_section",
		"fieldtype": "Section Break",
		"label": "",
		"insert_after": "disable_rounded_total",
	},
	{"fieldname": "pb_plan_html", "fieldtype": "HTML", "label": "Plan", "insert_after": "pb_section"},
	{
		"fieldname": "pb_plan_print",
		"fieldtype": "HTML",
		"label": "Plan (Print)",
		"options": '{% include "progress_billing/templates/print/plan.html" %}',
		"insert_after": "pb_plan_html",
		"hidden": 1,
		"print_hide": 0,
	},
	{
		"fieldname": "pb_plan_status",
		"fieldtype": "Select",
		"label": "Plan Status",
		"options": "\nActive\nCompleted\nCancelled",
		"insert_after": "pb_plan_print",
		"search_index": 1,
		"in_standard_filter": 1,
		**PLAN_FIELD_DEFAULTS,
	},
	{
		"fieldname": "pb_template",
		"fieldtype": "Link",
		"label": "Plan Template",
		"options": "Payment Schedule Template",
		"insert_after": "pb_plan_status",
		**PLAN_FIELD_DEFAULTS,
	},
	{
		"fieldname": "pb_mode",
		"fieldtype": "Select",
		"label": "Plan Split",
		"options": "\nPercentage\nAmount",
		"insert_after": "pb_template",
		**PLAN_FIELD_DEFAULTS,
	},
	{
		"fieldname": "pb_plan_target",
		"fieldtype": "Currency",
		"label": "Plan Target",
		"options": "currency",
		"insert_after": "pb_mode",
		**PLAN_FIELD_DEFAULTS,
	},
	{
		"fieldname": "pb_outside_plan",
		"fieldtype": "Currency",
		"label": "Billed Outside the Plan",
		"description": "Part of the invoice total the plan does not cover, such as advances already allocated.",
		"options": "currency",
		"insert_after": "pb_plan_target",
		"hidden": 1,
		**PLAN_FIELD_DEFAULTS,
	},
	{
		"fieldname": "pb_schedule_notified",
		"fieldtype": "Data",
		"label": "Schedule Last Sent",
		"description": "A fingerprint of the schedule the customer was last told about.",
		"insert_after": "pb_refunds_before",
		"hidden": 1,
		**PLAN_FIELD_DEFAULTS,
	},
	{
		"fieldname": "pb_refunds_before",
		"fieldtype": "Currency",
		"label": "Refunded Before the Plan",
		"options": "currency",
		"insert_after": "pb_outside_plan",
		"hidden": 1,
		**PLAN_FIELD_DEFAULTS,
	},
	{
		"fieldname": "pb_refunded_balance",
		"fieldtype": "Currency",
		"label": "Refunded, Still Owed",
		"description": "Money refunded after installments were paid, owed beside the plan until paid again.",
		"options": "currency",
		"insert_after": "pb_schedule_notified",
		"hidden": 1,
		**PLAN_FIELD_DEFAULTS,
	},
]


# Retainage on an invoice's own plan (a job billed as one invoice): its terms, copied to
# an amendment or a duplicate with the retainage row of its taxes; when it releases itself.
INVOICE_RETAINAGE_FIELDS = [
	{
		"fieldname": "pb_retainage",
		"fieldtype": "Percent",
		"label": "Retainage %",
		"insert_after": "pb_refunded_balance",
		"read_only": 1,
		"hidden": 1,
		"print_hide": 1,
	},
	{
		"fieldname": "pb_retainage_step_at",
		"fieldtype": "Percent",
		"label": "Retainage Steps Down at % Billed",
		"insert_after": "pb_retainage",
		"read_only": 1,
		"hidden": 1,
		"print_hide": 1,
	},
	{
		"fieldname": "pb_retainage_after",
		"fieldtype": "Percent",
		"label": "Retainage % after the Step-Down",
		"insert_after": "pb_retainage_step_at",
		"read_only": 1,
		"hidden": 1,
		"print_hide": 1,
	},
	{
		"fieldname": "pb_retainage_release_on",
		"fieldtype": "Date",
		"label": "Release Retainage On",
		"insert_after": "pb_retainage_after",
		"read_only": 1,
		"hidden": 1,
		"allow_on_submit": 1,
		"print_hide": 1,
	},
	{
		"fieldname": "pb_retainage_release_task",
		"fieldtype": "Link",
		"label": "Release Retainage When Task Is Completed",
		"options": "Task",
		"insert_after": "pb_retainage_release_on",
		"read_only": 1,
		"hidden": 1,
		"allow_on_submit": 1,
		"print_hide": 1,
	},
]


def earlier_document_fields(moved_status: str, moved_to: str, next_doctype: str) -> list[dict]:
	"""An invoice's plan fields for a document whose plan moves on to the next one of the
	job: its status also says when it did, and a field names where it went."""
	return [
		{**field, "options": f"{field['options']}\n{moved_status}"}
		if field["fieldname"] == "pb_plan_status"
		else field
		for field in SALES_INVOICE_FIELDS
	] + [
		{
			"fieldname": moved_to,
			"fieldtype": "Link",
			"label": "Plan Moved To",
			"options": next_doctype,
			"insert_after": "pb_refunded_balance",
			**PLAN_FIELD_DEFAULTS,
		}
	]


# An order's plan moves to the invoice that bills the whole order; a quotation's to the
# order made from it.
SALES_ORDER_FIELDS = [
	*earlier_document_fields("Invoiced", "pb_plan_invoice", "Sales Invoice"),
	{
		"fieldname": "pb_billing",
		"fieldtype": "Select",
		"label": "Plan Billing",
		"description": "One invoice for the whole order, one invoice per installment, or one per pay application (billed by progress per line).",
		"options": "\nOne Invoice\nInvoice Each Draw\nPay Applications",
		"search_index": 1,
		"insert_after": "pb_plan_invoice",
		**PLAN_FIELD_DEFAULTS,
	},
	# Retainage on an order billed draw by draw: each draw withholds its share of the work.
	{
		"fieldname": "pb_retainage",
		"fieldtype": "Percent",
		"label": "Retainage %",
		"insert_after": "pb_billing",
		**PLAN_FIELD_DEFAULTS,
	},
	# Pay applications: the contract sum when the order was submitted, beside which change
	# orders (ERPNext's Update Items) show as the net change.
	{
		"fieldname": "pb_original_contract_sum",
		"fieldtype": "Currency",
		"label": "Original Contract Sum",
		"options": "currency",
		"insert_after": "pb_retainage_after",
		**PLAN_FIELD_DEFAULTS,
	},
	# Retainage released by itself: on a date (the warranty's end) or when a task is completed.
	{
		"fieldname": "pb_retainage_release_on",
		"fieldtype": "Date",
		"label": "Release Retainage On",
		"insert_after": "pb_original_contract_sum",
		**PLAN_FIELD_DEFAULTS,
	},
	{
		"fieldname": "pb_retainage_release_task",
		"fieldtype": "Link",
		"label": "Release Retainage When Task Is Completed",
		"options": "Task",
		"insert_after": "pb_retainage_release_on",
		**PLAN_FIELD_DEFAULTS,
	},
	{
		"fieldname": "pb_retainage_step_at",
		"fieldtype": "Percent",
		"label": "Retainage Steps Down at % Billed",
		"insert_after": "pb_retainage",
		**PLAN_FIELD_DEFAULTS,
	},
	{
		"fieldname": "pb_retainage_after",
		"fieldtype": "Percent",
		"label": "Retainage % after the Step-Down",
		"insert_after": "pb_retainage_step_at",
		**PLAN_FIELD_DEFAULTS,
	},
]
QUOTATION_FIELDS = earlier_document_fields("Ordered", "pb_plan_order", "Sales Order")

# An invoice that bills one installment of an order's plan ("Rough-in, 2 of 3"): the
# title shows on the form and in print, under the customer.
DRAW_INVOICE_FIELDS = [
	{
		"fieldname": "pb_draw_title",
		"fieldtype": "Data",
		"label": "Bills Installment",
		"insert_after": "customer_name",
		"read_only": 1,
		"no_copy": 1,
		"depends_on": "pb_draw_title",
		"in_list_view": 0,
	},
	{
		"fieldname": "pb_draw_order",
		"fieldtype": "Link",
		"label": "Draw of Sales Order",
		"options": "Sales Order",
		"insert_after": "pb_draw_title",
		"read_only": 1,
		"no_copy": 1,
		"print_hide": 1,
		"search_index": 1,
		"depends_on": "pb_draw_order",
	},
	{
		"fieldname": "pb_draw_stage",
		"fieldtype": "Int",
		"label": "Draw Position",
		"insert_after": "pb_draw_order",
		"read_only": 1,
		"no_copy": 1,
		"hidden": 1,
		"print_hide": 1,
	},
	# The job whose retainage the invoice withholds (a draw) or bills back (a release).
	# Copied to its credit notes and amendments, which put the retainage right.
	{
		"fieldname": "pb_retainage_order",
		"fieldtype": "Link",
		"label": "Retainage of Sales Order",
		"options": "Sales Order",
		"insert_after": "pb_draw_stage",
		"read_only": 1,
		"print_hide": 1,
		"search_index": 1,
		"depends_on": "pb_retainage_order",
	},
	{
		"fieldname": "pb_retainage_invoice",
		"fieldtype": "Link",
		"label": "Retainage of Sales Invoice",
		"options": "Sales Invoice",
		"insert_after": "pb_retainage_order",
		"read_only": 1,
		# Not copied: an amendment's original is cancelled, which a link may not name.
		# Credit notes and amended releases take it from their original (validate).
		"no_copy": 1,
		"print_hide": 1,
		"search_index": 1,
		"depends_on": "eval:doc.pb_retainage_invoice && doc.pb_retainage_invoice !== doc.name",
	},
	{
		"fieldname": "pb_pay_application",
		"fieldtype": "Link",
		"label": "Pay Application",
		"options": "Progress Billing Pay Application",
		"insert_after": "pb_retainage_order",
		"read_only": 1,
		"no_copy": 1,
		"print_hide": 1,
		"search_index": 1,
		"depends_on": "pb_pay_application",
	},
	{
		"fieldname": "pb_retainage_release",
		"fieldtype": "Check",
		"label": "Releases Retainage",
		"insert_after": "pb_retainage_order",
		"read_only": 1,
		"print_hide": 1,
		"depends_on": "pb_retainage_release",
	},
]

DEPARTMENT_FIELD = {
	"fieldname": "pb_department",
	"fieldtype": "Link",
	"label": "Department",
	"options": "Department",
	"insert_after": "customer_name",
	"print_hide": 1,
}

CUSTOM_FIELDS = {
	"Project": [
		# Unlabelled, like the invoice's plan section.
		{
			"fieldname": "pb_timeline_section",
			"fieldtype": "Section Break",
			"label": "",
			"insert_after": "notes",
		},
		{
			"fieldname": "pb_timeline_html",
			"fieldtype": "HTML",
			"label": "Job Timeline",
			"insert_after": "pb_timeline_section",
		},
	],
	"Journal Entry": [
		{
			"fieldname": "pb_refund_of",
			"fieldtype": "Link",
			"label": "Refund of Payment",
			"options": "Payment Entry",
			"insert_after": "cheque_date",
			"read_only": 1,
			"no_copy": 1,
			"search_index": 1,
		}
	],
	"Sales Invoice": [*SALES_INVOICE_FIELDS, *INVOICE_RETAINAGE_FIELDS, *DRAW_INVOICE_FIELDS],
	"Sales Order": SALES_ORDER_FIELDS,
	"Quotation": QUOTATION_FIELDS,
	"Company": [
		{
			"fieldname": "pb_retainage_account",
			"fieldtype": "Link",
			"label": "Retainage Receivable Account",
			"options": "Account",
			"description": "Where retainage withheld from draw invoices is held until it is released; created on first use.",
			"insert_after": "default_receivable_account",
		}
	],
	"Department": [
		{
			"fieldname": "pb_enabled",
			"fieldtype": "Check",
			"label": "Progress Billing",
			"description": "New invoices of this department get the default plan.",
			"insert_after": "disabled",
		}
	],
	"User": [
		{
			"fieldname": "pb_enabled",
			"fieldtype": "Check",
			"label": "Progress Billing",
			"default": "1",
			"description": "Show the progress billing program to this user.",
			"insert_after": "enabled",
		}
	],
}
