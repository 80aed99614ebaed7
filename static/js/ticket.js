/*
 * ticket.js — progressive enhancement for the agent's ticket page. The
 * page works without it; with it:
 *  - while the agent types a reply, a small heartbeat (POST with the
 *    form's CSRF token, at most every 20 s) tells colleagues who open the
 *    same ticket that someone is writing;
 *  - the reply is kept as a draft as it is typed: in this browser
 *    (localStorage, at once) and on the server (a second after typing
 *    stops), so it survives a closed tab and follows the agent to another
 *    machine; leaving the page with unsent text asks first;
 *  - every few seconds the page asks whether the ticket changed (ETag,
 *    304 while it did not); the conversation is brought up to date and,
 *    while the agent is writing, a message that arrived meanwhile is also
 *    shown right above the reply box, which is left as it is;
 *  - choosing a canned response inserts it at once (the chooser's GET
 *    form is submitted, so the server fills in the placeholders).
 */
(function () {
	"use strict";

	var form = document.getElementById("reply-form");
	var body = document.getElementById("r-body");
	var canned = document.getElementById("c-canned");
	var state = document.getElementById("draft-state");
	var notice = document.getElementById("ticket-live");
	var last = 0, saveTimer = null, sending = false, etag = null;
	var EVERY = 20000, POLL = 5000;
	var key = form ? "csdesk-draft:" + form.getAttribute("data-number") : null;

	function token() {
		var t = form.querySelector("input[name=csrf_token]");
		return t ? t.value : "";
	}

	function post(url, fields) {
		var parts = ["csrf_token=" + encodeURIComponent(token())];
		Object.keys(fields).forEach(function (k) {
			parts.push(k + "=" + encodeURIComponent(fields[k]));
		});
		return window.fetch(url, {
			method: "POST",
			credentials: "same-origin",
			headers: { "Content-Type": "application/x-www-form-urlencoded" },
			body: parts.join("&")
		});
	}

	function visibility() {
		var v = form.querySelector("input[name=visibility]:checked");
		return v ? v.value : "public";
	}

	function beat() {
		var now = Date.now();

		if (now - last < EVERY || !window.fetch || !form.getAttribute("data-presence"))
			return;
		last = now;
		post(form.getAttribute("data-presence"), { typing: "1" })
		    .catch(function () { /* only a hint to others: never in the way */ });
	}

	function say(text) {
		if (state)
			state.textContent = text;
	}

	function keepLocal() {
		try {
			if (body.value.trim() === "")
				window.localStorage.removeItem(key);
			else
				window.localStorage.setItem(key, JSON.stringify({ body: body.value,
				    visibility: visibility(), at: Date.now() }));
		} catch (e) { /* storage full or off: the server copy still works */ }
	}

	function keepServer() {
		if (!window.fetch)
			return;
		post(form.getAttribute("data-draft"), { body: body.value, visibility: visibility() })
		    .then(function (res) {
			say(res.ok ? "Draft saved." : "The draft could not be saved on the server.");
		}).catch(function () { say("Offline: the draft is kept in this browser."); });
	}

	function typed() {
		beat();
		keepLocal();
		window.clearTimeout(saveTimer);
		saveTimer = window.setTimeout(keepServer, 1000);
	}

	function restore(text, internal, where) {
		body.value = text;
		var r = form.querySelector("input[name=visibility][value=" +
		    (internal ? "internal" : "public") + "]");
		if (r)
			r.checked = true;
		say("Draft restored from " + where + ".");
	}

	/* The box is empty (not a page that came back with text): bring the draft back. */
	function restoreDraft() {
		var local = null;
		try {
			local = JSON.parse(window.localStorage.getItem(key) || "null");
		} catch (e) { local = null; }
		if (local && local.body) {
			restore(local.body, local.visibility === "internal", "this browser");
			return;
		}
		if (!window.fetch)
			return;
		window.fetch(form.getAttribute("data-draft"), { credentials: "same-origin" })
		    .then(function (res) { return res.ok ? res.json() : null; })
		    .then(function (d) {
			if (d && d.body && body.value.trim() === "")
				restore(d.body, d.internal, "the server (" + d.updated_at + " UTC)");
		}).catch(function () { /* no draft then */ });
	}

	/* The messages of list (an ol.conversation) by their ids. */
	function ids(list) {
		var seen = {};
		Array.prototype.forEach.call(list.querySelectorAll("li[data-id]"), function (li) {
			seen[li.getAttribute("data-id")] = true;
		});
		return seen;
	}

	/*
	 * While the agent is writing, what arrived meanwhile is also shown
	 * right above the box (the conversation may be long), and said.
	 */
	function showArrived(items) {
		var box = document.getElementById("arrived");
		var list = box ? box.querySelector("ol") : null;
		if (!list || items.length === 0 || body.value.trim() === "")
			return false;
		items.forEach(function (li) { list.appendChild(li.cloneNode(true)); });
		box.hidden = false;
		notice.textContent = (items.length === 1 ? "A new message arrived" : items.length +
		    " new messages arrived") + " while you were writing: read it above the reply box.";
		return true;
	}

	/* A change by someone else: new messages go above the box, the box stays. */
	function showChanges() {
		window.fetch(window.location.href, { credentials: "same-origin" })
		    .then(function (res) { return res.ok ? res.text() : null; })
		    .then(function (html) {
			if (!html)
				return;
			var doc = new DOMParser().parseFromString(html, "text/html");
			var fresh = doc.querySelector("ol.conversation");
			var old = document.querySelector("ol.conversation");
			var had = old ? ids(old) : {}, added = [];
			if (fresh && old) {
				fresh = document.importNode(fresh, true);
				Array.prototype.forEach.call(fresh.querySelectorAll("li[data-id]"),
				    function (li) {
					if (!had[li.getAttribute("data-id")])
						added.push(li);
				});
				old.parentNode.replaceChild(fresh, old);
			}
			if (!showArrived(added))
				notice.textContent = "This ticket changed: the conversation above is up " +
				    "to date. Sending now shows you what changed first.";
		}).catch(function () { /* the next poll tries again */ });
	}

	function poll() {
		if (document.hidden || sending)
			return;
		var headers = etag ? { "If-None-Match": etag } : {};
		window.fetch(form.getAttribute("data-live"), { credentials: "same-origin",
		    headers: headers, cache: "no-store" }).then(function (res) {
			if (res.status !== 200)
				return null;
			var was = etag;
			etag = res.headers.get("ETag");
			return was && etag !== was ? res.json() : null;
		}).then(function (d) {
			if (d)
				showChanges();
		}).catch(function () { /* offline for a moment: poll again later */ });
	}

	if (form && body) {
		if (key && body.value.trim() === "")
			restoreDraft();
		body.addEventListener("input", typed);
		Array.prototype.forEach.call(form.querySelectorAll("input[name=visibility]"),
		    function (r) { r.addEventListener("change", typed); });
		form.addEventListener("submit", function () {
			sending = true;
			try { window.localStorage.removeItem(key); } catch (e) { /* nothing kept */ }
		});
		window.addEventListener("beforeunload", function (e) {
			if (sending || body.value.trim() === "")
				return undefined;
			e.preventDefault();
			e.returnValue = "";
			return "";
		});
		if (window.fetch && notice && form.getAttribute("data-live")) {
			poll();
			window.setInterval(poll, POLL);
		}
	}
	if (canned && canned.form) {
		canned.addEventListener("change", function () {
			if (!body || body.value.trim() === "" ||
			    window.confirm("Replace the text in the reply box?"))
				canned.form.submit();
		});
	}
}());
