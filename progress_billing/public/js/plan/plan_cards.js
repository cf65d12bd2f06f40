// The Configure dialog's rows on a phone: one card per installment, every field in
// reach, in place of a grid whose columns do not fit. It edits the same rows.
frappe.provide("progress_billing");

progress_billing.PlanCards = class PlanCards {
	constructor(plan_dialog) {
		this.plan_dialog = plan_dialog;
		this.$wrapper = plan_dialog.dialog.fields_dict.cards.$wrapper.addClass("pb-cards");
		this.$wrapper.on("click", ".pb-card-remove", (event) =>
			this.remove(cint($(event.currentTarget).closest(".pb-card").attr("data-idx")))
		);
		this.$wrapper.on("click", ".pb-card-add", () => this.add());
	}

	by_amount() {
		return this.plan_dialog.dialog.get_value("mode") === "Amount";
	}

	render() {
		const plan_dialog = this.plan_dialog;
		const rows = plan_dialog.rows();
		const locked = plan_dialog.locked;
		const project = plan_dialog.frm.doc.project;
		const by_amount = this.by_amount();
		const update = () => plan_dialog.update_bar();
		this.$wrapper.empty();
		this.cards = rows.map((row, i) => {
			const remove = locked
				? ""
				: `<button type="button" class="btn btn-xs btn-default pb-card-remove">${__("Remove")}</button>`;
			const $card = $(`<div class="pb-card" data-idx="${i + 1}">
				<div class="pb-card-head">
					<span class="pb-card-no">${__("{0} of {1}", [i + 1, rows.length])}</span>
					<span class="pb-card-derived text-muted"></span>
					${remove}
				</div>
				<div class="pb-card-fields"></div>
			</div>`).appendTo(this.$wrapper);
			const parent = $card.find(".pb-card-fields");
			const make = (df) => {
				const control = frappe.ui.form.make_control({
					df: { ...df, read_only: locked || df.read_only ? 1 : 0 },
					parent,
					doc: row,
					render_input: true,
				});
				control.refresh();
				return control;
			};
			make({ fieldname: "label", fieldtype: "Data", label: __("Label"), reqd: 1, onchange: update });
			const value = by_amount
				? make({
						fieldname: "amount",
						fieldtype: "Currency",
						label: __("Amount"),
						onchange: () => plan_dialog.amount_typed(row),
				  })
				: this.percentage_control(make, update);
			make({
				fieldname: "due_date",
				fieldtype: "Date",
				label: __("Due Date"),
				read_only: row.trigger ? 1 : 0,
				description: row.trigger ? __("Follows its task.") : "",
				onchange: update,
			});
			if (project) {
				make({
					fieldname: "trigger",
					fieldtype: "Select",
					label: __("Follows Task"),
					options: ["", "Before Task Starts", "After Task Completed"],
					onchange: () => this.render(),
				});
				const task = make({ fieldname: "task", fieldtype: "Link", label: __("Task"), options: "Task" });
				task.get_query = () => ({ filters: { project } });
			}
			return { $card, row, value };
		});
		if (!locked) {
			$(`<button type="button" class="btn btn-sm btn-default pb-card-add">${__("+ Add {0}", [
				progress_billing.esc(plan_dialog.words.interval_name),
			])}</button>`).appendTo(this.$wrapper);
		}
		this.show_derived();
	}

	// A percentage is typed to six places (thirds add up), shown without trailing zeros.
	percentage_control(make, update) {
		const control = make({
			fieldname: "percentage",
			fieldtype: "Percent",
			label: __("Percentage"),
			precision: 6,
			onchange: update,
		});
		const format = control.format_for_input.bind(control);
		control.format_for_input = (value, ...args) => {
			const text = format(value, ...args);
			const { decimal_str } = get_number_format_info(control.get_number_format());
			if (!decimal_str || !text || !text.includes(decimal_str)) return text;
			return text.replace(new RegExp(`\\${decimal_str}?0+$`), "");
		};
		control.refresh();
		return control;
	}

	// What the other field comes to (the amount of a percentage, the share of an amount),
	// and in amount mode the shares of rows not typed, without touching a field being typed in.
	show_derived() {
		if (!this.cards) return this.render();
		const currency = this.plan_dialog.frm.doc.currency;
		const by_amount = this.by_amount();
		this.cards.forEach(({ $card, row, value }) => {
			$card
				.find(".pb-card-derived")
				.text(
					by_amount
						? `${progress_billing.format_percent(row.percentage)}%`
						: format_currency(row.amount, currency)
				);
			if (by_amount && !row.typed && !value.$input.is(":focus")) value.set_input(row.amount);
		});
	}

	add() {
		this.plan_dialog.rows().push({ label: "", percentage: 0, typed: false });
		this.render();
		this.plan_dialog.update_bar();
	}

	remove(idx) {
		this.plan_dialog.rows().splice(idx - 1, 1);
		this.render();
		this.plan_dialog.update_bar();
	}

	mark_refused(idx) {
		this.$wrapper.find(".pb-card").removeClass("pb-refused");
		if (idx) this.$wrapper.find(`.pb-card[data-idx="${idx}"]`).addClass("pb-refused");
	}
};
