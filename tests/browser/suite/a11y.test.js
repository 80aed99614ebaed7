/*
 * a11y.test.js — axe-core (WCAG 2.1 A and AA rules) on every console and
 * portal page a person reaches, at 1280 and 320 px wide, in the light and
 * the dark scheme: no violation, and no page wider than the screen (no
 * sideways scrolling). Each failure names the page, the size and the
 * scheme.
 */
"use strict";

const test = require("node:test");
const assert = require("node:assert");
const path = require("node:path");
const { launch, staffContext, customerContext, newTicket, ADMIN, SUPERVISOR, AGENT } =
	require("./lib");

const AXE = path.join(path.dirname(require.resolve("axe-core")), "axe.min.js");
const VARIANTS = [
	{ width: 1280, height: 800, scheme: "light" },
	{ width: 1280, height: 800, scheme: "dark" },
	{ width: 320, height: 640, scheme: "light" },
	{ width: 320, height: 640, scheme: "dark" },
];
const CONSOLE = ["/agent/", "/agent/tickets", "/agent/tickets?status=all&sort=age",
	"/agent/tickets/new", "/agent/views", "/agent/kb", "/agent/kb/new", "/agent/kb/categories",
	"/agent/kb/insight", "/agent/settings", "/agent/shortcuts", "/agent/account",
	"/agent/reports", "/agent/tickets?sort=updated", "/agent/tickets/TKT-000001"];
const ADMIN_PAGES = ["/agent/admin/", "/agent/admin/staff", "/agent/admin/staff/new",
	"/agent/admin/teams", "/agent/admin/skills", "/agent/admin/queues", "/agent/admin/products",
	"/agent/admin/resolution-codes", "/agent/admin/categories", "/agent/admin/canned",
	"/agent/admin/routing", "/agent/admin/routing/new", "/agent/admin/sla-policies",
	"/agent/admin/sla-policies/new", "/agent/admin/calendars", "/agent/admin/calendars/new",
	"/agent/admin/escalation-rules", "/agent/admin/escalation-rules/new",
	"/agent/admin/customers", "/agent/admin/customers/new", "/agent/admin/api-keys",
	"/agent/admin/audit", "/agent/admin/lockouts", "/agent/admin/mail", "/agent/admin/settings"];
const PORTAL = ["/", "/kb", "/kb/search?q=printer", "/tickets", "/tickets/new", "/account"];
const PUBLIC = ["/login", "/agent/login", "/register", "/password/forgot", "/kb"];

let browser;
test.before(async () => { browser = await launch(); });
test.after(async () => { await browser.close(); });

/* The problems of one page: axe's violations and a sideways scroll. */
async function check(page, url) {
	return audit(page, await page.goto(url));
}

/* The same of the page shown, which answered res. */
async function audit(page, res) {
	await page.addScriptTag({ path: AXE });
	const found = await page.evaluate(async () => {
		const r = await window.axe.run(document, { runOnly: { type: "tag",
			values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
		return r.violations.map((v) => v.id + " (" + v.nodes.length + "): " +
			v.nodes.slice(0, 2).map((n) => n.target.join(" ")).join(", "));
	});
	const wide = await page.evaluate(() => document.documentElement.scrollWidth -
		document.documentElement.clientWidth);
	if (wide > 0)
		found.push(`scrolls sideways by ${wide} px`);
	if (res.status() >= 500)
		found.push(`answered ${res.status()}`);
	return found;
}

async function walk(make, urls) {
	const problems = [];
	for (const v of VARIANTS) {
		/* bypassCSP: axe is a script of the test's, which the pages' policy refuses. */
		const context = await make({ viewport: { width: v.width, height: v.height },
			colorScheme: v.scheme, bypassCSP: true });
		const page = await context.newPage();
		for (const url of urls)
			for (const p of await check(page, url))
				problems.push(`${url} at ${v.width} px, ${v.scheme}: ${p}`);
		await context.close();
	}
	return problems;
}

test("console pages: no axe violation, no sideways scroll", async () => {
	const seed = await customerContext(browser);
	const number = await newTicket(seed, "Accessibility " + Date.now());
	await seed.close();
	const urls = CONSOLE.concat(["/agent/tickets/" + number]);
	const problems = await walk((o) => staffContext(browser, SUPERVISOR, o), urls);
	assert.deepStrictEqual(problems, []);
});

/* The first link on page that starts with prefix followed by digits or a slug. */
async function firstLink(context, page, pattern) {
	const p = await context.newPage();
	await p.goto(page);
	const hrefs = await p.$$eval("main a[href]", (as) => as.map((a) => a.getAttribute("href")));
	await p.close();
	return hrefs.find((h) => pattern.test(h));
}

test("admin pages: no axe violation, no sideways scroll", async () => {
	const admin = await staffContext(browser, ADMIN);
	const extra = [await firstLink(admin, "/agent/admin/customers", /^\/agent\/admin\/customers\/\d+$/),
		await firstLink(admin, "/agent/admin/staff", /^\/agent\/admin\/staff\/\d+$/),
		await firstLink(admin, "/agent/kb", /^\/agent\/kb\/\d+$/)].filter(Boolean);
	await admin.close();
	assert.strictEqual(extra.length, 3, "a customer, a staff member and an article to open");
	const problems = await walk((o) => staffContext(browser, ADMIN, o), ADMIN_PAGES.concat(extra));
	assert.deepStrictEqual(problems, []);
});

test("portal pages: no axe violation, no sideways scroll", async () => {
	const carol = await customerContext(browser);
	const extra = [await firstLink(carol, "/tickets", /^\/tickets\/TKT-\d+$/),
		await firstLink(carol, "/kb", /^\/kb\/(a\/)?[a-z0-9-]+$/)].filter(Boolean);
	await carol.close();
	assert.strictEqual(extra.length, 2, "a ticket and a help-centre page to open");
	const problems = await walk((o) => customerContext(browser, undefined, o), PORTAL.concat(extra));
	assert.deepStrictEqual(problems, []);
});

/* Field service: the technician's day (a phone's page), the dispatcher's and the customer's. */
test("field service pages: no axe violation, no sideways scroll", async () => {
	const sam = await staffContext(browser, SUPERVISOR);
	const number = await firstLink(sam, "/agent/tickets?status=all", /^\/agent\/tickets\/TKT-\d+$/);
	const visit = number && await firstLink(sam, number, /^\/agent\/field\/appointments\/\d+$/);
	const tech = await firstLink(sam, "/agent/field/technicians", /^\/agent\/field\/technicians\/\d+$/);
	await sam.close();
	const carol = await customerContext(browser);
	const own = await firstLink(carol, "/visits", /^\/visits\/\d+$/);
	await carol.close();
	const problems = (await walk((o) => staffContext(browser, "tina@demo.csdesk.test", o),
		["/agent/field/day"])).concat(await walk((o) => staffContext(browser, SUPERVISOR, o),
		[number + "/appointments/new", "/agent/field/board", "/agent/field/technicians"]
			.concat(visit ? [visit] : [], tech ? [tech] : [])),
		await walk((o) => customerContext(browser, undefined, o),
			["/visits", "/visits/book?postcode=75011"].concat(own ? [own] : [])));
	assert.deepStrictEqual(problems, []);
});

/*
 * The dashboards by role (the agent's, the supervisor's, the manager's and
 * the wall screen) with their SVG charts, and the analytics pages around
 * them: reports, definitions, mailed reports, KPI targets.
 */
test("dashboards and analytics: no axe violation, no sideways scroll", async () => {
	const problems = (await walk((o) => staffContext(browser, AGENT, o), ["/agent/"]))
		.concat(await walk((o) => staffContext(browser, SUPERVISOR, o), ["/agent/",
			"/agent/dashboard/manager", "/agent/tv", "/agent/analytics",
			"/agent/analytics?report=workload&by=agent&grain=week",
			"/agent/analytics?report=backlog", "/agent/metrics",
			"/agent/analytics/subscriptions"]),
		await walk((o) => staffContext(browser, ADMIN, o), ["/agent/admin/kpis",
			"/agent/admin/system"]));
	assert.deepStrictEqual(problems, []);
});

/* Service parts: the technician's parts and job report (a phone's pages), stock and
 * transfers for the supervisor, the catalogue for the admin, the customer's report. */
test("service parts pages: no axe violation, no sideways scroll", async () => {
	const tina = await staffContext(browser, "tina@demo.csdesk.test");
	const report = await firstLink(tina, "/agent/field/day", /^\/agent\/field\/jobs\/\d+\/report$/);
	const parts = await firstLink(tina, "/agent/field/day", /^\/agent\/field\/jobs\/\d+\/parts$/);
	const photos = await firstLink(tina, "/agent/field/day", /^\/agent\/field\/jobs\/\d+\/photos$/);
	await tina.close();
	const sam = await staffContext(browser, SUPERVISOR);
	const location = await firstLink(sam, "/agent/stock", /^\/agent\/stock\/locations\/\d+$/);
	const moves = location && await firstLink(sam, location, /^\/agent\/stock\/parts\/\d+\/movements$/);
	await sam.close();
	const carol = await customerContext(browser);
	const visit = await firstLink(carol, "/visits", /^\/visits\/\d+\/report$/);
	await carol.close();
	assert.ok(report && parts && photos && location && moves,
		"a job report, a job's parts and photos, a location and a part's movements to open");
	const problems = (await walk((o) => staffContext(browser, "tina@demo.csdesk.test", o),
		[parts, photos, report, "/agent/field/van"])).concat(await walk((o) => staffContext(browser, SUPERVISOR, o),
		["/agent/stock", location, moves, "/agent/stock/transfers", "/agent/reports/field"]),
		await walk((o) => staffContext(browser, ADMIN, o),
		["/agent/admin/parts", "/agent/admin/parts/new"]),
		visit ? await walk((o) => customerContext(browser, undefined, o), [visit]) : []);
	assert.deepStrictEqual(problems, []);
});

/*
 * The technician's day as a job goes through it, each state at both widths
 * and schemes: checked in (check-out and the signature box), checked out
 * (the signature box and the completion form), and a completion refused
 * for want of the signature (the message at the job, the notes kept).
 * Tina's booked job of the demo, worked as a technician would, without a
 * position (a typed reason). Left checked out, so the pages other tests
 * open are as the demo made them.
 */
test("the technician's day through a job's states: no axe violation, no sideways scroll",
    async () => {
	const TINA = "tina@demo.csdesk.test";
	const tina = await staffContext(browser, TINA);
	const page = await tina.newPage();
	const problems = [];
	for (const [action, button] of [["check-in", "Check in"], ["check-out", "Check out"]]) {
		await page.goto("/agent/field/day");
		const form = page.locator(`form[action$="/${action}"]`);
		assert.strictEqual(await form.count(), 1, `one job to ${action} on Tina's day`);
		await form.locator('input[name="note"]').fill("No signal in the basement");
		const [res] = await Promise.all([page.waitForNavigation(),
			form.getByRole("button", { name: button }).click()]);
		assert.ok(res.ok(), `${action} answered ${res.status()}`);
		problems.push(...await walk((o) => staffContext(browser, TINA, o), ["/agent/field/day"]));
	}
	await tina.close();
	for (const v of VARIANTS) {
		const context = await staffContext(browser, TINA, { viewport: { width: v.width,
			height: v.height }, colorScheme: v.scheme, bypassCSP: true });
		const p = await context.newPage();
		await p.goto("/agent/field/day");
		const form = p.locator('form[action$="/complete"]');
		await form.locator("textarea").fill("Drum bearing replaced");
		const [res] = await Promise.all([p.waitForNavigation(),
			form.getByRole("button").click()]);
		assert.strictEqual(res.status(), 422, "completed without the signature");
		assert.strictEqual(await p.locator("main [role=alert]").count(), 1);
		assert.strictEqual(await p.locator('form[action$="/complete"] textarea').inputValue(),
			"Drum bearing replaced");
		for (const f of await audit(p, res))
			problems.push(`a refused completion at ${v.width} px, ${v.scheme}: ${f}`);
		await context.close();
	}
	assert.deepStrictEqual(problems, []);
});

test("sign-in pages: no axe violation, no sideways scroll", async () => {
	const problems = await walk((o) => browser.newContext(Object.assign({
		baseURL: process.env.CSDESK_URL }, o)), PUBLIC);
	assert.deepStrictEqual(problems, []);
});

test("a 400 names the parameter at fault and links back to the list", async () => {
	const context = await staffContext(browser, SUPERVISOR);
	const page = await context.newPage();
	const res = await page.goto("/agent/tickets?sort=updated");
	assert.strictEqual(res.status(), 400);
	assert.match(await page.textContent("main"), /“sort”/);
	assert.strictEqual(await page.getAttribute("main a.btn-primary", "href"), "/agent/tickets");
	await context.close();
});

/* The header's menu items on one line: the same top for every entry. */
async function menuLines(page) {
	return page.$$eval(".nav > ul > li", (lis) => new Set(lis.map((li) =>
		Math.round(li.getBoundingClientRect().top))).size);
}

test("the console menu is one line at 1280 px for a supervisor and an admin, its folded " +
    "entry opens from the keyboard", async () => {
	for (const who of [SUPERVISOR, ADMIN]) {
		const context = await staffContext(browser, who, { viewport: { width: 1280, height: 800 } });
		const page = await context.newPage();
		await page.goto("/agent/tickets");
		assert.strictEqual(await menuLines(page), 1, `${who}: the menu wraps`);
		await page.focus(".nav-fold summary");
		await page.keyboard.press("Enter");
		assert.ok(await page.isVisible(".nav-fold a[href='/agent/qa']"), "Reviews is shown");
		await Promise.all([page.waitForURL(/\/agent\/qa$/), page.click(".nav-fold a[href='/agent/qa']")]);
		assert.match(await page.getAttribute(".nav-fold summary", "class") || "", /nav-here/);
		await context.close();
	}
});
