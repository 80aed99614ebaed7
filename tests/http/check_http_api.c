/*
 * The JSON API through nginx: only a live key gets in (no key, a forged
 * key, a revoked key and a customer's portal cookie all get 401 JSON);
 * an admin makes and revokes keys on the admin pages, the key shown once;
 * tickets are created with the channel recorded, listed, read, updated
 * through the workflow (409 when it says no) and commented on; bad JSON,
 * a wrong content type and a ticket naming nobody are refused with JSON;
 * someone who never registered becomes a contact, found again next time.
 */
#include "api_client.h"
#include "../lib/dispatch.h"

#include <check.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


static struct th_stack stack;
static char *db;

static void
setup(void)
{
	db = api_suite_db("api");
	th_stack_start(&stack, db, 2, NULL);
}

static void
teardown(void)
{
	th_stack_stop(&stack);
	th_db_drop(db);
	free(db);
}

static void
admin_sign_in(struct jar *j)
{
	api_admin_sign_in(&stack, j, API_ADMIN_PW);
}

static void
make_key(struct jar *j, const char *name, char *key, size_t size)
{
	api_make_key(&stack, j, name, NULL, key, size);
}

static struct th_resp
api(const char *method, const char *path, const char *key, const char *body,
    const char *content_type)
{
	return api_request(&stack, method, path, key, body, content_type, NULL);
}


START_TEST(refused_without_a_key)
{
	struct th_resp r;
	struct jar cust = { 0 };

	r = api("GET", "/api/v1/tickets", NULL, NULL, NULL);
	ck_assert_ptr_nonnull(th_header(&r, "WWW-Authenticate"));
	api_assert_error(&r, 401);
	r = api("GET", "/api/v1/tickets", "csd_00000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
	    NULL, NULL);
	api_assert_error(&r, 401);
	r = api("POST", "/api/v1/tickets", "nonsense", "{}", NULL);
	api_assert_error(&r, 401);
	/* A customer's portal session is no key. */
	r = web_post(&stack, &cust, "/login", "/login",
	    "email=hank%40globex.test&password=violet+tugboat+canyon+58");
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
	ck_assert_ptr_nonnull(jar_get(&cust, "csdesk_session"));
	r = web_get(&stack, &cust, "/api/v1/tickets");
	api_assert_error(&r, 401);
}
END_TEST

START_TEST(keys_made_and_revoked_by_admin)
{
	struct jar j = { 0 };
	char key[128], prefix[16];
	struct th_resp r;

	admin_sign_in(&j);
	make_key(&j, "Chat+widget", key, sizeof(key));
	memcpy(prefix, key + 4, 8);
	prefix[8] = '\0';
	ck_assert_int_eq(sql_owner_ll(db, "SELECT count(*) FROM audit_log a JOIN api_keys k"
	    " ON a.object_id = k.id::text WHERE a.action = 'api_key.create' AND k.prefix = $1",
	    prefix), 1);
	/* Stored as a 32-byte hash and the prefix. */
	ck_assert_int_eq(sql_owner_ll(db, "SELECT count(*) FROM api_keys WHERE prefix = $1"
	    " AND length(key_hash) = 32 AND revoked_at IS NULL", prefix), 1);
	/* The list shows the prefix, never the key again. */
	r = web_get(&stack, &j, "/agent/admin/api-keys");
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_nonnull(strstr(r.body, "Chat widget"));
	ck_assert_ptr_nonnull(strstr(r.body, prefix));
	ck_assert_ptr_null(strstr(r.body, key));
	th_resp_free(&r);
	/* Works, then revoked, then refused. */
	r = api("GET", "/api/v1/tickets", key, NULL, NULL);
	ck_assert_int_eq(r.status, 200);
	th_resp_free(&r);
	ck_assert_int_eq(sql_owner_ll(db, "SELECT count(*) FROM api_keys WHERE prefix = $1"
	    " AND last_used_at IS NOT NULL", prefix), 1);
	{
		char *id = sql_owner(db, "SELECT id::text FROM api_keys WHERE prefix = $1", prefix);
		char path[128];

		snprintf(path, sizeof(path), "/agent/admin/api-keys/%s/revoke", id);
		free(id);
		/* Without the CSRF token: refused. */
		r = web_post(&stack, &j, path, NULL, "x=1");
		ck_assert_int_eq(r.status, 403);
		th_resp_free(&r);
		r = web_post(&stack, &j, path, "/agent/admin/api-keys", "");
		ck_assert_int_eq(r.status, 303);
		th_resp_free(&r);
	}
	ck_assert_int_eq(sql_owner_ll(db, "SELECT count(*) FROM audit_log a JOIN api_keys k"
	    " ON a.object_id = k.id::text WHERE a.action = 'api_key.revoke' AND k.prefix = $1"
	    " AND k.revoked_at IS NOT NULL", prefix), 1);
	r = api("GET", "/api/v1/tickets", key, NULL, NULL);
	api_assert_error(&r, 401);
	/* Empty name: the form comes back. */
	r = web_post(&stack, &j, "/agent/admin/api-keys", "/agent/admin/api-keys", "name=");
	ck_assert_int_eq(r.status, 422);
	th_resp_free(&r);
	/* Signed out: sent to sign in. */
	jar_clear(&j);
	r = web_get(&stack, &j, "/agent/admin/api-keys");
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
}
END_TEST

START_TEST(tickets_through_the_api)
{
	struct jar j = { 0 };
	char key[128], path[128], number[32];
	struct th_resp r;
	json_t *o, *t, *created;
	size_t i;
	int seen = 0;

	admin_sign_in(&j);
	make_key(&j, "Phone+system", key, sizeof(key));
	r = api("POST", "/api/v1/tickets", key, "{\"customer_email\": \"HANK@globex.test\","
	    " \"subject\": \"Router keeps restarting\", \"description\": \"Since Monday.\","
	    " \"channel\": \"chat\", \"priority\": \"high\"}", NULL);
	ck_assert_msg(r.status == 201, "create answered %ld: %s", r.status, r.body);
	o = api_json_of(&r);
	t = json_object_get(o, "ticket");
	ck_assert_str_eq(json_string_value(json_object_get(t, "channel")), "chat");
	ck_assert_str_eq(json_string_value(json_object_get(t, "priority")), "high");
	snprintf(number, sizeof(number), "%s", json_string_value(json_object_get(t, "number")));
	ck_assert_msg(strncmp(number, "TKT-", 4) == 0, "number %s", number);
	/* The answer says where the ticket is and carries its service level. */
	snprintf(path, sizeof(path), "Location: /api/v1/tickets/%s\r\n", number);
	ck_assert_msg(strstr(r.headers, path) != NULL, "headers: %s", r.headers);
	created = json_incref(t);
	ck_assert_ptr_nonnull(json_object_get(json_object_get(created, "sla"), "first_response"));
	json_decref(o);
	th_resp_free(&r);
	ck_assert_int_eq(sql_owner_ll(db,
	    "SELECT count(*) FROM tickets WHERE number = $1 AND channel = 'chat'",
	    number), 1);
	/* In the list, and by the customer's e-mail. */
	r = api("GET", "/api/v1/tickets?customer_email=hank%40globex.test&limit=10", key, NULL,
	    NULL);
	ck_assert_int_eq(r.status, 200);
	o = api_json_of(&r);
	for (i = 0; i < json_array_size(json_object_get(o, "tickets")); i++)
		seen |= strcmp(json_string_value(json_object_get(json_array_get(json_object_get(o,
		    "tickets"), i), "number")), number) == 0;
	ck_assert(seen);
	json_decref(o);
	th_resp_free(&r);
	r = api("GET", "/api/v1/tickets?limit=0", key, NULL, NULL);
	api_assert_error(&r, 400);
	r = api("GET", "/api/v1/tickets?status=bogus", key, NULL, NULL);
	api_assert_error(&r, 400);
	/* One. */
	snprintf(path, sizeof(path), "/api/v1/tickets/%s", number);
	r = api("GET", path, key, NULL, NULL);
	ck_assert_int_eq(r.status, 200);
	o = api_json_of(&r);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(o, "ticket"),
	    "subject")), "Router keeps restarting");
	/* As the creation answered it, service level included. */
	ck_assert(json_equal(json_object_get(json_object_get(o, "ticket"), "sla"),
	    json_object_get(created, "sla")));
	ck_assert(json_equal(json_object_get(json_object_get(o, "ticket"), "customer"),
	    json_object_get(created, "customer")));
	json_decref(created);
	json_decref(o);
	th_resp_free(&r);
	r = api("GET", "/api/v1/tickets/TKT-999999", key, NULL, NULL);
	api_assert_error(&r, 404);
	/* Refusals. */
	r = api("POST", "/api/v1/tickets", key, "{\"customer_email\": ", NULL);
	api_assert_error(&r, 400);
	r = api("POST", "/api/v1/tickets", key, "[1, 2]", NULL);
	api_assert_error(&r, 400);
	r = api("POST", "/api/v1/tickets", key, "customer_email=x",
	    "application/x-www-form-urlencoded");
	api_assert_error(&r, 415);
	r = api("POST", "/api/v1/tickets", key, "{\"subject\": \"x\", \"description\": \"y\","
	    " \"channel\": \"chat\"}", NULL);
	api_assert_error(&r, 422);
	r = api("POST", "/api/v1/tickets", key, "{\"customer_email\": \"hank@globex.test\","
	    " \"subject\": \"x\", \"description\": \"y\", \"channel\": \"carrier pigeon\"}", NULL);
	api_assert_error(&r, 422);
	r = api("DELETE", path, key, NULL, NULL);
	api_assert_error(&r, 405);
	/* The workflow: a new ticket cannot be closed; it can be worked on. */
	r = api("PATCH", path, key, "{\"status\": \"closed\"}", NULL);
	api_assert_error(&r, 409);
	r = api("PATCH", path, key, "{\"status\": \"in_progress\", \"priority\": \"urgent\"}",
	    NULL);
	ck_assert_msg(r.status == 200, "PATCH answered %ld: %s", r.status, r.body);
	o = api_json_of(&r);
	t = json_object_get(o, "ticket");
	ck_assert_str_eq(json_string_value(json_object_get(t, "status")), "in_progress");
	ck_assert_str_eq(json_string_value(json_object_get(t, "priority")), "urgent");
	json_decref(o);
	th_resp_free(&r);
	r = api("PATCH", path, key, "{\"status\": 3}", NULL);
	api_assert_error(&r, 422);
	/* Comments. */
	snprintf(path, sizeof(path), "/api/v1/tickets/%s/comments", number);
	r = api("POST", path, key, "{\"body\": \"We sent a new power supply.\"}", NULL);
	ck_assert_msg(r.status == 201, "comment answered %ld: %s", r.status, r.body);
	th_resp_free(&r);
	r = api("POST", path, key, "{\"body\": \"Customer sounded upset.\","
	    " \"visibility\": \"internal\"}", NULL);
	ck_assert_int_eq(r.status, 201);
	th_resp_free(&r);
	r = api("POST", path, key, "{\"body\": \"x\", \"visibility\": \"secret\"}", NULL);
	api_assert_error(&r, 422);
	/* A terminal escape a form could not carry (found by fuzz_api_body). */
	r = api("POST", path, key, "{\"body\": \"\\u001b[2J\"}", NULL);
	api_assert_error(&r, 422);
	r = api("GET", path, key, NULL, NULL);
	ck_assert_int_eq(r.status, 200);
	o = api_json_of(&r);
	ck_assert_ptr_nonnull(strstr(r.body, "We sent a new power supply."));
	ck_assert_ptr_nonnull(strstr(r.body, "\"internal\""));
	json_decref(o);
	th_resp_free(&r);
}
END_TEST

/*
 * The API promises the customer the same "we received your request" mail
 * as the portal: it follows from the ticket's event, so it goes out once
 * even when the worker that answered is killed right after the commit,
 * and once however often the dispatcher runs.
 */
START_TEST(api_ticket_mails_the_customer_once_even_when_the_worker_dies)
{
	struct jar j = { 0 };
	char key[128], number[32], *n;
	pid_t workers[8];
	struct th_resp r;
	json_t *o;
	int i, nw;

	admin_sign_in(&j);
	make_key(&j, "Chat+widget", key, sizeof(key));
	r = api("POST", "/api/v1/tickets", key, "{\"customer_email\": \"hank@globex.test\","
	    " \"subject\": \"Χρειάζομαι βοήθεια\", \"description\": \"Chat transcript.\","
	    " \"channel\": \"chat\"}", NULL);
	ck_assert_msg(r.status == 201, "create answered %ld: %s", r.status, r.body);
	o = api_json_of(&r);
	snprintf(number, sizeof(number), "%s", json_string_value(json_object_get(
	    json_object_get(o, "ticket"), "number")));
	json_decref(o);
	th_resp_free(&r);
	/* Nothing after the commit is needed: the workers die now. */
	nw = th_children(stack.console, workers, 8);
	for (i = 0; i < nw; i++)
		kill(workers[i], SIGKILL);
	th_dispatch(db);
	th_dispatch(db);
	n = sql_owner(db, "SELECT count(*) FROM notifications WHERE kind = 'ticket_created'"
	    " AND recipient = 'hank@globex.test' AND body_text LIKE '%' || $1 || '%'", number);
	ck_assert_str_eq(n, "1");
	free(n);
	/* And the audit trail has it, as the key's doing. */
	n = sql_owner(db, "SELECT count(*) FROM audit_log WHERE action = 'ticket.create'"
	    " AND object_id = $1 AND actor_kind = 'api'", number);
	ck_assert_str_eq(n, "1");
	free(n);
}
END_TEST

/*
 * Chat, social and telephony integrations write for people who never
 * registered: a contact is made by e-mail (no password: its confirmation
 * carries an invitation) or by phone, and found again the next time.
 */
START_TEST(api_makes_contacts_for_people_who_never_registered)
{
	struct jar j = { 0 };
	char key[128], *n;
	struct th_resp r;
	int i;

	admin_sign_in(&j);
	make_key(&j, "Telephony", key, sizeof(key));
	for (i = 0; i < 2; i++) {
		r = api("POST", "/api/v1/tickets", key, "{\"customer_email\": \"Nova@Chat.test\","
		    " \"customer_name\": \"Nova Chat\", \"subject\": \"Hello\","
		    " \"description\": \"From the chat widget.\", \"channel\": \"chat\"}", NULL);
		ck_assert_msg(r.status == 201, "create answered %ld: %s", r.status, r.body);
		th_resp_free(&r);
	}
	n = sql_owner(db, "SELECT count(DISTINCT t.customer_id) || '|' || count(*) || '|'"
	    " || bool_and(u.password_hash IS NULL) || '|' || min(u.name) FROM tickets t"
	    " JOIN portal_users u ON u.id = t.requester_id WHERE u.email = $1", "nova@chat.test");
	ck_assert_str_eq(n, "1|2|true|Nova Chat");
	free(n);
	th_dispatch(db);
	n = sql_owner(db, "SELECT count(*) FROM notifications WHERE kind = 'ticket_created'"
	    " AND recipient = $1 AND body_text LIKE '%/password/reset?token=%'", "nova@chat.test");
	ck_assert_str_eq(n, "2");
	free(n);
	/* By phone: an account with the phone and no login. */
	r = api("POST", "/api/v1/tickets", key, "{\"customer_phone\": \"+49 30 5550 1234\","
	    " \"subject\": \"Call\", \"description\": \"Caller asked about returns.\","
	    " \"channel\": \"phone\"}", NULL);
	ck_assert_msg(r.status == 201, "create answered %ld: %s", r.status, r.body);
	th_resp_free(&r);
	n = sql_owner(db, "SELECT count(*) FROM tickets t JOIN customers c ON c.id = t.customer_id"
	    " WHERE c.phone = $1 AND t.requester_id IS NULL", "+49 30 5550 1234");
	ck_assert_str_eq(n, "1");
	free(n);
	/* A staff member's address is no customer's. */
	r = api("POST", "/api/v1/tickets", key, "{\"customer_email\": \"root@acme.test\","
	    " \"subject\": \"x\", \"description\": \"y\", \"channel\": \"chat\"}", NULL);
	api_assert_error(&r, 422);
}
END_TEST

Suite *http_api_suite(void);

Suite *
http_api_suite(void)
{
	Suite *s = suite_create("http_api");
	TCase *tc = tcase_create("api");

	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, refused_without_a_key);
	tcase_add_test(tc, keys_made_and_revoked_by_admin);
	tcase_add_test(tc, tickets_through_the_api);
	tcase_add_test(tc, api_ticket_mails_the_customer_once_even_when_the_worker_dies);
	tcase_add_test(tc, api_makes_contacts_for_people_who_never_registered);
	suite_add_tcase(s, tc);
	return s;
}
