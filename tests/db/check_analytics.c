/*
 * The analytics rollup and the metric formulas: NPS of {10,9,8,7,6,0} is
 * 0 and CSAT % of {5,4,3,2,1} is 40; a reassigned ticket counts under the
 * agent who held it when each thing happened, not its current owner; a
 * ticket paused past its wall-clock target but within its SLA clock is
 * compliant; a
 * second rollup changes nothing; months add up to the days;
 * the schedule of a subscription keeps its local hour across summer time.
 */
#include "../lib/harness.h"
#include "../lib/sql.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/analytics.h"

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

	conninfo = th_db_create("analytics");
	ck_assert_int_eq(db_open(&d, conninfo, "check_analytics_setup"), 0);
	ck_assert_int_eq(db_script(&d,
	    "INSERT INTO teams (name) VALUES ('Desk');"
	    "INSERT INTO staff (email, name, password_hash, roles, team_id)"
	    " SELECT v.e, v.n, 'x', ARRAY['agent'], t.id FROM (VALUES ('an1@t.test', 'Ann One'),"
	    " ('an2@t.test', 'Ann Two')) AS v (e, n) CROSS JOIN teams t;"
	    "INSERT INTO customers (name, tier) VALUES ('Beta Ltd', 'premium');", "fixture"), 0);
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
	ck_assert_int_eq(db_open(&db, conninfo, "check_analytics"), 0);
	free(th_value(&db, "DELETE FROM survey_responses; DELETE FROM analytics_daily;"
	    " DELETE FROM tickets"));
	arena = arena_new(1 << 16);
}

static void
teardown(void)
{
	db_close(&db);
	arena_free(arena);
}

/* The table for dimension dim over the last 7 days (UTC), by day. */
static struct analytics_table
table(enum analytics_dim dim, enum analytics_grain grain, const char *from)
{
	struct analytics_filter f = { dim, grain, from, NULL, 0 };
	struct analytics_table t;
	const char *why = NULL;
	long changed;

	ck_assert_int_eq(analytics_rollup(&db, "UTC", &changed), CS_OK);
	ck_assert_int_eq(analytics_table(&db, arena, "UTC", &f, &t, &why), CS_OK);
	return t;
}

/* The total row of key in t; fails the test when there is none. */
static const struct analytics_row *
total(const struct analytics_table *t, const char *key)
{
	size_t i;

	for (i = 0; i < t->ntotals; i++)
		if (strcmp(t->totals[i].key, key) == 0)
			return &t->totals[i];
	ck_abort_msg("no total for key %s", key);
	return NULL;
}

START_TEST(nps_of_the_issue_is_0_and_csat_of_one_to_five_is_40)
{
	struct analytics_table t;
	const struct analytics_row *all;

	free(th_value(&db, "INSERT INTO survey_responses (kind, score, customer_id)"
	    " SELECT 'nps', s, (SELECT id FROM customers) FROM unnest('{10,9,8,7,6,0}'::int[]) s;"
	    "INSERT INTO survey_responses (kind, score, customer_id)"
	    " SELECT 'csat', s, (SELECT id FROM customers) FROM unnest('{5,4,3,2,1}'::int[]) s;"
	    "INSERT INTO survey_responses (kind, score, customer_id)"
	    " SELECT 'ces', s, (SELECT id FROM customers) FROM unnest('{7,6,2}'::int[]) s"));
	t = table(AD_ALL, AG_DAY, NULL);
	all = total(&t, "");
	/* Promoters 10, 9 (2 of 6); detractors 6, 0 (2 of 6): 33.3 − 33.3. */
	ck_assert_str_eq(all->v[METRIC_nps], "0.0");
	ck_assert_str_eq(all->v[METRIC_csat], "40.0");
	ck_assert_str_eq(all->v[METRIC_csat_answers], "5");
	ck_assert_str_eq(all->v[METRIC_ces], "5.00");
	/* Nothing resolved: the rates were not measured, not zero. */
	ck_assert_ptr_null(all->v[METRIC_fcr]);
	/* The customer's tier is a dimension of its own. */
	t = table(AD_TIER, AG_DAY, NULL);
	ck_assert_str_eq(total(&t, "premium")->v[METRIC_csat], "40.0");
}
END_TEST

START_TEST(a_reassigned_ticket_counts_under_the_agent_who_held_it)
{
	struct analytics_table t;
	char *a1 = th_value(&db, "SELECT id FROM staff WHERE email = 'an1@t.test'");
	char *a2 = th_value(&db, "SELECT id FROM staff WHERE email = 'an2@t.test'");
	const struct analytics_row *r1, *r2;

	/* Opened two hours ago for Ann One, who answered an hour ago … */
	free(th_valuef(&db, "INSERT INTO tickets (customer_id, channel, subject, description,"
	    " assignee_id, team_id, status, created_at, first_response_at)"
	    " SELECT c.id, 'phone', 'Moved', '-', %s, t.id, 'assigned', now() - interval '2 hours',"
	    " now() - interval '1 hour' FROM customers c, teams t", a1));
	/* … then given to Ann Two, who resolved it. */
	free(th_valuef(&db, "UPDATE tickets SET assignee_id = %s, status = 'resolved',"
	    " resolved_at = now() WHERE subject = 'Moved'", a2));
	free(th_value(&db, "INSERT INTO ticket_comments (ticket_id, kind, author_staff_id, body,"
	    " minutes_spent) SELECT id, 'internal', assignee_id, 'Fixed', 30 FROM tickets"));
	t = table(AD_AGENT, AG_DAY, NULL);
	r1 = total(&t, a1);
	r2 = total(&t, a2);
	ck_assert_str_eq(r1->name, "Ann One");
	ck_assert_str_eq(r1->v[METRIC_created], "1");
	ck_assert_str_eq(r1->v[METRIC_resolved], "0");
	ck_assert_str_eq(r1->v[METRIC_first_response_avg], "60.0");
	ck_assert_str_eq(r2->v[METRIC_created], "0");
	ck_assert_str_eq(r2->v[METRIC_resolved], "1");
	/* Thirty minutes logged by Ann Two over her one resolution. */
	ck_assert_str_eq(r2->v[METRIC_aht], "30.0");
	free(a1);
	free(a2);
}
END_TEST

START_TEST(a_second_rollup_changes_nothing_and_months_add_up)
{
	struct analytics_table days, weeks;
	long changed;
	const char *from;
	size_t i;
	long long created = 0, by_week = 0;
	int runs;

	free(th_value(&db, "INSERT INTO tickets (customer_id, channel, subject, description,"
	    " created_at) SELECT c.id, 'email', 'Old ' || n, '-', now() - n * interval '1 day'"
	    " FROM customers c, generate_series(0, 20) n"));
	/* Runs fill the 60 days before today a week at a time, then change nothing. */
	for (runs = 0, changed = 1; changed > 0 && runs < 20; runs++)
		ck_assert_int_eq(analytics_rollup(&db, "UTC", &changed), CS_OK);
	ck_assert_int_eq(changed, 0);
	ck_assert_int_eq(runs, 10);	/* 2 + 7 days, 8 more runs of 7, the last changes nothing */
	from = th_value(&db, "SELECT to_char(date_trunc('month', now() - interval '40 days'),"
	    " 'YYYY-MM-DD')");
	days = table(AD_CHANNEL, AG_DAY, from);
	weeks = table(AD_CHANNEL, AG_MONTH, from);
	for (i = 0; i < days.nrows; i++)
		created += atoll(days.rows[i].v[METRIC_created]);
	for (i = 0; i < weeks.nrows; i++)
		by_week += atoll(weeks.rows[i].v[METRIC_created]);
	ck_assert_int_eq(created, 21);
	ck_assert_int_eq(by_week, 21);
	ck_assert_str_eq(total(&days, "email")->name, "Email");
	free((char *)from);
}
END_TEST

START_TEST(a_ticket_paused_past_its_wall_clock_target_is_compliant)
{
	struct analytics_table t;
	char *s;

	/* A premium customer's critical ticket (seed policy "Premium critical": resolve
	 * in 60 minutes, 24x7, paused while waiting for the customer) opened 100
	 * minutes ago … */
	free(th_value(&db, "INSERT INTO tickets (customer_id, channel, subject, description,"
	    " priority, created_at) SELECT id, 'phone', 'Paused', '-', 'critical',"
	    " now() - interval '100 minutes' FROM customers;"
	    "SELECT sla_ticket_start(id) FROM tickets WHERE subject = 'Paused';"
	    "UPDATE tickets SET sla_started_at = now() - interval '100 minutes'"
	    " WHERE subject = 'Paused';"
	    "SELECT sla_ticket_recompute(id, 'test') FROM tickets WHERE subject = 'Paused'"));
	/* … then waited an hour for the customer … */
	free(th_value(&db, "UPDATE tickets SET status = 'pending_customer' WHERE subject = 'Paused';"
	    "UPDATE tickets SET sla_paused_at = sla_paused_at - interval '60 minutes'"
	    " WHERE subject = 'Paused';"
	    "UPDATE ticket_sla_clock SET started_at = started_at - interval '60 minutes'"
	    " WHERE ended_at IS NULL AND ticket_id = (SELECT id FROM tickets WHERE subject = 'Paused');"
	    "UPDATE tickets SET status = 'in_progress' WHERE subject = 'Paused'"));
	/* … and is resolved now: 100 minutes on the wall clock, 40 on the SLA's. */
	free(th_value(&db, "UPDATE tickets SET status = 'resolved', resolved_at = now()"
	    " WHERE subject = 'Paused'"));
	s = th_value(&db, "SELECT resolution_met FROM tickets WHERE subject = 'Paused'");
	ck_assert_str_eq(s, "t");
	free(s);
	t = table(AD_PRIORITY, AG_DAY, NULL);
	ck_assert_str_eq(total(&t, "critical")->v[METRIC_sla_resolution], "100.0");
	ck_assert_str_eq(total(&t, "critical")->v[METRIC_resolution_avg], "100.0");
}
END_TEST

START_TEST(todays_backlog_counts_at_risk_and_breached_and_a_past_day_has_none)
{
	struct analytics_table t;
	const struct analytics_row *all;
	char *s;

	free(th_value(&db, "INSERT INTO tickets (customer_id, channel, subject, description,"
	    " status, created_at) SELECT id, 'email', 'Open ' || n, '-', 'in_progress',"
	    " now() - interval '3 days' FROM customers, generate_series(1, 3) n;"
	    "UPDATE tickets SET resolution_stage = 'breached' WHERE subject = 'Open 1';"
	    "UPDATE tickets SET first_response_stage = 'at_risk' WHERE subject = 'Open 2'"));
	t = table(AD_ALL, AG_DAY, NULL);
	all = total(&t, "");
	ck_assert_str_eq(all->v[METRIC_backlog], "3");
	ck_assert_str_eq(all->v[METRIC_backlog_breached], "1");
	ck_assert_str_eq(all->v[METRIC_backlog_at_risk], "1");
	/* Three days ago was rolled up only now: its backlog was not measured. */
	s = th_value(&db, "SELECT coalesce(backlog::text, 'none') FROM analytics_daily"
	    " WHERE dimension = 'all' AND day = (now() AT TIME ZONE 'UTC')::date - 3");
	ck_assert_str_eq(s, "none");
	free(s);
}
END_TEST

/* When report_next_run puts the next send after the moment given, in UTC. */
static char *
next_run(const char *after)
{
	return th_valuef(&db, "SELECT to_char(report_next_run('weekly', 1, NULL, 8,"
	    " 'Europe/Paris', '%s') AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI')", after);
}

START_TEST(monday_eight_in_paris_stays_eight_across_summer_time)
{
	/* 2026: summer time starts 29 March, ends 25 October. */
	const char *cases[][2] = {
		{ "2026-03-22 12:00+00", "2026-03-23 07:00" },	/* 08:00 CET */
		{ "2026-03-23 07:00+00", "2026-03-30 06:00" },	/* 08:00 CEST */
		{ "2026-10-19 06:00+00", "2026-10-26 07:00" },	/* back to CET */
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = next_run(cases[i][0]);

		ck_assert_str_eq(got, cases[i][1]);
		free(got);
	}
}
END_TEST

Suite *analytics_suite(void);

Suite *
analytics_suite(void)
{
	Suite *s = suite_create("analytics");
	TCase *tc = tcase_create("rollup");

	tcase_add_unchecked_fixture(tc, suite_setup, suite_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, nps_of_the_issue_is_0_and_csat_of_one_to_five_is_40);
	tcase_add_test(tc, a_reassigned_ticket_counts_under_the_agent_who_held_it);
	tcase_add_test(tc, a_second_rollup_changes_nothing_and_months_add_up);
	tcase_add_test(tc, a_ticket_paused_past_its_wall_clock_target_is_compliant);
	tcase_add_test(tc, todays_backlog_counts_at_risk_and_breached_and_a_past_day_has_none);
	tcase_add_test(tc, monday_eight_in_paris_stays_eight_across_summer_time);
	suite_add_tcase(s, tc);
	return s;
}
