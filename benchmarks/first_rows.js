// Seconds from opening Outstanding Draws in headless Chromium to its first rows on screen.
// usage: node first_rows.js BASE_URL PASSWORD COMPANY [RUNS]
// Needs playwright-core (npm) where node finds it (NODE_PATH) and Debian's chromium.
const { chromium } = require("playwright-core");

const [base, password, company, runs = "3"] = process.argv.slice(2);

(async () => {
	const browser = await chromium.launch({
		executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
		args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
			"--disable-background-networking", "--disable-component-update", "--disable-sync"],
	});
	const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
	const page = await context.newPage();
	await page.request.post(`${base}/api/method/login`, { form: { usr: "Administrator", pwd: password } });
	await page.goto(`${base}/app`, { waitUntil: "networkidle" }); // the desk's own assets, cached
	const seconds = [];
	for (let run = 0; run < Number(runs); run++) {
		await page.goto(`${base}/app/sales-invoice`, { waitUntil: "networkidle" });
		const started = Date.now();
		await page.goto(`${base}/app/query-report/Outstanding Draws?company=${encodeURIComponent(company)}`);
		// A row of the benchmark's own customers: not the empty table, nor a first run
		// with the user's default company before the URL's filter applies.
		await page.waitForSelector('.dt-scrollable .dt-cell__content:has-text("PBBENCH")', {
			state: "visible",
			timeout: 120000,
		});
		seconds.push((Date.now() - started) / 1000);
	}
	seconds.sort((a, b) => a - b);
	console.log(JSON.stringify({ seconds, median: seconds[Math.floor(seconds.length / 2)] }));
	await browser.close();
})().catch((error) => {
	console.error(error);
	process.exit(1);
});
