/*
 * queue.js — the ticket list learns of changes without a reload. Every
 * few seconds it asks /agent/live with the ETag it holds (304 and no body
 * while nothing changed); when the stamp moves it fetches this same list
 * page, swaps the table's rows and says how many tickets are new in a
 * polite live region. It pauses while the tab is hidden and never touches
 * rows while the agent has some selected (a bulk action in progress).
 * The answer also carries the views' counts, shown beside their names.
 *
 * A row's link, hovered or focused for a moment, shows the ticket's newest
 * message beside it (GET /agent/tickets/{number}/preview), described to
 * screen readers through aria-describedby; Escape, leaving the row or
 * moving on hides it.
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

	var tip = document.createElement("div");
	var tipTimer = null, tipFor = null, cache = {};

	tip.id = "row-preview";
	tip.className = "row-preview";
	tip.setAttribute("role", "tooltip");
	tip.hidden = true;
	document.body.appendChild(tip);

	function hideTip() {
		window.clearTimeout(tipTimer);
		if (tipFor)
			tipFor.removeAttribute("aria-describedby");
		tipFor = null;
		tip.hidden = true;
	}

	function showTip(link, p) {
		var r = link.getBoundingClientRect();
		var head = document.createElement("strong");
		tip.textContent = "";
		head.textContent = p.author + (p.kind === "internal" ? " (internal note)" :
		    p.kind === "description" ? " (the request)" : "") + ", " + p.at + " " + (p.zone || "UTC") + ": ";
		tip.appendChild(head);
		tip.appendChild(document.createTextNode(p.body));
		tip.style.left = Math.max(8, r.left) + "px";
		tip.style.top = (r.bottom + window.scrollY + 4) + "px";
		tip.hidden = false;
		tipFor = link;
		link.setAttribute("aria-describedby", "row-preview");
	}

	function wantTip(e) {
		var link = e.target.closest ? e.target.closest("a.row-main") : null;
		if (!link || link === tipFor)
			return;
		hideTip();
		var number = link.closest("tr").getAttribute("data-number");
		tipTimer = window.setTimeout(function () {
			if (cache[number]) {
				showTip(link, cache[number]);
				return;
			}
			window.fetch("/agent/tickets/" + number + "/preview", { credentials: "same-origin" })
			    .then(function (res) { return res.ok ? res.json() : null; })
			    .then(function (p) {
				if (!p || (document.activeElement !== link && !link.matches(":hover")))
					return;
				cache[number] = p;
				showTip(link, p);
			}).catch(function () { /* no preview then */ });
		}, 400);
	}

	form.addEventListener("mouseover", wantTip);
	form.addEventListener("focusin", wantTip);
	form.addEventListener("mouseleave", hideTip);
	form.addEventListener("focusout", function (e) {
		if (!form.contains(e.relatedTarget))
			hideTip();
	});
	document.addEventListener("keydown", function (e) {
		if (e.key === "Escape")
			hideTip();
	});

	poll();
	window.setInterval(poll, EVERY);
}());
