// Outstanding Draws: uncollected installments of active plans, most overdue first.

frappe.query_reports["Outstanding Draws"] = {
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
			fieldname: "department",
			label: __("Department"),
			fieldtype: "Link",
			options: "Department",
			get_query: () => ({
				filters: { company: frappe.query_report.get_filter_value("company") },
			}),
		},
		{
			fieldname: "status",
			label: __("Status"),
			fieldtype: "Select",
			options: [
				{ value: "", label: "" },
				{ value: "Past Due", label: __("Past Due") },
				{ value: "Due Today", label: __("Due Today") },
				{ value: "Upcoming", label: __("Upcoming") },
			],
		},
		{
			fieldname: "from_date",
			label: __("Due From"),
			fieldtype: "Date",
		},
		{
			// Opens on what is actionable: past due and due within four weeks
			// (OPENING_WINDOW_DAYS in outstanding_draws.py). Clear it for every row.
			fieldname: "to_date",
			label: __("Due To"),
			fieldtype: "Date",
			default: frappe.datetime.add_days(frappe.datetime.get_today(), 28),
		},
		{
			// MOST_OVERDUE in outstanding_draws.py; the export follows what is shown.
			fieldname: "show",
			label: __("Show"),
			fieldtype: "Select",
			options: [
				// The filter shows its value alone: the option says what it is.
				{ value: "500", label: __("Show: 500 most overdue") },
				{ value: "All", label: __("Show: All") },
			],
			default: "500",
		},
	],

	async onload(report) {
		progress_billing.plan_labels.workspace_breadcrumb();
		const program = await frappe.xcall("progress_billing.api.get_program");
		report.page.set_title(
			__("{0}: Outstanding", [frappe.utils.escape_html(program.program_name)])
		);
	},

	formatter(value, row, column, data, default_formatter) {
		// The totals row (no data of its own): days overdue do not add up to anything.
		if (column.fieldname === "days_overdue" && !data) return "";
		value = default_formatter(value, row, column, data);
		const colour = { "Past Due": "red", "Due Today": "orange" }[data && data.due_group];
		if (column.fieldname === "due_status" && colour) {
			value = `<span class="indicator-pill ${colour}">${value}</span>`;
		}
		return value;
	},
};
