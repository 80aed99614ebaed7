/*
 * workspace.test.js — the agent's day, as a person at a keyboard: the
 * queue, a ticket, the one reply form, the next ticket, the shortcuts and
 * their off switch, drafts and the leave warning, and the list learning
 * of a new ticket by itself. Each test makes the tickets it works on
 * through the portal, as a customer would.
 */
"use strict";

const test = require("node:test");
const assert = require("node:assert");
const { launch, staffContext, customerContext, newTicket, quickTicket, AGENT, ADMIN } =
	require("./lib");

let browser, customer;

test.before(async () => {
	browser = await launch();
	customer = await customerContext(browser);
});
test.after(async () => { await browser.close(); });

/* Sets one person's settings through their settings page. */
async function settings(context, values) {
	const page = await context.newPage();
	await page.goto("/agent/settings");
	for (const [name, value] of Object.entries(values))
		await page.check(`input[name=${name}][value=${value}]`);
	await Promise.all([page.waitForURL(/\/agent\/settings$/),
		page.click("button:has-text('Save settings')")]);
	assert.match(await page.textContent("body"), /Settings saved\./);
	await page.close();
}

function focusedNumber(page) {
	return page.evaluate(() => {
		const tr = document.activeElement && document.activeElement.closest("tr.row-link");
		return tr ? tr.getAttribute("data-number") : null;
	});
}

test("with the keyboard only, an agent takes a ticket from the queue, resolves it with a " +
    "reply and lands on the next ticket, in under ten keystrokes after the reply", async () => {
	const number = await newTicket(customer, "Keyboard flow " + Date.now());
	const agent = await staffContext(browser, AGENT);
	await settings(agent, { after_action: "next", shortcuts: "on" });
	const page = await agent.newPage();
	let keys = 0;
	const press = async (k) => { keys++; await page.keyboard.press(k); };

	await page.goto("/agent/tickets");
	await press("j");
	assert.strictEqual(await focusedNumber(page), number, "j reaches the newest ticket first");
	await Promise.all([page.waitForURL(new RegExp("/agent/tickets/" + number)), press("Enter")]);
	await press("r");
	assert.strictEqual(await page.evaluate(() => document.activeElement.id), "r-body");
	await page.keyboard.type("Thank you: the printer driver is updated and it prints again.");
	const afterReply = keys;
	await press("Tab");		/* from the message to the status select */
	await press("r");		/* "Resolved" */
	await press("Tab");
	await press("Tab");		/* the resolution code */
	await press("f");		/* "Fixed" */
	await Promise.all([page.waitForURL((u) => !u.pathname.endsWith(number) &&
	    /\/agent\/tickets\/TKT-\d+$/.test(u.pathname)), press("Control+Enter")]);
	assert.ok(keys - afterReply < 10, `${keys - afterReply} keystrokes after the reply`);
	assert.match(await page.textContent("body"), /Reply sent\. Assigned to you\. Status: Resolved\./);

	await page.goto("/agent/tickets/" + number);
	assert.strictEqual(await page.textContent(".properties .pill-status"), "Resolved");
	assert.match(await page.textContent(".properties"), /Alex/);
	assert.match(await page.textContent("ol.conversation"), /printer driver is updated/);
	await agent.close();
});

test("without JavaScript the keyboard reaches the first ticket in a few Tab presses and the " +
    "one form sends a reply and sets the ticket pending", async () => {
	const number = await newTicket(customer, "No script flow " + Date.now());
	const agent = await staffContext(browser, AGENT, { javaScriptEnabled: false });
	const page = await agent.newPage();

	/* The skip link, then the work: the queue comes before the views in the page. */
	await page.goto("/agent/tickets?status=new");
	await page.keyboard.press("Tab");
	assert.strictEqual(await page.evaluate(() => document.activeElement.className), "skip-link");
	await page.keyboard.press("Enter");
	let tabs = 0;
	while (tabs < 30 && !(await page.evaluate(() =>
	    document.activeElement && document.activeElement.classList.contains("row-main")))) {
		await page.keyboard.press("Tab");
		tabs++;
	}
	assert.ok(tabs <= 12, `the first ticket is ${tabs} Tab presses after the skip link`);
	assert.strictEqual(await focusedNumber(page), number);
	await Promise.all([page.waitForURL(new RegExp(number)), page.keyboard.press("Enter")]);

	let guard = 0;
	while (guard++ < 80 && await page.evaluate(() => document.activeElement.id) !== "r-body")
		await page.keyboard.press("Tab");
	await page.keyboard.type("We need the serial number of the printer, please.");
	await page.keyboard.press("Tab");		/* the status select */
	await page.keyboard.type("w");			/* "Waiting for customer" */
	guard = 0;
	while (guard++ < 40 && !(await page.evaluate(() =>
	    document.activeElement.tagName === "BUTTON" && document.activeElement.type === "submit" &&
	    document.activeElement.closest("#reply-form"))))
		await page.keyboard.press("Tab");
	await Promise.all([page.waitForNavigation(), page.keyboard.press("Enter")]);
	assert.match(await page.textContent("body"), /Reply sent\. Assigned to you\. Status: Waiting for customer\./);
	await page.goto("/agent/tickets/" + number);
	assert.strictEqual(await page.textContent(".properties .pill-status"), "Waiting for customer");
	await agent.close();
});

test("without JavaScript, the keyboard alone takes a ticket, resolves it with a reply and " +
    "lands on the next ticket, in under ten keystrokes after the reply", async () => {
	await newTicket(customer, "No script after " + Date.now());
	const number = await newTicket(customer, "No script resolve " + Date.now());
	const agent = await staffContext(browser, AGENT, { javaScriptEnabled: false });
	await settings(agent, { after_action: "next" });
	const page = await agent.newPage();
	const focused = () => page.evaluate(() => {
		const e = document.activeElement;
		return !e ? "" : e.tagName === "BUTTON" ? e.textContent.trim() : e.id || e.name;
	});

	/* The skip link, then Tab to the first row: the newest of the new tickets. */
	await page.goto("/agent/tickets?status=new");
	await page.keyboard.press("Tab");
	await page.keyboard.press("Enter");
	let tabs = 0;
	while (tabs++ < 30 && !(await page.evaluate(() =>
	    document.activeElement && document.activeElement.classList.contains("row-main"))))
		await page.keyboard.press("Tab");
	assert.strictEqual(await focusedNumber(page), number);
	await Promise.all([page.waitForURL(new RegExp(number)), page.keyboard.press("Enter")]);
	let guard = 0;
	while (guard++ < 80 && await page.evaluate(() => document.activeElement.id) !== "r-body")
		await page.keyboard.press("Tab");
	await page.keyboard.type("Fixed: the driver is updated and the printer prints again.");
	let keys = 0;
	const press = async (k) => { keys++; await page.keyboard.press(k); };
	await press("Tab");
	assert.strictEqual(await focused(), "r-then");
	await press("r");		/* "Resolved" */
	await press("Tab");
	await press("Tab");
	assert.strictEqual(await focused(), "r-code");
	await press("f");		/* "Fixed" */
	for (let i = 0; i < 3; i++)	/* "Assign to me", "then the next ticket", Send */
		await press("Tab");
	assert.strictEqual(await focused(), "Send");
	await Promise.all([page.waitForURL((u) => !u.pathname.endsWith(number) &&
	    /\/agent\/tickets\/TKT-\d+$/.test(u.pathname)), press("Enter")]);
	assert.ok(keys < 10, `${keys} keystrokes after the reply`);
	assert.match(page.url(), /status=new/, "the next ticket keeps the view");
	assert.match(await page.textContent("body"), /Reply sent\. Assigned to you\. Status: Resolved\./);
	await page.goto("/agent/tickets/" + number);
	assert.strictEqual(await page.textContent(".properties .pill-status"), "Resolved");
	await agent.close();
});

test("next ticket keeps the view the agent came from", async () => {
	await newTicket(customer, "View one " + Date.now());
	await newTicket(customer, "View two " + Date.now());
	const agent = await staffContext(browser, AGENT);
	const page = await agent.newPage();

	await page.goto("/agent/tickets?status=new&sort=age");
	const first = await page.getAttribute("tr.row-link >> nth=0", "data-number");
	const second = await page.getAttribute("tr.row-link >> nth=1", "data-number");
	await page.click("tr.row-link >> nth=0 >> a.row-main");
	assert.match(await page.getAttribute(".ticket-nav a[rel=next]", "href"), /status=new&(amp;)?sort=age/);
	assert.match(await page.getAttribute(".ticket-nav a[data-key=u]", "href"), /status=new/);
	await page.click(".ticket-nav a[rel=next]");
	assert.ok(page.url().includes("/agent/tickets/" + second), `${first} then ${second}`);
	assert.match(page.url(), /status=new/);
	/* And back with p, the previous ticket of the same view. */
	assert.match(await page.getAttribute(".ticket-nav a[rel=prev]", "href"), /status=new&(amp;)?sort=age/);
	await Promise.all([page.waitForURL(new RegExp("/agent/tickets/" + first)),
		page.keyboard.press("p")]);
	assert.match(page.url(), /status=new&sort=age/);
	await agent.close();
});

test("shortcuts: ? shows the help and Escape closes it, g v goes to the views, keys typed " +
    "in a field stay there, and the off switch turns them all off", async () => {
	const agent = await staffContext(browser, ADMIN);
	await settings(agent, { shortcuts: "on" });
	const page = await agent.newPage();

	await page.goto("/agent/tickets");
	await page.keyboard.press("?");
	assert.ok(await page.isVisible("#shortcut-help"));
	assert.strictEqual(await page.evaluate(() => document.activeElement.hasAttribute("data-close")), true);
	await page.keyboard.press("Escape");
	assert.ok(await page.isHidden("#shortcut-help"));

	await page.focus("#f-q");
	await page.keyboard.type("jgv?");
	assert.strictEqual(await page.inputValue("#f-q"), "jgv?");
	assert.ok(await page.isHidden("#shortcut-help"));
	await page.keyboard.press("Escape");

	await page.keyboard.press("g");
	await Promise.all([page.waitForURL(/\/agent\/views$/), page.keyboard.press("v")]);

	await settings(agent, { shortcuts: "off" });
	await page.goto("/agent/tickets");
	assert.strictEqual(await page.$("#shortcut-help"), null);
	await page.keyboard.press("?");
	await page.keyboard.press("j");
	assert.strictEqual(await focusedNumber(page), null);
	await page.goto("/agent/shortcuts");
	assert.match(await page.textContent("main"), /Shortcuts are off\./);
	await settings(agent, { shortcuts: "on" });
	await agent.close();
});

test("a draft comes back after a reload and on another machine, and leaving with unsent " +
    "text asks first", async () => {
	const number = await newTicket(customer, "Draft " + Date.now());
	const agent = await staffContext(browser, AGENT);
	const page = await agent.newPage();
	const text = "Half a reply about the toner " + Date.now();

	await page.goto("/agent/tickets/" + number);
	await page.click("#r-body");
	await page.keyboard.type(text);
	await page.waitForSelector("#draft-state:has-text('Draft saved.')");
	await page.reload();
	assert.strictEqual(await page.inputValue("#r-body"), text);
	assert.match(await page.textContent("#draft-state"), /this browser/);

	const other = await staffContext(browser, AGENT);	/* no local copy there */
	const there = await other.newPage();
	await there.goto("/agent/tickets/" + number);
	await there.waitForFunction((t) => document.getElementById("r-body").value === t, text);
	assert.match(await there.textContent("#draft-state"), /the server/);
	await other.close();

	/* Leaving by a link with unsent text: the browser asks; staying keeps the text. */
	let asked = null;
	page.on("dialog", async (d) => { asked = d.type(); await d.dismiss(); });
	await page.click("#r-body");
	await page.keyboard.type(" more");
	await page.click("nav.nav a[href='/agent/views']", { noWaitAfter: true });
	await page.waitForFunction(() => true);
	for (let i = 0; i < 50 && asked === null; i++)
		await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
	assert.strictEqual(asked, "beforeunload");
	assert.match(page.url(), new RegExp(number));
	assert.strictEqual(await page.inputValue("#r-body"), text + " more");
	await agent.close();
});

test("the queue shows a ticket another person just created, with a notice, without a reload",
    async () => {
	const agent = await staffContext(browser, AGENT);
	const page = await agent.newPage();
	/* The first poll gives the stamp the next ones compare with. */
	await Promise.all([page.waitForResponse((r) => r.url().endsWith("/agent/live")),
		page.goto("/agent/tickets")]);
	const number = await newTicket(customer, "Live " + Date.now());
	await page.waitForSelector(`tr.row-link[data-number="${number}"]`, { timeout: 20000 });
	assert.match(await page.textContent("#queue-live"), /1 new ticket in this view\./);
	await agent.close();
});

test("a reply that arrives while the agent is writing is shown above the reply box, and the " +
    "box keeps what was typed", async () => {
	const number = await newTicket(customer, "Arrives while typing " + Date.now());
	const agent = await staffContext(browser, AGENT);
	const page = await agent.newPage();
	/* The first poll gives the stamp the next ones compare with. */
	await Promise.all([page.waitForResponse((r) => r.url().endsWith(number + "/live")),
		page.goto("/agent/tickets/" + number)]);
	assert.ok(await page.isHidden("#arrived"), "nothing arrived yet");
	await page.click("#r-body");
	await page.keyboard.type("Looking at the driver now");
	const portal = await customer.newPage();
	await portal.goto("/tickets/" + number);
	await portal.fill("#body", "It also smokes a little when it starts.");
	await Promise.all([portal.waitForURL(new RegExp(number)),
		portal.click("button:has-text('Send reply')")]);
	await portal.close();
	await page.waitForSelector("#arrived:not([hidden])", { timeout: 20000 });
	assert.match(await page.textContent("#arrived"), /It also smokes a little when it starts\./);
	assert.match(await page.textContent("#ticket-live"), /arrived while you were writing/);
	assert.strictEqual(await page.inputValue("#r-body"), "Looking at the driver now");
	/* The conversation itself is up to date as well. */
	assert.match(await page.textContent("ol.conversation"), /smokes a little/);
	await agent.close();
});

test("the queue shows 25 tickets at once on a 1280×800 screen, and a row's newest message " +
    "on focus", async () => {
	for (let i = 0; i < 26; i++)
		await quickTicket(customer, "Density " + i);
	const agent = await staffContext(browser, AGENT, { viewport: { width: 1280, height: 800 } });
	const page = await agent.newPage();
	await page.goto("/agent/tickets");
	const seen = await page.evaluate(() => Array.from(document.querySelectorAll("tr.row-link"))
	    .filter((r) => r.getBoundingClientRect().bottom <= window.innerHeight).length);
	assert.ok(seen >= 25, `${seen} rows in view`);
	await page.focus("tr.row-link >> nth=0 >> a.row-main");
	await page.waitForSelector("#row-preview:not([hidden])");
	assert.match(await page.textContent("#row-preview"), /Reported through the portal: Density 25/);
	assert.strictEqual(await page.getAttribute("tr.row-link >> nth=0 >> a.row-main",
	    "aria-describedby"), "row-preview");
	await page.keyboard.press("Escape");
	assert.ok(await page.isHidden("#row-preview"));
	await agent.close();
});
