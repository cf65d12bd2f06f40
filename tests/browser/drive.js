// Drives headless Chromium for the browser tests: a JSON job on stdin, a JSON answer on
// stdout. Needs playwright-core where node finds it (NODE_PATH) and Debian's chromium.
//
// job: { base, password, viewport: [width, height], scenario, args, shots }
// answer: { result, console_errors, dialogs } or { error }
const { chromium } = require("playwright-core");

const SETTLE_MS = 700;

async function read_job() {
	let text = "";
	for await (const chunk of process.stdin) text += chunk;
	return JSON.parse(text);
}

// Counts the requests to our whitelisted methods, and waits for the page to go quiet.
function watch_requests(page) {
	const state = { ours: [], pending: 0, last: Date.now() };
	page.on("request", (request) => {
		state.pending++;
		state.last = Date.now();
		const url = request.url();
		const body = request.postData() || "";
		if (url.includes("/api/method/progress_billing.") || body.includes("cmd=progress_billing.")) {
			state.ours.push(url.replace(/^.*\/api\/method\//, ""));
		}
	});
	const done = () => {
		state.pending = Math.max(0, state.pending - 1);
		state.last = Date.now();
	};
	page.on("requestfinished", done);
	page.on("requestfailed", done);
	state.settle = async (timeout = 20000) => {
		const until = Date.now() + timeout;
		while (Date.now() < until) {
			if (state.pending === 0 && Date.now() - state.last > SETTLE_MS) return;
			await page.waitForTimeout(100);
		}
	};
	state.count = async (action) => {
		await state.settle();
		const before = state.ours.length;
		await action();
		await state.settle();
		return state.ours.slice(before);
	};
	return state;
}

async function login(context, base, usr, pwd) {
	const response = await context.request.post(`${base}/api/method/login`, { form: { usr, pwd } });
	if (!response.ok()) throw new Error(`login as ${usr} failed: ${response.status()}`);
}

// The desk form of the document, rendered, with its refresh done.
async function open_form(page, doctype, name, { spa = false } = {}) {
	if (spa) {
		await page.evaluate(([dt, dn]) => frappe.set_route("Form", dt, dn), [doctype, name]);
	} else {
		await page.goto(`${page.pb_base}/app/${doctype.toLowerCase().replace(/ /g, "-")}/${encodeURIComponent(name)}`);
	}
	await page.waitForFunction(
		([dt, dn]) =>
			window.cur_frm && cur_frm.doctype === dt && cur_frm.doc && cur_frm.doc.name === dn && cur_frm.pb_context,
		[doctype, name],
		{ timeout: 60000 }
	);
}

// Whether the page (and its frames) ran the test's markup: the global it sets, and the
// <img src="x"> elements that exist only where the markup was parsed as HTML.
async function markup_ran(page) {
	const found = { xss: null, images: 0 };
	for (const frame of page.frames()) {
		const seen = await frame
			.evaluate(() => ({
				xss: window.__pb_xss === undefined ? null : window.__pb_xss,
				images: document.querySelectorAll('img[src="x"]').length,
			}))
			.catch(() => ({ xss: null, images: 0 }));
		found.xss = found.xss || seen.xss;
		found.images += seen.images;
	}
	return found;
}

async function open_dialog(page, label_start) {
	const button = page.locator(".page-actions button:visible, .pb-action:visible").filter({
		hasText: new RegExp(`^\\s*${label_start}`),
	});
	await button.first().click();
	await page.waitForSelector(".modal.show .modal-title", { state: "visible" });
	await page.waitForTimeout(600);
}

const scenarios = {
	// Requests of ours while the invoice form refreshes, alone and after an order's and a
	// quotation's forms have been open in the same desk.
	async refresh_requests(page, { invoice, order, quotation }) {
		const requests = page.pb_requests;
		const result = {};
		result.first_load = await requests.count(() => open_form(page, "Sales Invoice", invoice));
		result.refresh_alone = await requests.count(() => page.evaluate(() => cur_frm.refresh()));
		await open_form(page, "Sales Order", order, { spa: true });
		await open_form(page, "Quotation", quotation, { spa: true });
		result.back_to_invoice = await requests.count(() => open_form(page, "Sales Invoice", invoice, { spa: true }));
		result.refresh_after_others = await requests.count(() => page.evaluate(() => cur_frm.refresh()));
		// How often one refresh runs our form code (Frappe wraps each handler, so count calls).
		result.runs_per_refresh = await page.evaluate(async () => {
			const form = progress_billing.invoice;
			const refresh = form.refresh;
			let runs = 0;
			form.refresh = function (...args) {
				runs++;
				return refresh.apply(this, args);
			};
			try {
				cur_frm.refresh();
				await new Promise((resolve) => setTimeout(resolve, 2000));
			} finally {
				form.refresh = refresh;
			}
			return runs;
		});
		return result;
	},

	// Each page that shows the test's plan, checked for markup that ran.
	async markup(page, { invoice, portal }) {
		const pages = [];
		const check = async (what) => pages.push({ what, ...(await markup_ran(page)) });

		await open_form(page, "Sales Invoice", invoice);
		await page.waitForTimeout(500);
		await check("invoice form");
		await open_dialog(page, "Configure");
		await check("configure dialog");
		pages[pages.length - 1].grid_labels = await page.$$eval(
			'.modal.show [data-fieldname="label"] .static-area',
			(cells) => cells.map((cell) => cell.textContent.trim())
		);
		await page.goto(
			`${page.pb_base}/printview?doctype=Sales%20Invoice&name=${encodeURIComponent(invoice)}&format=Standard`
		);
		await page.waitForTimeout(1500);
		await check("print view");
		await page.goto(`${page.pb_base}/app/query-report/Outstanding Draws`);
		await page.waitForSelector(".dt-scrollable .dt-row", { timeout: 60000 }).catch(() => null);
		await page.waitForTimeout(1500);
		await check("outstanding draws");
		pages[pages.length - 1].rows = await page.$$eval(".dt-scrollable .dt-row", (rows) => rows.length);

		const portal_context = await page.context().browser().newContext({ viewport: page.viewportSize() });
		const portal_page = await portal_context.newPage();
		portal_page.on("dialog", (dialog) => {
			page.pb_dialogs.push(`${dialog.type()}: ${dialog.message()}`);
			dialog.dismiss().catch(() => null);
		});
		await login(portal_context, page.pb_base, portal.usr, portal.pwd);
		const response = await portal_page.goto(`${page.pb_base}/invoices/${encodeURIComponent(invoice)}`);
		await portal_page.waitForTimeout(1500);
		pages.push({ what: "portal invoice", status: response.status(), ...(await markup_ran(portal_page)) });
		await portal_context.close();
		return { pages };
	},

	// The Configure dialog as a person meets it: Tab into a date, Esc, closing with changes.
	async configure_manners(page, { invoice }) {
		const result = {};
		await open_form(page, "Sales Invoice", invoice);
		await open_dialog(page, "Configure");
		const modal = page.locator(".modal.show").first();
		// Tab out of the first row's amount (by amount) into its due date.
		await modal.locator('select[data-fieldname="mode"]').selectOption("Amount");
		await page.waitForTimeout(300);
		const row = modal.locator(".grid-body .grid-row").first();
		await row.locator('[data-fieldname="amount"]').first().click();
		const amount = row.locator('input[data-fieldname="amount"]');
		await amount.waitFor({ state: "visible" });
		await amount.fill("999999");
		await page.keyboard.press("Tab");
		await page.waitForTimeout(700);
		result.picker = await page.evaluate(() => {
			const picker = document.querySelector(".datepicker.active");
			if (!picker) return { open: false };
			const a = picker.getBoundingClientRect();
			const buttons = [...document.querySelectorAll(".modal.show .modal-footer .btn, .modal.show .modal-header .btn")]
				.filter((button) => button.offsetParent !== null)
				.map((button) => button.getBoundingClientRect());
			const covered = buttons.filter((b) => a.left < b.right && a.right > b.left && a.top < b.bottom && a.bottom > b.top);
			return { open: true, covers_buttons: covered.length > 0, on_screen: a.top >= 0 && a.bottom <= innerHeight };
		});
		if (page.pb_shots) await page.screenshot({ path: `${page.pb_shots}/configure-tab.png` });
		await page.keyboard.press("Escape");
		await page.waitForTimeout(500);
		result.after_first_escape = await page.evaluate(() => ({
			picker_open: Boolean(document.querySelector(".datepicker.active")),
			dialogs: document.querySelectorAll(".modal.show").length,
		}));
		result.bar = await modal.locator(".pb-bar-text").innerText();
		await page.keyboard.press("Escape");
		await page.waitForTimeout(700);
		result.after_second_escape = await page.evaluate(() => ({
			dialogs: document.querySelectorAll(".modal.show").length,
			asks: [...document.querySelectorAll(".modal.show .modal-body")].map((body) => body.innerText.trim()),
		}));
		return result;
	},

	// Frappe's apps page: the Progress Billing tile, and where it leads.
	async apps_tile(page) {
		await page.goto(`${page.pb_base}/apps`);
		const tile = page.locator("a.app-icon", { hasText: "Progress Billing" });
		const route = await tile.getAttribute("href");
		await tile.click();
		await page.waitForFunction(() => window.frappe && frappe.get_route && (frappe.get_route() || []).length, null, {
			timeout: 60000,
		});
		await page.waitForTimeout(1000);
		return { route, landed: await page.evaluate(() => [location.pathname, frappe.get_route()]) };
	},

	// Screenshots of a form and, optionally, a dialog opened on it.
	async screenshot(page, { doctype, name, dialog, path, scroll_to }) {
		await open_form(page, doctype, name);
		await page.waitForTimeout(800);
		if (scroll_to) {
			await page.evaluate((selector) => {
				const element = document.querySelector(selector);
				if (element) element.scrollIntoView({ block: "start" });
				window.scrollBy(0, -80);
			}, scroll_to);
			await page.waitForTimeout(300);
		}
		if (dialog) await open_dialog(page, dialog);
		await page.screenshot({ path });
		const actions = await page.$$eval(".pb-action", (buttons) =>
			buttons.filter((button) => button.offsetParent !== null).map((button) => button.innerText.trim())
		);
		return { path, actions, small: await tap_targets(page) };
	},
};

// Visible buttons and fields of ours smaller than a finger (44px), on this screen.
async function tap_targets(page) {
	return page.evaluate(() =>
		[
			...document.querySelectorAll(
				".pb-action, .pb-refund, .pb-card-remove, .pb-card-add, .pb-dialog.show .modal-footer .btn, .pb-dialog.show .form-control"
			),
		]
			.filter((element) => element.offsetParent !== null)
			.map((element) => ({ text: element.innerText.trim().slice(0, 30), height: element.getBoundingClientRect().height }))
			.filter((target) => target.height < 44)
	);
}

(async () => {
	const job = await read_job();
	const browser = await chromium.launch({
		executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
		args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--disable-sync"],
	});
	const answer = { console_errors: [], dialogs: [] };
	try {
		const [width, height] = job.viewport || [1366, 768];
		const context = await browser.newContext({ viewport: { width, height } });
		const page = await context.newPage();
		page.pb_base = job.base;
		page.pb_shots = job.shots;
		page.pb_dialogs = answer.dialogs;
		page.pb_requests = watch_requests(page);
		page.on("dialog", (dialog) => {
			answer.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
			dialog.dismiss().catch(() => null);
		});
		page.on("pageerror", (error) => answer.console_errors.push(String(error)));
		page.on("console", (message) => message.type() === "error" && answer.console_errors.push(message.text()));
		await login(context, job.base, job.user || "Administrator", job.password);
		try {
			answer.result = await scenarios[job.scenario](page, job.args || {});
		} catch (error) {
			answer.error = String(error && error.stack ? error.stack : error);
			answer.page = await page
				.evaluate(() => ({
					url: location.href,
					form: window.cur_frm && [cur_frm.doctype, cur_frm.docname, Boolean(cur_frm.pb_context)],
					dialogs: [...document.querySelectorAll(".modal.show .modal-title")].map((title) => title.innerText),
				}))
				.catch(() => null);
			if (job.shots) await page.screenshot({ path: `${job.shots}/failed-${job.scenario}.png` }).catch(() => null);
		}
	} catch (error) {
		answer.error = String(error && error.stack ? error.stack : error);
	} finally {
		await browser.close();
	}
	process.stdout.write(JSON.stringify(answer));
})();
