/*
 * kb-panel.js — on a ticket page, "Use in reply" puts the article's link
 * into the reply box at the cursor and records the link in the
 * background. Without it, the button records the link and the page comes
 * back with the link to paste.
 */
(function () {
	"use strict";
	var reply = document.getElementById("r-body");

	if (!reply || !window.fetch || !window.FormData)
		return;
	Array.prototype.forEach.call(document.querySelectorAll("form.kb-use"), function (form) {
		form.addEventListener("submit", function (ev) {
			var link = form.getAttribute("data-link"), data = new FormData(form);
			var at = reply.selectionStart || reply.value.length;

			ev.preventDefault();
			reply.value = reply.value.slice(0, at) + link + reply.value.slice(at);
			reply.focus();
			reply.selectionStart = reply.selectionEnd = at + link.length;
			data.append("js", "1");
			fetch(form.action, { method: "POST", body: data, credentials: "same-origin" })
				.catch(function () {});
		});
	});
}());
