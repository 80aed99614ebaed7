/*
 * A ticket's fields through the API, as an integration sees them: every
 * field set by PATCH and read back (with its history, as the console's
 * forms record it), cleared with null; assignment to a team and an agent
 * (who is told); refusals that name the member and change nothing; a
 * stale version answered 409; and the SLA state — policy, due times,
 * pause, breach — in the ticket as the clock stored it.
 */
#include "api_client.h"
#include "../lib/dispatch.h"
#include "auth/password.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/sla.h"
#include "tmpl/tval.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PW "granite pelican harbour 31"
#define PW_FORM "granite+pelican+harbour+31"

static struct th_stack stack;
static char *db;
static char key[128];
static char ann[24], desk[24], field_service[24], returns[24], printers[24], laserjet[24];

static const char fixture[] =
    "INSERT INTO teams (name) VALUES ('Field service'), ('Desk');"
    "UPDATE staff SET team_id = (SELECT id FROM teams WHERE name = 'Field service')"
    " WHERE email = 'ann@acme.test';"
    "INSERT INTO queues (name, auto_assign) VALUES ('Returns', false);"
    "INSERT INTO categories (name) VALUES ('Printers');"
    "INSERT INTO products (sku, name) VALUES ('LJ-9', 'LaserJet 9');"
    "INSERT INTO resolution_codes (code, label) VALUES ('fixed', 'Fixed');";

static void
id_of(const char *sql, const char *name, char *out, size_t size)
{
	char *v = sql_owner(db, sql, name);

	ck_assert_msg(*v != '\0', "no id for %s", name);
	snprintf(out, size, "%s", v);
	free(v);
}

static void
setup(void)
{
	char hash[PASSWORD_HASH_MAX];
	struct jar j = { 0 };
	struct db d;
	long long uid;

	ck_assert_int_ge(sodium_init(), 0);
	db = th_db_create("api_fields");
	ck_assert_int_eq(db_open(&d, db, "api-fields-setup"), 0);
	ck_assert_int_eq(password_hash(PW, hash), 0);
	ck_assert_int_gt(staff_fixture(&d, "root@acme.test", "Ada Admin", hash, "agent,admin"), 0);
	ck_assert_int_gt(staff_fixture(&d, "ann@acme.test", "Ann Agent", hash, "agent"), 0);
	ck_assert_int_gt(customer_fixture(&d, "Globex", "company", "standard", "en",
	    "hank@globex.test", "Hank Scorpio", hash, 1, &uid), 0);
	ck_assert_int_eq(db_script(&d, fixture, "fixture"), 0);
	db_close(&d);
	id_of("SELECT id FROM staff WHERE email = $1", "ann@acme.test", ann, sizeof(ann));
	id_of("SELECT id FROM teams WHERE name = $1", "Desk", desk, sizeof(desk));
	id_of("SELECT id FROM teams WHERE name = $1", "Field service", field_service,
	    sizeof(field_service));
	id_of("SELECT id FROM queues WHERE name = $1", "Returns", returns, sizeof(returns));
	id_of("SELECT id FROM categories WHERE name = $1", "Printers", printers, sizeof(printers));
	id_of("SELECT id FROM products WHERE name = $1", "LaserJet 9", laserjet, sizeof(laserjet));
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

/* Opens a ticket for Hank with priority; its number into number. */
static void
open_ticket(const char *priority, char *number, size_t size)
{
	char body[256];
	struct th_resp r;
	json_t *o;

	snprintf(body, sizeof(body), "{\"customer_email\": \"hank@globex.test\", \"subject\":"
	    " \"Toner smears\", \"description\": \"Grey lines.\", \"channel\": \"phone\","
	    " \"priority\": \"%s\"}", priority);
	r = api_request(&stack, "POST", "/api/v1/tickets", key, body, NULL, NULL);
	ck_assert_msg(r.status == 201, "create answered %ld: %s", r.status, r.body);
	o = api_json_of(&r);
	snprintf(number, size, "%s", json_string_value(json_object_get(json_object_get(o,
	    "ticket"), "number")));
	json_decref(o);
	th_resp_free(&r);
}

/* PATCHes the ticket with body; asserts want; returns the answer's JSON. */
static json_t *
patch(const char *number, const char *body, long want)
{
	char path[96];
	struct th_resp r;
	json_t *o;

	snprintf(path, sizeof(path), "/api/v1/tickets/%s", number);
	r = api_request(&stack, "PATCH", path, key, body, NULL, NULL);
	ck_assert_msg(r.status == want, "PATCH %s answered %ld, not %ld: %s", body, r.status, want,
	    r.body);
	o = api_json_of(&r);
	th_resp_free(&r);
	return o;
}

/* The ticket as GET gives it (caller decrefs the whole answer through *all). */
static json_t *
get_ticket(const char *number, json_t **all)
{
	char path[96];
	struct th_resp r;

	snprintf(path, sizeof(path), "/api/v1/tickets/%s", number);
	r = api_request(&stack, "GET", path, key, NULL, NULL, NULL);
	ck_assert_int_eq(r.status, 200);
	*all = api_json_of(&r);
	th_resp_free(&r);
	return json_object_get(*all, "ticket");
}

/* Asserts o is the 422 (or 409) error naming member. */
static void
assert_names(json_t *o, long status, const char *member)
{
	json_t *e = json_object_get(o, "error");

	ck_assert_int_eq(json_integer_value(json_object_get(e, "status")), status);
	ck_assert_msg(json_is_string(json_object_get(e, "field")) &&
	    strcmp(json_string_value(json_object_get(e, "field")), member) == 0,
	    "the error names %s, not %s", json_string_value(json_object_get(e, "field")), member);
	json_decref(o);
}

static const char *
str(const json_t *t, const char *member)
{
	return json_string_value(json_object_get(t, member));
}

static long long
num(const json_t *t, const char *member)
{
	return json_integer_value(json_object_get(t, member));
}

START_TEST(every_field_set_read_and_cleared)
{
	char number[32], body[512];
	json_t *o, *t;

	open_ticket("high", number, sizeof(number));
	snprintf(body, sizeof(body), "{\"priority\": \"urgent\", \"type\": \"incident\","
	    " \"category_id\": %s, \"product_id\": %s, \"serial\": \"CN-42 7\","
	    " \"tags\": [\"Toner\", \"tray-2\", \"toner\"], \"queue_id\": %s}", printers, laserjet,
	    returns);
	o = patch(number, body, 200);
	t = json_object_get(o, "ticket");
	ck_assert_str_eq(str(t, "priority"), "urgent");
	ck_assert_str_eq(str(t, "type"), "incident");
	ck_assert_str_eq(str(t, "category"), "Printers");
	ck_assert_int_eq(num(t, "category_id"), atoll(printers));
	ck_assert_str_eq(str(t, "product"), "LaserJet 9");
	ck_assert_str_eq(str(t, "serial"), "CN-42 7");
	ck_assert_str_eq(str(t, "queue"), "Returns");
	ck_assert_int_eq(num(t, "queue_id"), atoll(returns));
	/* Tags as the console keeps them: lower-cased, once each, sorted. */
	ck_assert_uint_eq(json_array_size(json_object_get(t, "tags")), 2);
	ck_assert_str_eq(json_string_value(json_array_get(json_object_get(t, "tags"), 0)),
	    "toner");
	ck_assert_str_eq(json_string_value(json_array_get(json_object_get(t, "tags"), 1)),
	    "tray-2");
	json_decref(o);
	/* One history row per field, one event for the change, as from the ticket page. */
	ck_assert_int_eq(sql_owner_ll(db,
	    "SELECT count(DISTINCT field) FROM ticket_events e JOIN tickets t"
	    " ON t.id = e.ticket_id WHERE t.number = $1 AND e.field IN ('priority', 'type',"
	    " 'category', 'product', 'serial', 'tags', 'queue')", number), 7);
	ck_assert_int_eq(sql_owner_ll(db, "SELECT count(*) FROM domain_events d JOIN tickets t"
	    " ON d.aggregate_id = t.id WHERE t.number = $1 AND d.type = 'ticket.fields_changed'",
	    number), 1);
	/* null clears what may be empty; what is left out stays. */
	o = patch(number, "{\"category_id\": null, \"serial\": null, \"tags\": []}", 200);
	t = json_object_get(o, "ticket");
	ck_assert(json_is_null(json_object_get(t, "category")));
	ck_assert(json_is_null(json_object_get(t, "category_id")));
	ck_assert(json_is_null(json_object_get(t, "serial")));
	ck_assert_uint_eq(json_array_size(json_object_get(t, "tags")), 0);
	ck_assert_str_eq(str(t, "product"), "LaserJet 9");
	ck_assert_str_eq(str(t, "priority"), "urgent");
	json_decref(o);
}
END_TEST

START_TEST(assigned_to_a_team_and_an_agent)
{
	char number[32], body[128];
	json_t *o, *t;

	open_ticket("medium", number, sizeof(number));
	/* An agent without a team brings their own; a new ticket becomes assigned. */
	snprintf(body, sizeof(body), "{\"assignee_id\": %s}", ann);
	o = patch(number, body, 200);
	t = json_object_get(o, "ticket");
	ck_assert_str_eq(str(t, "assignee"), "Ann Agent");
	ck_assert_int_eq(num(t, "assignee_id"), atoll(ann));
	ck_assert_str_eq(str(t, "team"), "Field service");
	ck_assert_str_eq(str(t, "status"), "assigned");
	json_decref(o);
	ck_assert_int_eq(sql_owner_ll(db, "SELECT count(*) FROM domain_events d JOIN tickets t"
	    " ON d.aggregate_id = t.id WHERE t.number = $1 AND d.type = 'ticket.assigned'"
	    " AND d.payload->>'assignee_id' IS NOT NULL", number), 1);
	/* Ann is told, as when assigned from the ticket page. */
	th_dispatch(db);
	ck_assert_int_eq(sql_owner_ll(db,
	    "SELECT count(*) FROM notifications WHERE kind = 'ticket_assigned'"
	    " AND recipient = 'ann@acme.test' AND body_text LIKE '%' || $1 || '%'", number), 1);
	/* Another team, then nobody: each part alone. */
	snprintf(body, sizeof(body), "{\"team_id\": %s}", desk);
	o = patch(number, body, 200);
	ck_assert_str_eq(str(json_object_get(o, "ticket"), "team"), "Desk");
	ck_assert_str_eq(str(json_object_get(o, "ticket"), "assignee"), "Ann Agent");
	json_decref(o);
	o = patch(number, "{\"assignee_id\": null}", 200);
	t = json_object_get(o, "ticket");
	ck_assert(json_is_null(json_object_get(t, "assignee_id")));
	ck_assert_str_eq(str(t, "team"), "Desk");
	json_decref(o);
}
END_TEST

START_TEST(refusals_name_the_member_and_change_nothing)
{
	char number[32];
	json_t *all, *t;

	open_ticket("high", number, sizeof(number));
	assert_names(patch(number, "{\"category_id\": 999999}", 422), 422, "category_id");
	assert_names(patch(number, "{\"product_id\": 0}", 422), 422, "product_id");
	assert_names(patch(number, "{\"tags\": [\"two words\"]}", 422), 422, "tags");
	assert_names(patch(number, "{\"tags\": \"toner\"}", 422), 422, "tags");
	assert_names(patch(number, "{\"assignee_id\": 999999}", 422), 422, "assignee_id");
	assert_names(patch(number, "{\"team_id\": 999999}", 422), 422, "team_id");
	assert_names(patch(number, "{\"categroy_id\": 1}", 422), 422, "categroy_id");
	assert_names(patch(number, "{\"priority\": null}", 422), 422, "priority");
	assert_names(patch(number, "{\"type\": \"rant\"}", 422), 422, "type");
	assert_names(patch(number, "{\"status\": \"in_progress\", \"resolution_code\": \"fixed\"}",
	    422), 422, "resolution_code");
	assert_names(patch(number, "{\"status\": \"closed\"}", 409), 409, "status");
	/* Resolving needs a code: refused, and the priority given with it not set. */
	assert_names(patch(number, "{\"status\": \"resolved\", \"priority\": \"low\"}", 422), 422,
	    "resolution_code");
	assert_names(patch(number, "{\"priority\": \"low\", \"category_id\": 999999}", 422), 422,
	    "category_id");
	t = get_ticket(number, &all);
	ck_assert_str_eq(str(t, "priority"), "high");
	ck_assert_str_eq(str(t, "status"), "new");
	ck_assert_int_eq(num(t, "version"), 1);
	json_decref(all);
	/* Resolved with its code, through the same workflow as the console. */
	json_decref(patch(number, "{\"status\": \"in_progress\"}", 200));
	t = json_object_get(all = patch(number, "{\"status\": \"resolved\", \"resolution_code\":"
	    " \"fixed\", \"root_cause\": \"Worn drum.\"}", 200), "ticket");
	ck_assert_str_eq(str(t, "status"), "resolved");
	ck_assert_str_eq(str(t, "resolution_code"), "fixed");
	ck_assert_str_eq(str(t, "root_cause"), "Worn drum.");
	json_decref(all);
}
END_TEST

START_TEST(a_stale_version_is_a_conflict)
{
	char number[32], body[128], path[96];
	struct th_resp r;
	json_t *o, *all;
	long long v, v2;

	open_ticket("high", number, sizeof(number));
	v = num(get_ticket(number, &all), "version");
	json_decref(all);
	snprintf(body, sizeof(body), "{\"priority\": \"low\", \"version\": %lld}", v);
	o = patch(number, body, 200);
	v2 = num(json_object_get(o, "ticket"), "version");
	ck_assert_int_gt(v2, v);
	json_decref(o);
	/* A second client that read the same version: refused, the first change stays. */
	snprintf(body, sizeof(body), "{\"priority\": \"urgent\", \"version\": %lld}", v);
	assert_names(patch(number, body, 409), 409, "version");
	ck_assert_str_eq(str(get_ticket(number, &all), "priority"), "low");
	json_decref(all);
	snprintf(path, sizeof(path), "/api/v1/tickets/%s/comments", number);
	snprintf(body, sizeof(body), "{\"body\": \"Replaced the drum.\", \"version\": %lld}", v);
	r = api_request(&stack, "POST", path, key, body, NULL, NULL);
	ck_assert_int_eq(r.status, 409);
	th_resp_free(&r);
	ck_assert_int_eq(sql_owner_ll(db, "SELECT count(*) FROM ticket_comments c JOIN tickets t"
	    " ON t.id = c.ticket_id WHERE t.number = $1 AND c.body = 'Replaced the drum.'",
	    number), 0);
	snprintf(body, sizeof(body), "{\"body\": \"Replaced the drum.\", \"version\": %lld}", v2);
	r = api_request(&stack, "POST", path, key, body, NULL, NULL);
	ck_assert_int_eq(r.status, 201);
	th_resp_free(&r);
}
END_TEST

static const struct tmpl_set *
templates(void)
{
	return th_templates();
}

/* One tick of the SLA batch step, as `csdesk batch` runs it. */
static void
sla_tick_now(void)
{
	struct sla_tick_counts c = { 0, 0, 0, 0, 0, 0 };
	struct arena *a = arena_new(16384);
	struct tval *ctx = tval_map(a), *site = tval_map(a);
	struct db d;

	ck_assert_int_eq(tval_set_str(a, site, "name", "csdesk"), 0);
	ck_assert_int_eq(tval_set(a, ctx, "site", site), 0);
	ck_assert_int_eq(db_open(&d, db, "api-fields-sla"), 0);
	ck_assert_int_eq(sla_tick(&d, a, templates, ctx, "http://127.0.0.1:8080", 10, &c), CS_OK);
	db_close(&d);
	arena_free(a);
}

/* The SQL's time of column of the ticket, as the API writes times. */
static char *
iso(const char *column, const char *number)
{
	char sql[256];

	snprintf(sql, sizeof(sql), "SELECT to_char((%s) AT TIME ZONE 'UTC',"
	    " 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') FROM tickets WHERE number = $1", column);
	return sql_owner(db, sql, number);
}

START_TEST(sla_state_and_due_times)
{
	char number[32], *want;
	json_t *all, *t, *sla;

	/* Urgent: 30 minutes to a first response, 4 hours to resolve, around the clock. */
	open_ticket("urgent", number, sizeof(number));
	sla = json_object_get(t = get_ticket(number, &all), "sla");
	ck_assert_str_eq(str(sla, "policy"), "Urgent");
	ck_assert(json_is_false(json_object_get(sla, "paused")));
	ck_assert(json_is_false(json_object_get(sla, "breached")));
	want = iso("created_at + interval '30 minutes'", number);
	ck_assert_str_eq(str(json_object_get(sla, "first_response"), "due_at"), want);
	free(want);
	want = iso("created_at + interval '4 hours'", number);
	ck_assert_str_eq(str(json_object_get(sla, "resolution"), "due_at"), want);
	free(want);
	ck_assert_str_eq(str(json_object_get(sla, "first_response"), "stage"), "ok");
	ck_assert(json_is_null(json_object_get(json_object_get(sla, "first_response"), "met")));
	json_decref(all);
	/* Waiting for the customer stops the clock. */
	json_decref(patch(number, "{\"status\": \"pending_customer\"}", 200));
	sla = json_object_get(get_ticket(number, &all), "sla");
	ck_assert(json_is_true(json_object_get(sla, "paused")));
	ck_assert(json_is_string(json_object_get(sla, "paused_since")));
	json_decref(all);
	json_decref(patch(number, "{\"status\": \"in_progress\"}", 200));
	/* Fifty minutes later, unanswered: the batch marks the breach, the API says so. */
	free(sql_owner(db, "WITH u AS (UPDATE tickets SET sla_started_at = now() - interval"
	    " '50 minutes' WHERE number = $1 RETURNING id) SELECT sla_ticket_recompute(id, 'test')"
	    " FROM u", number));
	sla_tick_now();
	sla = json_object_get(get_ticket(number, &all), "sla");
	ck_assert(json_is_false(json_object_get(sla, "paused")));
	ck_assert(json_is_true(json_object_get(sla, "breached")));
	ck_assert_str_eq(str(json_object_get(sla, "first_response"), "stage"), "breached");
	ck_assert(json_is_true(json_object_get(json_object_get(sla, "first_response"),
	    "breached")));
	ck_assert(json_is_false(json_object_get(json_object_get(sla, "first_response"), "met")));
	ck_assert(json_is_false(json_object_get(json_object_get(sla, "resolution"), "breached")));
	json_decref(all);
}
END_TEST

Suite *http_api_fields_suite(void);

Suite *
http_api_fields_suite(void)
{
	Suite *s = suite_create("http_api_fields");
	TCase *tc = tcase_create("fields");

	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, every_field_set_read_and_cleared);
	tcase_add_test(tc, assigned_to_a_team_and_an_agent);
	tcase_add_test(tc, refusals_name_the_member_and_change_nothing);
	tcase_add_test(tc, a_stale_version_is_a_conflict);
	tcase_add_test(tc, sla_state_and_due_times);
	suite_add_tcase(s, tc);
	return s;
}
