/*
 * times.js — times in the agent's own time zone (Your settings; the body's
 * data-tz). The server writes them in UTC, as <time datetime="…Z">; this
 * rewrites those marked local-time ("5 Dec 2026, 15:05") and gives every
 * relative one ("3 h ago", exact-on-hover) its exact time in that zone as
 * its title. Without it the page reads UTC, and says so.
 */
(function () {
	"use strict";

	var zone = document.body.getAttribute("data-tz") || "UTC";
	var format;

	if (!window.Intl || !Intl.DateTimeFormat)
		return;
	try {
		format = new Intl.DateTimeFormat(undefined, { timeZone: zone, dateStyle: "medium",
			timeStyle: "short" });
	} catch (e) {
		return;		/* a zone this browser does not know: UTC stays */
	}
	Array.prototype.forEach.call(document.querySelectorAll("time[datetime]"), function (t) {
		var d = new Date(t.getAttribute("datetime"));
		if (isNaN(d.getTime()))
			return;
		var text = format.format(d) + (zone === "UTC" ? " UTC" : "");
		if (t.classList.contains("local-time"))
			t.textContent = text;
		else if (t.classList.contains("exact-on-hover"))
			t.title = text + " (" + zone + ")";
	});
}());
