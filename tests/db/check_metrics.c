/*
 * The daily service metrics: a hand-made day of tickets gives the numbers
 * worked out by hand (overall, per channel, team and agent), a second
 * rollup changes nothing (same rows, same computed_at), a change to a
 * ticket moves only what it should and drops a key left empty, the
 * batch's rollup of today and yesterday is idempotent too, and the
 * report reads totals and days back with the CSV well-formed.
 */
#include "../lib/harness.h"
#include "core/arena.h"
#include "core/buf.h"
#include "db/db.h"
#include "domain/metrics.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *conninfo;
static struct db db;
static struct arena *arena;

/*
 * Day D is 2026-03-10 (UTC). Times are hours from D's midnight.
 *   T1 portal, Desk, a1: created D 09, answered D 10, resolved D 12, one
 *      staff reply, closed D+1 -> first-contact resolution
 *   T2 email, Desk, a2: created D 08, answered D 08:30, resolved D 14, two
 *      staff replies
 *   T3 portal, Desk, a1: created D-1 10, answered D 09, resolved D 20,
 *      reopened once, one staff reply
 *   T4 phone, no team, nobody: created D 15, new (backlog)
 *   T5 portal, Desk, a1: created D-2, resolved D-1, closed D 11, rated 4
 *   T6 email, Desk, a2: created D-5, in progress (backlog)
 *   T7 portal, Desk, a1: created D+1, new (not D's)
 *   T8 portal, Desk, a1: created D-3, resolved D+1 10 (backlog at D's end)
 */
static const char fixture[] =
    "INSERT INTO teams (name) VALUES ('Desk');"
    "INSERT INTO staff (email, name, password_hash, roles, team_id)"
    " SELECT v.e, v.n, 'x', ARRAY['agent'], t.id FROM (VALUES ('a1@t.test', 'Agent One'),"
    " ('a2@t.test', 'Agent Two')) AS v (e, n) CROSS JOIN teams t;"
    "INSERT INTO customers (name) VALUES ('Alpha Ltd');"
    "CREATE TEMP TABLE spec (n int, channel text, team boolean, agent text, created numeric,"
    " answered numeric, resolved numeric, closed numeric, status text, reopens int,"
    " rating int, replies int);"
    "INSERT INTO spec VALUES"
    " (1, 'portal', true, 'a1', 9, 10, 12, 36, 'closed', 0, NULL, 1),"
    " (2, 'email', true, 'a2', 8, 8.5, 14, NULL, 'resolved', 0, NULL, 2),"
    " (3, 'portal', true, 'a1', -14, 9, 20, NULL, 'resolved', 1, NULL, 1),"
    " (4, 'phone', false, NULL, 15, NULL, NULL, NULL, 'new', 0, NULL, 0),"
    " (5, 'portal', true, 'a1', -48, -40, -20, 11, 'closed', 0, 4, 1),"
    " (6, 'email', true, 'a2', -120, -100, NULL, NULL, 'in_progress', 0, NULL, 1),"
    " (7, 'portal', true, 'a1', 30, NULL, NULL, NULL, 'new', 0, NULL, 0),"
    " (8, 'portal', true, 'a1', -72, -70, 34, NULL, 'resolved', 0, NULL, 1);"
    "INSERT INTO tickets (customer_id, channel, subject, description, team_id, assignee_id,"
    " status, created_at, first_response_at, resolved_at, closed_at, reopen_count, rating)"
    " SELECT c.id, s.channel, 'T' || s.n, '-', CASE WHEN s.team THEN t.id END, st.id,"
    " s.status, d + s.created * interval '1 hour', d + s.answered * interval '1 hour',"
    " d + s.resolved * interval '1 hour', d + s.closed * interval '1 hour', s.reopens,"
    " s.rating FROM spec s CROSS JOIN customers c CROSS JOIN teams t"
    " CROSS JOIN (SELECT timestamptz '2026-03-10 00:00:00+00' AS d) x"
    " LEFT JOIN staff st ON st.email = s.agent || '@t.test' ORDER BY s.n;"
    "INSERT INTO ticket_comments (ticket_id, kind, author_staff_id, body)"
    " SELECT t.id, 'public', t.assignee_id, 'Reply' FROM spec s"
    " JOIN tickets t ON t.subject = 'T' || s.n CROSS JOIN generate_series(1, s.replies);"
    /* An internal note and a customer's reply never count as staff replies. */
    "INSERT INTO ticket_comments (ticket_id, kind, author_staff_id, body)"
    " SELECT id, 'internal', assignee_id, 'Note' FROM tickets WHERE subject = 'T1';"
    "DROP TABLE spec;";

static struct db_stmt st_rollup = DB_STMT("t_m_rollup",
    "SELECT metrics_rollup_day($1::date, $2)", 2);
/* Every row of a day, all columns but the time it was computed. */
static struct db_stmt st_rows = DB_STMT("t_m_rows",
    "SELECT coalesce(string_agg(concat_ws(' ', dimension, '[' || key || ']', created,"
    " resolved, closed, backlog, first_responses, coalesce(first_response_avg::text, '-'),"
    " coalesce(first_response_median::text, '-'), coalesce(resolution_avg::text, '-'),"
    " coalesce(resolution_median::text, '-'), first_contact, reopened, ratings,"
    " coalesce(rating_avg::text, '-')), E'\\n' ORDER BY dimension, key), '')"
    " FROM service_metrics_daily WHERE day = $1::date", 1);
static struct db_stmt st_stamp = DB_STMT("t_m_stamp",
    "SELECT string_agg(computed_at::text, ',' ORDER BY dimension, key)"
    " FROM service_metrics_daily", 0);
static struct db_stmt st_all = DB_STMT("t_m_all",
    "SELECT string_agg(day || dimension || key || created || backlog || computed_at, ','"
    " ORDER BY day, dimension, key) FROM service_metrics_daily", 0);
static struct db_stmt st_reassign = DB_STMT("t_m_reassign",
    "UPDATE tickets SET assignee_id = (SELECT id FROM staff WHERE email = 'a1@t.test'),"
    " team_id = (SELECT id FROM teams) WHERE subject = 'T4'", 0);
static struct db_stmt st_team = DB_STMT("t_m_team", "SELECT id FROM teams", 0);
static struct db_stmt st_agent = DB_STMT("t_m_agent",
    "SELECT id FROM staff WHERE email = $1", 1);

static char *
one(struct db_stmt *st, const char *const *p)
{
	PGresult *r = db_exec(&db, st, p);
	char *s;

	ck_assert_ptr_nonnull(r);
	s = strdup(PQntuples(r) > 0 && !PQgetisnull(r, 0, 0) ? PQgetvalue(r, 0, 0) : "");
	PQclear(r);
	return s;
}

static long
rollup(const char *day)
{
	const char *p[] = { day, "UTC" };
	char *s = one(&st_rollup, p);
	long n = atol(s);

	free(s);
	return n;
}

static void
suite_setup(void)
{
	conninfo = th_db_create_fixture("metrics", fixture);
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
	static struct db_stmt st_clear = DB_STMT("t_m_clear", "DELETE FROM service_metrics_daily",
	    0);

	static struct db_stmt st_t4 = DB_STMT("t_m_t4",
	    "UPDATE tickets SET assignee_id = NULL, team_id = NULL WHERE subject = 'T4'", 0);

	ck_assert_int_eq(db_open(&db, conninfo, "check_metrics"), 0);
	ck_assert_int_eq(db_run(&db, &st_clear, NULL), 0);
	/* T4 as the fixture made it, whatever a test did to it. */
	ck_assert_int_eq(db_run(&db, &st_t4, NULL), 0);
	arena = arena_new(1 << 16);
}

static void
teardown(void)
{
	db_close(&db);
	arena_free(arena);
}

START_TEST(a_hand_made_day_gives_the_numbers_worked_out_by_hand)
{
	const char *p[] = { "2026-03-10" };
	char *team = one(&st_team, NULL), *rows, *want;
	const char *e1[] = { "a1@t.test" }, *e2[] = { "a2@t.test" };
	char *a1 = one(&st_agent, e1), *a2 = one(&st_agent, e2);

	ck_assert_int_gt(rollup("2026-03-10"), 0);
	rows = one(&st_rows, p);
	/*
	 * Overall: created T1 T2 T4; resolved T1 T2 T3; closed T5; backlog
	 * T4 T6 T8; first responses 3600, 1800, 82800 s (avg 29400, median
	 * 3600); resolutions 10800, 21600, 122400 s (avg 51600, median 21600);
	 * first contact T1; reopened T3; one rating of 4.
	 */
	want = arena_printf(arena,
	    "agent [0] 1 0 0 1 0 - - - - 0 0 0 -\n"
	    "agent [%s] 1 2 1 1 2 43200 43200 66600 66600 1 1 1 4.00\n"
	    "agent [%s] 1 1 0 1 1 1800 1800 21600 21600 0 0 0 -\n"
	    "all [] 3 3 1 3 3 29400 3600 51600 21600 1 1 1 4.00\n"
	    "channel [email] 1 1 0 1 1 1800 1800 21600 21600 0 0 0 -\n"
	    "channel [phone] 1 0 0 1 0 - - - - 0 0 0 -\n"
	    "channel [portal] 1 2 1 1 2 43200 43200 66600 66600 1 1 1 4.00\n"
	    "team [0] 1 0 0 1 0 - - - - 0 0 0 -\n"
	    "team [%s] 2 3 1 2 3 29400 3600 51600 21600 1 1 1 4.00", a1, a2, team);
	ck_assert_str_eq(rows, want);
	free(rows);
	free(team);
	free(a1);
	free(a2);
}
END_TEST

START_TEST(rolling_up_twice_gives_the_same_rows)
{
	const char *p[] = { "2026-03-10" };
	char *rows1, *rows2, *stamp1, *stamp2;

	ck_assert_int_gt(rollup("2026-03-10"), 0);
	rows1 = one(&st_rows, p);
	stamp1 = one(&st_stamp, NULL);
	ck_assert_int_eq(rollup("2026-03-10"), 0);
	rows2 = one(&st_rows, p);
	stamp2 = one(&st_stamp, NULL);
	ck_assert_str_eq(rows1, rows2);
	ck_assert_str_eq(stamp1, stamp2);
	free(rows1);
	free(rows2);
	free(stamp1);
	free(stamp2);
}
END_TEST

START_TEST(a_change_moves_only_its_rows_and_drops_empty_keys)
{
	const char *p[] = { "2026-03-10" };
	char *rows;

	ck_assert_int_gt(rollup("2026-03-10"), 0);
	/* T4 (the only unassigned, teamless ticket) goes to a1 of Desk. */
	ck_assert_int_eq(db_run(&db, &st_reassign, NULL), 0);
	/* agent a1 and team Desk change; agent 0 and team 0 go. */
	ck_assert_int_eq(rollup("2026-03-10"), 4);
	rows = one(&st_rows, p);
	ck_assert_ptr_null(strstr(rows, "agent [0]"));
	ck_assert_ptr_null(strstr(rows, "team [0]"));
	ck_assert_ptr_nonnull(strstr(rows, "all [] 3 3 1 3 3 29400 3600"));
	free(rows);
	ck_assert_int_eq(rollup("2026-03-10"), 0);
}
END_TEST

START_TEST(a_quiet_day_has_its_overall_row)
{
	const char *p[] = { "2026-01-05" };
	char *rows;

	ck_assert_int_eq(rollup("2026-01-05"), 1);
	rows = one(&st_rows, p);
	ck_assert_str_eq(rows, "all [] 0 0 0 0 0 - - - - 0 0 0 -");
	free(rows);
	ck_assert_int_eq(rollup("2026-01-05"), 0);
}
END_TEST

START_TEST(the_batch_rollup_of_today_and_yesterday_is_idempotent)
{
	long changed = -1;
	char *all1, *all2;

	ck_assert_int_eq(metrics_rollup(&db, "Europe/Paris", &changed), CS_OK);
	ck_assert_int_ge(changed, 2);
	all1 = one(&st_all, NULL);
	ck_assert_int_eq(metrics_rollup(&db, "Europe/Paris", &changed), CS_OK);
	ck_assert_int_eq(changed, 0);
	all2 = one(&st_all, NULL);
	ck_assert_str_eq(all1, all2);
	free(all1);
	free(all2);
}
END_TEST

START_TEST(the_report_adds_up_days_and_writes_csv)
{
	struct metrics_report rep;
	const char *why;
	struct buf csv;
	size_t i, lines = 0;

	ck_assert_int_gt(rollup("2026-03-09"), 0);
	ck_assert_int_gt(rollup("2026-03-10"), 0);
	ck_assert_int_eq(metrics_report(&db, arena, "UTC", "2026-03-09", "2026-03-10",
	    METRICS_CHANNEL, &rep, &why), CS_OK);
	ck_assert_str_eq(rep.from, "2026-03-09");
	ck_assert_uint_eq(rep.ntotals, 3);
	/* By name: email, phone, portal. */
	ck_assert_str_eq(rep.totals[2].name, "portal");
	/* Portal on D-1: T3 created, T5 and T8 (created earlier) resolved/answered. */
	ck_assert_int_eq(rep.totals[2].created, 2);
	ck_assert_int_eq(rep.totals[2].backlog, 1);
	ck_assert_ptr_null(rep.totals[2].first_response_median);
	ck_assert_str_eq(rep.days[0].day, "2026-03-10");
	/* Bad input. */
	ck_assert_int_eq(metrics_report(&db, arena, "UTC", "2026-03-11", "2026-03-10",
	    METRICS_ALL, &rep, &why), CS_REFUSED);
	ck_assert_int_eq(metrics_report(&db, arena, "UTC", "2026-02-30", NULL, METRICS_ALL,
	    &rep, &why), CS_REFUSED);
	ck_assert_int_eq(metrics_report(&db, arena, "UTC", "2024-01-01", "2026-03-10",
	    METRICS_ALL, &rep, &why), CS_REFUSED);
	ck_assert_int_eq(metrics_report(&db, arena, "UTC", NULL, NULL, METRICS_DIM__MAX, &rep,
	    &why), CS_REFUSED);
	ck_assert_str_eq(why, "Choose overall, channel, team or agent.");
	/* CSV: a header, one CRLF line per daily row, the same column count each. */
	ck_assert_int_eq(metrics_report(&db, arena, "UTC", "2026-03-09", "2026-03-10",
	    METRICS_AGENT, &rep, &why), CS_OK);
	buf_init(&csv, arena);
	metrics_report_csv(&rep, &csv);
	ck_assert(!buf_failed(&csv));
	ck_assert(strncmp(csv.buf, "day,dimension,key,name,created,", 31) == 0);
	for (i = 0; i < csv.len; i++) {
		if (csv.buf[i] == '\n') {
			ck_assert_int_eq(csv.buf[i - 1], '\r');
			lines++;
		}
	}
	ck_assert_uint_eq(lines, rep.ndays + 1);
	ck_assert_msg(strstr(csv.buf, "\r\n2026-03-10,agent,0,Unassigned,1,0,0,1,0,") != NULL,
	    "%s", csv.buf);
}
END_TEST

START_TEST(the_demo_has_a_report_after_one_batch_run)
{
	char *demo = th_db_create("metrics_demo"), mail[] = "/tmp/csdesk-metrics.XXXXXX";
	struct metrics_report rep;
	const char *why;
	struct db d;

	ck_assert_ptr_nonnull(mkdtemp(mail));
	ck_assert_int_eq(th_sh("CSDESK_DB='%s' CSDESK_DATADIR='%s' '%s/csdesk' demo > /dev/null"
	    " && env -u CSDESK_SMTP_URL CSDESK_DB='%s' CSDESK_DATADIR='%s' CSDESK_MAIL_DIR='%s'"
	    " '%s/csdesk' batch 2>&1 | grep -q '^batch: metrics: [1-9]'", demo, th_datadir(),
	    th_build_dir(), demo, th_datadir(), mail, th_build_dir()), 0);
	th_sh("rm -rf '%s'", mail);
	ck_assert_int_eq(db_open(&d, demo, "check_metrics_demo"), 0);
	/* The default range: the last 7 days. */
	ck_assert_int_eq(metrics_report(&d, arena, "UTC", NULL, NULL, METRICS_ALL, &rep, &why), CS_OK);
	ck_assert_uint_eq(rep.ntotals, 1);
	/* 002's four requests, one in each of the five queues of 011,
	 * 017's complaint at a site and 020's request filed at the wrong one. */
	ck_assert_int_eq(rep.totals[0].created, 11);
	ck_assert_int_ge(rep.totals[0].resolved, 1);
	ck_assert_int_ge(rep.totals[0].ratings, 1);
	ck_assert_uint_ge(rep.ndays, 7);
	db_close(&d);
	th_db_drop(demo);
	free(demo);
}
END_TEST

Suite *metrics_suite(void);

Suite *
metrics_suite(void)
{
	Suite *s = suite_create("metrics");
	TCase *tc = tcase_create("metrics");

	tcase_add_unchecked_fixture(tc, suite_setup, suite_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, a_hand_made_day_gives_the_numbers_worked_out_by_hand);
	tcase_add_test(tc, rolling_up_twice_gives_the_same_rows);
	tcase_add_test(tc, a_change_moves_only_its_rows_and_drops_empty_keys);
	tcase_add_test(tc, a_quiet_day_has_its_overall_row);
	tcase_add_test(tc, the_batch_rollup_of_today_and_yesterday_is_idempotent);
	tcase_add_test(tc, the_report_adds_up_days_and_writes_csv);
	tcase_add_test(tc, the_demo_has_a_report_after_one_batch_run);
	suite_add_tcase(s, tc);
	return s;
}
