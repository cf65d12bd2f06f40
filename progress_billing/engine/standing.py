"""Where a plan stands today, in one word and the figures that go with it.

The office's reports and the customer's portal both say this, each in its own words.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from progress_billing.engine.cascade import CANCELLED
from progress_billing.engine.money import ZERO, to_decimal

UPCOMING = "Upcoming"  # the current installment is not due yet
DUE_NOW = "Due Now"  # it falls due today
PAST_DUE = "Past Due"  # it, and maybe more, fell due before today
COLLECTED = "Collected"  # every installment paid, nothing owed
COLLECTED_WITH_BALANCE = "Collected With Balance"  # every installment paid, but a refund left a balance
PLAN_CANCELLED = "Plan Cancelled"  # a regular bill again


@dataclass(frozen=True)
class Standing:
	kind: str
	amount: Decimal  # what is asked for now: see plan_standing
	due_date: date | None = None
	idx: int | None = None  # the current installment, 1-based
	label: str | None = None
	refunded: Decimal = ZERO  # refunded money still owed beside the installments


def plan_standing(
	installments: Sequence, *, plan_status: str, invoice_outstanding, today: date, refunded_owed=0
) -> Standing:
	"""`installments` are rows with idx, label, outstanding_amount, due_date and status;
	`refunded_owed` is refunded money still owed (cascade.refunds_owed).

	The amount is the current installment's outstanding when it is upcoming or due
	today, everything outstanding that fell due before today when past due, and the
	invoice's balance when the plan is cancelled or fully collected.
	"""
	invoice_outstanding = to_decimal(invoice_outstanding or 0)
	refunded = to_decimal(refunded_owed or 0)
	if plan_status == CANCELLED:
		return Standing(PLAN_CANCELLED, invoice_outstanding)

	open_rows = [
		row for row in installments if to_decimal(row.outstanding_amount) > 0 and row.status != CANCELLED
	]
	if not open_rows:
		kind = COLLECTED_WITH_BALANCE if invoice_outstanding > 0 else COLLECTED
		return Standing(kind, invoice_outstanding, refunded=refunded)

	current = open_rows[0]
	due = current.due_date
	if due is not None and due < today:
		past_due = sum(
			(
				to_decimal(row.outstanding_amount)
				for row in open_rows
				if row.due_date and row.due_date < today
			),
			ZERO,
		)
		return Standing(PAST_DUE, past_due, due, current.idx, current.label, refunded)
	kind = DUE_NOW if due == today else UPCOMING
	return Standing(kind, to_decimal(current.outstanding_amount), due, current.idx, current.label, refunded)
