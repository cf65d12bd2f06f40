from progress_billing.engine import AMOUNT, PERCENTAGE, build_plan, follows_template
from tests.engine.helpers import TODAY

THIRDS = [
	{"label": "Deposit", "percentage": "33.333334"},
	{"label": "Progress", "percentage": "33.333333"},
	{"label": "Final", "percentage": "33.333333"},
]


def plan(stages, mode=PERCENTAGE, target="3000"):
	return build_plan(target, stages, mode=mode, precision=2, today=TODAY)


def test_the_templates_own_rows_follow_it():
	assert follows_template(plan(THIRDS), THIRDS)


def test_a_renamed_row_no_longer_follows_it():
	renamed = [dict(THIRDS[0], label="Down payment"), *THIRDS[1:]]
	assert not follows_template(plan(renamed), THIRDS)


def test_other_percentages_no_longer_follow_it():
	changed = [
		{"label": "Deposit", "percentage": "50"},
		{"label": "Progress", "percentage": "25"},
		{"label": "Final", "percentage": "25"},
	]
	assert not follows_template(plan(changed), THIRDS)


def test_an_added_row_no_longer_follows_it():
	four = [
		*THIRDS[:2],
		{"label": "Final", "percentage": "16.666666"},
		{"label": "Retainage", "percentage": "16.666667"},
	]
	assert not follows_template(plan(four), THIRDS)


def test_a_split_by_amount_is_not_the_template_even_when_the_amounts_agree():
	by_amount = [{"label": row["label"], "amount": "1000"} for row in THIRDS]
	assert not follows_template(plan(by_amount, mode=AMOUNT), THIRDS)
