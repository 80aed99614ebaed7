/*
 * The database layer against a real PostgreSQL: parameters travel intact,
 * errors carry their SQLSTATE, transactions roll back, a statement runs
 * with settings of its own in one round trip, prepared statements
 * come back after a reconnect, and the two programs' roles hold only what
 * sql/roles.sql grants them.
 */
#include "../lib/harness.h"
#include "core/arena.h"
#include "db/db.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

static char *conninfo;
static struct db db;

static struct db_stmt st_make = DB_STMT("t_make",
    "CREATE TABLE IF NOT EXISTS t_items (id int PRIMARY KEY, label text)", 0);
static struct db_stmt st_clear = DB_STMT("t_clear", "DELETE FROM t_items", 0);
static struct db_stmt st_put = DB_STMT("t_put",
    "INSERT INTO t_items (id, label) VALUES ($1, $2)", 2);
static struct db_stmt st_get = DB_STMT("t_get",
    "SELECT label FROM t_items WHERE id = $1", 1);
static struct db_stmt st_count = DB_STMT("t_count", "SELECT count(*) FROM t_items", 0);
static struct db_stmt st_pid = DB_STMT("t_pid", "SELECT pg_backend_pid()", 0);
static struct db_stmt st_kill = DB_STMT("t_kill", "SELECT pg_terminate_backend($1, 5000)", 1);
static struct db_stmt st_migr = DB_STMT("t_migr", "SELECT count(*) FROM schema_migrations", 0);
static struct db_stmt st_ddl = DB_STMT("t_ddl", "CREATE TABLE t_intruder (x int)", 0);
/* Two short lists in one row, as a page's panel reads them. */
static struct db_stmt st_lists = DB_STMT("t_lists",
    "SELECT (SELECT coalesce(json_agg(json_build_array(NULL, label, id, id > 1) ORDER BY id),"
    " '[]') FROM t_items), (SELECT coalesce(json_agg(json_build_array(NULL, label)), '[]')"
    " FROM t_items WHERE false), '[[1]]'::json", 0);

static void
suite_setup(void)
{
	conninfo = th_db_create("db");
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
	ck_assert_int_eq(db_open(&db, conninfo, "check_db"), 0);
	ck_assert_int_eq(db_run(&db, &st_make, NULL), 0);
	ck_assert_int_eq(db_run(&db, &st_clear, NULL), 0);
}

static void
teardown(void)
{
	db_close(&db);
}

static char *
label_of(const char *id)
{
	const char *p[] = { id };
	PGresult *r = db_exec(&db, &st_get, p);
	char *s;

	ck_assert_ptr_nonnull(r);
	s = PQntuples(r) ? strdup(PQgetvalue(r, 0, 0)) : NULL;
	PQclear(r);
	return s;
}

START_TEST(parameters_travel_intact)
{
	static const char *const hostile[] = {
		"Robert'); DROP TABLE t_items;--", "$1", "\\x00", "ünïcödé ✓", "a\"b'c`d",
	};
	char id[8], *got;
	size_t i;

	for (i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
		const char *p[2] = { id, hostile[i] };

		snprintf(id, sizeof(id), "%zu", i);
		ck_assert_int_eq(db_run(&db, &st_put, p), 0);
		got = label_of(id);
		ck_assert_str_eq(got, hostile[i]);
		free(got);
	}
}
END_TEST

START_TEST(errors_carry_sqlstate)
{
	const char *p[] = { "1", "first" };

	ck_assert_int_eq(db_run(&db, &st_put, p), 0);
	ck_assert_int_eq(db_run(&db, &st_put, p), -1);
	ck_assert(db_is(&db, "23505"));
	ck_assert(!db_lost(&db));
	/* A bad parameter is an error too, not a crash. */
	p[0] = "not a number";
	ck_assert_int_eq(db_run(&db, &st_put, p), -1);
	ck_assert(db_is(&db, "22P02"));
}
END_TEST

START_TEST(rollback_discards_and_ensure_clears_aborted)
{
	const char *p[] = { "7", "gone" };
	PGresult *r;

	ck_assert_int_eq(db_begin(&db), 0);
	ck_assert_int_eq(db_run(&db, &st_put, p), 0);
	db_rollback(&db);
	ck_assert_ptr_null(label_of("7"));
	/* A transaction left aborted by a failed statement is rolled back
	 * before the next request's work. */
	ck_assert_int_eq(db_begin(&db), 0);
	ck_assert_int_eq(db_run(&db, &st_put, p), 0);
	ck_assert_int_eq(db_run(&db, &st_put, p), -1);
	ck_assert_int_eq(db_ensure(&db), 0);
	r = db_exec(&db, &st_count, NULL);
	ck_assert_ptr_nonnull(r);
	ck_assert_str_eq(PQgetvalue(r, 0, 0), "0");
	PQclear(r);
}
END_TEST

/* A statement with settings of its own: one round trip, the settings end
 * with it, a failure keeps its SQLSTATE and leaves nothing open. */
START_TEST(exec_with_settings_for_one_statement)
{
	static struct db_stmt st_set = DB_STMT("t_set_work_mem",
	    "SELECT set_config('work_mem', '7MB', true)", 0);
	static struct db_stmt st_show = DB_STMT("t_show_work_mem",
	    "SELECT current_setting('work_mem'), $1::integer", 1);
	const char *good[] = { "5" }, *bad[] = { "five" }, *p[] = { "3", "kept" };
	PGresult *r;

	r = db_exec_with(&db, &st_set, &st_show, good);
	ck_assert_ptr_nonnull(r);
	ck_assert_str_eq(PQgetvalue(r, 0, 0), "7MB");
	ck_assert_str_eq(PQgetvalue(r, 0, 1), "5");
	PQclear(r);
	ck_assert_int_eq(PQtransactionStatus(db.conn), PQTRANS_IDLE);
	r = db_exec(&db, &st_show, good);
	ck_assert_ptr_nonnull(r);
	ck_assert_str_ne(PQgetvalue(r, 0, 0), "7MB");
	PQclear(r);
	/* A failure: its SQLSTATE, no transaction left, the connection fine. */
	ck_assert_ptr_null(db_exec_with(&db, &st_set, &st_show, bad));
	ck_assert(db_is(&db, "22P02"));
	ck_assert(!db_lost(&db));
	ck_assert_int_eq(PQtransactionStatus(db.conn), PQTRANS_IDLE);
	r = db_exec_with(&db, &st_set, &st_show, good);
	ck_assert_ptr_nonnull(r);
	PQclear(r);
	/* Inside a transaction it runs in it, and rolls back with it. */
	ck_assert_int_eq(db_begin(&db), 0);
	ck_assert_int_eq(db_run(&db, &st_put, p), 0);
	r = db_exec_with(&db, &st_set, &st_show, good);
	ck_assert_ptr_nonnull(r);
	ck_assert_str_eq(PQgetvalue(r, 0, 0), "7MB");
	PQclear(r);
	ck_assert_int_eq(PQtransactionStatus(db.conn), PQTRANS_INTRANS);
	db_rollback(&db);
	ck_assert_ptr_null(label_of("3"));
}
END_TEST

/* A pipeline: N statements, one round trip, each result by its slot; a
 * failure in it keeps its SQLSTATE and leaves the connection usable. */
START_TEST(pipeline_sends_statements_at_once)
{
	static struct db_stmt st_num = DB_STMT("t_pipe_num", "SELECT $1::integer * 2", 1);
	const char *good[] = { "21" }, *bad[] = { "x" }, *p[] = { "4", "piped" };
	struct db_pipe pipe;
	unsigned long stmts = db.statements, trips = db.round_trips;
	int a, b, c;

	db_pipe_init(&pipe);
	a = db_pipe_add(&pipe, &st_put, p);
	b = db_pipe_add(&pipe, &st_num, good);
	c = db_pipe_add(&pipe, &st_count, NULL);
	ck_assert_int_eq(db_pipe_run(&db, &pipe), CS_OK);
	ck_assert_uint_eq(db.statements - stmts, 3);
	ck_assert_uint_eq(db.round_trips - trips, 1);
	ck_assert_ptr_nonnull(db_pipe_result(&pipe, a));
	ck_assert_str_eq(PQgetvalue(db_pipe_result(&pipe, b), 0, 0), "42");
	ck_assert_str_eq(PQgetvalue(db_pipe_result(&pipe, c), 0, 0), "1");
	db_pipe_release(&pipe);
	db_pipe_release(&pipe);
	ck_assert_int_eq(PQtransactionStatus(db.conn), PQTRANS_IDLE);
	/* One bad statement: nothing of the pipe is kept, the rest is rolled back. */
	db_pipe_init(&pipe);
	db_pipe_add(&pipe, &st_clear, NULL);
	b = db_pipe_add(&pipe, &st_num, bad);
	ck_assert_int_eq(db_pipe_run(&db, &pipe), CS_FAILED);
	ck_assert(db_is(&db, "22P02"));
	ck_assert(!db_lost(&db));
	ck_assert_ptr_null(db_pipe_result(&pipe, b));
	db_pipe_release(&pipe);
	ck_assert_int_eq(PQtransactionStatus(db.conn), PQTRANS_IDLE);
	ck_assert_str_eq(label_of("4"), "piped");
	/* A full pipe refuses the statement and fails as a whole. */
	db_pipe_init(&pipe);
	for (a = 0; a < DB_PIPE_MAX; a++)
		ck_assert_int_eq(db_pipe_add(&pipe, &st_count, NULL), a);
	ck_assert_int_eq(db_pipe_add(&pipe, &st_count, NULL), -1);
	ck_assert_int_eq(db_pipe_run(&db, &pipe), CS_FAILED);
}
END_TEST

START_TEST(reconnects_after_backend_killed)
{
	struct db other;
	PGresult *r;
	const char *p[1];
	char pid[32];

	r = db_exec(&db, &st_pid, NULL);
	ck_assert_ptr_nonnull(r);
	snprintf(pid, sizeof(pid), "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
	ck_assert_int_eq(db_open(&other, conninfo, "check_db_killer"), 0);
	p[0] = pid;
	ck_assert_int_eq(db_run(&other, &st_kill, p), 0);
	db_close(&other);
	/* The next request notices before using the dead connection. */
	ck_assert_int_eq(db_ensure(&db), 0);
	r = db_exec(&db, &st_pid, NULL);
	ck_assert_ptr_nonnull(r);
	ck_assert_str_ne(PQgetvalue(r, 0, 0), pid);
	PQclear(r);
	/* Statements prepared before are prepared again transparently. */
	ck_assert_ptr_null(label_of("1"));
}
END_TEST

START_TEST(unreachable_server_is_reported)
{
	struct db dead;

	ck_assert_int_eq(db_open(&dead, "host=127.0.0.1 port=1 connect_timeout=2", "x"), -1);
	ck_assert(db_lost(&dead));
	ck_assert_ptr_null(db_exec(&dead, &st_count, NULL));
	ck_assert_int_eq(db_ensure(&dead), -1);
	db_close(&dead);
}
END_TEST

START_TEST(roles_are_least_privilege)
{
	char *as_portal = th_db_as(conninfo, "csdesk_portal");
	char *as_console = th_db_as(conninfo, "csdesk_console");
	struct db p, c;
	PGresult *r;

	ck_assert_int_eq(db_open(&p, as_portal, "check_portal"), 0);
	ck_assert_int_eq(db_open(&c, as_console, "check_console"), 0);
	/* Neither may create tables in the schema. */
	ck_assert_ptr_null(db_exec(&p, &st_ddl, NULL));
	ck_assert(db_is(&p, "42501"));
	ck_assert_ptr_null(db_exec(&c, &st_ddl, NULL));
	ck_assert(db_is(&c, "42501"));
	/* The console may read the migration list; the portal may not. */
	r = db_exec(&c, &st_migr, NULL);
	ck_assert_ptr_nonnull(r);
	PQclear(r);
	ck_assert_ptr_null(db_exec(&p, &st_migr, NULL));
	ck_assert(db_is(&p, "42501"));
	db_close(&p);
	db_close(&c);
	free(as_portal);
	free(as_console);
}
END_TEST

/* BEGIN travels with a transaction's first statement; a transaction that
 * ran nothing costs no round trip; what it wrote commits or rolls back
 * as before. */
START_TEST(begin_goes_with_the_first_statement)
{
	const char *p[] = { "5", "lazy" }, *q[] = { "6", "gone" };
	unsigned long trips = db.round_trips;
	struct db_pipe pipe;

	ck_assert_int_eq(db_begin(&db), 0);
	ck_assert_uint_eq(db.round_trips - trips, 0);
	ck_assert(db_tx_healthy(&db));
	ck_assert_int_eq(db_commit(&db), 0);
	ck_assert_uint_eq(db.round_trips - trips, 0);
	/* One trip for BEGIN and the insert, one for COMMIT. */
	ck_assert_int_eq(db_begin(&db), 0);
	ck_assert_int_eq(db_run(&db, &st_put, p), 0);
	ck_assert_int_eq(PQtransactionStatus(db.conn), PQTRANS_INTRANS);
	ck_assert_int_eq(db_commit(&db), 0);
	ck_assert_uint_eq(db.round_trips - trips, 2);
	ck_assert_str_eq(label_of("5"), "lazy");
	/* A pipeline carries it too; rolled back, nothing stays. */
	ck_assert_int_eq(db_begin(&db), 0);
	db_pipe_init(&pipe);
	db_pipe_add(&pipe, &st_put, q);
	ck_assert_int_eq(db_pipe_run(&db, &pipe), CS_OK);
	db_pipe_release(&pipe);
	ck_assert_int_eq(PQtransactionStatus(db.conn), PQTRANS_INTRANS);
	db_rollback(&db);
	ck_assert_int_eq(PQtransactionStatus(db.conn), PQTRANS_IDLE);
	ck_assert_ptr_null(label_of("6"));
	/* A statement owed with the BEGIN runs first, in the same trip. */
	{
		static struct db_stmt st_note = DB_STMT("t_note",
		    "SELECT set_config('csdesk.test_note', $1, true)", 1);
		static struct db_stmt st_read = DB_STMT("t_note_read",
		    "SELECT current_setting('csdesk.test_note', true)", 0);
		PGresult *r;

		trips = db.round_trips;
		ck_assert_int_eq(db_begin_with(&db, &st_note, "owed"), 0);
		r = db_exec(&db, &st_read, NULL);
		ck_assert_ptr_nonnull(r);
		ck_assert_str_eq(PQgetvalue(r, 0, 0), "owed");
		PQclear(r);
		ck_assert_uint_eq(db.round_trips - trips, 1);
		ck_assert_int_eq(db_commit(&db), 0);
		/* Local to its transaction: gone after the commit. */
		r = db_exec(&db, &st_read, NULL);
		ck_assert_ptr_nonnull(r);
		ck_assert_str_eq(PQgetvalue(r, 0, 0), "");
		PQclear(r);
	}
	/* A failed first statement leaves the transaction unhealthy, then clean. */
	ck_assert_int_eq(db_begin(&db), 0);
	ck_assert_int_ne(db_run(&db, &st_put, p), 0);	/* 5 is taken */
	ck_assert(db_is(&db, "23505"));
	ck_assert(!db_tx_healthy(&db));
	db_rollback(&db);
	ck_assert_int_eq(PQtransactionStatus(db.conn), PQTRANS_IDLE);
	ck_assert_int_eq(db_run(&db, &st_put, q), 0);
}
END_TEST

START_TEST(json_lists_read_from_one_row)
{
	const char *put[][2] = { { "1", "plain" }, { "2", "quote \" and ünï" }, { "3", NULL } };
	const char **cells;
	struct arena *a = arena_new(4096);
	PGresult *r;
	size_t i, n;

	for (i = 0; i < 3; i++)
		ck_assert_int_eq(db_run(&db, &st_put, put[i]), 0);
	r = db_exec(&db, &st_lists, NULL);
	ck_assert_ptr_nonnull(r);
	/* Cells as PostgreSQL prints them; a null label reads "". */
	ck_assert_int_eq(db_json_table(a, r, 0, 0, 4, &cells, &n), CS_OK);
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(cells[0 * 4 + 1], "plain");
	ck_assert_str_eq(cells[1 * 4 + 1], "quote \" and ünï");
	ck_assert_str_eq(cells[2 * 4 + 1], "");
	ck_assert_str_eq(cells[2 * 4 + 2], "3");
	ck_assert_str_eq(cells[0 * 4 + 3], "f");
	ck_assert_str_eq(cells[1 * 4 + 3], "t");
	/* An empty list is no rows; a row of the wrong width is refused. */
	ck_assert_int_eq(db_json_table(a, r, 0, 1, 2, &cells, &n), CS_OK);
	ck_assert_uint_eq(n, 0);
	ck_assert_int_eq(db_json_table(a, r, 0, 2, 4, &cells, &n), CS_FAILED);
	ck_assert_uint_eq(n, 0);
	PQclear(r);
	arena_free(a);
}
END_TEST

Suite *db_suite(void);

Suite *
db_suite(void)
{
	Suite *s = suite_create("db");
	TCase *tc = tcase_create("db");

	tcase_add_unchecked_fixture(tc, suite_setup, suite_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, parameters_travel_intact);
	tcase_add_test(tc, errors_carry_sqlstate);
	tcase_add_test(tc, rollback_discards_and_ensure_clears_aborted);
	tcase_add_test(tc, exec_with_settings_for_one_statement);
	tcase_add_test(tc, pipeline_sends_statements_at_once);
	tcase_add_test(tc, reconnects_after_backend_killed);
	tcase_add_test(tc, unreachable_server_is_reported);
	tcase_add_test(tc, roles_are_least_privilege);
	tcase_add_test(tc, json_lists_read_from_one_row);
	tcase_add_test(tc, begin_goes_with_the_first_statement);
	suite_add_tcase(s, tc);
	return s;
}
