/*
 * warranty.c — a customer's products: GET /products ("my products", with
 * their cover in words), GET /products/new and POST /products (register
 * one, with its proof of purchase), GET /products/{id} (its cover and
 * claims), POST /products/{id}/claims (claim warranty), GET
 * /catalogue/{id}/image (a product's picture).
 *
 * Everything runs as the signed-in customer in the request's transaction
 * scoped to their account (row-level security): a product or claim that
 * is not theirs is not found (404). The handlers parse, call
 * domain/warranty.h and warranty_claims.h, and answer.
 */
#include "portal/handlers.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/warranty.h"
#include "domain/warranty_claims.h"
#include "tmpl/tval.h"
#include "web/fields.h"
#include "web/result.h"
#include "web/warranty_view.h"

#include <string.h>

static struct warranty_actor
actor(const struct req *r)
{
	struct warranty_actor by = { WA_CUSTOMER, r->who.id, r->who.customer_id, 0 };

	return by;
}

int
portal_products(struct app *app, struct req *r, struct resp *w)
{
	struct tval *ctx = app_page(app, r, "My products"), *list;
	struct warranty_registration *rows;
	long long after = 0;
	size_t n, i;
	int more, rc;

	if (ctx == NULL || (list = tval_list(r->arena)) == NULL)
		return 500;
	if (web_query_key(r, "after", &after) < 0)
		return app_bad_query(app, r, w, "after", NULL, NULL);
	if (warranty_registrations_of(&app->db, r->arena, r->who.customer_id, after, &rows, &n,
	    &more) != CS_OK)
		return 503;
	rc = 0;
	for (i = 0; i < n; i++)
		rc |= tval_push(r->arena, list, warranty_view_registration(r->arena, &rows[i]));
	rc |= tval_set(r->arena, ctx, "products", list);
	rc |= tval_set_bool(r->arena, ctx, "has_products", n > 0);
	rc |= tval_set_bool(r->arena, ctx, "paged", after > 0);
	if (more && n > 0)
		rc |= tval_set_str(r->arena, ctx, "older", arena_printf(r->arena,
		    "/products?after=%lld", rows[n - 1].id));
	return rc ? 500 : app_render(app, r, w, "portal/products", ctx);
}

/* ---- registering -------------------------------------------------------- */

static const struct field_rule reg_rules[] = {
	{ "product_id", "Product", FIELD_INT, 1, 1, 1LL << 62, NULL },
	{ "serial", "Serial number", FIELD_TEXT, 1, 1, WARRANTY_SERIAL_MAX, NULL },
	{ "start_date", "Date", FIELD_TEXT, 1, 10, 10, NULL },
};
enum { RG_PRODUCT, RG_SERIAL, RG_DATE, RG__MAX };
_Static_assert(sizeof(reg_rules) / sizeof(reg_rules[0]) == RG__MAX, "one rule per field");

static int
reg_form(struct app *app, struct req *r, struct resp *w, struct field_form *f, int status,
    const char *message)
{
	struct tval *ctx = app_page(app, r, "Register a product");
	struct db_option *prods;
	size_t n;
	int rc = 0;

	if (ctx == NULL)
		return 500;
	if (warranty_products(&app->db, r->arena, &prods, &n) != CS_OK)
		return 503;
	rc |= tval_set(r->arena, ctx, "product_options", warranty_view_options(r->arena, prods, n,
	    web_id(req_field(r, "product_id"))));
	rc |= tval_set_str(r->arena, ctx, "message", message != NULL ? message : "");
	if (f != NULL)
		rc |= fields_ctx(f, ctx);
	if (rc)
		return 500;
	w->status = status;
	return app_render(app, r, w, "portal/product_new", ctx);
}

int
portal_product_new(struct app *app, struct req *r, struct resp *w)
{
	return reg_form(app, r, w, NULL, 200, NULL);
}

/* The file sent as "proof", or NULL. */
static const struct form_file *
proof_of(const struct req *r)
{
	size_t i;

	for (i = 0; i < r->body.nfiles; i++)
		if (strcmp(r->body.files[i].field, "proof") == 0 && r->body.files[i].len > 0)
			return &r->body.files[i];
	return NULL;
}

int
portal_product_register(struct app *app, struct req *r, struct resp *w)
{
	struct warranty_actor by = actor(r);
	struct warranty_reg_input in;
	const struct form_file *proof = proof_of(r);
	const char *v[RG__MAX], *why, *field;
	long long nums[RG__MAX], id;
	struct field_form f;
	enum cs_result rc;

	if (fields_init(&f, r->arena) < 0)
		return 500;
	fields_check(&f, r, reg_rules, RG__MAX, v, nums);
	if (f.failed)
		return 500;
	if (f.nerrors)
		return reg_form(app, r, w, &f, 422, NULL);
	memset(&in, 0, sizeof(in));
	in.product_id = nums[RG_PRODUCT];
	in.serial = v[RG_SERIAL];
	in.start_date = v[RG_DATE];
	if (proof != NULL) {
		in.proof_name = proof->filename;
		in.proof_type = proof->content_type;
		in.proof = proof->data;
		in.proof_size = proof->len;
	}
	rc = warranty_register(&app->db, r->arena, &by, &in, &id, &why, &field);
	/* Someone else's serial: refused, but answered 200 so that the request's
	 * transaction commits the flag that puts it before staff. */
	if (rc == CS_REFUSED || rc == CS_TAKEN) {
		fields_error(&f, field != NULL ? field : "serial", why);
		return reg_form(app, r, w, &f, rc == CS_TAKEN ? 200 : 422, why);
	}
	if (rc != CS_OK)
		return web_result_status(rc);
	web_flash(app, r, w, "Serial %s is registered.", utf8_short(r->arena, in.serial,
	    FLASH_NAME));
	resp_redirect(w, arena_printf(r->arena, "/products/%lld", id));
	return 0;
}

/* ---- one product and its claims ------------------------------------------ */

static int
product_page(struct app *app, struct req *r, struct resp *w, long long id,
    struct field_form *f, int status)
{
	struct warranty_registration g;
	struct warranty_claim *claims;
	struct tval *ctx;
	size_t n;
	enum cs_result rc;
	int bad = 0;

	rc = warranty_registration_get(&app->db, r->arena, id, r->who.customer_id, &g);
	if (rc != CS_OK)
		return web_result_status(rc);
	if ((rc = warranty_claims_of(&app->db, r->arena, id, r->who.customer_id, &claims, &n)) !=
	    CS_OK)
		return web_result_status(rc);
	if ((ctx = app_page(app, r, g.product)) == NULL)
		return 500;
	bad |= tval_set(r->arena, ctx, "product", warranty_view_registration(r->arena, &g));
	bad |= tval_set(r->arena, ctx, "claims", warranty_view_claims(r->arena, claims, n));
	bad |= tval_set_bool(r->arena, ctx, "has_claims", n > 0);
	bad |= tval_set_int(r->arena, ctx, "problem_max", WARRANTY_PROBLEM_MAX);
	if (f != NULL)
		bad |= fields_ctx(f, ctx);
	if (bad)
		return 500;
	w->status = status;
	return app_render(app, r, w, "portal/product", ctx);
}

int
portal_product(struct app *app, struct req *r, struct resp *w)
{
	long long id = web_path_id(r, "id");

	return id > 0 ? product_page(app, r, w, id, NULL, 200) : 404;
}

static const struct field_rule claim_rules[] = {
	{ "problem", "What is wrong", FIELD_LINES, 1, 1, WARRANTY_PROBLEM_MAX, NULL },
};

int
portal_product_claim(struct app *app, struct req *r, struct resp *w)
{
	struct warranty_actor by = actor(r);
	struct warranty_claim_input in;
	const char *v[1], *why, *field;
	long long id = web_path_id(r, "id"), claim;
	struct field_form f;
	enum cs_result rc;

	if (id <= 0)
		return 404;
	if (fields_init(&f, r->arena) < 0)
		return 500;
	fields_check(&f, r, claim_rules, 1, v, NULL);
	if (f.failed)
		return 500;
	if (f.nerrors)
		return product_page(app, r, w, id, &f, 422);
	memset(&in, 0, sizeof(in));
	in.registration_id = id;
	in.problem = v[0];
	in.submit = 1;
	rc = warranty_claim_open(&app->db, r->arena, &by, &in, &claim, &why, &field);
	if (rc == CS_REFUSED) {
		fields_error(&f, "problem", why);
		return product_page(app, r, w, id, &f, 422);
	}
	if (rc != CS_OK)
		return web_result_status(rc);
	web_flash(app, r, w, "Your claim WC-%06lld is submitted: we will write to you when it is "
	    "decided.", claim);
	resp_redirect(w, arena_printf(r->arena, "/products/%lld", id));
	return 0;
}

int
portal_catalogue_image(struct app *app, struct req *r, struct resp *w)
{
	return warranty_view_picture(app, r, w, web_path_id(r, "id"));
}
