/*
 * kb.c — the knowledge base in the portal: GET /kb, GET /kb/search,
 * GET /kb/suggest (the new-ticket form's suggestions, JSON),
 * GET /kb/{category-slug}, GET /kb/a/{article-slug},
 * POST /kb/a/{article-slug}/rate, GET /kb/images/{id}; and the section of
 * the new-ticket form that suggests articles (portal_kb_ticket_form).
 *
 * No sign-in is needed for public articles. Signed-in customers also read
 * those for customers; internal articles and unpublished ones are not
 * found (404). An article for customers asks a visitor to sign in.
 */
#include "portal/handlers.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/form.h"
#include "domain/kb.h"
#include "domain/kb_query.h"
#include "domain/kb_views.h"
#include "tmpl/tval.h"
#include "web/markdown.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KB_PAGE 10
#define KB_SUGGESTIONS 5
/* The visitor's voting id: random, long-lived, only ever compared. */
#define KB_VOTER_COOKIE "csdesk_kbv"

/*
 * Searches on the help centre's search page are recorded after the
 * response has gone (portal_kb_after_request): the row's commit waits for
 * the disk, and the reader need not. The results' links carry the token;
 * the row exists well before anyone can click one. Only this worker's
 * next request could find the queue full, and then it records at once.
 */
#define KB_LOG_QUEUE 8

static struct {
	char token[33];
	char query[KB_QUERY_MAX + 1];
	long long results;
} log_queue[KB_LOG_QUEUE];
static int log_queued;

static int
log_later(struct app *app, const char *token, const char *query, long long results)
{
	if (log_queued == KB_LOG_QUEUE)
		return kb_search_log(&app->db, token, "portal", query, results);
	snprintf(log_queue[log_queued].token, sizeof(log_queue[0].token), "%s", token);
	snprintf(log_queue[log_queued].query, sizeof(log_queue[0].query), "%s", query);
	log_queue[log_queued].results = results;
	log_queued++;
	return 0;
}

static enum kb_audience
reader(const struct req *r)
{
	return r->who.kind == WHO_CUSTOMER ? KB_CUSTOMER : KB_VISITOR;
}

static struct tval *
refs_list(struct arena *a, const struct kb_article_ref *rows, size_t n, const char *token)
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

	if (ctx == NULL || (tops = tval_list(r->arena)) == NULL)
		return 500;
	if (kb_categories(&app->db, r->arena, reader(r), 1, &cats, &nc) < 0 ||
	    kb_popular(&app->db, r->arena, reader(r), 6, &pop, &np) < 0)
		return 503;
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
	tval_set(r->arena, ctx, "popular", refs_list(r->arena, pop, np, NULL));
	tval_set_bool(r->arena, ctx, "has_popular", np > 0);
	tval_set(r->arena, ctx, "types", type_list(r->arena, NULL));
	return app_render(app, r, w, "portal/kb/index", ctx);
}

/* An optional positive number from the query; -1 when present and bad. */
static long long
query_id(const struct req *r, const char *name)
{
	const char *s = req_query(r, name);
	long long v;

	if (s == NULL || s[0] == '\0')
		return 0;
	return config_parse_long(s, 1, 1LL << 62, &v) < 0 ? -1 : v;
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
	long long category = query_id(r, "category"), page = query_id(r, "page");
	struct kb_search s = { 0 };
	struct kb_results res;
	struct kb_category *cats;
	size_t nc;

	if (ctx == NULL || q == NULL)
		return 500;
	if (type != NULL && type[0] != '\0' && !kb_type_valid(type))
		type = NULL;
	if (category < 0 || page < 0 || page > 1000) {
		w->status = 400;
		tval_set_str(r->arena, ctx, "error", "That search link is not valid.");
		category = page = 0;
	}
	if (page == 0)
		page = 1;
	s.q = q;
	s.category_id = category;
	s.type = type;
	s.aud = reader(r);
	s.limit = KB_PAGE;
	s.offset = (int)((page - 1) * KB_PAGE);
	if (kb_categories(&app->db, r->arena, reader(r), 0, &cats, &nc) < 0 ||
	    kb_search_run(&app->db, r->arena, &s, &res) < 0)
		return 503;
	if (q[0] != '\0' && page == 1) {
		/* A failure to record is logged; the visitor still gets results. */
		if ((token = kb_search_token(r->arena)) == NULL)
			return 500;
		if (log_later(app, token, res.corrected ? res.corrected : q, res.total) < 0)
			token = NULL;
	}
	tval_set_str(r->arena, ctx, "q", q);
	tval_set_bool(r->arena, ctx, "searched", q[0] != '\0');
	tval_set(r->arena, ctx, "categories", category_list(r->arena, cats, nc, category));
	tval_set(r->arena, ctx, "types", type_list(r->arena, type));
	tval_set(r->arena, ctx, "results", refs_list(r->arena, res.rows, res.n, token));
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
	int found = kb_category_by_slug(&app->db, r->arena, req_param(r, "slug"), &cat);

	if (found < 0)
		return 503;
	if (found == 0)
		return 404;
	if ((ctx = app_page(app, r, cat.name)) == NULL || (crumbs = tval_list(r->arena)) == NULL ||
	    (subs = tval_list(r->arena)) == NULL)
		return 500;
	if (kb_category_path(&app->db, r->arena, cat.id, &path, &np) < 0 ||
	    kb_categories(&app->db, r->arena, reader(r), 1, &all, &na) < 0 ||
	    kb_category_articles(&app->db, r->arena, reader(r), cat.id, &rows, &n) < 0)
		return 503;
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
	tval_set(r->arena, ctx, "articles", refs_list(r->arena, rows, n, NULL));
	tval_set_bool(r->arena, ctx, "has_articles", n > 0);
	return app_render(app, r, w, "portal/kb/category", ctx);
}

/*
 * The languages to show an article in, best first: the signed-in
 * customer's own, then what the browser asks for; ?lang= overrides both.
 */
static size_t
reader_langs(struct req *r, const char **out, char buf[KB_LANGS_MAX + 2][KB_LANG_LEN])
{
	char accept[KB_LANGS_MAX][KB_LANG_LEN];
	const char *force = req_query(r, "lang");
	size_t n = 0;
	int k, na;

	if (force != NULL && kb_accept_languages(force, accept) == 1) {
		memcpy(buf[n], accept[0], KB_LANG_LEN);
		out[n] = buf[n];
		return n + 1;
	}
	if (r->who.kind == WHO_CUSTOMER && r->who.language != NULL &&
	    kb_accept_languages(r->who.language, accept) >= 1) {
		memcpy(buf[n], accept[0], KB_LANG_LEN);
		out[n] = buf[n];
		n++;
	}
	na = kb_accept_languages(req_env(r, "HTTP_ACCEPT_LANGUAGE"), accept);
	for (k = 0; k < na && n < KB_LANGS_MAX + 1; k++) {
		memcpy(buf[n], accept[k], KB_LANG_LEN);
		out[n] = buf[n];
		n++;
	}
	return n;
}

static const char *
stars_text(struct arena *a, long long sum, long long count)
{
	if (count == 0)
		return "";
	return arena_printf(a, "%.1f", (double)sum / (double)count);
}

int
portal_kb_article(struct app *app, struct req *r, struct resp *w)
{
	struct kb_article art;
	struct kb_category *path;
	struct kb_article_ref *rel;
	const char *langs[KB_LANGS_MAX + 2], *html, *token = req_query(r, "t");
	char lbuf[KB_LANGS_MAX + 2][KB_LANG_LEN];
	size_t nl = reader_langs(r, langs, lbuf), np, nr, i;
	struct tval *ctx, *crumbs, *tags, *stars, *prods;
	const char *p, **products;
	size_t nprod;
	int found;

	found = kb_article_by_slug(&app->db, r->arena, reader(r), req_param(r, "slug"), langs, nl,
	    &art);
	if (found < 0)
		return 503;
	if (found == KB_NOT_FOUND)
		return 404;
	if (found == KB_LOGIN) {
		resp_redirect(w, arena_printf(r->arena, "/login?next=%s", r->path));
		return 0;
	}
	kb_views_count(art.id);
	if (token != NULL && kb_search_opened(&app->db, token, art.id) < 0)
		return 503;
	if ((ctx = app_page(app, r, art.title)) == NULL || (crumbs = tval_list(r->arena)) == NULL ||
	    (tags = tval_list(r->arena)) == NULL || (stars = tval_list(r->arena)) == NULL ||
	    (prods = tval_list(r->arena)) == NULL ||
	    (html = md_html(r->arena, art.body)) == NULL)
		return 500;
	if (kb_category_path(&app->db, r->arena, art.category_id, &path, &np) < 0 ||
	    kb_related(&app->db, r->arena, reader(r), &art, 5, &rel, &nr) < 0 ||
	    kb_product_names(&app->db, r->arena, art.product_ids, &products, &nprod) < 0)
		return 503;
	for (i = 0; i < nprod; i++)
		tval_push(r->arena, prods, tval_str(r->arena, products[i]));
	for (i = 0; i < np; i++) {
		struct tval *m = tval_map(r->arena);

		tval_set_str(r->arena, m, "name", path[i].name);
		tval_set_str(r->arena, m, "href", arena_printf(r->arena, "/kb/%s", path[i].slug));
		tval_push(r->arena, crumbs, m);
	}
	for (p = art.tags; *p != '\0';) {
		size_t len = strcspn(p, ",");

		tval_push(r->arena, tags, tval_strn(r->arena, p, len));
		p += len + (p[len] == ',');
	}
	for (i = 1; i <= 5; i++) {
		struct tval *m = tval_map(r->arena);

		tval_set_int(r->arena, m, "value", (long long)i);
		tval_push(r->arena, stars, m);
	}
	tval_set(r->arena, ctx, "crumbs", crumbs);
	tval_set_str(r->arena, ctx, "slug", art.slug);
	tval_set_str(r->arena, ctx, "title", art.title);
	tval_set_str(r->arena, ctx, "summary", art.summary);
	tval_set(r->arena, ctx, "body_html", tval_str(r->arena, html));
	tval_set_str(r->arena, ctx, "type", kb_type_label(art.type));
	tval_set_str(r->arena, ctx, "updated", art.updated);
	tval_set_str(r->arena, ctx, "language", art.language);
	tval_set_bool(r->arena, ctx, "translated", art.original_language != NULL);
	tval_set_str(r->arena, ctx, "original_language", art.original_language);
	tval_set_bool(r->arena, ctx, "for_customers", strcmp(art.visibility, "customers") == 0);
	tval_set(r->arena, ctx, "tags", tags);
	tval_set_bool(r->arena, ctx, "has_tags", art.tags[0] != '\0');
	tval_set(r->arena, ctx, "products", prods);
	tval_set_bool(r->arena, ctx, "has_products", nprod > 0);
	tval_set(r->arena, ctx, "related", refs_list(r->arena, rel, nr, NULL));
	tval_set_bool(r->arena, ctx, "has_related", nr > 0);
	tval_set(r->arena, ctx, "stars", stars);
	tval_set_int(r->arena, ctx, "helpful_yes", art.helpful_yes);
	tval_set_int(r->arena, ctx, "votes", art.helpful_yes + art.helpful_no);
	tval_set_str(r->arena, ctx, "rating", stars_text(r->arena, art.stars_sum, art.stars_count));
	tval_set_int(r->arena, ctx, "ratings", art.stars_count);
	return app_render(app, r, w, "portal/kb/article", ctx);
}

/* The voter: the signed-in customer, else the browser's cookie (made now). */
static const char *
voter(struct req *r, struct resp *w)
{
	const char *c = req_cookie(r, KB_VOTER_COOKIE);
	struct cookie_opts o = { .max_age = 2 * 365 * 86400L, .http_only = 1, .secure = r->https,
		.same_site = "Lax" };
	const char *fresh;
	size_t i;

	if (r->who.kind == WHO_CUSTOMER)
		return arena_printf(r->arena, "u%llx", (unsigned long long)r->who.id);
	if (c != NULL && strlen(c) == 32) {
		for (i = 0; i < 32; i++)
			if (!((c[i] >= '0' && c[i] <= '9') || (c[i] >= 'a' && c[i] <= 'f')))
				break;
		if (i == 32)
			return arena_printf(r->arena, "a%s", c);
	}
	if ((fresh = kb_search_token(r->arena)) == NULL)
		return NULL;
	resp_cookie(w, KB_VOTER_COOKIE, fresh, &o);
	return arena_printf(r->arena, "a%s", fresh);
}

int
portal_kb_rate(struct app *app, struct req *r, struct resp *w)
{
	const char *slug = req_param(r, "slug"), *h = req_field(r, "helpful");
	const char *st = req_field(r, "stars"), *comment = req_field(r, "comment"), *who;
	const char *langs[1] = { "en" };
	struct kb_article art;
	long long stars = 0;
	int helpful = -1, found, rc;

	found = kb_article_by_slug(&app->db, r->arena, reader(r), slug, langs, 0, &art);
	if (found < 0)
		return 503;
	if (found != KB_FOUND)
		return 404;
	if (h != NULL && h[0] != '\0') {
		if (strcmp(h, "yes") != 0 && strcmp(h, "no") != 0)
			return 400;
		helpful = strcmp(h, "yes") == 0;
	}
	if (st != NULL && st[0] != '\0' && config_parse_long(st, 1, 5, &stars) < 0)
		return 400;
	if (comment != NULL && strlen(comment) > 2000) {
		app_flash(app, r, w, 1, "Keep the comment under 2,000 characters.");
		resp_redirect(w, arena_printf(r->arena, "/kb/a/%s#rate", slug));
		return 0;
	}
	if (helpful < 0 && stars == 0) {
		app_flash(app, r, w, 1, "Choose yes or no, or a number of stars.");
		resp_redirect(w, arena_printf(r->arena, "/kb/a/%s#rate", slug));
		return 0;
	}
	if ((who = voter(r, w)) == NULL)
		return 500;
	if ((rc = kb_rate(&app->db, art.id, who, helpful, (int)stars, comment,
	    r->who.kind == WHO_CUSTOMER)) < 0)
		return 503;
	if (rc == 0)
		return 404;
	app_flash(app, r, w, 0, "Thank you for your feedback.");
	resp_redirect(w, arena_printf(r->arena, "/kb/a/%s#rate", slug));
	return 0;
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

	if (q == NULL)
		return 500;
	s.q = q;
	s.aud = reader(r);
	s.limit = KB_SUGGESTIONS;
	if (kb_search_run(&app->db, r->arena, &s, &res) < 0)
		return 503;
	if (token != NULL && strlen(token) == 32 && q[0] != '\0' &&
	    kb_search_log(&app->db, token, "ticket_form", q, res.total) < 0)
		return 503;
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
	s.aud = reader(r);
	s.limit = KB_SUGGESTIONS;
	if (kb_search_run(&app->db, r->arena, &s, &res) < 0 ||
	    kb_search_log(&app->db, token, "ticket_form", q, res.total) < 0)
		return -1;
	tval_set(r->arena, ctx, "kb_suggestions", refs_list(r->arena, res.rows, res.n, token));
	tval_set_bool(r->arena, ctx, "kb_has_suggestions", res.n > 0);
	tval_set_bool(r->arena, ctx, "kb_searched", 1);
	return 0;
}

int
portal_kb_ticket_created(struct app *app, struct req *r, long long ticket_id)
{
	const char *token = req_field(r, "kb_token");

	if (token == NULL)
		return 0;
	return kb_search_ticket(&app->db, token, ticket_id);
}

int
portal_kb_image(struct app *app, struct req *r, struct resp *w)
{
	struct kb_image img;
	long long id;
	int found;

	if (config_parse_long(req_param(r, "id"), 1, 1LL << 62, &id) < 0)
		return 404;
	if ((found = kb_image_get(&app->db, r->arena, reader(r), id, &img)) < 0)
		return 503;
	if (found == 0)
		return 404;
	w->content_type = img.content_type;
	resp_header(w, "X-Content-Type-Options", "nosniff");
	resp_header(w, "Cache-Control", "public, max-age=86400");
	buf_add(&w->body, img.data, img.size);
	return 0;
}

void
portal_kb_after_request(struct app *app, int stopping)
{
	int i;

	/* Failures are logged by db; view counts stay for the next try. */
	for (i = 0; i < log_queued; i++)
		if (db_ensure(&app->db) == 0)
			(void)kb_search_log(&app->db, log_queue[i].token, "portal", log_queue[i].query,
			    log_queue[i].results);
	log_queued = 0;
	(void)kb_views_flush(&app->db, stopping);
}
