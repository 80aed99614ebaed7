/*
 * kb_categories.c — the knowledge base's category tree:
 * GET /agent/kb/categories, POST /agent/kb/categories (a new one),
 * POST /agent/kb/categories/{id} (rename, move, order).
 */
#include "console/handlers.h"
#include "web/fields.h"
#include "core/arena.h"
#include "core/config.h"
#include "domain/kb_author.h"
#include "tmpl/tval.h"

#include <stdio.h>
#include <string.h>

static int
page(struct app *app, struct req *r, struct resp *w, int status, const char *error,
    long long failed_id)
{
	struct tval *ctx = app_page(app, r, "Knowledge-base categories"), *list;
	struct kb_category *c;
	size_t n, i, k;

	if (ctx == NULL || (list = tval_list(r->arena)) == NULL)
		return 500;
	if (kb_categories(&app->db, r->arena, KB_STAFF, 1, &c, &n) < 0)
		return web_db_error(app);
	for (i = 0; i < n; i++) {
		struct tval *m = tval_map(r->arena), *parents = tval_list(r->arena);

		/* Any other category may be the parent; the database refuses cycles. */
		for (k = 0; k < n; k++) {
			struct tval *o;

			if (k == i)
				continue;
			o = tval_map(r->arena);
			tval_set_int(r->arena, o, "id", c[k].id);
			tval_set_str(r->arena, o, "name", c[k].name);
			tval_set_bool(r->arena, o, "selected", c[k].id == c[i].parent_id);
			tval_push(r->arena, parents, o);
		}
		tval_set_int(r->arena, m, "id", c[i].id);
		tval_set_str(r->arena, m, "name", c[i].name);
		tval_set_str(r->arena, m, "slug", c[i].slug);
		tval_set_str(r->arena, m, "description", c[i].description);
		tval_set_int(r->arena, m, "position", c[i].position);
		tval_set_int(r->arena, m, "depth", c[i].depth);
		tval_set_str(r->arena, m, "indent", arena_printf(r->arena, "%.*s",
		    (int)(strlen("— ") * (size_t)(c[i].depth > 4 ? 4 : c[i].depth)), "— — — — "));
		tval_set_int(r->arena, m, "articles", c[i].articles);
		tval_set_bool(r->arena, m, "top", c[i].parent_id == 0);
		tval_set_bool(r->arena, m, "failed", c[i].id == failed_id);
		tval_set(r->arena, m, "parents", parents);
		tval_push(r->arena, list, m);
	}
	tval_set(r->arena, ctx, "categories", list);
	if (error != NULL)
		tval_set_str(r->arena, ctx, "error", error);
	w->status = status;
	return app_render(app, r, w, "console/kb/categories", ctx);
}

int
console_kb_categories(struct app *app, struct req *r, struct resp *w)
{
	return page(app, r, w, 200, NULL, 0);
}

static int
save(struct app *app, struct req *r, struct resp *w, long long id)
{
	const char *name = req_field(r, "name"), *slug = req_field(r, "slug");
	const char *parent = req_field(r, "parent"), *pos = req_field(r, "position");
	const char *why = NULL;
	long long parent_id = 0, position = 0, made;
	int rc;

	if ((parent != NULL && parent[0] != '\0' &&
	    config_parse_long(parent, 1, 1LL << 62, &parent_id) < 0) ||
	    (pos != NULL && pos[0] != '\0' && config_parse_long(pos, -100000, 100000, &position) < 0))
		return page(app, r, w, 422, "Choose the parent from the list and give the order as"
		    " a number.", id);
	if ((slug == NULL || slug[0] == '\0') && (slug = kb_slugify(r->arena, name)) == NULL)
		return 500;
	rc = kb_category_save(&app->db, id, name, slug, parent_id, (int)position,
	    req_field(r, "description"), &made, &why);
	if (rc == KB_REFUSED)
		return page(app, r, w, 422, why, id);
	if (rc != 0)
		return web_db_error(app);
	app_audit(app, r, id ? "kb.category.update" : "kb.category.create", "kb_category",
	    arena_printf(r->arena, "%lld", made), name);
	app_flash(app, r, w, 0, id ? "Category saved." : "Category added.");
	resp_redirect(w, "/agent/kb/categories");
	return 0;
}

int
console_kb_category_create(struct app *app, struct req *r, struct resp *w)
{
	return save(app, r, w, 0);
}

int
console_kb_category_update(struct app *app, struct req *r, struct resp *w)
{
	long long id;

	if (config_parse_long(req_param(r, "id"), 1, 1LL << 62, &id) < 0)
		return 404;
	return save(app, r, w, id);
}
