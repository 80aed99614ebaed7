/*
 * shortcuts.js — single-key shortcuts for the console, loaded only when
 * the agent has them on (Your settings; WCAG 2.1.4). None fires while the
 * focus is in a field, with a modifier key held, or inside the help
 * overlay but Escape. The list is templates/partials/shortcut_list.mustache
 * (also the page /agent/shortcuts).
 *
 * Anywhere: ? help, / search, g i tickets, g v views.
 * List (#queue): j/k move, Enter or o open, x select.
 * Ticket (#reply-form): r reply, i internal note, a assign to me, s status,
 * n next ticket, u back to the list; Ctrl+Enter in the reply form sends.
 */
(function () {
	"use strict";

	var help = document.getElementById("shortcut-help");
	var rows = [];
	var at = -1;
	var pendingG = 0;
	var opener = null;

	function typing(el) {
		if (!el || el === document.body)
			return false;
		var tag = el.tagName;
		return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || el.isContentEditable;
	}

	function go(url) { window.location.assign(url); }

	function showHelp() {
		if (!help) {
			go("/agent/shortcuts");
			return;
		}
		opener = document.activeElement;
		help.hidden = false;
		var close = help.querySelector("[data-close]");
		if (close)
			close.focus();
	}

	function hideHelp() {
		if (!help || help.hidden)
			return false;
		help.hidden = true;
		if (opener && opener.focus)
			opener.focus();
		return true;
	}

	if (help) {
		help.addEventListener("click", function (e) {
			if (e.target === help || (e.target.hasAttribute && e.target.hasAttribute("data-close")))
				hideHelp();
		});
	}

	/* The list: the row links, in order; the current one is marked. */
	function listRows() {
		var q = document.getElementById("queue");
		return q ? Array.prototype.slice.call(q.querySelectorAll("tr.row-link")) : [];
	}

	function move(by) {
		rows = listRows();
		if (rows.length === 0)
			return;
		if (at >= 0 && rows[at])
			rows[at].classList.remove("row-current");
		at = Math.max(0, Math.min(rows.length - 1, at + by));
		rows[at].classList.add("row-current");
		var link = rows[at].querySelector("a.row-main");
		if (link)
			link.focus();
	}

	function currentRow() {
		rows = listRows();
		var f = document.activeElement;
		var tr = f && f.closest ? f.closest("tr.row-link") : null;
		return tr || (at >= 0 ? rows[at] : null);
	}

	function ticketKey(k) {
		var form = document.getElementById("reply-form");
		if (!form)
			return false;
		var body = document.getElementById("r-body");
		var radio;
		switch (k) {
		case "r":
		case "i":
			radio = form.querySelector("input[name=visibility][value=" +
			    (k === "r" ? "public" : "internal") + "]");
			if (radio)
				radio.checked = true;
			if (body)
				body.focus();
			return true;
		case "a":
			var take = form.querySelector("input[name=take]");
			if (take) {
				take.checked = true;
				take.focus();
			}
			return true;
		case "s":
			var then = document.getElementById("r-then");
			if (then)
				then.focus();
			return true;
		case "n":
		case "p":
		case "u":
			var link = document.querySelector(".ticket-nav [data-key=" + k + "]");
			if (link)
				go(link.href);
			return true;
		}
		return false;
	}

	function listKey(k) {
		if (!document.getElementById("queue"))
			return false;
		var tr, box, link;
		switch (k) {
		case "j": move(1); return true;
		case "k": move(-1); return true;
		case "o":
		case "Enter":
			tr = currentRow();
			link = tr ? tr.querySelector("a.row-main") : null;
			if (!link)
				return false;
			go(link.href);
			return true;
		case "x":
			tr = currentRow();
			box = tr ? tr.querySelector("input[type=checkbox]") : null;
			if (box)
				box.checked = !box.checked;
			return !!box;
		}
		return false;
	}

	document.addEventListener("keydown", function (e) {
		var k = e.key;

		if (k === "Escape") {
			if (hideHelp()) {
				e.preventDefault();
				return;
			}
			if (typing(document.activeElement))
				document.activeElement.blur();
			return;
		}
		/* Ctrl+Enter (or Cmd+Enter) anywhere in the reply form sends it. */
		if (k === "Enter" && (e.ctrlKey || e.metaKey) && document.activeElement &&
		    document.activeElement.closest && document.activeElement.closest("#reply-form")) {
			var send = document.querySelector("#reply-form button[type=submit]");
			if (send) {
				e.preventDefault();
				send.click();
			}
			return;
		}
		if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target) || (help && !help.hidden))
			return;
		if (pendingG) {
			pendingG = 0;
			if (k === "i") { e.preventDefault(); go("/agent/tickets"); return; }
			if (k === "v") { e.preventDefault(); go("/agent/views"); return; }
		}
		if (k === "g") { pendingG = 1; window.setTimeout(function () { pendingG = 0; }, 1500); return; }
		if (k === "?") { e.preventDefault(); showHelp(); return; }
		if (k === "/") {
			var search = document.getElementById("f-q");
			e.preventDefault();
			if (search)
				search.focus();
			else
				go("/agent/tickets#f-q");
			return;
		}
		/* Enter on a link is the browser's own; only take it on a list row. */
		if (k === "Enter" && !(document.activeElement && document.activeElement.closest &&
		    document.activeElement.closest("tr.row-link") && document.activeElement.tagName !== "A"))
			return;
		if (listKey(k) || ticketKey(k))
			e.preventDefault();
	});
}());
