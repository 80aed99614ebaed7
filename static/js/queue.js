/*
 * queue.js — the ticket list learns of changes without a reload. Every
 * few seconds it asks /agent/live with the ETag it holds (304 and no body
 * while nothing changed); when the stamp moves it fetches this same list
 * page, swaps the table's rows and says how many tickets are new in a
 * polite live region. It pauses while the tab is hidden and never touches
 * rows while the agent has some selected (a bulk action in progress).
 * The answer also carries the views' counts, shown beside their names.
 */
(function () {
	"use strict";

	var form = document.getElementById("queue");
	var notice = document.getElementById("queue-live");
	var EVERY = 5000;
	var etag = null;

	if (!form || !notice || !window.fetch || !window.DOMParser)
		return;

	function numbers(root) {
		var out = {};
		Array.prototype.forEach.call(root.querySelectorAll("tr.row-link"), function (tr) {
			out[tr.getAttribute("data-number")] = true;
		});
		return out;
	}

	function refresh() {
		window.fetch(window.location.href, { credentials: "same-origin" }).then(function (res) {
			return res.ok ? res.text() : null;
		}).then(function (html) {
			if (!html)
				return;
			var doc = new DOMParser().parseFromString(html, "text/html");
			var fresh = doc.querySelector("#queue tbody");
			var old = form.querySelector("tbody");
			if (!fresh || !old)
				return;
			var before = numbers(old), added = 0;
			Array.prototype.forEach.call(fresh.querySelectorAll("tr.row-link"), function (tr) {
				if (!before[tr.getAttribute("data-number")]) {
					tr.classList.add("row-new");
					added++;
				}
			});
			old.parentNode.replaceChild(document.importNode(fresh, true), old);
			notice.textContent = added > 0 ? added + (added === 1 ? " new ticket" :
			    " new tickets") + " in this view." : "The list was updated.";
		}).catch(function () { /* the next poll tries again */ });
	}

	function counts(c) {
		Array.prototype.forEach.call(document.querySelectorAll("[data-count]"), function (el) {
			var n = c[el.getAttribute("data-count")];
			el.textContent = typeof n === "number" ? "(" + n + ")" : "";
		});
	}

	function poll() {
		if (document.hidden || form.querySelector("tbody input[type=checkbox]:checked"))
			return;
		var headers = etag ? { "If-None-Match": etag } : {};
		window.fetch(form.getAttribute("data-live"), { credentials: "same-origin",
		    headers: headers, cache: "no-store" }).then(function (res) {
			if (res.status !== 200)
				return null;
			var was = etag;
			etag = res.headers.get("ETag");
			if (was && etag !== was)
				refresh();
			return res.json();
		}).then(function (d) {
			if (d && d.counts)
				counts(d.counts);
		}).catch(function () { /* offline for a moment: poll again later */ });
	}

	poll();
	window.setInterval(poll, EVERY);
}());
