/*
 * kb.c — writing the knowledge base: GET /agent/kb (the list),
 * GET|POST /agent/kb/new, GET|POST /agent/kb/{id} (edit, save, preview).
 * The article's other actions are in kb_article.c.
 *
 * Every member of staff writes and sends for review; supervisors and
 * admins publish. The preview renders the posted text as the portal will
 * (cmark in safe mode) without saving it.
 */
#include "console/kb_pages.h"
#include "core/arena.h"
#include "core/buf.h"
#include "domain/kb_author.h"
#include "domain/kb_query.h"
#include "domain/tickets.h"
#include "tmpl/tval.h"
#include "web/fields.h"
#include "web/markdown.h"
#include "web/result.h"

#include <stdio.h>
#include <string.h>

#define KB_LIST_PAGE 50
#define KB_LIST_PAGES 10000

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

const char *
kb_page_status_label(const char *status)
{
	return label_of(statuses, sizeof(statuses) / sizeof(statuses[0]), status);
}

const char *
kb_page_visibility_label(const char *visibility)
{
	return label_of(visibilities, sizeof(visibilities) / sizeof(visibilities[0]), visibility);
}

int
kb_page_can_publish(const struct req *r)
{
	return (r->who.access & (ACCESS_SUPERVISOR | ACCESS_ADMIN)) != 0;
}

const char *
kb_page_indent(struct arena *a, int depth)
{
	return depth ? arena_printf(a, "%.*s", (int)(strlen("— ") * (size_t)(depth > 4 ? 4 :
	    depth)), "— — — — ") : "";
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

/* Categories in tree order for a select. CS_OK, or the failure (the page's status). */
static enum cs_result
categories_ctx(struct app *app, struct arena *a, struct tval *ctx, const char *key,
    long long selected)
{
	struct kb_category *c;
	struct tval *list = tval_list(a);
	size_t n, i;
	enum cs_result rc = kb_categories(&app->db, a, KB_STAFF, 0, &c, &n);

	if (rc != CS_OK)
		return rc;
	for (i = 0; list != NULL && i < n; i++) {
		struct tval *m = tval_map(a);

		tval_set_int(a, m, "id", c[i].id);
		tval_set_str(a, m, "name", c[i].name);
		tval_set_str(a, m, "indent", kb_page_indent(a, c[i].depth));
		tval_set_bool(a, m, "selected", c[i].id == selected);
		tval_push(a, list, m);
	}
	return list == NULL || tval_set(a, ctx, key, list) ? CS_FAILED : CS_OK;
}

/* ---- the list ----------------------------------------------------------- */

static struct tval *
list_row(struct arena *a, const struct kb_list_row *row)
{
	struct tval *m = tval_map(a);

	tval_set_int(a, m, "id", row->id);
	tval_set_str(a, m, "title", row->title);
	tval_set_str(a, m, "type", kb_type_label(row->type));
	tval_set_str(a, m, "status", row->status);
	tval_set_str(a, m, "status_label", kb_page_status_label(row->status));
	tval_set_str(a, m, "visibility", kb_page_visibility_label(row->visibility));
	tval_set_str(a, m, "language", row->language);
	tval_set_bool(a, m, "translation", row->original_id != 0);
	tval_set_bool(a, m, "outdated", row->outdated);
	tval_set_str(a, m, "category", row->category);
	tval_set_str(a, m, "author", row->author);
	tval_set_str(a, m, "updated", row->updated);
	tval_set_int(a, m, "views", row->views);
	tval_set_int(a, m, "helpful_yes", row->helpful_yes);
	tval_set_int(a, m, "helpful_no", row->helpful_no);
	tval_set_int(a, m, "used", row->used_in_tickets);
	return m;
}

int
console_kb_list(struct app *app, struct req *r, struct resp *w)
{
	struct kb_list_filter f = { 0 };
	struct kb_list_row *rows;
	struct tval *ctx = app_page(app, r, "Knowledge base"), *list;
	long long pg;
	size_t n, i;
	enum cs_result rc;

	if (ctx == NULL || (list = tval_list(r->arena)) == NULL)
		return 500;
	f.status = req_query(r, "status");
	if (f.status != NULL && kb_page_status_label(f.status) == f.status)
		f.status = NULL;
	/* A search box: cut (at a character), not refused. */
	if ((f.q = kb_query_normalise(r->arena, req_query(r, "q"))) == NULL)
		return 500;
	if (web_query_key(r, "category", &f.category_id) < 0)
		return app_bad_query(app, r, w, "category", NULL, NULL);
	if (web_query_key(r, "page", &pg) < 0 || pg > KB_LIST_PAGES)
		return app_bad_query(app, r, w, "page", NULL, NULL);
	if (pg == 0)
		pg = 1;
	f.limit = KB_LIST_PAGE + 1;
	f.offset = (int)((pg - 1) * KB_LIST_PAGE);
	if ((rc = kb_article_list(&app->db, r->arena, &f, &rows, &n)) != CS_OK)
		return web_result_status(rc);
	for (i = 0; i < n && i < KB_LIST_PAGE; i++)
		tval_push(r->arena, list, list_row(r->arena, &rows[i]));
	if ((rc = categories_ctx(app, r->arena, ctx, "categories", f.category_id)) != CS_OK)
		return web_result_status(rc);
	tval_set(r->arena, ctx, "articles", list);
	tval_set_bool(r->arena, ctx, "has_articles", n > 0);
	tval_set(r->arena, ctx, "statuses", pairs_list(r->arena, statuses,
	    sizeof(statuses) / sizeof(statuses[0]), f.status));
	tval_set_str(r->arena, ctx, "q", f.q);
	if (n > KB_LIST_PAGE)
		tval_set_int(r->arena, ctx, "next_page", pg + 1);
	return app_render(app, r, w, "console/kb/list", ctx);
}

/* ---- the editor --------------------------------------------------------- */

enum edit_field {
	EF_TITLE, EF_SLUG, EF_CATEGORY, EF_TYPE, EF_VISIBILITY, EF_SUMMARY, EF_BODY, EF_TAGS,
	EF_ACTION, EF_REVISION, EF__MAX
};

/* The limits are the domain's (kb_author_check): these only read the form. */
static const struct field_rule edit_rules[] = {
	[EF_TITLE] = { "title", "Title", FIELD_TEXT, 0, 0, 0, NULL },
	[EF_SLUG] = { "slug", "Address", FIELD_TEXT, 0, 0, 0, NULL },
	[EF_CATEGORY] = { "category", "Category", FIELD_INT, 0, 1, 1LL << 62, NULL },
	[EF_TYPE] = { "type", "Type", FIELD_TEXT, 0, 0, 0, NULL },
	[EF_VISIBILITY] = { "visibility", "Who may read it", FIELD_TEXT, 0, 0, 0, NULL },
	[EF_SUMMARY] = { "summary", "Summary", FIELD_LINES, 0, 0, 0, NULL },
	[EF_BODY] = { "body", "Text", FIELD_LINES, 0, 0, 0, NULL },
	[EF_TAGS] = { "tags", "Tags", FIELD_TEXT, 0, 0, 0, NULL },
	[EF_ACTION] = { "action", "Action", FIELD_TEXT, 0, 0, 0, NULL },
	[EF_REVISION] = { "revision", "Revision", FIELD_INT, 0, 1, 1 << 30, NULL },
};
_Static_assert(sizeof(edit_rules) / sizeof(edit_rules[0]) == EF__MAX, "a rule per field");

/* What the editor posted. */
struct posted {
	struct kb_edit e;
	const char *error;	/* the form's first message; NULL when it read well */
	int bad_category;	/* the category is not a number */
	int preview;
	long long revision;
};

/*
 * Reads the editor's form into p. Products: the repeatable "product". A
 * form that did not read well is shown again as typed. Returns 0, or -1
 * when out of memory.
 */
static int
read_edit(struct req *r, struct posted *p)
{
	const char *vals[EF__MAX], *prods[64];
	long long nums[EF__MAX];
	size_t n = fields_all(r, "product", prods, 64), i;
	struct field_form form;
	struct buf b;

	memset(p, 0, sizeof(*p));
	if (fields_init(&form, r->arena) < 0)
		return -1;
	fields_check(&form, r, edit_rules, EF__MAX, vals, nums);
	if (form.failed)
		return -1;
	if (form.nerrors > 0) {
		p->error = fields_first_error(&form);
		p->bad_category = vals[EF_CATEGORY][0] == '\0' &&
		    req_field(r, "category") != NULL && req_field(r, "category")[0] != '\0';
		for (i = 0; i < EF__MAX; i++)
			if (vals[i][0] == '\0' && req_field(r, edit_rules[i].name) != NULL)
				vals[i] = req_field(r, edit_rules[i].name);
	}
	p->e.category_id = nums[EF_CATEGORY];
	p->e.slug = vals[EF_SLUG];
	p->e.type = vals[EF_TYPE];
	p->e.visibility = vals[EF_VISIBILITY];
	p->e.title = vals[EF_TITLE];
	p->e.summary = vals[EF_SUMMARY];
	p->e.body = vals[EF_BODY];
	p->e.tags = vals[EF_TAGS];
	p->preview = strcmp(vals[EF_ACTION], "preview") == 0;
	p->revision = nums[EF_REVISION];
	buf_init(&b, r->arena);
	for (i = 0; i < n; i++)
		buf_printf(&b, "%s%s", i ? "," : "", prods[i]);
	p->e.products = b.buf;
	return buf_failed(&b) ? -1 : 0;
}

const char *
kb_page_preview_html(struct arena *a, const char *md)
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

/* The products to tick, those of e checked. */
static struct tval *
products_list(struct arena *a, const struct db_option *po, size_t np,
    const struct kb_edit *e)
{
	struct tval *prods = tval_list(a);
	size_t i;

	for (i = 0; prods != NULL && i < np; i++) {
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
	return prods;
}

/* The article's translations, history and images. CS_OK or the failure. */
static enum cs_result
article_lists(struct app *app, struct arena *a, struct tval *ctx, const struct kb_article *art)
{
	struct kb_list_row *tr = NULL;
	struct kb_revision *rev;
	struct kb_image *im;
	struct tval *trl = tval_list(a), *revl = tval_list(a), *iml = tval_list(a);
	size_t nt = 0, nr, ni, i;
	enum cs_result rc;

	if ((art->original_id == 0 &&
	    (rc = kb_translations(&app->db, a, art->id, &tr, &nt)) != CS_OK) ||
	    (rc = kb_revisions(&app->db, a, art->id, &rev, &nr)) != CS_OK ||
	    (rc = kb_images(&app->db, a, art->id, &im, &ni)) != CS_OK)
		return rc;
	for (i = 0; i < nt; i++) {
		struct tval *m = tval_map(a);

		tval_set_int(a, m, "id", tr[i].id);
		tval_set_str(a, m, "language", tr[i].language);
		tval_set_str(a, m, "status", kb_page_status_label(tr[i].status));
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
	tval_set(a, ctx, "translations", trl);
	tval_set_bool(a, ctx, "has_translations", nt > 0);
	tval_set(a, ctx, "revisions", revl);
	tval_set(a, ctx, "images", iml);
	tval_set_bool(a, ctx, "has_images", ni > 0);
	return CS_OK;
}

/* What the editor shows of an article that exists. */
static void
article_ctx(struct arena *a, struct tval *ctx, const struct kb_article *art, int publish)
{
	tval_set_int(a, ctx, "id", art->id);
	tval_set_int(a, ctx, "revision", art->revision);
	tval_set_str(a, ctx, "status", art->status);
	tval_set_str(a, ctx, "status_label", kb_page_status_label(art->status));
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
	tval_set(a, ctx, "moves", status_moves(a, art->status, publish));
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
	struct tval *ctx = app_page(app, r, art ? art->title : "New article"), *f;
	struct db_option *po;
	size_t np;
	enum cs_result rc;

	if (ctx == NULL || (f = tval_map(a)) == NULL)
		return 500;
	if (ticket_products(&app->db, a, &po, &np) != CS_OK)
		return web_db_error(app);
	tval_set_str(a, f, "title", e->title);
	tval_set_str(a, f, "slug", e->slug);
	tval_set_str(a, f, "summary", e->summary);
	tval_set_str(a, f, "body", e->body);
	tval_set_str(a, f, "tags", e->tags);
	tval_set(a, ctx, "f", f);
	tval_set(a, ctx, "types", types_list(a, e->type ? e->type : "howto"));
	tval_set(a, ctx, "visibilities", pairs_list(a, visibilities,
	    sizeof(visibilities) / sizeof(visibilities[0]), e->visibility ? e->visibility : "public"));
	tval_set(a, ctx, "products", products_list(a, po, np, e));
	if ((rc = categories_ctx(app, a, ctx, "categories", e->category_id)) != CS_OK)
		return web_result_status(rc);
	if (error != NULL)
		tval_set_str(a, ctx, "error", error);
	if (preview) {
		const char *html = kb_page_preview_html(a, e->body);

		if (html == NULL)
			return 500;
		tval_set(a, ctx, "preview_html", tval_str(a, html));
		tval_set_bool(a, ctx, "preview", 1);
	}
	tval_set_str(a, ctx, "action", art ? arena_printf(a, "/agent/kb/%lld", art->id) :
	    "/agent/kb/new");
	if (art != NULL) {
		if ((rc = article_lists(app, a, ctx, art)) != CS_OK)
			return web_result_status(rc);
		article_ctx(a, ctx, art, kb_page_can_publish(r));
	}
	w->status = status;
	return app_render(app, r, w, "console/kb/edit", ctx);
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
	long long id = web_path_id(r, "id");
	enum cs_result rc;

	if (id == 0)
		return 404;
	rc = kb_article_get(&app->db, r->arena, id, art);
	return rc == CS_OK ? 0 : web_result_status(rc);
}

int
console_kb_new_form(struct app *app, struct req *r, struct resp *w)
{
	struct kb_edit e = { 0 };

	e.type = "howto";
	e.visibility = "public";
	return editor(app, r, w, 200, NULL, &e, 0, NULL);
}

/* A refusal shown in the editor: 409 for a stale form, 422 for the rest. */
static int
refused(enum cs_result rc)
{
	return rc == CS_CONFLICT ? 409 : rc == CS_REFUSED || rc == CS_TAKEN ? 422 : 0;
}

int
console_kb_create(struct app *app, struct req *r, struct resp *w)
{
	struct posted p;
	const char *why = NULL;
	long long id;
	enum cs_result rc;

	if (read_edit(r, &p) < 0)
		return 500;
	if (p.bad_category)
		return editor(app, r, w, 422, NULL, &p.e, 0, "Choose a category from the list.");
	if (p.error != NULL)
		return editor(app, r, w, 422, NULL, &p.e, 0, p.error);
	if (p.preview)
		return editor(app, r, w, 200, NULL, &p.e, 1, NULL);
	rc = kb_article_create(&app->db, r->arena, r->who.id, &p.e, 0, &id, &why);
	if (refused(rc))
		return editor(app, r, w, refused(rc), NULL, &p.e, 0, why);
	if (rc != CS_OK)
		return web_result_status(rc);
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
	struct posted p;
	const char *why = NULL;
	enum cs_result rc;
	int status;

	if ((status = load(app, r, &art)) != 0)
		return status;
	if (read_edit(r, &p) < 0)
		return 500;
	if (art.original_id != 0) {
		/* A translation follows its original's place and audience. */
		p.e.category_id = art.category_id;
		p.e.type = art.type;
		p.e.visibility = art.visibility;
		p.e.slug = art.slug;
		p.bad_category = 0;
	}
	if (p.bad_category)
		return editor(app, r, w, 422, &art, &p.e, 0, "Choose a category from the list.");
	if (p.preview)
		return editor(app, r, w, 200, &art, &p.e, 1, NULL);
	if (p.revision == 0)
		return 400;
	if (p.error != NULL)
		return editor(app, r, w, 422, &art, &p.e, 0, p.error);
	rc = kb_article_update(&app->db, r->arena, r->who.id, art.id, (int)p.revision, &p.e, &why);
	if (refused(rc))
		return editor(app, r, w, refused(rc), &art, &p.e, 0, why);
	if (rc != CS_OK)
		return web_result_status(rc);
	app_audit(app, r, "kb.article.update", "kb_article",
	    arena_printf(r->arena, "%lld", art.id), NULL);
	app_flash(app, r, w, 0, "Saved.");
	resp_redirect(w, arena_printf(r->arena, "/agent/kb/%lld", art.id));
	return 0;
}
