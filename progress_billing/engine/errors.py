from typing import Any


class PlanError(ValueError):
	"""A refusal from the engine.

	`message` is untranslated English with `{0}`-style placeholders and `params`
	fills them, so an adapter can translate the text first and format it after,
	rendering dates and amounts the way its user expects. `row` is the 1-based row
	the refusal concerns, where there is one.
	"""

	def __init__(self, message: str, *params: Any, row: int | None = None, field: str | None = None):
		super().__init__(message.format(*params))
		self.message = message
		self.params = params
		self.row = row
		self.field = field


class OverpaymentError(PlanError):
	"""Money beyond what the plan (or the invoice) can take."""
