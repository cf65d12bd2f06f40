// Where a plan stands, in report rows: the PB marker and the sub-label under the balance.
frappe.provide("progress_billing.plan_labels");

progress_billing.plan_labels.formatter = function (value, row, column, data, default_formatter) {
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
};

// Room for the plan's sub-label under the balance.
progress_billing.plan_labels.datatable_options = (options) => Object.assign(options, { cellHeight: 52 });

// Frappe leads a report's breadcrumb to its ref_doctype's workspace (Sales Invoice's:
// Accounting); ours lead to the program's own workspace.
progress_billing.plan_labels.workspace_breadcrumb = () => frappe.breadcrumbs.add("Progress Billing");
