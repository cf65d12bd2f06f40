"""The business rules of progress billing, in plain Python.

Nothing here imports Frappe: the adapters in `overrides/`, `api.py` and the reports
read documents, call these functions and write back what they return.
"""

from progress_billing.engine.cascade import (
	ACTIVE,
	CANCELLED,
	COMPLETED,
	PAID,
	PARTLY_PAID,
	UNPAID,
	InstallmentState,
	allocate_receipts,
	collected_for_plan,
	current_installment,
	plan_status,
	refunds_owed,
)
from progress_billing.engine.due import DUE_TODAY, PAST_DUE, UPCOMING, days_overdue, due_group, due_sort_key
from progress_billing.engine.errors import OverpaymentError, PlanError
from progress_billing.engine.money import round_to, split_by_weights, to_decimal, unit
from progress_billing.engine.payment import (
	BELOW_CURRENT,
	COVERS_CURRENT,
	EXCEEDS_CURRENT,
	Landing,
	PaymentCheck,
	check_payment,
	land_payment,
)
from progress_billing.engine.plan import (
	AMOUNT,
	DEFAULT_INTERVAL_DAYS,
	MAX_INSTALLMENTS,
	MIN_INSTALLMENTS,
	PERCENTAGE,
	EventDue,
	Installment,
	Plan,
	build_plan,
	check_stages,
	reschedule_unpaid,
	resolve_due_dates,
)
from progress_billing.engine.recalculate import recalculate_amounts
from progress_billing.engine.standing import (
	COLLECTED,
	COLLECTED_WITH_BALANCE,
	DUE_NOW,
	PLAN_CANCELLED,
	Standing,
	plan_standing,
)
from progress_billing.engine.triggers import AFTER_TASK_COMPLETED, BEFORE_TASK_STARTS, TRIGGERS, task_due

__all__ = [
	"ACTIVE",
	"AFTER_TASK_COMPLETED",
	"AMOUNT",
	"BEFORE_TASK_STARTS",
	"BELOW_CURRENT",
	"CANCELLED",
	"COLLECTED",
	"COLLECTED_WITH_BALANCE",
	"COMPLETED",
	"COVERS_CURRENT",
	"DEFAULT_INTERVAL_DAYS",
	"DUE_NOW",
	"DUE_TODAY",
	"EXCEEDS_CURRENT",
	"MAX_INSTALLMENTS",
	"MIN_INSTALLMENTS",
	"PAID",
	"PARTLY_PAID",
	"PAST_DUE",
	"PERCENTAGE",
	"PLAN_CANCELLED",
	"TRIGGERS",
	"UNPAID",
	"UPCOMING",
	"EventDue",
	"Installment",
	"InstallmentState",
	"Landing",
	"OverpaymentError",
	"PaymentCheck",
	"Plan",
	"PlanError",
	"Standing",
	"allocate_receipts",
	"build_plan",
	"check_payment",
	"check_stages",
	"collected_for_plan",
	"current_installment",
	"days_overdue",
	"due_group",
	"due_sort_key",
	"land_payment",
	"plan_standing",
	"plan_status",
	"recalculate_amounts",
	"refunds_owed",
	"reschedule_unpaid",
	"resolve_due_dates",
	"round_to",
	"split_by_weights",
	"task_due",
	"to_decimal",
	"unit",
]
