/*
 * lib.js — what the browser tests share: the browser, signing in as the
 * demo's people, a ticket of one's own made through the portal, and the
 * pages every check walks. CSDESK_URL and CHROMIUM come from
 * scripts/test-browser.sh.
 */
"use strict";

const { chromium } = require("playwright-core");

const BASE = process.env.CSDESK_URL;
const PASSWORD = "orange harbour lantern";
const AGENT = "alex@demo.csdesk.test";
const ADMIN = "admin@demo.csdesk.test";
const SUPERVISOR = "sam@demo.csdesk.test";
const CUSTOMER = "carol@northwind.demo.csdesk.test";

if (!BASE)
	throw new Error("CSDESK_URL is not set: run through scripts/test-browser.sh");

function launch() {
	return chromium.launch({ executablePath: process.env.CHROMIUM,
		args: ["--no-sandbox", "--disable-dev-shm-usage"] });
}

/* A new context (its own cookies), signed in to the console as email. */
async function staffContext(browser, email, options) {
	const context = await browser.newContext(Object.assign({ baseURL: BASE }, options || {}));
	const page = await context.newPage();
	await page.goto("/agent/login");
	await page.fill("#email", email);
	await page.fill("#password", PASSWORD);
	await Promise.all([page.waitForURL(/\/agent\/$/), page.press("#password", "Enter")]);
	await page.close();
	return context;
}

/* The same for a portal customer. */
async function customerContext(browser, email, options) {
	const context = await browser.newContext(Object.assign({ baseURL: BASE }, options || {}));
	const page = await context.newPage();
	await page.goto("/login");
	await page.fill("#email", email || CUSTOMER);
	await page.fill("#password", PASSWORD);
	await Promise.all([page.waitForURL((u) => !u.pathname.startsWith("/login")),
		page.press("#password", "Enter")]);
	await page.close();
	return context;
}

/* A new request through the portal form; its number ("TKT-000123"). */
async function newTicket(context, subject) {
	const page = await context.newPage();
	await page.goto("/tickets/new");
	await page.fill("#subject", subject);
	await page.fill("#description", "Made by the browser tests: " + subject);
	/* An account with several sites says which one (the first will do). */
	if (await page.locator("#site").count())
		await page.selectOption("#site", { index: 1 });
	await Promise.all([page.waitForURL(/\/tickets\/TKT-\d+/),
		page.click("button.btn-primary[type=submit]")]);
	const number = page.url().match(/TKT-\d+/)[0];
	await page.close();
	return number;
}

/* A request through the portal's form without drawing the page (for bulk). */
async function quickTicket(context, subject, urgency) {
	const form = await (await context.request.get("/tickets/new")).text();
	const field = (name) => (form.match(new RegExp(`name="${name}" value="([^"]*)"`)) || [])[1];
	const fields = {
		csrf_token: field("csrf_token"), form_token: field("form_token"),
		kb_token: field("kb_token") || "", subject,
		description: "Reported through the portal: " + subject, urgency: urgency || "normal" };
	/* An account with several sites says which one (the first will do). */
	const site = (form.match(/<select id="site"[^]*?<option value="(\d+)"/) || [])[1];
	if (site)
		fields.site = site;
	const res = await context.request.post("/tickets", { multipart: fields });
	if (!res.ok())
		throw new Error("a request was refused: " + res.status());
}

module.exports = { launch, staffContext, customerContext, newTicket, quickTicket, BASE, AGENT,
	ADMIN, SUPERVISOR, CUSTOMER };
