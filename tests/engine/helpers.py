from datetime import date
from decimal import Decimal

TODAY = date(2026, 11, 21)


def D(value) -> Decimal:
	return Decimal(str(value))


def rows(*shares, key="percentage", dates=None):
	"""Plan rows labelled Stage 1..n with the given shares (None for a blank)."""
	dates = dates or [None] * len(shares)
	return [
		{"label": f"Stage {idx}", key: share, "due_date": due}
		for idx, (share, due) in enumerate(zip(shares, dates, strict=True), 1)
	]
