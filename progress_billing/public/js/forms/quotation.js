// Quotation: the plan's section and buttons (plan/form.js). Registered once, by the bundle.
frappe.ui.form.on("Quotation", {
	refresh(frm) {
		progress_billing.invoice.refresh(frm);
	},
});
