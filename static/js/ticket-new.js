/*
 * ticket-new.js — on the new-request form, the sub-topic list follows the
 * topic: only the chosen topic's sub-topics are offered, and the field is
 * hidden when it has none. Progressive enhancement: without it every
 * sub-topic is offered, grouped under its topic, and the server refuses
 * one that does not belong to the chosen topic.
 */
(function () {
	"use strict";
	var topic = document.getElementById("category");
	var sub = document.getElementById("subcategory");
	var field = document.getElementById("subcategory-field");

	if (!topic || !sub || !field)
		return;
	/* Kept while detached, put back as the topic changes. */
	var groups = Array.prototype.slice.call(sub.getElementsByTagName("optgroup"));

	function follow() {
		var chosen = topic.value, any = false, stillThere = false;
		var current = sub.value;

		groups.forEach(function (g) {
			if (g.parentNode === sub)
				sub.removeChild(g);
		});
		groups.forEach(function (g) {
			if (g.getAttribute("data-category") === chosen) {
				sub.appendChild(g);
				any = true;
				Array.prototype.forEach.call(g.getElementsByTagName("option"), function (o) {
					if (o.value === current)
						stillThere = true;
				});
			}
		});
		if (!stillThere)
			sub.value = "";
		field.hidden = !any;
	}
	topic.addEventListener("change", follow);
	follow();
})();
