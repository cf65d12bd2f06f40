// Revenue: submitted invoices posted in a period, with where each plan stands.
// No plan filter by design: every invoice's revenue counts.

frappe.query_reports["Revenue"] = {
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
			fieldname: "from_date",
			label: __("From Date"),
			fieldtype: "Date",
			default: frappe.datetime.month_start(),
			reqd: 1,
		},
		{
			fieldname: "to_date",
			label: __("To Date"),
			fieldtype: "Date",
			default: frappe.datetime.get_today(),
			reqd: 1,
		},
		{
			fieldname: "customer",
			label: __("Customer"),
			fieldtype: "Link",
			options: "Customer",
		},
	],

	onload: () => progress_billing.plan_labels.workspace_breadcrumb(),

	// The PB marker and the sub-label under the balance, shared with the other report.
	formatter: (...args) => progress_billing.plan_labels.formatter(...args),
	get_datatable_options: (options) => progress_billing.plan_labels.datatable_options(options),
};
