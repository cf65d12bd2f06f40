"""Pay applications: a job billed each period by the work completed on each line of its
schedule of values, plus materials stored on site, less retainage, less what earlier
applications already certified.

Each line of the schedule is a line of the order, worth its amount (its scheduled value).
An application says, per line, the work completed to date (as an amount or a percentage
of the line) and the materials presently stored; everything else follows. The summary is
the one a general contractor, an owner and an architect read: original contract sum, net
change by change orders, contract sum to date, total completed and stored to date,
retainage, total earned less retainage, less previous certificates, current payment due,
balance to finish including retainage.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from progress_billing.engine.errors import PlanError
from progress_billing.engine.messages import _
from progress_billing.engine.money import ZERO, round_to, to_decimal
from progress_billing.engine.retainage import HUNDRED, Retainage, retained_on


@dataclass(frozen=True)
class LineInput:
	"""One line as an application gives it: what is completed to date, and stored now."""

	key: str  # the order line's name
	scheduled: Decimal  # the line's amount on the order today (change orders included)
	previous_work: Decimal = ZERO  # work completed to date on the previous application
	previous_stored: Decimal = ZERO  # materials stored on the previous application
	work_to_date: Decimal | None = None  # None: where the previous application left it
	percent_to_date: Decimal | None = None  # or as a percentage of the scheduled value
	stored: Decimal | None = None  # None: as on the previous application


@dataclass(frozen=True)
class Line:
	key: str
	scheduled: Decimal
	previous: Decimal  # work completed and stored on previous applications
	this_period: Decimal  # work completed this period
	stored: Decimal  # materials presently stored (not in work completed)
	work_to_date: Decimal

	@property
	def completed_and_stored(self) -> Decimal:
		return self.work_to_date + self.stored

	@property
	def billed_this_period(self) -> Decimal:
		"""What the period's invoice bills of the line: completed and stored to date less
		what earlier applications billed (stored materials installed since move from stored
		to work and bill nothing again)."""
		return self.completed_and_stored - self.previous

	@property
	def balance_to_finish(self) -> Decimal:
		return self.scheduled - self.completed_and_stored

	def percent_complete(self) -> Decimal:
		if not self.scheduled:
			return ZERO
		return round_to(self.completed_and_stored * HUNDRED / self.scheduled, 2)


def work_for_percent(scheduled, percent, precision: int, row: int) -> Decimal:
	"""The work completed to date on a line given as a percentage of its scheduled value;
	refuses a percentage outside 0 to 100, naming the row."""
	percent = to_decimal(percent)
	if percent < 0 or percent > HUNDRED:
		raise PlanError(
			_("Row {0}: a line is between 0% and 100% complete, not {1}%."), row, percent, row=row
		)
	return round_to(to_decimal(scheduled) * percent / HUNDRED, precision)


def lines_for_period(inputs: Sequence[LineInput], precision: int) -> list[Line]:
	"""Each line's figures for the period. Refuses a line beyond its scheduled value (raise
	the line with a change order first), and a line going back (a correction is a credit
	note, which ERPNext can follow), naming the row."""
	lines = []
	for row, given in enumerate(inputs, 1):
		scheduled = to_decimal(given.scheduled)
		previous_work, previous_stored = to_decimal(given.previous_work), to_decimal(given.previous_stored)
		if given.work_to_date is not None:
			work = to_decimal(given.work_to_date)
		elif given.percent_to_date is not None:
			work = work_for_percent(scheduled, given.percent_to_date, precision, row)
		else:
			work = previous_work
		stored = previous_stored if given.stored is None else to_decimal(given.stored)
		if round_to(work, precision) != work or round_to(stored, precision) != stored:
			raise PlanError(_("Row {0}: more decimal places than the currency allows."), row, row=row)
		if work < 0 or stored < 0:
			raise PlanError(_("Row {0}: work and stored materials cannot be negative."), row, row=row)
		if work + stored > scheduled:
			raise PlanError(
				_(
					"Row {0}: {1} completed and stored is more than the line's {2}; raise the line with a change order first."
				),
				row,
				work + stored,
				scheduled,
				row=row,
			)
		previous = previous_work + previous_stored
		if work < previous_work or work + stored < previous:
			raise PlanError(
				_(
					"Row {0}: the line would go back from {1} to {2}; cancel and amend the application that overstated it instead (its invoice is cancelled with it)."
				),
				row,
				previous,
				work + stored,
				row=row,
			)
		lines.append(Line(given.key, scheduled, previous, work - previous_work, stored, work))
	return lines


@dataclass(frozen=True)
class Summary:
	"""The application's summary sheet, each figure exact to the cent."""

	original_contract_sum: Decimal
	net_change_by_change_orders: Decimal
	contract_sum_to_date: Decimal
	total_completed_and_stored: Decimal
	retainage_on_completed: Decimal
	retainage_on_stored: Decimal
	total_retainage: Decimal
	total_earned_less_retainage: Decimal
	previous_certificates: Decimal
	current_payment_due: Decimal
	balance_to_finish_including_retainage: Decimal


def summarize(
	lines: Sequence[Line],
	original_contract_sum,
	previous_certificates,
	retainage: Retainage,
	precision: int,
) -> Summary:
	"""The summary from the continuation sheet's lines. Retainage is withheld on what is
	completed and stored to date at the rate in force on each part of it (a step-down
	lowers the rate on the work beyond it, as for draws): on completed work, and the rest
	on stored materials, so the two add up to the total exactly."""
	original = to_decimal(original_contract_sum)
	contract = sum((line.scheduled for line in lines), ZERO)
	work = sum((line.work_to_date for line in lines), ZERO)
	stored = sum((line.stored for line in lines), ZERO)
	completed = work + stored
	retained = retained_on(completed, ZERO, contract, retainage, precision)
	on_work = retained_on(work, ZERO, contract, retainage, precision)
	on_stored = retained - on_work
	earned = completed - retained
	previous = to_decimal(previous_certificates)
	return Summary(
		original_contract_sum=original,
		net_change_by_change_orders=contract - original,
		contract_sum_to_date=contract,
		total_completed_and_stored=completed,
		retainage_on_completed=on_work,
		retainage_on_stored=on_stored,
		total_retainage=retained,
		total_earned_less_retainage=earned,
		previous_certificates=previous,
		current_payment_due=earned - previous,
		balance_to_finish_including_retainage=contract - earned,
	)


def period_retainage(summary: Summary, previous_retainage) -> Decimal:
	"""What this period's invoice withholds: the retainage to date less what earlier
	applications' invoices withheld. Negative where a step-down releases some of it."""
	return summary.total_retainage - to_decimal(previous_retainage)
