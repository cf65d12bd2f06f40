// What every part of the plan's desk UI shares: the plan's document, its context, text
// made safe for HTML, and numbers as a person reads them.
frappe.provide("progress_billing");

// The plan's document, as every method of the API takes it.
progress_billing.document = (frm) => ({ doctype: frm.doctype, name: frm.doc.name });

progress_billing.PLAN_FIELDS = ["pb_section", "pb_plan_html"];

// Anything a person typed (labels, the program's words, template names, remarks) is text.
progress_billing.esc = (text) => frappe.utils.escape_html(text == null ? "" : String(text));

progress_billing.is_phone = () => window.matchMedia("(max-width: 767px)").matches;

// A percentage to two places, trailing zeros dropped: 33.33, 160.26, 50 (not 160.256410).
progress_billing.format_percent = (value) => {
	const text = format_number(flt(value, 2), null, 2);
	const { decimal_str } = get_number_format_info(get_number_format());
	const at = decimal_str ? text.lastIndexOf(decimal_str) : -1;
	if (at < 0) return text;
	const decimals = text.slice(at + decimal_str.length).replace(/0+$/, "");
	return decimals ? text.slice(0, at + decimal_str.length) + decimals : text.slice(0, at);
};

// The form's plan context: sent with the document (`__onload`, filled by
// overrides/form_load.py on load and save), asked for only when it is missing or
// belongs to another version of the document (after a cancel, say).
progress_billing.get_context = async (frm) => {
	const sent = frm.doc.__onload && frm.doc.__onload.progress_billing;
	if (sent && sent.modified === frm.doc.modified) return sent;
	return frappe.xcall("progress_billing.api.get_invoice_context", progress_billing.document(frm));
};

// After an await the form may show another document: render and add buttons only when
// it still shows the one the work began for.
progress_billing.still_showing = (frm, doctype, name) =>
	frm.doctype === doctype && frm.doc && frm.doc.doctype === doctype && frm.doc.name === name;

// A call that moves money, from a dialog: the page is frozen and the dialog's button off
// until the server answers, so a double click or a second press cannot send it twice.
progress_billing.money_call = (dialog, method, args) => {
	const button = dialog.get_primary_btn();
	button.prop("disabled", true);
	frappe.dom.freeze();
	return frappe.xcall(method, args).finally(() => {
		frappe.dom.unfreeze();
		button.prop("disabled", false);
	});
};

// How an installment is named to a person, as HTML: "Rough-in, 2 of 3" (the Python twin
// is plan_labels.installment_title).
progress_billing.installment_title = (label, position, count) =>
	__("{0}, {1} of {2}", [progress_billing.esc(label), position, count]);
