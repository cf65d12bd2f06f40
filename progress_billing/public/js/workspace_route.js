// The program's workspace is named after the business's words for it (Payment Schedule,
// Progress Billing, Draws...), so no fixed route spells it. Frappe's apps page keeps a
// tile's /app/<name> only where <name> is a workspace the user has, and otherwise sends
// the tile to the first workspace (frappe/apps.py, get_route); any route outside /app
// would send everyone to the apps page after logging in. So the tile asks for the bare
// desk, /app (hooks.py, add_to_apps_screen), and the desk, arriving there from the apps
// page, opens the program's workspace by its name.
frappe.provide("progress_billing.workspace");

progress_billing.workspace.MODULE = "Progress Billing";

// The route of the program's workspace for this user, if they have it.
progress_billing.workspace.slug = function () {
	const ours = (frappe.boot.allowed_workspaces || []).find(
		(page) => page.module === progress_billing.workspace.MODULE && page.public
	);
	return ours ? frappe.router.slug(ours.name) : null;
};

(function () {
	const slug = progress_billing.workspace.slug();
	// Links written before the workspace took the program's name.
	frappe.re_route["progress billing"] = slug || "progress-billing";
	if (slug && slug !== "progress-billing") frappe.re_route["progress-billing"] = slug;

	const from_apps_page = (() => {
		try {
			const referrer = new URL(document.referrer);
			return referrer.origin === location.origin && referrer.pathname.replace(/\/$/, "") === "/apps";
		} catch (e) {
			return false;
		}
	})();
	// Before the desk reads the address: the workspace replaces the bare desk in history.
	if (slug && from_apps_page && ["/app", "/app/"].includes(location.pathname) && !location.search) {
		history.replaceState(history.state, "", `/app/${slug}`);
	}
})();
