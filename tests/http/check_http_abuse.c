/*
 * Retries and double submits through nginx: an API create sent twice
 * with one Idempotency-Key makes one ticket and answers the same both
 * times (the same key with another body is refused); the portal's new
 * request form sent twice opens one ticket and both sends land on it.
 */
#include "api_client.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


static struct th_stack stack;
static char *db;

static void
setup(void)
{
	db = api_suite_db("abuse");
	th_stack_start(&stack, db, 2, NULL);
}

static void
teardown(void)
{
	th_stack_stop(&stack);
	th_db_drop(db);
	free(db);
}

/* Makes an API key on the admin page; copies it into key. */
static void
api_key(char *key, size_t size)
{
	struct jar j = { 0 };

	web_staff_sign_in(&stack, &j, "root@acme.test", API_ADMIN_PW);
	api_make_key(&stack, &j, "retry", NULL, key, size);
	jar_clear(&j);
}

static struct th_resp
create(const char *key, const char *idem, const char *body)
{
	char url[256], auth[160], ik[160];
	const char *h[] = { auth, "Content-Type: application/json", ik, NULL };
	struct th_resp r;

	snprintf(url, sizeof(url), "%s/api/v1/tickets", stack.url);
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", key);
	snprintf(ik, sizeof(ik), "Idempotency-Key: %s", idem);
	ck_assert_int_eq(th_http("POST", url, body, strlen(body), h, &r), 0);
	return r;
}

static long long
tickets_with(const char *subject)
{
	char *n = sql_owner(db, "SELECT count(*) FROM tickets WHERE subject = $1", subject);
	long long v = strtoll(n, NULL, 10);

	free(n);
	return v;
}

START_TEST(api_retry_creates_one)
{
	const char *body = "{\"customer_email\":\"hank@globex.test\",\"subject\":\"Printer on fire\","
	    "\"description\":\"Smoke.\",\"channel\":\"phone\"}";
	char key[128];
	struct th_resp first, again, other;

	api_key(key, sizeof(key));
	first = create(key, "retry-7f3a", body);
	ck_assert_msg(first.status == 201, "answered %ld: %s", first.status, first.body);
	again = create(key, "retry-7f3a", body);
	ck_assert_int_eq(again.status, 201);
	ck_assert_str_eq(again.body, first.body);
	ck_assert_str_eq(th_header(&again, "Location"), th_header(&first, "Location"));
	ck_assert_str_eq(th_header(&again, "Idempotent-Replayed"), "true");
	ck_assert_int_eq(tickets_with("Printer on fire"), 1);
	/* The same key for another request is a client's mistake. */
	other = create(key, "retry-7f3a", "{\"customer_email\":\"hank@globex.test\","
	    "\"subject\":\"Other\",\"description\":\"x\",\"channel\":\"phone\"}");
	ck_assert_int_eq(other.status, 422);
	ck_assert_ptr_nonnull(strstr(other.body, "different request"));
	ck_assert_int_eq(tickets_with("Other"), 0);
	th_resp_free(&first);
	th_resp_free(&again);
	th_resp_free(&other);
}
END_TEST

START_TEST(portal_double_submit_opens_one)
{
	struct jar j = { 0 };
	struct th_resp r, first, second;
	char body[700], form_token[300];
	const char *loc;

	web_customer_sign_in(&stack, &j, "hank%40globex.test", API_CUSTOMER_PW);
	r = web_get(&stack, &j, "/tickets/new");
	ck_assert_int_eq(r.status, 200);
	web_field_value(r.body, "form_token", form_token, sizeof(form_token));
	snprintf(body, sizeof(body), "csrf_token=%s&form_token=%s&subject=Double+click"
	    "&description=Sent+twice.&urgency=normal", csrf_in(r.body), form_token);
	th_resp_free(&r);
	first = web_post(&stack, &j, "/tickets", NULL, body);
	ck_assert_msg(first.status == 303, "answered %ld: %.300s", first.status, first.body);
	second = web_post(&stack, &j, "/tickets", NULL, body);
	ck_assert_int_eq(second.status, 303);
	loc = th_header(&first, "Location");
	ck_assert_ptr_nonnull(strstr(loc, "/tickets/TKT-"));
	ck_assert_str_eq(th_header(&second, "Location"), loc);
	ck_assert_int_eq(tickets_with("Double click"), 1);
	th_resp_free(&first);
	th_resp_free(&second);
	jar_clear(&j);
}
END_TEST

Suite *http_abuse_suite(void);

Suite *
http_abuse_suite(void)
{
	Suite *s = suite_create("http_abuse");
	TCase *tc = tcase_create("retries");

	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, api_retry_creates_one);
	tcase_add_test(tc, portal_double_submit_opens_one);
	suite_add_tcase(s, tc);
	return s;
}
