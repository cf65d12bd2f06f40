// A pay application: type each line's work to date as a percentage or an amount, and the
// materials stored; saving works out the rest (billing/pay_applications.py).
frappe.ui.form.on("Progress Billing Pay Application", {
	setup(frm) {
		frm.set_query("sales_order", () => ({
			filters: { docstatus: 1, pb_billing: "Pay Applications", pb_plan_status: "Active" },
		}));
	},
	refresh(frm) {
		if (frm.doc.sales_invoice) {
			frm.add_custom_button(__("Sales Invoice"), () =>
				frappe.set_route("Form", "Sales Invoice", frm.doc.sales_invoice)
			);
		}
		frm.fields_dict.lines.grid.cannot_add_rows = true;
	},
	sales_order(frm) {
		// The lines come from the order and the last application: save to fill them.
		if (frm.doc.sales_order && frm.doc.period_end) frm.save();
	},
});

frappe.ui.form.on("Progress Billing Pay Application Line", {
	percent_to_date(frm, cdt, cdn) {
		const line = locals[cdt][cdn];
		const work = flt((flt(line.scheduled_value) * flt(line.percent_to_date)) / 100, precision("work_to_date", line));
		if (work !== flt(line.work_to_date)) frappe.model.set_value(cdt, cdn, "work_to_date", work);
	},
	work_to_date(frm, cdt, cdn) {
		const line = locals[cdt][cdn];
		if (!flt(line.scheduled_value)) return;
		const percent = flt((flt(line.work_to_date) * 100) / flt(line.scheduled_value), 2);
		if (Math.abs(percent - flt(line.percent_to_date)) >= 0.01) frappe.model.set_value(cdt, cdn, "percent_to_date", percent);
	},
});
