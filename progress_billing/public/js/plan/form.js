// The plan on a Sales Invoice, Sales Order or Quotation form: its section and the
// buttons that open its dialogs. The form scripts in ../forms/ call refresh().
frappe.provide("progress_billing");

progress_billing.invoice = {
	refresh(frm) {
		frm.toggle_display(progress_billing.PLAN_FIELDS, false);
		if (frm.is_new()) return;
		const sent = frm.doc.__onload && frm.doc.__onload.progress_billing;
		if (sent && sent.modified === frm.doc.modified) {
			// The usual case: the context came with the document, no request of ours.
			this.show(frm, sent);
			return;
		}
		const { doctype } = frm;
		const { name } = frm.doc;
		return progress_billing.get_context(frm).then((context) => {
			if (progress_billing.still_showing(frm, doctype, name)) this.show(frm, context);
		});
	},

	show(frm, context) {
		frm.pb_context = context;
		if (!context.program || !context.program.enabled) return;
		frm.toggle_display(progress_billing.PLAN_FIELDS, true);
		const actions = this.actions(frm, context);
		const $section = frm.get_field("pb_plan_html").$wrapper;
		$section.html(
			progress_billing.render_plan(context, frm.doc.currency) +
				progress_billing.render_payments(context, frm.doc.currency) +
				progress_billing.render_actions(actions)
		);
		$section.off("click", ".pb-action").on("click", ".pb-action", (event) => {
			const action = actions.find((one) => one.key === $(event.currentTarget).attr("data-action"));
			if (action) action.run();
		});
		actions.forEach((action) => frm.add_custom_button(action.label, action.run));
		this.add_cancel(frm, context);
		progress_billing.bind_draws(frm, context);
		progress_billing.bind_own_retainage(frm, context);
		progress_billing.bind_pay_applications(frm, context);
		progress_billing.bind_refunds(frm, context);
	},

	// The plan's actions in this state, the main one first: taking money on a submitted
	// document, otherwise configuring the plan (or, once money has landed, rescheduling it).
	actions(frm, context) {
		const { plan } = context;
		const program_name = progress_billing.esc(context.program.program_name);
		const active = plan.status === "Active";
		const actions = [];
		if (frm.doc.docstatus === 1 && active && context.can_take_payment && context.outstanding_amount > 0) {
			actions.push({
				key: "accept-payment",
				label: __("Accept Payment"),
				run: () => new progress_billing.AcceptPaymentDialog(frm, context).show(),
			});
		}
		if (context.can_configure && context.locked && active) {
			// Money has landed: amounts are fixed, but what is not paid yet can move.
			if (progress_billing.can_reschedule(context)) {
				actions.push({
					key: "reschedule",
					label: __("Reschedule {0}", [program_name]),
					run: () => new progress_billing.RescheduleDialog(frm, context).show(),
				});
			}
		} else if (context.can_configure) {
			actions.push({
				key: "configure",
				label: __("Configure {0}", [program_name]),
				run: () => new progress_billing.PlanDialog(frm, context).show(),
			});
		}
		return actions;
	},

	add_cancel(frm, context) {
		const words = context.program;
		if (frm.doc.docstatus !== 1 || context.plan.status !== "Active" || !context.can_configure) return;
		frm.add_custom_button(
			__("Cancel {0}", [progress_billing.esc(words.program_name)]),
			() =>
				frappe.confirm(
					__("Cancel the remaining {0}? Paid ones stay in its history.", [
						progress_billing.esc(words.interval_name),
					]),
					() =>
						frappe
							.xcall("progress_billing.api.cancel_plan", progress_billing.document(frm))
							.then(() => frm.reload_doc())
				),
			__("Actions")
		);
	},
};
