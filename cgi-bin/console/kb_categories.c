/*
 * kb_categories.c — the knowledge base's category tree:
 * GET /agent/kb/categories, POST /agent/kb/categories (a new one),
 * POST /agent/kb/categories/{id} (rename, move, order).
 */
#include "console/kb_pages.h"
#include "core/arena.h"
#include "domain/kb_author.h"
#include "tmpl/tval.h"
#include "web/fields.h"
#include "web/result.h"

#include <stdio.h>
#include <string.h>

static int
page(struct app *app, struct req *r, struct resp *w, int status, const char *error,
    long long failed_id)
{
	struct tval *ctx = app_page(app, r, "Knowledge-base categories"), *list;
	struct kb_category *c;
	size_t n, i, k;
	enum cs_result rc;

	if (ctx == NULL || (list = tval_list(r->arena)) == NULL)
		return 500;
	if ((rc = kb_categories(&app->db, r->arena, KB_STAFF, 1, &c, &n)) != CS_OK)
		return web_result_status(rc);
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
		tval_set_str(r->arena, m, "indent", kb_page_indent(r->arena, c[i].depth));
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

enum category_field { CF_NAME, CF_SLUG, CF_PARENT, CF_POSITION, CF_DESCRIPTION, CF__MAX };

/* The limits are the domain's (kb_category_save): these only read the form. */
static const struct field_rule category_rules[] = {
	[CF_NAME] = { "name", "Name", FIELD_TEXT, 0, 0, 0, NULL },
	[CF_SLUG] = { "slug", "Address", FIELD_TEXT, 0, 0, 0, NULL },
	[CF_PARENT] = { "parent", "Parent", FIELD_INT, 0, 1, 1LL << 62, NULL },
	[CF_POSITION] = { "position", "Order", FIELD_INT, 0, -100000, 100000, NULL },
	[CF_DESCRIPTION] = { "description", "Description", FIELD_TEXT, 0, 0, 0, NULL },
};
_Static_assert(sizeof(category_rules) / sizeof(category_rules[0]) == CF__MAX,
    "a rule per field");

static int
save(struct app *app, struct req *r, struct resp *w, long long id)
{
	const char *why = NULL, *vals[CF__MAX];
	long long nums[CF__MAX], made;
	struct field_form form;
	enum cs_result rc;

	if (fields_init(&form, r->arena) < 0)
		return 500;
	fields_check(&form, r, category_rules, CF__MAX, vals, nums);
	if (form.failed)
		return 500;
	if (tval_get(form.errors, "parent") != NULL || tval_get(form.errors, "position") != NULL)
		return page(app, r, w, 422, "Choose the parent from the list and give the order as"
		    " a number.", id);
	if (form.nerrors > 0)
		return page(app, r, w, 422, fields_first_error(&form), id);
	rc = kb_category_save(&app->db, r->arena, id, vals[CF_NAME], vals[CF_SLUG],
	    nums[CF_PARENT], (int)nums[CF_POSITION], vals[CF_DESCRIPTION], &made, &why);
	if (rc == CS_REFUSED || rc == CS_TAKEN || rc == CS_NOT_FOUND)
		return page(app, r, w, 422, why, id);
	if (rc != CS_OK)
		return web_result_status(rc);
	app_audit(app, r, id ? "kb.category.update" : "kb.category.create", "kb_category",
	    arena_printf(r->arena, "%lld", made), vals[CF_NAME]);
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
	long long id = web_path_id(r, "id");

	if (id == 0)
		return 404;
	return save(app, r, w, id);
}
