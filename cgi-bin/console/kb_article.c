/*
 * kb_article.c — an article's actions beside editing it:
 * POST /agent/kb/{id}/status, GET /agent/kb/{id}/revisions/{rev},
 * POST /agent/kb/{id}/revisions/{rev}/restore, POST /agent/kb/{id}/images,
 * GET /agent/kb/images/{id}, POST /agent/kb/{id}/translations.
 */
#include "console/kb_pages.h"
#include "core/arena.h"
#include "core/buf.h"
#include "domain/kb_author.h"
#include "tmpl/tval.h"
#include "web/fields.h"
#include "web/result.h"

#include <stdio.h>
#include <string.h>

/* A revision number from the path (1 .. 2^30), 0 when it is not one. */
static int
path_revision(const struct req *r)
{
	long long n = web_path_id(r, "rev");

	return n > 1 << 30 ? 0 : (int)n;
}

/* The flash after a refusal, and back to the article (at anchor). */
static int
back_with(struct app *app, struct req *r, struct resp *w, long long id, const char *anchor,
    int error, const char *text)
{
	app_flash(app, r, w, error, text);
	resp_redirect(w, arena_printf(r->arena, "/agent/kb/%lld%s", id, anchor));
	return 0;
}

enum status_field { SF_STATUS, SF__MAX };
static const struct field_rule status_rules[] = {
	[SF_STATUS] = { "status", "Status", FIELD_TEXT, 1, 0, 0, NULL },
};
_Static_assert(sizeof(status_rules) / sizeof(status_rules[0]) == SF__MAX, "a rule per field");

int
console_kb_status(struct app *app, struct req *r, struct resp *w)
{
	long long id = web_path_id(r, "id");
	const char *why = NULL, *vals[SF__MAX];
	struct field_form form;
	enum cs_result rc;

	if (id == 0)
		return 404;
	if (fields_init(&form, r->arena) < 0)
		return 500;
	fields_check(&form, r, status_rules, SF__MAX, vals, NULL);
	rc = kb_article_set_status(&app->db, r->who.id, id, vals[SF_STATUS],
	    kb_page_can_publish(r), &why);
	if (rc == CS_DB_LOST || rc == CS_FAILED)
		return web_result_status(rc);
	if (rc != CS_OK)
		return back_with(app, r, w, id, "", 1, why);
	app_audit(app, r, "kb.article.status", "kb_article", arena_printf(r->arena, "%lld", id),
	    vals[SF_STATUS]);
	return back_with(app, r, w, id, "", 0, arena_printf(r->arena, "Status: %s.",
	    kb_page_status_label(vals[SF_STATUS])));
}

int
console_kb_revision(struct app *app, struct req *r, struct resp *w)
{
	struct kb_article art;
	struct kb_revision rev;
	long long id = web_path_id(r, "id");
	int n = path_revision(r);
	struct tval *ctx;
	const char *html;
	enum cs_result rc;

	if (id == 0 || n == 0)
		return 404;
	if ((rc = kb_article_get(&app->db, r->arena, id, &art)) != CS_OK ||
	    (rc = kb_revision_get(&app->db, r->arena, art.id, n, &rev)) != CS_OK)
		return web_result_status(rc);
	if ((ctx = app_page(app, r, arena_printf(r->arena, "%s: revision %d", art.title,
	    rev.revision))) == NULL || (html = kb_page_preview_html(r->arena, rev.body)) == NULL)
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
	tval_set_str(r->arena, ctx, "visibility", kb_page_visibility_label(rev.visibility));
	tval_set_str(r->arena, ctx, "status", kb_page_status_label(rev.status));
	tval_set_str(r->arena, ctx, "body", rev.body);
	tval_set(r->arena, ctx, "body_html", tval_str(r->arena, html));
	return app_render(app, r, w, "console/kb/revision", ctx);
}

/* Takes no fields: the article and the revision are in the path. */
int
console_kb_restore(struct app *app, struct req *r, struct resp *w)
{
	long long id = web_path_id(r, "id");
	int n = path_revision(r);
	enum cs_result rc;

	if (id == 0 || n == 0)
		return 404;
	if ((rc = kb_revision_restore(&app->db, r->who.id, id, n)) != CS_OK)
		return web_result_status(rc);
	app_audit(app, r, "kb.article.restore", "kb_article", arena_printf(r->arena, "%lld", id),
	    arena_printf(r->arena, "revision %d", n));
	return back_with(app, r, w, id, "", 0, arena_printf(r->arena,
	    "Revision %d restored as a new revision.", n));
}

/* A multipart form whose one field is the file: no text fields to declare. */
int
console_kb_image_upload(struct app *app, struct req *r, struct resp *w)
{
	const struct form_file *f = form_file(&r->body, "image");
	long long id = web_path_id(r, "id"), image;
	const char *why = NULL;
	enum cs_result rc;

	if (id == 0)
		return 404;
	if (f == NULL)
		return back_with(app, r, w, id, "#images", 1, "Choose an image to add.");
	rc = kb_image_add(&app->db, r->who.id, id, f->filename, f->data, f->len, &image, &why);
	if (rc == CS_DB_LOST || rc == CS_FAILED)
		return web_result_status(rc);
	if (rc != CS_OK)
		return back_with(app, r, w, id, "#images", 1, why);
	return back_with(app, r, w, id, "#images", 0, arena_printf(r->arena, "Image added: paste"
	    " ![%s](/kb/images/%lld) where it belongs.", f->filename, image));
}

int
console_kb_image(struct app *app, struct req *r, struct resp *w)
{
	struct kb_image img;
	long long id = web_path_id(r, "id");
	enum cs_result rc;

	if (id == 0)
		return 404;
	if ((rc = kb_image_get(&app->db, r->arena, KB_STAFF, id, &img)) != CS_OK)
		return web_result_status(rc);
	w->content_type = img.content_type;
	resp_header(w, "X-Content-Type-Options", "nosniff");
	buf_add(&w->body, img.data, img.size);
	return 0;
}

enum translate_field { TF_LANGUAGE, TF__MAX };
static const struct field_rule translate_rules[] = {
	[TF_LANGUAGE] = { "language", "Language", FIELD_TEXT, 0, 0, 0, NULL },
};
_Static_assert(sizeof(translate_rules) / sizeof(translate_rules[0]) == TF__MAX,
    "a rule per field");

int
console_kb_translate(struct app *app, struct req *r, struct resp *w)
{
	long long id = web_path_id(r, "id"), tid;
	const char *why = NULL, *vals[TF__MAX];
	struct field_form form;
	enum cs_result rc;

	if (id == 0)
		return 404;
	if (fields_init(&form, r->arena) < 0)
		return 500;
	fields_check(&form, r, translate_rules, TF__MAX, vals, NULL);
	rc = kb_translation_create(&app->db, r->who.id, id, vals[TF_LANGUAGE], &tid, &why);
	if (rc == CS_DB_LOST || rc == CS_FAILED)
		return web_result_status(rc);
	if (rc != CS_OK)
		return back_with(app, r, w, id, "#translations", 1, why);
	app_flash(app, r, w, 0, "Translation started: replace the text below, then save.");
	resp_redirect(w, arena_printf(r->arena, "/agent/kb/%lld", tid));
	return 0;
}
