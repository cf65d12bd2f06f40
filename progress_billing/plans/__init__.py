"""A plan's home on its document: where it is stored, how it is refreshed from the ledger,
how it moves from quotation to order to invoice, and what the desk and portal read of it.

Modules, in the order a payment passes through them:
- owners: the documents a plan belongs to (invoice, order, quotation), read as one shape
- ledger: what ERPNext's Payment Ledger and Advance Payment Ledger say was received
- figures: the plan's figures, from the engine, given the document and its money
- store: writing installments and the document's plan values
- schedule: ERPNext's Payment Schedule, mirroring the plan
- recompute: the refresh that runs them in that order, once per payment

Beside them: making (a plan made, copied, dropped), handover (quotation → order → invoice),
tasks and rescheduling (due dates), payload (the plan as the API gives it).
"""

import frappe

INSTALLMENT = "Progress Billing Installment"
INSTALLMENT_FIELDS = (
	"name",
	"stage_no",
	"label",
	"percentage",
	"amount",
	"due_date",
	"paid_amount",
	"outstanding_amount",
	"status",
	"trigger",
	"task",
	"offset_days",
	"to_collect",
	"draw_invoice",
	"retained",
)

# The values of a document a plan is read by, as a Sales Invoice names them.
PLAN_VALUES = (
	"pb_plan_status",
	"pb_plan_target",
	"pb_outside_plan",
	"pb_refunds_before",
	"pb_refunded_balance",
	"pb_template",
	"pb_mode",
)
# The document's own plan fields, which after_insert writes with queries.
PLAN_DOC_FIELDS = (
	*PLAN_VALUES,
	"pb_billing",
	"pb_plan_order",
	"pb_plan_invoice",
	"pb_schedule_notified",
)


def update_row(doctype: str, name: str, values: dict):
	"""One row's values by a plain UPDATE, its `modified` untouched: on the payment path,
	where frappe.db.set_value costs several times more."""
	assignments = ", ".join(f"`{field}` = %s" for field in values)
	frappe.db.sql(f"update `tab{doctype}` set {assignments} where name = %s", [*values.values(), name])
