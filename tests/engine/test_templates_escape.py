"""Every value our Jinja templates print is escaped: a person's text in a label, a name or
the program's words is text in a print, a portal page or an email, never markup.

Frappe's Jinja does not autoescape, so each `{{ ... }}` ends in `| e` (or `| urlencode` in
a link), unless it prints a fixed translated string or a parent block.
"""

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).parents[2] / "progress_billing" / "templates"
EXPRESSION = re.compile(r"{{-?\s*(.*?)\s*-?}}", re.S)
SAFE = [
	re.compile(r".*\|\s*(e|escape|urlencode)$", re.S),
	re.compile(r"super\(\)"),
	re.compile(r"""_\(\s*("[^"{}]*"|'[^'{}]*')\s*\)"""),
	# ERPNext's Terms and Conditions: a Text Editor field, HTML by design, which Frappe
	# sanitizes when it is saved (ERPNext's own portal page prints it the same way).
	re.compile(r"doc\.terms"),
]


def expressions():
	for path in sorted(TEMPLATES.rglob("*.html")):
		for match in EXPRESSION.finditer(path.read_text()):
			yield path.relative_to(TEMPLATES), match.group(1)


def test_the_templates_are_found():
	assert len(list(expressions())) > 100


@pytest.mark.parametrize("path, expression", list(expressions()), ids=lambda value: str(value)[:60])
def test_every_printed_value_is_escaped(path, expression):
	assert any(rule.fullmatch(expression) for rule in SAFE), f"{path}: {{{{ {expression} }}}} is not escaped"
