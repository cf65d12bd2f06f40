// The columns of the Configure dialog's grid of installments.
frappe.provide("progress_billing");

progress_billing.plan_grid_fields = function ({ locked, project, percentage_changed, amount_typed }) {
	return [
		{
			fieldname: "label",
			fieldtype: "Data",
			label: __("Label"),
			in_list_view: 1,
			reqd: 1,
			read_only: locked,
			// The grid shows a cell's formatted value as HTML: a label is text.
			formatter: (value) => progress_billing.esc(value),
		},
		{
			fieldname: "percentage",
			fieldtype: "Percent",
			label: __("Percentage"),
			in_list_view: 1,
			precision: 6,
			read_only: locked,
			formatter: (value) => `<div class="text-right">${progress_billing.format_percent(value)}%</div>`,
			onchange: percentage_changed,
		},
		{
			fieldname: "amount",
			fieldtype: "Currency",
			label: __("Amount"),
			in_list_view: 1,
			read_only: locked,
			// `this` is the grid's control; its doc is the row.
			onchange: function () {
				amount_typed(this.doc);
			},
		},
		{
			fieldname: "due_date",
			fieldtype: "Date",
			label: __("Due Date"),
			in_list_view: 1,
			read_only: locked,
			description: __("Leave empty to follow the default interval or the task."),
		},
		{
			fieldname: "trigger",
			fieldtype: "Select",
			label: __("Follows Task"),
			options: ["", "Before Task Starts", "After Task Completed"],
			in_list_view: project ? 1 : 0,
			read_only: locked || !project,
		},
		{
			fieldname: "task",
			fieldtype: "Link",
			label: __("Task"),
			options: "Task",
			in_list_view: project ? 1 : 0,
			read_only: locked || !project,
			get_query: () => ({ filters: { project } }),
		},
		{
			fieldname: "offset_days",
			fieldtype: "Int",
			label: __("Offset (Days)"),
			read_only: locked || !project,
		},
	];
};
