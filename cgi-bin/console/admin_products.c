/*
 * admin_products.c — the product catalogue (admins): GET|POST
 * /agent/admin/products (the list and the add form), GET|POST
 * /agent/admin/products/{id} (one product's form), GET
 * /agent/admin/products/{id}/image (its picture). What a product holds and
 * the rules are domain/product_catalogue.h; changes to the warranty terms
 * recompute the cover of every unit registered. Routes and access (admin
 * only) are in cgi-bin/console.c.
 */
#include "console/handlers.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/audit.h"
#include "domain/product_catalogue.h"
#include "tmpl/tval.h"
#include "web/fields.h"
#include "web/result.h"
#include "web/warranty_view.h"

#include <string.h>

#define PRODUCTS_URL "/agent/admin/products"

static const char *const yes_no[] = { "yes", "no", NULL };
static const char *const basis_labels[] = { "Delivery date", "Invoice date",
	"Installation date" };

static const struct field_rule rules[] = {
	{ "sku", "SKU", FIELD_TEXT, 1, 1, PRODUCT_SKU_MAX, NULL },
	{ "name", "Name", FIELD_TEXT, 1, 1, PRODUCT_NAME_MAX, NULL },
	{ "model", "Model", FIELD_TEXT, 0, 0, PRODUCT_MODEL_MAX, NULL },
	{ "category_id", "Category", FIELD_INT, 0, 1, 1LL << 62, NULL },
	{ "parts_months", "Parts (months)", FIELD_INT, 0, 0, PRODUCT_MONTHS_MAX, NULL },
	{ "labour_months", "Labour (months)", FIELD_INT, 0, 0, PRODUCT_MONTHS_MAX, NULL },
	{ "basis", "Counted from", FIELD_CHOICE, 0, 0, 0, product_bases },
	{ "travel", "Travel covered", FIELD_CHOICE, 0, 0, 0, yes_no },
	{ "serviceable", "Serviceable", FIELD_CHOICE, 0, 0, 0, yes_no },
	{ "active", "Active", FIELD_CHOICE, 0, 0, 0, yes_no },
};
enum { PF_SKU, PF_NAME, PF_MODEL, PF_CATEGORY, PF_PARTS, PF_LABOUR, PF_BASIS, PF_TRAVEL,
	PF_SERVICEABLE, PF_ACTIVE, PF__MAX };
_Static_assert(sizeof(rules) / sizeof(rules[0]) == PF__MAX, "one rule per field");

/* The selects of the form, with current values. */
static int
selects(struct app *app, struct arena *a, struct tval *ctx, long long category,
    const char *basis, const char *travel, const char *serviceable, const char *active)
{
	struct db_option *cats;
	struct tval *list = tval_list(a), *none = tval_map(a);
	size_t n, i;
	int rc = list == NULL || none == NULL;

	if (product_catalogue_categories(&app->db, a, &cats, &n) != CS_OK)
		return -2;
	rc |= tval_set_str(a, none, "value", "") | tval_set_str(a, none, "label", "None") |
	    tval_set_bool(a, none, "selected", category == 0) | tval_push(a, list, none);
	for (i = 0; i < n && !rc; i++) {
		struct tval *m = tval_map(a);

		rc |= tval_set_str(a, m, "value", arena_printf(a, "%lld", cats[i].id));
		rc |= tval_set_str(a, m, "label", cats[i].name);
		rc |= tval_set_bool(a, m, "selected", cats[i].id == category);
		rc |= tval_push(a, list, m);
	}
	rc |= tval_set(a, ctx, "category_options", list);
	rc |= tval_set(a, ctx, "basis_options", fields_select(a, product_bases, basis_labels, 3,
	    basis));
	rc |= tval_set(a, ctx, "travel_options", fields_select(a, yes_no, NULL, 2, travel));
	rc |= tval_set(a, ctx, "serviceable_options", fields_select(a, yes_no, NULL, 2,
	    serviceable));
	rc |= tval_set(a, ctx, "active_options", fields_select(a, yes_no, NULL, 2, active));
	return rc;
}

static int
list_page(struct app *app, struct req *r, struct resp *w, struct field_form *f, int status)
{
	struct tval *ctx = app_page(app, r, "Products"), *list;
	struct arena *a = r->arena;
	struct product *rows;
	size_t n, i;
	int rc = 0;

	if (ctx == NULL || (list = tval_list(a)) == NULL)
		return 500;
	if (product_catalogue_list(&app->db, a, &rows, &n) != CS_OK)
		return web_db_error(app);
	for (i = 0; i < n; i++) {
		struct tval *m = tval_map(a);

		rc |= tval_set_int(a, m, "id", rows[i].id);
		rc |= tval_set_str(a, m, "sku", rows[i].sku);
		rc |= tval_set_str(a, m, "name", rows[i].name);
		rc |= tval_set_str(a, m, "model", rows[i].model);
		rc |= tval_set_str(a, m, "category", rows[i].category);
		rc |= tval_set_int(a, m, "parts_months", rows[i].parts_months);
		rc |= tval_set_int(a, m, "labour_months", rows[i].labour_months);
		rc |= tval_set_bool(a, m, "travel", rows[i].travel);
		rc |= tval_set_str(a, m, "basis", rows[i].basis);
		rc |= tval_set_bool(a, m, "serviceable", rows[i].serviceable);
		rc |= tval_set_bool(a, m, "active", rows[i].active);
		rc |= tval_set_bool(a, m, "has_image", rows[i].has_image);
		rc |= tval_set_int(a, m, "registrations", rows[i].registrations);
		rc |= tval_push(a, list, m);
	}
	rc |= tval_set(a, ctx, "products", list);
	rc |= tval_set_str(a, ctx, "action", PRODUCTS_URL);
	rc = rc ? -1 : selects(app, a, ctx, web_id(req_field(r, "category_id")),
	    req_field(r, "basis"), req_field(r, "travel") ? req_field(r, "travel") : "no",
	    req_field(r, "serviceable"), "yes");
	if (rc == -2)
		return web_db_error(app);
	if (f != NULL)
		rc |= fields_ctx(f, ctx);
	else {
		struct tval *fv = tval_map(a);

		rc |= tval_set_str(a, fv, "parts_months", "12") |
		    tval_set_str(a, fv, "labour_months", "12") | tval_set(a, ctx, "f", fv);
	}
	if (rc)
		return 500;
	w->status = status;
	return app_render(app, r, w, "console/admin/products", ctx);
}

int
console_admin_products(struct app *app, struct req *r, struct resp *w)
{
	return list_page(app, r, w, NULL, 200);
}

static int
edit_page(struct app *app, struct req *r, struct resp *w, long long id, struct field_form *f,
    int status)
{
	struct product p;
	struct tval *ctx, *fv;
	struct arena *a = r->arena;
	enum cs_result res = product_catalogue_get(&app->db, a, id, &p);
	int rc = 0;

	if (res != CS_OK)
		return res == CS_NOT_FOUND ? 404 : web_db_error(app);
	if ((ctx = app_page(app, r, p.name)) == NULL || (fv = tval_map(a)) == NULL)
		return 500;
	rc |= tval_set_int(a, ctx, "id", id);
	rc |= tval_set_str(a, ctx, "product_name", p.name);
	rc |= tval_set_bool(a, ctx, "has_image", p.has_image);
	rc |= tval_set_int(a, ctx, "registrations", p.registrations);
	rc |= tval_set_str(a, ctx, "action", arena_printf(a, PRODUCTS_URL "/%lld", id));
	if (f != NULL) {
		rc |= fields_ctx(f, ctx);
		rc = rc ? -1 : selects(app, a, ctx, web_id(req_field(r, "category_id")),
		    req_field(r, "basis"), req_field(r, "travel"), req_field(r, "serviceable"),
		    req_field(r, "active"));
	} else {
		rc |= tval_set_str(a, fv, "sku", p.sku) | tval_set_str(a, fv, "name", p.name) |
		    tval_set_str(a, fv, "model", p.model) |
		    tval_set_int(a, fv, "parts_months", p.parts_months) |
		    tval_set_int(a, fv, "labour_months", p.labour_months) | tval_set(a, ctx, "f", fv);
		rc = rc ? -1 : selects(app, a, ctx, p.category_id, p.basis, p.travel ? "yes" : "no",
		    p.serviceable ? "yes" : "no", p.active ? "yes" : "no");
	}
	if (rc == -2)
		return web_db_error(app);
	if (rc)
		return 500;
	w->status = status;
	return app_render(app, r, w, "console/admin/product_edit", ctx);
}

int
console_admin_product(struct app *app, struct req *r, struct resp *w)
{
	long long id = web_path_id(r, "id");

	return id > 0 ? edit_page(app, r, w, id, NULL, 200) : 404;
}

/* The file sent as "image", or NULL. */
static const struct form_file *
image_of(const struct req *r)
{
	size_t i;

	for (i = 0; i < r->body.nfiles; i++)
		if (strcmp(r->body.files[i].field, "image") == 0 && r->body.files[i].len > 0)
			return &r->body.files[i];
	return NULL;
}

/*
 * POST: add (id 0) or change product id. A form posted with SKU and name
 * only gets the table's defaults: 12 months each, from delivery,
 * serviceable, active.
 */
static int
save(struct app *app, struct req *r, struct resp *w, long long id)
{
	const struct form_file *img = image_of(r);
	const char *v[PF__MAX], *why, *field;
	long long nums[PF__MAX], saved;
	struct product_input in;
	struct audit_entry by;
	struct field_form f;
	enum cs_result rc;

	if (fields_init(&f, r->arena) < 0)
		return 500;
	fields_check(&f, r, rules, PF__MAX, v, nums);
	if (f.failed)
		return 500;
	if (f.nerrors)
		return id ? edit_page(app, r, w, id, &f, 422) : list_page(app, r, w, &f, 422);
	memset(&in, 0, sizeof(in));
	in.sku = v[PF_SKU];
	in.name = v[PF_NAME];
	in.model = v[PF_MODEL];
	in.category_id = nums[PF_CATEGORY];
	in.parts_months = *v[PF_PARTS] != '\0' ? (int)nums[PF_PARTS] : 12;
	in.labour_months = *v[PF_LABOUR] != '\0' ? (int)nums[PF_LABOUR] : 12;
	in.basis = *v[PF_BASIS] != '\0' ? v[PF_BASIS] : "delivery";
	in.travel = strcmp(v[PF_TRAVEL], "yes") == 0;
	in.serviceable = strcmp(v[PF_SERVICEABLE], "no") != 0;
	in.active = strcmp(v[PF_ACTIVE], "no") != 0;
	if (img != NULL) {
		in.image = img->data;
		in.image_size = img->len;
	}
	web_audit_actor(r, &by);
	rc = product_catalogue_save(&app->db, r->arena, &by, id, &in, &saved, &why, &field);
	if (rc == CS_REFUSED || rc == CS_TAKEN) {
		fields_error(&f, field != NULL ? field : "sku", why);
		return id ? edit_page(app, r, w, id, &f, 422) : list_page(app, r, w, &f, 422);
	}
	if (rc != CS_OK)
		return rc == CS_NOT_FOUND ? 404 : web_result_status(rc);
	web_flash(app, r, w, id ? "Changes to “%s” were saved." : "“%s” was added.",
	    utf8_short(r->arena, in.name, FLASH_NAME));
	resp_redirect(w, PRODUCTS_URL);
	return 0;
}

int
console_admin_products_post(struct app *app, struct req *r, struct resp *w)
{
	return save(app, r, w, 0);
}

int
console_admin_product_post(struct app *app, struct req *r, struct resp *w)
{
	long long id = web_path_id(r, "id");

	return id > 0 ? save(app, r, w, id) : 404;
}

int
console_admin_product_image(struct app *app, struct req *r, struct resp *w)
{
	return warranty_view_picture(app, r, w, web_path_id(r, "id"));
}
