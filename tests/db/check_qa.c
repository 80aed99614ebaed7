/*
 * Quality reviews: a scorecard's criteria are read from "name | weight"
 * lines (and refused when a line is not one); a chosen ticket must be
 * settled and is sampled once per scorecard; the weekly sample takes up to
 * N per agent from that week only; a review is of the agent who resolved
 * the ticket, even when it was reassigned after; its score is the
 * weighted share of the points and qa_score() their mean; nobody reviews
 * their own ticket, and a review is scored once.
 */
#include "../lib/harness.h"
#include "../lib/sql.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/audit.h"
#include "domain/qa.h"
#include "domain/tickets.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *conninfo, *as_console;
static struct db owner, console;
static struct arena *arena;
static long long ann, bob, sue, card;

static const char fixture[] =
    "INSERT INTO teams (name) VALUES ('Desk');"
    "INSERT INTO queues (name, team_id, auto_assign) SELECT 'General', id, false FROM teams;"
    "INSERT INTO resolution_codes (code, label) VALUES ('fixed', 'Fixed');"
    "INSERT INTO staff (email, name, password_hash, roles, team_id)"
    " SELECT v.e, v.n, 'x', v.r, t.id FROM (VALUES ('ann@qa.test', 'Ann', ARRAY['agent']),"
    " ('bob@qa.test', 'Bob', ARRAY['agent']), ('sue@qa.test', 'Sue', ARRAY['supervisor']))"
    " AS v (e, n, r) CROSS JOIN teams t;"
    "INSERT INTO customers (name) VALUES ('QA Customer');";

static long long
id_of(const char *sql)
{
	char *v = th_value(&owner, sql);
	long long n = atoll(v);

	free(v);
	return n;
}

/* A ticket worked by agent and resolved by them, resolved_at days ago. */
static long long
settled(long long agent, int days_ago)
{
	struct ticket_actor_ref by = { TA_STAFF, agent, 0, 0, 0 };
	const char *why = NULL;
	char *v = th_valuef(&owner, "INSERT INTO tickets (customer_id, channel, subject,"
	    " description, queue_id, team_id, assignee_id, status) SELECT c.id, 'phone',"
	    " 'Router drops', 'Often.', q.id, q.team_id, %lld, 'in_progress'"
	    " FROM customers c, queues q RETURNING id", agent);
	long long id = atoll(v);

	free(v);
	ck_assert_msg(ticket_change_status(&console, arena, &by, &(struct ticket_status_in){
	    .ticket_id = id, .to = TS_RESOLVED, .resolution_code = "fixed" }, &why) == CS_OK,
	    "resolve: %s", why ? why : "");
	free(th_valuef(&owner, "UPDATE tickets SET resolved_at = now() - make_interval(days => %d)"
	    " WHERE id = %lld", days_ago, id));
	return id;
}

static const char *
number_of(long long id)
{
	char *v = th_valuef(&owner, "SELECT number FROM tickets WHERE id = %lld", id);
	const char *n = arena_strdup(arena, v);

	free(v);
	return n;
}

static void
suite_setup(void)
{
	struct db d;

	conninfo = th_db_create("qa");
	as_console = th_db_as(conninfo, "csdesk_console");
	ck_assert_int_eq(db_open(&d, conninfo, "check_qa_setup"), 0);
	ck_assert_int_eq(db_script(&d, fixture, "fixture"), 0);
	db_close(&d);
}

static void
suite_teardown(void)
{
	th_db_drop(conninfo);
	free(as_console);
	free(conninfo);
}

static void
setup(void)
{
	struct audit_entry by = { 0 };
	const char *why = NULL, *field = NULL;
	char name[32];

	ck_assert_int_eq(db_open(&owner, conninfo, "check_qa"), 0);
	ck_assert_int_eq(db_open(&console, as_console, "check_qa_console"), 0);
	arena = arena_new(1 << 16);
	ann = id_of("SELECT id FROM staff WHERE email = 'ann@qa.test'");
	bob = id_of("SELECT id FROM staff WHERE email = 'bob@qa.test'");
	sue = id_of("SELECT id FROM staff WHERE email = 'sue@qa.test'");
	by.actor_kind = AUDIT_ACTOR_SYSTEM;
	/* Each test runs in a process of its own. */
	snprintf(name, sizeof(name), "Card %d", (int)getpid());
	ck_assert_msg(qa_scorecard_create(&console, arena, &by, name,
	    "Greeting and tone | 1\n\n  Right answer | 3  \n", &card, &why, &field) == CS_OK,
	    "scorecard: %s", why ? why : "");
}

static void
teardown(void)
{
	db_close(&owner);
	db_close(&console);
	arena_free(arena);
}

START_TEST(criteria_lines_are_checked)
{
	struct audit_entry by = { 0 };
	const char *why = NULL, *field = NULL;
	long long id;

	by.actor_kind = AUDIT_ACTOR_SYSTEM;
	ck_assert_int_eq(qa_scorecard_create(&console, arena, &by, "No bar", "Tone 3", &id, &why,
	    &field), CS_REFUSED);
	ck_assert_str_eq(field, "criteria");
	ck_assert_int_eq(qa_scorecard_create(&console, arena, &by, "Heavy", "Tone | 101", &id,
	    &why, &field), CS_REFUSED);
	ck_assert_int_eq(qa_scorecard_create(&console, arena, &by, "Empty", " \n ", &id, &why,
	    &field), CS_REFUSED);
	ck_assert_int_eq(qa_scorecard_create(&console, arena, &by, "Twice", "Tone | 1", &id,
	    &why, &field), CS_OK);
	ck_assert_int_eq(qa_scorecard_create(&console, arena, &by, "Twice", "Tone | 1", &id,
	    &why, &field), CS_TAKEN);
	ck_assert_str_eq(field, "name");
}
END_TEST

START_TEST(a_chosen_ticket_is_scored_for_who_resolved_it)
{
	long long t = settled(ann, 1);
	struct qa_sample_in in = { QA_SAMPLE_CHOSEN, card, 0, NULL, NULL };
	const char *why = NULL, *field = NULL;
	int points[] = { 4, 2 }, bad[] = { 4, 5 };
	struct qa_review v;
	long made;
	long long review;
	char *s;

	in.number = number_of(t);
	ck_assert_int_eq(qa_sample_draw(&console, &in, &made, &why, &field), CS_OK);
	ck_assert_int_eq(made, 1);
	/* Once per scorecard. */
	ck_assert_int_eq(qa_sample_draw(&console, &in, &made, &why, &field), CS_REFUSED);
	ck_assert_str_eq(field, "number");
	/* Reassigned after: still Ann's review. */
	free(th_valuef(&owner, "UPDATE tickets SET assignee_id = %lld WHERE id = %lld", bob, t));
	review = id_of(arena_printf(arena, "SELECT id FROM qa_reviews WHERE ticket_id = %lld", t));
	ck_assert_int_eq(qa_review_get(&console, arena, review, ann, &v), CS_OK);
	ck_assert_int_eq(qa_review_get(&console, arena, review, bob, &v), CS_NOT_FOUND);
	ck_assert_uint_eq(v.ncriteria, 2);
	ck_assert_int_eq(v.criteria[1].weight, 3);
	/* Ann may not score her own; points out of range are refused. */
	ck_assert_int_eq(qa_review_score(&console, arena, review, ann, points, 2, "", &why),
	    CS_REFUSED);
	ck_assert_int_eq(qa_review_score(&console, arena, review, sue, bad, 2, "", &why),
	    CS_REFUSED);
	ck_assert_int_eq(qa_review_score(&console, arena, review, sue, points, 1, "", &why),
	    CS_REFUSED);
	ck_assert_int_eq(qa_review_score(&console, arena, review, sue, points, 2, "Good.", &why),
	    CS_OK);
	/* (1 × 4/4 + 3 × 2/4) ÷ 4 × 100 = 62.5 */
	s = th_valuef(&owner, "SELECT score || status || (reviewer_id = %lld) FROM qa_reviews"
	    " WHERE id = %lld", sue, review);
	ck_assert_str_eq(s, "62.50donetrue");
	free(s);
	ck_assert_int_eq(qa_review_score(&console, arena, review, sue, points, 2, "", &why),
	    CS_REFUSED);
	ck_assert_str_eq(why, "This review is already scored.");
	/* A ticket still open is not sampled. */
	in.number = number_of(id_of("INSERT INTO tickets (customer_id, channel, subject,"
	    " description) SELECT id, 'phone', 'Open', 'x' FROM customers RETURNING id"));
	ck_assert_int_eq(qa_sample_draw(&console, &in, &made, &why, &field), CS_REFUSED);
}
END_TEST

START_TEST(the_weekly_sample_takes_n_per_agent_of_that_week)
{
	struct qa_sample_in in = { QA_SAMPLE_WEEKLY, card, 1, NULL, NULL };
	const char *why = NULL, *field = NULL;
	long made;
	char *s, *week;

	/* Two of Ann's and one of Bob's 30 days ago; one of Ann's today. */
	settled(ann, 30);
	settled(ann, 30);
	settled(bob, 30);
	settled(ann, 0);
	week = th_value(&owner, "SELECT to_char(now() - interval '30 days', 'YYYY-MM-DD')");
	in.week = arena_strdup(arena, week);
	free(week);
	ck_assert_int_eq(qa_sample_draw(&console, &in, &made, &why, &field), CS_OK);
	ck_assert_int_eq(made, 2);
	s = th_valuef(&owner, "SELECT string_agg(s.name, ',' ORDER BY s.name) FROM qa_reviews r"
	    " JOIN staff s ON s.id = r.agent_id WHERE r.scorecard_id = %lld AND r.sample = 'weekly'",
	    card);
	ck_assert_str_eq(s, "Ann,Bob");
	free(s);
	in.week = "2026-02-30";
	ck_assert_int_eq(qa_sample_draw(&console, &in, &made, &why, &field), CS_REFUSED);
	ck_assert_str_eq(field, "week");
	in.kind = QA_SAMPLE_RANDOM;
	in.count = 0;
	ck_assert_int_eq(qa_sample_draw(&console, &in, &made, &why, &field), CS_REFUSED);
	ck_assert_str_eq(field, "count");
	in.count = 50;
	ck_assert_int_eq(qa_sample_draw(&console, &in, &made, &why, &field), CS_OK);
	/* Only those settled in the last 7 days and not yet drawn. */
	ck_assert_int_ge(made, 1);
	ck_assert_int_eq(qa_sample_draw(&console, &in, &made, &why, &field), CS_OK);
	ck_assert_int_eq(made, 0);
}
END_TEST

START_TEST(the_qa_score_is_the_mean_of_the_reviews_scores)
{
	struct qa_sample_in in = { QA_SAMPLE_CHOSEN, card, 0, NULL, NULL };
	const char *why = NULL, *field = NULL;
	int full[] = { 4, 4 }, none[] = { 0, 0 };
	long long t1 = settled(bob, 1), t2 = settled(bob, 1), r1, r2;
	long made;
	char *s;

	in.number = number_of(t1);
	ck_assert_int_eq(qa_sample_draw(&console, &in, &made, &why, &field), CS_OK);
	in.number = number_of(t2);
	ck_assert_int_eq(qa_sample_draw(&console, &in, &made, &why, &field), CS_OK);
	r1 = id_of(arena_printf(arena, "SELECT id FROM qa_reviews WHERE ticket_id = %lld", t1));
	r2 = id_of(arena_printf(arena, "SELECT id FROM qa_reviews WHERE ticket_id = %lld", t2));
	ck_assert_int_eq(qa_review_score(&console, arena, r1, sue, full, 2, "", &why), CS_OK);
	ck_assert_int_eq(qa_review_score(&console, arena, r2, sue, none, 2, "", &why), CS_OK);
	s = th_valuef(&console, "SELECT qa_score(now() - interval '1 hour', now() + interval"
	    " '1 hour', NULL, %lld)", bob);
	ck_assert_str_eq(s, "50.00");
	free(s);
}
END_TEST

Suite *qa_suite(void);

Suite *
qa_suite(void)
{
	Suite *s = suite_create("qa");
	TCase *tc = tcase_create("qa");

	tcase_add_unchecked_fixture(tc, suite_setup, suite_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, criteria_lines_are_checked);
	tcase_add_test(tc, a_chosen_ticket_is_scored_for_who_resolved_it);
	tcase_add_test(tc, the_weekly_sample_takes_n_per_agent_of_that_week);
	tcase_add_test(tc, the_qa_score_is_the_mean_of_the_reviews_scores);
	suite_add_tcase(s, tc);
	return s;
}
