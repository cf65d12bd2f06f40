// Sales Order: the plan's section and buttons (plan/form.js), and its draws
// (plan/draw_menu.js). Registered once, by the bundle.
frappe.ui.form.on("Sales Order", {
	refresh(frm) {
		progress_billing.invoice.refresh(frm);
	},
});
