"""Installments that follow a project's tasks instead of the calendar."""

import pytest

frappe = pytest.importorskip("frappe", reason="frappe is not importable: run pytest with the bench's python")

from frappe.utils import add_days, getdate, nowdate

from progress_billing import api
from progress_billing.notify import reminders
from progress_billing.progress_billing.report.outstanding_draws import outstanding_draws
from progress_billing.setup.email_templates import sync_email_templates
from tests.integration.factories import (
	company,
	customer_with_email,
	enable_program,
	ensure_outgoing_account,
	make_invoice,
	receive_payment,
)

COUNTERTOP = "Countertop: Measure / Removal / Install"


@pytest.fixture(autouse=True)
def program():
	enable_program(default_interval_days=30)
	ensure_outgoing_account()
	sync_email_templates()
	yield
	frappe.local.outgoing_email_account = {}


def today():
	return getdate(nowdate())


def make_project(*subjects, measure_in_days=10):
	project = frappe.get_doc(
		{
			"doctype": "Project",
			"project_name": "_PB Kitchen " + frappe.generate_hash(length=6),
			"company": company(),
		}
	).insert()
	tasks = {}
	for subject in subjects:
		values = {"doctype": "Task", "subject": subject, "project": project.name}
		if subject == "Measure":
			values["exp_start_date"] = add_days(nowdate(), measure_in_days)
		tasks[subject] = frappe.get_doc(values).insert()
	return project, tasks


def countertop_invoice(*subjects, submit=True, measure_in_days=10, **invoice_values):
	project, tasks = make_project(
		*(subjects or ("Measure", "Removal", "Install")), measure_in_days=measure_in_days
	)
	invoice = make_invoice(
		rate=4000,
		project=project.name,
		customer=customer_with_email("pb-kitchen@example.com"),
		**invoice_values,
	)
	api.save_plan(invoice.name, template=COUNTERTOP)
	if submit:
		invoice.reload()
		invoice.submit()
	return invoice, tasks


def due_dates(invoice_name):
	return [row["due_date"] for row in api.get_plan(invoice_name)["installments"]]


def complete(task):
	task.reload()
	task.status = "Completed"
	task.completed_on = nowdate()
	task.save()


def emails(invoice_name, containing):
	return frappe.get_all(
		"Communication",
		filters={
			"reference_doctype": "Sales Invoice",
			"reference_name": invoice_name,
			"subject": ("like", f"%{containing}%"),
		},
		pluck="name",
	)


def test_the_countertop_template_is_ready_with_its_triggers():
	stages = frappe.get_doc("Payment Schedule Template", COUNTERTOP).stages
	assert [(s.label, s.percentage, s.trigger, s.task_subject) for s in stages] == [
		("Measure", 25, "Before Task Starts", "Measure"),
		("Removal", 25, "After Task Completed", "Removal"),
		("Install", 50, "After Task Completed", "Install"),
	]


def test_installments_follow_the_projects_tasks():
	invoice, tasks = countertop_invoice(submit=False)
	plan = api.get_plan(invoice.name)
	assert [row["amount"] for row in plan["installments"]] == [1000, 1000, 2000]
	assert due_dates(invoice.name) == [getdate(add_days(nowdate(), 10)), None, None]
	assert [row["task"] for row in plan["installments"]] == [
		tasks[s].name for s in ("Measure", "Removal", "Install")
	]
	assert plan["installments"][1]["waiting_for"] == "when Removal is completed"


def test_a_due_date_moves_with_its_task():
	invoice, tasks = countertop_invoice()
	measure = tasks["Measure"]
	measure.reload()
	measure.exp_start_date = add_days(nowdate(), 25)
	measure.save()
	assert due_dates(invoice.name)[0] == getdate(add_days(nowdate(), 25))
	schedule = frappe.get_doc("Sales Invoice", invoice.name).payment_schedule
	assert schedule[0].due_date == getdate(add_days(nowdate(), 25))


def test_a_moved_task_keeps_the_plan_in_order():
	project, tasks = make_project("Measure", measure_in_days=40)
	invoice = make_invoice(rate=3000, project=project.name)
	api.save_plan(
		invoice.name,
		installments=[
			{"label": "Deposit", "percentage": 50, "due_date": add_days(nowdate(), 30)},
			{
				"label": "Measure",
				"percentage": 50,
				"trigger": "Before Task Starts",
				"task": tasks["Measure"].name,
			},
		],
	)
	measure = tasks["Measure"]
	measure.reload()
	measure.exp_start_date = add_days(nowdate(), 5)
	measure.save()
	assert due_dates(invoice.name) == [getdate(add_days(nowdate(), 30))] * 2


def test_completing_a_task_makes_its_installment_due_and_tells_the_customer_once():
	invoice, tasks = countertop_invoice(measure_in_days=-5)  # measuring started five days ago
	complete(tasks["Removal"])
	assert due_dates(invoice.name)[1] == today()
	assert len(emails(invoice.name, "Removal is done")) == 1

	tasks["Removal"].reload()
	tasks["Removal"].description = "Old tops gone"
	tasks["Removal"].save()
	reminders.send_draw_due_reminders()
	assert len(emails(invoice.name, "Removal is done")) == 1
	assert emails(invoice.name, "due: Removal") == []


def test_completing_a_task_sends_one_email_with_everything_it_changed():
	invoice, tasks = countertop_invoice(measure_in_days=-5)
	sent_before = frappe.db.count("Email Queue")
	notices_before = len(emails(invoice.name, "Your Payment Schedule"))
	complete(tasks["Removal"])
	assert frappe.db.count("Email Queue") == sent_before + 1
	assert len(emails(invoice.name, "Your Payment Schedule")) == notices_before
	(done,) = emails(invoice.name, "Removal is done")
	body = frappe.db.get_value("Communication", done, "content")
	assert "Removal, 2 of 3" in body
	assert "when Install is completed" in body  # the schedule as it now stands
	# The schedule it carried counts as sent: the next change of dates is news again.
	assert frappe.db.get_value("Sales Invoice", invoice.name, "pb_schedule_notified")


def test_our_emails_carry_no_css_the_inliner_cannot_parse():
	"""Frappe inlines CSS with premailer (cssutils) on every send; our bodies hold only
	attributes it reads."""
	import logging

	from premailer import Premailer

	from progress_billing.setup.email_templates import BODIES, get_template

	records = []
	handler = logging.Handler()
	handler.emit = records.append
	logger = logging.getLogger("CSSUTILS")
	logger.addHandler(handler)
	try:
		for name in BODIES:
			Premailer(html=get_template(name).response_html, strip_important=False).transform()
	finally:
		logger.removeHandler(handler)
	assert [record.getMessage() for record in records if record.levelno >= logging.ERROR] == []


def test_a_missing_task_falls_back_to_the_default_interval_and_says_so():
	frappe.clear_messages()
	invoice, _tasks = countertop_invoice("Measure", "Install", submit=False)
	measure_due = getdate(add_days(nowdate(), 10))
	assert due_dates(invoice.name) == [measure_due, getdate(add_days(measure_due, 30)), None]
	messages = " ".join(str(message) for message in frappe.get_message_log())
	assert "has no task Removal" in messages
	assert api.get_plan(invoice.name)["installments"][1]["trigger"] is None


def test_the_customer_is_sent_the_schedule_once_and_again_when_it_changes():
	invoice, tasks = countertop_invoice()
	notices = emails(invoice.name, "Your Payment Schedule")
	assert len(notices) == 1
	body = frappe.db.get_value("Communication", notices[0], "content")
	assert "(before Measure)" in body
	assert "when Removal is completed" in body

	api.get_plan(invoice.name)
	tasks["Install"].reload()
	tasks["Install"].description = "No date change"
	tasks["Install"].save()
	assert len(emails(invoice.name, "Your Payment Schedule")) == 1

	tasks["Measure"].reload()
	tasks["Measure"].exp_start_date = add_days(nowdate(), 12)
	tasks["Measure"].save()
	assert len(emails(invoice.name, "Your Payment Schedule")) == 2


def test_a_task_completed_early_still_falls_due_in_plan_order():
	invoice, tasks = countertop_invoice(measure_in_days=10)
	complete(tasks["Removal"])
	assert due_dates(invoice.name)[1] == getdate(add_days(nowdate(), 10))
	assert emails(invoice.name, "Removal is done") == []


def test_a_calendar_plan_sends_no_schedule_notice():
	invoice = make_invoice(rate=3000, customer=customer_with_email("pb-calendar@example.com"))
	api.save_plan(invoice.name, template="Thirds")
	invoice.reload()
	invoice.submit()
	assert emails(invoice.name, "Your Payment Schedule") == []


def test_the_report_shows_a_waiting_installment_as_upcoming():
	invoice, _tasks = countertop_invoice()
	_columns, rows, *_ = outstanding_draws.execute({"company": company()})
	mine = [row for row in rows if row.sales_invoice == invoice.name]
	assert [(row.label, row.due_status) for row in mine] == [
		("Measure", "Upcoming"),
		("Removal", "Upcoming"),
		("Install", "Upcoming"),
	]


def test_the_project_timeline_puts_tasks_and_installments_in_one_list():
	invoice, tasks = countertop_invoice(measure_in_days=-5)
	complete(tasks["Measure"])
	receive_payment(invoice.name, 1000)
	complete(tasks["Removal"])
	project = frappe.db.get_value("Sales Invoice", invoice.name, "project")
	timeline = api.get_project_timeline(project)
	assert [(entry["kind"], entry["title"], entry["state"]) for entry in timeline["entries"]] == [
		("installment", "Measure, 1 of 3", "Paid"),
		("task", "Measure", "Done"),
		("task", "Removal", "Done"),
		("installment", "Removal, 2 of 3", "Due Now"),
		("task", "Install", "Upcoming"),
		("installment", "Install, 3 of 3", "Waiting"),
	]
	assert timeline["entries"][-1]["waiting_for"] == "when Install is completed"


def test_someone_without_access_to_the_project_cannot_read_its_timeline():
	invoice, _tasks = countertop_invoice()
	project = frappe.db.get_value("Sales Invoice", invoice.name, "project")
	frappe.set_user("Guest")
	with pytest.raises(frappe.PermissionError):
		api.get_project_timeline(project)


def portal_page(path, user, **query):
	from frappe.website.serve import get_response

	frappe.set_user(user)
	frappe.local.form_dict = frappe._dict(query)
	frappe.utils.set_request(method="GET", path=path)
	try:
		response = get_response()
	finally:
		frappe.set_user("Administrator")
	return response.status_code, frappe.safe_decode(response.get_data())


def website_user(email):
	if not frappe.db.exists("User", email):
		user = frappe.get_doc(
			{
				"doctype": "User",
				"email": email,
				"first_name": "Portal",
				"user_type": "Website User",
				"send_welcome_email": 0,
			}
		)
		user.append("roles", {"role": "Customer"})
		user.insert(ignore_permissions=True)
	return email


def test_the_customer_sees_the_timeline_on_their_project_page_and_nobody_else_does():
	invoice, tasks = countertop_invoice(measure_in_days=-5)
	complete(tasks["Measure"])
	project = frappe.get_doc("Project", frappe.db.get_value("Sales Invoice", invoice.name, "project"))
	member = website_user("pb-project-member@example.com")
	outsider = website_user("pb-project-outsider@example.com")
	project.append("users", {"user": member})
	project.save()

	status, html = portal_page("/projects", member, project=project.name)
	assert status == 200, html[-1500:]
	assert "Payment Schedule: Job Timeline" in html
	assert "Measure, 1 of 3" in html and "when Install is completed" in html
	assert "/tasks/new?project=" in html and "Hours Spent" in html  # ERPNext's own page is still there

	status, html = portal_page("/projects", outsider, project=project.name)
	assert "Job Timeline" not in html
	assert status == 403 and "Not Permitted" in html
