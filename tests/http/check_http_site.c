/*
 * A ticket's site through every channel, behind nginx: the API opens a
 * ticket at one of the customer's sites and refuses another account's
 * with 422 naming site_id (opening nothing); PATCH changes and clears
 * it and refuses another account's the same way; the console's fields
 * form offers the customer's sites only, changes the site with a history
 * line naming both, and re-shows a refused one with the message; the
 * portal's request page shows the site as it now is.
 */
#include "api_client.h"
#include "../lib/fixtures.h"
#include "auth/password.h"
#include "db/db.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PW "granite pelican harbour 31"
#define PW_FORM "granite+pelican+harbour+31"

static struct th_stack stack;
static char *db;
static struct fx_person agent, cust, other;
static char key[128], store[24], depot[24], theirs[24];

static void
id_of(const char *name, char *out, size_t size)
{
	char *v = sql_owner(db, "SELECT id FROM customer_sites WHERE name = $1", name);

	ck_assert_msg(*v != '\0', "no site %s", name);
	snprintf(out, size, "%s", v);
	free(v);
}

static void
setup(void)
{
	char sql[600], hash[PASSWORD_HASH_MAX];
	struct jar j = { 0 };
	struct db d;

	db = th_db_create("http_site");
	fx_staff(db, "Ada Agent", "agent", &agent);
	fx_customer(db, "Hank Scorpio", "Globex", "standard", &cust);
	fx_customer(db, "Olga Other", "Initech", "standard", &other);
	snprintf(sql, sizeof(sql), "INSERT INTO customer_sites (customer_id, name, address) VALUES"
	    " (%lld, 'Store 7', 'High Street 7, Leeds'), (%lld, 'Depot', 'Dock Road, Hull'),"
	    " (%lld, 'Initech HQ', 'Austin') RETURNING $1", cust.customer_id, cust.customer_id,
	    other.customer_id);
	free(sql_owner(db, sql, "x"));
	id_of("Store 7", store, sizeof(store));
	id_of("Depot", depot, sizeof(depot));
	id_of("Initech HQ", theirs, sizeof(theirs));
	/* The API's key, made by an admin on the keys page. */
	ck_assert_int_ge(sodium_init(), 0);
	ck_assert_int_eq(password_hash(PW, hash), 0);
	ck_assert_int_eq(db_open(&d, db, "http-site-setup"), 0);
	ck_assert_int_gt(staff_fixture(&d, "root@acme.test", "Root Admin", hash, "agent,admin"), 0);
	db_close(&d);
	th_stack_start(&stack, db, 2, NULL);
	api_admin_sign_in(&stack, &j, PW_FORM);
	api_make_key(&stack, &j, "Phone+system", NULL, key, sizeof(key));
}

static void
teardown(void)
{
	th_stack_stop(&stack);
	th_db_drop(db);
	free(db);
}

/* POST /api/v1/tickets for Hank with the site member as given ("" for none). */
static struct th_resp
create(const char *subject, const char *site_member)
{
	char body[400];

	snprintf(body, sizeof(body), "{\"customer_email\": \"%s\", \"subject\": \"%s\","
	    " \"description\": \"The pallet is late.\", \"channel\": \"phone\"%s}", cust.email,
	    subject, site_member);
	return api_request(&stack, "POST", "/api/v1/tickets", key, body, NULL, NULL);
}

/* The answer's ticket member (the caller decrefs *all). */
static json_t *
ticket_of(const struct th_resp *r, json_t **all)
{
	*all = api_json_of(r);
	return json_object_get(*all, "ticket");
}

/* Asserts r is a 422 naming site_id; frees r. */
static void
refused_site(struct th_resp *r)
{
	json_t *o, *e;

	ck_assert_msg(r->status == 422, "answered %ld: %s", r->status, r->body);
	o = api_json_of(r);
	e = json_object_get(o, "error");
	ck_assert_str_eq(json_string_value(json_object_get(e, "field")), "site_id");
	json_decref(o);
	th_resp_free(r);
}

START_TEST(api_opens_at_a_site_and_changes_it)
{
	char member[64], path[64], body[96], number[32];
	struct th_resp r;
	json_t *all, *t;

	snprintf(member, sizeof(member), ", \"site_id\": %s", store);
	r = create("At the store", member);
	ck_assert_msg(r.status == 201, "answered %ld: %s", r.status, r.body);
	t = ticket_of(&r, &all);
	ck_assert_int_eq(json_integer_value(json_object_get(t, "site_id")), atoll(store));
	ck_assert_str_eq(json_string_value(json_object_get(t, "site")),
	    "Store 7: High Street 7, Leeds");
	snprintf(number, sizeof(number), "%s", json_string_value(json_object_get(t, "number")));
	json_decref(all);
	th_resp_free(&r);
	/* Another account's site: 422 naming the member, and no ticket. */
	snprintf(member, sizeof(member), ", \"site_id\": %s", theirs);
	refused_site((r = create("Not their site", member), &r));
	ck_assert_int_eq(sql_owner_ll(db, "SELECT count(*) FROM tickets WHERE subject = $1",
	    "Not their site"), 0);
	/* Without one: none. */
	r = create("No site", "");
	ck_assert_int_eq(r.status, 201);
	t = ticket_of(&r, &all);
	ck_assert(json_is_null(json_object_get(t, "site_id")));
	json_decref(all);
	th_resp_free(&r);
	/* PATCH: to the depot, not to another account's, then cleared. */
	snprintf(path, sizeof(path), "/api/v1/tickets/%s", number);
	snprintf(body, sizeof(body), "{\"site_id\": %s}", depot);
	r = api_request(&stack, "PATCH", path, key, body, NULL, NULL);
	ck_assert_msg(r.status == 200, "answered %ld: %s", r.status, r.body);
	t = ticket_of(&r, &all);
	ck_assert_str_eq(json_string_value(json_object_get(t, "site")), "Depot: Dock Road, Hull");
	json_decref(all);
	th_resp_free(&r);
	ck_assert_int_eq(sql_owner_ll(db, "SELECT count(*) FROM ticket_events e JOIN tickets t"
	    " ON t.id = e.ticket_id WHERE t.number = $1 AND e.field = 'site'"
	    " AND e.old_value = 'Store 7' AND e.new_value = 'Depot'", number), 1);
	snprintf(body, sizeof(body), "{\"site_id\": %s}", theirs);
	refused_site((r = api_request(&stack, "PATCH", path, key, body, NULL, NULL), &r));
	r = api_request(&stack, "PATCH", path, key, "{\"site_id\": null}", NULL, NULL);
	ck_assert_int_eq(r.status, 200);
	t = ticket_of(&r, &all);
	ck_assert(json_is_null(json_object_get(t, "site")));
	json_decref(all);
	th_resp_free(&r);
}
END_TEST

START_TEST(console_changes_the_site_and_the_portal_shows_it)
{
	char member[64], path[64], body[256], number[32], needle[96];
	struct jar j = { 0 };
	struct th_resp r;
	json_t *all, *t;

	snprintf(member, sizeof(member), ", \"site_id\": %s", store);
	r = create("Console site", member);
	ck_assert_int_eq(r.status, 201);
	t = ticket_of(&r, &all);
	snprintf(number, sizeof(number), "%s", json_string_value(json_object_get(t, "number")));
	json_decref(all);
	th_resp_free(&r);
	web_staff_sign_in(&stack, &j, agent.email, FX_PASSWORD);
	snprintf(path, sizeof(path), "/agent/tickets/%s", number);
	r = web_get(&stack, &j, path);
	ck_assert_int_eq(r.status, 200);
	/* The customer's sites, the ticket's chosen; never another account's. */
	snprintf(needle, sizeof(needle), "<option value=\"%s\" selected>Store 7</option>", store);
	assert_has(&r, needle);
	snprintf(needle, sizeof(needle), "<option value=\"%s\">Depot</option>", depot);
	assert_has(&r, needle);
	ck_assert_ptr_null(strstr(r.body, "Initech HQ"));
	th_resp_free(&r);
	snprintf(path, sizeof(path), "/agent/tickets/%s/fields", number);
	snprintf(needle, sizeof(needle), "/agent/tickets/%s", number);
	snprintf(body, sizeof(body), "site_id=%s", theirs);
	r = web_post(&stack, &j, path, needle, body);
	ck_assert_int_eq(r.status, 422);
	assert_has(&r, "Choose one of the customer&#39;s sites.");
	th_resp_free(&r);
	snprintf(body, sizeof(body), "site_id=%s", depot);
	r = web_post(&stack, &j, path, needle, body);
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
	r = web_get(&stack, &j, needle);
	assert_has(&r, "Depot: Dock Road, Hull");
	assert_has(&r, "changed the site from Store 7 to Depot");
	th_resp_free(&r);
	jar_clear(&j);
	/* The customer's request page says where it is now. */
	snprintf(body, sizeof(body), "email=%s&" FX_PASSWORD_FORM, cust.email);
	r = web_post(&stack, &j, "/login", "/login", body);
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
	snprintf(path, sizeof(path), "/tickets/%s", number);
	r = web_get(&stack, &j, path);
	ck_assert_int_eq(r.status, 200);
	assert_has(&r, "<dt>Site</dt><dd>Depot: Dock Road, Hull</dd>");
	th_resp_free(&r);
	jar_clear(&j);
}
END_TEST

Suite *http_site_suite(void);

Suite *
http_site_suite(void)
{
	Suite *s = suite_create("http_site");
	TCase *tc = tcase_create("http_site");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, api_opens_at_a_site_and_changes_it);
	tcase_add_test(tc, console_changes_the_site_and_the_portal_shows_it);
	suite_add_tcase(s, tc);
	return s;
}
