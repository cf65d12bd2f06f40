// Configure: the plan's rows by percentage or by amount, from a template or typed in.
// The arithmetic is in plan_rows.js, the grid's columns in plan_grid.js, the phone's
// cards in plan_cards.js.
frappe.provide("progress_billing");

progress_billing.PlanDialog = class PlanDialog {
	constructor(frm, context) {
		this.frm = frm;
		this.context = context;
		this.words = context.program;
		this.locked = context.locked;
		this.make();
	}

	show() {
		this.dialog.show();
		this.update_bar();
		this.saved = this.snapshot();
	}

	make() {
		const esc = progress_billing.esc;
		const { plan, templates } = this.context;
		const words = this.words;
		const locked = this.locked;
		const project = this.frm.doc.project;
		const target = plan.status ? plan.target : this.context.outstanding_amount || this.context.invoice_total;
		this.dialog = new frappe.ui.Dialog({
			title: __("Configure {0}", [esc(words.program_name)]),
			size: "large",
			fields: [
				{
					fieldname: "target",
					fieldtype: "Currency",
					label: __("Plan Target"),
					options: "currency",
					default: target,
					read_only: locked,
					onchange: () => this.update_bar(),
				},
				{ fieldtype: "Column Break" },
				{
					fieldname: "template",
					fieldtype: "Select",
					label: __("Template"),
					// Select labels are HTML, and Frappe translates them: a template's name is text.
					options: [{ label: __("None"), value: "" }].concat(
						templates.map((t) => ({ label: esc(t.name), value: t.name }))
					),
					formatter: (value) => esc(value),
					default: plan.template || "",
					read_only: locked,
					onchange: () => this.apply_template(),
				},
				{ fieldtype: "Column Break" },
				{
					fieldname: "mode",
					fieldtype: "Select",
					label: __("Split"),
					options: [
						{ label: __("By Percentage"), value: "Percentage" },
						{ label: __("By Amount"), value: "Amount" },
					],
					default: plan.mode || "Percentage",
					read_only: locked,
					onchange: () => this.mode_chosen(),
				},
				{ fieldtype: "Section Break" },
				{ fieldname: "target_warning", fieldtype: "HTML" },
				// The business's own word, as written in the settings: Frappe would translate a label.
				{
					fieldname: "rows_heading",
					fieldtype: "HTML",
					options: `<div class="control-label pb-rows-heading">${esc(words.interval_name)}</div>`,
				},
				{
					fieldname: "installments",
					fieldtype: "Table",
					label: "",
					in_place_edit: true,
					cannot_add_rows: locked,
					cannot_delete_rows: locked,
					data: plan.installments.map((row) => ({
						label: row.label,
						percentage: row.percentage,
						amount: row.amount,
						due_date: row.due_date,
						trigger: row.trigger,
						task: row.task,
						offset_days: row.offset_days,
						// A saved plan by amount keeps every amount it was saved with.
						typed: plan.mode === "Amount",
					})),
					fields: progress_billing.plan_grid_fields({
						locked,
						project,
						percentage_changed: () => this.update_bar(),
						amount_typed: (row) => this.amount_typed(row),
					}),
				},
				{ fieldname: "cards", fieldtype: "HTML" },
				{ fieldname: "bar", fieldtype: "HTML" },
			],
			primary_action_label: locked ? __("Close") : __("Save"),
			primary_action: () => (locked ? this.dialog.hide() : this.save()),
		});
		this.dialog.pb_plan_dialog = this;
		progress_billing.guard_dialog(this.dialog, () => this.has_changes());
		if (plan.status && !locked) {
			this.dialog.set_secondary_action_label(__("Remove {0}", [esc(words.program_name)]));
			this.dialog.set_secondary_action(() => this.remove());
		}
		const grid = this.grid();
		grid.wrapper.find(".grid-add-row").text(__("+ Add {0}", [words.interval_name]));
		grid.wrapper.on("change", "input", () => setTimeout(() => this.update_bar(), 0));
		this.applied = plan.template ? { name: plan.template, rows: this.template_key(this.rows()) } : null;
		if (progress_billing.is_phone()) {
			// A phone has no room for the grid's columns: one card per installment instead.
			this.cards = new progress_billing.PlanCards(this);
			this.dialog.fields_dict.installments.$wrapper.hide();
		}
		if (locked) {
			this.dialog.fields_dict.target_warning.$wrapper.html(
				`<div class="alert alert-info small">${__("Money has been applied to this {0}; it can no longer be changed.", [
					esc(words.program_name),
				])}</div>`
			);
		}
		this.set_mode(false);
		if (!plan.status && this.dialog.get_value("template") === "" && templates.length) {
			// The default template from the settings, also where the department has no tick.
			// Its rows are what the dialog starts from, not a change to ask about on close.
			this.starting_template = this.context.default_template || "";
			this.dialog.set_value("template", this.starting_template);
		}
	}

	grid() {
		return this.dialog.fields_dict.installments.grid;
	}

	rows() {
		return this.dialog.fields_dict.installments.df.data || [];
	}

	// What Save would send, to tell whether closing loses anything.
	snapshot() {
		const mode = this.dialog.get_value("mode");
		return JSON.stringify({
			target: flt(this.dialog.get_value("target")),
			template: this.dialog.get_value("template") || "",
			mode,
			rows: this.rows().map((row) => [
				row.label || "",
				mode === "Amount" ? (row.typed ? flt(row.amount) : null) : flt(row.percentage, 6),
				row.due_date || "",
				row.trigger || "",
				row.task || "",
				cint(row.offset_days),
			]),
		});
	}

	has_changes() {
		return !this.locked && this.saved !== undefined && this.snapshot() !== this.saved;
	}

	apply_template() {
		const name = this.dialog.get_value("template");
		if (!name) return;
		// The stages come with the form's context: a technician allowed to configure plans
		// may not read Payment Schedule Template itself.
		const template = this.context.templates.find((row) => row.name === name);
		if (!template) return;
		this.dialog.set_value("mode", "Percentage");
		// Stages that name a task are matched to the project's tasks by the server on save.
		this.dialog.fields_dict.installments.df.data = template.stages.map((stage) => ({
			label: stage.label,
			percentage: stage.percentage,
			trigger: stage.trigger,
			task_subject: stage.task_subject,
			offset_days: stage.offset_days,
		}));
		this.applied = { name, rows: this.template_key(this.rows()) };
		this.refresh_rows();
		this.update_bar();
		if (this.starting_template === name) {
			this.starting_template = null;
			this.saved = this.snapshot();
		}
	}

	// What makes rows "the template": their labels and percentages, by percentage.
	template_key(rows) {
		return JSON.stringify(rows.map((row) => [row.label || "", flt(row.percentage, 6)]));
	}

	// Rows changed after picking a template are no longer that template: say so at once.
	forget_changed_template() {
		const name = this.dialog.get_value("template");
		if (!name || !this.applied || this.applied.name !== name) return;
		const same =
			this.dialog.get_value("mode") === "Percentage" && this.template_key(this.rows()) === this.applied.rows;
		if (!same) {
			this.applied = null;
			this.dialog.fields_dict.template.set_input("");
		}
	}

	// By Amount: a typed amount is kept; rows not typed share what is left.
	amount_typed(row) {
		if (row) row.typed = flt(row.amount) > 0;
		this.update_bar();
	}

	mode_chosen() {
		// Switching to amounts starts from nothing typed, so the first amount typed
		// leaves the rest to share instead of keeping the template's amounts.
		this.rows().forEach((row) => (row.typed = false));
		this.set_mode();
	}

	refresh_rows() {
		if (this.cards) this.cards.render();
		else this.grid().refresh();
	}

	set_mode(refresh = true) {
		const by_amount = this.dialog.get_value("mode") === "Amount";
		const grid = this.grid();
		grid.update_docfield_property("percentage", "read_only", by_amount || this.locked ? 1 : 0);
		// By amount a row's percentage is only shown (two places); by percentage it is typed.
		grid.update_docfield_property("percentage", "precision", by_amount || this.locked ? 2 : 6);
		grid.update_docfield_property("amount", "read_only", !by_amount || this.locked ? 1 : 0);
		if (refresh) {
			this.refresh_rows();
			this.update_bar();
		} else if (this.cards) {
			this.cards.render();
		}
	}

	// Shows what the engine will make of the rows. Display only; the server decides.
	fill_derived() {
		const prec = precision("grand_total", this.frm.doc) || 2;
		const target = flt(this.dialog.get_value("target"));
		progress_billing.plan_rows.fill_derived(this.rows(), this.dialog.get_value("mode"), target, prec);
		if (this.cards) this.cards.show_derived();
		else this.grid().refresh();
	}

	update_bar() {
		this.fill_derived();
		this.forget_changed_template();
		const mode = this.dialog.get_value("mode");
		const { percent, full, text, colour } = progress_billing.plan_rows.bar({
			rows: this.rows(),
			mode,
			target: flt(this.dialog.get_value("target")),
			currency: this.frm.doc.currency,
		});
		const width = Math.min(100, Math.max(0, percent));
		const hint =
			mode === "Amount" && !this.locked
				? `<div class="small text-muted pb-bar-hint">${__(
						"Type the amounts you know; rows you have not typed share what is left equally."
				  )}</div>`
				: "";
		this.dialog.fields_dict.bar.$wrapper.html(`
			<div class="pb-bar pb-bar-${colour}" data-allocated="${percent}">
				<div class="pb-bar-track"><div class="pb-bar-fill" style="width: ${width}%"></div></div>
				<div class="pb-bar-text">${text}</div>
				${hint}
			</div>`);
		this.show_target_warning();
		if (!this.locked) this.dialog.get_primary_btn().prop("disabled", !full);
	}

	show_target_warning() {
		if (this.locked) return;
		const money = (value) => format_currency(value, this.frm.doc.currency);
		const target = flt(this.dialog.get_value("target"));
		const total = flt(this.context.invoice_total);
		const differs = target && Math.abs(target - total) >= 0.005;
		this.dialog.fields_dict.target_warning.$wrapper.html(
			differs
				? `<div class="alert alert-warning small">${__("The plan target {0} differs from the invoice total {1}.", [
						money(target),
						money(total),
				  ])}</div>`
				: ""
		);
	}

	save() {
		const values = this.dialog.get_values();
		if (!values) return;
		const mode = values.mode;
		const installments = this.rows().map((row) => ({
			label: row.label,
			due_date: row.trigger ? null : row.due_date || null,
			trigger: row.trigger || null,
			task: row.task || null,
			task_subject: row.task_subject || null,
			offset_days: row.offset_days || 0,
			...(mode === "Amount" ? { amount: row.typed ? row.amount : null } : { percentage: row.percentage }),
		}));
		frappe.call({
			method: "progress_billing.api.save_plan",
			args: {
				...progress_billing.document(this.frm),
				installments,
				template: values.template || null,
				mode,
				target: values.target,
			},
			freeze: true,
			callback: (r) => {
				if (r.exc) return;
				this.dialog.hide();
				this.frm.reload_doc();
			},
			error: (r) => this.mark_refused_row(r && r.pb_refusal),
		});
	}

	mark_refused_row(refusal) {
		if (this.cards) return this.cards.mark_refused(refusal && refusal.row);
		this.grid().wrapper.find(".grid-row").removeClass("pb-refused");
		if (!refusal || !refusal.row) return;
		const row = this.grid().grid_rows[refusal.row - 1];
		if (row) row.wrapper.addClass("pb-refused");
	}

	remove() {
		frappe.confirm(__("Remove the {0}?", [progress_billing.esc(this.words.program_name)]), () =>
			frappe.xcall("progress_billing.api.remove_plan", progress_billing.document(this.frm)).then(() => {
				this.dialog.hide();
				this.frm.reload_doc();
			})
		);
	}
};
