"""Retainage withheld on a job, on ERPNext's own ledger (`releases` bills it back).

Each draw invoice bills its work in full, with tax on the whole work, and withholds the
retained share on a row of its taxes: an "Actual" charge of minus the retainage, posting
to the company's Retainage Receivable account. The invoice's receivable, and so Accounts
Receivable, Dunning, Payment Requests and reminders, is what is due now; the General
Ledger holds the retainage in its own account. Credit notes and cancellations reverse it,
and every figure is read back from the General Ledger.

A job is an order billed draw by draw (or by pay applications), or an invoice billed as
one job with its own plan: that invoice withholds on a row of its own taxes, kept at its
terms' share of its work as ERPNext recomputes it; it names itself as the job, and its
releases and credit notes name it, as an order's name the order (`ledger.RETAINAGE_KEY`).
"""

from decimal import Decimal

import frappe
from frappe import _

from progress_billing import engine, settings
from progress_billing.engine import PlanError
from progress_billing.errors import throw_refusal
from progress_billing.plans import ledger, owners

ORDER = owners.SALES_ORDER
INVOICE = owners.SALES_INVOICE
ACCOUNT_NAME = "Retainage Receivable"
FIELDS = ("pb_retainage", "pb_retainage_step_at", "pb_retainage_after")


def terms(order) -> engine.Retainage:
	"""The order's retainage, as its fields hold it."""
	try:
		return engine.make_retainage(*(order.get(field) for field in FIELDS))
	except PlanError as refusal:
		throw_refusal(refusal)


def default_terms() -> tuple:
	program = settings.get_settings()
	return (
		program.get("default_retainage"),
		program.get("default_retainage_step_at"),
		program.get("default_retainage_after"),
	)


def set_terms(document, rate, step_at=None, rate_after=None):
	"""Gives the job its retainage terms. An order: refused on one not billed draw by draw,
	and once a draw invoice exists (its retainage was worked out on the old terms). An
	invoice billed as one job: while it is a draft, which is saved to withhold them."""
	try:
		wanted = engine.make_retainage(rate, step_at, rate_after)
	except PlanError as refusal:
		throw_refusal(refusal)
	if wanted == terms(document):
		return
	values = {
		"pb_retainage": wanted.rate,
		"pb_retainage_step_at": wanted.step_at or 0,
		"pb_retainage_after": wanted.rate_after,
	}
	if document.get("doctype") == INVOICE:
		_set_invoice_terms(document, values)
		return
	if wanted.active and document.get("pb_billing") not in engine.BILLED_ON_ORDER:
		frappe.throw(_("Retainage is withheld from draws: bill this order's plan draw by draw first."))
	if frappe.db.exists(INVOICE, {"pb_draw_order": document.name, "docstatus": ("<", 2)}):
		frappe.throw(_("Draws of this order are invoiced already; its retainage can no longer change."))
	frappe.db.set_value(ORDER, document.name, values, update_modified=False)
	document.update(values)


def _set_invoice_terms(values, terms_values: dict):
	invoice = frappe.get_doc(INVOICE, values.name)
	if invoice.docstatus != 0:
		frappe.throw(
			_("An invoice's retainage is set while it is a draft: cancel and amend it to change it.")
		)
	if not withholds_own(invoice):
		frappe.throw(_("This invoice withholds no retainage of its own: its order's terms, or none, apply."))
	invoice.update(terms_values)
	invoice.save()
	values.update(terms_values)


def withholds_own(invoice) -> bool:
	"""An invoice billed as one job: not a credit or debit note, nor an invoice of an
	order's draws, pay applications or retainage, which carry their job's retainage."""
	return not (
		invoice.get("is_return")
		or invoice.get("is_debit_note")
		or invoice.get("pb_draw_order")
		or invoice.get("pb_retainage_order")
		or invoice.get("pb_pay_application")
		or invoice.get("pb_retainage_release")
	)


def before_validate(invoice):
	"""An invoice being saved or submitted, before ERPNext computes its totals, Payment
	Schedule and words: its own retainage, or its job's, put right."""
	if not (invoice.docstatus == 0 or invoice.get("_action") == "submit"):
		return
	carry_job(invoice)
	if withholds_own(invoice):
		withhold_own(invoice)
		return
	# Terms ERPNext's mapping copied from the order (a draw) or the original (a credit
	# note) are the job's, not this invoice's.
	for field in (*FIELDS, "pb_retainage_release_on", "pb_retainage_release_task"):
		if invoice.get(field):
			invoice.set(field, None)
	if invoice.get("is_return"):
		give_back_share(invoice)


def carry_job(invoice):
	"""A credit note, or an amended release, of an invoice billed as one job names that job,
	as its original does (the field is not copied: an amendment's original is cancelled)."""
	if invoice.get("pb_retainage_invoice"):
		return
	if invoice.get("is_return"):
		source = invoice.get("return_against")
	else:
		source = invoice.get("amended_from") if invoice.get("pb_retainage_release") else None
	if source:
		invoice.pb_retainage_invoice = frappe.db.get_value(INVOICE, source, "pb_retainage_invoice")


def withhold_own(invoice):
	"""An invoice billed as one job: keeps one row of its taxes withholding its terms' share
	of its work (its net total, the step-down taken over that work), changed in place so
	rows after it keep their numbers, and names the invoice as its own job; terms of none
	take the row away."""
	retainage = terms(invoice)
	if not retainage.active and not invoice.get("pb_retainage_invoice"):
		return  # withholds nothing, and never did
	if (
		retainage.active
		and invoice.get("apply_discount_on") == "Grand Total"
		and (invoice.get("additional_discount_percentage") or invoice.get("discount_amount"))
	):
		# ERPNext would take the discount off a total the retainage is already off, and the
		# retainage off the work after that discount: neither would ever settle.
		frappe.throw(
			_(
				"Retainage is withheld of the work after its discount: apply the additional discount on the Net Total."
			)
		)
	head = (
		account(invoice.company)
		if retainage.active
		else frappe.db.get_value("Company", invoice.company, "pb_retainage_account")
	)
	invoice.calculate_taxes_and_totals()  # the work as it now stands
	work = engine.to_decimal(invoice.net_total or 0)
	retained = engine.retained_on(work, 0, work, retainage, invoice.precision("grand_total"))
	rows = [tax for tax in invoice.get("taxes") or [] if tax.account_head == head]
	for extra in rows[1 if retained else 0 :]:
		invoice.remove(extra)
	invoice.pb_retainage_invoice = invoice.name if retained else None
	if not retained:
		return
	rate_after = retainage.rate_after if retainage.step_at is not None else None
	label = retainage_label(retainage.rate, rate_after)
	if rows:
		rows[0].update({"charge_type": "Actual", "tax_amount": -retained, "description": label})
	else:
		_retainage_row(invoice, retained, label)
	invoice.disable_rounded_total = 1  # the invoice asks exactly the work less its retainage


def give_back_share(credit_note):
	"""A credit note on an invoice that withheld retainage gives back the retainage of the
	work it returns: its share of what the original withheld, never more than earlier
	credit notes left. ERPNext copies the original's row whole, even onto a part return."""
	original = credit_note.get("return_against")
	head = frappe.get_cached_value("Company", credit_note.company, "pb_retainage_account")
	rows = [tax for tax in credit_note.get("taxes") or [] if head and tax.account_head == head]
	if not original or not rows:
		return
	withheld = ledger.withheld_on(original)
	original_work = engine.to_decimal(frappe.db.get_value(INVOICE, original, "net_total") or 0)
	if not withheld or not original_work:
		return
	credit_note.calculate_taxes_and_totals()
	returned = -engine.to_decimal(credit_note.net_total or 0)
	given_back = ledger.given_back_on(original, besides=credit_note.name)
	share = engine.round_to(withheld * returned / original_work, credit_note.precision("grand_total"))
	share = max(min(share, withheld - given_back), Decimal(0))
	for extra in rows[1:]:
		credit_note.remove(extra)
	rows[0].tax_amount = share


def account(company: str) -> str:
	"""The company's Retainage Receivable account, made on first use beside its receivable
	account (an asset account of no account type, so Accounts Receivable leaves it out)."""
	chosen = frappe.db.get_value("Company", company, "pb_retainage_account")
	if chosen:
		return chosen
	receivable, abbr = frappe.db.get_value("Company", company, ["default_receivable_account", "abbr"])
	name = f"{_(ACCOUNT_NAME)} - {abbr}"
	if not frappe.db.exists("Account", name):
		parent = frappe.db.get_value("Account", receivable, "parent_account") if receivable else None
		if not parent:
			frappe.throw(
				_(
					"Choose a Retainage Receivable Account on Company {0}: it has no receivable account to put one beside."
				).format(company)
			)
		frappe.get_doc(
			{
				"doctype": "Account",
				"account_name": _(ACCOUNT_NAME),
				"parent_account": parent,
				"company": company,
				"is_group": 0,
			}
		).insert(ignore_permissions=True)
	frappe.db.set_value("Company", company, "pb_retainage_account", name)
	return name


def withhold(invoice, order, billed_before: Decimal, contract: Decimal) -> Decimal:
	"""Adds the draw's retainage to `invoice` (the draw's work in `invoice.total`, billed
	once `billed_before` of the order's `contract` was); returns what it withholds."""
	retainage = terms(order)
	work = engine.to_decimal(invoice.total)
	retained = engine.retained_on(work, billed_before, contract, retainage, invoice.precision("grand_total"))
	if not retained:
		return Decimal(0)
	share_billed = (billed_before * 100 / contract) if contract else Decimal(0)
	rate = retainage.rate_at(share_billed)
	after = retainage.rate_at(((billed_before + work) * 100 / contract) if contract else Decimal(0))
	withhold_amount(invoice, order, retained, retainage_label(rate, after))
	return retained


def withhold_amount(invoice, order, retained: Decimal, label: str):
	"""Withholds `retained` on `invoice`, a draw of `order`."""
	_retainage_row(invoice, retained, label)
	invoice.pb_retainage_order = order.name
	invoice.calculate_taxes_and_totals()


def _retainage_row(invoice, retained: Decimal, label: str):
	"""A row of the invoice's taxes, an "Actual" charge of minus `retained`, posting to the
	company's Retainage Receivable account."""
	invoice.append(
		"taxes",
		{
			"charge_type": "Actual",
			"account_head": account(invoice.company),
			"description": label,
			"tax_amount": -retained,
			"cost_center": invoice.get("cost_center")
			or frappe.get_cached_value("Company", invoice.company, "cost_center"),
		},
	)


def terms_text(retainage: engine.Retainage) -> str:
	"""The terms in words: "10%", or "10% until 50% billed, then 5%"; none, blank."""
	if not retainage.active:
		return ""

	def percent(value):
		return f"{engine.to_decimal(value).normalize():f}%"

	if retainage.step_at is None:
		return percent(retainage.rate)
	return _("{0} until {1} billed, then {2}").format(
		percent(retainage.rate), percent(retainage.step_at), percent(retainage.rate_after)
	)


def retainage_label(rate: Decimal, rate_after: Decimal | None = None) -> str:
	def percent(value):
		return f"{engine.to_decimal(value).normalize():f}%"

	if rate_after is not None and rate_after != rate:
		return _("Retainage {0}, then {1}").format(percent(rate), percent(rate_after))
	return _("Retainage {0}").format(percent(rate))
