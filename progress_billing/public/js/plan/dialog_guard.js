// How the plan's dialogs close and where their date pickers open.
//
// Frappe closes a dialog on Esc, on its ✕ and on a click beside it, and drops whatever was
// typed; a date picker in a dialog opens below its field, over the Save button when the
// field is low in the dialog. Here Esc first closes an open date picker, a dialog with
// changes asks before it closes, and a picker opens where it leaves the buttons free.
frappe.provide("progress_billing");

progress_billing.guard_dialog = function (dialog, has_changes) {
	dialog.$wrapper.addClass("pb-dialog");
	// Bootstrap and Frappe close nothing by themselves: every way out comes through here.
	dialog.static = true;
	dialog.$wrapper.modal({ backdrop: "static", keyboard: false, show: false });

	const request_close = () => {
		if (!has_changes()) {
			dialog.hide();
			return;
		}
		frappe.confirm(__("Close without saving? What you changed here will be lost."), () => dialog.hide());
	};
	dialog.request_close = request_close;

	dialog
		.get_close_btn()
		.show()
		.removeAttr("data-dismiss")
		.off("click")
		.on("click", (event) => {
			event.preventDefault();
			request_close();
		});
	// A click beside the dialog (Bootstrap says so for a static backdrop).
	dialog.$wrapper.on("hidePrevented.bs.modal", () => request_close());

	const on_escape = (event) => {
		if (event.key !== "Escape" || !dialog.display) return;
		if (dialog.$wrapper.find(".grid-row-open").length) return; // Frappe closes the row's form
		event.preventDefault();
		event.stopImmediatePropagation();
		const picker = progress_billing.open_picker();
		if (picker) picker.hide();
		else request_close();
	};
	// Inside the dialog first, before Bootstrap and Frappe; and wherever the focus went
	// (Esc in a date picker leaves it on the page), while this is the dialog on top.
	dialog.$wrapper.on("keydown", on_escape);
	const namespace = `keydown.pb_dialog_${frappe.utils.get_random(8)}`;
	dialog.$wrapper.on("shown.bs.modal", () =>
		$(document).on(namespace, (event) => window.cur_dialog === dialog && on_escape(event))
	);
	dialog.$wrapper.on("hidden.bs.modal", () => $(document).off(namespace));

	dialog.$wrapper.on("focusin", 'input[data-fieldtype="Date"]', (event) =>
		setTimeout(() => progress_billing.place_picker(dialog, event.target), 0)
	);
};

// The date picker of the focused field, when it is open.
progress_billing.open_picker = function () {
	const picker = $(document.activeElement).data("datepicker");
	return picker && picker.visible ? picker : null;
};

// Where the date picker opens: below the field, above it, or beside it, whichever first
// fits on the screen without covering the dialog's buttons (Frappe always opens it below,
// over Save when the field is low in the dialog). Where nothing fits (a short dialog on a
// phone) the dialog scrolls the field up once; Frappe closes a date picker when its
// dialog scrolls, so the field is focused again after.
progress_billing.PICKER_PLACES = ["bottom left", "top left", "right top", "left top", "right bottom", "left bottom"];

progress_billing.place_picker = function (dialog, input) {
	const picker = $(input).data("datepicker");
	if (!picker || !picker.visible || document.activeElement !== input) return;
	const [width, height, gap] = [picker.$datepicker.outerWidth(), picker.$datepicker.outerHeight(), 12];
	const field = input.getBoundingClientRect();
	const buttons = dialog.$wrapper
		.find(".modal-footer .btn:visible, .modal-header .btn:visible")
		.toArray()
		.map((button) => button.getBoundingClientRect());
	const corner = {
		"bottom left": [field.left, field.bottom + gap],
		"top left": [field.left, field.top - gap - height],
		"right top": [field.right + gap, field.top],
		"left top": [field.left - gap - width, field.top],
		"right bottom": [field.right + gap, field.bottom - height],
		"left bottom": [field.left - gap - width, field.bottom - height],
	};
	const on_screen = ([x, y]) => x >= 0 && y >= 0 && x + width <= window.innerWidth && y + height <= window.innerHeight;
	const clear = ([x, y]) =>
		!buttons.some((b) => x < b.right && x + width > b.left && y < b.bottom && y + height > b.top);
	const place =
		progress_billing.PICKER_PLACES.find((name) => on_screen(corner[name]) && clear(corner[name])) ||
		(Date.now() - (input.pb_scrolled || 0) < 2000 &&
			progress_billing.PICKER_PLACES.find((name) => clear(corner[name])));
	if (place) {
		picker.update("position", place);
		return;
	}
	input.pb_scrolled = Date.now();
	dialog.$wrapper.scrollTop(dialog.$wrapper.scrollTop() + field.top - 72);
	setTimeout(() => {
		if (document.activeElement === input) progress_billing.place_picker(dialog, input);
		else input.focus();
	}, 120);
};
