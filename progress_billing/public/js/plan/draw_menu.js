// An order's plan: billed as one invoice or draw by draw, and each draw invoiced by hand.
frappe.provide("progress_billing");

// Retainage on an order billed draw by draw or by pay applications: its terms until the
// first invoice, and releasing what is held.
progress_billing.bind_retainage = function (frm, context) {
	const invoiced = context.plan.installments.some((row) => row.draw_invoice);
	progress_billing.add_retainage_actions(frm, context, context.can_configure && frm.doc.docstatus < 2, invoiced);
};

// An invoice billed as one job: what it withholds, set while it is a draft, and releasing
// what it holds once it is submitted. Draws, releases and returns carry their job's.
progress_billing.bind_own_retainage = function (frm, context) {
	const doc = frm.doc;
	// With a plan, or withholding without one (its plan given up for a template, say).
	if (frm.doctype !== "Sales Invoice" || !(context.plan.status === "Active" || flt(doc.pb_retainage))) return;
	if (doc.is_return || doc.pb_draw_order || doc.pb_retainage_order || doc.pb_pay_application || doc.pb_retainage_release) return;
	progress_billing.add_retainage_actions(frm, context, context.can_configure && doc.docstatus === 0, false);
};

// Actions > Retainage (its terms, fixed once `invoiced`) and Release Retainage (once held).
progress_billing.add_retainage_actions = function (frm, context, can_set, invoiced) {
	const retainage = context.plan.retainage || {};
	if (can_set) {
		frm.add_custom_button(
			__("Retainage"),
			() => progress_billing.set_retainage(frm, retainage, invoiced),
			__("Actions")
		);
	}
	if (frm.doc.docstatus === 1 && context.can_invoice && flt(retainage.held) > 0) {
		frm.add_custom_button(
			__("Release Retainage"),
			() => progress_billing.release_retainage(frm, retainage),
			__("Actions")
		);
	}
};

progress_billing.bind_draws = function (frm, context) {
	const plan = context.plan;
	if (frm.doctype !== "Sales Order" || plan.status !== "Active" || frm.doc.docstatus === 2) return;
	if (plan.billing === progress_billing.PAY_APPLICATIONS) return progress_billing.bind_retainage(frm, context);
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
	if (each) progress_billing.bind_retainage(frm, context);
	if (!each || frm.doc.docstatus !== 1 || !context.can_invoice) return;
	const total = plan.installments.length;
	plan.installments
		.filter((row) => row.draw_state === "Scheduled")
		.forEach((row) =>
			frm.add_custom_button(
				progress_billing.installment_title(row.label, row.idx, total),
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
								message: __("Invoice {0} made", [progress_billing.esc(message.sales_invoice)]),
								indicator: "green",
							});
							frm.reload_doc();
						}),
				__("Invoice Draw Now")
			)
		);
};
