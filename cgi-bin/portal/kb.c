/*
 * kb.c — the knowledge base in the portal: GET /kb, GET /kb/search,
 * GET /kb/suggest (the new-ticket form's suggestions, JSON),
 * GET /kb/{category-slug}; and the section of the new-ticket form that
 * suggests articles (portal_kb_ticket_form). An article's own pages are
 * in kb_article.c.
 *
 * No sign-in is needed for public articles. Signed-in customers also read
 * those for customers; internal articles and unpublished ones are not
 * found (404). An article for customers asks a visitor to sign in.
 */
#include "portal/kb_pages.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/form.h"
#include "domain/kb.h"
#include "domain/kb_query.h"
#include "domain/kb_search.h"
#include "domain/kb_views.h"
#include "tmpl/tval.h"
#include "web/fields.h"
#include "web/result.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KB_PAGE 10
#define KB_SUGGESTIONS 5
#define KB_POPULAR 6
#define KB_SEARCH_PAGES 1000

enum kb_audience
portal_kb_reader(const struct req *r)
{
	return r->who.kind == WHO_CUSTOMER ? KB_CUSTOMER : KB_VISITOR;
}

struct tval *
portal_kb_refs(struct arena *a, const struct kb_article_ref *rows, size_t n, const char *token)
{
	struct tval *list = tval_list(a);
	size_t i;

	for (i = 0; list != NULL && i < n; i++) {
		struct tval *m = tval_map(a);

		tval_set_str(a, m, "title", rows[i].title);
		tval_set_str(a, m, "summary", rows[i].summary);
		tval_set_str(a, m, "type", kb_type_label(rows[i].type));
		tval_set_str(a, m, "category", rows[i].category_name);
		tval_set_str(a, m, "category_href", arena_printf(a, "/kb/%s",
		    rows[i].category_slug));
		tval_set_str(a, m, "updated", rows[i].updated);
		tval_set_str(a, m, "href", token ? arena_printf(a, "/kb/a/%s?t=%s", rows[i].slug,
		    token) : arena_printf(a, "/kb/a/%s", rows[i].slug));
		if (rows[i].snippet != NULL)
			tval_set(a, m, "snippet", tval_str(a, rows[i].snippet));
		tval_push(a, list, m);
	}
	return list;
}

/* A select option's indentation: spaces collapse in HTML, dashes do not. */
static const char *
indent(struct arena *a, int depth)
{
	static const char dashes[] = "— — — — — — — — ";

	if (depth <= 0)
		return "";
	if (depth > 4)
		depth = 4;
	return arena_strndup(a, dashes, (size_t)depth * strlen("— "));
}

/* Categories as a flat list in tree order; depth gives the indentation. */
static struct tval *
category_list(struct arena *a, const struct kb_category *c, size_t n, long long selected)
{
	struct tval *list = tval_list(a);
	size_t i;

	for (i = 0; list != NULL && i < n; i++) {
		struct tval *m = tval_map(a);

		tval_set_int(a, m, "id", c[i].id);
		tval_set_str(a, m, "name", c[i].name);
		tval_set_str(a, m, "description", c[i].description);
		tval_set_str(a, m, "href", arena_printf(a, "/kb/%s", c[i].slug));
		tval_set_int(a, m, "articles", c[i].articles);
		tval_set_bool(a, m, "top", c[i].depth == 0);
		tval_set_str(a, m, "indent", indent(a, c[i].depth));
		tval_set_bool(a, m, "selected", c[i].id == selected);
		tval_push(a, list, m);
	}
	return list;
}

static struct tval *
type_list(struct arena *a, const char *selected)
{
	static const char *const ids[] = {
#define TYPE_ID(t, l) t,
		KB_TYPES(TYPE_ID)
#undef TYPE_ID
	};
	struct tval *list = tval_list(a);
	size_t i;

	for (i = 0; list != NULL && i < sizeof(ids) / sizeof(ids[0]); i++) {
		struct tval *m = tval_map(a);

		tval_set_str(a, m, "value", ids[i]);
		tval_set_str(a, m, "label", kb_type_label(ids[i]));
		tval_set_bool(a, m, "selected", selected != NULL && strcmp(selected, ids[i]) == 0);
		tval_push(a, list, m);
	}
	return list;
}

int
portal_kb(struct app *app, struct req *r, struct resp *w)
{
	struct tval *ctx = app_page(app, r, "Help centre"), *tops;
	struct kb_category *cats;
	struct kb_article_ref *pop;
	size_t nc, np, i;
	enum cs_result rc;

	if (ctx == NULL || (tops = tval_list(r->arena)) == NULL)
		return 500;
	if ((rc = kb_categories(&app->db, r->arena, portal_kb_reader(r), 1, &cats, &nc)) != CS_OK ||
	    (rc = kb_popular(&app->db, r->arena, portal_kb_reader(r), KB_POPULAR, &pop, &np)) !=
	    CS_OK)
		return web_result_status(rc);
	/* The front page: each top-level category with its subcategories. */
	for (i = 0; i < nc; i++) {
		struct tval *m, *kids;
		long long total = cats[i].articles;
		size_t k;

		if (cats[i].depth != 0)
			continue;
		if ((m = tval_map(r->arena)) == NULL || (kids = tval_list(r->arena)) == NULL)
			return 500;
		for (k = i + 1; k < nc && cats[k].depth > 0; k++) {
			struct tval *kid = tval_map(r->arena);

			total += cats[k].articles;
			if (cats[k].depth != 1)
				continue;
			tval_set_str(r->arena, kid, "name", cats[k].name);
			tval_set_str(r->arena, kid, "href", arena_printf(r->arena, "/kb/%s",
			    cats[k].slug));
			tval_push(r->arena, kids, kid);
		}
		tval_set_str(r->arena, m, "name", cats[i].name);
		tval_set_str(r->arena, m, "description", cats[i].description);
		tval_set_str(r->arena, m, "href", arena_printf(r->arena, "/kb/%s", cats[i].slug));
		tval_set_int(r->arena, m, "articles", total);
		tval_set(r->arena, m, "children", kids);
		tval_set_bool(r->arena, m, "has_children", tval_truthy(kids));
		tval_push(r->arena, tops, m);
	}
	tval_set(r->arena, ctx, "tops", tops);
	tval_set(r->arena, ctx, "categories", category_list(r->arena, cats, nc, 0));
	tval_set(r->arena, ctx, "popular", portal_kb_refs(r->arena, pop, np, NULL));
	tval_set_bool(r->arena, ctx, "has_popular", np > 0);
	tval_set(r->arena, ctx, "types", type_list(r->arena, NULL));
	return app_render(app, r, w, "portal/kb/index", ctx);
}

static const char *
encoded(struct arena *a, const char *s)
{
	struct buf b;

	buf_init(&b, a);
	url_encode(&b, s);
	return buf_failed(&b) ? NULL : b.buf;
}

int
portal_kb_search(struct app *app, struct req *r, struct resp *w)
{
	struct tval *ctx = app_page(app, r, "Search the help centre");
	const char *q = kb_query_normalise(r->arena, req_query(r, "q"));
	const char *type = req_query(r, "type"), *token = NULL;
	long long category = 0, page = 0;
	struct kb_search s = { 0 };
	struct kb_results res;
	struct kb_category *cats;
	size_t nc;
	enum cs_result rc;

	if (ctx == NULL || q == NULL)
		return 500;
	if (type != NULL && type[0] != '\0' && !kb_type_valid(type))
		type = NULL;
	if (web_query_key(r, "category", &category) < 0)
		return app_bad_query(app, r, w, "category", NULL, NULL);
	if (web_query_key(r, "page", &page) < 0 || page > KB_SEARCH_PAGES)
		return app_bad_query(app, r, w, "page", NULL, NULL);
	if (page == 0)
		page = 1;
	s.q = q;
	s.category_id = category;
	s.type = type;
	s.aud = portal_kb_reader(r);
	s.limit = KB_PAGE;
	s.offset = (int)((page - 1) * KB_PAGE);
	/* The first page's search is recorded by its own statement; its
	 * results' links carry the token, so that an article opened counts. */
	if (q[0] != '\0' && page == 1) {
		if ((token = kb_search_token(r->arena)) == NULL)
			return 500;
		s.record_token = token;
		s.record_source = "portal";
	}
	if ((rc = kb_search_run(&app->db, r->arena, &s, &res)) != CS_OK ||
	    (rc = kb_categories_kept(&app->db, r->arena, res.categories_version, &cats, &nc)) !=
	    CS_OK)
		return web_result_status(rc);
	tval_set_str(r->arena, ctx, "q", q);
	tval_set_bool(r->arena, ctx, "searched", q[0] != '\0');
	tval_set(r->arena, ctx, "categories", category_list(r->arena, cats, nc, category));
	tval_set(r->arena, ctx, "types", type_list(r->arena, type));
	tval_set(r->arena, ctx, "results", portal_kb_refs(r->arena, res.rows, res.n, token));
	tval_set_bool(r->arena, ctx, "has_results", res.n > 0);
	tval_set_int(r->arena, ctx, "total", res.total);
	tval_set_bool(r->arena, ctx, "one", res.total == 1);
	tval_set_bool(r->arena, ctx, "more", res.more);
	if (res.corrected != NULL)
		tval_set_str(r->arena, ctx, "corrected", res.corrected);
	tval_set_bool(r->arena, ctx, "any_word", res.any_word);
	tval_set_str(r->arena, ctx, "ticket_href", arena_printf(r->arena,
	    "/tickets/new?subject=%s", encoded(r->arena, q)));
	if (res.total > (long long)(page * KB_PAGE))
		tval_set_str(r->arena, ctx, "next", arena_printf(r->arena,
		    "/kb/search?q=%s&category=%lld&type=%s&page=%lld", encoded(r->arena, q),
		    category, type ? type : "", page + 1));
	if (page > 1)
		tval_set_str(r->arena, ctx, "prev", arena_printf(r->arena,
		    "/kb/search?q=%s&category=%lld&type=%s&page=%lld", encoded(r->arena, q),
		    category, type ? type : "", page - 1));
	return app_render(app, r, w, "portal/kb/search", ctx);
}

int
portal_kb_category(struct app *app, struct req *r, struct resp *w)
{
	struct kb_category cat, *path, *all;
	struct kb_article_ref *rows;
	size_t np, na, n, i;
	struct tval *ctx, *crumbs, *subs;
	enum cs_result rc = kb_category_by_slug(&app->db, r->arena, req_param(r, "slug"), &cat);

	if (rc != CS_OK)
		return web_result_status(rc);
	if ((ctx = app_page(app, r, cat.name)) == NULL || (crumbs = tval_list(r->arena)) == NULL ||
	    (subs = tval_list(r->arena)) == NULL)
		return 500;
	if ((rc = kb_category_path(&app->db, r->arena, cat.id, &path, &np)) != CS_OK ||
	    (rc = kb_categories(&app->db, r->arena, portal_kb_reader(r), 1, &all, &na)) != CS_OK ||
	    (rc = kb_category_articles(&app->db, r->arena, portal_kb_reader(r), cat.id, &rows,
	    &n)) != CS_OK)
		return web_result_status(rc);
	for (i = 0; i + 1 < np; i++) {
		struct tval *m = tval_map(r->arena);

		tval_set_str(r->arena, m, "name", path[i].name);
		tval_set_str(r->arena, m, "href", arena_printf(r->arena, "/kb/%s", path[i].slug));
		tval_push(r->arena, crumbs, m);
	}
	for (i = 0; i < na; i++) {
		struct tval *m;

		if (all[i].parent_id != cat.id)
			continue;
		m = tval_map(r->arena);
		tval_set_str(r->arena, m, "name", all[i].name);
		tval_set_str(r->arena, m, "description", all[i].description);
		tval_set_int(r->arena, m, "articles", all[i].articles);
		tval_set_str(r->arena, m, "href", arena_printf(r->arena, "/kb/%s", all[i].slug));
		tval_push(r->arena, subs, m);
	}
	tval_set(r->arena, ctx, "crumbs", crumbs);
	tval_set_str(r->arena, ctx, "name", cat.name);
	tval_set_str(r->arena, ctx, "description", cat.description);
	tval_set_int(r->arena, ctx, "category_id", cat.id);
	tval_set(r->arena, ctx, "subcategories", subs);
	tval_set_bool(r->arena, ctx, "has_subcategories", tval_truthy(subs));
	tval_set(r->arena, ctx, "articles", portal_kb_refs(r->arena, rows, n, NULL));
	tval_set_bool(r->arena, ctx, "has_articles", n > 0);
	return app_render(app, r, w, "portal/kb/category", ctx);
}

/*
 * The new-ticket form's script asks here as the subject is typed: the top
 * articles as JSON, links carrying the form's token so that opening one is
 * recorded; the search is recorded under that token (one row per form).
 */
int
portal_kb_suggest(struct app *app, struct req *r, struct resp *w)
{
	const char *q = kb_query_normalise(r->arena, req_query(r, "q"));
	const char *token = req_query(r, "t");
	struct kb_search s = { 0 };
	struct kb_results res;
	json_t *o, *list;
	char *text;
	size_t i;
	enum cs_result rc;

	if (q == NULL)
		return 500;
	s.q = q;
	s.aud = portal_kb_reader(r);
	s.limit = KB_SUGGESTIONS;
	if ((rc = kb_search_run(&app->db, r->arena, &s, &res)) != CS_OK)
		return web_result_status(rc);
	if (token != NULL && strlen(token) == 32 && q[0] != '\0' &&
	    (rc = kb_search_log(&app->db, token, "ticket_form", q, res.total)) != CS_OK)
		return web_result_status(rc);
	if ((o = json_object()) == NULL || (list = json_array()) == NULL) {
		json_decref(o);
		return 500;
	}
	json_object_set_new(o, "articles", list);
	for (i = 0; i < res.n; i++)
		json_array_append_new(list, json_pack("{s:s,s:s,s:s}", "title", res.rows[i].title,
		    "summary", res.rows[i].summary, "href", token ? arena_printf(r->arena,
		    "/kb/a/%s?t=%s", res.rows[i].slug, token) : arena_printf(r->arena, "/kb/a/%s",
		    res.rows[i].slug)));
	text = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	if (text == NULL)
		return 500;
	w->content_type = "application/json";
	resp_header(w, "Cache-Control", "no-store");
	buf_addstr(&w->body, text);
	free(text);
	return 0;
}

int
portal_kb_ticket_form(struct app *app, struct req *r, struct tval *ctx, const char *subject)
{
	const char *q = kb_query_normalise(r->arena, subject);
	const char *token = req_field(r, "kb_token");
	struct kb_search s = { 0 };
	struct kb_results res;

	if (q == NULL)
		return -1;
	if (token == NULL || strlen(token) != 32)
		token = kb_search_token(r->arena);
	if (token == NULL)
		return -1;
	tval_set_str(r->arena, ctx, "kb_token", token);
	if (q[0] == '\0')
		return 0;
	s.q = q;
	s.aud = portal_kb_reader(r);
	s.limit = KB_SUGGESTIONS;
	if (kb_search_run(&app->db, r->arena, &s, &res) != CS_OK ||
	    kb_search_log(&app->db, token, "ticket_form", q, res.total) != CS_OK)
		return -1;
	tval_set(r->arena, ctx, "kb_suggestions", portal_kb_refs(r->arena, res.rows, res.n, token));
	tval_set_bool(r->arena, ctx, "kb_has_suggestions", res.n > 0);
	tval_set_bool(r->arena, ctx, "kb_searched", 1);
	return 0;
}

void
portal_kb_after_request(struct app *app, int stopping)
{
	/* Failures are logged by db; view counts stay for the next try. */
	(void)kb_views_flush(&app->db, stopping);
}
