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

	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(value, row, column, data);
		if (!data || !data.plan_marker) {
			return value;
		}
		const note = frappe.utils.escape_html(data.plan_note);
		if (column.fieldname === "plan_marker") {
			return `<span class="indicator-pill ${data.plan_indicator}" title="${note}">${value}</span>`;
		}
		if (column.fieldname === "outstanding_amount") {
			const tone = data.plan_indicator === "red" ? "text-danger" : "text-muted";
			return `${value}<div class="small ellipsis ${tone}" style="line-height: 1.3">${note}</div>`;
		}
		return value;
	},

	// Room for the plan's sub-label under the balance.
	get_datatable_options(options) {
		return Object.assign(options, { cellHeight: 52 });
	},
};
