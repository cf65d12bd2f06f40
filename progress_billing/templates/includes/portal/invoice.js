frappe.ready(() => {
	const form = document.querySelector(".pb-pay-form");
	if (!form) return;
	form.addEventListener("submit", (event) => {
		event.preventDefault();
		const button = form.querySelector("button[type=submit]");
		frappe.call({
			method: "progress_billing.portal.payments.start_payment",
			args: {
				sales_invoice: form.dataset.invoice,
				amount: form.querySelector("input").value,
			},
			btn: button,
			callback: (r) => {
				if (r.message && r.message.payment_url) {
					button.disabled = true;
					button.textContent = __("Opening the payment page…");
					window.location.href = r.message.payment_url;
				}
			},
		});
	});
});
