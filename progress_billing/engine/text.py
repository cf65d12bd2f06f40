"""Text a person types that we show again: installment labels, the program's words.

Such text is plain text. Markup in it is refused where it is typed (escaping where it
is shown is the other half, in every adapter), and it fits the field it is stored in,
since plans are written with `db_insert` and raw updates that skip Frappe's checks.
"""

import re

from progress_billing.engine.errors import PlanError
from progress_billing.engine.messages import Term, _

# Frappe's Data fields hold 140 characters.
TEXT_LENGTH = 140

# What an HTML parser reads as a tag, a comment or a declaration (`<img`, `</b`, `<!--`,
# `<?`), and character references (`&lt;`, `&#60;`) that would turn into one when shown
# by something that unescapes. A lone "<" or "&" in "Phase < 2" or "A & B" is text.
# What the refusals call the text they refuse.
LABEL = Term(_("the label"))
PROGRAM_NAME = Term(_("the program's name"))
INSTALLMENT_NAME = Term(_("the installment's name"))
TEMPLATE_NAME = Term(_("the template's name"))

MARKUP = re.compile(r"<\s*[A-Za-z/!?]|&#?[A-Za-z0-9]+;")


def has_markup(value: str) -> bool:
	return bool(MARKUP.search(value or ""))


def plain_text(value, what: Term, *, max_length: int = TEXT_LENGTH, row: int | None = None) -> str:
	"""`value` stripped, or a PlanError naming `what` (and the row) when it carries markup
	or is longer than the field holds. Empty text is returned as ''; whether it is
	required is the caller's rule."""
	text = str(value if value is not None else "").strip()
	if has_markup(text):
		if row:
			raise PlanError(_('Row {0}: {1} is plain text: remove the markup ("<…>").'), row, what, row=row)
		raise PlanError(_('{0} is plain text: remove the markup ("<…>").'), what)
	if len(text) > max_length:
		if row:
			raise PlanError(
				_("Row {0}: {1} is {2} characters long; at most {3} fit."),
				row,
				what,
				len(text),
				max_length,
				row=row,
			)
		raise PlanError(_("{0} is {1} characters long; at most {2} fit."), what, len(text), max_length)
	return text


def strip_markup(value: str) -> str:
	"""What is left of stored text once the markup is taken out (for text stored before
	markup was refused): tags removed, character references dropped."""
	without_tags = re.sub(r"<[^>]*>?", "", value or "")
	return MARKUP.sub("", without_tags).strip()[:TEXT_LENGTH]
