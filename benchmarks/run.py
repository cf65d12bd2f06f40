"""Outstanding Draws, Retainage Held and Payment Entry submit, measured at 100,000 installments.

Run with a bench's python from its sites folder:

	cd ~/frappe-bench/sites && ../env/bin/python /path/to/progress_billing/benchmarks/run.py --site SITE

Seeds a scratch company ("PB Bench Co", its own chart of accounts) in bulk, times the
reports and Payment Entry submits, prints key=value lines on stdout (progress goes to
stderr), then deletes everything it made. A crashed run's leftovers are removed first.
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from decimal import Decimal

import frappe
from frappe.utils import add_days, getdate, money_in_words, now_datetime, nowdate

from erpnext.accounts.doctype.payment_entry.payment_entry import get_payment_entry
from erpnext.accounts.report.accounts_receivable import accounts_receivable
from erpnext.accounts.utils import FiscalYearError, get_fiscal_year

from progress_billing import api, engine, settings
from progress_billing.billing import retainage
from progress_billing.engine.money import PERCENT_PRECISION
from progress_billing.progress_billing.report.outstanding_draws import outstanding_draws
from progress_billing.progress_billing.report.retainage_held import retainage_held

COMPANY = "PB Bench Co"
ABBR = "PBBC"
PREFIX = "PBBENCH-"  # in the names of the bulk-made invoices and payments
CUSTOMER_PREFIX = "PBBENCH Customer "
ITEM = "PBBENCH Service"
CUSTOMERS = 500

INSTALLMENTS = 100_000
INVOICES = 33_000
STAGE_CYCLE = (3, 2, 4, 3, 3)  # stages per invoice; averages 3, plus one more on every 33rd
POSTING_SPAN_DAYS = 300
CHUNK = 2_000  # invoices generated, inserted and committed together

REPORT_RUNS = 5
PAYMENT_PAIRS = 60  # measured, of each kind (30 at least): the site is shared, so more is steadier
PAYMENT_WARMUP_PAIRS = 3

# The template invoice and its payment: amounts no other field holds by chance, so
# clones can swap them for their own wherever they appear.
TEMPLATE_TOTAL = Decimal("9876.54")
TEMPLATE_PAID = Decimal("1234.56")
RETAINAGE = Decimal("0.10")  # every seeded invoice withholds 10%, as a job's draw does
DRAWS_PER_JOB = 4  # seeded invoices per retainage job (order)


def log(message: str):
	print(message, file=sys.stderr, flush=True)


def main():
	parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
	parser.add_argument("--site", required=True)
	parser.add_argument("--sites-path", default=".")
	parser.add_argument("--installments", type=int, default=INSTALLMENTS)
	parser.add_argument("--keep", action="store_true", help="leave the seeded data for inspection")
	parser.add_argument(
		"--browser-url",
		help="a running server of the site: also time the report's first rows in headless Chromium "
		"(first_rows.js: playwright-core on NODE_PATH, Debian's chromium)",
	)
	parser.add_argument("--admin-password", default="admin", help="to log in for --browser-url")
	parser.add_argument("--cleanup-only", action="store_true", help="remove a previous run's data and stop")
	args = parser.parse_args()

	frappe.init(site=args.site, sites_path=os.path.abspath(args.sites_path))
	frappe.connect()
	frappe.set_user("Administrator")
	frappe.flags.mute_emails = True
	try:
		cleanup()
		if args.cleanup_only:
			return
		switch_program_on()
		started = time.perf_counter()
		seed(args.installments)
		log(f"seeded in {time.perf_counter() - started:.1f}s")
		check_ledgers_agree()
		results = measure_reports()
		if args.browser_url:
			results["outstanding_draws_first_rows_seconds"] = first_rows(
				args.browser_url, args.admin_password
			)
		results.update(measure_payment_entries())
		results.update(measure_payment_entries("Sales Order"))
	finally:
		frappe.db.rollback()
		if not (args.keep or args.cleanup_only):
			cleanup()
		frappe.destroy()
	for key, value in results.items():
		print(f"{key}={value:.3f}")


def switch_program_on():
	"""The report and save_plan need Progress Billing on. A site that has it off keeps it
	off for everyone else: only this process sees it on."""
	if not settings.is_enabled():
		settings.is_enabled = lambda: True
		log("Progress Billing is off on this site: on for this process only")


# Seeding


def seed(installments: int):
	started = time.perf_counter()
	create_company()
	create_item()
	customers = create_customers(CUSTOMERS)
	log(f"company, item and {len(customers)} customers in {time.perf_counter() - started:.1f}s")
	template = make_template(customers[0])
	template.retainage_account = retainage.account(COMPANY)
	invoices = max(1, round(INVOICES * installments / INSTALLMENTS))
	counts = stage_counts(invoices, installments)
	dates = posting_dates()
	rng = random.Random(5)
	started = time.perf_counter()
	for first in range(0, invoices, CHUNK):
		rows = TableRows()
		for i in range(first, min(first + CHUNK, invoices)):
			add_invoice(rows, template, i, counts[i], customers[i % len(customers)], dates, rng)
		rows.insert()
		frappe.db.commit()
		log(f"  {min(first + CHUNK, invoices)} invoices ({time.perf_counter() - started:.1f}s)")
	analyze_tables()


def create_company():
	frappe.get_doc(
		{
			"doctype": "Company",
			"company_name": COMPANY,
			"abbr": ABBR,
			"default_currency": "USD",
			"country": "United States",
			"create_chart_of_accounts_based_on": "Standard Template",
			"chart_of_accounts": "Standard",
		}
	).insert()
	frappe.db.commit()


def create_item():
	frappe.get_doc(
		{
			"doctype": "Item",
			"item_code": ITEM,
			"item_name": ITEM,
			"item_group": frappe.get_all("Item Group", {"is_group": 0}, pluck="name", limit=1)[0],
			"stock_uom": "Nos",
			"is_stock_item": 0,
		}
	).insert()
	frappe.db.commit()


def create_customers(count: int) -> list[str]:
	"""One customer made the normal way, the others copied from it in bulk."""
	first = frappe.get_doc(
		{
			"doctype": "Customer",
			"customer_name": f"{CUSTOMER_PREFIX}{0:04d}",
			"customer_group": frappe.get_all("Customer Group", {"is_group": 0}, pluck="name", limit=1)[0],
			"territory": frappe.get_all("Territory", {"is_group": 0}, pluck="name", limit=1)[0],
		}
	).insert()
	row = table_row("Customer", first.name)
	now = now_datetime()
	names = [first.name] + [f"{CUSTOMER_PREFIX}{n:04d}" for n in range(1, count)]
	insert_rows(
		"Customer",
		[
			{**row, "name": name, "customer_name": name, "creation": now, "modified": now}
			for name in names[1:]
		],
	)
	frappe.db.commit()
	return names


def make_invoice(customer: str, rate, with_plan: bool) -> str:
	"""A submitted invoice made as a user makes one; with a plan in thirds attached on the draft."""
	invoice = frappe.get_doc(
		{
			"doctype": "Sales Invoice",
			"company": COMPANY,
			"customer": customer,
			"posting_date": nowdate(),
			"due_date": add_days(nowdate(), 30),
			"set_posting_time": 1,
			"disable_rounded_total": 1,
			"debit_to": f"Debtors - {ABBR}",
			"items": [
				{
					"item_code": ITEM,
					"qty": 1,
					"rate": rate,
					"income_account": f"Sales - {ABBR}",
					"cost_center": f"Main - {ABBR}",
				}
			],
		}
	).insert()
	if with_plan:
		api.save_plan(invoice.name, installments=plan_rows(3), mode=engine.PERCENTAGE)
		invoice.reload()
	invoice.submit()
	frappe.db.commit()
	return invoice.name


def make_order(customer: str, rate, with_plan: bool) -> str:
	"""A submitted Sales Order; with a plan in thirds attached on the draft."""
	order = frappe.get_doc(
		{
			"doctype": "Sales Order",
			"company": COMPANY,
			"customer": customer,
			"transaction_date": nowdate(),
			"delivery_date": add_days(nowdate(), 60),
			"disable_rounded_total": 1,
			"items": [{"item_code": ITEM, "qty": 1, "rate": rate, "cost_center": f"Main - {ABBR}"}],
		}
	).insert()
	if with_plan:
		api.save_plan(doctype="Sales Order", name=order.name, installments=plan_rows(3))
		order.reload()
	order.submit()
	frappe.db.commit()
	return order.name


def new_payment_entry(invoice: str, amount=None, doctype: str = "Sales Invoice"):
	payment = get_payment_entry(doctype, invoice, party_amount=amount)
	payment.reference_no = "PBBENCH"
	payment.reference_date = nowdate()
	if amount is not None:
		for reference in payment.references:
			reference.allocated_amount = amount
	return payment.insert()


def plan_rows(stages: int) -> list[dict]:
	labels = ["Deposit", *(f"Progress {n}" for n in range(1, stages - 1)), "Final"]
	weights = engine.split_by_weights(Decimal(100), [Decimal(1)] * stages, PERCENT_PRECISION)
	return [
		{"label": label, "percentage": percentage} for label, percentage in zip(labels, weights, strict=True)
	]


def make_template(customer: str) -> frappe._dict:
	"""The rows one real invoice with a plan and one partial payment left in each table."""
	invoice = retried(make_invoice, customer, TEMPLATE_TOTAL, True)
	payment = retried(submit_payment, invoice, TEMPLATE_PAID)

	def ledger(doctype, voucher):
		return frappe.db.sql(
			f"select * from `tab{doctype}` where voucher_no = %s order by name", voucher, as_dict=True
		)

	invoice_gl = ledger("GL Entry", invoice)
	payment_gl = ledger("GL Entry", payment)
	return frappe._dict(
		invoice=table_row("Sales Invoice", invoice),
		item=child_rows("Sales Invoice Item", invoice)[0],
		schedule=child_rows("Payment Schedule", invoice)[0],
		installment=frappe.db.sql(
			"select * from `tabProgress Billing Installment` where sales_invoice = %s limit 1",
			invoice,
			as_dict=True,
		)[0],
		invoice_gl=invoice_gl,
		invoice_ple=ledger("Payment Ledger Entry", invoice),
		payment=table_row("Payment Entry", payment),
		reference=child_rows("Payment Entry Reference", payment)[0],
		payment_gl=payment_gl,
		payment_ple=ledger("Payment Ledger Entry", payment),
		fiscal_year=invoice_gl[0].fiscal_year,
	)


def table_row(doctype: str, name: str) -> dict:
	return frappe.db.sql(f"select * from `tab{doctype}` where name = %s", name, as_dict=True)[0]


def child_rows(doctype: str, parent: str) -> list[dict]:
	return frappe.db.sql(f"select * from `tab{doctype}` where parent = %s order by idx", parent, as_dict=True)


def stage_counts(invoices: int, installments: int) -> list[int]:
	counts = [STAGE_CYCLE[i % len(STAGE_CYCLE)] + (i % 33 == 0) for i in range(invoices)]
	counts[-1] = max(engine.MIN_INSTALLMENTS, counts[-1] + installments - sum(counts))
	return counts


def posting_dates() -> list[tuple[date, str]]:
	"""Posting dates over the last POSTING_SPAN_DAYS days that a fiscal year covers, with it."""
	today = getdate()
	dates = []
	for back in range(POSTING_SPAN_DAYS):
		day = today - timedelta(days=back)
		try:
			dates.append((day, get_fiscal_year(day, company=COMPANY)[0]))
		except FiscalYearError:
			break
	return dates


class TableRows(dict):
	def add(self, doctype: str, row: dict):
		self.setdefault(doctype, []).append(row)

	def insert(self):
		for doctype, rows in self.items():
			insert_rows(doctype, rows)


def insert_rows(doctype: str, rows: list[dict]):
	"""Multi-row INSERTs: pymysql's executemany folds the rows into statements of about 1 MB."""
	if not rows:
		return
	columns = list(rows[0])
	query = "insert into `tab{}` ({}) values ({})".format(
		doctype, ", ".join(f"`{column}`" for column in columns), ", ".join(["%s"] * len(columns))
	)
	frappe.db._cursor.executemany(query, [tuple(row[column] for column in columns) for row in rows])


def clone(row: dict, swaps: dict, **values) -> dict:
	"""A copy of a template row with `values` set and, in every other column, the
	template's amounts, names and dates swapped for the new document's."""
	copy = {
		column: swaps.get(round(value, 2) if isinstance(value, float) else value, value)
		for column, value in row.items()
	}
	copy.update(values)
	return copy


def random_name(rng) -> str:
	"""Rows ERPNext names by hash get random names too: their order on disk is not the invoice's."""
	return f"{rng.getrandbits(64):016x}"


def add_invoice(rows: TableRows, t: frappe._dict, i: int, stages: int, customer: str, dates, rng):
	"""One submitted invoice with a plan of `stages` installments; one in ten fully paid,
	three in ten partly paid, the others unpaid."""
	today = getdate()
	now = now_datetime()
	posting_date, fiscal_year = dates[rng.randrange(len(dates))]
	total = Decimal(rng.randrange(150_000, 6_000_000)) / 100
	kind = i % 10
	if kind == 0:
		paid = total
	elif kind <= 3:
		paid = (total * Decimal(rng.choice(("0.2", "0.35", "0.5", "0.7")))).quantize(Decimal("0.01"))
	else:
		paid = Decimal(0)
	plan = engine.build_plan(
		total,
		plan_rows(stages),
		mode=engine.PERCENTAGE,
		precision=2,
		today=today,
		start_date=posting_date,
		interval_days=engine.DEFAULT_INTERVAL_DAYS,
	)
	states = engine.allocate_receipts(plan.amounts, engine.collected_for_plan(paid, 0, plan.target))
	outstanding = total - paid
	due_date = plan.installments[-1].due_date
	if outstanding == 0:
		status = "Paid"
	elif any(
		row.due_date < today and state.outstanding_amount
		for row, state in zip(plan.installments, states, strict=True)
	):
		status = "Overdue"
	else:
		status = "Partly Paid" if paid else "Unpaid"

	invoice = f"{PREFIX}SINV-{i:06d}"
	template_invoice = t.invoice
	swaps = {
		float(TEMPLATE_TOTAL): float(total),
		float(-TEMPLATE_TOTAL): float(-total),
		float(TEMPLATE_PAID): float(paid),
		float(-TEMPLATE_PAID): float(-paid),
		float(TEMPLATE_TOTAL - TEMPLATE_PAID): float(outstanding),
		template_invoice.name: invoice,
		template_invoice.customer: customer,
		template_invoice.posting_date: posting_date,
		template_invoice.due_date: due_date,
		template_invoice.in_words: money_in_words(total, "USD"),
		t.fiscal_year: fiscal_year,
	}
	stamps = {"creation": now, "modified": now}
	rows.add(
		"Sales Invoice",
		clone(
			template_invoice,
			swaps,
			name=invoice,
			status=status,
			outstanding_amount=outstanding,
			pb_plan_status=engine.plan_status(states),
			pb_plan_target=plan.target,
			pb_template=None,
			# A job is four invoices of one customer (customers take turns, i % CUSTOMERS).
			pb_retainage_order=f"{PREFIX}SO-{i % CUSTOMERS:03d}-{i // CUSTOMERS // DRAWS_PER_JOB:04d}",
			**stamps,
		),
	)
	rows.add("Sales Invoice Item", clone(t.item, swaps, name=random_name(rng), **stamps))
	for row, state in zip(plan.installments, states, strict=True):
		rows.add(
			"Payment Schedule",
			clone(
				t.schedule,
				swaps,
				name=random_name(rng),
				idx=row.idx,
				description=row.label,
				due_date=row.due_date,
				invoice_portion=row.percentage,
				payment_amount=row.amount,
				base_payment_amount=row.amount,
				outstanding=row.amount,
				paid_amount=0,
				**stamps,
			),
		)
		rows.add(
			"Progress Billing Installment",
			clone(
				t.installment,
				swaps,
				name=random_name(rng),
				stage_no=row.idx,
				label=row.label,
				percentage=row.percentage,
				amount=row.amount,
				due_date=row.due_date,
				paid_amount=state.paid_amount,
				outstanding_amount=state.outstanding_amount,
				status=state.status,
				reminded_on=None,
				to_collect=int(state.outstanding_amount > 0),
				installment_count=len(plan.installments),
				**stamps,
			),
		)
	for row in t.invoice_gl:
		rows.add("GL Entry", clone(row, swaps, name=random_name(rng), to_rename=0, **stamps))
	add_retainage(rows, t, swaps, total, rng, stamps)
	for row in t.invoice_ple:
		rows.add("Payment Ledger Entry", clone(row, swaps, name=random_name(rng), **stamps))

	if not paid:
		return
	payment = f"{PREFIX}PE-{i:06d}"
	payment_date = posting_date + timedelta(days=rng.randrange((today - posting_date).days + 1))
	payment_swaps = {
		**swaps,
		t.payment.name: payment,
		t.payment.posting_date: payment_date,
	}
	rows.add("Payment Entry", clone(t.payment, payment_swaps, name=payment, **stamps))
	rows.add(
		"Payment Entry Reference",
		clone(t.reference, payment_swaps, name=random_name(rng), due_date=due_date, **stamps),
	)
	for row in t.payment_gl:
		rows.add("GL Entry", clone(row, payment_swaps, name=random_name(rng), to_rename=0, **stamps))
	for row in t.payment_ple:
		rows.add(
			"Payment Ledger Entry",
			clone(row, payment_swaps, name=random_name(rng), due_date=due_date, **stamps),
		)


def add_retainage(rows: TableRows, t: frappe._dict, swaps: dict, total: Decimal, rng, stamps: dict):
	"""The invoice withholds its retainage: its income entry's twin moves 10% of it from
	income into the Retainage Receivable account, so the ledger still balances."""
	retained = float((total * RETAINAGE).quantize(Decimal("0.01")))
	income = next(row for row in t.invoice_gl if row.credit and row.account != t.retainage_account)
	held = {
		"debit": retained,
		"debit_in_account_currency": retained,
		"debit_in_transaction_currency": retained,
	}
	moved = {
		"credit": retained,
		"credit_in_account_currency": retained,
		"credit_in_transaction_currency": retained,
	}
	zero_credit = {"credit": 0, "credit_in_account_currency": 0, "credit_in_transaction_currency": 0}
	zero_debit = {"debit": 0, "debit_in_account_currency": 0, "debit_in_transaction_currency": 0}
	common = {"to_rename": 0, **stamps}
	rows.add(
		"GL Entry",
		clone(
			income, swaps, name=random_name(rng), account=t.retainage_account, **held, **zero_credit, **common
		),
	)
	rows.add("GL Entry", clone(income, swaps, name=random_name(rng), **moved, **zero_debit, **common))


def analyze_tables():
	"""Fresh index statistics, as a site that grew to this size would have."""
	for doctype in (
		"Sales Invoice",
		"Progress Billing Installment",
		"Payment Ledger Entry",
		"GL Entry",
		"Payment Schedule",
	):
		frappe.db.sql(f"analyze table `tab{doctype}`")


def check_ledgers_agree():
	"""What the invoices, the ledgers and the plans say is owed must be one figure."""
	receivable = f"Debtors - {ABBR}"
	totals = {
		label: frappe.db.sql(query, {"company": COMPANY, "account": receivable})[0][0]
		for label, query in {
			"invoices": """select sum(outstanding_amount) from `tabSales Invoice`
				where company = %(company)s and docstatus = 1""",
			"payment ledger": """select sum(amount) from `tabPayment Ledger Entry`
				where company = %(company)s and delinked = 0""",
			"general ledger": """select sum(debit - credit) from `tabGL Entry`
				where company = %(company)s and account = %(account)s and is_cancelled = 0""",
			"installments": """select sum(outstanding_amount) from `tabProgress Billing Installment`
				where company = %(company)s""",
		}.items()
	}
	if len({round(total, 2) for total in totals.values()}) != 1:
		raise AssertionError(f"seeded data disagrees: {totals}")
	log(f"outstanding: {totals['invoices']:,.2f} by invoices, ledgers and plans alike")


# Measuring


def timed(function, *args) -> tuple[float, object]:
	started = time.perf_counter()
	result = function(*args)
	return time.perf_counter() - started, result


def measure_reports() -> dict:
	"""Outstanding Draws as the server runs it: `execute` for every row and for the window
	the report opens on, and Frappe's `query_report.run` (what the browser calls) with the
	size of its JSON response; ERPNext's Accounts Receivable on the same invoices beside it."""
	everything = {"company": COMPANY}
	opening = dict(everything)
	# Before the report opened on its most overdue rows it opened on every row.
	if window_days := getattr(outstanding_draws, "OPENING_WINDOW_DAYS", None):
		opening["to_date"] = add_days(nowdate(), window_days)
	if most_overdue := getattr(outstanding_draws, "MOST_OVERDUE", None):
		opening["show"] = str(most_overdue)
	receivable_filters = {
		"company": COMPANY,
		"report_date": nowdate(),
		"ageing_based_on": "Due Date",
		"range": "30, 60, 90, 120",
		"party_type": "Customer",
	}
	draws, window, receivable, served = [], [], [], []
	for run in range(REPORT_RUNS + 1):  # the first of each warms caches and is not counted
		seconds, result = timed(outstanding_draws.execute, dict(everything))
		draws.append(seconds)
		draws_rows = len(result[1])
		seconds, result = timed(outstanding_draws.execute, dict(opening))
		window.append(seconds)
		window_rows = len(result[1])
		seconds, response = timed(run_as_browser, dict(opening))
		served.append(seconds)
		seconds, result = timed(accounts_receivable.execute, dict(receivable_filters))
		receivable.append(seconds)
		receivable_rows = len(result[1])
		frappe.db.rollback()
		log(
			f"  run {run}: outstanding draws {draws[-1]:.3f}s all, {window[-1]:.3f}s opening window, "
			f"query_report.run {served[-1]:.3f}s; accounts receivable {receivable[-1]:.3f}s"
		)
	log(
		f"outstanding draws: {draws_rows} rows in all, {window_rows} in the opening window; "
		f"accounts receivable: {receivable_rows} rows"
	)
	draws_median = statistics.median(draws[1:])
	held = []
	for _run in range(REPORT_RUNS + 1):
		seconds, result = timed(retainage_held.execute, {"company": COMPANY, "show_released": 1})
		held.append(seconds)
		frappe.db.rollback()
	log(f"retainage held: {len(result[1])} jobs, {statistics.median(held[1:]):.3f}s")
	held_median = statistics.median(held[1:])
	return {
		"retainage_held_seconds": held_median,
		"retainage_held_vs_outstanding_draws_ratio": held_median / draws_median,
		"outstanding_draws_seconds": draws_median,
		"outstanding_draws_opening_seconds": statistics.median(window[1:]),
		"outstanding_draws_run_seconds": statistics.median(served[1:]),
		"outstanding_draws_response_mb": len(response) / 1e6,
		"outstanding_draws_vs_ar_ratio": draws_median / statistics.median(receivable[1:]),
	}


def first_rows(url: str, password: str) -> float:
	"""Median seconds, over three openings, until the report's first rows show in Chromium."""
	import json
	import subprocess

	script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "first_rows.js")
	output = subprocess.run(
		["node", script, url.rstrip("/"), password, COMPANY, "3"],
		check=True,
		capture_output=True,
		text=True,
		timeout=600,
	).stdout
	result = json.loads(output.strip().splitlines()[-1])
	log(f"first rows in the browser: {result['seconds']}")
	return result["median"]


def run_as_browser(filters: dict) -> str:
	"""What the desk gets when it opens the report: Frappe's whitelisted `run`, as JSON."""
	from frappe.desk.query_report import run

	return frappe.as_json({"message": run("Outstanding Draws", filters=filters)}, indent=None)


def measure_payment_entries(doctype: str = "Sales Invoice") -> dict:
	"""Submit times of Payment Entries against invoices (or, as deposits, against orders)
	with and without a plan, alternating which kind goes first; each is committed outside
	the timing, as a request would be."""
	make, key = (make_invoice, "payment_entry_submit_ratio")
	if doctype == "Sales Order":
		make, key = (make_order, "order_payment_entry_submit_ratio")
	pairs = PAYMENT_WARMUP_PAIRS + PAYMENT_PAIRS
	started = time.perf_counter()
	customer = f"{CUSTOMER_PREFIX}{1:04d}"
	documents = [
		{kind: retried(make, customer, 3000 + n, kind) for kind in (True, False)} for n in range(pairs)
	]
	for pair in documents:
		for with_plan, name in pair.items():
			status = frappe.db.get_value(doctype, name, "pb_plan_status") or None
			if status != (engine.ACTIVE if with_plan else None):
				raise AssertionError(f"{name} should {'' if with_plan else 'not '}have a plan: {status!r}")
	log(f"{2 * pairs} documents ({doctype}) for payments in {time.perf_counter() - started:.1f}s")
	seconds = {True: [], False: []}
	for n, pair in enumerate(documents):
		for with_plan in (True, False) if n % 2 == 0 else (False, True):
			elapsed = retried(timed_payment, pair[with_plan], doctype)
			if n >= PAYMENT_WARMUP_PAIRS:
				seconds[with_plan].append(elapsed)
	with_plan, without = statistics.median(seconds[True]), statistics.median(seconds[False])
	log(f"{doctype} payment entry submit: {with_plan:.4f}s with a plan, {without:.4f}s without (medians)")
	return {key: with_plan / without}


def submit_payment(invoice: str, amount=None) -> str:
	payment = new_payment_entry(invoice, amount)
	payment.submit()
	frappe.db.commit()
	return payment.name


def timed_payment(invoice: str, doctype: str = "Sales Invoice") -> float:
	payment = new_payment_entry(invoice, doctype=doctype)
	elapsed, _ = timed(payment.submit)
	frappe.db.commit()
	return elapsed


def retried(function, *args, attempts: int = 5):
	"""Other processes share the site: a deadlock they cause is retried, not fatal."""
	for attempt in range(1, attempts + 1):
		try:
			return function(*args)
		except (frappe.QueryDeadlockError, frappe.QueryTimeoutError) as error:
			frappe.db.rollback()
			if attempt == attempts:
				raise
			log(f"  {type(error).__name__} in {function.__name__}, retrying")


# Cleaning up
#
# Other processes write to the same tables: rows are found by a plain (non-locking)
# read, then deleted by primary key in short transactions, so no lock falls on anyone
# else's rows.


def cleanup():
	"""Everything the benchmark made, by company or by name, in bulk; then the company."""
	started = time.perf_counter()
	company = frappe.db.exists("Company", COMPANY)
	parents = {doctype: names_of(doctype, "company", COMPANY) for doctype in TRANSACTIONS}
	removed = sum(map(len, parents.values()))
	for parent, names in parents.items():
		delete_rows("Version", "docname", names, ref_doctype=parent)
		delete_rows("Comment", "reference_name", names, reference_doctype=parent)
		for table in frappe.get_meta(parent).get_table_fields():
			delete_rows(table.options, "parent", names, parenttype=parent)
	for doctype in LEDGERS:
		delete_rows(doctype, "name", names_of(doctype, "company", COMPANY))
	for parent, names in parents.items():
		delete_rows(parent, "name", names)

	customers = frappe.db.sql_list("select name from `tabCustomer` where name like %s", f"{CUSTOMER_PREFIX}%")
	for table in frappe.get_meta("Customer").get_table_fields():
		delete_rows(table.options, "parent", customers, parenttype="Customer")
	delete_rows("Version", "docname", customers, ref_doctype="Customer")
	delete_rows("Customer", "name", customers)
	if frappe.db.exists("Item", ITEM):
		delete_rows("Version", "docname", [ITEM], ref_doctype="Item")
		retried(delete_document, "Item", ITEM, True)
	if company:
		retried(delete_document, "Company", COMPANY, False)
	leftovers = sweep_company_rows()
	if removed or company or leftovers:
		log(
			f"cleaned up in {time.perf_counter() - started:.1f}s"
			+ (f"; also {leftovers}" if leftovers else "")
		)


TRANSACTIONS = ("Sales Invoice", "Sales Order", "Payment Entry", "Journal Entry")
LEDGERS = ("GL Entry", "Payment Ledger Entry", "Advance Payment Ledger Entry", "Progress Billing Installment")


def names_of(doctype: str, column: str, value) -> list[str]:
	return frappe.db.sql_list(f"select name from `tab{doctype}` where `{column}` = %s", value)


def delete_rows(doctype: str, column: str, values: list, chunk: int = 1_000, **filters):
	"""Deletes the rows whose `column` is in `values`, a chunk per transaction."""
	conditions = "".join(f" and `{field}` = %({field})s" for field in filters)
	for first in range(0, len(values), chunk):
		retried(
			run_and_commit,
			f"delete from `tab{doctype}` where `{column}` in %(values)s{conditions}",
			{"values": tuple(values[first : first + chunk]), **filters},
		)


def run_and_commit(query: str, values: dict):
	frappe.db.sql(query, values)
	frappe.db.commit()


def delete_document(doctype: str, name: str, force: bool):
	frappe.delete_doc(doctype, name, force=force, delete_permanently=True)
	frappe.db.commit()


def sweep_company_rows() -> dict:
	"""Rows of the scratch company that anything above missed, in any table with a company column."""
	tables = frappe.db.sql_list(
		"""select table_name from information_schema.columns
		where table_schema = database() and column_name = 'company' and table_name like 'tab%%'"""
	)
	found = {}
	for table in tables:
		names = frappe.db.sql_list(f"select name from `{table}` where company = %s", COMPANY)
		if names:
			delete_rows(table[3:], "name", names)
			found[table[3:]] = len(names)
	return found


if __name__ == "__main__":
	main()
