// Sales Invoice: the plan's section and buttons (plan/form.js). Registered once, by the bundle.
frappe.ui.form.on("Sales Invoice", {
	refresh(frm) {
		progress_billing.invoice.refresh(frm);
	},
});
