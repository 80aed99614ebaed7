/*
 * Creation from many connections at once: sixteen processes open tickets
 * in a queue that assigns automatically, at the same moment, while two
 * agents have room for four tickets each. None of the creations fails (a
 * deadlock between two of them is an error their customer would see),
 * nobody is given a fifth ticket, and the eight places are all taken: a
 * creation that finds every agent with room busy with another creation
 * waits for one of them rather than leaving its ticket unassigned.
 */
#include "../lib/harness.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/tickets.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

enum { RACERS = 16, EACH = 3, CAPACITY = 4 };

static char *conninfo, *as_portal;
static struct db owner;
static long long cust, user;

static const char fixture[] =
    "UPDATE settings SET value = '1000000' WHERE key ~ '^customer_(tickets|replies)_per_';"
    "INSERT INTO teams (name) VALUES ('Desk');"
    "INSERT INTO queues (name, team_id, auto_assign) SELECT 'General', id, true FROM teams;"
    "INSERT INTO routing_rules (position, name, set_queue_id)"
    " SELECT 1, 'Everything', id FROM queues;"
    "INSERT INTO staff (email, name, password_hash, roles, team_id, languages, capacity,"
    " work_days, work_start, work_end, time_zone)"
    " SELECT v.e, v.e, 'x', ARRAY['agent'], t.id, ARRAY['en'], 4, ARRAY[1,2,3,4,5,6,7],"
    " '00:00', '23:59:59', 'UTC' FROM (VALUES ('r1@t.test'), ('r2@t.test')) AS v (e), teams t;"
    "INSERT INTO customers (name) VALUES ('Rush Ltd');"
    "INSERT INTO portal_users (customer_id, email, name, password_hash, is_account_admin)"
    " SELECT id, 'rush@r.test', 'Rush', 'x', true FROM customers;";

static struct db_stmt st_ids = DB_STMT("t_cr_ids",
    "SELECT (SELECT id FROM customers), (SELECT id FROM portal_users)", 0);
static struct db_stmt st_scope = DB_STMT("t_cr_scope",
    "SELECT set_config('csdesk.customer_id', $1, false)", 1);
/* Each agent's counter and real count, the largest, the unassigned, all. */
static struct db_stmt st_loads = DB_STMT("t_cr_loads",
    "SELECT string_agg(s.email || '=' || s.open_tickets || '/' || (SELECT count(*) FROM tickets t"
    " WHERE t.assignee_id = s.id), ',' ORDER BY s.email)"
    " || ' unassigned=' || (SELECT count(*) FROM tickets WHERE assignee_id IS NULL)"
    " || ' total=' || (SELECT count(*) FROM tickets) FROM staff s", 0);

static void
suite_setup(void)
{
	PGresult *r;

	conninfo = th_db_create("create_race");
	as_portal = th_db_as(conninfo, "csdesk_portal");
	ck_assert_int_eq(db_open(&owner, conninfo, "check_create_race"), 0);
	ck_assert_int_eq(db_script(&owner, fixture, "fixture"), 0);
	r = db_exec(&owner, &st_ids, NULL);
	ck_assert_ptr_nonnull(r);
	cust = atoll(PQgetvalue(r, 0, 0));
	user = atoll(PQgetvalue(r, 0, 1));
	PQclear(r);
	db_close(&owner);
}

static void
suite_teardown(void)
{
	th_db_drop(conninfo);
	free(as_portal);
	free(conninfo);
}

/* One racer: EACH tickets through the portal's role; exits 0 when all opened. */
static void
racer(int k)
{
	struct arena *a = arena_new(1 << 16);
	struct db d;
	char n[24];
	const char *p[] = { n };
	int i, ok = a != NULL && db_open(&d, as_portal, "check_create_racer") == 0;

	snprintf(n, sizeof(n), "%lld", cust);
	ok = ok && db_run(&d, &st_scope, p) == 0;
	for (i = 0; ok && i < EACH; i++) {
		struct ticket_actor_ref by = { TA_CUSTOMER, user, cust, 1, 0 };
		struct ticket_new t = { 0 };
		struct ticket_opened op;
		const char *why = NULL;
		char subject[48];

		snprintf(subject, sizeof(subject), "Rush %d.%d", k, i);
		t.customer_id = cust;
		t.requester_id = user;
		t.channel = "portal";
		t.subject = subject;
		t.description = "Sixteen at once.";
		ok = ticket_open(&d, a, &by, &t, &op, &why) == CS_OK;
		if (!ok)
			fprintf(stderr, "racer %d: ticket %d refused: %s\n", k, i, why ? why : "-");
	}
	_exit(ok ? 0 : 1);
}

START_TEST(sixteen_at_capacity)
{
	pid_t pids[RACERS];
	PGresult *r;
	char want[160];
	int i, status;

	for (i = 0; i < RACERS; i++) {
		pids[i] = fork();
		ck_assert_int_ge(pids[i], 0);
		if (pids[i] == 0)
			racer(i);
	}
	for (i = 0; i < RACERS; i++) {
		ck_assert_int_eq(waitpid(pids[i], &status, 0), pids[i]);
		ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "racer %d failed", i);
	}
	ck_assert_int_eq(db_open(&owner, conninfo, "check_create_race"), 0);
	r = db_exec(&owner, &st_loads, NULL);
	ck_assert_ptr_nonnull(r);
	snprintf(want, sizeof(want), "r1@t.test=%d/%d,r2@t.test=%d/%d unassigned=%d total=%d",
	    CAPACITY, CAPACITY, CAPACITY, CAPACITY, RACERS * EACH - 2 * CAPACITY, RACERS * EACH);
	ck_assert_str_eq(PQgetvalue(r, 0, 0), want);
	PQclear(r);
	db_close(&owner);
}
END_TEST

Suite *create_race_suite(void);

Suite *
create_race_suite(void)
{
	Suite *s = suite_create("create_race");
	TCase *tc = tcase_create("create_race");

	tcase_add_unchecked_fixture(tc, suite_setup, suite_teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, sixteen_at_capacity);
	suite_add_tcase(s, tc);
	return s;
}
