"""Every state's colour, in one place: Frappe's indicator colours (blue, orange, red,
green, yellow, gray). The portal and the reports read these; the desk reads the same
through its boot (`progress_billing.colour(kind, state)`)."""

from progress_billing import engine
from progress_billing.engine import draws, timeline

DEFAULT = "gray"
PAST_DUE = "red"  # an unpaid installment whose date has passed, whatever its status

# An installment's status, and a draw's state on an order billed draw by draw.
INSTALLMENT = {
	engine.UNPAID: "blue",
	engine.PARTLY_PAID: "orange",
	engine.PAID: "green",
	engine.CANCELLED: "gray",
	draws.SCHEDULED: "gray",
	draws.DRAFT: "gray",
	draws.INVOICED: "blue",
}

# Where a plan stands, under an invoice's balance: reports and the portal.
STANDING = {
	engine.UPCOMING: "blue",
	engine.DUE_NOW: "orange",
	engine.PAST_DUE: "red",
	engine.COLLECTED: "green",
	engine.COLLECTED_WITH_BALANCE: "yellow",
	engine.PLAN_CANCELLED: "gray",
}

# A project's job timeline: tasks and installments.
TIMELINE = {
	timeline.DONE: "green",
	timeline.PAID_STATE: "green",
	timeline.IN_PROGRESS: "blue",
	timeline.DUE_NOW: "orange",
	timeline.PAST_DUE_STATE: "red",
	timeline.NEXT: "blue",
	timeline.WAITING: "gray",
	timeline.UPCOMING: "gray",
}


def installment(status: str, past_due: bool = False) -> str:
	return PAST_DUE if past_due else INSTALLMENT.get(status, DEFAULT)


def boot_session(bootinfo):
	"""The desk's copy, sent once with the boot."""
	bootinfo.progress_billing_colours = {
		"installment": INSTALLMENT,
		"standing": STANDING,
		"timeline": TIMELINE,
		"past_due": PAST_DUE,
		"default": DEFAULT,
	}
