/*
 * Warranty through nginx: a customer registers a product in the portal
 * (a refused form keeps what was typed), sees its cover in words and
 * claims warranty; another customer gets 404 for it and a refusal for
 * its serial; in the console the claim is found in the queue, its costs
 * form refuses a bad amount, only a supervisor approves, and an agent
 * opens a claim from a ticket with its serial in one step.
 */
#include "identity.h"
#include "../lib/fixtures.h"
#include "auth/password.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/tickets.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PW "walnut ferry compass 42"

static struct th_stack stack;
static char *db;
static long long ann_customer, ann_user;
static char product[24];

static void
setup(void)
{
	struct db d;
	char hash[PASSWORD_HASH_MAX], *v;
	long long uid;

	ck_assert_int_ge(sodium_init(), 0);
	db = th_db_create("http_warranty");
	ck_assert_int_eq(db_open(&d, db, "warranty-setup"), 0);
	ck_assert_int_eq(password_hash(PW, hash), 0);
	ck_assert_int_gt(staff_fixture(&d, "agent@acme.test", "Alex Agent", hash, "agent"), 0);
	ck_assert_int_gt(staff_fixture(&d, "sue@acme.test", "Sue Supervisor", hash,
	    "agent,supervisor"), 0);
	ck_assert_int_gt(staff_fixture(&d, "ada@acme.test", "Ada Admin", hash, "agent,admin"), 0);
	ann_customer = customer_fixture(&d, "Alpha Ltd", "company", "standard", "en",
	    "ann@alpha.test", "Ann Alpha", hash, 1, &ann_user);
	ck_assert_int_gt(ann_customer, 0);
	ck_assert_int_gt(customer_fixture(&d, "Beta Ltd", "company", "standard", "en",
	    "eve@beta.test", "Eve Beta", hash, 1, &uid), 0);
	db_close(&d);
	v = sql_owner(db, "INSERT INTO products (sku, name, parts_months, labour_months)"
	    " VALUES ('DW-1', $1, 24, 12) RETURNING id", "Dishwasher One");
	snprintf(product, sizeof(product), "%s", v);
	free(v);
	th_stack_start(&stack, db, 2, NULL);
}

static void
teardown(void)
{
	th_stack_stop(&stack);
	th_db_drop(db);
	free(db);
}

/* Ann registers SN-ANN-1 and claims on it; the registration's id. */
static long long
ann_registers_and_claims(void)
{
	struct jar j = { .n = 0 };
	struct th_resp r;
	char body[512], path[64];
	long long reg;

	web_customer_sign_in(&stack, &j, "ann%40alpha.test", PW);
	r = web_get(&stack, &j, "/products");
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_nonnull(strstr(r.body, "Register a product"));
	th_resp_free(&r);
	/* A date in the future: refused at its field, the serial kept. */
	snprintf(body, sizeof(body), "product_id=%s&serial=SN-ANN-1&start_date=2999-01-01",
	    product);
	r = web_post(&stack, &j, "/products", "/products/new", body);
	ck_assert_int_eq(r.status, 422);
	ck_assert_ptr_nonnull(strstr(r.body, "That date is in the future."));
	ck_assert_ptr_nonnull(strstr(r.body, "value=\"SN-ANN-1\""));
	th_resp_free(&r);
	/* No serial: the form says so. */
	snprintf(body, sizeof(body), "product_id=%s&serial=&start_date=2026-01-01", product);
	r = web_post(&stack, &j, "/products", "/products/new", body);
	ck_assert_int_eq(r.status, 422);
	ck_assert_ptr_nonnull(strstr(r.body, "field-error"));
	th_resp_free(&r);
	{
		char *today = sql_owner(db, "SELECT (current_date - 30)::text", NULL);

		snprintf(body, sizeof(body), "product_id=%s&serial=SN-ANN-1&start_date=%s",
		    product, today);
		free(today);
	}
	r = web_post(&stack, &j, "/products", "/products/new", body);
	ck_assert_int_eq(r.status, 303);
	reg = web_location_id(&r, "/products/");
	th_resp_free(&r);
	snprintf(path, sizeof(path), "/products/%lld", reg);
	r = web_get(&stack, &j, path);
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_nonnull(strstr(r.body, "Labour covered until"));
	ck_assert_ptr_nonnull(strstr(r.body, "travel not covered"));
	th_resp_free(&r);
	snprintf(path, sizeof(path), "/products/%lld/claims", reg);
	r = web_post(&stack, &j, path, "/products", "problem=");
	ck_assert_int_eq(r.status, 422);
	th_resp_free(&r);
	r = web_post(&stack, &j, path, "/products", "problem=The+pump+hums+and+no+water+comes");
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
	snprintf(path, sizeof(path), "/products/%lld", reg);
	r = web_get(&stack, &j, path);
	ck_assert_ptr_nonnull(strstr(r.body, "submitted"));
	th_resp_free(&r);
	return reg;
}

START_TEST(register_claim_and_stay_private)
{
	struct jar eve = { .n = 0 };
	struct th_resp r;
	char path[64], body[256], regid[24], *flags;
	long long reg = ann_registers_and_claims();

	web_customer_sign_in(&stack, &eve, "eve%40beta.test", PW);
	snprintf(path, sizeof(path), "/products/%lld", reg);
	r = web_get(&stack, &eve, path);
	ck_assert_int_eq(r.status, 404);
	th_resp_free(&r);
	snprintf(path, sizeof(path), "/products/%lld/claims", reg);
	r = web_post(&stack, &eve, path, "/products", "problem=Mine+now");
	ck_assert_int_eq(r.status, 404);
	th_resp_free(&r);
	/* Ann's serial: refused with a clear message, and flagged for staff. */
	snprintf(body, sizeof(body), "product_id=%s&serial=sn-ann-1&start_date=2026-01-02",
	    product);
	r = web_post(&stack, &eve, "/products", "/products/new", body);
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_nonnull(strstr(r.body, "registered to another customer"));
	th_resp_free(&r);
	snprintf(regid, sizeof(regid), "%lld", reg);
	flags = sql_owner(db, "SELECT count(*) FROM warranty_serial_flags WHERE registration_id"
	    " = $1::bigint", regid);
	ck_assert_str_eq(flags, "1");
	free(flags);
	/* Staff see the flag with the claims, and mark it looked into. */
	{
		struct jar agent = { .n = 0 };
		char *flag = sql_owner(db, "SELECT id::text FROM warranty_serial_flags"
		    " WHERE registration_id = $1::bigint", regid);

		web_staff_sign_in(&stack, &agent, "agent@acme.test", PW);
		r = web_get(&stack, &agent, "/agent/claims");
		ck_assert_ptr_nonnull(strstr(r.body, "tried to register"));
		ck_assert_ptr_nonnull(strstr(r.body, "Beta Ltd"));
		th_resp_free(&r);
		snprintf(path, sizeof(path), "/agent/warranty-flags/%s/review", flag);
		r = web_post(&stack, &agent, path, "/agent/claims", "");
		ck_assert_int_eq(r.status, 303);
		th_resp_free(&r);
		r = web_post(&stack, &agent, path, "/agent/claims", "");
		ck_assert_int_eq(r.status, 404);
		th_resp_free(&r);
		free(flag);
	}
}
END_TEST

/* A ticket of Ann's naming serial; its number into out. */
static void
ticket_with_serial(const char *serial, char *out, size_t size)
{
	struct db d;
	struct arena *a = arena_new(4096);
	struct ticket_actor_ref by = { TA_CUSTOMER, ann_user, ann_customer, 1, 0 };
	struct ticket_new t = { 0 };
	struct ticket_opened op;
	const char *why = NULL;

	ck_assert_int_eq(db_open(&d, db, "warranty-ticket"), 0);
	t.customer_id = ann_customer;
	t.requester_id = ann_user;
	t.channel = "portal";
	t.subject = "Dishwasher does not drain";
	t.description = "Water stays at the bottom.";
	t.serial = serial;
	ck_assert_msg(ticket_open(&d, a, &by, &t, &op, &why) == CS_OK, "%s", why ? why : "");
	snprintf(out, size, "%s", op.number);
	db_close(&d);
	arena_free(a);
}

START_TEST(the_console_reviews_and_claims_from_a_ticket)
{
	struct jar agent = { .n = 0 }, sue = { .n = 0 };
	struct th_resp r;
	char path[96], number[32], *claim;
	long long id;

	ann_registers_and_claims();
	claim = sql_owner(db, "SELECT max(id)::text FROM warranty_claims", NULL);
	id = atoll(claim);
	free(claim);
	web_staff_sign_in(&stack, &agent, "agent@acme.test", PW);
	web_staff_sign_in(&stack, &sue, "sue@acme.test", PW);
	r = web_get(&stack, &agent, "/agent/claims");
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_nonnull(strstr(r.body, "Alpha Ltd"));
	ck_assert_ptr_null(strstr(r.body, "tried to register"));
	th_resp_free(&r);
	snprintf(path, sizeof(path), "/agent/claims/%lld/costs", id);
	r = web_post(&stack, &agent, path, "/agent/claims", "labour_cost=12%2C50&parts_cost=300");
	ck_assert_int_eq(r.status, 422);
	ck_assert_ptr_nonnull(strstr(r.body, "value=\"12,50\""));
	th_resp_free(&r);
	r = web_post(&stack, &agent, path, "/agent/claims", "labour_cost=120&parts_cost=300");
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
	snprintf(path, sizeof(path), "/agent/claims/%lld/move", id);
	r = web_post(&stack, &agent, path, "/agent/claims", "to=under_review");
	ck_assert_int_eq(r.status, 422);
	ck_assert_ptr_nonnull(strstr(r.body, "Only a supervisor"));
	th_resp_free(&r);
	r = web_post(&stack, &sue, path, "/agent/claims", "to=under_review");
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
	r = web_post(&stack, &sue, path, "/agent/claims", "to=rejected&reason=");
	ck_assert_int_eq(r.status, 422);
	th_resp_free(&r);
	r = web_post(&stack, &sue, path, "/agent/claims", "to=approved&reason=Known+pump+fault");
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
	snprintf(path, sizeof(path), "/agent/claims/%lld", id);
	r = web_get(&stack, &agent, path);
	ck_assert_ptr_nonnull(strstr(r.body, "Sue Supervisor"));
	ck_assert_ptr_nonnull(strstr(r.body, "Known pump fault"));
	th_resp_free(&r);
	/* From a ticket: its serial's cover on the page, a claim in one step. */
	ticket_with_serial("SN-ANN-1", number, sizeof(number));
	snprintf(path, sizeof(path), "/agent/tickets/%s", number);
	r = web_get(&stack, &agent, path);
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_nonnull(strstr(r.body, "Claim warranty"));
	ck_assert_ptr_nonnull(strstr(r.body, "Labour covered until"));
	th_resp_free(&r);
	snprintf(path, sizeof(path), "/agent/tickets/%s/claim", number);
	r = web_post(&stack, &agent, path, path, "problem=Drain+pump+again");
	ck_assert_int_eq(r.status, 303);
	ck_assert_ptr_nonnull(strstr(th_header(&r, "Location"), "/agent/claims/"));
	th_resp_free(&r);
	/* A ticket whose serial is not registered says so, and offers no claim. */
	ticket_with_serial("NOPE-1", number, sizeof(number));
	snprintf(path, sizeof(path), "/agent/tickets/%s", number);
	r = web_get(&stack, &agent, path);
	ck_assert_ptr_nonnull(strstr(r.body, "Serial NOPE-1 is not registered"));
	th_resp_free(&r);
	/* Reports: supervisors only; two claims on one unit; CSV; bad dates refused. */
	r = web_get(&stack, &agent, "/agent/reports/warranty");
	ck_assert_int_eq(r.status, 403);
	th_resp_free(&r);
	r = web_get(&stack, &sue, "/agent/reports/warranty");
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_nonnull(strstr(r.body, "Dishwasher One"));
	th_resp_free(&r);
	r = web_get(&stack, &sue, "/agent/reports/warranty/claims.csv");
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_nonnull(strstr(r.body, "month,product,sku,claims,units_registered"));
	ck_assert_ptr_nonnull(strstr(r.body, ",Dishwasher One,DW-1,2,1,200.00,420.00,420.00"));
	th_resp_free(&r);
	r = web_get(&stack, &sue, "/agent/reports/warranty?from=2026-05-01&to=2026-01-01");
	ck_assert_int_eq(r.status, 422);
	ck_assert_ptr_nonnull(strstr(r.body, "The first day comes after the last."));
	th_resp_free(&r);
}
END_TEST

START_TEST(the_catalogue_keeps_terms_and_a_change_recomputes_cover)
{
	struct jar ada = { .n = 0 };
	struct th_resp r;
	char path[64], body[512], *v;
	long long reg = ann_registers_and_claims();

	web_staff_sign_in(&stack, &ada, "ada@acme.test", PW);
	r = web_post(&stack, &ada, "/agent/admin/product-categories",
	    "/agent/admin/product-categories", "name=Kitchen");
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
	/* Months out of range: refused at the field, what was typed kept. */
	r = web_post(&stack, &ada, "/agent/admin/products", "/agent/admin/products",
	    "sku=OV-9&name=Oven+%3Cnine%3E&model=O9&parts_months=300&labour_months=6&basis=invoice");
	ck_assert_int_eq(r.status, 422);
	ck_assert_ptr_nonnull(strstr(r.body, "value=\"Oven &lt;nine&gt;\""));
	ck_assert_ptr_nonnull(strstr(r.body, "field-error"));
	th_resp_free(&r);
	r = web_post(&stack, &ada, "/agent/admin/products", "/agent/admin/products",
	    "sku=OV-9&name=Oven+%3Cnine%3E&model=O9&parts_months=36&labour_months=6"
	    "&basis=invoice&travel=yes");
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
	r = web_get(&stack, &ada, "/agent/admin/products");
	ck_assert_ptr_nonnull(strstr(r.body, "Oven &lt;nine&gt;"));
	ck_assert_ptr_null(strstr(r.body, "Oven <nine>"));
	th_resp_free(&r);
	/* Labour cut to 0 months on the dishwasher: Ann's unit loses labour at once. */
	snprintf(path, sizeof(path), "/agent/admin/products/%s", product);
	snprintf(body, sizeof(body), "sku=DW-1&name=Dishwasher+One&parts_months=24"
	    "&labour_months=0&basis=delivery&travel=no&serviceable=yes&active=yes");
	r = web_post(&stack, &ada, path, path, body);
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
	snprintf(path, sizeof(path), "%lld", reg);
	v = sql_owner(db, "SELECT labour_on::text || parts_on::text FROM warranty_coverage"
	    " WHERE registration_id = $1::bigint", path);
	ck_assert_str_eq(v, "falsetrue");
	free(v);
	v = sql_owner(db, "SELECT count(*) FROM audit_log WHERE action = $1", "product.update");
	ck_assert_str_eq(v, "1");
	free(v);
	/* The auto-approve amount: refused when not an amount, kept as typed; saved, audited. */
	r = web_post(&stack, &ada, "/agent/admin/warranty-settings", "/agent/claims",
	    "auto_approve_max=lots&renewal_notice_days=30");
	ck_assert_int_eq(r.status, 422);
	ck_assert_ptr_nonnull(strstr(r.body, "value=\"lots\""));
	th_resp_free(&r);
	r = web_post(&stack, &ada, "/agent/admin/warranty-settings", "/agent/claims",
	    "auto_approve_max=250.00&renewal_notice_days=45");
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
	v = sql_owner(db, "SELECT value FROM settings WHERE key = $1", "warranty_auto_approve_max");
	ck_assert_str_eq(v, "250.00");
	free(v);
}
END_TEST

Suite *http_warranty_suite(void);

Suite *
http_warranty_suite(void)
{
	Suite *s = suite_create("http_warranty");
	TCase *tc = tcase_create("warranty");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, register_claim_and_stay_private);
	tcase_add_test(tc, the_console_reviews_and_claims_from_a_ticket);
	tcase_add_test(tc, the_catalogue_keeps_terms_and_a_change_recomputes_cover);
	suite_add_tcase(s, tc);
	return s;
}
