// Project: the job timeline of tasks and installments (plan/project_timeline.js).
// Registered once, by the bundle.
frappe.ui.form.on("Project", {
	refresh(frm) {
		progress_billing.project_timeline.refresh(frm);
	},
});
