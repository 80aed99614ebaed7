/*
 * The metrics added to the rollup after the first ones: the survey
 * response rate and the QA score agree, agent by agent and overall, with
 * the definitions of the surveys (survey_response_rate() and qa_score(),
 * sql/functions/160_surveys.sql); a day's response rate counts an answer
 * given after the day was first rolled up once the day has settled;
 * utilisation is logged work (and field labour, with or without travel)
 * over scheduled hours less time off; cost per resolution prices the work
 * time at the hourly cost admins set, and is not measured without one.
 */
#include "../lib/harness.h"
#include "../lib/sql.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/analytics.h"
#include "domain/audit.h"
#include "domain/kpi.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

static char *conninfo;
static struct db db;
static struct arena *arena;

static void
suite_setup(void)
{
	struct db d;

	conninfo = th_db_create("analytics_more");
	ck_assert_int_eq(db_open(&d, conninfo, "check_analytics_more_setup"), 0);
	ck_assert_int_eq(db_script(&d,
	    "INSERT INTO teams (name) VALUES ('Desk');"
	    "INSERT INTO staff (email, name, password_hash, roles, team_id)"
	    " SELECT v.e, v.n, 'x', ARRAY[v.r], t.id FROM (VALUES ('am1@t.test', 'Ann One', 'agent'),"
	    " ('am2@t.test', 'Ann Two', 'agent'), ('lead@t.test', 'Lee Lead', 'supervisor'))"
	    " AS v (e, n, r) CROSS JOIN teams t;"
	    "INSERT INTO customers (name) VALUES ('Delta Ltd');"
	    "INSERT INTO portal_users (customer_id, email, name, password_hash)"
	    " SELECT id, 'dee@delta.test', 'Dee', '' FROM customers;"
	    "INSERT INTO qa_scorecards (name) VALUES ('Basics');", "fixture"), 0);
	db_close(&d);
}

static void
suite_teardown(void)
{
	th_db_drop(conninfo);
	free(conninfo);
}

static void
setup(void)
{
	ck_assert_int_eq(db_open(&db, conninfo, "check_analytics_more"), 0);
	free(th_value(&db, "DELETE FROM survey_invitations; DELETE FROM qa_reviews;"
	    " DELETE FROM analytics_daily; DELETE FROM tickets"));
	arena = arena_new(1 << 16);
}

static void
teardown(void)
{
	db_close(&db);
	arena_free(arena);
}

/* The rollup, then the table for dim over the days up to today (UTC). */
static struct analytics_table
table_days(enum analytics_dim dim, int days)
{
	struct analytics_filter f = { dim, AG_DAY, NULL, NULL, days };
	struct analytics_table t;
	const char *why = NULL;
	long changed;

	ck_assert_int_eq(analytics_rollup(&db, "UTC", &changed), CS_OK);
	ck_assert_int_eq(analytics_table(&db, arena, "UTC", &f, &t, &why), CS_OK);
	return t;
}

static struct analytics_table
table(enum analytics_dim dim)
{
	return table_days(dim, 30);
}

/* The value of metric m in the total row of key; "–" when not measured. */
static const char *
total(const struct analytics_table *t, const char *key, enum metric_id m)
{
	size_t i;

	for (i = 0; i < t->ntotals; i++)
		if (strcmp(t->totals[i].key, key) == 0)
			return t->totals[i].v[m] != NULL ? t->totals[i].v[m] : "–";
	ck_abort_msg("no total for key %s", key);
	return NULL;
}

/* Staff id of email, as text (malloc'd). */
static char *
staff(const char *email)
{
	return th_valuef(&db, "SELECT id FROM staff WHERE email = '%s'", email);
}

/*
 * n invitations for agent, sent at the SQL time sent, answered answered
 * of them; each for a ticket of its own.
 */
static void
invite(const char *agent, const char *sent, int n, int answered)
{
	free(th_valuef(&db, "WITH t AS (INSERT INTO tickets (customer_id, channel, subject,"
	    " description, assignee_id, team_id, status, created_at, resolved_at)"
	    " SELECT c.id, 'email', 'Asked ' || g, '-', %s, s.team_id, 'resolved', %s, %s"
	    " FROM customers c, staff s, generate_series(1, %d) g WHERE s.id = %s RETURNING id, team_id)"
	    " INSERT INTO survey_invitations (trigger, kind, token_hash, customer_id, portal_user_id,"
	    " ticket_id, resolution, team_id, agent_id, sent_at, expires_at, answered_at)"
	    " SELECT 'ticket.resolved', 'csat', sha256(random()::text::bytea), u.customer_id, u.id, t.id, 0,"
	    " t.team_id, %s, %s, %s + interval '14 days',"
	    " CASE WHEN row_number() OVER (ORDER BY t.id) <= %d THEN %s + interval '1 hour' END"
	    " FROM t, portal_users u", agent, sent, sent, n, agent, agent, sent, sent, answered,
	    sent));
}

/* A scored quality review of agent's ticket, score points, reviewed at the SQL time at. */
static void
review(const char *agent, const char *score, const char *at)
{
	free(th_valuef(&db, "WITH t AS (INSERT INTO tickets (customer_id, channel, subject,"
	    " description, assignee_id, team_id, status, resolved_at)"
	    " SELECT c.id, 'phone', 'Reviewed', '-', s.id, s.team_id, 'resolved', %s"
	    " FROM customers c, staff s WHERE s.id = %s RETURNING id, assignee_id, team_id)"
	    " INSERT INTO qa_reviews (scorecard_id, ticket_id, agent_id, team_id, sample, status,"
	    " reviewer_id, score, reviewed_at)"
	    " SELECT q.id, t.id, t.assignee_id, t.team_id, 'chosen', 'done', l.id, %s, %s"
	    " FROM t, qa_scorecards q, staff l WHERE l.email = 'lead@t.test'", at, agent, score,
	    at));
}

START_TEST(response_rate_and_qa_score_agree_with_the_surveys_definitions)
{
	struct analytics_table t;
	char *a1 = staff("am1@t.test"), *a2 = staff("am2@t.test"), *s;
	const char *range = "date_trunc('day', now()) - interval '29 days',"
	    " date_trunc('day', now()) + interval '1 day'";

	/* Ann One: 1 of 4 answered today, 2 of 4 yesterday; Ann Two: 2 of 2 today. */
	invite(a1, "date_trunc('day', now()) + interval '1 minute'", 4, 1);
	invite(a1, "date_trunc('day', now()) - interval '1 day'", 4, 2);
	invite(a2, "date_trunc('day', now()) + interval '1 minute'", 2, 2);
	/* Ann One 80 and 91.50, Ann Two 60. */
	review(a1, "80", "date_trunc('day', now()) + interval '1 minute'");
	review(a1, "91.50", "date_trunc('day', now()) - interval '1 day'");
	review(a2, "60", "date_trunc('day', now()) + interval '1 minute'");
	t = table(AD_AGENT);
	ck_assert_str_eq(total(&t, a1, METRIC_response_rate), "37.5");
	ck_assert_str_eq(total(&t, a2, METRIC_response_rate), "100.0");
	ck_assert_str_eq(total(&t, a1, METRIC_qa_score), "85.75");
	ck_assert_str_eq(total(&t, a2, METRIC_qa_score), "60.00");
	/* The surveys' own functions say the same (a fraction there, a share here). */
	s = th_valuef(&db, "SELECT round(100 * survey_response_rate(%s, NULL, %s), 1) || ' '"
	    " || qa_score(%s, NULL, %s)", range, a1, range, a1);
	ck_assert_str_eq(s, "37.5 85.75");
	free(s);
	t = table(AD_ALL);
	ck_assert_str_eq(total(&t, "", METRIC_response_rate), "50.0");
	ck_assert_str_eq(total(&t, "", METRIC_qa_score), "77.17");
	s = th_valuef(&db, "SELECT round(100 * survey_response_rate(%s, NULL, NULL), 1) || ' '"
	    " || round(qa_score(%s, NULL, NULL), 2)", range, range);
	ck_assert_str_eq(s, "50.0 77.17");
	free(s);
	/* The team holds them all. */
	t = table(AD_TEAM);
	s = th_value(&db, "SELECT id FROM teams WHERE name = 'Desk'");
	ck_assert_str_eq(total(&t, s, METRIC_response_rate), "50.0");
	free(s);
	free(a1);
	free(a2);
}
END_TEST

START_TEST(a_settled_day_counts_the_answers_given_after_it)
{
	struct analytics_table t;
	char *a1 = staff("am1@t.test");
	const char *day = "date_trunc('day', now()) - interval '15 days' + interval '12 hours'";

	/* Sent 15 days ago, not answered when that day was rolled up. */
	invite(a1, day, 2, 0);
	t = table(AD_AGENT);
	ck_assert_str_eq(total(&t, a1, METRIC_response_rate), "0.0");
	/* Answered the next day (its link still valid then): the settled day is rolled again. */
	free(th_valuef(&db, "UPDATE survey_invitations SET answered_at = %s + interval '1 day'"
	    " WHERE id = (SELECT min(id) FROM survey_invitations)", day));
	t = table(AD_AGENT);
	ck_assert_str_eq(total(&t, a1, METRIC_response_rate), "50.0");
	/* No review: not measured, not zero. */
	ck_assert_str_eq(total(&t, a1, METRIC_qa_score), "–");
	free(a1);
}
END_TEST

START_TEST(utilisation_is_work_over_scheduled_hours_and_cost_needs_an_hourly_cost)
{
	struct audit_entry by = { .actor_kind = AUDIT_ACTOR_SYSTEM };
	struct analytics_table t;
	char *a1 = staff("am1@t.test"), *a2 = staff("am2@t.test"), *team;
	const char *why;
	size_t i;

	/* Both work every day, 09:00 to 17:00 UTC (480 minutes); Ann Two is a technician … */
	free(th_valuef(&db, "UPDATE staff SET work_days = '{1,2,3,4,5,6,7}', work_start = '09:00',"
	    " work_end = '17:00', time_zone = 'UTC' WHERE id IN (%s, %s);"
	    "INSERT INTO technicians (staff_id) VALUES (%s) ON CONFLICT DO NOTHING;"
	    "DELETE FROM technician_time_off; DELETE FROM appointments", a1, a2, a2));
	/* … off from 09:00 to 11:00 today: 360 minutes scheduled. */
	free(th_valuef(&db, "INSERT INTO technician_time_off (staff_id, during) VALUES (%s,"
	    " tstzrange(date_trunc('day', now()) + interval '9 hours',"
	    " date_trunc('day', now()) + interval '11 hours'))", a2));
	/* Ann One resolves two tickets today and logs 120 minutes on one. */
	invite(a1, "date_trunc('day', now()) + interval '1 minute'", 2, 0);
	free(th_valuef(&db, "INSERT INTO ticket_comments (ticket_id, kind, author_staff_id, body,"
	    " minutes_spent, created_at) SELECT min(id), 'internal', %s, 'Done', 120,"
	    " date_trunc('day', now()) + interval '2 minutes' FROM tickets", a1));
	/* Ann Two completes a visit today: 60 minutes of labour, 90 of travel. */
	free(th_valuef(&db, "INSERT INTO appointments (ticket_id, customer_id, technician_id,"
	    " starts_at, ends_at, busy, status, checkin_at, checkout_at, labour_min, travel_min,"
	    " completed_at) SELECT t.id, t.customer_id, %s, d + interval '12 hours',"
	    " d + interval '13 hours', tstzrange(d + interval '12 hours', d + interval '13 hours'),"
	    " 'completed', d + interval '12 hours', d + interval '13 hours', 60, 90,"
	    " d + interval '13 hours' FROM (SELECT min(id) AS id, min(customer_id) AS customer_id"
	    " FROM tickets) t, date_trunc('day', now()) d", a2));
	t = table_days(AD_AGENT, 1);
	ck_assert_str_eq(total(&t, a1, METRIC_utilisation), "25.0");
	ck_assert_str_eq(total(&t, a1, METRIC_utilisation_travel), "25.0");
	ck_assert_str_eq(total(&t, a2, METRIC_utilisation), "16.7");
	ck_assert_str_eq(total(&t, a2, METRIC_utilisation_travel), "41.7");
	t = table_days(AD_ALL, 1);
	/* (120 + 60) of 840, and with the 90 of travel. */
	ck_assert_str_eq(total(&t, "", METRIC_utilisation), "21.4");
	ck_assert_str_eq(total(&t, "", METRIC_utilisation_travel), "32.1");
	team = th_value(&db, "SELECT id FROM teams WHERE name = 'Desk'");
	t = table_days(AD_TEAM, 1);
	ck_assert_str_eq(total(&t, team, METRIC_utilisation), "21.4");
	/* A schedule has no channel: no row of its own there. */
	t = table_days(AD_CHANNEL, 1);
	for (i = 0; i < t.ntotals; i++)
		ck_assert_str_ne(t.totals[i].key, "none");
	ck_assert_str_eq(total(&t, "email", METRIC_utilisation), "–");
	/* No hourly cost yet: not measured. */
	t = table_days(AD_ALL, 1);
	ck_assert_str_eq(total(&t, "", METRIC_cost_per_resolution), "–");
	ck_assert_int_eq(kpi_hourly_cost_set(&db, &by, "thirty", &why), CS_REFUSED);
	ck_assert_int_eq(kpi_hourly_cost_set(&db, &by, "30.125", &why), CS_REFUSED);
	ck_assert_int_eq(kpi_hourly_cost_set(&db, &by, "-3", &why), CS_REFUSED);
	ck_assert_int_eq(kpi_hourly_cost_set(&db, &by, "30", &why), CS_OK);
	/* 30 an hour × (120 + 60 + 90) minutes ÷ 2 resolutions. */
	t = table_days(AD_ALL, 1);
	ck_assert_str_eq(total(&t, "", METRIC_cost_per_resolution), "67.50");
	/* The visit's job used parts that cost 15.00: (135 + 15) ÷ 2. */
	free(th_value(&db, "INSERT INTO job_charges (appointment_id, labour, travel, parts,"
	    " parts_cost, covered, covered_warranty, covered_contract, created_at)"
	    " SELECT id, 90, 67.50, 24, 15, 0, 0, 0, date_trunc('day', now()) + interval '13 hours'"
	    " FROM appointments"));
	t = table_days(AD_ALL, 1);
	ck_assert_str_eq(total(&t, "", METRIC_cost_per_resolution), "75.00");
	ck_assert_int_eq(kpi_hourly_cost_set(&db, &by, "", &why), CS_OK);
	free(team);
	free(a1);
	free(a2);
}
END_TEST

Suite *analytics_more_suite(void);

Suite *
analytics_more_suite(void)
{
	Suite *s = suite_create("analytics_more");
	TCase *tc = tcase_create("metrics");

	tcase_add_unchecked_fixture(tc, suite_setup, suite_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, response_rate_and_qa_score_agree_with_the_surveys_definitions);
	tcase_add_test(tc, a_settled_day_counts_the_answers_given_after_it);
	tcase_add_test(tc, utilisation_is_work_over_scheduled_hours_and_cost_needs_an_hourly_cost);
	suite_add_tcase(s, tc);
	return s;
}
