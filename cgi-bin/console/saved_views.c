/*
 * saved_views.c — an agent's saved ticket-list views: GET /agent/views
 * (manage), POST /agent/views (save), GET /agent/views/{id} (open: back to
 * the list with the saved filters), POST /agent/views/{id} (rename,
 * share), POST /agent/views/{id}/delete. Another agent's view is a 404,
 * whatever the id. Routes and access (staff) are in cgi-bin/console.c.
 *
 * A query string is stored only after the list page's own filter parser
 * (console_tickets_filter) accepted it and the words in it are ones the
 * list knows; what is stored is rebuilt from the accepted parameters
 * alone, so a saved view never carries a page position or anything else.
 */
#include "web/fields.h"
#include "console/handlers.h"
#include "console/saved_views.h"
#include "console/tickets.h"
#include "core/arena.h"
#include "domain/saved_views.h"
#include "domain/ticket_console.h"
#include "domain/ticket_rules.h"
#include "tmpl/tval.h"

#include <ctype.h>
#include <string.h>

#define VIEWS_URL "/agent/views"

/* The list filters of form as a query string, in the list's own order ("" for none). */
static const char *
canonical(struct arena *a, const struct form *form)
{
	struct buf b;
	size_t i;

	buf_init(&b, a);
	buf_addstr(&b, "");
	for (i = 0; i < CONSOLE_TICKETS_NPARAMS; i++) {
		const char *v = form_get(form, console_tickets_params[i]);

		if (v == NULL || *v == '\0')
			continue;
		buf_printf(&b, "%s%s=", b.len ? "&" : "", console_tickets_params[i]);
		url_encode(&b, v);
	}
	return buf_failed(&b) ? NULL : b.buf;
}

/* "2026-01-31" or "". */
static int
date_ok(const char *s)
{
	size_t i;

	if (*s == '\0')
		return 1;
	if (strlen(s) != 10)
		return 0;
	for (i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? s[i] != '-' : !isdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

/*
 * Checks a query string as the list page would read it and gives back the
 * form to store in *out. Returns NULL, or why it is refused; *out is NULL
 * after running out of memory.
 */
static const char *
check_query(struct req *r, const char *raw, const char **out)
{
	struct req view;
	struct tc_filter f;
	const char *dates[4];
	size_t i;

	*out = NULL;
	if (raw == NULL)
		raw = "";
	if (*raw == '?')
		raw++;
	if (strlen(raw) > SAVED_VIEW_QUERY_MAX)
		return "The filters are too long to save.";
	memset(&view, 0, sizeof(view));
	view.arena = r->arena;
	view.who = r->who;
	form_init(&view.query_form);
	if (form_parse_urlencoded(r->arena, raw, strlen(raw), &form_default_limits,
	    &view.query_form) != FORM_OK || console_tickets_filter(&view, &f) < 0)
		return "Those are not filters of the ticket list.";
	if (f.status[0] != '\0' && strcmp(f.status, "open") != 0 &&
	    ticket_status_parse(f.status) == TS__MAX)
		return "Unknown status in the filters.";
	if ((f.priority[0] != '\0' && !ticket_word_valid(ticket_priorities, f.priority)) ||
	    (f.channel[0] != '\0' && !ticket_word_valid(ticket_channels, f.channel)))
		return "Unknown priority or channel in the filters.";
	dates[0] = f.created_from;
	dates[1] = f.created_to;
	dates[2] = f.updated_from;
	dates[3] = f.updated_to;
	for (i = 0; i < 4; i++)
		if (!date_ok(dates[i]))
			return "Dates in the filters must look like 2026-01-31.";
	*out = canonical(r->arena, &view.query_form);
	return NULL;
}

int
console_saved_views_ctx(struct app *app, struct req *r, struct tval *ctx)
{
	struct arena *a = r->arena;
	struct saved_view *v;
	struct tval *list = tval_list(a);
	const char *query = canonical(a, &r->query_form);
	size_t n, i;
	int rc = list == NULL || query == NULL;

	if (saved_views_list(&app->db, a, r->who.id, &v, &n) < 0)
		return web_db_error(app);
	for (i = 0; i < n && !rc; i++) {
		struct tval *m = tval_map(a);

		rc |= tval_set_int(a, m, "id", v[i].id);
		rc |= tval_set_str(a, m, "name", v[i].name);
		rc |= tval_set_bool(a, m, "own", v[i].own);
		rc |= tval_set_bool(a, m, "shared", v[i].shared);
		rc |= tval_set_str(a, m, "owner", v[i].owner);
		/* The list page shows this view's filters right now. */
		rc |= tval_set_bool(a, m, "current", *query != '\0' &&
		    strcmp(query, v[i].query) == 0);
		rc |= tval_push(a, list, m);
	}
	if (rc)
		return 500;
	rc |= tval_set(a, ctx, "saved_views", list);
	rc |= tval_set_bool(a, ctx, "has_saved_views", n > 0);
	rc |= tval_set_str(a, ctx, "view_query", query);
	return rc ? 500 : 0;
}

/*
 * The manage page. After a failed save, f holds what was typed (name,
 * query, shared) and its messages; after a failed rename, row_id names the
 * row that shows row_name and row_error.
 */
struct views_failure {
	struct field_form *f;
	long long row_id;
	const char *row_name, *row_error;
};

static int
views_render(struct app *app, struct req *r, struct resp *w, const struct views_failure *vf,
    int status)
{
	struct tval *ctx = app_page(app, r, "Saved views"), *list;
	struct arena *a = r->arena;
	struct saved_view *v;
	struct field_form empty;
	size_t n, i;
	int rc = 0;

	if (ctx == NULL || (list = tval_list(a)) == NULL || fields_init(&empty, a) < 0)
		return 500;
	if (saved_views_list(&app->db, a, r->who.id, &v, &n) < 0)
		return web_db_error(app);
	for (i = 0; i < n; i++) {
		struct tval *m = tval_map(a);
		int failed = vf->row_id == v[i].id;

		rc |= tval_set_int(a, m, "id", v[i].id);
		rc |= tval_set_str(a, m, "name", v[i].name);
		rc |= tval_set_str(a, m, "value", failed ? vf->row_name : v[i].name);
		rc |= tval_set_str(a, m, "query", v[i].query);
		rc |= tval_set_bool(a, m, "own", v[i].own);
		rc |= tval_set_bool(a, m, "shared", v[i].shared);
		rc |= tval_set_str(a, m, "owner", v[i].owner);
		if (failed)
			rc |= tval_set_str(a, m, "error", vf->row_error);
		rc |= tval_push(a, list, m);
	}
	rc |= tval_set(a, ctx, "views", list);
	rc |= fields_ctx(vf->f != NULL ? vf->f : &empty, ctx);
	if (vf->row_error != NULL)
		rc |= tval_set_bool(a, ctx, "has_errors", 1);
	if (rc)
		return 500;
	w->status = status;
	return app_render(app, r, w, "console/views", ctx);
}

int
console_views(struct app *app, struct req *r, struct resp *w)
{
	struct views_failure none = { 0 };

	return views_render(app, r, w, &none, 200);
}

static const struct field_rule name_rule[] = {
	{ "name", "Name", FIELD_TEXT, 1, 1, SAVED_VIEW_NAME_MAX, NULL },
};

/* The shared checkbox: on when sent as "1". */
static int
shared_posted(const struct req *r)
{
	const char *v = req_field(r, "shared");

	return v != NULL && strcmp(v, "1") == 0;
}

int
console_view_create(struct app *app, struct req *r, struct resp *w)
{
	struct views_failure vf = { 0 };
	struct field_form f;
	const char *name, *query, *why;
	int shared = shared_posted(r);
	long long id;

	if (fields_init(&f, r->arena) < 0)
		return 500;
	vf.f = &f;
	fields_check(&f, r, name_rule, 1, &name, NULL);
	fields_value(&f, "query", req_field(r, "query"));
	fields_value(&f, "shared", shared ? "1" : "");
	if ((why = check_query(r, req_field(r, "query"), &query)) != NULL)
		fields_error(&f, "query", why);
	else if (query == NULL)
		return 500;
	if (f.failed)
		return 500;
	if (f.nerrors)
		return views_render(app, r, w, &vf, 422);
	id = saved_view_create(&app->db, r->who.id, name, query, shared);
	if (id == SAVED_VIEW_TAKEN || id == SAVED_VIEW_FULL) {
		fields_error(&f, "name", id == SAVED_VIEW_TAKEN ?
		    "You already have a view of that name." :
		    "You have as many saved views as one person may keep: delete one first.");
		return views_render(app, r, w, &vf, 422);
	}
	if (id < 0)
		return web_db_error(app);
	web_flash(app, r, w, "The view “%s” was saved.", utf8_short(r->arena, name, FLASH_NAME));
	resp_redirect(w, *query ? arena_printf(r->arena, "/agent/tickets?%s", query) :
	    "/agent/tickets");
	return 0;
}

int
console_view_open(struct app *app, struct req *r, struct resp *w)
{
	long long id = web_path_id(r, "id");
	struct saved_view v;
	int rc;

	if (id <= 0)
		return 404;
	rc = saved_view_get(&app->db, r->arena, r->who.id, id, &v);
	if (rc < 0)
		return web_db_error(app);
	if (rc == 0)
		return 404;
	resp_redirect(w, *v.query ? arena_printf(r->arena, "/agent/tickets?%s", v.query) :
	    "/agent/tickets");
	return 0;
}

int
console_view_update(struct app *app, struct req *r, struct resp *w)
{
	long long id = web_path_id(r, "id");
	struct views_failure vf = { 0 };
	struct field_form f;
	const char *name, *typed = req_field(r, "name");
	int rc;

	if (id <= 0)
		return 404;
	if (fields_init(&f, r->arena) < 0)
		return 500;
	fields_check(&f, r, name_rule, 1, &name, NULL);
	if (f.failed)
		return 500;
	if (f.nerrors == 0) {
		rc = saved_view_update(&app->db, r->who.id, id, name, shared_posted(r));
		if (rc == SAVED_VIEW_NOT_FOUND)
			return 404;
		if (rc == 0) {
			web_flash(app, r, w, "The view “%s” was saved.",
			    utf8_short(r->arena, name, FLASH_NAME));
			resp_redirect(w, VIEWS_URL);
			return 0;
		}
		if (rc != SAVED_VIEW_TAKEN)
			return web_db_error(app);
		fields_error(&f, "name", "You already have a view of that name.");
	}
	/* The row shows what was typed and why it was not saved. */
	vf.row_id = id;
	vf.row_name = typed != NULL ? typed : "";
	vf.row_error = tval_get(f.errors, "name")->u.str.s;
	return views_render(app, r, w, &vf, 422);
}

int
console_view_delete(struct app *app, struct req *r, struct resp *w)
{
	long long id = web_path_id(r, "id");
	int rc;

	if (id <= 0)
		return 404;
	rc = saved_view_delete(&app->db, r->who.id, id);
	if (rc == SAVED_VIEW_NOT_FOUND)
		return 404;
	if (rc < 0)
		return web_db_error(app);
	web_flash(app, r, w, "The view was deleted.");
	resp_redirect(w, VIEWS_URL);
	return 0;
}
