/*
 * `csdesk gen` as a process: it makes the tickets asked for, spread over
 * statuses and queues, leaves the counters (ticket_counts,
 * staff.open_tickets) equal to what the table holds and their trigger
 * switched back on, and refuses to run twice without --force.
 */
#include "../lib/harness.h"
#include "db/db.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *conninfo;

static struct db_stmt st_value = DB_STMT("t_gen_value",
    "SELECT CASE $1::integer"
    " WHEN 1 THEN (SELECT count(*) FROM tickets)"
    " WHEN 2 THEN (SELECT coalesce(sum(n), 0) FROM ticket_counts)"
    /* (queue, status) pairs whose counter differs from the table. */
    " WHEN 3 THEN (SELECT count(*) FROM (SELECT coalesce(queue_id, 0) AS q, status, count(*) AS n"
    "  FROM tickets GROUP BY 1, 2) t FULL JOIN (SELECT * FROM ticket_counts WHERE n <> 0) c"
    "  ON c.queue_id = t.q AND c.status = t.status WHERE c.n IS DISTINCT FROM t.n)"
    /* Agents whose open_tickets differs from the table. */
    " WHEN 4 THEN (SELECT count(*) FROM staff s WHERE s.open_tickets <> (SELECT count(*)"
    "  FROM tickets t WHERE t.assignee_id = s.id AND ticket_is_open(t.status)))"
    " WHEN 5 THEN (SELECT count(*) FROM pg_trigger WHERE tgname = 'tickets_counts'"
    "  AND tgenabled = 'O')"
    " WHEN 6 THEN (SELECT count(DISTINCT status) FROM tickets)"
    " WHEN 7 THEN (SELECT count(DISTINCT number) FROM tickets)"
    " WHEN 8 THEN (SELECT count(*) FROM tickets WHERE search @@ to_tsquery('simple', 'router'))"
    /* The ticket table's indexes (a first load drops and remakes them). */
    " WHEN 9 THEN (SELECT count(*) FROM pg_index WHERE indrelid = 'tickets'::regclass"
    "  AND indisvalid AND indisready)"
    /* Tickets whose SLA clock `csdesk demo` would still have to start. */
    " WHEN 10 THEN (SELECT count(*) FROM tickets WHERE sla_started_at IS NULL)"
    /* Open generated tickets with a policy and its due times. */
    " WHEN 11 THEN (SELECT count(*) FROM tickets WHERE ticket_is_open(status)"
    "  AND sla_policy_id IS NOT NULL AND resolution_due_at > now())"
    /* Open tickets in a pausing status whose clock runs anyway. */
    " WHEN 12 THEN (SELECT count(*) FROM tickets t JOIN sla_policies p ON p.id = t.sla_policy_id"
    "  WHERE t.status = ANY (p.pause_statuses) AND t.sla_paused_at IS NULL)"
    " END", 1);

static long long
value(int which)
{
	struct db d;
	char w[8];
	const char *p[] = { w };
	PGresult *r;
	long long v;

	snprintf(w, sizeof(w), "%d", which);
	ck_assert_int_eq(db_open(&d, conninfo, "gen-check"), 0);
	r = db_exec(&d, &st_value, p);
	ck_assert_ptr_nonnull(r);
	v = db_ll(r, 0, 0);
	PQclear(r);
	db_close(&d);
	return v;
}

static int
gen(const char *args)
{
	return th_sh("CSDESK_DB='%s' '%s/csdesk' gen %s > /dev/null 2>&1", conninfo,
	    th_build_dir(), args);
}

START_TEST(gen_makes_consistent_tickets)
{
	long long before, indexes;

	/* Agents for the load to assign tickets to (and maybe demo tickets). */
	ck_assert_int_eq(th_sh("CSDESK_DB='%s' CSDESK_DATADIR='%s' '%s/csdesk' demo > /dev/null",
	    conninfo, th_datadir(), th_build_dir()), 0);
	before = value(1);
	indexes = value(9);
	ck_assert_int_ge(indexes, 10);
	ck_assert_int_eq(gen("--tickets 2000 --comments 1"), 0);
	ck_assert_int_eq(value(9), indexes);
	ck_assert_int_eq(value(1), before + 2000);
	ck_assert_int_eq(value(2), before + 2000);
	ck_assert_int_eq(value(3), 0);
	ck_assert_int_eq(value(4), 0);
	ck_assert_int_eq(value(5), 1);
	ck_assert_int_ge(value(6), 5);
	ck_assert_int_eq(value(7), before + 2000);
	ck_assert_int_gt(value(8), 0);
	/* Every clock started by the load itself: a later `csdesk demo` has none to start. */
	ck_assert_int_eq(value(10), 0);
	ck_assert_int_gt(value(11), 0);
	ck_assert_int_eq(value(12), 0);
	/* Once is enough, unless asked. */
	ck_assert_int_ne(gen("--tickets 10"), 0);
	ck_assert_int_eq(value(1), before + 2000);
	ck_assert_int_eq(gen("--tickets 10 --force"), 0);
	ck_assert_int_eq(value(1), before + 2010);
	ck_assert_int_eq(value(2), before + 2010);
	ck_assert_int_eq(value(3), 0);
	ck_assert_int_eq(value(4), 0);
	ck_assert_int_eq(value(5), 1);
	/* Bad usage. */
	ck_assert_int_eq(gen("--tickets"), 2);
	ck_assert_int_eq(gen("--tickets -5"), 2);
	ck_assert_int_eq(gen("--customers 5"), 2);
}
END_TEST

static void
setup(void)
{
	conninfo = th_db_create("gen");
}

static void
teardown(void)
{
	th_db_drop(conninfo);
	free(conninfo);
}

Suite *gen_suite(void);

Suite *
gen_suite(void)
{
	Suite *s = suite_create("gen");
	TCase *tc = tcase_create("gen");

	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, gen_makes_consistent_tickets);
	suite_add_tcase(s, tc);
	return s;
}
