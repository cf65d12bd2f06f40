// The invoice's payments under its plan, and Refund on each payment with money left to
// give back.
frappe.provide("progress_billing");

progress_billing.render_payments = function (context, currency) {
	if (!context.payments || !context.payments.length) return "";
	const esc = progress_billing.esc;
	const money = (value) => format_currency(value, currency);
	const head = { date: __("Date"), mode: __("Mode"), amount: __("Amount") };
	const rows = context.payments
		.map((row) => {
			const refund =
				row.kind === "Payment" && context.can_refund && row.refundable > 0
					? `<button type="button" class="btn btn-xs btn-default pb-refund" data-payment="${esc(
							row.name
					  )}" data-refundable="${flt(row.refundable)}">${__("Refund")}</button>`
					: "";
			const route = row.kind === "Refund" ? "journal-entry" : "payment-entry";
			return `<tr class="${row.kind === "Refund" ? "pb-refund-row" : ""}">
				<td class="pb-stack-title"><a href="/app/${route}/${encodeURIComponent(row.name)}">${esc(row.name)}</a></td>
				<td data-label="${head.date}">${frappe.datetime.str_to_user(row.posting_date)}</td>
				<td data-label="${head.mode}">${row.kind === "Refund" ? __("Refund") : esc(row.mode_of_payment)}</td>
				<td data-label="${head.amount}" class="text-right">${money(row.amount)}</td>
				<td class="text-right pb-stack-actions">${refund}</td>
			</tr>`;
		})
		.join("");
	return `<div class="pb-payments">
		<div class="small text-muted pb-payments-title">${__("Payment History")}</div>
		<table class="table table-bordered table-sm pb-stack">
			<thead><tr><th>${__("Document")}</th><th>${head.date}</th><th>${head.mode}</th>
			<th class="text-right">${head.amount}</th><th></th></tr></thead>
			<tbody>${rows}</tbody>
		</table></div>`;
};

progress_billing.bind_refunds = function (frm, context) {
	frm.get_field("pb_plan_html")
		.$wrapper.off("click", ".pb-refund")
		.on("click", ".pb-refund", (event) => {
			const button = $(event.currentTarget);
			progress_billing.refund_dialog(frm, context, String(button.attr("data-payment")), flt(button.attr("data-refundable")));
		});
};

progress_billing.refund_dialog = function (frm, context, payment_entry, refundable) {
	const words = context.program;
	const esc = progress_billing.esc;
	const most = format_currency(refundable, frm.doc.currency);
	const dialog = new frappe.ui.Dialog({
		title: __("Refund {0}", [esc(payment_entry)]),
		fields: [
			{
				fieldname: "amount",
				fieldtype: "Currency",
				label: __("Amount"),
				options: "currency",
				default: refundable,
				reqd: 1,
				description: __("At most {0}", [most]),
			},
			{
				fieldname: "cancel_remaining_plan",
				fieldtype: "Check",
				label: __("Cancel remaining {0}", [esc(words.program_name)]),
				hidden: context.plan.status !== "Active",
			},
		],
		primary_action_label: __("Refund"),
		primary_action: (values) => {
			if (flt(values.amount) <= 0 || flt(values.amount) > refundable) {
				frappe.msgprint(__("Enter an amount above zero and at most {0}.", [most]));
				return;
			}
			progress_billing
				.money_call(dialog, "progress_billing.api.refund_payment", {
					payment_entry,
					amount: values.amount,
					cancel_remaining_plan: values.cancel_remaining_plan || 0,
				})
				.then((result) => {
					dialog.hide();
					frappe.show_alert({
						message: __("Refund {0} recorded", [esc(result.journal_entry)]),
						indicator: "green",
					});
					frm.reload_doc();
				});
		},
	});
	progress_billing.guard_dialog(dialog, () => flt(dialog.get_value("amount")) !== flt(refundable));
	dialog.show();
};
