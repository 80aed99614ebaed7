/*
 * Surveys from the batch: a rule's survey goes to the requester when a
 * ticket is resolved (a phone customer without a password included), its
 * link works once, the answer can be changed until it expires and is then
 * refused; a throttled customer gets none and the skip is logged with its
 * reason; one survey per resolution; a browser signed in to the console
 * cannot answer; the portal's rating lands as a CSAT answer; a low score
 * or a negative comment opens a follow-up, a good one does not; the
 * periodic NPS asks each customer once per period; the response rate.
 */
#include "../lib/dispatch.h"
#include "../lib/harness.h"
#include "../lib/sql.h"
#include "auth/session.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/audit.h"
#include "domain/survey_answer.h"
#include "domain/survey_consumers.h"
#include "domain/surveys.h"
#include "domain/ticket_autoclose.h"
#include "domain/tickets.h"

#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *conninfo, *as_portal, *as_console;
static struct db owner, portal, console;
static struct arena *arena;
static long long agent;

static const char fixture[] =
    "INSERT INTO teams (name) VALUES ('Desk');"
    "INSERT INTO queues (name, team_id, auto_assign) SELECT 'General', id, false FROM teams;"
    "INSERT INTO resolution_codes (code, label) VALUES ('fixed', 'Fixed');"
    "INSERT INTO staff (email, name, password_hash, roles, team_id)"
    " SELECT 'sv-agent@t.test', 'Sam Agent', 'x', ARRAY['agent'], id FROM teams;";

/* ---- helpers ---------------------------------------------------------- */

static long long ll(struct db *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* th_valuef's answer as a number. */
static long long
ll(struct db *d, const char *fmt, ...)
{
	char sql[2048];
	va_list ap;
	char *v;
	long long n;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	v = th_value(d, sql);
	n = atoll(v);
	free(v);
	return n;
}

/* A customer and its one login: with a password, or as intake makes a phone caller's. */
static long long
customer(const char *name, int password, long long *user)
{
	char *v = th_valuef(&owner,
	    "WITH c AS (INSERT INTO customers (name, phone) VALUES ('%s', '+33 1 23 45 67 89')"
	    " RETURNING id), u AS (INSERT INTO portal_users (customer_id, email, name,"
	    " password_hash, is_account_admin) SELECT id, lower(replace('%s', ' ', '.'))"
	    " || '@s.test', '%s', '%s', true FROM c RETURNING id, customer_id)"
	    " SELECT customer_id || ' ' || id FROM u", name, name, name, password ? "x" : "!");
	long long c = 0;

	ck_assert_int_eq(sscanf(v, "%lld %lld", &c, user), 2);
	free(v);
	return c;
}

/* A ticket of cust asked by user, being worked on by the agent. */
static long long
ticket(long long cust, long long user)
{
	return ll(&owner, "INSERT INTO tickets (customer_id, requester_id, channel, subject,"
	    " description, queue_id, team_id, assignee_id, status)"
	    " SELECT %lld, nullif(%lld, 0), 'phone', 'Kettle leaks', 'It leaks.', q.id, q.team_id,"
	    " (SELECT id FROM staff WHERE email = 'sv-agent@t.test'), 'in_progress'"
	    " FROM queues q RETURNING id", cust, user);
}

static void
resolve(long long id)
{
	struct ticket_actor_ref by = { TA_STAFF, agent, 0, 0, 0 };
	const char *why = NULL;

	ck_assert_msg(ticket_change_status(&console, arena, &by, &(struct ticket_status_in){
	    .ticket_id = id, .to = TS_RESOLVED, .resolution_code = "fixed" }, &why) == CS_OK,
	    "resolve: %s", why ? why : "");
}

static long long
rule(const char *trigger, const char *kind, int every_days)
{
	struct survey_rule_input in = { trigger, kind, every_days };
	struct audit_entry by = { 0 };
	const char *why = NULL, *field = NULL;
	long long id = 0;

	by.actor_kind = AUDIT_ACTOR_SYSTEM;
	ck_assert_msg(survey_rule_create(&console, &by, &in, &id, &why, &field) == CS_OK,
	    "rule: %s", why ? why : "");
	return id;
}

static void
min_days(int days)
{
	struct audit_entry by = { 0 };
	const char *why = NULL;

	by.actor_kind = AUDIT_ACTOR_SYSTEM;
	ck_assert_int_eq(survey_min_days_set(&console, &by, days, &why), CS_OK);
}

/* How many survey mails went to the customer's login; the last one's token into tok. */
static long long
invitations(long long user, char tok[64])
{
	char *body = th_valuef(&owner, "SELECT coalesce((SELECT body_text FROM notifications"
	    " WHERE kind = 'survey_invitation' AND recipient = (SELECT email FROM portal_users"
	    " WHERE id = %lld) ORDER BY id DESC LIMIT 1), '')", user);
	const char *at = strstr(body, "/survey/answer?token=");
	char *count = th_valuef(&owner, "SELECT count(*) FROM notifications WHERE kind ="
	    " 'survey_invitation' AND recipient = (SELECT email FROM portal_users WHERE id = %lld)",
	    user);
	long long n = atoll(count);

	tok[0] = '\0';
	if (at != NULL)
		sscanf(at + strlen("/survey/answer?token="), "%63[A-Za-z0-9_-]", tok);
	free(body);
	free(count);
	return n;
}

static enum cs_result
answer(const char *tok, int score, const char *comment, int seen, enum survey_outcome *out)
{
	struct survey_answer_in in = { tok, NULL, score, comment, seen };
	const char *why = NULL, *field = NULL;

	return survey_answer(&portal, arena, &in, out, &why, &field);
}

/* The skips logged for cust, "reason,reason" oldest first. */
static char *
skips(long long cust)
{
	return th_valuef(&owner, "SELECT coalesce(string_agg(reason, ',' ORDER BY id), '')"
	    " FROM survey_skips WHERE customer_id = %lld", cust);
}

/* ---- fixtures ---------------------------------------------------------- */

static void
suite_setup(void)
{
	struct db d;

	conninfo = th_db_create("surveys");
	as_portal = th_db_as(conninfo, "csdesk_portal");
	as_console = th_db_as(conninfo, "csdesk_console");
	ck_assert_int_eq(db_open(&d, conninfo, "check_surveys_setup"), 0);
	ck_assert_int_eq(db_script(&d, fixture, "fixture"), 0);
	db_close(&d);
}

static void
suite_teardown(void)
{
	th_db_drop(conninfo);
	free(as_portal);
	free(as_console);
	free(conninfo);
}

static void
setup(void)
{
	ck_assert_int_eq(db_open(&owner, conninfo, "check_surveys"), 0);
	ck_assert_int_eq(db_open(&portal, as_portal, "check_surveys_portal"), 0);
	ck_assert_int_eq(db_open(&console, as_console, "check_surveys_console"), 0);
	arena = arena_new(1 << 16);
	agent = ll(&owner, "SELECT id FROM staff WHERE email = '%s'", "sv-agent@t.test");
	/* Each test starts with no rule and no throttle, and the events so far handled. */
	free(th_value(&owner, "DELETE FROM survey_rules"));
	min_days(0);
	th_dispatch(conninfo);
}

static void
teardown(void)
{
	db_close(&owner);
	db_close(&portal);
	db_close(&console);
	arena_free(arena);
}

/* ---- tests -------------------------------------------------------------- */

START_TEST(a_link_works_once_is_editable_until_expiry_and_then_refuses)
{
	long long user, cust = customer("Link Lou", 1, &user), t = ticket(cust, user);
	struct survey_view v;
	enum survey_outcome out;
	const char *why = NULL;
	char tok[64], *row;

	rule("ticket.resolved", "csat", 0);
	resolve(t);
	ck_assert_int_eq(invitations(user, tok), 0);
	th_dispatch(conninfo);
	ck_assert_int_eq(invitations(user, tok), 1);
	ck_assert_uint_eq(strlen(tok), SESSION_TOKEN_LEN);
	/* Only the hash is stored. */
	row = th_valuef(&owner, "SELECT count(*) FROM survey_invitations WHERE"
	    " encode(token_hash, 'escape') LIKE '%%%s%%'", tok);
	ck_assert_str_eq(row, "0");
	free(row);
	ck_assert_int_eq(survey_open(&portal, arena, tok, NULL, &v, &why), CS_OK);
	ck_assert_int_eq(v.version, 0);
	ck_assert_int_eq(v.kind->max, 5);
	/* Out of the scale: refused, nothing recorded. */
	ck_assert_int_eq(answer(tok, 6, NULL, 0, &out), CS_REFUSED);
	ck_assert_int_eq(answer(tok, 4, "Quick and kind.", 0, &out), CS_OK);
	ck_assert_int_eq(out, SURVEY_ANSWERED);
	/* The same form again: already answered, the answer stands. */
	ck_assert_int_eq(answer(tok, 1, NULL, 0, &out), CS_CONFLICT);
	ck_assert_int_eq(out, SURVEY_REPLAY);
	row = th_valuef(&owner, "SELECT kind || score || coalesce(sentiment, '-') || (team_id"
	    " IS NOT NULL) || (agent_id = %lld) FROM survey_responses WHERE ticket_id = %lld",
	    agent, t);
	ck_assert_str_eq(row, "csat4positivetruetrue");
	free(row);
	/* Changed from the page showing the answer (version 1). */
	ck_assert_int_eq(survey_open(&portal, arena, tok, NULL, &v, &why), CS_OK);
	ck_assert_int_eq(v.version, 1);
	ck_assert_int_eq(v.score, 4);
	ck_assert_int_eq(answer(tok, 5, "", v.version, &out), CS_OK);
	ck_assert_int_eq(out, SURVEY_CHANGED);
	row = th_valuef(&owner, "SELECT count(*) || ':' || max(score) FROM survey_responses"
	    " WHERE ticket_id = %lld", t);
	ck_assert_str_eq(row, "1:5");
	free(row);
	/* Past its 14 days: refused. */
	free(th_valuef(&owner, "UPDATE survey_invitations SET expires_at = now() - interval"
	    " '1 second' WHERE ticket_id = %lld", t));
	ck_assert_int_eq(survey_open(&portal, arena, tok, NULL, &v, &why), CS_OK);
	ck_assert(v.expired);
	ck_assert_int_eq(answer(tok, 3, NULL, 2, &out), CS_REFUSED);
	ck_assert_int_eq(out, SURVEY_EXPIRED);
	/* A token nobody was given. */
	ck_assert_int_eq(answer("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", 3, NULL, 0, &out),
	    CS_NOT_FOUND);
}
END_TEST

START_TEST(a_phone_customer_without_a_password_gets_and_answers_a_survey)
{
	long long user, cust = customer("Phone Pat", 0, &user), t = ticket(cust, user);
	enum survey_outcome out;
	char tok[64], *row;

	rule("ticket.resolved", "ces", 0);
	resolve(t);
	th_dispatch(conninfo);
	ck_assert_int_eq(invitations(user, tok), 1);
	ck_assert_int_eq(answer(tok, 7, NULL, 0, &out), CS_OK);
	row = th_valuef(&owner, "SELECT kind || score FROM survey_responses WHERE customer_id ="
	    " %lld", cust);
	ck_assert_str_eq(row, "ces7");
	free(row);
}
END_TEST

START_TEST(a_throttled_customer_gets_none_and_the_skip_is_logged)
{
	long long user, cust = customer("Often Olga", 1, &user);
	long long t1 = ticket(cust, user), t2 = ticket(cust, user);
	char tok[64], *why;

	rule("ticket.resolved", "csat", 0);
	min_days(30);
	resolve(t1);
	th_dispatch(conninfo);
	ck_assert_int_eq(invitations(user, tok), 1);
	resolve(t2);
	th_dispatch(conninfo);
	ck_assert_int_eq(invitations(user, tok), 1);
	why = skips(cust);
	ck_assert_str_eq(why, "throttled");
	free(why);
	ck_assert_str_eq(survey_skip_words("throttled"),
	    "Asked recently: the customer had a survey within the limit of days.");
}
END_TEST

START_TEST(one_survey_per_resolution_and_none_for_a_ticket_without_an_address)
{
	long long user, cust = customer("Once Otto", 1, &user), t = ticket(cust, user);
	long long none_user, none = customer("Nomail Nia", 1, &none_user);
	long long t_none = ticket(none, 0);
	char tok[64], *why;

	rule("ticket.resolved", "csat", 0);
	rule("ticket.auto_closed", "nps", 0);
	resolve(t);
	resolve(t_none);
	th_dispatch(conninfo);
	/* The batch's auto-close of the same resolution asks nothing more. */
	ck_assert_int_eq(ticket_autoclose_run(&owner, 0, &(long){ 0 }), CS_OK);
	th_dispatch(conninfo);
	ck_assert_int_eq(invitations(user, tok), 1);
	why = skips(cust);
	ck_assert_str_eq(why, "already_asked");
	free(why);
	why = skips(none);
	ck_assert_str_eq(why, "no_address,no_address");
	free(why);
}
END_TEST

START_TEST(a_browser_signed_in_to_the_console_cannot_answer)
{
	long long user, cust = customer("Staff Sid", 1, &user), t = ticket(cust, user);
	const char *staff_token = NULL, *csrf = NULL, *why = NULL, *field = NULL;
	struct survey_answer_in in;
	struct survey_view v;
	enum survey_outcome out;
	char tok[64];

	rule("ticket.resolved", "csat", 0);
	resolve(t);
	th_dispatch(conninfo);
	ck_assert_int_eq(invitations(user, tok), 1);
	ck_assert_int_eq(session_staff_start(&console, arena, agent, "test", "127.0.0.1",
	    &staff_token, &csrf), 0);
	ck_assert_int_eq(survey_open(&portal, arena, tok, staff_token, &v, &why), CS_REFUSED);
	in = (struct survey_answer_in){ tok, staff_token, 5, NULL, 0 };
	ck_assert_int_eq(survey_answer(&portal, arena, &in, &out, &why, &field), CS_REFUSED);
	ck_assert_ptr_null(field);
	ck_assert_ptr_nonnull(strstr(why, "console"));
	/* Signed out, the same browser may. */
	ck_assert_int_eq(session_staff_end(&console, staff_token), 0);
	in.staff_token = staff_token;
	ck_assert_int_eq(survey_answer(&portal, arena, &in, &out, &why, &field), CS_OK);
}
END_TEST

START_TEST(a_portal_rating_is_a_csat_answer_and_a_low_one_opens_a_follow_up)
{
	long long user, cust = customer("Rating Rae", 1, &user), t = ticket(cust, user);
	struct ticket_actor_ref by = { TA_CUSTOMER, user, cust, 1, 0 };
	const char *why = NULL;
	char c[24], *row;

	snprintf(c, sizeof(c), "%lld", cust);
	free(th_valuef(&portal, "SELECT set_config('csdesk.customer_id', '%s', false)", c));
	resolve(t);
	ck_assert_int_eq(ticket_change_status(&portal, arena, &by, &(struct ticket_status_in){
	    .ticket_id = t, .to = TS_CLOSED, .rating = 2, .rating_comment = "Slow." }, &why),
	    CS_OK);
	th_dispatch(conninfo);
	row = th_valuef(&owner, "SELECT r.kind || r.score || r.source || coalesce(r.comment, '')"
	    " || f.low_score || f.status FROM survey_responses r JOIN survey_followups f"
	    " ON f.response_id = r.id WHERE r.ticket_id = %lld", t);
	ck_assert_str_eq(row, "csat2portal_ratingSlow.trueopen");
	free(row);
}
END_TEST

START_TEST(a_negative_comment_opens_a_follow_up_and_a_good_answer_does_not)
{
	long long u1, c1 = customer("Grumpy Gus", 1, &u1), t1 = ticket(c1, u1);
	long long u2, c2 = customer("Happy Hal", 1, &u2), t2 = ticket(c2, u2);
	enum survey_outcome out;
	char tok1[64], tok2[64], *row;

	rule("ticket.resolved", "nps", 0);
	resolve(t1);
	resolve(t2);
	th_dispatch(conninfo);
	ck_assert_int_eq(invitations(u1, tok1), 1);
	ck_assert_int_eq(invitations(u2, tok2), 1);
	ck_assert_int_eq(answer(tok1, 8, "The agent was rude and the kettle is still broken.", 0,
	    &out), CS_OK);
	ck_assert_int_eq(answer(tok2, 9, "Great help, thank you!", 0, &out), CS_OK);
	th_dispatch(conninfo);
	row = th_valuef(&owner, "SELECT string_agg(f.ticket_id::text || f.low_score"
	    " || f.negative_comment, ',') FROM survey_followups f WHERE f.ticket_id IN (%lld, %lld)",
	    t1, t2);
	ck_assert_str_eq(row, arena_printf(arena, "%lldfalsetrue", t1));
	free(row);
}
END_TEST

START_TEST(the_periodic_nps_asks_each_customer_once_per_period)
{
	long long user, cust = customer("Periodic Pia", 1, &user);
	long sent = 0, skipped = 0;
	char tok[64], *next;

	rule("periodic", "nps", 90);
	survey_mail_setup(th_templates(), "csdesk", "http://127.0.0.1:8080");
	ck_assert_int_eq(survey_periodic_run(&owner, 100000, &sent, &skipped), CS_OK);
	ck_assert_int_eq(invitations(user, tok), 1);
	ck_assert_int_ge(sent, 1);
	/* Everyone due was asked: the next run is an hour later. */
	next = th_value(&owner, "SELECT value::timestamptz > now() + interval '59 minutes'"
	    " FROM settings WHERE key = 'survey_periodic_next'");
	ck_assert_str_eq(next, "t");
	free(next);
	/* Run again at once (the hour passed): asked within the period, not again. */
	free(th_value(&owner, "UPDATE settings SET value = now()::text"
	    " WHERE key = 'survey_periodic_next'"));
	sent = 0;
	ck_assert_int_eq(survey_periodic_run(&owner, 100000, &sent, &skipped), CS_OK);
	ck_assert_int_eq(invitations(user, tok), 1);
	ck_assert_int_eq(sent, 0);
	/* Asked 91 days ago: due again once the hour has passed. */
	free(th_valuef(&owner, "UPDATE survey_invitations SET sent_at = now() - interval '91 days'"
	    " WHERE customer_id = %lld", cust));
	ck_assert_int_eq(survey_periodic_run(&owner, 100000, &sent, &skipped), CS_OK);
	ck_assert_int_eq(sent, 0);
	free(th_value(&owner, "UPDATE settings SET value = now()::text"
	    " WHERE key = 'survey_periodic_next'"));
	ck_assert_int_eq(survey_periodic_run(&owner, 100000, &sent, &skipped), CS_OK);
	ck_assert_int_eq(invitations(user, tok), 2);
}
END_TEST

START_TEST(the_response_rate_is_answered_over_sent_by_the_agent_who_held_the_ticket)
{
	long long u1, c1 = customer("Rate Ria", 1, &u1), t1 = ticket(c1, u1);
	long long u2, c2 = customer("Rate Rob", 1, &u2), t2 = ticket(c2, u2);
	enum survey_outcome out;
	char tok[64], *rate;

	free(th_value(&owner, "DELETE FROM survey_followups; UPDATE survey_invitations"
	    " SET sent_at = sent_at - interval '400 days'"));
	rule("ticket.resolved", "csat", 0);
	resolve(t1);
	resolve(t2);
	th_dispatch(conninfo);
	ck_assert_int_eq(invitations(u1, tok), 1);
	ck_assert_int_eq(answer(tok, 5, NULL, 0, &out), CS_OK);
	/* Reassigned afterwards: still counts for the agent who held it. */
	free(th_valuef(&owner, "UPDATE tickets SET assignee_id = NULL WHERE id IN (%lld, %lld)",
	    t1, t2));
	rate = th_valuef(&console, "SELECT survey_response_rate(now() - interval '1 day',"
	    " now() + interval '1 day', NULL, %lld) || '/' || coalesce(survey_response_rate("
	    "now() - interval '1 day', now() + interval '1 day', NULL, %lld + 1000)::text, 'none')",
	    agent, agent);
	ck_assert_str_eq(rate, "0.5000/none");
	free(rate);
	(void)c2;
}
END_TEST

Suite *surveys_suite(void);

Suite *
surveys_suite(void)
{
	Suite *s = suite_create("surveys");
	TCase *tc = tcase_create("surveys");

	tcase_add_unchecked_fixture(tc, suite_setup, suite_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, a_link_works_once_is_editable_until_expiry_and_then_refuses);
	tcase_add_test(tc, a_phone_customer_without_a_password_gets_and_answers_a_survey);
	tcase_add_test(tc, a_throttled_customer_gets_none_and_the_skip_is_logged);
	tcase_add_test(tc, one_survey_per_resolution_and_none_for_a_ticket_without_an_address);
	tcase_add_test(tc, a_browser_signed_in_to_the_console_cannot_answer);
	tcase_add_test(tc, a_portal_rating_is_a_csat_answer_and_a_low_one_opens_a_follow_up);
	tcase_add_test(tc, a_negative_comment_opens_a_follow_up_and_a_good_answer_does_not);
	tcase_add_test(tc, the_periodic_nps_asks_each_customer_once_per_period);
	tcase_add_test(tc, the_response_rate_is_answered_over_sent_by_the_agent_who_held_the_ticket);
	suite_add_tcase(s, tc);
	return s;
}
