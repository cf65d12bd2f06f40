// An order billed by pay applications: its schedule of values under the plan, and the
// buttons that start billing that way and make the next application.
frappe.provide("progress_billing");

progress_billing.PAY_APPLICATIONS = "Pay Applications";

progress_billing.render_schedule_of_values = function (schedule, currency) {
	const esc = progress_billing.esc;
	const money = (value) => format_currency(value, currency);
	const head = {
		scheduled: __("Scheduled Value"),
		completed: __("Completed and Stored to Date"),
		percent: __("% Complete"),
		balance: __("Balance to Finish"),
		retainage: __("Retainage"),
	};
	const rows = schedule.lines
		.map(
			(line) => `<tr>
				<td class="pb-stack-title">${esc(line.description || line.item_code)}</td>
				<td data-label="${head.scheduled}" class="text-right">${money(line.scheduled_value)}</td>
				<td data-label="${head.completed}" class="text-right">${money(line.completed_and_stored)}</td>
				<td data-label="${head.percent}" class="text-right">${format_number(line.percent_complete, null, 2)}%</td>
				<td data-label="${head.balance}" class="text-right">${money(line.balance_to_finish)}</td>
				<td data-label="${head.retainage}" class="text-right">${money(line.retainage)}</td>
			</tr>`
		)
		.join("");
	const applications = schedule.applications
		.map(
			(application) =>
				`<a href="/app/progress-billing-pay-application/${encodeURIComponent(application.name)}">${esc(
					application.name
				)}</a>`
		)
		.join(", ");
	return `<div class="pb-title">${__("Schedule of Values")}</div>
		<table class="table table-bordered table-sm pb-plan-table pb-stack pb-sov">
			<thead><tr>
				<th>${__("Description of Work")}</th><th class="text-right">${head.scheduled}</th>
				<th class="text-right">${head.completed}</th><th class="text-right">${head.percent}</th>
				<th class="text-right">${head.balance}</th><th class="text-right">${head.retainage}</th>
			</tr></thead>
			<tbody>${rows}</tbody>
		</table>
		${applications ? `<p class="small text-muted">${__("Pay Applications")}: ${applications}</p>` : ""}`;
};

progress_billing.bind_pay_applications = function (frm, context) {
	if (frm.doctype !== "Sales Order" || frm.doc.docstatus === 2) return;
	const plan = context.plan || {};
	const by_applications = plan.billing === progress_billing.PAY_APPLICATIONS;
	if (!by_applications && context.can_configure && !flt(frm.doc.per_billed) && !context.locked) {
		frm.add_custom_button(
			__("Bill by Pay Applications"),
			() =>
				frappe
					.xcall("progress_billing.api.save_plan", {
						...progress_billing.document(frm),
						billing: progress_billing.PAY_APPLICATIONS,
					})
					.then(() => frm.reload_doc()),
			__("Actions")
		);
	}
	if (by_applications && frm.doc.docstatus === 1 && plan.status === "Active") {
		frm.add_custom_button(__("Pay Application"), () =>
			frappe.new_doc("Progress Billing Pay Application", { sales_order: frm.doc.name })
		);
	}
};
