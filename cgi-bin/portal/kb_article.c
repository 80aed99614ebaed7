/*
 * kb_article.c — an article in the portal: GET /kb/a/{article-slug},
 * POST /kb/a/{article-slug}/rate, GET /kb/images/{id}.
 *
 * Internal articles and unpublished ones are not found (404). An article
 * for customers asks a visitor to sign in.
 */
#include "portal/kb_pages.h"
#include "core/arena.h"
#include "core/buf.h"
#include "domain/kb.h"
#include "domain/kb_query.h"
#include "domain/kb_search.h"
#include "domain/kb_views.h"
#include "tmpl/tval.h"
#include "web/fields.h"
#include "web/markdown.h"
#include "web/result.h"

#include <stdio.h>
#include <string.h>

/* Related articles under an article. */
#define KB_RELATED 5
/* The visitor's voting id: random, long-lived, only ever compared. */
#define KB_VOTER_COOKIE "csdesk_kbv"

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
	const char *p, **products, *why;
	size_t nprod;
	enum cs_result rc;

	rc = kb_article_by_slug(&app->db, r->arena, portal_kb_reader(r), req_param(r, "slug"),
	    langs, nl, &art, &why);
	if (rc == CS_REFUSED) {
		resp_redirect(w, arena_printf(r->arena, "/login?next=%s", r->path));
		return 0;
	}
	if (rc != CS_OK)
		return web_result_status(rc);
	kb_views_count(art.id);
	if (token != NULL && (rc = kb_search_opened(&app->db, token, art.id)) != CS_OK)
		return web_result_status(rc);
	if ((ctx = app_page(app, r, art.title)) == NULL || (crumbs = tval_list(r->arena)) == NULL ||
	    (tags = tval_list(r->arena)) == NULL || (stars = tval_list(r->arena)) == NULL ||
	    (prods = tval_list(r->arena)) == NULL ||
	    (html = md_html(r->arena, art.body)) == NULL)
		return 500;
	if ((rc = kb_category_path(&app->db, r->arena, art.category_id, &path, &np)) != CS_OK ||
	    (rc = kb_related(&app->db, r->arena, portal_kb_reader(r), &art, KB_RELATED, &rel,
	    &nr)) != CS_OK ||
	    (rc = kb_product_names(&app->db, r->arena, art.product_ids, &products, &nprod)) !=
	    CS_OK)
		return web_result_status(rc);
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
	tval_set(r->arena, ctx, "related", portal_kb_refs(r->arena, rel, nr, NULL));
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

enum rate_field { RF_HELPFUL, RF_STARS, RF_COMMENT, RF__MAX };

static const char *const yes_no[] = { "yes", "no", NULL };

/* The comment's limit is the domain's (kb_rate): these only read the form. */
static const struct field_rule rate_rules[] = {
	[RF_HELPFUL] = { "helpful", "Helpful", FIELD_CHOICE, 0, 0, 0, yes_no },
	[RF_STARS] = { "stars", "Stars", FIELD_INT, 0, 1, 5, NULL },
	[RF_COMMENT] = { "comment", "Comment", FIELD_LINES, 0, 0, 0, NULL },
};
_Static_assert(sizeof(rate_rules) / sizeof(rate_rules[0]) == RF__MAX, "a rule per field");

/* The flash after a vote, and back to the article's form. */
static int
rated(struct app *app, struct req *r, struct resp *w, const char *slug, int error,
    const char *text)
{
	app_flash(app, r, w, error, text);
	resp_redirect(w, arena_printf(r->arena, "/kb/a/%s#rate", slug));
	return 0;
}

int
portal_kb_rate(struct app *app, struct req *r, struct resp *w)
{
	const char *slug = req_param(r, "slug"), *who, *why = NULL, *vals[RF__MAX];
	const char *langs[1] = { "en" };
	long long nums[RF__MAX];
	struct field_form form;
	struct kb_article art;
	enum cs_result rc;
	int helpful;

	if (fields_init(&form, r->arena) < 0)
		return 500;
	rc = kb_article_by_slug(&app->db, r->arena, portal_kb_reader(r), slug, langs, 0, &art,
	    &why);
	if (rc == CS_REFUSED)
		return 404;
	if (rc != CS_OK)
		return web_result_status(rc);
	if (fields_check(&form, r, rate_rules, RF__MAX, vals, nums) > 0)
		return 400;
	helpful = vals[RF_HELPFUL][0] == '\0' ? -1 : strcmp(vals[RF_HELPFUL], "yes") == 0;
	if ((who = voter(r, w)) == NULL)
		return 500;
	rc = kb_rate(&app->db, art.id, who, helpful, (int)nums[RF_STARS],
	    req_field(r, "comment") != NULL ? vals[RF_COMMENT] : NULL, r->who.kind == WHO_CUSTOMER,
	    r->remote_addr, &why);
	if (rc == CS_REFUSED)
		return rated(app, r, w, slug, 1, why);
	if (rc != CS_OK)
		return web_result_status(rc);
	return rated(app, r, w, slug, 0, "Thank you for your feedback.");
}

int
portal_kb_image(struct app *app, struct req *r, struct resp *w)
{
	struct kb_image img;
	long long id = web_path_id(r, "id");
	enum cs_result rc;

	if (id == 0)
		return 404;
	if ((rc = kb_image_get(&app->db, r->arena, portal_kb_reader(r), id, &img)) != CS_OK)
		return web_result_status(rc);
	w->content_type = img.content_type;
	resp_header(w, "X-Content-Type-Options", "nosniff");
	resp_header(w, "Cache-Control", "public, max-age=86400");
	buf_add(&w->body, img.data, img.size);
	return 0;
}

