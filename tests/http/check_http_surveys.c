/*
 * Surveys through nginx: an admin adds the rule; a phone customer without
 * a portal password gets the link by mail and answers without signing in
 * on a page without script; the same form sent again says "already
 * answered"; the page then shows the answer to change; a score off the
 * scale comes back at the field with the comment kept; a browser signed
 * in to the console is refused; an expired link says so; the low score
 * opens a follow-up a supervisor works and an agent cannot see.
 *
 * Quality reviews: an admin makes a scorecard from its lines; a
 * supervisor draws a chosen ticket, a refused score comes back with what
 * was typed, then scores it; the agent reviewed reads it under "My
 * quality reviews", another agent gets 404, and agents cannot reach the
 * supervisors' pages.
 */
#include "identity.h"
#include "../lib/dispatch.h"
#include "auth/password.h"
#include "db/db.h"

#include <check.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PW "blue kettle marathon 42"
#define PW_FORM "blue+kettle+marathon+42"

static struct th_stack stack;
static char *db;

static const char fixture[] =
    "INSERT INTO teams (name) VALUES ('Desk');"
    "INSERT INTO queues (name, team_id, auto_assign) SELECT 'General', id, false FROM teams;"
    "INSERT INTO resolution_codes (code, label) VALUES ('fixed', 'Fixed');"
    "UPDATE staff SET team_id = (SELECT id FROM teams);"
    "WITH c AS (INSERT INTO customers (name, phone) VALUES ('Pat Phone', '+44 20 7946 0000')"
    " RETURNING id) INSERT INTO portal_users (customer_id, email, name, password_hash,"
    " is_account_admin) SELECT id, 'pat@phone.test', 'Pat Phone', '!', true FROM c;"
    "INSERT INTO tickets (customer_id, requester_id, channel, subject, description, queue_id,"
    " team_id, assignee_id, status)"
    " SELECT u.customer_id, u.id, 'phone', 'Kettle leaks', 'It leaks.', q.id, q.team_id,"
    " (SELECT id FROM staff WHERE email = 'agent@acme.test'), 'in_progress'"
    " FROM portal_users u, queues q WHERE u.email = 'pat@phone.test';"
    /* Quality reviews: a ticket Ann resolved. */
    "INSERT INTO customers (name) VALUES ('QA Co');"
    "INSERT INTO tickets (customer_id, channel, subject, description, team_id, assignee_id,"
    " status, resolved_at) SELECT c.id, 'phone', 'Router drops', 'Often.', t.id, s.id,"
    " 'resolved', now() FROM customers c, teams t, staff s WHERE s.email = 'ann@acme.test'"
    " AND c.name = 'QA Co';";

static void
setup(void)
{
	struct db d;
	char hash[PASSWORD_HASH_MAX];

	ck_assert_int_ge(sodium_init(), 0);
	db = th_db_create("http_surveys");
	ck_assert_int_eq(db_open(&d, db, "surveys-setup"), 0);
	ck_assert_int_eq(password_hash(PW, hash), 0);
	ck_assert_int_gt(staff_fixture(&d, "admin@acme.test", "Ada Admin", hash, "admin,agent"),
	    0);
	ck_assert_int_gt(staff_fixture(&d, "agent@acme.test", "Alex Agent", hash, "agent"), 0);
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

/* The survey link mailed to Pat once the agent resolved the ticket (malloc'd). */
static char *
survey_link(void)
{
	struct jar admin = { 0 }, agent = { 0 };
	char *number = sql_owner(db, "SELECT number FROM tickets WHERE subject = 'Kettle leaks'",
	    NULL), *text, *path;
	char url[128], status[160];

	web_staff_sign_in(&stack, &admin, "admin@acme.test", PW);
	web_expect(web_post(&stack, &admin, "/agent/admin/surveys/rules", "/agent/admin/surveys",
	    "trigger=ticket.resolved&kind=csat&every_days="), 303, NULL);
	web_expect(web_get(&stack, &admin, "/agent/admin/surveys"), 200, "Ticket resolved");
	web_staff_sign_in(&stack, &agent, "agent@acme.test", PW);
	snprintf(url, sizeof(url), "/agent/tickets/%s", number);
	snprintf(status, sizeof(status), "%s/status", url);
	web_expect(web_post(&stack, &agent, status, url, "status=resolved&resolution_code=fixed"),
	    303,
	    NULL);
	th_dispatch(db);
	text = mail_text(db, "pat@phone.test", "survey_invitation");
	ck_assert_ptr_nonnull(text);
	path = link_path(text, "/survey/answer?token=");
	ck_assert_ptr_nonnull(path);
	free(text);
	free(number);
	return path;
}

START_TEST(a_phone_customer_answers_once_changes_it_and_staff_cannot)
{
	struct jar pat = { 0 }, staff = { 0 }, sup = { 0 }, agent = { 0 };
	char *path = survey_link(), *token = strchr(path, '=') + 1, body[256], *fu;
	struct th_resp r;

	/* The page: the question, the scale as radio buttons, no script. */
	r = web_get(&stack, &pat, path);
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_nonnull(strstr(r.body, "How satisfied are you"));
	ck_assert_ptr_nonnull(strstr(r.body, "type=\"radio\" name=\"score\" value=\"5\""));
	ck_assert_ptr_null(strstr(r.body, "<script"));
	ck_assert_ptr_nonnull(strstr(r.headers, "Referrer-Policy: no-referrer"));
	th_resp_free(&r);
	/* Off the scale: at the field, the comment kept. */
	snprintf(body, sizeof(body), "token=%s&version=0&score=9&comment=Too+slow", token);
	web_expect(web_post(&stack, &pat, "/survey/answer", path, body), 422,
	    "Choose a score from 1 to 5");
	web_expect(web_post(&stack, &pat, "/survey/answer", path, body), 422,
	    ">Too slow</textarea>");
	snprintf(body, sizeof(body), "token=%s&version=0&score=2&comment=Too+slow", token);
	web_expect(web_post(&stack, &pat, "/survey/answer", path, body), 200, "Thank you");
	/* The same form again. */
	web_expect(web_post(&stack, &pat, "/survey/answer", path, body), 409, "already answered");
	/* The page shows the answer to change. */
	web_expect(web_get(&stack, &pat, path), 200, "Change my answer");
	web_expect(web_get(&stack, &pat, path), 200, "value=\"2\" required checked");
	/* A browser signed in to the console may not answer. */
	web_staff_sign_in(&stack, &staff, "agent@acme.test", PW);
	web_expect(web_get(&stack, &staff, path), 403, "signed in to the console");
	/* The low score is a follow-up for the supervisor, not for an agent. */
	th_dispatch(db);
	web_expect(web_get(&stack, &staff, "/agent/surveys/follow-ups"), 403, NULL);
	web_staff_sign_in(&stack, &sup, "sup@acme.test", PW);
	web_expect(web_get(&stack, &sup, "/agent/surveys/follow-ups"), 200, "Too slow");
	fu = sql_owner(db, "SELECT '/agent/surveys/follow-ups/' || id || '/done'"
	    " FROM survey_followups", NULL);
	web_expect(web_post(&stack, &sup, fu, "/agent/surveys/follow-ups", "note=Called+Pat"), 303,
	    NULL);
	web_expect(web_get(&stack, &sup, "/agent/surveys/follow-ups?status=done"), 200,
	    "Called Pat");
	free(fu);
	/* Changed while the link works. */
	snprintf(body, sizeof(body), "token=%s&version=1&score=4&comment=", token);
	web_expect(web_post(&stack, &pat, "/survey/answer", path, body), 200,
	    "Your answer is changed");
	/* Expired: the page and the form say so. */
	free(sql_owner(db, "UPDATE survey_invitations SET expires_at = now() - interval '1 s'",
	    NULL));
	web_expect(web_get(&stack, &pat, path), 410, "This survey has closed");
	snprintf(body, sizeof(body), "token=%s&version=2&score=5&comment=", token);
	web_expect(web_post(&stack, &pat, "/survey/answer", "/login", body), 410, "has closed");
	/* A link nobody was given. */
	web_expect(web_get(&stack, &agent,
	    "/survey/answer?token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"), 404, "not valid");
	free(path);
}
END_TEST

START_TEST(admins_see_the_surveys_not_sent)
{
	struct jar admin = { 0 };

	free(sql_owner(db, "INSERT INTO survey_skips (trigger, kind, customer_id, reason)"
	    " SELECT 'ticket.resolved', 'csat', id, 'throttled' FROM customers", NULL));
	web_staff_sign_in(&stack, &admin, "admin@acme.test", PW);
	web_expect(web_get(&stack, &admin, "/agent/admin/surveys/skips"), 200, "Asked recently");
	web_expect(web_get(&stack, &admin, "/agent/admin/surveys/skips?before=x"), 400,
	    "“before”");
	/* A periodic rule needs its days. */
	web_expect(web_post(&stack, &admin, "/agent/admin/surveys/rules", "/agent/admin/surveys",
	    "trigger=periodic&kind=nps&every_days="), 422, "needs a number of days");
	web_expect(web_post(&stack, &admin, "/agent/admin/surveys/throttle", "/agent/admin/surveys",
	    "min_days=400"), 422, "Days between surveys");
}
END_TEST

START_TEST(a_supervisor_scores_a_chosen_ticket_and_its_agent_reads_it)
{
	struct jar admin = { 0 }, sup = { 0 }, ann = { 0 }, bob = { 0 };
	char *number = sql_owner(db,
	    "SELECT number FROM tickets WHERE subject = 'Router drops'", NULL), *card, *review;
	char body[256], path[64];

	web_staff_sign_in(&stack, &admin, "admin@acme.test", PW);
	web_expect(web_post(&stack, &admin, "/agent/admin/qa", "/agent/admin/qa",
	    "name=Phone+calls&criteria=Tone+3"), 422, "“name | weight”");
	web_expect(web_post(&stack, &admin, "/agent/admin/qa", "/agent/admin/qa",
	    "name=Phone+calls&criteria=Greeting+and+tone+%7C+1%0ARight+answer+%7C+3"), 303, NULL);
	web_expect(web_get(&stack, &admin, "/agent/admin/qa"), 200, "Phone calls");
	card = sql_owner(db, "SELECT id FROM qa_scorecards", NULL);
	web_staff_sign_in(&stack, &ann, "ann@acme.test", PW);
	web_expect(web_get(&stack, &ann, "/agent/qa"), 403, NULL);
	web_staff_sign_in(&stack, &sup, "sup@acme.test", PW);
	snprintf(body, sizeof(body), "sample=chosen&scorecard_id=%s&count=&week=&number=%s", card,
	    number);
	web_expect(web_post(&stack, &sup, "/agent/qa/samples", "/agent/qa", body), 303, NULL);
	web_expect(web_get(&stack, &sup, "/agent/qa"), 200, number);
	review = sql_owner(db, "SELECT id FROM qa_reviews", NULL);
	snprintf(path, sizeof(path), "/agent/qa/%s", review);
	web_expect(web_get(&stack, &sup, path), 200, "Right answer");
	/* One criterion left out: refused, with what was typed kept. */
	web_expect(web_post(&stack, &sup, path, path, "c0=4&comment=Warm+greeting"), 422,
	    ">Warm greeting</textarea>");
	/* Ann cannot see it before it is scored. */
	web_expect(web_get(&stack, &ann, path), 404, NULL);
	web_expect(web_post(&stack, &sup, path, path, "c0=4&c1=2&comment=Warm+greeting"), 303,
	    NULL);
	web_expect(web_get(&stack, &ann, "/agent/qa/mine"), 200, "62.5");
	web_expect(web_get(&stack, &ann, path), 200, "Warm greeting");
	web_expect(web_get(&stack, &bob, path), 303, NULL);
	web_staff_sign_in(&stack, &bob, "bob@acme.test", PW);
	web_expect(web_get(&stack, &bob, path), 404, NULL);
	web_expect(web_get(&stack, &bob, "/agent/qa/mine"), 200, "None of your tickets");
	free(card);
	free(review);
	free(number);
}
END_TEST

Suite *http_surveys_suite(void);

Suite *
http_surveys_suite(void)
{
	Suite *s = suite_create("http_surveys");
	TCase *tc = tcase_create("surveys");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, a_phone_customer_answers_once_changes_it_and_staff_cannot);
	tcase_add_test(tc, admins_see_the_surveys_not_sent);
	tcase_add_test(tc, a_supervisor_scores_a_chosen_ticket_and_its_agent_reads_it);
	suite_add_tcase(s, tc);
	return s;
}
