// Reschedule: on a plan money has reached, the installments with nothing paid get new
// labels and due dates; amounts, and anything with money on it, stay as they are.
frappe.provide("progress_billing");

// An installment Reschedule can move: nothing paid on it, not cancelled, not billed by
// its own draw invoice, and not dated by a task (moving the task moves it).
progress_billing.can_move = (row) =>
	!(flt(row.paid_amount) > 0) && row.status !== "Cancelled" && !row.draw_invoice && !row.trigger;

// Offered only where something can move: a dialog with nothing to edit helps nobody.
progress_billing.can_reschedule = (context) =>
	context.plan.status === "Active" && context.plan.installments.some(progress_billing.can_move);

progress_billing.RescheduleDialog = class RescheduleDialog {
	constructor(frm, context) {
		this.frm = frm;
		this.context = context;
		this.rows = context.plan.installments;
		this.open_rows = this.rows.filter((row) => !(flt(row.paid_amount) > 0));
		this.make();
	}

	show() {
		this.dialog.show();
	}

	make() {
		const words = this.context.program;
		const total = this.rows.length;
		const money = (value) => format_currency(value, this.frm.doc.currency);
		const esc = progress_billing.esc;
		const paid = this.rows.filter((row) => flt(row.paid_amount) > 0);
		const fields = [
			{
				fieldtype: "HTML",
				options: `<p class="text-muted small">${__(
					"Amounts stay as they are, and so does anything with money on it: restructuring a paid plan means a refund and a new plan."
				)}</p>${paid
					.map(
						(row) =>
							`<div class="small pb-reschedule-paid">${esc(row.label)}, ${__("{0} of {1}", [
								row.idx,
								total,
							])} · ${money(row.amount)} · ${__(row.status)}</div>`
					)
					.join("")}`,
			},
		];
		this.open_rows.forEach((row) => {
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
			title: __("Reschedule {0}", [esc(words.program_name)]),
			fields,
			primary_action_label: __("Save"),
			primary_action: (values) => this.save(values),
		});
		progress_billing.guard_dialog(this.dialog, () => this.changes(this.dialog.get_values(true) || {}).length > 0);
	}

	changes(values) {
		return this.open_rows
			.map((row) => {
				const change = { idx: row.idx };
				const label = values[`label_${row.idx}`];
				const due_date = values[`due_date_${row.idx}`];
				if (label !== undefined && label !== row.label) change.label = label;
				if (!row.trigger && due_date && due_date !== row.due_date) change.due_date = due_date;
				return change;
			})
			.filter((change) => Object.keys(change).length > 1);
	}

	save(values) {
		const installments = this.changes(values);
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
