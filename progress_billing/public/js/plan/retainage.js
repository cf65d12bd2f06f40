// Retainage on an order billed draw by draw: its figures under the plan, its terms, and
// releasing what is held (progress_billing.api.save_plan / release_retainage).
frappe.provide("progress_billing");

progress_billing.retainage_terms = function (retainage) {
	const percent = (value) => `${format_number(value, null, 2).replace(/[.,]00$/, "")}%`;
	if (retainage.step_at) {
		return __("{0} until {1} billed, then {2}", [
			percent(retainage.rate),
			percent(retainage.step_at),
			percent(retainage.rate_after),
		]);
	}
	return percent(retainage.rate);
};

progress_billing.render_retainage = function (retainage, currency, billing, doctype) {
	const money = (value) => format_currency(value, currency);
	const line = (label, value, css = "") =>
		`<tr class="${css}"><td>${label}</td><td class="text-right">${value}</td></tr>`;
	return `<div class="pb-balance-wrap"><table class="table table-sm pb-balance pb-retainage">
		${line(__("Retainage"), progress_billing.esc(progress_billing.retainage_terms(retainage)))}
		${line(
			billing === "Pay Applications"
				? __("Retained by applications")
				: doctype === "Sales Invoice"
				? __("Retained by this invoice")
				: __("Retained by draws"),
			money(retainage.retained)
		)}
		${line(__("Released"), money(retainage.released))}
		${line(`<b>${__("Held")}</b>`, `<b>${money(retainage.held)}</b>`, "pb-balance-total")}
		${flt(retainage.release_outstanding) > 0 ? line(__("Released, still to collect"), money(retainage.release_outstanding)) : ""}
		${
			retainage.release_on
				? line(__("Released by itself on"), frappe.datetime.str_to_user(retainage.release_on))
				: retainage.release_task
				? line(__("Released by itself when task {0} is completed", [progress_billing.esc(retainage.release_task)]), "")
				: ""
		}
	</table></div>`;
};

progress_billing.set_retainage = function (frm, retainage, invoiced) {
	// Its terms are fixed once a draw is invoiced; when it is released can still change.
	const terms = ["retainage", "retainage_step_at", "retainage_after"];
	const dialog = new frappe.ui.Dialog({
		title: __("Retainage"),
		fields: [
			{
				fieldname: "retainage",
				fieldtype: "Percent",
				label: __("Retainage %"),
				default: retainage.rate,
				description:
					frm.doctype === "Sales Invoice"
						? __("The share of this invoice's work withheld until the job is done. 0: none.")
						: __("The share of each draw's work withheld until the job is done. 0: none."),
			},
			{
				fieldname: "retainage_step_at",
				fieldtype: "Percent",
				label: __("Retainage Steps Down at % Billed"),
				default: retainage.step_at,
			},
			{
				fieldname: "retainage_after",
				fieldtype: "Percent",
				label: __("Retainage % after the Step-Down"),
				default: retainage.rate_after,
			},
			{ fieldtype: "Section Break", label: __("Released by itself") },
			{
				fieldname: "retainage_release_on",
				fieldtype: "Date",
				label: __("Release Retainage On"),
				default: retainage.release_on,
			},
			{
				fieldname: "retainage_release_task",
				fieldtype: "Link",
				options: "Task",
				label: __("Release Retainage When Task Is Completed"),
				default: retainage.release_task,
				get_query: () => ({ filters: { project: frm.doc.project || "" } }),
			},
		],
		primary_action_label: __("Save"),
		primary_action(values) {
			const args = {
				...progress_billing.document(frm),
				retainage_release_on: values.retainage_release_on || "",
				retainage_release_task: values.retainage_release_task || "",
			};
			if (!invoiced) terms.forEach((field) => (args[field] = values[field] || 0));
			frappe
				.call({ method: "progress_billing.api.save_plan", args, freeze: true })
				.then(() => {
					dialog.hide();
					frm.reload_doc();
				});
		},
	});
	if (invoiced) terms.forEach((field) => dialog.set_df_property(field, "read_only", 1));
	dialog.show();
};

progress_billing.release_retainage = function (frm, retainage) {
	const dialog = new frappe.ui.Dialog({
		title: __("Release Retainage"),
		fields: [
			{
				fieldname: "amount",
				fieldtype: "Currency",
				label: __("Amount"),
				options: "currency",
				default: retainage.held,
				reqd: 1,
				description: __("Held: {0}", [format_currency(retainage.held, frm.doc.currency)]),
			},
			{ fieldname: "posting_date", fieldtype: "Date", label: __("Posting Date"), default: "Today", reqd: 1 },
		],
		primary_action_label: __("Release"),
		primary_action(values) {
			frappe
				.call({
					method: "progress_billing.api.release_retainage",
					args: {
						[frm.doctype === "Sales Invoice" ? "sales_invoice" : "sales_order"]: frm.doc.name,
						...values,
					},
					freeze: true,
				})
				.then(({ message }) => {
					dialog.hide();
					frappe.show_alert({
						message: __("Invoice {0} made", [progress_billing.esc(message.name)]),
						indicator: "green",
					});
					frm.reload_doc();
				});
		},
	});
	dialog.set_df_property("amount", "options", frm.doc.currency);
	dialog.show();
};
