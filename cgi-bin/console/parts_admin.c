/*
 * parts_admin.c — the parts catalogue, for admins: GET /agent/admin/parts
 * lists it by part number (keyset pages: ?after=NUMBER); GET and POST
 * /agent/admin/parts/new and /agent/admin/parts/{id} add and change a
 * part (number, name, cost, service price, the products it fits, the part
 * that replaces an obsolete one, serial-tracked, active). A refused form
 * comes back with its message at the field and what was typed.
 */
#include "console/handlers.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/parts.h"
#include "domain/warranty.h"
#include "tmpl/tval.h"
#include "web/fields.h"
#include "web/result.h"

#include <string.h>

int
console_parts_admin(struct app *app, struct req *r, struct resp *w)
{
	struct arena *a = r->arena;
	struct tval *ctx = app_page(app, r, "Parts catalogue"), *list = tval_list(a);
	const char *after = req_query(r, "after");
	struct parts_part *p;
	size_t n, i;
	int more = 0, rc = 0;
	enum cs_result got;

	if (ctx == NULL || list == NULL)
		return 500;
	if (after != NULL && strlen(after) > PARTS_NUMBER_MAX * 4)
		return 404;
	if ((got = parts_list(&app->db, a, after, &p, &n, &more)) != CS_OK)
		return web_result_status(got);
	for (i = 0; i < n; i++) {
		struct tval *m = tval_map(a);

		rc |= m == NULL || tval_set_int(a, m, "id", p[i].id) ||
		    tval_set_str(a, m, "number", p[i].number) || tval_set_str(a, m, "name", p[i].name) ||
		    tval_set_str(a, m, "cost", p[i].cost) || tval_set_str(a, m, "price", p[i].price) ||
		    tval_set_bool(a, m, "serial_tracked", p[i].serial_tracked) ||
		    tval_set_bool(a, m, "active", p[i].active) ||
		    tval_set_str(a, m, "replaced_by", p[i].replaced_by) ||
		    tval_set_str(a, m, "products", p[i].products) || tval_push(a, list, m);
	}
	rc |= tval_set(a, ctx, "parts", list) | tval_set_bool(a, ctx, "empty", n == 0);
	if (more && n > 0)
		rc |= tval_set_str(a, ctx, "next", p[n - 1].number);
	return rc ? 500 : app_render(app, r, w, "console/parts/catalogue", ctx);
}

static const struct field_rule rules[] = {
	{ "number", "Part number", FIELD_TEXT, 1, 1, PARTS_NUMBER_MAX, NULL },
	{ "name", "Name", FIELD_TEXT, 1, 1, PARTS_NAME_MAX, NULL },
	{ "cost", "Cost", FIELD_TEXT, 0, 0, 16, NULL },
	{ "price", "Service price", FIELD_TEXT, 0, 0, 16, NULL },
	{ "replaced_by", "Replaced by", FIELD_TEXT, 0, 0, PARTS_NUMBER_MAX, NULL },
	{ "serial_tracked", "Serial-tracked", FIELD_TEXT, 0, 0, 1, NULL },
	{ "active", "Active", FIELD_TEXT, 0, 0, 1, NULL },
};
#define NRULES (sizeof(rules) / sizeof(rules[0]))

/* The form of part id (0: new), its products ticked in chosen. */
static int
form(struct app *app, struct req *r, struct resp *w, long long id, struct field_form *f,
    const long long *chosen, size_t nchosen, int serial, int active, int status)
{
	struct arena *a = r->arena;
	struct tval *ctx = app_page(app, r, id > 0 ? "Edit part" : "New part"), *list = tval_list(a);
	struct db_option *o;
	size_t n, i, j;
	int rc = 0;

	if (ctx == NULL || list == NULL || warranty_products(&app->db, a, &o, &n) != CS_OK)
		return ctx == NULL || list == NULL ? 500 : web_db_error(app);
	for (i = 0; i < n; i++) {
		struct tval *m = tval_map(a);
		int on = 0;

		for (j = 0; j < nchosen; j++)
			on |= chosen[j] == o[i].id;
		rc |= m == NULL || tval_set_int(a, m, "id", o[i].id) ||
		    tval_set_str(a, m, "name", o[i].name) || tval_set_bool(a, m, "checked", on) ||
		    tval_push(a, list, m);
	}
	rc |= tval_set(a, ctx, "products", list) | tval_set_int(a, ctx, "id", id) |
	    tval_set_bool(a, ctx, "serial_tracked", serial) | tval_set_bool(a, ctx, "active", active) |
	    fields_ctx(f, ctx);
	if (rc)
		return 500;
	w->status = status;
	return app_render(app, r, w, "console/parts/part_form", ctx);
}

int
console_parts_admin_new(struct app *app, struct req *r, struct resp *w)
{
	struct field_form f;

	if (fields_init(&f, r->arena) < 0)
		return 500;
	return form(app, r, w, 0, &f, NULL, 0, 0, 1, 200);
}

int
console_parts_admin_edit(struct app *app, struct req *r, struct resp *w)
{
	struct parts_part p;
	struct field_form f;
	long long id = web_path_id(r, "id");
	enum cs_result got;

	if (id <= 0)
		return 404;
	if ((got = parts_get(&app->db, r->arena, id, &p)) != CS_OK)
		return web_result_status(got);
	if (fields_init(&f, r->arena) < 0)
		return 500;
	fields_value(&f, "number", p.number);
	fields_value(&f, "name", p.name);
	fields_value(&f, "cost", p.cost);
	fields_value(&f, "price", p.price);
	fields_value(&f, "replaced_by", p.replaced_by);
	return form(app, r, w, id, &f, p.product_ids, p.nproduct_ids, p.serial_tracked, p.active,
	    200);
}

int
console_parts_admin_save(struct app *app, struct req *r, struct resp *w)
{
	const char *v[NRULES], *ids[200], *why = NULL;
	long long id = web_path_id(r, "id"), products[200], saved = 0;
	struct parts_part_in in;
	struct field_form f;
	size_t n, i;
	enum cs_result got;

	if (req_param(r, "id") != NULL && id <= 0)
		return 404;
	if (fields_init(&f, r->arena) < 0)
		return 500;
	fields_check(&f, r, rules, NRULES, v, NULL);
	n = fields_all(r, "product", ids, sizeof(ids) / sizeof(ids[0]));
	for (i = 0; i < n; i++)
		if ((products[i] = web_id(ids[i])) <= 0)
			return 400;
	if (f.failed)
		return 500;
	memset(&in, 0, sizeof(in));
	in.number = v[0];
	in.name = v[1];
	in.cost = v[2];
	in.price = v[3];
	in.replaced_by = v[4];
	in.serial_tracked = strcmp(v[5], "1") == 0;
	in.active = strcmp(v[6], "1") == 0;
	in.products = products;
	in.nproducts = n;
	if (f.nerrors == 0) {
		got = parts_save(&app->db, r->arena, id, &in, &saved, &why);
		if (got == CS_REFUSED)
			fields_error(&f, strstr(why, "number") != NULL ? "number" :
			    strstr(why, "replacement") != NULL ? "replaced_by" :
			    strstr(why, "amounts") != NULL ? "price" : "name", why);
		else if (got != CS_OK)
			return web_result_status(got);
	}
	if (f.nerrors > 0)
		return form(app, r, w, id, &f, products, n, in.serial_tracked, in.active, 422);
	web_flash(app, r, w, "Part %s saved.", in.number);
	resp_redirect(w, "/agent/admin/parts");
	return 0;
}
