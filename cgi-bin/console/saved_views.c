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
#include "domain/ticket_filter.h"
#include "tmpl/tval.h"
#include "web/result.h"

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

/*
 * Checks a query string as the list page would read it and gives back the
 * form to store in *out. Returns NULL, or why it is refused; *out is NULL
 * after running out of memory.
 */
static const char *
check_query(struct req *r, const char *raw, const char **out)
{
	struct req view;
	struct tl_filter f;
	const char *why;

	*out = NULL;
	if (*raw == '?')
		raw++;
	memset(&view, 0, sizeof(view));
	view.arena = r->arena;
	view.who = r->who;
	form_init(&view.query_form);
	if (form_parse_urlencoded(r->arena, raw, strlen(raw), &form_default_limits,
	    &view.query_form) != FORM_OK || console_tickets_filter(&view, &f) < 0)
		return "Those are not filters of the ticket list.";
	/* A page position is left out of what is stored, so it is not checked. */
	f.after = NULL;
	if (tl_filter_check(&f, &why) != CS_OK)
		return why;
	*out = canonical(r->arena, &view.query_form);
	return NULL;
}

int
console_saved_views_ctx(struct app *app, struct req *r, struct tval *ctx)
{
	struct saved_view *v;
	size_t n;
	enum cs_result res = saved_views_list(&app->db, r->arena, r->who.id, &v, &n);

	if (res != CS_OK)
		return web_result_status(res);
	return console_saved_views_put(r, ctx, v, n);
}

int
console_saved_views_put(struct req *r, struct tval *ctx, const struct saved_view *v, size_t n)
{
	struct arena *a = r->arena;
	struct tval *list = tval_list(a);
	const char *query = canonical(a, &r->query_form);
	size_t i;
	int rc = list == NULL || query == NULL;

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
	enum cs_result res;

	if (ctx == NULL || (list = tval_list(a)) == NULL || fields_init(&empty, a) < 0)
		return 500;
	if ((res = saved_views_list(&app->db, a, r->who.id, &v, &n)) != CS_OK)
		return web_result_status(res);
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

/* The name's limits are the domain's (saved_views.h). */
static const struct field_rule view_rules[] = {
	{ "name", "Name", FIELD_TEXT, 1, 0, 0, NULL },
	{ "shared", "Shared", FIELD_TEXT, 0, 0, 0, NULL },
	{ "query", "Filters", FIELD_TEXT, 0, 0, 0, NULL },
};
enum { V_NAME, V_SHARED, V_QUERY, V__MAX };
_Static_assert(sizeof(view_rules) / sizeof(view_rules[0]) == V__MAX, "one rule per field");

/* What a refused or taken save says next to the name. */
#define NAME_TAKEN "You already have a view of that name."

int
console_view_create(struct app *app, struct req *r, struct resp *w)
{
	struct views_failure vf = { 0 };
	struct field_form f;
	const char *v[V__MAX], *query, *why, *field;
	long long id;
	int shared;
	enum cs_result rc;

	if (fields_init(&f, r->arena) < 0)
		return 500;
	vf.f = &f;
	fields_check(&f, r, view_rules, V__MAX, v, NULL);
	shared = strcmp(v[V_SHARED], "1") == 0;
	fields_value(&f, "shared", shared ? "1" : "");
	if ((why = check_query(r, v[V_QUERY], &query)) != NULL)
		fields_error(&f, "query", why);
	else if (query == NULL)
		return 500;
	if (f.failed)
		return 500;
	if (f.nerrors)
		return views_render(app, r, w, &vf, 422);
	rc = saved_view_create(&app->db, r->who.id, v[V_NAME], query, shared, &id, &why, &field);
	if (rc == CS_TAKEN || rc == CS_REFUSED) {
		fields_error(&f, rc == CS_TAKEN ? "name" : field, rc == CS_TAKEN ? NAME_TAKEN : why);
		return views_render(app, r, w, &vf, 422);
	}
	if (rc != CS_OK)
		return web_result_status(rc);
	web_flash(app, r, w, "The view “%s” was saved.", utf8_short(r->arena, v[V_NAME],
	    FLASH_NAME));
	resp_redirect(w, *query ? arena_printf(r->arena, "/agent/tickets?%s", query) :
	    "/agent/tickets");
	return 0;
}

int
console_view_open(struct app *app, struct req *r, struct resp *w)
{
	long long id = web_path_id(r, "id");
	struct saved_view v;
	enum cs_result rc;

	if (id <= 0)
		return 404;
	if ((rc = saved_view_get(&app->db, r->arena, r->who.id, id, &v)) != CS_OK)
		return web_result_status(rc);
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
	const char *v[V__MAX], *why, *typed = req_field(r, "name");
	enum cs_result rc;

	if (id <= 0)
		return 404;
	if (fields_init(&f, r->arena) < 0)
		return 500;
	fields_check(&f, r, view_rules, V_SHARED + 1, v, NULL);
	if (f.failed)
		return 500;
	if (f.nerrors == 0) {
		rc = saved_view_update(&app->db, r->who.id, id, v[V_NAME],
		    strcmp(v[V_SHARED], "1") == 0, &why);
		if (rc == CS_OK) {
			web_flash(app, r, w, "The view “%s” was saved.",
			    utf8_short(r->arena, v[V_NAME], FLASH_NAME));
			resp_redirect(w, VIEWS_URL);
			return 0;
		}
		if (rc != CS_TAKEN && rc != CS_REFUSED)
			return web_result_status(rc);
		fields_error(&f, "name", rc == CS_TAKEN ? NAME_TAKEN : why);
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
	enum cs_result rc;

	if (id <= 0)
		return 404;
	if ((rc = saved_view_delete(&app->db, r->who.id, id)) != CS_OK)
		return web_result_status(rc);
	web_flash(app, r, w, "The view was deleted.");
	resp_redirect(w, VIEWS_URL);
	return 0;
}
