/*
 * The audit trail against a real PostgreSQL: rows chain by hash, nobody
 * (not even the owner) may change or remove them through SQL, the portal
 * may add rows but not read them, hostile detail survives the trip, and a
 * superuser who switches the triggers off to alter or delete a row is
 * caught — by audit_verify and by `csdesk audit verify` — at exactly the
 * first broken row. Also: writers that race for the chain keep it whole.
 * The insert and verify rates are measured by `make bench`, not here.
 *
 * Each test gets its own database: several break the chain on purpose.
 */
#include "../lib/harness.h"
#include "db/db.h"
#include "domain/audit.h"
#include "core/arena.h"

#include <check.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static char *conninfo;
static struct db db;		/* the owner: the superuser csdesk */
static char *as_role[4];	/* open_as's connection strings, freed by teardown */
static size_t nas_role;

static struct db_stmt st_chain = DB_STMT("ta_chain",
    "SELECT id, encode(prev_hash, 'hex'), encode(hash, 'hex') FROM audit_log ORDER BY id", 0);
static struct db_stmt st_count = DB_STMT("ta_count", "SELECT count(*) FROM audit_log", 0);
static struct db_stmt st_read = DB_STMT("ta_read", "SELECT id FROM audit_log LIMIT 1", 0);
static struct db_stmt st_update = DB_STMT("ta_update",
    "UPDATE audit_log SET action = $1 WHERE id = $2", 2);
static struct db_stmt st_delete = DB_STMT("ta_delete", "DELETE FROM audit_log WHERE id = $1", 1);
static struct db_stmt st_truncate = DB_STMT("ta_truncate", "TRUNCATE audit_log", 0);
static struct db_stmt st_nth = DB_STMT("ta_nth",
    "SELECT id FROM audit_log ORDER BY id OFFSET $1 LIMIT 1", 1);
static struct db_stmt st_after = DB_STMT("ta_after",
    "SELECT min(id) FROM audit_log WHERE id > $1", 1);
static struct db_stmt st_id_of = DB_STMT("ta_id_of",
    "SELECT id FROM audit_log WHERE action = $1", 1);
static struct db_stmt st_digest = DB_STMT("ta_digest",
    "SELECT encode(audit_row_digest($1, $2, $3, $4, $5, $6, $7, $8, $9, $10), 'hex')", 10);
static struct db_stmt st_lock = DB_STMT("ta_lock", "SELECT pg_advisory_lock($1)", 1);
static struct db_stmt st_unlock = DB_STMT("ta_unlock", "SELECT pg_advisory_unlock($1)", 1);
static struct db_stmt st_waiting = DB_STMT("ta_waiting",
    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = $1 AND NOT granted", 1);
/* The id default is drawn before the action's expression waits for lock $2. */
static struct db_stmt st_slow_insert = DB_STMT("ta_slow_insert",
    "INSERT INTO audit_log (actor_kind, action)"
    " VALUES ('system', $1 || pg_advisory_xact_lock_shared($2)::text)", 2);
static struct db_stmt st_begin_rr = DB_STMT("ta_begin_rr",
    "BEGIN ISOLATION LEVEL REPEATABLE READ", 0);

static void
setup(void)
{
	conninfo = th_db_create("audit");
	ck_assert_int_eq(db_open(&db, conninfo, "check_audit"), 0);
}

static void
teardown(void)
{
	db_close(&db);
	th_db_drop(conninfo);
	free(conninfo);
	while (nas_role > 0)
		free(as_role[--nas_role]);
}

/* The first column of the first row of st, malloc'd ("" for NULL). */
static char *
one(struct db *d, struct db_stmt *st, const char *const *p)
{
	PGresult *r = db_exec(d, st, p);
	char *s;

	ck_assert_ptr_nonnull(r);
	ck_assert_int_ge(PQntuples(r), 1);
	s = strdup(PQgetvalue(r, 0, 0));
	PQclear(r);
	return s;
}

static long long
one_ll(struct db *d, struct db_stmt *st, const char *const *p)
{
	char *s = one(d, st, p);
	long long v = strtoll(s, NULL, 10);

	free(s);
	return v;
}

static long long
nth_id(long long n)
{
	char off[24];
	const char *p[] = { off };

	snprintf(off, sizeof(off), "%lld", n - 1);
	return one_ll(&db, &st_nth, p);
}

static void
add(struct db *d, const char *action, long long i)
{
	char oid[32];
	json_t *detail = json_pack("{s:I, s:s}", "n", (json_int_t)i, "to", "pending");
	struct audit_entry e = {
		.actor_kind = AUDIT_ACTOR_STAFF, .actor_id = 7, .action = action,
		.object_type = "ticket", .object_id = oid, .detail = detail, .ip = "192.0.2.7",
	};

	snprintf(oid, sizeof(oid), "TKT-%06lld", i);
	ck_assert_int_eq(audit_record(d, &e), CS_OK);
	json_decref(detail);
}

/* n rows in one transaction. */
static void
add_many(struct db *d, long long n)
{
	long long i;

	ck_assert_int_eq(db_begin(d), 0);
	for (i = 0; i < n; i++)
		add(d, "ticket.update", i);
	ck_assert_int_eq(db_commit(d), 0);
}

static struct db *
open_as(struct db *d, const char *role)
{
	char *ci = th_db_as(conninfo, role);

	/* d keeps the pointer: it lives until teardown. */
	ck_assert_uint_lt(nas_role, sizeof(as_role) / sizeof(as_role[0]));
	as_role[nas_role++] = ci;
	ck_assert_int_eq(db_open(d, ci, "check_audit_role"), 0);
	return d;
}

/* Runs `csdesk ARGS` on this test's database; its stdout in out. Exit status. */
static int
run_cli(const char *args, char *out, size_t outsz)
{
	const char *build = getenv("CSDESK_BUILD");
	char cmd[1024];
	size_t n;
	FILE *f;
	int st;

	ck_assert_int_eq(setenv("CSDESK_DB", conninfo, 1), 0);
	snprintf(cmd, sizeof(cmd), "'%s/csdesk' %s", build ? build : "build", args);
	f = popen(cmd, "r");
	ck_assert_ptr_nonnull(f);
	n = fread(out, 1, outsz - 1, f);
	out[n] = '\0';
	st = pclose(f);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Both verifiers agree that the chain breaks at bad (0: intact). */
static void
expect_verdict(long long rows, long long bad)
{
	char out[512], want[128];
	long long got_rows, got_bad;
	int rc = audit_verify(&db, &got_rows, &got_bad);

	ck_assert_int_eq(rc, CS_OK);
	ck_assert_int_eq(got_rows, rows);
	ck_assert_int_eq(got_bad, bad);
	if (bad == 0) {
		snprintf(want, sizeof(want), "audit: %lld rows, chain intact\n", rows);
		ck_assert_int_eq(run_cli("audit verify", out, sizeof(out)), 0);
		ck_assert_str_eq(out, want);
	} else {
		snprintf(want, sizeof(want), "audit: chain broken at row %lld (", bad);
		ck_assert_int_eq(run_cli("audit verify", out, sizeof(out)), 1);
		ck_assert_msg(strncmp(out, want, strlen(want)) == 0, "got: %s", out);
	}
}

START_TEST(rows_chain)
{
	PGresult *r;
	int i;

	add(&db, "login.success", 1);
	add(&db, "ticket.update", 2);
	add(&db, "logout", 3);
	r = db_exec(&db, &st_chain, NULL);
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(PQntuples(r), 3);
	ck_assert(PQgetisnull(r, 0, 1));	/* the first row has no predecessor */
	for (i = 0; i < 3; i++) {
		ck_assert_uint_eq(strlen(PQgetvalue(r, i, 2)), 64);	/* sha256 */
		if (i == 0)
			continue;
		ck_assert_int_gt(atoll(PQgetvalue(r, i, 0)), atoll(PQgetvalue(r, i - 1, 0)));
		ck_assert_str_eq(PQgetvalue(r, i, 1), PQgetvalue(r, i - 1, 2));
	}
	PQclear(r);
	expect_verdict(3, 0);
}
END_TEST

START_TEST(digest_is_unambiguous_and_session_independent)
{
	/* prev, id, at, kind, actor, action, object type, object id, detail, ip */
	const char *base[10] = { NULL, "1", "2024-05-01 12:00:00.123456+00", "staff", NULL,
		"a.b", "ab", "c", "{}", NULL };
	const char *p[10];
	char *d0, *d1, *d2, *d3, *d4;

	memcpy(p, base, sizeof(p));
	d0 = one(&db, &st_digest, p);
	p[7] = "";			/* object_id '' is not NULL */
	d1 = one(&db, &st_digest, p);
	p[7] = NULL;
	d2 = one(&db, &st_digest, p);
	memcpy(p, base, sizeof(p));
	p[6] = "a";			/* ("ab","c") is not ("a","bc") */
	p[7] = "bc";
	d3 = one(&db, &st_digest, p);
	ck_assert_str_ne(d0, d1);
	ck_assert_str_ne(d1, d2);
	ck_assert_str_ne(d0, d3);
	/* The same instant, the same value: whatever the session's settings. */
	ck_assert_int_eq(db_script(&db, "SET TIME ZONE 'Pacific/Chatham';"
	    " SET bytea_output = 'escape'; SET DateStyle = 'SQL, DMY'", "settings"), 0);
	memcpy(p, base, sizeof(p));
	p[2] = "2024-05-02 01:45:00.123456+13:45";
	d4 = one(&db, &st_digest, p);
	ck_assert_str_eq(d0, d4);
	free(d0);
	free(d1);
	free(d2);
	free(d3);
	free(d4);
}
END_TEST

static void
expect_refused(struct db *d, const char *sqlstate)
{
	const char *up[] = { "tampered", "1" };
	const char *del[] = { "1" };

	ck_assert_int_eq(db_run(d, &st_update, up), -1);
	ck_assert_msg(db_is(d, sqlstate), "UPDATE: %s", d->sqlstate);
	ck_assert_int_eq(db_run(d, &st_delete, del), -1);
	ck_assert_msg(db_is(d, sqlstate), "DELETE: %s", d->sqlstate);
	ck_assert_int_eq(db_run(d, &st_truncate, NULL), -1);
	ck_assert_msg(db_is(d, sqlstate), "TRUNCATE: %s", d->sqlstate);
}

START_TEST(append_only_for_everyone)
{
	struct db portal, console;

	add_many(&db, 3);
	/* The owner: the triggers refuse. */
	expect_refused(&db, AUDIT_SQLSTATE_APPEND_ONLY);
	/* The programs' roles hold no such privilege. */
	expect_refused(open_as(&portal, "csdesk_portal"), "42501");
	expect_refused(open_as(&console, "csdesk_console"), "42501");
	/* Granted them by mistake, the triggers still refuse. */
	ck_assert_int_eq(db_script(&db,
	    "GRANT UPDATE, DELETE, TRUNCATE ON audit_log TO csdesk_console", "grant"), 0);
	expect_refused(&console, AUDIT_SQLSTATE_APPEND_ONLY);
	ck_assert_int_eq(one_ll(&db, &st_count, NULL), 3);
	expect_verdict(3, 0);
	db_close(&portal);
	db_close(&console);
}
END_TEST

START_TEST(portal_writes_but_cannot_read)
{
	struct audit_entry e = { .actor_kind = AUDIT_ACTOR_CUSTOMER, .actor_id = 12,
		.action = "login.success", .object_type = "portal_user", .object_id = "12",
		.ip = "2001:db8::1" };
	struct arena *a = arena_new(4096);
	struct audit_row *rows;
	struct db portal, console;
	size_t n;

	open_as(&portal, "csdesk_portal");
	open_as(&console, "csdesk_console");
	ck_assert_int_eq(audit_record(&portal, &e), CS_OK);
	ck_assert_ptr_null(db_exec(&portal, &st_read, NULL));
	ck_assert(db_is(&portal, "42501"));
	ck_assert_int_eq(audit_list_recent(&portal, a, NULL, &rows, &n), CS_FAILED);
	ck_assert(db_is(&portal, "42501"));
	/* The console reads and verifies. */
	ck_assert_int_eq(audit_list_recent(&console, a, NULL, &rows, &n), CS_OK);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(rows[0].actor_kind, "customer");
	ck_assert_int_eq(rows[0].actor_id, 12);
	ck_assert_str_eq(rows[0].ip, "2001:db8::1");
	ck_assert_str_eq(rows[0].detail, "{}");
	ck_assert_int_eq(audit_verify_report(&console, &(struct audit_verdict){ 0 }), CS_OK);
	arena_free(a);
	db_close(&portal);
	db_close(&console);
}
END_TEST

START_TEST(hostile_detail_round_trips)
{
	static const char oid[] = "'); DROP TABLE audit_log; -- \"ü\"";
	json_t *detail = json_pack("{s:s, s:s, s:s, s:s, s:[s, i, b, n, f], s:{s:s}}",
	    "quotes", "it's a \"test\" with \\ backslash and `ticks`",
	    "unicode", "ünïcödé ✓ 𝄞 \xe2\x80\xae reversed \xef\xbb\xbf bom",
	    "json", "{\"a\":[1,2]}\"},\\u0041 \\",
	    "sql", "'); DROP TABLE audit_log; --",
	    "list", "<script>alert(1)</script>", 42, 1, 0.5,
	    "k\"e'y}{:,", "nested", "\n\t\r\b\f\x01");
	struct audit_entry e = { .actor_kind = AUDIT_ACTOR_API, .actor_id = 3,
		.action = "ticket.comment", .object_type = "ticket", .object_id = oid,
		.detail = detail };
	struct arena *a = arena_new(4096);
	struct audit_row *rows;
	json_t *back, *bad;
	json_error_t err;
	struct db console;
	size_t n;
	char *big;

	ck_assert_ptr_nonnull(detail);
	open_as(&console, "csdesk_console");
	ck_assert_int_eq(audit_record(&console, &e), CS_OK);
	ck_assert_int_eq(audit_list_recent(&console, a, NULL, &rows, &n), CS_OK);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(rows[0].object_id, oid);
	back = json_loads(rows[0].detail, 0, &err);
	ck_assert_msg(back != NULL, "%s", err.text);
	ck_assert(json_equal(back, detail));
	json_decref(back);
	/* Refused before reaching the database: not an object; too big. */
	bad = json_pack("[s]", "x");
	e.detail = bad;
	ck_assert_int_eq(audit_record(&console, &e), CS_FAILED);
	json_decref(bad);
	big = malloc(AUDIT_DETAIL_MAX + 1);
	memset(big, 'x', AUDIT_DETAIL_MAX);
	big[AUDIT_DETAIL_MAX] = '\0';
	bad = json_pack("{s:s}", "big", big);
	e.detail = bad;
	ck_assert_int_eq(audit_record(&console, &e), CS_FAILED);
	json_decref(bad);
	free(big);
	/* jsonb refuses U+0000: an error, not a truncated record. */
	bad = json_pack("{s:s%}", "nul", "a\0b", (size_t)3);
	e.detail = bad;
	ck_assert_int_eq(audit_record(&console, &e), CS_FAILED);
	ck_assert_msg(db_is(&console, "22P05"), "%s", console.sqlstate);
	json_decref(bad);
	/* The table's checks: an action out of form, a network for an address. */
	e.detail = NULL;
	e.action = "Login Failure";
	ck_assert_int_eq(audit_record(&console, &e), CS_FAILED);
	ck_assert(db_is(&console, "23514"));
	e.action = "login.failure";
	e.ip = "10.0.0.0/8";
	ck_assert_int_eq(audit_record(&console, &e), CS_FAILED);
	ck_assert(db_is(&console, "23514"));
	ck_assert_int_eq(one_ll(&db, &st_count, NULL), 1);
	json_decref(detail);
	arena_free(a);
	db_close(&console);
}
END_TEST

START_TEST(list_filters_and_pages)
{
	struct audit_entry e = { .actor_kind = AUDIT_ACTOR_STAFF, .action = "ticket.update",
		.ip = "" };	/* "": none */
	struct audit_filter f = { .limit = 4 };
	struct arena *a = arena_new(4096);
	struct audit_row *rows;
	long long seen = 0, before;
	size_t n, i;
	int k;

	/* 20 rows: staff 1 and 2 alternate, every fifth a login.failure by nobody. */
	for (k = 0; k < 20; k++) {
		e.actor_kind = k % 5 == 4 ? AUDIT_ACTOR_CUSTOMER : AUDIT_ACTOR_STAFF;
		e.actor_id = k % 5 == 4 ? 0 : 1 + k % 2;
		e.action = k % 5 == 4 ? "login.failure" : "ticket.update";
		ck_assert_int_eq(audit_record(&db, &e), CS_OK);
	}
	/* Pages of 4, newest first, no row twice. */
	before = 0;
	do {
		f.before_id = before;
		ck_assert_int_eq(audit_list_recent(&db, a, &f, &rows, &n), CS_OK);
		for (i = 0; i < n; i++) {
			if (before != 0)
				ck_assert_int_lt(rows[i].id, before);
			before = rows[i].id;
			seen++;
		}
	} while (n == 4);
	ck_assert_int_eq(seen, 20);
	f = (struct audit_filter){ .action = "login.failure" };
	ck_assert_int_eq(audit_list_recent(&db, a, &f, &rows, &n), CS_OK);
	ck_assert_uint_eq(n, 4);
	ck_assert_int_eq(rows[0].actor_id, 0);
	ck_assert_str_eq(rows[0].actor_kind, "customer");
	f = (struct audit_filter){ .actor_kind = AUDIT_ACTOR_STAFF };
	ck_assert_int_eq(audit_list_recent(&db, a, &f, &rows, &n), CS_OK);
	ck_assert_uint_eq(n, 16);
	f.actor_id = 2;
	ck_assert_int_eq(audit_list_recent(&db, a, &f, &rows, &n), CS_OK);
	ck_assert_uint_eq(n, 8);
	for (i = 0; i < n; i++)
		ck_assert_int_eq(rows[i].actor_id, 2);
	f.action = "login.failure";
	ck_assert_int_eq(audit_list_recent(&db, a, &f, &rows, &n), CS_OK);
	ck_assert_uint_eq(n, 0);
	f = (struct audit_filter){ .actor_kind = AUDIT_ACTOR_CUSTOMER, .action = "login.failure" };
	ck_assert_int_eq(audit_list_recent(&db, a, &f, &rows, &n), CS_OK);
	ck_assert_uint_eq(n, 4);
	ck_assert_ptr_null(rows[0].object_id);
	ck_assert_ptr_null(rows[0].ip);
	ck_assert_uint_eq(strlen(rows[0].at), strlen("2024-05-01T12:00:00.123456Z"));
	ck_assert_int_eq(audit_actor_from_name("api"), AUDIT_ACTOR_API);
	ck_assert_int_eq(audit_actor_from_name("root"), AUDIT_ACTOR_ANY);
	f = (struct audit_filter){ .limit = AUDIT_LIST_MAX + 1 };
	ck_assert_int_eq(audit_list_recent(&db, a, &f, &rows, &n), CS_FAILED);
	arena_free(a);
}
END_TEST

START_TEST(verify_intact_on_1000_rows)
{
	struct db console;
	long long rows, bad;

	add_many(open_as(&console, "csdesk_console"), 1000);
	expect_verdict(1000, 0);
	ck_assert_int_eq(audit_verify(&console, &rows, &bad), CS_OK);
	ck_assert_int_eq(rows, 1000);
	db_close(&console);
}
END_TEST

START_TEST(empty_log_is_intact)
{
	expect_verdict(0, 0);
}
END_TEST

START_TEST(altered_row_is_caught)
{
	char id[24];
	const char *p[] = { "login.success", id };
	struct audit_verdict v;
	long long victim;

	add_many(&db, 2500);
	victim = nth_id(1700);
	snprintf(id, sizeof(id), "%lld", victim);
	ck_assert_int_eq(db_script(&db, "ALTER TABLE audit_log DISABLE TRIGGER USER", "off"), 0);
	ck_assert_int_eq(db_run(&db, &st_update, p), 0);
	ck_assert_int_eq(db_script(&db, "ALTER TABLE audit_log ENABLE TRIGGER USER", "on"), 0);
	expect_verdict(1699, victim);
	ck_assert_int_eq(audit_verify_report(&db, &v), CS_OK);
	ck_assert_int_eq(v.flaw, AUDIT_FLAW_ALTERED);
	/* The triggers are back. */
	ck_assert_int_eq(db_run(&db, &st_update, p), -1);
	ck_assert(db_is(&db, AUDIT_SQLSTATE_APPEND_ONLY));
}
END_TEST

START_TEST(deleted_row_is_caught)
{
	char id[24];
	const char *p[] = { id };
	struct audit_verdict v;
	long long victim, before, after;

	add_many(&db, 2500);
	before = nth_id(1233);
	victim = nth_id(1234);
	snprintf(id, sizeof(id), "%lld", victim);
	after = one_ll(&db, &st_after, p);
	ck_assert_int_eq(db_script(&db, "SET session_replication_role = replica", "off"), 0);
	ck_assert_int_eq(db_run(&db, &st_delete, p), 0);
	ck_assert_int_eq(db_script(&db, "RESET session_replication_role", "on"), 0);
	expect_verdict(1233, after);
	ck_assert_int_eq(audit_verify_report(&db, &v), CS_OK);
	ck_assert_int_eq(v.flaw, AUDIT_FLAW_UNLINKED);
	ck_assert_int_eq(v.prev_id, before);
}
END_TEST

START_TEST(deleted_first_row_is_caught)
{
	char id[24];
	const char *p[] = { id };
	struct audit_verdict v;

	add_many(&db, 10);
	snprintf(id, sizeof(id), "%lld", nth_id(1));
	ck_assert_int_eq(db_script(&db, "SET session_replication_role = replica", "off"), 0);
	ck_assert_int_eq(db_run(&db, &st_delete, p), 0);
	ck_assert_int_eq(db_script(&db, "RESET session_replication_role", "on"), 0);
	expect_verdict(0, nth_id(1));
	ck_assert_int_eq(audit_verify_report(&db, &v), CS_OK);
	ck_assert_int_eq(v.flaw, AUDIT_FLAW_UNLINKED);
	ck_assert_int_eq(v.prev_id, 0);
}
END_TEST

/*
 * The identity value is drawn before the trigger takes the chain's lock:
 * a writer that drew a smaller id may reach the lock after one that drew a
 * larger id. Forced here: the first writer draws its id, then waits on
 * lock 42 (held by us) while the second writes. The trigger must give the
 * late writer a new, larger id, or the chain would not follow id order.
 */
START_TEST(late_writer_gets_a_larger_id)
{
	const char *lock[] = { "42" };
	long long first, second;
	struct db other;
	pid_t pid;
	int i, status;

	add(&db, "ticket.create", 1);
	ck_assert_int_eq(db_run(&db, &st_lock, lock), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		const char *p[] = { "race.first", "42" };
		int ok = db_open(&other, conninfo, "check_audit_slow") == 0 &&
		    db_run(&other, &st_slow_insert, p) == 0;

		_exit(ok ? 0 : 1);
	}
	for (i = 0; i < 200 && one_ll(&db, &st_waiting, lock) == 0; i++)
		usleep(20000);
	ck_assert_int_lt(i, 200);
	add(&db, "race.second", 2);
	ck_assert_int_eq(db_run(&db, &st_unlock, lock), 0);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	lock[0] = "race.first";
	first = one_ll(&db, &st_id_of, lock);
	lock[0] = "race.second";
	second = one_ll(&db, &st_id_of, lock);
	ck_assert_int_gt(first, second);
	expect_verdict(3, 0);
}
END_TEST

START_TEST(concurrent_writers_keep_one_chain)
{
	enum { WRITERS = 4, EACH = 250 };
	pid_t pids[WRITERS];
	int w, status;

	for (w = 0; w < WRITERS; w++) {
		pids[w] = fork();
		ck_assert_int_ge(pids[w], 0);
		if (pids[w] == 0) {
			struct audit_entry e = { .actor_kind = AUDIT_ACTOR_STAFF,
				.actor_id = w + 1, .action = "ticket.update" };
			struct db d;
			int k, ok = db_open(&d, conninfo, "check_audit_writer") == 0;

			for (k = 0; ok && k < EACH; k++)
				ok = audit_record(&d, &e) == CS_OK;
			_exit(ok ? 0 : 1);
		}
	}
	for (w = 0; w < WRITERS; w++) {
		ck_assert_int_eq(waitpid(pids[w], &status, 0), pids[w]);
		ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	expect_verdict(WRITERS * EACH, 0);
}
END_TEST

/*
 * A REPEATABLE READ transaction cannot see a row committed after its
 * snapshot, so it would link to an older one: the unique prev_hash makes
 * that an error to retry, not a fork.
 */
START_TEST(stale_snapshot_cannot_fork)
{
	struct audit_entry e = { .actor_kind = AUDIT_ACTOR_SYSTEM, .action = "sla.tick" };
	struct db rr;

	add(&db, "ticket.create", 1);
	open_as(&rr, "csdesk_console");
	ck_assert_int_eq(db_run(&rr, &st_begin_rr, NULL), 0);
	ck_assert_int_eq(one_ll(&rr, &st_count, NULL), 1);	/* the snapshot */
	add(&db, "ticket.update", 2);
	ck_assert_int_ne(audit_record(&rr, &e), CS_OK);
	ck_assert_msg(db_is(&rr, "23505") || db_is(&rr, "40001"), "%s", rr.sqlstate);
	db_rollback(&rr);
	ck_assert_int_eq(audit_record(&rr, &e), CS_OK);	/* retried: fine */
	expect_verdict(3, 0);
	db_close(&rr);
}
END_TEST

START_TEST(cli_usage)
{
	char out[256];

	ck_assert_int_eq(run_cli("audit 2>/dev/null", out, sizeof(out)), 2);
	ck_assert_int_eq(run_cli("audit check 2>/dev/null", out, sizeof(out)), 2);
	ck_assert_int_eq(run_cli("audit verify extra 2>/dev/null", out, sizeof(out)), 2);
}
END_TEST

/*
 * Rows written in one long transaction and then one per transaction (the
 * two shapes the programs use) form one chain. How fast: `make bench`.
 */
START_TEST(batched_and_single_inserts_form_one_chain)
{
	enum { N = 300 };
	struct audit_entry e = { .actor_kind = AUDIT_ACTOR_STAFF, .actor_id = 7,
		.action = "ticket.update", .object_type = "ticket", .object_id = "TKT-000123",
		.ip = "192.0.2.7" };
	json_t *detail = json_pack("{s:s, s:s, s:s}", "field", "status", "from", "open",
	    "to", "pending");
	struct db console;
	int i;

	e.detail = detail;
	open_as(&console, "csdesk_console");
	ck_assert_int_eq(db_begin(&console), 0);
	for (i = 0; i < N; i++)
		ck_assert_int_eq(audit_record(&console, &e), CS_OK);
	ck_assert_int_eq(db_commit(&console), 0);
	for (i = 0; i < N; i++)
		ck_assert_int_eq(audit_record(&console, &e), CS_OK);
	expect_verdict(2 * N, 0);
	json_decref(detail);
	db_close(&console);
}
END_TEST

Suite *audit_suite(void);

Suite *
audit_suite(void)
{
	Suite *s = suite_create("audit");
	TCase *tc = tcase_create("audit");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, rows_chain);
	tcase_add_test(tc, digest_is_unambiguous_and_session_independent);
	tcase_add_test(tc, append_only_for_everyone);
	tcase_add_test(tc, portal_writes_but_cannot_read);
	tcase_add_test(tc, hostile_detail_round_trips);
	tcase_add_test(tc, list_filters_and_pages);
	tcase_add_test(tc, verify_intact_on_1000_rows);
	tcase_add_test(tc, empty_log_is_intact);
	tcase_add_test(tc, altered_row_is_caught);
	tcase_add_test(tc, deleted_row_is_caught);
	tcase_add_test(tc, deleted_first_row_is_caught);
	tcase_add_test(tc, late_writer_gets_a_larger_id);
	tcase_add_test(tc, concurrent_writers_keep_one_chain);
	tcase_add_test(tc, stale_snapshot_cannot_fork);
	tcase_add_test(tc, cli_usage);
	tcase_add_test(tc, batched_and_single_inserts_form_one_chain);
	suite_add_tcase(s, tc);
	return s;
}
