/*
 * Domain events and their dispatcher (src/domain/events.c) against a real
 * PostgreSQL: an event exists exactly when its transaction commits; a
 * consumer sees each event once and in order, even when a transaction that
 * took a smaller id commits after a larger one was read; two dispatchers
 * for one consumer never hand out the same event twice.
 */
#include "../lib/harness.h"
#include "../lib/sql.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/events.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *conninfo;

static void
suite_setup(void)
{
	conninfo = th_db_create("events");
}

static void
suite_teardown(void)
{
	th_db_drop(conninfo);
	free(conninfo);
}

/* What a test consumer saw: the aggregate ids, in order. */
struct seen {
	long long ids[64];
	int n;
};

static enum cs_result
remember(struct db *db, struct arena *a, const struct event *e, void *ctx)
{
	struct seen *s = ctx;

	(void)db;
	(void)a;
	if (s->n < 64)
		s->ids[s->n++] = e->aggregate_id;
	return CS_OK;
}

static enum cs_result
refuse(struct db *db, struct arena *a, const struct event *e, void *ctx)
{
	(void)db;
	(void)a;
	(void)e;
	(void)ctx;
	return CS_FAILED;
}

static void
append(struct db *db, long long id)
{
	struct event_actor sys = { "system", 0 };

	ck_assert_int_eq(events_append(db, "ticket", id, "ticket.created", &sys,
	    "{\"why\": \"test\"}"), CS_OK);
}

static long dispatch(struct db *db, const char *name, struct seen *s);

/*
 * Waits (up to ten seconds) until every committed event is ready: events
 * are handed out once every older transaction in the whole cluster has
 * ended (events.c), and an autovacuum's ANALYZE of another database can
 * hold them back for a moment. Only with no transaction of the test open.
 */
static void
settle(struct db *db)
{
	int i;

	for (i = 0; i < 200; i++) {
		char *behind = th_value(db, "SELECT count(*) FROM domain_events"
		    " WHERE tx >= pg_snapshot_xmin(pg_current_snapshot())");
		int done = strcmp(behind, "0") == 0;

		free(behind);
		if (done)
			return;
		usleep(50 * 1000);
	}
	ck_abort_msg("events still held back after ten seconds");
}

/* Makes consumer name and moves it past what earlier tests appended. */
static void
start_consumer(struct db *db, const char *name)
{
	struct seen scratch = { .n = 0 };

	settle(db);
	(void)dispatch(db, name, &scratch);
}

static long
dispatch(struct db *db, const char *name, struct seen *s)
{
	struct arena *a = arena_new(4096);
	struct event_consumer c = { name, remember, s };
	long done = -1;

	ck_assert_int_eq(events_dispatch(db, a, &c, 100, &done), CS_OK);
	arena_free(a);
	return done;
}

START_TEST(rolled_back_events_never_reach_a_consumer)
{
	struct db db;
	struct seen s = { .n = 0 };

	ck_assert_int_eq(db_open(&db, conninfo, "check_events"), 0);
	start_consumer(&db, "rollback_test");
	ck_assert_int_eq(db_begin(&db), 0);
	append(&db, 1);
	db_rollback(&db);
	ck_assert_int_eq(db_begin(&db), 0);
	append(&db, 2);
	ck_assert_int_eq(db_commit(&db), 0);
	settle(&db);
	ck_assert_int_eq(dispatch(&db, "rollback_test", &s), 1);
	ck_assert_int_eq(s.ids[0], 2);
	/* Nothing new: nothing handed out again. */
	ck_assert_int_eq(dispatch(&db, "rollback_test", &s), 0);
	ck_assert_int_eq(s.n, 1);
	db_close(&db);
}
END_TEST

START_TEST(a_late_commit_with_a_smaller_id_is_not_skipped)
{
	struct db early, late, disp;
	struct seen s = { .n = 0 };

	ck_assert_int_eq(db_open(&early, conninfo, "check_events_early"), 0);
	ck_assert_int_eq(db_open(&late, conninfo, "check_events_late"), 0);
	ck_assert_int_eq(db_open(&disp, conninfo, "check_events_disp"), 0);
	start_consumer(&disp, "late_test");
	/* early takes the smaller id and stays open… */
	ck_assert_int_eq(db_begin(&early), 0);
	append(&early, 10);
	/* …while late takes a larger one and commits. */
	ck_assert_int_eq(db_begin(&late), 0);
	append(&late, 11);
	ck_assert_int_eq(db_commit(&late), 0);
	/* Nothing is ready while an older transaction may still add events. */
	ck_assert_int_eq(dispatch(&disp, "late_test", &s), 0);
	ck_assert_int_eq(db_commit(&early), 0);
	settle(&disp);
	ck_assert_int_eq(dispatch(&disp, "late_test", &s), 2);
	ck_assert_int_eq(s.ids[0], 10);
	ck_assert_int_eq(s.ids[1], 11);
	db_close(&early);
	db_close(&late);
	db_close(&disp);
}
END_TEST

START_TEST(a_failing_consumer_leaves_its_cursor_where_it_was)
{
	struct db db;
	struct arena *a = arena_new(4096);
	struct event_consumer bad = { "failing_test", refuse, NULL };
	struct seen s = { .n = 0 };
	long done = -1;

	ck_assert_int_eq(db_open(&db, conninfo, "check_events"), 0);
	start_consumer(&db, "failing_test");
	ck_assert_int_eq(db_begin(&db), 0);
	append(&db, 20);
	ck_assert_int_eq(db_commit(&db), 0);
	settle(&db);
	ck_assert_int_eq(events_dispatch(&db, a, &bad, 10, &done), CS_FAILED);
	ck_assert_int_eq(done, 0);
	/* The same consumer, fixed, gets the event it failed on. */
	ck_assert_int_eq(dispatch(&db, "failing_test", &s), 1);
	ck_assert_int_eq(s.ids[0], 20);
	arena_free(a);
	db_close(&db);
}
END_TEST

START_TEST(two_dispatchers_hand_out_each_event_once)
{
	struct db one, two, writer;
	struct seen s1 = { .n = 0 }, s2 = { .n = 0 };
	struct arena *a = arena_new(4096);
	struct event_consumer c1 = { "pair_test", remember, &s1 };
	long d1 = 0;

	ck_assert_int_eq(db_open(&one, conninfo, "check_events_1"), 0);
	ck_assert_int_eq(db_open(&two, conninfo, "check_events_2"), 0);
	ck_assert_int_eq(db_open(&writer, conninfo, "check_events_w"), 0);
	start_consumer(&writer, "pair_test");
	ck_assert_int_eq(db_begin(&writer), 0);
	append(&writer, 30);
	append(&writer, 31);
	ck_assert_int_eq(db_commit(&writer), 0);
	settle(&writer);
	/* The first holds the cursor (its transaction open, as mid-run)… */
	ck_assert_int_eq(db_begin(&one), 0);
	ck_assert_int_eq(events_dispatch(&one, a, &c1, 10, &d1), CS_OK);
	/* …so the second, at the same moment, does nothing. */
	ck_assert_int_eq(dispatch(&two, "pair_test", &s2), 0);
	ck_assert_int_eq(db_commit(&one), 0);
	ck_assert_int_eq(d1, 2);
	/* Afterwards there is nothing left for either. */
	ck_assert_int_eq(dispatch(&two, "pair_test", &s2), 0);
	ck_assert_int_eq(s1.n + s2.n, 2);
	arena_free(a);
	db_close(&one);
	db_close(&two);
	db_close(&writer);
}
END_TEST

/*
 * Transaction ids gain digits (999, 1000, …): the cursor must follow
 * their numbers, not their text, or "95" sorts after "100" and the
 * events after it come again. The owner writes two events as if from
 * transactions 95 and 100, long ended.
 */
START_TEST(the_cursor_follows_transaction_ids_not_their_text)
{
	static struct db_stmt st_old = DB_STMT("t_ev_old",
	    "INSERT INTO domain_events (tx, aggregate, aggregate_id, type, actor_kind)"
	    " VALUES ('95', 'ticket', 95, 'ticket.created', 'system'),"
	    " ('100', 'ticket', 100, 'ticket.created', 'system')", 0);
	struct db db;
	struct seen s = { .n = 0 };

	ck_assert_int_eq(db_open(&db, conninfo, "check_events"), 0);
	ck_assert_int_eq(db_run(&db, &st_old, NULL), 0);
	ck_assert_int_ge(dispatch(&db, "digits_test", &s), 2);
	ck_assert_int_eq(s.ids[0], 95);
	ck_assert_int_eq(s.ids[1], 100);
	/* Everything was handed out once: nothing comes again. */
	ck_assert_int_eq(dispatch(&db, "digits_test", &s), 0);
	db_close(&db);
}
END_TEST

Suite *events_suite(void);

Suite *
events_suite(void)
{
	Suite *s = suite_create("events");
	TCase *tc = tcase_create("events");

	tcase_add_unchecked_fixture(tc, suite_setup, suite_teardown);
	tcase_add_test(tc, rolled_back_events_never_reach_a_consumer);
	tcase_add_test(tc, a_late_commit_with_a_smaller_id_is_not_skipped);
	tcase_add_test(tc, a_failing_consumer_leaves_its_cursor_where_it_was);
	tcase_add_test(tc, two_dispatchers_hand_out_each_event_once);
	tcase_add_test(tc, the_cursor_follows_transaction_ids_not_their_text);
	suite_add_tcase(s, tc);
	return s;
}
