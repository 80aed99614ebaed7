/*
 * admin_canned.c — the admin pages for canned responses: the list with a
 * form to write a new one, editing one, deleting one. A body may use the
 * placeholders {{customer.name}}, {{ticket.number}}, {{ticket.subject}}
 * and {{agent.name}}; canned.c refuses one that does not compile as a
 * template, checks the limits and audits the changes. A response may
 * also be a macro: a status, a priority, tags and "take it" applied when
 * an agent sends it (ticket_submit.h). Routes and access
 * (admin only) are in cgi-bin/console.c.
 */
#include "web/fields.h"
#include "console/handlers.h"
#include "console/tickets.h"
#include "core/arena.h"
#include "domain/audit.h"
#include "domain/canned.h"
#include "domain/ticket_choices.h"
#include "domain/ticket_rules.h"
#include "tmpl/tval.h"
#include "web/result.h"

#include <string.h>

#define CANNED_URL "/agent/admin/canned"

/*
 * The body is several lines: read apart from the one-line fields. The
 * macro's parts (status, priority, tags, take) are judged by canned.c.
 */
static const struct field_rule canned_rules[] = {
	{ "title", "Title", FIELD_TEXT, 1, 0, 0, NULL },
	{ "team_id", "Team", FIELD_INT, 0, 1, 1LL << 62, NULL },
	{ "set_status", "Set the status", FIELD_TEXT, 0, 0, 40, NULL },
	{ "set_priority", "Set the priority", FIELD_TEXT, 0, 0, 40, NULL },
	{ "add_tags", "Add tags", FIELD_TEXT, 0, 0, 0, NULL },
	{ "take", "Assign to the agent who sends it", FIELD_TEXT, 0, 0, 1, NULL },
};
enum { C_TITLE, C_TEAM, C_STATUS, C_PRIORITY, C_TAGS, C_TAKE, C__MAX };
_Static_assert(sizeof(canned_rules) / sizeof(canned_rules[0]) == C__MAX, "one rule per field");

/* The team select, current selected ("" or an id); *status is 0, or the status to answer. */
static struct tval *
team_options(struct app *app, struct arena *a, const char *current, int *status)
{
	struct ticket_choices c;
	struct tval *list = tval_list(a);
	enum cs_result res = ticket_choices_get(&app->db, a, &c);
	size_t i;
	int rc = list == NULL;

	*status = res != CS_OK ? web_result_status(res) : 0;
	if (res != CS_OK)
		return NULL;
	rc |= console_tickets_option(a, list, "", "Everyone", current == NULL ||
	    *current == '\0');
	for (i = 0; i < c.nteams; i++) {
		const char *id = arena_printf(a, "%lld", c.teams[i].id);

		rc |= console_tickets_option(a, list, id, c.teams[i].name, current != NULL &&
		    id != NULL && strcmp(id, current) == 0);
	}
	return rc ? NULL : list;
}

/*
 * The macro's selects (status, priority; "" changes nothing) and the
 * take box, as status, priority and take say. 0, or -1 (out of memory).
 */
static int
macro_ctx(struct arena *a, struct tval *ctx, const char *status, const char *priority,
    int take)
{
	struct tval *st = tval_list(a), *pr = tval_list(a);
	int i, rc = st == NULL || pr == NULL;

	status = status != NULL ? status : "";
	priority = priority != NULL ? priority : "";
	rc |= console_tickets_option(a, st, "", "Leave it", *status == '\0');
	for (i = 0; !rc && canned_statuses[i] != NULL; i++)
		rc |= console_tickets_option(a, st, canned_statuses[i], ticket_status_label(
		    ticket_status_parse(canned_statuses[i]), 0), strcmp(status,
		    canned_statuses[i]) == 0);
	rc |= console_tickets_option(a, pr, "", "Leave it", *priority == '\0');
	for (i = 0; !rc && ticket_priorities[i] != NULL; i++)
		rc |= console_tickets_option(a, pr, ticket_priorities[i], ticket_priorities[i],
		    strcmp(priority, ticket_priorities[i]) == 0);
	return rc | tval_set(a, ctx, "macro_status_options", st) |
	    tval_set(a, ctx, "macro_priority_options", pr) | tval_set_bool(a, ctx, "macro_take", take);
}

/*
 * Reads the form into in: title, body (several lines, trimmed), team.
 * 0, or -1 when a field is missing or junk (its message is in f).
 */
static int
read_form(struct req *r, struct field_form *f, struct canned_input *in)
{
	const char *v[C__MAX], *raw = req_field(r, "body");
	long long nums[C__MAX];
	char *b;

	fields_check(f, r, canned_rules, C__MAX, v, nums);
	in->title = v[C_TITLE];
	in->team_id = nums[C_TEAM];
	in->set_status = v[C_STATUS];
	in->set_priority = v[C_PRIORITY];
	in->add_tags = v[C_TAGS];
	in->take = *v[C_TAKE] == '1';
	b = fields_trim(r->arena, raw != NULL ? raw : "");
	if (b == NULL) {
		f->failed = 1;
		return -1;
	}
	fields_value(f, "body", b);
	in->body = b;
	if (*b == '\0')
		fields_error(f, "body", "Text is required.");
	return f->nerrors > 0 || f->failed ? -1 : 0;
}

/* The list page, with the new-response form f under it. */
static int
list_render(struct app *app, struct req *r, struct resp *w, struct field_form *f, int status)
{
	struct tval *ctx = app_page(app, r, "Canned responses"), *list, *teams;
	struct arena *a = r->arena;
	struct canned *rows;
	size_t n, i;
	int rc = 0, dbf;
	enum cs_result res;

	if (ctx == NULL || (list = tval_list(a)) == NULL)
		return 500;
	if ((res = canned_list(&app->db, a, 0, &rows, &n)) != CS_OK)
		return web_result_status(res);
	teams = team_options(app, a, req_field(r, "team_id"), &dbf);
	if (dbf)
		return dbf;
	for (i = 0; i < n; i++) {
		struct tval *row = tval_map(a);

		rc |= tval_set_int(a, row, "id", rows[i].id);
		rc |= tval_set_str(a, row, "title", rows[i].title);
		rc |= tval_set_str(a, row, "body", utf8_short(a, rows[i].body, 120));
		rc |= tval_set_str(a, row, "team", rows[i].team);
		rc |= tval_set_str(a, row, "created_by", rows[i].created_by);
		rc |= tval_set_str(a, row, "created_at", rows[i].created_at);
		rc |= tval_push(a, list, row);
	}
	rc |= tval_set(a, ctx, "responses", list);
	rc |= tval_set(a, ctx, "team_options", teams);
	rc |= macro_ctx(a, ctx, req_field(r, "set_status"), req_field(r, "set_priority"),
	    req_field(r, "take") != NULL && strcmp(req_field(r, "take"), "1") == 0);
	rc |= fields_ctx(f, ctx);
	if (rc)
		return 500;
	w->status = status;
	return app_render(app, r, w, "console/admin/canned", ctx);
}

int
console_admin_canned(struct app *app, struct req *r, struct resp *w)
{
	struct field_form f;

	if (fields_init(&f, r->arena) < 0)
		return 500;
	return list_render(app, r, w, &f, 200);
}

int
console_admin_canned_create(struct app *app, struct req *r, struct resp *w)
{
	struct audit_entry by;
	struct field_form f;
	struct canned_input in;
	const char *why, *field;
	long long id;
	enum cs_result rc;

	if (fields_init(&f, r->arena) < 0)
		return 500;
	if (read_form(r, &f, &in) < 0)
		return f.failed ? 500 : list_render(app, r, w, &f, 422);
	web_audit_actor(r, &by);
	rc = canned_create(&app->db, r->arena, &by, r->who.id, &in, &id, &why, &field);
	if (rc == CS_REFUSED) {
		fields_error(&f, field, why);
		return list_render(app, r, w, &f, 422);
	}
	if (rc != CS_OK)
		return web_result_status(rc);
	web_flash(app, r, w, "Canned response “%s” added.", utf8_short(r->arena, in.title,
	    FLASH_NAME));
	resp_redirect(w, CANNED_URL);
	return 0;
}

/* The edit page for response id, with the form f (filled from the row when fresh). */
static int
edit_render(struct app *app, struct req *r, struct resp *w, struct field_form *f, long long id,
    int fresh, int status)
{
	struct tval *ctx, *teams;
	struct arena *a = r->arena;
	struct canned c;
	const char *team;
	int rc, dbf;
	enum cs_result res;

	if ((res = canned_get(&app->db, a, id, 0, &c)) != CS_OK)
		return web_result_status(res);
	team = c.team_id > 0 ? arena_printf(a, "%lld", c.team_id) : "";
	if (fresh) {
		fields_value(f, "title", c.title);
		fields_value(f, "body", c.body);
		fields_value(f, "add_tags", c.add_tags);
	} else {
		team = req_field(r, "team_id");
		c.set_status = req_field(r, "set_status");
		c.set_priority = req_field(r, "set_priority");
		c.take = req_field(r, "take") != NULL && strcmp(req_field(r, "take"), "1") == 0;
	}
	teams = team_options(app, a, team, &dbf);
	if (dbf)
		return dbf;
	if ((ctx = app_page(app, r, "Edit canned response")) == NULL)
		return 500;
	rc = tval_set_int(a, ctx, "id", id) | tval_set_str(a, ctx, "title", c.title) |
	    tval_set(a, ctx, "team_options", teams) | fields_ctx(f, ctx) |
	    macro_ctx(a, ctx, c.set_status, c.set_priority, c.take);
	if (rc)
		return 500;
	w->status = status;
	return app_render(app, r, w, "console/admin/canned_edit", ctx);
}

int
console_admin_canned_edit(struct app *app, struct req *r, struct resp *w)
{
	long long id = web_path_id(r, "id");
	struct field_form f;

	if (id <= 0)
		return 404;
	if (fields_init(&f, r->arena) < 0)
		return 500;
	return edit_render(app, r, w, &f, id, 1, 200);
}

int
console_admin_canned_update(struct app *app, struct req *r, struct resp *w)
{
	long long id = web_path_id(r, "id");
	struct audit_entry by;
	struct field_form f;
	struct canned_input in;
	const char *why, *field;
	enum cs_result rc;

	if (id <= 0)
		return 404;
	if (fields_init(&f, r->arena) < 0)
		return 500;
	if (read_form(r, &f, &in) < 0)
		return f.failed ? 500 : edit_render(app, r, w, &f, id, 0, 422);
	web_audit_actor(r, &by);
	rc = canned_update(&app->db, r->arena, &by, id, &in, &why, &field);
	if (rc == CS_REFUSED) {
		fields_error(&f, field, why);
		return edit_render(app, r, w, &f, id, 0, 422);
	}
	if (rc != CS_OK)
		return web_result_status(rc);
	web_flash(app, r, w, "Canned response “%s” saved.", utf8_short(r->arena, in.title,
	    FLASH_NAME));
	resp_redirect(w, CANNED_URL);
	return 0;
}

int
console_admin_canned_delete(struct app *app, struct req *r, struct resp *w)
{
	long long id = web_path_id(r, "id");
	struct audit_entry by;
	const char *title;
	enum cs_result rc;

	if (id <= 0)
		return 404;
	web_audit_actor(r, &by);
	if ((rc = canned_delete(&app->db, r->arena, &by, id, &title)) != CS_OK)
		return web_result_status(rc);
	web_flash(app, r, w, "Canned response “%s” deleted.", utf8_short(r->arena, title,
	    FLASH_NAME));
	resp_redirect(w, CANNED_URL);
	return 0;
}
