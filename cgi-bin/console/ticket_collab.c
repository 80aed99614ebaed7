/*
 * ticket_collab.c — the ticket page's forms for working on it together:
 * its fields (priority, type, category, product and serial, queue, team,
 * tags, site), links to related tickets, merging it into another as a
 * duplicate, and the "is writing" heartbeat that static/js/ticket.js
 * sends. Routes and access (staff) are in cgi-bin/console.c; the page
 * itself is built in ticket_page.c.
 */
#include "web/fields.h"
#include "console/handlers.h"
#include "console/ticket_page.h"
#include "core/arena.h"
#include "domain/ticket_collab.h"
#include "domain/ticket_fields.h"
#include "domain/tickets.h"
#include "tmpl/tval.h"
#include "web/result.h"

#include <string.h>

/* The form's field per ticket field; values and their limits are the domain's. */
static const struct field_rule field_rules[TF__MAX] = {
	[TF_PRIORITY] = { "priority", "Priority", FIELD_TEXT, 0, 0, 0, NULL },
	[TF_TYPE] = { "type", "Type", FIELD_TEXT, 0, 0, 0, NULL },
	[TF_CATEGORY] = { "category_id", "Category", FIELD_TEXT, 0, 0, 0, NULL },
	[TF_QUEUE] = { "queue_id", "Queue", FIELD_TEXT, 0, 0, 0, NULL },
	[TF_PRODUCT] = { "product_id", "Product", FIELD_TEXT, 0, 0, 0, NULL },
	[TF_SERIAL] = { "serial", "Serial number", FIELD_TEXT, 0, 0, 0, NULL },
	[TF_TEAM] = { "team_id", "Team", FIELD_TEXT, 0, 0, 0, NULL },
	[TF_TAGS] = { "tags", "Tags", FIELD_TEXT, 0, 0, 0, NULL },
	[TF_SITE] = { "site_id", "Site", FIELD_TEXT, 0, 0, 0, NULL },
};

/* The first message fields_check recorded, in rule order. */
static const char *
first_error(const struct field_form *f, const struct field_rule *rules, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const struct tval *e = tval_get(f->errors, rules[i].name);

		if (e != NULL)
			return e->u.str.s;
	}
	return "A value was refused.";
}

int
console_ticket_fields(struct app *app, struct req *r, struct resp *w)
{
	const char *vals[TF__MAX], *values[TF__MAX], *why;
	struct ticket_view v = { 0 };
	struct field_form form;
	struct ticket t;
	enum ticket_field bad;
	enum cs_result res;
	int rc, f, changed, given = 0;

	if ((rc = console_ticket_load(app, r, &t)) != 0)
		return rc;
	if (fields_init(&form, r->arena) < 0)
		return 500;
	fields_check(&form, r, field_rules, TF__MAX, vals, NULL);
	if (form.failed)
		return 500;
	/* A field not sent stays as it is; one sent empty is cleared. */
	for (f = 0; f < TF__MAX; f++) {
		values[f] = req_field(r, field_rules[f].name) != NULL ? vals[f] : NULL;
		given += values[f] != NULL;
	}
	v.status = 422;
	v.serial = values[TF_SERIAL];
	v.tags = values[TF_TAGS];
	if (form.nerrors > 0) {
		v.error = first_error(&form, field_rules, TF__MAX);
		return console_ticket_page(app, r, w, &v);
	}
	if (given == 0) {
		v.error = "Change a field, then save.";
		return console_ticket_page(app, r, w, &v);
	}
	res = ticket_fields_set(&app->db, r->who.id, t.id, values, &bad, &changed, &why);
	if (res == CS_REFUSED) {
		v.error = why;
		return console_ticket_page(app, r, w, &v);
	}
	if (res != CS_OK)
		return web_result_status(res);
	resp_redirect(w, console_ticket_url(r->arena, t.number));
	if (changed == 0)
		app_flash(app, r, w, 0, "Nothing changed.");
	else
		web_flash(app, r, w, "%d field%s changed.", changed, changed == 1 ? "" : "s");
	return 0;
}

static const struct field_rule link_rules[] = {
	{ "number", "Ticket number", FIELD_TEXT, 0, 0, 0, NULL },
};

int
console_ticket_link(struct app *app, struct req *r, struct resp *w)
{
	struct ticket_view v = { 0 };
	struct field_form form;
	struct ticket t;
	const char *typed, *other, *why;
	enum cs_result res;
	int rc;

	if ((rc = console_ticket_load(app, r, &t)) != 0)
		return rc;
	if (fields_init(&form, r->arena) < 0)
		return 500;
	fields_check(&form, r, link_rules, 1, &typed, NULL);
	if (form.failed)
		return 500;
	v.status = 422;
	v.link_number = req_field(r, "number");
	if ((other = console_ticket_number_text(r->arena, typed)) == NULL) {
		v.error = "Give the number of the ticket to link, like TKT-000123.";
		return console_ticket_page(app, r, w, &v);
	}
	res = collab_link_add(&app->db, r->who.id, t.id, other, &why);
	if (res == CS_REFUSED) {
		v.error = why;
		return console_ticket_page(app, r, w, &v);
	}
	if (res != CS_OK)
		return web_result_status(res);
	resp_redirect(w, console_ticket_url(r->arena, t.number));
	web_flash(app, r, w, "Linked to %s.", other);
	return 0;
}

int
console_ticket_unlink(struct app *app, struct req *r, struct resp *w)
{
	struct ticket t;
	long long other = web_path_id(r, "id");
	enum cs_result res;
	int rc;

	if ((rc = console_ticket_load(app, r, &t)) != 0)
		return rc;
	if (other <= 0)
		return 404;
	if ((res = collab_link_remove(&app->db, r->who.id, t.id, other)) != CS_OK)
		return web_result_status(res);
	resp_redirect(w, console_ticket_url(r->arena, t.number));
	app_flash(app, r, w, 0, "Link removed.");
	return 0;
}

static const struct field_rule merge_rules[] = {
	{ "target", "Ticket number", FIELD_TEXT, 0, 0, 0, NULL },
};

int
console_ticket_merge(struct app *app, struct req *r, struct resp *w)
{
	struct ticket_view v = { 0 };
	struct field_form form;
	struct ticket t;
	const char *typed, *target, *why, *done;
	enum cs_result res;
	int rc;

	if ((rc = console_ticket_load(app, r, &t)) != 0)
		return rc;
	if (fields_init(&form, r->arena) < 0)
		return 500;
	fields_check(&form, r, merge_rules, 1, &typed, NULL);
	if (form.failed)
		return 500;
	v.status = 422;
	v.merge_number = req_field(r, "target");
	if ((target = console_ticket_number_text(r->arena, typed)) == NULL) {
		v.error = "Give the number of the ticket to merge into, like TKT-000123.";
		return console_ticket_page(app, r, w, &v);
	}
	res = collab_merge(&app->db, r->arena, r->who.id, t.id, target, &done, &why);
	if (res == CS_REFUSED) {
		v.error = why;
		return console_ticket_page(app, r, w, &v);
	}
	if (res != CS_OK)
		return web_result_status(res);
	resp_redirect(w, console_ticket_url(r->arena, done));
	web_flash(app, r, w, "%s was merged into this ticket.", t.number);
	return 0;
}

static const char *const typing_values[] = { "1", "0", NULL };
static const struct field_rule presence_rules[] = {
	{ "typing", "Typing", FIELD_CHOICE, 1, 0, 0, typing_values },
};

int
console_ticket_presence(struct app *app, struct req *r, struct resp *w)
{
	const char *number = console_ticket_number(r), *typing;
	struct field_form form;
	enum cs_result res;

	if (number == NULL)
		return 404;
	if (fields_init(&form, r->arena) < 0)
		return 500;
	if (fields_check(&form, r, presence_rules, 1, &typing, NULL) > 0)
		return 400;
	if (form.failed)
		return 500;
	res = collab_presence_typing(&app->db, number, r->who.id, typing[0] == '1');
	if (res != CS_OK)
		return web_result_status(res);
	w->status = 204;
	return 0;
}
