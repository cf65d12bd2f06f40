// The job timeline on the Project form: tasks and installments in one list by date.
frappe.ui.form.on("Project", {
	refresh(frm) {
		frm.toggle_display(["pb_timeline_section", "pb_timeline_html"], false);
		if (frm.is_new()) return;
		frappe.xcall("progress_billing.api.get_program").then((program) => {
			if (!program.enabled) return;
			frappe
				.xcall("progress_billing.api.get_project_timeline", { project: frm.doc.name })
				.then((timeline) => {
					if (!timeline.entries.length) return;
					frm.toggle_display(["pb_timeline_section", "pb_timeline_html"], true);
					frm.get_field("pb_timeline_html").$wrapper.html(progress_billing_timeline.render(timeline));
				});
		});
	},
});

const progress_billing_timeline = {
	colour: {
		Done: "green",
		Paid: "green",
		"In Progress": "blue",
		"Due Now": "orange",
		"Past Due": "red",
		Next: "blue",
		Waiting: "gray",
		Upcoming: "gray",
	},

	render(timeline) {
		const rows = timeline.entries
			.map((entry) => {
				const when = entry.date
					? frappe.datetime.str_to_user(entry.date)
					: frappe.utils.escape_html(entry.waiting_for || "");
				const what =
					entry.kind === "task"
						? `<span class="text-muted">${__("Task")}</span> ${frappe.utils.escape_html(entry.title)}`
						: `<span class="text-muted">${frappe.utils.escape_html(timeline.words.interval_name)}</span>
						   ${frappe.utils.escape_html(entry.title)}
						   <a href="/app/sales-invoice/${encodeURIComponent(entry.sales_invoice)}" class="text-muted small">
						   ${frappe.utils.escape_html(entry.sales_invoice)}</a>
						   <div class="small text-muted">${frappe.utils.escape_html(entry.detail)}</div>`;
				return `<tr class="pb-timeline-${entry.kind}">
					<td style="width: 160px">${when}</td>
					<td>${what}</td>
					<td style="width: 140px"><span class="indicator-pill ${this.colour[entry.state] || "gray"}">${__(entry.state)}</span></td>
				</tr>`;
			})
			.join("");
		const title = __("{0}: Job Timeline", [frappe.utils.escape_html(timeline.words.program_name)]);
		return `<div class="pb-title">${title}</div>
			<table class="table table-sm pb-timeline"><tbody>${rows}</tbody></table>`;
	},
};
