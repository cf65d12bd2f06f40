// Pending Revenue: open invoices (drafts and balances still owed), with where each plan stands.

frappe.query_reports["Pending Revenue"] = {
	filters: [
		{
			fieldname: "company",
			label: __("Company"),
			fieldtype: "Link",
			options: "Company",
			default: frappe.defaults.get_user_default("Company"),
			reqd: 1,
		},
		{
			fieldname: "customer",
			label: __("Customer"),
			fieldtype: "Link",
			options: "Customer",
		},
		{
			fieldname: "progress_billing",
			label: __("Progress Billing"),
			fieldtype: "Select",
			options: pending_revenue_plan_options(__("Progress Billing")),
			default: "All",
		},
	],

	async onload(report) {
		progress_billing.plan_labels.workspace_breadcrumb();
		const program = await frappe.xcall("progress_billing.api.get_program");
		const filter = report.get_filter("progress_billing");
		filter.df.label = program.program_name;
		filter.df.options = pending_revenue_plan_options(program.program_name);
		filter.refresh();
		filter.set_input(filter.get_value() || "All");
		$(filter.wrapper).attr("data-original-title", program.program_name);
	},

	// The PB marker and the sub-label under the balance, shared with the other report.
	formatter: (...args) => progress_billing.plan_labels.formatter(...args),
	get_datatable_options: (options) => progress_billing.plan_labels.datatable_options(options),
};

function pending_revenue_plan_options(program_name) {
	return [
		{ value: "All", label: __("{0}: All", [program_name]) },
		{ value: "On a plan", label: __("{0}: On a plan", [program_name]) },
		{ value: "Not on a plan", label: __("{0}: Not on a plan", [program_name]) },
	];
}
