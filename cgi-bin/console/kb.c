/*
 * kb.c — writing the knowledge base: GET /agent/kb (the list),
 * GET|POST /agent/kb/new, GET|POST /agent/kb/{id} (edit, save, preview),
 * POST /agent/kb/{id}/status, GET /agent/kb/{id}/revisions/{rev},
 * POST /agent/kb/{id}/revisions/{rev}/restore, POST /agent/kb/{id}/images,
 * GET /agent/kb/images/{id}, POST /agent/kb/{id}/translations.
 *
 * Every member of staff writes and sends for review; supervisors and
 * admins publish. The preview renders the posted text as the portal will
 * (cmark in safe mode) without saving it.
 */
#include "console/handlers.h"
#include "web/fields.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/config.h"
#include "domain/kb_author.h"
#include "domain/tickets.h"
#include "tmpl/tval.h"
#include "web/markdown.h"

#include <stdio.h>
#include <string.h>

#define KB_LIST_PAGE 50

static const char *const statuses[][2] = {
	{ "draft", "Draft" }, { "review", "In review" }, { "published", "Published" },
	{ "archived", "Archived" },
};
static const char *const visibilities[][2] = {
	{ "public", "Everyone" }, { "customers", "Signed-in customers" },
	{ "internal", "Staff only (internal)" },
};
static const char *const type_ids[] = {
#define TYPE_ID(t, l) t,
	KB_TYPES(TYPE_ID)
#undef TYPE_ID
};

static const char *
label_of(const char *const (*pairs)[2], size_t n, const char *value)
{
	size_t i;

	for (i = 0; value != NULL && i < n; i++)
		if (strcmp(pairs[i][0], value) == 0)
			return pairs[i][1];
	return value ? value : "";
}

#define STATUS_LABEL(s) label_of(statuses, sizeof(statuses) / sizeof(statuses[0]), (s))
#define VISIBILITY_LABEL(s) \
	label_of(visibilities, sizeof(visibilities) / sizeof(visibilities[0]), (s))

static int
can_publish(const struct req *r)
{
	return (r->who.access & (ACCESS_SUPERVISOR | ACCESS_ADMIN)) != 0;
}

static struct tval *
pairs_list(struct arena *a, const char *const (*pairs)[2], size_t n, const char *selected)
{
	struct tval *list = tval_list(a);
	size_t i;

	for (i = 0; list != NULL && i < n; i++) {
		struct tval *m = tval_map(a);

		tval_set_str(a, m, "value", pairs[i][0]);
		tval_set_str(a, m, "label", pairs[i][1]);
		tval_set_bool(a, m, "selected", selected != NULL && strcmp(selected, pairs[i][0]) == 0);
		tval_push(a, list, m);
	}
	return list;
}

static struct tval *
types_list(struct arena *a, const char *selected)
{
	struct tval *list = tval_list(a);
	size_t i;

	for (i = 0; list != NULL && i < sizeof(type_ids) / sizeof(type_ids[0]); i++) {
		struct tval *m = tval_map(a);

		tval_set_str(a, m, "value", type_ids[i]);
		tval_set_str(a, m, "label", kb_type_label(type_ids[i]));
		tval_set_bool(a, m, "selected", selected != NULL && strcmp(selected, type_ids[i]) == 0);
		tval_push(a, list, m);
	}
	return list;
}

/* Categories in tree order for a select; -2 on a database error. */
static int
categories_ctx(struct app *app, struct arena *a, struct tval *ctx, const char *key,
    long long selected)
{
	struct kb_category *c;
	struct tval *list = tval_list(a);
	size_t n, i;

	if (kb_categories(&app->db, a, KB_STAFF, 0, &c, &n) < 0)
		return -2;
	for (i = 0; list != NULL && i < n; i++) {
		struct tval *m = tval_map(a);

		tval_set_int(a, m, "id", c[i].id);
		tval_set_str(a, m, "name", c[i].name);
		tval_set_str(a, m, "indent", c[i].depth ? arena_printf(a, "%.*s",
		    (int)(strlen("— ") * (size_t)(c[i].depth > 4 ? 4 : c[i].depth)),
		    "— — — — ") : "");
		tval_set_bool(a, m, "selected", c[i].id == selected);
		tval_push(a, list, m);
	}
	return list == NULL || tval_set(a, ctx, key, list);
}

/* An id from a path parameter; 0 when it is not one. */
static long long
path_id(const struct req *r, const char *name)
{
	long long v;

	return config_parse_long(req_param(r, name), 1, 1LL << 62, &v) < 0 ? 0 : v;
}

static long long
field_id(const struct req *r, const char *name)
{
	const char *s = req_field(r, name);
	long long v;

	if (s == NULL || s[0] == '\0')
		return 0;
	return config_parse_long(s, 1, 1LL << 62, &v) < 0 ? -1 : v;
}

/* ---- the list ----------------------------------------------------------- */

int
console_kb_list(struct app *app, struct req *r, struct resp *w)
{
	struct kb_list_filter f = { 0 };
	struct kb_list_row *rows;
	struct tval *ctx = app_page(app, r, "Knowledge base"), *list;
	const char *cat = req_query(r, "category"), *page = req_query(r, "page");
	long long pg = 1;
	size_t n, i;
	int rc;

	if (ctx == NULL || (list = tval_list(r->arena)) == NULL)
		return 500;
	f.status = req_query(r, "status");
	if (f.status != NULL && STATUS_LABEL(f.status) == f.status)
		f.status = NULL;
	f.q = req_query(r, "q");
	if (f.q != NULL && strlen(f.q) > 200)
		f.q = arena_strndup(r->arena, f.q, 200);
	if (cat != NULL && cat[0] != '\0' && config_parse_long(cat, 1, 1LL << 62, &f.category_id) < 0)
		return 400;
	if (page != NULL && page[0] != '\0' && config_parse_long(page, 1, 10000, &pg) < 0)
		return 400;
	f.limit = KB_LIST_PAGE + 1;
	f.offset = (int)((pg - 1) * KB_LIST_PAGE);
	if (kb_article_list(&app->db, r->arena, &f, &rows, &n) < 0)
		return web_db_error(app);
	for (i = 0; i < n && i < KB_LIST_PAGE; i++) {
		struct tval *m = tval_map(r->arena);

		tval_set_int(r->arena, m, "id", rows[i].id);
		tval_set_str(r->arena, m, "title", rows[i].title);
		tval_set_str(r->arena, m, "type", kb_type_label(rows[i].type));
		tval_set_str(r->arena, m, "status", rows[i].status);
		tval_set_str(r->arena, m, "status_label", STATUS_LABEL(rows[i].status));
		tval_set_str(r->arena, m, "visibility", VISIBILITY_LABEL(rows[i].visibility));
		tval_set_str(r->arena, m, "language", rows[i].language);
		tval_set_bool(r->arena, m, "translation", rows[i].original_id != 0);
		tval_set_bool(r->arena, m, "outdated", rows[i].outdated);
		tval_set_str(r->arena, m, "category", rows[i].category);
		tval_set_str(r->arena, m, "author", rows[i].author);
		tval_set_str(r->arena, m, "updated", rows[i].updated);
		tval_set_int(r->arena, m, "views", rows[i].views);
		tval_set_int(r->arena, m, "helpful_yes", rows[i].helpful_yes);
		tval_set_int(r->arena, m, "helpful_no", rows[i].helpful_no);
		tval_set_int(r->arena, m, "used", rows[i].used_in_tickets);
		tval_push(r->arena, list, m);
	}
	rc = categories_ctx(app, r->arena, ctx, "categories", f.category_id);
	if (rc == -2)
		return web_db_error(app);
	tval_set(r->arena, ctx, "articles", list);
	tval_set_bool(r->arena, ctx, "has_articles", n > 0);
	tval_set(r->arena, ctx, "statuses", pairs_list(r->arena, statuses,
	    sizeof(statuses) / sizeof(statuses[0]), f.status));
	tval_set_str(r->arena, ctx, "q", f.q);
	if (n > KB_LIST_PAGE)
		tval_set_int(r->arena, ctx, "next_page", pg + 1);
	return rc ? 500 : app_render(app, r, w, "console/kb/list", ctx);
}

/* ---- the editor --------------------------------------------------------- */

/* What the form posted, as an edit. Products: the repeatable "product". */
static void
posted_edit(struct req *r, struct kb_edit *e)
{
	const char *prods[64];
	size_t n = fields_all(r, "product", prods, 64), i;
	struct buf b;

	memset(e, 0, sizeof(*e));
	e->category_id = field_id(r, "category");
	e->slug = req_field(r, "slug");
	e->type = req_field(r, "type");
	e->visibility = req_field(r, "visibility");
	e->title = req_field(r, "title");
	e->summary = req_field(r, "summary");
	e->body = req_field(r, "body");
	e->tags = req_field(r, "tags");
	buf_init(&b, r->arena);
	for (i = 0; i < n; i++)
		buf_printf(&b, "%s%s", i ? "," : "", prods[i]);
	e->products = b.buf;
	if (e->title != NULL && e->title[0] != '\0')
		while (*e->title == ' ')
			e->title++;
}

/* The article's HTML as the portal shows it; images through the console. */
static const char *
preview_html(struct arena *a, const char *md)
{
	const char *html = md_html(a, md), *p;
	struct buf b;

	if (html == NULL)
		return NULL;
	buf_init(&b, a);
	while ((p = strstr(html, "src=\"/kb/images/")) != NULL) {
		buf_add(&b, html, (size_t)(p - html));
		buf_addstr(&b, "src=\"/agent/kb/images/");
		html = p + strlen("src=\"/kb/images/");
	}
	buf_addstr(&b, html);
	return buf_failed(&b) ? NULL : b.buf;
}

static struct tval *
status_moves(struct arena *a, const char *from, int publish)
{
	const char *next[4];
	size_t n = kb_status_next(from, publish, next), i;
	struct tval *list = tval_list(a);

	for (i = 0; list != NULL && i < n; i++) {
		struct tval *m = tval_map(a);

		tval_set_str(a, m, "value", next[i]);
		tval_set_str(a, m, "label", strcmp(next[i], "review") == 0 ? "Send for review" :
		    strcmp(next[i], "published") == 0 ? "Publish" :
		    strcmp(next[i], "archived") == 0 ? "Archive" : "Back to draft");
		tval_push(a, list, m);
	}
	return list;
}

/*
 * The editor page. art NULL: a new article. e: what to show in the
 * fields (posted, or the article's). preview: render e's text too.
 */
static int
editor(struct app *app, struct req *r, struct resp *w, int status, const struct kb_article *art,
    const struct kb_edit *e, int preview, const char *error)
{
	struct arena *a = r->arena;
	struct tval *ctx = app_page(app, r, art ? art->title : "New article"), *f, *prods;
	struct ticket_option *po;
	size_t np, i;
	int rc;

	if (ctx == NULL || (f = tval_map(a)) == NULL || (prods = tval_list(a)) == NULL)
		return 500;
	if (ticket_products(&app->db, a, &po, &np) < 0)
		return web_db_error(app);
	for (i = 0; i < np; i++) {
		struct tval *m = tval_map(a);
		char id[24];
		const char *p = e->products ? e->products : "";
		size_t len = (size_t)snprintf(id, sizeof(id), "%lld", po[i].id);
		int on = 0;

		while (*p != '\0') {
			size_t k = strcspn(p, ",");

			on |= k == len && strncmp(p, id, len) == 0;
			p += k + (p[k] == ',');
		}
		tval_set_int(a, m, "id", po[i].id);
		tval_set_str(a, m, "name", po[i].name);
		tval_set_bool(a, m, "checked", on);
		tval_push(a, prods, m);
	}
	tval_set_str(a, f, "title", e->title);
	tval_set_str(a, f, "slug", e->slug);
	tval_set_str(a, f, "summary", e->summary);
	tval_set_str(a, f, "body", e->body);
	tval_set_str(a, f, "tags", e->tags);
	tval_set(a, ctx, "f", f);
	tval_set(a, ctx, "types", types_list(a, e->type ? e->type : "howto"));
	tval_set(a, ctx, "visibilities", pairs_list(a, visibilities,
	    sizeof(visibilities) / sizeof(visibilities[0]), e->visibility ? e->visibility : "public"));
	tval_set(a, ctx, "products", prods);
	rc = categories_ctx(app, a, ctx, "categories", e->category_id);
	if (rc == -2)
		return web_db_error(app);
	if (error != NULL)
		tval_set_str(a, ctx, "error", error);
	if (preview) {
		const char *html = preview_html(a, e->body);

		if (html == NULL)
			return 500;
		tval_set(a, ctx, "preview_html", tval_str(a, html));
		tval_set_bool(a, ctx, "preview", 1);
	}
	tval_set_str(a, ctx, "action", art ? arena_printf(a, "/agent/kb/%lld", art->id) :
	    "/agent/kb/new");
	if (art != NULL) {
		struct kb_list_row *tr;
		struct kb_revision *rev;
		struct kb_image *im;
		struct tval *trl = tval_list(a), *revl = tval_list(a), *iml = tval_list(a);
		size_t nt = 0, nr, ni;

		if ((art->original_id == 0 && kb_translations(&app->db, a, art->id, &tr, &nt) < 0) ||
		    kb_revisions(&app->db, a, art->id, &rev, &nr) < 0 ||
		    kb_images(&app->db, a, art->id, &im, &ni) < 0)
			return web_db_error(app);
		for (i = 0; i < nt; i++) {
			struct tval *m = tval_map(a);

			tval_set_int(a, m, "id", tr[i].id);
			tval_set_str(a, m, "language", tr[i].language);
			tval_set_str(a, m, "status", STATUS_LABEL(tr[i].status));
			tval_set_bool(a, m, "outdated", tr[i].outdated);
			tval_push(a, trl, m);
		}
		for (i = 0; i < nr; i++) {
			struct tval *m = tval_map(a);

			tval_set_int(a, m, "revision", rev[i].revision);
			tval_set_str(a, m, "who", rev[i].who);
			tval_set_str(a, m, "when", rev[i].when);
			tval_set_str(a, m, "changed", rev[i].changed);
			tval_set_bool(a, m, "current", rev[i].revision == art->revision);
			tval_push(a, revl, m);
		}
		for (i = 0; i < ni; i++) {
			struct tval *m = tval_map(a);

			tval_set_int(a, m, "id", im[i].id);
			tval_set_str(a, m, "filename", im[i].filename);
			tval_set_str(a, m, "markdown", arena_printf(a, "![%s](/kb/images/%lld)",
			    im[i].filename, im[i].id));
			tval_push(a, iml, m);
		}
		tval_set_int(a, ctx, "id", art->id);
		tval_set_int(a, ctx, "revision", art->revision);
		tval_set_str(a, ctx, "status", art->status);
		tval_set_str(a, ctx, "status_label", STATUS_LABEL(art->status));
		tval_set_str(a, ctx, "language", art->language);
		tval_set_bool(a, ctx, "translation", art->original_id != 0);
		tval_set_int(a, ctx, "original_id", art->original_id);
		tval_set_bool(a, ctx, "outdated", art->outdated);
		tval_set_str(a, ctx, "author", art->author);
		tval_set_str(a, ctx, "reviewer", art->reviewer);
		tval_set_str(a, ctx, "created", art->created);
		tval_set_str(a, ctx, "updated", art->updated);
		tval_set_str(a, ctx, "published", art->published);
		tval_set_int(a, ctx, "views", art->views);
		tval_set_int(a, ctx, "helpful_yes", art->helpful_yes);
		tval_set_int(a, ctx, "helpful_no", art->helpful_no);
		tval_set_int(a, ctx, "used", art->used_in_tickets);
		tval_set_bool(a, ctx, "public_link", strcmp(art->status, "published") == 0 &&
		    strcmp(art->visibility, "internal") != 0);
		tval_set_str(a, ctx, "slug", art->slug);
		if (art->source_ticket_id != 0)
			tval_set_int(a, ctx, "source_ticket_id", art->source_ticket_id);
		tval_set(a, ctx, "translations", trl);
		tval_set_bool(a, ctx, "has_translations", nt > 0);
		tval_set(a, ctx, "revisions", revl);
		tval_set(a, ctx, "images", iml);
		tval_set_bool(a, ctx, "has_images", ni > 0);
		tval_set(a, ctx, "moves", status_moves(a, art->status, can_publish(r)));
	}
	w->status = status;
	return rc ? 500 : app_render(app, r, w, "console/kb/edit", ctx);
}

/* The fields of an article, for the editor. */
static void
article_edit(const struct kb_article *art, struct kb_edit *e)
{
	memset(e, 0, sizeof(*e));
	e->category_id = art->category_id;
	e->slug = art->slug;
	e->type = art->type;
	e->visibility = art->visibility;
	e->title = art->title;
	e->summary = art->summary;
	e->body = art->body;
	e->tags = art->tags;
	e->products = art->product_ids;
}

/* Loads the {id} article: 0, or the status to answer. */
static int
load(struct app *app, struct req *r, struct kb_article *art)
{
	long long id = path_id(r, "id");
	int rc;

	if (id == 0)
		return 404;
	rc = kb_article_get(&app->db, r->arena, id, art);
	if (rc < 0)
		return web_db_error(app);
	return rc == 0 ? 404 : 0;
}

int
console_kb_new_form(struct app *app, struct req *r, struct resp *w)
{
	struct kb_edit e = { 0 };

	e.type = "howto";
	e.visibility = "public";
	return editor(app, r, w, 200, NULL, &e, 0, NULL);
}

int
console_kb_create(struct app *app, struct req *r, struct resp *w)
{
	struct kb_edit e;
	const char *why = NULL, *action = req_field(r, "action");
	long long id;
	int rc;

	posted_edit(r, &e);
	if (e.category_id < 0)
		return editor(app, r, w, 422, NULL, &e, 0, "Choose a category from the list.");
	if (action != NULL && strcmp(action, "preview") == 0)
		return editor(app, r, w, 200, NULL, &e, 1, NULL);
	rc = kb_article_create(&app->db, r->arena, r->who.id, &e, 0, &id, &why);
	if (rc == KB_REFUSED)
		return editor(app, r, w, 422, NULL, &e, 0, why);
	if (rc != 0)
		return web_db_error(app);
	app_audit(app, r, "kb.article.create", "kb_article", arena_printf(r->arena, "%lld", id),
	    NULL);
	app_flash(app, r, w, 0, "Draft saved.");
	resp_redirect(w, arena_printf(r->arena, "/agent/kb/%lld", id));
	return 0;
}

int
console_kb_edit_form(struct app *app, struct req *r, struct resp *w)
{
	struct kb_article art;
	struct kb_edit e;
	int rc;

	if ((rc = load(app, r, &art)) != 0)
		return rc;
	article_edit(&art, &e);
	return editor(app, r, w, 200, &art, &e, req_query(r, "preview") != NULL, NULL);
}

int
console_kb_save(struct app *app, struct req *r, struct resp *w)
{
	struct kb_article art;
	struct kb_edit e;
	const char *why = NULL, *action = req_field(r, "action"), *rev = req_field(r, "revision");
	long long revision;
	int rc;

	if ((rc = load(app, r, &art)) != 0)
		return rc;
	posted_edit(r, &e);
	if (art.original_id != 0) {
		/* A translation follows its original's place and audience. */
		e.category_id = art.category_id;
		e.type = art.type;
		e.visibility = art.visibility;
		e.slug = art.slug;
	}
	if (e.category_id < 0)
		return editor(app, r, w, 422, &art, &e, 0, "Choose a category from the list.");
	if (action != NULL && strcmp(action, "preview") == 0)
		return editor(app, r, w, 200, &art, &e, 1, NULL);
	if (config_parse_long(rev, 1, 1 << 30, &revision) < 0)
		return 400;
	rc = kb_article_update(&app->db, r->arena, r->who.id, art.id, (int)revision, &e, &why);
	if (rc == KB_CONFLICT)
		return editor(app, r, w, 409, &art, &e, 0, "Someone saved this article after you"
		    " opened it. Your text is below; compare with the history, then save again.");
	if (rc == KB_REFUSED)
		return editor(app, r, w, 422, &art, &e, 0, why);
	if (rc != 0)
		return web_db_error(app);
	app_audit(app, r, "kb.article.update", "kb_article",
	    arena_printf(r->arena, "%lld", art.id), NULL);
	app_flash(app, r, w, 0, "Saved.");
	resp_redirect(w, arena_printf(r->arena, "/agent/kb/%lld", art.id));
	return 0;
}

int
console_kb_status(struct app *app, struct req *r, struct resp *w)
{
	long long id = path_id(r, "id");
	const char *why = NULL, *status = req_field(r, "status");
	int rc;

	if (id == 0)
		return 404;
	rc = kb_article_set_status(&app->db, r->who.id, id, status, can_publish(r), &why);
	if (rc < 0)
		return web_db_error(app);
	if (rc == 0)
		app_audit(app, r, "kb.article.status", "kb_article",
		    arena_printf(r->arena, "%lld", id), status);
	app_flash(app, r, w, rc != 0, rc == 0 ? arena_printf(r->arena, "Status: %s.",
	    STATUS_LABEL(status)) : why);
	resp_redirect(w, arena_printf(r->arena, "/agent/kb/%lld", id));
	return 0;
}

int
console_kb_revision(struct app *app, struct req *r, struct resp *w)
{
	struct kb_article art;
	struct kb_revision rev;
	long long n = path_id(r, "rev");
	struct tval *ctx;
	const char *html;
	int rc;

	if ((rc = load(app, r, &art)) != 0)
		return rc;
	if (n == 0 || n > 1 << 30)
		return 404;
	if ((rc = kb_revision_get(&app->db, r->arena, art.id, (int)n, &rev)) < 0)
		return web_db_error(app);
	if (rc == 0)
		return 404;
	if ((ctx = app_page(app, r, arena_printf(r->arena, "%s: revision %d", art.title,
	    rev.revision))) == NULL || (html = preview_html(r->arena, rev.body)) == NULL)
		return 500;
	tval_set_int(r->arena, ctx, "id", art.id);
	tval_set_str(r->arena, ctx, "article_title", art.title);
	tval_set_int(r->arena, ctx, "revision", rev.revision);
	tval_set_bool(r->arena, ctx, "current", rev.revision == art.revision);
	tval_set_str(r->arena, ctx, "who", rev.who);
	tval_set_str(r->arena, ctx, "when", rev.when);
	tval_set_str(r->arena, ctx, "changed", rev.changed);
	tval_set_str(r->arena, ctx, "title", rev.title);
	tval_set_str(r->arena, ctx, "summary", rev.summary);
	tval_set_str(r->arena, ctx, "tags", rev.tags);
	tval_set_str(r->arena, ctx, "type", kb_type_label(rev.type));
	tval_set_str(r->arena, ctx, "visibility", VISIBILITY_LABEL(rev.visibility));
	tval_set_str(r->arena, ctx, "status", STATUS_LABEL(rev.status));
	tval_set_str(r->arena, ctx, "body", rev.body);
	tval_set(r->arena, ctx, "body_html", tval_str(r->arena, html));
	return app_render(app, r, w, "console/kb/revision", ctx);
}

int
console_kb_restore(struct app *app, struct req *r, struct resp *w)
{
	long long id = path_id(r, "id"), n = path_id(r, "rev");
	const char *why = NULL;
	int rc;

	if (id == 0 || n == 0 || n > 1 << 30)
		return 404;
	rc = kb_revision_restore(&app->db, r->who.id, id, (int)n, &why);
	if (rc < 0)
		return web_db_error(app);
	if (rc != 0)
		return 404;
	app_audit(app, r, "kb.article.restore", "kb_article", arena_printf(r->arena, "%lld", id),
	    arena_printf(r->arena, "revision %lld", n));
	app_flash(app, r, w, 0, arena_printf(r->arena, "Revision %lld restored as a new revision.",
	    n));
	resp_redirect(w, arena_printf(r->arena, "/agent/kb/%lld", id));
	return 0;
}

int
console_kb_image_upload(struct app *app, struct req *r, struct resp *w)
{
	const struct form_file *f = form_file(&r->body, "image");
	long long id = path_id(r, "id"), image;
	const char *why = NULL;
	int rc;

	if (id == 0)
		return 404;
	if (f == NULL) {
		app_flash(app, r, w, 1, "Choose an image to add.");
		resp_redirect(w, arena_printf(r->arena, "/agent/kb/%lld#images", id));
		return 0;
	}
	rc = kb_image_add(&app->db, r->who.id, id, f->filename, f->content_type, f->data, f->len,
	    &image, &why);
	if (rc < 0)
		return web_db_error(app);
	app_flash(app, r, w, rc != 0, rc == 0 ? arena_printf(r->arena, "Image added: paste"
	    " ![%s](/kb/images/%lld) where it belongs.", f->filename, image) : why);
	resp_redirect(w, arena_printf(r->arena, "/agent/kb/%lld#images", id));
	return 0;
}

int
console_kb_image(struct app *app, struct req *r, struct resp *w)
{
	struct kb_image img;
	long long id = path_id(r, "id");
	int found;

	if (id == 0)
		return 404;
	if ((found = kb_image_get(&app->db, r->arena, KB_STAFF, id, &img)) < 0)
		return web_db_error(app);
	if (found == 0)
		return 404;
	w->content_type = img.content_type;
	resp_header(w, "X-Content-Type-Options", "nosniff");
	buf_add(&w->body, img.data, img.size);
	return 0;
}

int
console_kb_translate(struct app *app, struct req *r, struct resp *w)
{
	long long id = path_id(r, "id"), tid;
	const char *why = NULL, *lang = req_field(r, "language");
	int rc;

	if (id == 0)
		return 404;
	rc = kb_translation_create(&app->db, r->who.id, id, lang, &tid, &why);
	if (rc < 0)
		return web_db_error(app);
	if (rc != 0) {
		app_flash(app, r, w, 1, why);
		resp_redirect(w, arena_printf(r->arena, "/agent/kb/%lld#translations", id));
		return 0;
	}
	app_flash(app, r, w, 0, "Translation started: replace the text below, then save.");
	resp_redirect(w, arena_printf(r->arena, "/agent/kb/%lld", tid));
	return 0;
}
