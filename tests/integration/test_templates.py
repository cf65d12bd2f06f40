import pytest

frappe = pytest.importorskip("frappe", reason="frappe is not importable: run pytest with the bench's python")

from progress_billing.setup.install import sync
from progress_billing.setup.templates import BUILTIN_TEMPLATES


def stages(name):
	return [(row.label, row.percentage) for row in frappe.get_doc("Payment Schedule Template", name).stages]


def test_the_builtin_templates_are_installed():
	assert stages("50/50 Split") == [("Deposit", 50), ("Final", 50)]
	assert stages("60/40 Deposit") == [("Deposit", 60), ("Final", 40)]
	assert [label for label, _ in stages("Thirds")] == ["Deposit", "Progress", "Final"]
	assert sum(percentage for _, percentage in stages("Thirds")) == pytest.approx(100, abs=1e-9)
	assert all(
		frappe.db.get_value("Payment Schedule Template", name, "is_builtin") for name in BUILTIN_TEMPLATES
	)


def test_builtins_cannot_be_deleted():
	with pytest.raises(frappe.ValidationError, match="built-in template"):
		frappe.delete_doc("Payment Schedule Template", "Thirds")


@pytest.fixture
def setup_commits():
	"""Setup alters tables, which commits what the test had changed (a built-in template
	changed on purpose, say): run it once more afterwards and commit, so what the site
	keeps is what migrate leaves, whatever the test did."""
	yield
	frappe.db.rollback()
	sync()
	frappe.db.commit()


@pytest.mark.commits  # setup alters tables, which commits: it is what migrate runs
@pytest.mark.usefixtures("setup_commits")
def test_migrate_restores_a_builtin_that_was_changed():
	template = frappe.get_doc("Payment Schedule Template", "50/50 Split")
	template.stages[0].percentage, template.stages[1].percentage = 70, 30
	template.save()
	sync()
	assert stages("50/50 Split") == [("Deposit", 50), ("Final", 50)]


@pytest.mark.commits
@pytest.mark.usefixtures("setup_commits")
def test_running_setup_twice_changes_nothing():
	sync()
	before = frappe.get_all(
		"Payment Schedule Template Stage", fields=["parent", "label", "percentage"], order_by="parent, idx"
	)
	sync()
	after = frappe.get_all(
		"Payment Schedule Template Stage", fields=["parent", "label", "percentage"], order_by="parent, idx"
	)
	assert before == after
	assert frappe.db.count("Custom Field", {"dt": "Sales Invoice", "fieldname": ("like", "pb_%")}) >= 7


def make_template(name, *stages_):
	return frappe.get_doc(
		{
			"doctype": "Payment Schedule Template",
			"template_name": name,
			"stages": [{"label": label, "percentage": percentage} for label, percentage in stages_],
		}
	).insert()


def test_a_custom_template_is_made_like_any_record():
	template = make_template("_PB Quarter Deposit", ("Deposit", 25), ("Rough-in", 25), ("Final", 50))
	assert template.name == "_PB Quarter Deposit"
	assert not template.is_builtin


@pytest.mark.parametrize(
	"stages_, message",
	[
		([("Deposit", 50), ("Final", 40)], "must total exactly 100%"),
		([("Everything", 100)], "between 2 and 12 rows"),
		([("Deposit", 50), ("", 50)], "Row 2: a label is required"),
		([("Deposit", 110), ("Final", -10)], "Row 2: the percentage must be greater than zero"),
	],
)
def test_a_template_that_breaks_the_rules_is_refused(stages_, message):
	with pytest.raises(frappe.ValidationError, match=message):
		make_template("_PB Broken", *stages_)
	assert not frappe.db.exists("Payment Schedule Template", "_PB Broken")
