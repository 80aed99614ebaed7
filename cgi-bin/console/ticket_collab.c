/*
 * ticket_collab.c — the ticket page's forms for working on it together:
 * its fields (priority, type, category, product and serial, queue, team,
 * tags), links to related tickets, merging it into another as a
 * duplicate, and the "is writing" heartbeat that static/js/ticket.js
 * sends. Routes and access (staff) are in cgi-bin/console.c; the page
 * itself is built in tickets_actions.c.
 */
#include "web/fields.h"
#include "console/handlers.h"
#include "console/ticket_page.h"
#include "core/arena.h"
#include "domain/ticket_collab.h"
#include "domain/ticket_console.h"
#include "domain/tickets.h"
#include "tmpl/tval.h"

#include <string.h>

/* The form's field per ticket field, and what to say when it is refused. */
static const struct {
	const char *name;
	const char *refused;
} field_forms[TC_FIELD__MAX] = {
	[TC_FIELD_PRIORITY] = { "priority", "Choose a priority from the list." },
	[TC_FIELD_TYPE] = { "type", "Choose a type from the list." },
	[TC_FIELD_CATEGORY] = { "category_id", "Choose a category from the list." },
	[TC_FIELD_QUEUE] = { "queue_id", "Choose a queue from the list." },
	[TC_FIELD_PRODUCT] = { "product_id", "Choose a product from the list." },
	[TC_FIELD_SERIAL] = { "serial", "A serial number is at most 100 characters on one "
	    "line." },
	[TC_FIELD_TEAM] = { "team_id", "Choose a team from the list." },
	[TC_FIELD_TAGS] = { "tags", "Tags are up to 20 words of letters, digits, - and _ "
	    "(at most 40 characters each), separated by commas." },
};

int
console_ticket_fields(struct app *app, struct req *r, struct resp *w)
{
	const char *values[TC_FIELD__MAX];
	struct ticket_view v = { 0 };
	struct ticket t;
	enum tc_field bad;
	int rc, f, changed, given = 0;

	if ((rc = console_ticket_load(app, r, &t)) != 0)
		return rc;
	for (f = 0; f < TC_FIELD__MAX; f++) {
		const char *raw = req_field(r, field_forms[f].name);

		values[f] = raw != NULL ? fields_trim(r->arena, raw) : NULL;
		if (raw != NULL && values[f] == NULL)
			return 500;
		given += values[f] != NULL;
	}
	v.status = 422;
	v.serial = values[TC_FIELD_SERIAL];
	v.tags = values[TC_FIELD_TAGS];
	if (given == 0) {
		v.error = "Change a field, then save.";
		return console_ticket_page(app, r, w, &v);
	}
	rc = ticket_console_set_fields(&app->db, r->who.id, t.id, values, &bad, &changed);
	if (rc == TC_BAD_INPUT) {
		v.error = bad < TC_FIELD__MAX ? field_forms[bad].refused : "A value was refused.";
		return console_ticket_page(app, r, w, &v);
	}
	if (rc == TC_NOT_FOUND)
		return 404;
	if (rc < 0)
		return web_db_error(app);
	resp_redirect(w, console_ticket_url(r->arena, t.number));
	if (changed == 0)
		app_flash(app, r, w, 0, "Nothing changed.");
	else
		web_flash(app, r, w, "%d field%s changed.", changed, changed == 1 ? "" : "s");
	return 0;
}

int
console_ticket_link(struct app *app, struct req *r, struct resp *w)
{
	struct ticket_view v = { 0 };
	struct ticket t;
	const char *other = console_ticket_number_field(r, "number"), *why = NULL;
	int rc;

	if ((rc = console_ticket_load(app, r, &t)) != 0)
		return rc;
	v.status = 422;
	v.link_number = req_field(r, "number");
	if (other == NULL) {
		v.error = "Give the number of the ticket to link, like TKT-000123.";
		return console_ticket_page(app, r, w, &v);
	}
	rc = collab_link_add(&app->db, r->who.id, t.id, other, &why);
	if (rc == TICKET_REFUSED) {
		v.error = why;
		return console_ticket_page(app, r, w, &v);
	}
	if (rc < 0)
		return web_db_error(app);
	resp_redirect(w, console_ticket_url(r->arena, t.number));
	web_flash(app, r, w, "Linked to %s.", other);
	return 0;
}

int
console_ticket_unlink(struct app *app, struct req *r, struct resp *w)
{
	struct ticket t;
	long long other = web_path_id(r, "id");
	int rc;

	if ((rc = console_ticket_load(app, r, &t)) != 0)
		return rc;
	if (other <= 0)
		return 404;
	rc = collab_link_remove(&app->db, r->who.id, t.id, other);
	if (rc == TICKET_NOT_FOUND)
		return 404;
	if (rc < 0)
		return web_db_error(app);
	resp_redirect(w, console_ticket_url(r->arena, t.number));
	app_flash(app, r, w, 0, "Link removed.");
	return 0;
}

int
console_ticket_merge(struct app *app, struct req *r, struct resp *w)
{
	struct ticket_view v = { 0 };
	struct ticket t;
	struct tval *ctx;
	const char *target = console_ticket_number_field(r, "target"), *why = NULL, *done;
	int rc;

	if ((rc = console_ticket_load(app, r, &t)) != 0)
		return rc;
	v.status = 422;
	v.merge_number = req_field(r, "target");
	if (target == NULL) {
		v.error = "Give the number of the ticket to merge into, like TKT-000123.";
		return console_ticket_page(app, r, w, &v);
	}
	if ((ctx = app_page(app, r, t.number)) == NULL)
		return 500;
	rc = collab_merge(&app->db, app->tmpl, r->arena, r->who.id, t.id, target, ctx,
	    app_url(app, r, "/tickets/"), &done, &why);
	if (rc == TICKET_REFUSED) {
		v.error = why;
		return console_ticket_page(app, r, w, &v);
	}
	if (rc < 0)
		return web_db_error(app);
	resp_redirect(w, console_ticket_url(r->arena, done));
	web_flash(app, r, w, "%s was merged into this ticket.", t.number);
	return 0;
}

int
console_ticket_presence(struct app *app, struct req *r, struct resp *w)
{
	const char *number = console_ticket_number(r), *typing = req_field(r, "typing");
	int rc;

	if (number == NULL)
		return 404;
	if (typing == NULL || (strcmp(typing, "1") != 0 && strcmp(typing, "0") != 0))
		return 400;
	rc = collab_presence_typing(&app->db, number, r->who.id, typing[0] == '1');
	if (rc == TICKET_NOT_FOUND)
		return 404;
	if (rc < 0)
		return web_db_error(app);
	w->status = 204;
	return 0;
}
