/*
 * kb-suggest.js — on the new-ticket form, suggests help-centre articles as
 * the subject is typed. Progressive enhancement: without it, the form's
 * "Find answers first" button does the same with one round trip.
 */
(function () {
	"use strict";
	var subject = document.getElementById("subject");
	var list = document.getElementById("kb-suggest-list");
	var title = document.getElementById("kb-suggest-title");
	var token = document.getElementById("kb-token");
	var timer = null, last = "", seq = 0;

	/*
	 * Enter in the subject goes on to the description, as a person
	 * expects, instead of submitting the form through its first button
	 * ("Find answers first"), which would reload the page and lose any
	 * chosen file.
	 */
	if (subject) {
		subject.addEventListener("keydown", function (e) {
			var next = document.getElementById("description");
			if (e.key === "Enter" && !e.isComposing && next) {
				e.preventDefault();
				next.focus();
			}
		});
	}

	if (!subject || !list || !title || !token || !window.fetch)
		return;

	function show(articles) {
		while (list.firstChild)
			list.removeChild(list.firstChild);
		articles.forEach(function (a) {
			var li = document.createElement("li"), link = document.createElement("a");
			link.href = a.href;
			link.textContent = a.title;
			/* A new tab keeps what the customer has typed here. */
			link.target = "_blank";
			link.rel = "noopener";
			li.appendChild(link);
			if (a.summary) {
				var s = document.createElement("span");
				s.className = "muted";
				s.textContent = " " + a.summary;
				li.appendChild(s);
			}
			list.appendChild(li);
		});
		title.hidden = articles.length === 0;
	}

	function ask() {
		var q = subject.value.trim(), mine = ++seq;
		if (q === last || q.length < 3)
			return;
		last = q;
		fetch("/kb/suggest?q=" + encodeURIComponent(q) + "&t=" + encodeURIComponent(token.value),
			{ credentials: "same-origin", headers: { "Accept": "application/json" } })
			.then(function (r) { return r.ok ? r.json() : { articles: [] }; })
			.then(function (d) { if (mine === seq) show(d.articles || []); })
			.catch(function () {});
	}

	subject.addEventListener("input", function () {
		clearTimeout(timer);
		timer = setTimeout(ask, 300);
	});
}());
