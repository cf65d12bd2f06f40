// The Configure dialog's arithmetic, display only (the server decides): how much of the
// target the rows allocate, what the engine will make of them, and the bar's words.
frappe.provide("progress_billing.plan_rows");

Object.assign(progress_billing.plan_rows, {
	typed_sum(rows) {
		return rows.filter((row) => row.typed).reduce((total, row) => total + flt(row.amount), 0);
	},

	// Share of the target the rows allocate, as the engine will count it.
	allocation(rows, mode, target) {
		if (mode === "Amount") {
			const sum = this.typed_sum(rows);
			if (rows.some((row) => !row.typed) && sum < target) return 100;
			return target ? (sum / target) * 100 : 0;
		}
		return rows.reduce((total, row) => total + flt(row.percentage, 6), 0);
	},

	// Rows not typed by amount when nothing is left for them to share.
	nothing_left(rows, mode, target) {
		return mode === "Amount" && rows.some((row) => !row.typed) && this.typed_sum(rows) >= target;
	},

	// Amounts from percentages, or in amount mode the shares of untyped rows (equal,
	// rounded down, the first of them taking the remainder), as the engine makes them.
	fill_derived(rows, mode, target, prec) {
		if (!rows.length) return;
		if (mode === "Amount") {
			const shared = rows.filter((row) => !row.typed);
			const left = flt(target - this.typed_sum(rows), prec);
			const share =
				shared.length && left > 0 ? Math.floor(flt((left / shared.length) * 10 ** prec, 6)) / 10 ** prec : 0;
			shared.forEach((row, i) => {
				row.amount = left > 0 ? (i === 0 ? flt(left - share * (shared.length - 1), prec) : share) : 0;
			});
			rows.forEach((row) => (row.percentage = target ? flt((flt(row.amount) / target) * 100, 6) : 0));
			return;
		}
		const share = (row) => flt((target * flt(row.percentage)) / 100, prec);
		const total = rows.reduce((sum, row) => sum + flt(row.percentage, 6), 0);
		const full = Math.abs(total - 100) <= 0.000001;
		const rest = rows.slice(1).map(share);
		rows.forEach((row, i) => {
			// The first row takes the rounding remainder, as the engine does, once the shares add up.
			const remainder = flt(target - rest.reduce((sum, value) => sum + value, 0), prec);
			row.amount = i ? rest[i - 1] : full ? remainder : share(row);
		});
	},

	// What the bar says, and its colour: in percent by percentage, in money by amount.
	bar({ rows, mode, target, currency }) {
		const percent = flt(this.allocation(rows, mode, target), 6);
		const starved = this.nothing_left(rows, mode, target);
		const full = Math.abs(percent - 100) <= 0.000001 && !starved;
		const pct = progress_billing.format_percent;
		const money = (value) => format_currency(value, currency);
		let text;
		if (full) {
			text = __("100% · Fully allocated");
		} else if (mode === "Amount") {
			const over = flt(this.typed_sum(rows) - target, 2);
			text =
				over > 0
					? __("The typed amounts are over the target by {0}.", [money(over)])
					: starved
					? __("The typed amounts use the whole target; nothing is left for the other rows.")
					: __("{0} left to allocate", [money(-over)]);
		} else {
			text =
				percent < 100
					? __("{0}% · {1}% left to allocate", [pct(percent), pct(100 - percent)])
					: __("{0}% · Over-allocated by {1}%", [pct(percent), pct(percent - 100)]);
		}
		const colour = full ? "green" : percent < 100 && !starved ? "yellow" : "red";
		return { percent, full, text, colour };
	},
});
