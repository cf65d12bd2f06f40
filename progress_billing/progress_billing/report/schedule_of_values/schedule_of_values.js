// Schedule of Values: each line of the orders billed by pay applications.

frappe.query_reports["Schedule of Values"] = {
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
			fieldname: "sales_order",
			label: __("Sales Order"),
			fieldtype: "Link",
			options: "Sales Order",
			get_query: () => ({ filters: { pb_billing: "Pay Applications" } }),
		},
		{ fieldname: "customer", label: __("Customer"), fieldtype: "Link", options: "Customer" },
	],
	onload: () => progress_billing.plan_labels.workspace_breadcrumb(),
	// The report's own total row (a % of the whole order) in bold.
	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(value, row, column, data);
		return data && data.bold ? `<b>${value}</b>` : value;
	},
};
