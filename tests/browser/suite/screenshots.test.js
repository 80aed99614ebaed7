/*
 * screenshots.test.js — with SCREENSHOTS=1, the queue and a ticket page
 * at 1280 and 375 px wide, light and dark, into docs/screenshots/ (what
 * the README shows). The queue is filled first with thirty requests, as
 * a morning's work would fill it. Skipped otherwise: a picture is looked
 * at by a person, not asserted.
 */
"use strict";

const test = require("node:test");
const assert = require("node:assert");
const path = require("node:path");
const { launch, staffContext, customerContext, quickTicket, AGENT } = require("./lib");

const DIR = process.env.SCREENSHOT_DIR;
const SUBJECTS = ["Printer jams on every second page", "Invoice 2041 charged twice",
	"Cannot sign in after the password reset", "Laptop fan loud since the update",
	"Toner cartridge not recognised", "Delivery arrived damaged", "Warranty claim for a cracked screen",
	"Router drops Wi-Fi every evening", "Refund not received", "Scanner driver for macOS"];

test("screenshots of the queue and a ticket", { skip: !process.env.SCREENSHOTS }, async () => {
	const browser = await launch();
	const customer = await customerContext(browser);
	for (let i = 0; i < 30; i++)
		await quickTicket(customer, SUBJECTS[i % SUBJECTS.length] + (i >= 10 ? ` (${i})` : ""),
		    ["low", "normal", "high"][i % 3]);
	await customer.close();
	const shots = [];
	for (const [width, height] of [[1280, 800], [375, 812]]) {
		for (const scheme of ["light", "dark"]) {
			const agent = await staffContext(browser, AGENT, { viewport: { width, height },
				colorScheme: scheme });
			const page = await agent.newPage();
			await page.goto("/agent/tickets");
			shots.push(`queue-${width}-${scheme}.png`);
			await page.screenshot({ path: path.join(DIR, shots[shots.length - 1]) });
			await page.goto("/agent/tickets/TKT-000001");
			shots.push(`ticket-${width}-${scheme}.png`);
			await page.screenshot({ path: path.join(DIR, shots[shots.length - 1]) });
			await agent.close();
		}
	}
	await browser.close();
	assert.strictEqual(shots.length, 8);
});
