// Retainage Held: per customer and order, retained, released and still held, oldest first.

frappe.query_reports["Retainage Held"] = {
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
			fieldname: "show_released",
			label: __("Show Released Jobs"),
			fieldtype: "Check",
		},
	],
	onload: () => progress_billing.plan_labels.workspace_breadcrumb(),
};
