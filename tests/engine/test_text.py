"""Text a person typed is plain text: markup refused, the field's length kept."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from progress_billing.engine import PlanError, build_plan
from progress_billing.engine.messages import Term
from progress_billing.engine.text import TEXT_LENGTH, has_markup, plain_text, strip_markup
from tests.engine.helpers import TODAY

PAYLOADS = [
	"<img src=x onerror=alert(1)>",
	"<script>alert(1)</script>",
	"Deposit </td><b>",
	"<!-- x -->",
	"< svg onload=alert(1)>",
	"&lt;img src=x onerror=alert(1)&gt;",
	"&#60;script&#62;",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markup_in_a_label_is_refused_naming_the_row(payload):
	rows = [{"label": "Deposit", "percentage": 50}, {"label": payload, "percentage": 50}]
	with pytest.raises(PlanError) as refusal:
		build_plan(1000, rows, today=TODAY)
	assert refusal.value.row == 2
	assert "plain text" in str(refusal.value)


@pytest.mark.parametrize("text", ["Phase < 2", "A & B", "Rough-in 50%", "Fliesen & Fugen", "x<2 and y>3"])
def test_text_that_only_looks_like_markup_is_kept(text):
	assert plain_text(text, Term("the label")) == text


def test_a_label_longer_than_the_field_is_refused():
	rows = [{"label": "D" * (TEXT_LENGTH + 1), "percentage": 50}, {"label": "Final", "percentage": 50}]
	with pytest.raises(PlanError) as refusal:
		build_plan(1000, rows, today=TODAY)
	assert refusal.value.row == 1
	assert str(TEXT_LENGTH) in str(refusal.value)
	assert build_plan(1000, [{**rows[0], "label": "D" * TEXT_LENGTH}, rows[1]], today=TODAY)


def test_the_words_being_checked_are_a_term_the_adapter_translates():
	with pytest.raises(PlanError) as refusal:
		plain_text("<b>Plan</b>", Term("the program's name"))
	assert isinstance(refusal.value.params[0], Term)


@given(st.text(max_size=200))
def test_accepted_text_never_carries_markup(text):
	try:
		accepted = plain_text(text, Term("the label"))
	except PlanError:
		return
	assert not has_markup(accepted)
	assert len(accepted) <= TEXT_LENGTH


@given(st.text(max_size=300))
def test_stripping_stored_text_leaves_text_that_is_accepted(text):
	assert plain_text(strip_markup(text), Term("the label")) == strip_markup(text)


def test_stripping_keeps_the_words():
	assert strip_markup("Deposit <img src=x onerror=alert(1)>") == "Deposit"
	assert strip_markup("<b>Rough-in</b>") == "Rough-in"
