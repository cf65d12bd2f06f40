// Accept Payment: money for the plan's current installment (or more), recorded as an
// ERPNext Payment Entry against the document.
frappe.provide("progress_billing");

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
		const esc = progress_billing.esc;
		const current = this.current;
		const total = this.context.plan.installments.length;
		const which = current
			? __("{0}, due {1}", [
					progress_billing.installment_title(current.label, current.idx, total),
					current.due_date ? frappe.datetime.str_to_user(current.due_date) : "—",
			  ])
			: "";
		this.default_amount = current ? current.outstanding_amount : this.context.outstanding_amount;
		this.dialog = new frappe.ui.Dialog({
			title: __("Accept Payment"),
			fields: [
				{
					fieldname: "current",
					fieldtype: "HTML",
					options: `<div class="pb-current-installment"><div class="small text-muted">${__("Current {0}", [
						esc(this.context.program.interval_name),
					])}</div><div class="pb-current-label">${which}</div></div>`,
				},
				{
					fieldname: "amount",
					fieldtype: "Currency",
					label: __("Amount"),
					options: "currency",
					reqd: 1,
					default: this.default_amount,
					onchange: () => this.preview(),
				},
				{ fieldname: "banner", fieldtype: "HTML" },
				{
					fieldname: "full_balance",
					fieldtype: "Button",
					label: __("Use full balance"),
					click: () => this.use_full_balance(),
				},
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
				{
					fieldname: "reference_date",
					fieldtype: "Date",
					label: __("Reference Date"),
					default: frappe.datetime.get_today(),
				},
			],
			primary_action_label: __("Charge"),
			primary_action: (values) => this.charge(values),
		});
		progress_billing.guard_dialog(this.dialog, () => this.has_changes());
	}

	has_changes() {
		const values = this.dialog.get_values(true) || {};
		return (
			flt(values.amount) !== flt(this.default_amount) ||
			Boolean(values.mode_of_payment) ||
			Boolean(values.reference_no)
		);
	}

	use_full_balance() {
		const plan = this.context.plan;
		const money = (value) => format_currency(value, this.frm.doc.currency);
		const interval = progress_billing.esc(this.context.program.interval_name);
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
							.map((warning) => progress_billing.esc(warning))
							.join("<br>")}</div>`
					: "";
				this.dialog.fields_dict.banner.$wrapper.html(banner);
				this.dialog.get_primary_btn().prop("disabled", !result.allowed);
			});
	}

	charge(values) {
		progress_billing
			.money_call(this.dialog, "progress_billing.api.accept_payment", {
				...progress_billing.document(this.frm),
				amount: values.amount,
				mode_of_payment: values.mode_of_payment,
				reference_no: values.reference_no,
				reference_date: values.reference_date,
			})
			.then((result) => {
				this.dialog.hide();
				frappe.show_alert({
					message: __("Payment {0} submitted", [progress_billing.esc(result.payment_entry)]),
					indicator: "green",
				});
				this.frm.reload_doc();
			});
	}
};
