/*
 * Quality reviews through nginx: an admin makes a scorecard from its
 * lines; a supervisor draws a chosen ticket, a refused score comes back
 * with what was typed, then scores it; the agent reviewed reads it under
 * "My quality reviews", another agent gets 404, and agents cannot reach
 * the supervisors' pages.
 */
#include "identity.h"
#include "auth/password.h"
#include "db/db.h"

#include <check.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PW "blue kettle marathon 42"

static struct th_stack stack;
static char *db;

static const char fixture[] =
    "INSERT INTO teams (name) VALUES ('Desk');"
    "UPDATE staff SET team_id = (SELECT id FROM teams);"
    "INSERT INTO customers (name) VALUES ('QA Co');"
    "INSERT INTO tickets (customer_id, channel, subject, description, team_id, assignee_id,"
    " status, resolved_at) SELECT c.id, 'phone', 'Router drops', 'Often.', t.id, s.id,"
    " 'resolved', now() FROM customers c, teams t, staff s WHERE s.email = 'ann@acme.test';";

static void
setup(void)
{
	struct db d;
	char hash[PASSWORD_HASH_MAX];

	ck_assert_int_ge(sodium_init(), 0);
	db = th_db_create("http_qa");
	ck_assert_int_eq(db_open(&d, db, "qa-setup"), 0);
	ck_assert_int_eq(password_hash(PW, hash), 0);
	ck_assert_int_gt(staff_fixture(&d, "admin@acme.test", "Ada Admin", hash, "admin,agent"),
	    0);
	ck_assert_int_gt(staff_fixture(&d, "ann@acme.test", "Ann Agent", hash, "agent"), 0);
	ck_assert_int_gt(staff_fixture(&d, "bob@acme.test", "Bob Agent", hash, "agent"), 0);
	ck_assert_int_gt(staff_fixture(&d, "sup@acme.test", "Sam Supervisor", hash,
	    "supervisor,agent"), 0);
	ck_assert_int_eq(db_script(&d, fixture, "fixture"), 0);
	db_close(&d);
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
expect(struct th_resp r, long status, const char *text)
{
	ck_assert_msg(r.status == status, "answered %ld, not %ld: %.400s", r.status, status,
	    r.body);
	if (text != NULL)
		ck_assert_msg(strstr(r.body, text) != NULL, "no \"%s\" in %.3000s", text, r.body);
	th_resp_free(&r);
}

START_TEST(a_supervisor_scores_a_chosen_ticket_and_its_agent_reads_it)
{
	struct jar admin = { 0 }, sup = { 0 }, ann = { 0 }, bob = { 0 };
	char *number = sql_owner(db, "SELECT number FROM tickets", NULL), *card, *review;
	char body[256], path[64];

	web_staff_sign_in(&stack, &admin, "admin@acme.test", PW);
	expect(web_post(&stack, &admin, "/agent/admin/qa", "/agent/admin/qa",
	    "name=Phone+calls&criteria=Tone+3"), 422, "“name | weight”");
	expect(web_post(&stack, &admin, "/agent/admin/qa", "/agent/admin/qa",
	    "name=Phone+calls&criteria=Greeting+and+tone+%7C+1%0ARight+answer+%7C+3"), 303, NULL);
	expect(web_get(&stack, &admin, "/agent/admin/qa"), 200, "Phone calls");
	card = sql_owner(db, "SELECT id FROM qa_scorecards", NULL);
	web_staff_sign_in(&stack, &ann, "ann@acme.test", PW);
	expect(web_get(&stack, &ann, "/agent/qa"), 403, NULL);
	web_staff_sign_in(&stack, &sup, "sup@acme.test", PW);
	snprintf(body, sizeof(body), "sample=chosen&scorecard_id=%s&count=&week=&number=%s", card,
	    number);
	expect(web_post(&stack, &sup, "/agent/qa/samples", "/agent/qa", body), 303, NULL);
	expect(web_get(&stack, &sup, "/agent/qa"), 200, number);
	review = sql_owner(db, "SELECT id FROM qa_reviews", NULL);
	snprintf(path, sizeof(path), "/agent/qa/%s", review);
	expect(web_get(&stack, &sup, path), 200, "Right answer");
	/* One criterion left out: refused, with what was typed kept. */
	expect(web_post(&stack, &sup, path, path, "c0=4&comment=Warm+greeting"), 422,
	    ">Warm greeting</textarea>");
	/* Ann cannot see it before it is scored. */
	expect(web_get(&stack, &ann, path), 404, NULL);
	expect(web_post(&stack, &sup, path, path, "c0=4&c1=2&comment=Warm+greeting"), 303, NULL);
	expect(web_get(&stack, &ann, "/agent/qa/mine"), 200, "62.5");
	expect(web_get(&stack, &ann, path), 200, "Warm greeting");
	expect(web_get(&stack, &bob, path), 303, NULL);
	web_staff_sign_in(&stack, &bob, "bob@acme.test", PW);
	expect(web_get(&stack, &bob, path), 404, NULL);
	expect(web_get(&stack, &bob, "/agent/qa/mine"), 200, "None of your tickets");
	free(card);
	free(review);
	free(number);
}
END_TEST

Suite *http_qa_suite(void);

Suite *
http_qa_suite(void)
{
	Suite *s = suite_create("http_qa");
	TCase *tc = tcase_create("qa");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, a_supervisor_scores_a_chosen_ticket_and_its_agent_reads_it);
	suite_add_tcase(s, tc);
	return s;
}
