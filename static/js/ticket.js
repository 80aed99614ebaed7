/*
 * ticket.js — progressive enhancement for the agent's ticket page. The
 * page works without it; with it:
 *  - while the agent types a reply, a small heartbeat (POST with the
 *    form's CSRF token, at most every 20 s) tells colleagues who open the
 *    same ticket that someone is writing;
 *  - choosing a canned response inserts it at once (the chooser's GET
 *    form is submitted, so the server fills in the placeholders).
 */
(function () {
	"use strict";

	var form = document.getElementById("reply-form");
	var body = document.getElementById("r-body");
	var canned = document.getElementById("c-canned");
	var last = 0;
	var EVERY = 20000;

	function beat() {
		var now = Date.now();
		var token = form.querySelector("input[name=csrf_token]");

		if (now - last < EVERY || !token || !window.fetch)
			return;
		last = now;
		window.fetch(form.getAttribute("data-presence"), {
			method: "POST",
			credentials: "same-origin",
			headers: { "Content-Type": "application/x-www-form-urlencoded" },
			body: "csrf_token=" + encodeURIComponent(token.value) + "&typing=1"
		}).catch(function () { /* only a hint to others: never in the way */ });
	}

	if (form && body && form.getAttribute("data-presence"))
		body.addEventListener("input", beat);
	if (canned && canned.form) {
		canned.addEventListener("change", function () {
			if (!body || body.value.trim() === "" ||
			    window.confirm("Replace the text in the reply box?"))
				canned.form.submit();
		});
	}
}());
