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
		const program = await frappe.xcall("progress_billing.api.get_program");
		const filter = report.get_filter("progress_billing");
		filter.df.label = program.program_name;
		filter.df.options = pending_revenue_plan_options(program.program_name);
		filter.refresh();
		filter.set_input(filter.get_value() || "All");
		$(filter.wrapper).attr("data-original-title", program.program_name);
	},

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

function pending_revenue_plan_options(program_name) {
	return [
		{ value: "All", label: __("{0}: All", [program_name]) },
		{ value: "On a plan", label: __("{0}: On a plan", [program_name]) },
		{ value: "Not on a plan", label: __("{0}: Not on a plan", [program_name]) },
	];
}
