// The plan's section on the form: where the plan went, or its installments and balance,
// and on a phone the form's plan actions as buttons in reach.
frappe.provide("progress_billing");

progress_billing.render_plan = function (context, currency) {
	const { plan, program } = context;
	const esc = progress_billing.esc;
	const title = `<div class="pb-title">${esc(program.program_name)}</div>`;
	if (context.moved_to) {
		const { doctype, name } = context.moved_to;
		const link = `<a href="/app/${frappe.router.slug(doctype)}/${encodeURIComponent(name)}">${esc(name)}</a>`;
		return `${title}<p class="text-muted small pb-moved">${__("{0} moved on with the job to {1} {2}.", [
			esc(program.program_name),
			__(doctype),
			link,
		])}</p>`;
	}
	if (context.draw_of) {
		const { order, title: draw } = context.draw_of;
		const link = `<a href="/app/sales-order/${encodeURIComponent(order)}">${esc(order)}</a>`;
		return `${title}<p class="text-muted small pb-draw-of">${__("This invoice bills {0} of the {1} on {2}.", [
			esc(draw),
			esc(program.program_name),
			link,
		])}</p>`;
	}
	// An invoice billed as one job withholds its retainage with a plan or without one.
	const held =
		plan.retainage && flt(plan.retainage.rate) > 0
			? progress_billing.render_retainage(plan.retainage, currency, plan.billing, plan.doctype)
			: "";
	if (!plan.status && context.terms_template) {
		// The user chose payment terms: the default plan left them in place.
		return `${title}<p class="text-muted small">${__(
			"The Payment Terms Template {0} sets when this document is paid. Configure {1} to bill it in stages instead.",
			[`<b>${esc(context.terms_template)}</b>`, esc(program.program_name)]
		)}</p>${held}`;
	}
	if (!plan.status) {
		return `${title}<p class="text-muted small">${__("No {0} on this document.", [esc(program.program_name)])}</p>${held}`;
	}
	const total = plan.installments.length;
	const money = (value) => format_currency(value, currency);
	// Column names, also each cell's label when a phone stacks a row into a card.
	const head = {
		position: __("Position"),
		due_date: __("Due Date"),
		amount: __("Amount"),
		paid: __("Paid"),
		outstanding: __("Outstanding"),
		retained: __("Retained"),
		status: __("Status"),
	};
	// Retainage: a draw's work billed = retained + what its invoice asks now.
	const retainage = plan.retainage && flt(plan.retainage.rate) > 0 ? plan.retainage : null;
	const rows = plan.installments
		.map((row) => {
			const current = row.idx === plan.current;
			const invoice = row.draw_invoice
				? `<div class="small pb-draw-invoice">${__("Invoice {0}", [
						`<a href="/app/sales-invoice/${encodeURIComponent(row.draw_invoice)}">${esc(row.draw_invoice)}</a>`,
				  ])}</div>`
				: "";
			const state = row.draw_state || row.status;
			const badge = current ? ` <span class="indicator-pill blue">${__("Current")}</span>` : "";
			return `<tr class="${current ? "pb-current" : ""}">
				<td class="pb-stack-title">${esc(row.label)}${badge}${invoice}</td>
				<td data-label="${head.position}">${__("{0} of {1}", [row.idx, total])}</td>
				<td data-label="${head.due_date}">${row.due_date ? frappe.datetime.str_to_user(row.due_date) : ""}</td>
				<td data-label="${head.amount}" class="text-right">${money(row.amount)}</td>
				<td data-label="${head.paid}" class="text-right">${money(row.paid_amount)}</td>
				<td data-label="${head.outstanding}" class="text-right">${money(row.outstanding_amount)}</td>
				${retainage ? `<td data-label="${head.retained}" class="text-right">${money(row.retained)}</td>` : ""}
				<td data-label="${head.status}"><span class="indicator-pill ${progress_billing.status_colour(
				state
			)}">${__(state)}</span></td>
			</tr>`;
		})
		.join("");
	const template = plan.template ? ` · ${__("Template")}: ${esc(plan.template)}` : "";
	const billing = plan.billing ? ` · ${__("Billing")}: ${__(plan.billing)}` : "";
	const stopped = plan.billing_stopped
		? `<p class="small text-warning pb-billing-stopped">${__("The order is {0}: no more draws are invoiced.", [
				__(plan.billing_stopped),
		  ])}</p>`
		: "";
	return `<div class="pb-plan">
		${title}
		<div class="pb-plan-head small text-muted">
			${__("Status")}: <b>${__(plan.status)}</b> · ${__("Target")}: <b>${money(plan.target)}</b>${template}${billing}
		</div>
		${stopped}
		<table class="table table-bordered table-sm pb-plan-table pb-stack">
			<thead><tr>
				<th>${esc(program.interval_name)}</th><th>${head.position}</th>
				<th>${head.due_date}</th><th class="text-right">${head.amount}</th>
				<th class="text-right">${head.paid}</th><th class="text-right">${head.outstanding}</th>
				${retainage ? `<th class="text-right">${head.retained}</th>` : ""}
				<th>${head.status}</th>
			</tr></thead>
			<tbody>${rows}</tbody>
		</table>
		${plan.schedule_of_values ? progress_billing.render_schedule_of_values(plan.schedule_of_values, currency) : ""}
		${held}
		${progress_billing.render_balance(plan, program, currency)}
	</div>`;
};

// Why the invoice balance differs from what the installments ask for: refunded money is
// owed beside the plan (a refund never un-pays an installment), so both lines are shown.
progress_billing.render_balance = function (plan, program, currency) {
	if (!(flt(plan.refunded_balance) > 0)) return "";
	const money = (value) => format_currency(value, currency);
	return `<div class="pb-balance-wrap"><table class="table table-sm pb-balance">
		<tr><td>${__("Plan balance")}</td>
			<td class="text-right">${money(plan.installments_outstanding)}</td></tr>
		<tr class="pb-balance-refunded"><td>${__("Refunded, still owed")}</td>
			<td class="text-right">${money(plan.refunded_balance)}</td></tr>
		<tr class="pb-balance-total"><td><b>${__("Invoice balance")}</b></td>
			<td class="text-right"><b>${money(plan.invoice_outstanding)}</b></td></tr>
	</table></div>`;
};

// Colours come with the boot, from views/colours.py: the portal and reports use the same.
progress_billing.colour = (kind, state) => {
	const colours = frappe.boot.progress_billing_colours || {};
	return (colours[kind] || {})[state] || colours.default || "gray";
};
progress_billing.status_colour = (status) => progress_billing.colour("installment", status);

// The form's plan actions as buttons in the section: on a phone Frappe folds the form's
// own buttons into its "…" menu, so the main one must be here. Hidden on wider screens
// (progress_billing.css), where the toolbar shows them.
progress_billing.render_actions = function (actions) {
	if (!actions.length) return "";
	return `<div class="pb-actions">${actions
		.map(
			(action, i) =>
				`<button type="button" class="btn btn-sm ${i ? "btn-default" : "btn-primary"} pb-action"
					data-action="${action.key}">${action.label}</button>`
		)
		.join("")}</div>`;
};
