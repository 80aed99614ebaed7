/*
 * warranty_customers.c — a customer's products card in the console:
 * GET /agent/customers/{id}/products (their registrations with cover,
 * their service contracts), POST /agent/customers/{id}/products (staff
 * register a product for them), POST /agent/customers/{id}/contracts (a
 * service contract). Linked from the ticket page's warranty panel and
 * from each claim.
 */
#include "console/handlers.h"
#include "core/arena.h"
#include "db/db.h"
#include "core/buf.h"
#include "domain/customers.h"
#include "domain/tickets.h"
#include "domain/warranty.h"
#include "domain/warranty_contracts.h"
#include "tmpl/tval.h"
#include "web/fields.h"
#include "web/result.h"
#include "web/warranty_view.h"

#include <string.h>

static const char *const tiers[] = { "standard", "premium", "vip" };

static struct tval *
contracts_list(struct arena *a, const struct warranty_contract *k, size_t n)
{
	struct tval *list = tval_list(a);
	size_t i;
	int rc = list == NULL;

	for (i = 0; i < n && !rc; i++) {
		struct tval *m = tval_map(a);

		rc |= m == NULL;
		rc |= tval_set_str(a, m, "name", k[i].name);
		rc |= tval_set_str(a, m, "starts_on", warranty_date_words(a, k[i].starts_on));
		rc |= tval_set_str(a, m, "ends_on", warranty_date_words(a, k[i].ends_on));
		rc |= tval_set_str(a, m, "covers", k[i].covers);
		rc |= tval_set_str(a, m, "tier", k[i].response_tier);
		rc |= tval_set_bool(a, m, "parts", k[i].parts);
		rc |= tval_set_bool(a, m, "labour", k[i].labour);
		rc |= tval_set_bool(a, m, "travel", k[i].travel);
		rc |= tval_set_int(a, m, "visits", k[i].visits);
		rc |= tval_push(a, list, m);
	}
	return rc ? NULL : list;
}

/* The card; form names which form f belongs to ("register" or "contract"). */
static int
card(struct app *app, struct req *r, struct resp *w, long long id, const char *form,
    struct field_form *f, const char *message, int status)
{
	struct customer_account c;
	struct customer_user *users;
	struct warranty_registration *regs;
	struct warranty_contract *ks;
	struct db_option *prods;
	struct tval *ctx, *list;
	long long after = 0;
	size_t nu, n, nk, np, i;
	int more, bad = 0;
	enum cs_result rc;

	if (web_query_key(r, "after", &after) < 0)
		return app_bad_query(app, r, w, "after", NULL, NULL);
	if ((rc = customer_get(&app->db, r->arena, id, &c, &users, &nu)) != CS_OK)
		return rc == CS_NOT_FOUND ? 404 : web_db_error(app);
	if (warranty_registrations_of(&app->db, r->arena, id, after, &regs, &n, &more) != CS_OK ||
	    warranty_contracts_of(&app->db, r->arena, id, &ks, &nk) != CS_OK)
		return web_db_error(app);
	if ((ctx = app_page(app, r, c.name)) == NULL || (list = tval_list(r->arena)) == NULL)
		return 500;
	for (i = 0; i < n; i++)
		bad |= tval_push(r->arena, list, warranty_view_registration(r->arena, &regs[i]));
	bad |= tval_set_int(r->arena, ctx, "customer_id", id);
	bad |= tval_set_str(r->arena, ctx, "customer", c.name);
	bad |= tval_set(r->arena, ctx, "products", list);
	bad |= tval_set_bool(r->arena, ctx, "has_products", n > 0);
	bad |= tval_set(r->arena, ctx, "contracts", contracts_list(r->arena, ks, nk));
	if (warranty_products(&app->db, r->arena, &prods, &np) != CS_OK)
		return web_db_error(app);
	bad |= tval_set(r->arena, ctx, "product_options", warranty_view_options(r->arena, prods,
	    np, web_id(req_field(r, "product_id"))));
	bad |= tval_set(r->arena, ctx, "tiers", fields_select(r->arena, tiers, NULL, 3,
	    req_field(r, "response_tier")));
	if (more && n > 0)
		bad |= tval_set_str(r->arena, ctx, "older", arena_printf(r->arena,
		    "/agent/customers/%lld/products?after=%lld", id, regs[n - 1].id));
	bad |= tval_set_str(r->arena, ctx, "message", message != NULL ? message : "");
	bad |= tval_set_bool(r->arena, ctx, "in_register", form != NULL &&
	    strcmp(form, "register") == 0);
	bad |= tval_set_bool(r->arena, ctx, "in_contract", form != NULL &&
	    strcmp(form, "contract") == 0);
	if (f != NULL)
		bad |= fields_ctx(f, ctx);
	if (bad)
		return 500;
	w->status = status;
	return app_render(app, r, w, "console/warranty/customer", ctx);
}

int
console_customer_products(struct app *app, struct req *r, struct resp *w)
{
	long long id = web_path_id(r, "id");

	return id > 0 ? card(app, r, w, id, NULL, NULL, NULL, 200) : 404;
}

static const struct field_rule reg_rules[] = {
	{ "product_id", "Product", FIELD_INT, 1, 1, 1LL << 62, NULL },
	{ "serial", "Serial number", FIELD_TEXT, 1, 1, WARRANTY_SERIAL_MAX, NULL },
	{ "start_date", "Date", FIELD_TEXT, 1, 10, 10, NULL },
};
enum { RG_PRODUCT, RG_SERIAL, RG_DATE, RG__MAX };
_Static_assert(sizeof(reg_rules) / sizeof(reg_rules[0]) == RG__MAX, "one rule per field");

int
console_customer_register(struct app *app, struct req *r, struct resp *w)
{
	struct warranty_actor by = console_warranty_actor(r);
	struct warranty_reg_input in;
	long long id = web_path_id(r, "id"), nums[RG__MAX], reg;
	const char *v[RG__MAX], *why, *field;
	struct field_form f;
	enum cs_result rc;

	if (id <= 0)
		return 404;
	if (fields_init(&f, r->arena) < 0)
		return 500;
	fields_check(&f, r, reg_rules, RG__MAX, v, nums);
	if (f.failed)
		return 500;
	if (f.nerrors)
		return card(app, r, w, id, "register", &f, fields_first_error(&f), 422);
	memset(&in, 0, sizeof(in));
	in.customer_id = id;
	in.product_id = nums[RG_PRODUCT];
	in.serial = v[RG_SERIAL];
	in.start_date = v[RG_DATE];
	rc = warranty_register(&app->db, r->arena, &by, &in, &reg, &why, &field);
	if (rc == CS_REFUSED || rc == CS_TAKEN) {
		fields_error(&f, field != NULL ? field : "serial", why);
		return card(app, r, w, id, "register", &f, why, 422);
	}
	if (rc != CS_OK)
		return rc == CS_NOT_FOUND ? 404 : web_result_status(rc);
	web_flash(app, r, w, "Serial %s is registered.", utf8_short(r->arena, in.serial,
	    FLASH_NAME));
	resp_redirect(w, arena_printf(r->arena, "/agent/customers/%lld/products", id));
	return 0;
}

static const char *const yes[] = { "", "1", NULL };

static const struct field_rule contract_rules[] = {
	{ "name", "Name", FIELD_TEXT, 1, 1, WARRANTY_CONTRACT_NAME_MAX, NULL },
	{ "starts_on", "Starts", FIELD_TEXT, 1, 10, 10, NULL },
	{ "ends_on", "Ends", FIELD_TEXT, 1, 10, 10, NULL },
	{ "covers", "Covers", FIELD_INT, 1, 1, 1LL << 62, NULL },
	{ "visits", "Visits", FIELD_INT, 0, 0, WARRANTY_VISITS_MAX, NULL },
	{ "response_tier", "Response tier", FIELD_CHOICE, 1, 0, 0, NULL },
	{ "parts", "Parts", FIELD_CHOICE, 0, 0, 0, yes },
	{ "labour", "Labour", FIELD_CHOICE, 0, 0, 0, yes },
	{ "travel", "Travel", FIELD_CHOICE, 0, 0, 0, yes },
};
enum { KC_NAME, KC_STARTS, KC_ENDS, KC_COVERS, KC_VISITS, KC_TIER, KC_PARTS, KC_LABOUR,
	KC_TRAVEL, KC__MAX };
_Static_assert(sizeof(contract_rules) / sizeof(contract_rules[0]) == KC__MAX,
    "one rule per field");

int
console_customer_contract(struct app *app, struct req *r, struct resp *w)
{
	static const char *const tier_list[] = { "standard", "premium", "vip", NULL };
	struct warranty_actor by = console_warranty_actor(r);
	struct warranty_contract_input in;
	struct field_rule rules[KC__MAX];
	long long id = web_path_id(r, "id"), nums[KC__MAX], k;
	const char *v[KC__MAX], *why, *field;
	struct field_form f;
	enum cs_result rc;

	if (id <= 0)
		return 404;
	memcpy(rules, contract_rules, sizeof(rules));
	rules[KC_TIER].choices = tier_list;
	if (fields_init(&f, r->arena) < 0)
		return 500;
	fields_check(&f, r, rules, KC__MAX, v, nums);
	if (f.failed)
		return 500;
	if (f.nerrors)
		return card(app, r, w, id, "contract", &f, fields_first_error(&f), 422);
	memset(&in, 0, sizeof(in));
	in.customer_id = id;
	in.name = v[KC_NAME];
	in.starts_on = v[KC_STARTS];
	in.ends_on = v[KC_ENDS];
	in.product_id = nums[KC_COVERS];
	in.visits = (int)nums[KC_VISITS];
	in.response_tier = v[KC_TIER];
	in.parts = *v[KC_PARTS] != '\0';
	in.labour = *v[KC_LABOUR] != '\0';
	in.travel = *v[KC_TRAVEL] != '\0';
	rc = warranty_contract_add(&app->db, r->arena, &by, &in, &k, &why, &field);
	if (rc == CS_REFUSED) {
		fields_error(&f, field != NULL ? field : "name", why);
		return card(app, r, w, id, "contract", &f, why, 422);
	}
	if (rc != CS_OK)
		return rc == CS_NOT_FOUND ? 404 : web_result_status(rc);
	web_flash(app, r, w, "The contract “%s” was added.", utf8_short(r->arena, in.name,
	    FLASH_NAME));
	resp_redirect(w, arena_printf(r->arena, "/agent/customers/%lld/products", id));
	return 0;
}

int
console_registration_proof(struct app *app, struct req *r, struct resp *w)
{
	long long id = web_path_id(r, "id");
	const char *name, *type;
	const void *data;
	size_t size, i;
	char *safe;
	enum cs_result rc;

	if (id <= 0)
		return 404;
	rc = warranty_registration_proof(&app->db, r->arena, id, 0, &name, &type, &data, &size);
	if (rc != CS_OK)
		return rc == CS_NOT_FOUND ? 404 : web_db_error(app);
	/* A name fit for a header; the type only from the short list of safe ones. */
	if ((safe = arena_strdup(r->arena, name)) == NULL)
		return 500;
	for (i = 0; safe[i]; i++)
		if ((unsigned char)safe[i] < 0x20 || (unsigned char)safe[i] >= 0x7f ||
		    safe[i] == '"' || safe[i] == '\\' || safe[i] == ';')
			safe[i] = '_';
	w->status = 200;
	w->content_type = ticket_download_type(type);
	resp_header(w, "Content-Disposition", arena_printf(r->arena,
	    "attachment; filename=\"%s\"", safe));
	resp_header(w, "X-Content-Type-Options", "nosniff");
	resp_header(w, "Cache-Control", "private, no-store");
	buf_reset(&w->body);
	buf_add(&w->body, data, size);
	return buf_failed(&w->body) ? 500 : 0;
}
