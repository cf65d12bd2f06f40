// The job timeline on the Project form: tasks and installments in one list by date.
frappe.provide("progress_billing.project_timeline");

Object.assign(progress_billing.project_timeline, {
	async refresh(frm) {
		frm.toggle_display(["pb_timeline_section", "pb_timeline_html"], false);
		if (frm.is_new()) return;
		const project = frm.doc.name;
		const program = await frappe.xcall("progress_billing.api.get_program");
		if (!program.enabled || !progress_billing.still_showing(frm, "Project", project)) return;
		const timeline = await frappe.xcall("progress_billing.api.get_project_timeline", { project });
		if (!timeline.entries.length || !progress_billing.still_showing(frm, "Project", project)) return;
		frm.toggle_display(["pb_timeline_section", "pb_timeline_html"], true);
		frm.get_field("pb_timeline_html").$wrapper.html(this.render(timeline));
	},

	render(timeline) {
		const esc = progress_billing.esc;
		const rows = timeline.entries
			.map((entry) => {
				const when = entry.date ? frappe.datetime.str_to_user(entry.date) : esc(entry.waiting_for);
				const what =
					entry.kind === "task"
						? `<span class="text-muted">${__("Task")}</span> ${esc(entry.title)}`
						: `<span class="text-muted">${esc(timeline.words.interval_name)}</span>
						   ${esc(entry.title)}
						   <a href="/app/sales-invoice/${encodeURIComponent(entry.sales_invoice)}" class="text-muted small">
						   ${esc(entry.sales_invoice)}</a>
						   <div class="small text-muted">${esc(entry.detail)}</div>`;
				return `<tr class="pb-timeline-${entry.kind}">
					<td class="pb-timeline-when">${when}</td>
					<td>${what}</td>
					<td class="pb-timeline-state"><span class="indicator-pill ${progress_billing.colour("timeline", entry.state)}">${__(
					entry.state
				)}</span></td>
				</tr>`;
			})
			.join("");
		const title = __("{0}: Job Timeline", [esc(timeline.words.program_name)]);
		return `<div class="pb-title">${title}</div>
			<table class="table table-sm pb-timeline"><tbody>${rows}</tbody></table>`;
	},
});
