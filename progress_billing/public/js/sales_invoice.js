// The plan on the Sales Invoice, Sales Order and Quotation forms: its section, the Configure,
// Accept Payment and Reschedule dialogs. One plan, the same dialogs on either form.
frappe.provide("progress_billing");

["Sales Invoice", "Sales Order", "Quotation"].forEach((doctype) =>
	frappe.ui.form.on(doctype, {
		refresh(frm) {
			progress_billing.invoice.refresh(frm);
		},
	})
);

// The plan's document, as every method of the API takes it.
progress_billing.document = (frm) => ({ doctype: frm.doctype, name: frm.doc.name });

progress_billing.PLAN_FIELDS = ["pb_section", "pb_plan_html"];

progress_billing.invoice = {
	async refresh(frm) {
		frm.toggle_display(progress_billing.PLAN_FIELDS, false);
		if (frm.is_new()) return;
		const context = await frappe.xcall(
			"progress_billing.api.get_invoice_context",
			progress_billing.document(frm)
		);
		frm.pb_context = context;
		if (!context.program.enabled) return;

		const words = context.program;
		frm.toggle_display(progress_billing.PLAN_FIELDS, true);
		frm.get_field("pb_plan_html").$wrapper.html(
			progress_billing.render_plan(context, frm.doc.currency) +
				progress_billing.render_payments(context, frm.doc.currency)
		);

		if (context.can_configure && context.locked && context.plan.status === "Active") {
			// Money has landed: amounts are fixed, but what is not paid yet can move.
			frm.add_custom_button(__("Reschedule {0}", [words.program_name]), () =>
				new progress_billing.RescheduleDialog(frm, context).show()
			);
		} else if (context.can_configure) {
			frm.add_custom_button(__("Configure {0}", [words.program_name]), () =>
				new progress_billing.PlanDialog(frm, context).show()
			);
		}
		const active = context.plan.status === "Active";
		if (frm.doc.docstatus === 1 && active && context.can_take_payment && context.outstanding_amount > 0) {
			frm.add_custom_button(__("Accept Payment"), () =>
				new progress_billing.AcceptPaymentDialog(frm, context).show()
			);
		}
		if (frm.doc.docstatus === 1 && active && context.can_configure) {
			frm.add_custom_button(
				__("Cancel {0}", [words.program_name]),
				() =>
					frappe.confirm(
						__("Cancel the remaining {0}? Paid ones stay in its history.", [
							frappe.utils.escape_html(words.interval_name),
						]),
						() =>
							frappe
								.xcall("progress_billing.api.cancel_plan", progress_billing.document(frm))
								.then(() => frm.reload_doc())
					),
				__("Actions")
			);
		}
		progress_billing.bind_draws(frm, context);
		progress_billing.bind_refunds(frm, context);
	},
};

// An order's plan: billed as one invoice or draw by draw, and each draw invoiced by hand.
progress_billing.bind_draws = function (frm, context) {
	const plan = context.plan;
	if (frm.doctype !== "Sales Order" || plan.status !== "Active" || frm.doc.docstatus === 2) return;
	const each = plan.billing === "Invoice Each Draw";
	const invoiced = plan.installments.some((row) => row.draw_invoice);
	if (context.can_configure && !invoiced && !flt(frm.doc.per_billed)) {
		const other = each ? "One Invoice" : "Invoice Each Draw";
		frm.add_custom_button(
			each ? __("Bill as One Invoice") : __("Invoice Each Draw"),
			() =>
				frappe
					.xcall("progress_billing.api.save_plan", {
						...progress_billing.document(frm),
						billing: other,
					})
					.then(() => frm.reload_doc()),
			__("Actions")
		);
	}
	if (!each || frm.doc.docstatus !== 1 || !context.can_invoice) return;
	const total = plan.installments.length;
	plan.installments
		.filter((row) => row.draw_state === "Scheduled")
		.forEach((row) =>
			frm.add_custom_button(
				__("{0}, {1} of {2}", [frappe.utils.escape_html(row.label), row.idx, total]),
				() =>
					// Frozen while it runs: a second click must not ask for the same draw again.
					frappe
						.call({
							method: "progress_billing.api.invoice_draw",
							args: { sales_order: frm.doc.name, idx: row.idx },
							freeze: true,
						})
						.then(({ message }) => {
							frappe.show_alert({
								message: __("Invoice {0} made", [message.sales_invoice]),
								indicator: "green",
							});
							frm.reload_doc();
						}),
				__("Invoice Draw Now")
			)
		);
};

progress_billing.render_payments = function (context, currency) {
	if (!context.payments || !context.payments.length) return "";
	const money = (value) => format_currency(value, currency);
	const head = { date: __("Date"), mode: __("Mode"), amount: __("Amount") };
	const rows = context.payments
		.map((row) => {
			const refund =
				row.kind === "Payment" && context.can_refund && row.refundable > 0
					? `<button class="btn btn-xs btn-default pb-refund" data-payment="${frappe.utils.escape_html(
							row.name
					  )}" data-refundable="${row.refundable}">${__("Refund")}</button>`
					: "";
			return `<tr class="${row.kind === "Refund" ? "pb-refund-row" : ""}">
				<td class="pb-stack-title"><a href="/app/${row.kind === "Refund" ? "journal-entry" : "payment-entry"}/${encodeURIComponent(
				row.name
			)}">${frappe.utils.escape_html(row.name)}</a></td>
				<td data-label="${head.date}">${frappe.datetime.str_to_user(row.posting_date)}</td>
				<td data-label="${head.mode}">${
				row.kind === "Refund" ? __("Refund") : frappe.utils.escape_html(row.mode_of_payment || "")
			}</td>
				<td data-label="${head.amount}" class="text-right">${money(row.amount)}</td>
				<td class="text-right pb-stack-actions">${refund}</td>
			</tr>`;
		})
		.join("");
	return `<div class="pb-payments">
		<div class="small text-muted" style="margin: 12px 0 6px">${__("Payment History")}</div>
		<table class="table table-bordered table-sm pb-stack">
			<thead><tr><th>${__("Document")}</th><th>${head.date}</th><th>${head.mode}</th>
			<th class="text-right">${head.amount}</th><th></th></tr></thead>
			<tbody>${rows}</tbody>
		</table></div>`;
};

progress_billing.bind_refunds = function (frm, context) {
	frm.get_field("pb_plan_html").$wrapper.off("click", ".pb-refund").on("click", ".pb-refund", (event) => {
		const button = $(event.currentTarget);
		progress_billing.refund_dialog(frm, context, button.data("payment"), flt(button.data("refundable")));
	});
};

progress_billing.refund_dialog = function (frm, context, payment_entry, refundable) {
	const words = context.program;
	const dialog = new frappe.ui.Dialog({
		title: __("Refund {0}", [payment_entry]),
		fields: [
			{
				fieldname: "amount",
				fieldtype: "Currency",
				label: __("Amount"),
				options: "currency",
				default: refundable,
				reqd: 1,
				description: __("At most {0}", [format_currency(refundable, frm.doc.currency)]),
			},
			{
				fieldname: "cancel_remaining_plan",
				fieldtype: "Check",
				label: __("Cancel remaining {0}", [words.program_name]),
				hidden: context.plan.status !== "Active",
			},
		],
		primary_action_label: __("Refund"),
		primary_action: (values) => {
			if (flt(values.amount) <= 0 || flt(values.amount) > refundable) {
				frappe.msgprint(__("Enter an amount above zero and at most {0}.", [format_currency(refundable, frm.doc.currency)]));
				return;
			}
			frappe
				.xcall("progress_billing.api.refund_payment", {
					payment_entry,
					amount: values.amount,
					cancel_remaining_plan: values.cancel_remaining_plan || 0,
				})
				.then((result) => {
					dialog.hide();
					frappe.show_alert({ message: __("Refund {0} recorded", [result.journal_entry]), indicator: "green" });
					frm.reload_doc();
				});
		},
	});
	dialog.show();
};

progress_billing.AcceptPaymentDialog = class AcceptPaymentDialog {
	constructor(frm, context) {
		this.frm = frm;
		this.context = context;
		const plan = context.plan;
		this.current = plan.installments.find((row) => row.idx === plan.current);
		this.make();
	}

	show() {
		this.dialog.show();
		this.preview();
	}

	make() {
		const current = this.current;
		const total = this.context.plan.installments.length;
		const which = current
			? __("{0}, {1} of {2}, due {3}", [
					frappe.utils.escape_html(current.label),
					current.idx,
					total,
					current.due_date ? frappe.datetime.str_to_user(current.due_date) : "—",
			  ])
			: "";
		this.dialog = new frappe.ui.Dialog({
			title: __("Accept Payment"),
			fields: [
				{
					fieldname: "current",
					fieldtype: "HTML",
					options: `<div class="pb-current-installment"><div class="small text-muted">${__(
						"Current {0}",
						[frappe.utils.escape_html(this.context.program.interval_name)]
					)}</div><div class="pb-current-label">${which}</div></div>`,
				},
				{
					fieldname: "amount",
					fieldtype: "Currency",
					label: __("Amount"),
					options: "currency",
					reqd: 1,
					default: current ? current.outstanding_amount : this.context.outstanding_amount,
					onchange: () => this.preview(),
				},
				{ fieldname: "banner", fieldtype: "HTML" },
				{ fieldname: "full_balance", fieldtype: "Button", label: __("Use full balance"), click: () => this.use_full_balance() },
				{ fieldtype: "Section Break" },
				{
					fieldname: "mode_of_payment",
					fieldtype: "Link",
					label: __("Mode of Payment"),
					options: "Mode of Payment",
					reqd: 1,
					onchange: () => this.mode_changed(),
				},
				{ fieldtype: "Column Break" },
				{ fieldname: "reference_no", fieldtype: "Data", label: __("Reference") },
				{ fieldname: "reference_date", fieldtype: "Date", label: __("Reference Date"), default: frappe.datetime.get_today() },
			],
			primary_action_label: __("Charge"),
			primary_action: (values) => this.charge(values),
		});
	}

	use_full_balance() {
		const plan = this.context.plan;
		const money = (value) => format_currency(value, this.frm.doc.currency);
		const interval = frappe.utils.escape_html(this.context.program.interval_name);
		const message =
			flt(plan.refunded_balance) > 0
				? __("Use the full balance of {0}? This pays every remaining {1} ({2}) and the refunded {3} still owed.", [
						money(this.context.outstanding_amount),
						interval,
						money(plan.installments_outstanding),
						money(plan.refunded_balance),
				  ])
				: __("Use the full balance of {0}? This pays every remaining {1}.", [
						money(this.context.outstanding_amount),
						interval,
				  ]);
		frappe.confirm(message, () => this.dialog.set_value("amount", this.context.outstanding_amount));
	}

	// ERPNext wants a reference number for money paid into a bank: ask for it before Charge.
	mode_changed() {
		const mode_of_payment = this.dialog.get_value("mode_of_payment");
		if (!mode_of_payment) return;
		frappe
			.xcall("progress_billing.api.get_payment_mode", {
				...progress_billing.document(this.frm),
				mode_of_payment,
			})
			.then((mode) => {
				this.dialog.set_df_property("reference_no", "reqd", mode.needs_reference ? 1 : 0);
				this.dialog.set_df_property(
					"reference_no",
					"description",
					mode.needs_reference ? __("Required for a bank payment.") : ""
				);
			});
	}

	preview() {
		const amount = flt(this.dialog.get_value("amount"));
		frappe
			.xcall("progress_billing.api.preview_payment", { ...progress_billing.document(this.frm), amount })
			.then((result) => {
				const banner = result.warnings.length
					? `<div class="pb-banner ${result.allowed ? "" : "pb-banner-refused"}">${result.warnings
							.map((warning) => frappe.utils.escape_html(warning))
							.join("<br>")}</div>`
					: "";
				this.dialog.fields_dict.banner.$wrapper.html(banner);
				this.dialog.get_primary_btn().prop("disabled", !result.allowed);
			});
	}

	charge(values) {
		frappe
			.xcall("progress_billing.api.accept_payment", {
				...progress_billing.document(this.frm),
				amount: values.amount,
				mode_of_payment: values.mode_of_payment,
				reference_no: values.reference_no,
				reference_date: values.reference_date,
			})
			.then((result) => {
				this.dialog.hide();
				frappe.show_alert({ message: __("Payment {0} submitted", [result.payment_entry]), indicator: "green" });
				this.frm.reload_doc();
			});
	}
};

progress_billing.render_plan = function (context, currency) {
	const { plan, program } = context;
	if (context.moved_to) {
		const { doctype, name } = context.moved_to;
		const link = `<a href="/app/${frappe.router.slug(doctype)}/${encodeURIComponent(name)}">${frappe.utils.escape_html(
			name
		)}</a>`;
		return `<div class="pb-title">${frappe.utils.escape_html(program.program_name)}</div>
			<p class="text-muted small pb-moved">${__("{0} moved on with the job to {1} {2}.", [
			frappe.utils.escape_html(program.program_name),
			__(doctype),
			link,
		])}</p>`;
	}
	if (context.draw_of) {
		const { order, title } = context.draw_of;
		const link = `<a href="/app/sales-order/${encodeURIComponent(order)}">${frappe.utils.escape_html(
			order
		)}</a>`;
		return `<div class="pb-title">${frappe.utils.escape_html(program.program_name)}</div>
			<p class="text-muted small pb-draw-of">${__("This invoice bills {0} of the {1} on {2}.", [
			frappe.utils.escape_html(title || ""),
			frappe.utils.escape_html(program.program_name),
			link,
		])}</p>`;
	}
	if (!plan.status) {
		return `<div class="pb-title">${frappe.utils.escape_html(program.program_name)}</div>
			<p class="text-muted small">${__("No {0} on this document.", [
			frappe.utils.escape_html(program.program_name),
		])}</p>`;
	}
	const total = plan.installments.length;
	const money = (value) => format_currency(value, currency);
	// Column names, also each cell's label when a phone stacks a row into a card.
	const head = {
		position: __("Position"),
		due_date: __("Due Date"),
		amount: __("Amount"),
		paid: __("Paid"),
		outstanding: __("Outstanding"),
		status: __("Status"),
	};
	const rows = plan.installments
		.map((row) => {
			const current = row.idx === plan.current;
			const invoice = row.draw_invoice
				? `<div class="small pb-draw-invoice">${__("Invoice {0}", [
						`<a href="/app/sales-invoice/${encodeURIComponent(
							row.draw_invoice
						)}">${frappe.utils.escape_html(row.draw_invoice)}</a>`,
				  ])}</div>`
				: "";
			const state = row.draw_state || row.status;
			return `<tr class="${current ? "pb-current" : ""}">
				<td class="pb-stack-title">${frappe.utils.escape_html(row.label)}${
				current ? ` <span class="indicator-pill blue">${__("Current")}</span>` : ""
			}${invoice}</td>
				<td data-label="${head.position}">${__("{0} of {1}", [row.idx, total])}</td>
				<td data-label="${head.due_date}">${row.due_date ? frappe.datetime.str_to_user(row.due_date) : ""}</td>
				<td data-label="${head.amount}" class="text-right">${money(row.amount)}</td>
				<td data-label="${head.paid}" class="text-right">${money(row.paid_amount)}</td>
				<td data-label="${head.outstanding}" class="text-right">${money(row.outstanding_amount)}</td>
				<td data-label="${head.status}"><span class="indicator-pill ${progress_billing.status_colour(
				state
			)}">${__(state)}</span></td>
			</tr>`;
		})
		.join("");
	return `<div class="pb-plan">
		<div class="pb-title">${frappe.utils.escape_html(program.program_name)}</div>
		<div class="pb-plan-head small text-muted">
			${__("Status")}: <b>${__(plan.status)}</b> · ${__("Target")}: <b>${money(plan.target)}</b>
			${plan.template ? ` · ${__("Template")}: ${frappe.utils.escape_html(plan.template)}` : ""}
			${plan.billing ? ` · ${__("Billing")}: ${__(plan.billing)}` : ""}
		</div>
		${
			plan.billing_stopped
				? `<p class="small text-warning pb-billing-stopped">${__(
						"The order is {0}: no more draws are invoiced.",
						[__(plan.billing_stopped)]
				  )}</p>`
				: ""
		}
		<table class="table table-bordered table-sm pb-plan-table pb-stack">
			<thead><tr>
				<th>${frappe.utils.escape_html(program.interval_name)}</th><th>${head.position}</th>
				<th>${head.due_date}</th><th class="text-right">${head.amount}</th>
				<th class="text-right">${head.paid}</th><th class="text-right">${head.outstanding}</th>
				<th>${head.status}</th>
			</tr></thead>
			<tbody>${rows}</tbody>
		</table>
		${progress_billing.render_balance(plan, program, currency)}
	</div>`;
};

// Why the invoice balance differs from what the installments ask for: refunded money is
// owed beside the plan (a refund never un-pays an installment), so both lines are shown.
progress_billing.render_balance = function (plan, program, currency) {
	if (!(flt(plan.refunded_balance) > 0)) return "";
	const money = (value) => format_currency(value, currency);
	return `<div class="pb-balance-wrap"><table class="table table-sm pb-balance">
		<tr><td>${__("Plan balance")}</td>
			<td class="text-right">${money(plan.installments_outstanding)}</td></tr>
		<tr class="pb-balance-refunded"><td>${__("Refunded, still owed")}</td>
			<td class="text-right">${money(plan.refunded_balance)}</td></tr>
		<tr class="pb-balance-total"><td><b>${__("Invoice balance")}</b></td>
			<td class="text-right"><b>${money(plan.invoice_outstanding)}</b></td></tr>
	</table></div>`;
};

progress_billing.status_colour = (status) =>
	({
		Paid: "green",
		"Partly Paid": "orange",
		Unpaid: "gray",
		Cancelled: "red",
		Invoiced: "blue",
		Draft: "gray",
		Scheduled: "gray",
	}[status] || "gray");

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
	}

	make() {
		const me = this;
		const { plan, templates } = this.context;
		const words = this.words;
		const target = plan.status ? plan.target : this.context.outstanding_amount || this.context.invoice_total;
		this.dialog = new frappe.ui.Dialog({
			title: __("Configure {0}", [words.program_name]),
			size: "large",
			fields: [
				{
					fieldname: "target",
					fieldtype: "Currency",
					label: __("Plan Target"),
					options: "currency",
					default: target,
					read_only: this.locked,
					onchange: () => this.update_bar(),
				},
				{ fieldtype: "Column Break" },
				{
					fieldname: "template",
					fieldtype: "Select",
					label: __("Template"),
					options: [{ label: __("None"), value: "" }].concat(
						templates.map((t) => ({ label: t.name, value: t.name }))
					),
					default: plan.template || "",
					read_only: this.locked,
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
					read_only: this.locked,
					onchange: () => this.mode_chosen(),
				},
				{ fieldtype: "Section Break" },
				{ fieldname: "target_warning", fieldtype: "HTML" },
				{
					fieldname: "installments",
					fieldtype: "Table",
					label: words.interval_name,
					in_place_edit: true,
					cannot_add_rows: this.locked,
					cannot_delete_rows: this.locked,
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
					fields: [
						{
							fieldname: "label",
							fieldtype: "Data",
							label: __("Label"),
							in_list_view: 1,
							reqd: 1,
							read_only: this.locked,
						},
						{
							fieldname: "percentage",
							fieldtype: "Percent",
							label: __("Percentage"),
							in_list_view: 1,
							precision: 6,
							read_only: this.locked,
							onchange: () => this.update_bar(),
						},
						{
							fieldname: "amount",
							fieldtype: "Currency",
							label: __("Amount"),
							in_list_view: 1,
							read_only: this.locked,
							// `this` is the grid's control; its doc is the row.
							onchange: function () {
								me.amount_typed(this.doc);
							},
						},
						{
							fieldname: "due_date",
							fieldtype: "Date",
							label: __("Due Date"),
							in_list_view: 1,
							read_only: this.locked,
							description: __("Leave empty to follow the default interval or the task."),
						},
						{
							fieldname: "trigger",
							fieldtype: "Select",
							label: __("Follows Task"),
							options: ["", "Before Task Starts", "After Task Completed"],
							in_list_view: this.frm.doc.project ? 1 : 0,
							read_only: this.locked || !this.frm.doc.project,
						},
						{
							fieldname: "task",
							fieldtype: "Link",
							label: __("Task"),
							options: "Task",
							in_list_view: this.frm.doc.project ? 1 : 0,
							read_only: this.locked || !this.frm.doc.project,
							get_query: () => ({ filters: { project: this.frm.doc.project } }),
						},
						{
							fieldname: "offset_days",
							fieldtype: "Int",
							label: __("Offset (Days)"),
							read_only: this.locked || !this.frm.doc.project,
						},
					],
				},
				{ fieldname: "cards", fieldtype: "HTML" },
				{ fieldname: "bar", fieldtype: "HTML" },
			],
			primary_action_label: this.locked ? __("Close") : __("Save"),
			primary_action: () => (this.locked ? this.dialog.hide() : this.save()),
		});
		this.dialog.pb_plan_dialog = this;
		if (plan.status && !this.locked) {
			this.dialog.set_secondary_action_label(__("Remove {0}", [words.program_name]));
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
		if (this.locked) {
			this.dialog.fields_dict.target_warning.$wrapper.html(
				`<div class="alert alert-info small">${__(
					"Money has been applied to this {0}; it can no longer be changed.",
					[frappe.utils.escape_html(words.program_name)]
				)}</div>`
			);
		}
		this.set_mode(false);
		if (!plan.status && this.dialog.get_value("template") === "" && templates.length) {
			// The default template from the settings, also where the department has no tick.
			this.dialog.set_value("template", this.context.default_template || "");
		}
	}

	grid() {
		return this.dialog.fields_dict.installments.grid;
	}

	rows() {
		return this.dialog.fields_dict.installments.df.data || [];
	}

	apply_template() {
		const name = this.dialog.get_value("template");
		if (!name) return;
		frappe.db.get_doc("Payment Schedule Template", name).then((template) => {
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
		});
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
		grid.update_docfield_property("amount", "read_only", !by_amount || this.locked ? 1 : 0);
		if (refresh) {
			this.refresh_rows();
			this.update_bar();
		} else if (this.cards) {
			this.cards.render();
		}
	}

	// Share of the target the rows allocate, as the engine will count it.
	allocation() {
		const rows = this.rows();
		const target = flt(this.dialog.get_value("target"));
		if (this.dialog.get_value("mode") === "Amount") {
			const typed = rows.filter((row) => row.typed);
			const sum = typed.reduce((total, row) => total + flt(row.amount), 0);
			if (typed.length < rows.length && sum < target) return 100;
			return target ? (sum / target) * 100 : 0;
		}
		return rows.reduce((total, row) => total + flt(row.percentage, 6), 0);
	}

	// Rows not typed by amount when nothing is left for them to share.
	nothing_left() {
		if (this.dialog.get_value("mode") !== "Amount") return false;
		const rows = this.rows();
		const typed = rows.filter((row) => row.typed);
		const sum = typed.reduce((total, row) => total + flt(row.amount), 0);
		return typed.length < rows.length && sum >= flt(this.dialog.get_value("target"));
	}

	// Shows what the engine will make of the rows: amounts from percentages, or the
	// shares untyped rows get in amount mode (equal, rounded down, the first of them
	// taking the remainder). Display only; the server decides.
	fill_derived() {
		const rows = this.rows();
		const target = flt(this.dialog.get_value("target"));
		const prec = precision("grand_total", this.frm.doc) || 2;
		if (!rows.length) return;
		if (this.dialog.get_value("mode") === "Amount") {
			const shared = rows.filter((row) => !row.typed);
			const left = flt(target - rows.filter((row) => row.typed).reduce((sum, row) => sum + flt(row.amount), 0), prec);
			const share = shared.length && left > 0 ? Math.floor(flt((left / shared.length) * 10 ** prec, 6)) / 10 ** prec : 0;
			shared.forEach((row, i) => {
				row.amount = left > 0 ? (i === 0 ? flt(left - share * (shared.length - 1), prec) : share) : 0;
			});
			rows.forEach((row) => (row.percentage = target ? flt((flt(row.amount) / target) * 100, 6) : 0));
		} else {
			const share = (row) => flt((target * flt(row.percentage)) / 100, prec);
			const total = rows.reduce((sum, row) => sum + flt(row.percentage, 6), 0);
			const full = Math.abs(total - 100) <= 0.000001;
			const rest = rows.slice(1).map(share);
			rows.forEach((row, i) => {
				// The first row takes the rounding remainder, as the engine does, once the shares add up.
				const remainder = flt(target - rest.reduce((sum, value) => sum + value, 0), prec);
				row.amount = i ? rest[i - 1] : full ? remainder : share(row);
			});
		}
		if (this.cards) this.cards.show_derived();
		else this.grid().refresh();
	}

	update_bar() {
		this.fill_derived();
		this.forget_changed_template();
		const percent = flt(this.allocation(), 6);
		const starved = this.nothing_left();
		const full = Math.abs(percent - 100) <= 0.000001 && !starved;
		const colour = full ? "green" : percent < 100 ? "yellow" : "red";
		const text = starved
			? __("The typed amounts use the whole target; nothing is left for the other rows.")
			: full
			? __("100% · Fully allocated")
			: percent < 100
			? __("{0}% · {1}% left to allocate", [format_number(percent, null, 2), format_number(100 - percent, null, 2)])
			: __("{0}% · Over-allocated by {1}%", [format_number(percent, null, 2), format_number(percent - 100, null, 2)]);
		const width = Math.min(100, Math.max(0, percent));
		const by_amount = this.dialog.get_value("mode") === "Amount" && !this.locked;
		const hint = by_amount
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
		const target = flt(this.dialog.get_value("target"));
		const total = flt(this.context.invoice_total);
		const differs = target && Math.abs(target - total) >= 0.005;
		this.dialog.fields_dict.target_warning.$wrapper.html(
			differs
				? `<div class="alert alert-warning small">${__(
						"The plan target {0} differs from the invoice total {1}.",
						[format_currency(target, this.frm.doc.currency), format_currency(total, this.frm.doc.currency)]
				  )}</div>`
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
		frappe.confirm(__("Remove the {0}?", [this.words.program_name]), () =>
			frappe
				.xcall("progress_billing.api.remove_plan", progress_billing.document(this.frm))
				.then(() => {
					this.dialog.hide();
					this.frm.reload_doc();
				})
		);
	}
};

// A plan money has reached: the labels and due dates of installments with nothing paid.
progress_billing.RescheduleDialog = class RescheduleDialog {
	constructor(frm, context) {
		this.frm = frm;
		this.context = context;
		this.rows = context.plan.installments;
		this.make();
	}

	show() {
		this.dialog.show();
	}

	make() {
		const words = this.context.program;
		const total = this.rows.length;
		const money = (value) => format_currency(value, this.frm.doc.currency);
		const esc = frappe.utils.escape_html;
		const paid = this.rows.filter((row) => flt(row.paid_amount) > 0);
		const fields = [
			{
				fieldtype: "HTML",
				options: `<p class="text-muted small">${__(
					"Amounts stay as they are, and so does anything with money on it: restructuring a paid plan means a refund and a new plan."
				)}</p>${paid
					.map(
						(row) =>
							`<div class="small pb-reschedule-paid">${esc(row.label)}, ${__("{0} of {1}", [row.idx, total])} · ${money(
								row.amount
							)} · ${__(row.status)}</div>`
					)
					.join("")}`,
			},
		];
		this.rows
			.filter((row) => !(flt(row.paid_amount) > 0))
			.forEach((row) => {
				fields.push(
					{
						fieldtype: "Section Break",
						label: `${__("{0} of {1}", [row.idx, total])} · ${money(row.amount)}`,
					},
					{ fieldname: `label_${row.idx}`, fieldtype: "Data", label: __("Label"), default: row.label, reqd: 1 },
					{ fieldtype: "Column Break" },
					{
						fieldname: `due_date_${row.idx}`,
						fieldtype: "Date",
						label: __("Due Date"),
						default: row.due_date,
						read_only: row.trigger ? 1 : 0,
						description: row.trigger ? __("Follows its task: move the task to move it.") : "",
					}
				);
			});
		this.dialog = new frappe.ui.Dialog({
			title: __("Reschedule {0}", [words.program_name]),
			fields,
			primary_action_label: __("Save"),
			primary_action: (values) => this.save(values),
		});
	}

	save(values) {
		const installments = this.rows
			.filter((row) => !(flt(row.paid_amount) > 0))
			.map((row) => {
				const change = { idx: row.idx };
				const label = values[`label_${row.idx}`];
				const due_date = values[`due_date_${row.idx}`];
				if (label !== row.label) change.label = label;
				if (!row.trigger && due_date && due_date !== row.due_date) change.due_date = due_date;
				return change;
			})
			.filter((change) => Object.keys(change).length > 1);
		if (!installments.length) {
			this.dialog.hide();
			return;
		}
		frappe
			.xcall("progress_billing.api.reschedule_plan", { ...progress_billing.document(this.frm), installments })
			.then(() => {
				this.dialog.hide();
				frappe.show_alert({ message: __("Rescheduled"), indicator: "green" });
				this.frm.reload_doc();
			});
	}
};

progress_billing.is_phone = () => window.matchMedia("(max-width: 767px)").matches;

// The Configure dialog's rows on a phone: one card per installment, every field in
// reach, in place of a grid whose columns do not fit. It edits the same rows.
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
			const $card = $(`<div class="pb-card" data-idx="${i + 1}">
				<div class="pb-card-head">
					<span class="pb-card-no">${__("{0} of {1}", [i + 1, rows.length])}</span>
					<span class="pb-card-derived text-muted"></span>
					${
						locked
							? ""
							: `<button type="button" class="btn btn-xs btn-default pb-card-remove">${__("Remove")}</button>`
					}
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
				: make({ fieldname: "percentage", fieldtype: "Percent", label: __("Percentage"), precision: 6, onchange: update });
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
				frappe.utils.escape_html(plan_dialog.words.interval_name),
			])}</button>`).appendTo(this.$wrapper);
		}
		this.show_derived();
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
				.text(by_amount ? `${format_number(row.percentage, null, 2)}%` : format_currency(row.amount, currency));
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
