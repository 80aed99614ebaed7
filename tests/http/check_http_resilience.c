/*
 * The pool under trouble: a worker killed with SIGKILL is replaced and no
 * request is lost afterwards; PostgreSQL restarting between two requests
 * costs at most one 503, and the next request succeeds; PostgreSQL down
 * answers the 503 page, and the service recovers when it is back.
 *
 * A change that waits for a lock held elsewhere gives up after the lock
 * timeout with the 503 page and Retry-After, long before nginx would, and
 * works once the lock is gone; a pool whose workers are all stuck is
 * reported by its health check within seconds.
 *
 * These tests stop the run's one PostgreSQL: a checked teardown starts it
 * again after each test, passed or failed, so that a failure here cannot
 * take every later suite down with it.
 */
#include "identity.h"
#include "../lib/fixtures.h"

#include <check.h>
#include <libpq-fe.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define WORKERS 3

static struct th_stack stack;
static char *db;

static void
setup(void)
{
	/* A short lock timeout, so that a test waits for it briefly. */
	static const char *const env[] = { "CSDESK_LOCK_TIMEOUT_MS=1000", NULL };

	db = th_db_create("resilience");
	th_stack_start(&stack, db, WORKERS, env);
}

static void
teardown(void)
{
	th_stack_stop(&stack);
	th_db_drop(db);
	free(db);
}

/* After every test, passed or failed: PostgreSQL is running again. */
static void
postgres_is_back(void)
{
	const char *pgdir = getenv("CSDESK_TEST_PGDIR");

	if (pgdir != NULL && th_sh("[ -f '%s/data/postmaster.pid' ] || '%s/scripts/pg.sh' start '%s'",
	    pgdir, th_datadir(), pgdir) != 0)
		fprintf(stderr, "http_resilience: could not start PostgreSQL again\n");
}

static long
status_of(const char *path)
{
	char url[512];
	struct th_resp r;
	long st;

	snprintf(url, sizeof(url), "%s%s", stack.url, path);
	if (th_http("GET", url, NULL, 0, NULL, &r) < 0)
		return -1;
	st = r.status;
	th_resp_free(&r);
	return st;
}

START_TEST(killed_worker_is_replaced)
{
	pid_t before[16], after[16];
	int n, i, j, ok = 0, replaced = 0;

	n = th_children(stack.portal, before, 16);
	ck_assert_int_eq(n, WORKERS);
	ck_assert_int_eq(kill(before[0], SIGKILL), 0);
	/* Requests keep being served by the others meanwhile. */
	for (i = 0; i < 30; i++)
		ok += status_of("/") == 200;
	ck_assert_int_eq(ok, 30);
	/* Within a couple of seconds the pool is whole again. */
	for (i = 0; i < 40; i++) {
		usleep(100000);
		n = th_children(stack.portal, after, 16);
		if (n == WORKERS)
			break;
	}
	ck_assert_int_eq(n, WORKERS);
	for (i = 0; i < n; i++) {
		int seen = 0;

		for (j = 0; j < WORKERS; j++)
			seen |= after[i] == before[j];
		replaced += !seen;
	}
	ck_assert_int_eq(replaced, 1);
	for (i = 0; i < 30; i++)
		ck_assert_int_eq(status_of("/"), 200);
}
END_TEST

START_TEST(database_restart_costs_at_most_one_request)
{
	const char *pgdir = getenv("CSDESK_TEST_PGDIR");
	long st;
	int i;

	ck_assert_ptr_nonnull(pgdir);
	/* Every worker has a live connection. */
	for (i = 0; i < 10; i++)
		ck_assert_int_eq(status_of("/healthz"), 200);
	ck_assert_int_eq(th_sh("'%s/scripts/pg.sh' restart '%s'", th_datadir(), pgdir), 0);
	st = status_of("/healthz");
	ck_assert_msg(st == 200 || st == 503, "got %ld", st);
	/* Whichever worker answers now must have its connection back. */
	for (i = 0; i < 10; i++)
		ck_assert_int_eq(status_of("/healthz"), 200);
	ck_assert_int_eq(status_of("/agent/healthz"), 200);
}
END_TEST

START_TEST(database_down_is_503_then_recovers)
{
	const char *pgdir = getenv("CSDESK_TEST_PGDIR");
	char url[512];
	struct th_resp r;
	const char *ct;

	ck_assert_ptr_nonnull(pgdir);
	ck_assert_int_eq(th_sh("'%s/scripts/pg.sh' stop '%s'", th_datadir(), pgdir), 0);
	snprintf(url, sizeof(url), "%s/healthz", stack.url);
	ck_assert_int_eq(th_http("GET", url, NULL, 0, NULL, &r), 0);
	ck_assert_int_eq(r.status, 503);
	ck_assert_ptr_nonnull(strstr(r.body, "database unreachable"));
	th_resp_free(&r);
	/* A page that needs the database says so with the 503 page. */
	snprintf(url, sizeof(url), "%s/", stack.url);
	ck_assert_int_eq(th_http("GET", url, NULL, 0, NULL, &r), 0);
	ck_assert_int_eq(r.status, 503);
	ct = th_header(&r, "Content-Type");
	ck_assert_msg(ct != NULL && strncmp(ct, "text/html", 9) == 0, "Content-Type %s", ct);
	ck_assert_msg(strstr(r.body, "<span class=\"error-code\">503</span>") != NULL,
	    "not the error page: %s", r.body);
	ck_assert_msg(strstr(r.body, "The service is briefly unavailable.") != NULL,
	    "the 503 page lacks its text: %s", r.body);
	th_resp_free(&r);
	ck_assert_int_eq(th_sh("'%s/scripts/pg.sh' start '%s'", th_datadir(), pgdir), 0);
	ck_assert_int_eq(status_of("/healthz"), 200);
	ck_assert_int_eq(status_of("/"), 200);
}
END_TEST

static double
seconds_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* Runs sql with one parameter on conn; asserts it worked. */
static void
sql_ok(PGconn *conn, const char *sql, const char *param)
{
	PGresult *r = PQexecParams(conn, sql, param ? 1 : 0, NULL, &param, NULL, NULL, 0);

	ck_assert_msg(PQresultStatus(r) == PGRES_TUPLES_OK || PQresultStatus(r) == PGRES_COMMAND_OK,
	    "%s: %s", sql, PQerrorMessage(conn));
	PQclear(r);
}

START_TEST(lock_wait_is_503_with_retry_after_then_works)
{
	struct fx_person agent, cust;
	struct fx_ticket t;
	struct jar j = { 0 };
	struct th_resp r;
	struct timespec t0;
	char page[128], path[128], id[24], *n;
	const char *ra;
	PGconn *lock;

	fx_staff(db, "Lara Lock", "agent", &agent);
	fx_customer(db, "Luca Lock", NULL, "standard", &cust);
	fx_ticket(db, &cust, "Locked away", &t);
	web_staff_sign_in(&stack, &j, agent.email, FX_PASSWORD);
	snprintf(page, sizeof(page), "/agent/tickets/%s", t.number);
	snprintf(path, sizeof(path), "/agent/tickets/%s/replies", t.number);
	snprintf(id, sizeof(id), "%lld", t.id);

	/* Someone else holds the ticket's row for a long time. */
	lock = PQconnectdb(db);
	ck_assert_int_eq(PQstatus(lock), CONNECTION_OK);
	sql_ok(lock, "BEGIN", NULL);
	sql_ok(lock, "SELECT id FROM tickets WHERE id = $1::bigint FOR UPDATE", id);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	r = web_post(&stack, &j, path, page, "body=Waiting+note.&visibility=internal");
	ck_assert_msg(r.status == 503, "a change behind a lock answered %ld", r.status);
	/* The lock timeout (1 s here), not nginx's 60 s. */
	ck_assert_msg(seconds_since(&t0) < 10, "took %.1fs", seconds_since(&t0));
	ra = th_header(&r, "Retry-After");
	ck_assert_msg(ra != NULL && strtol(ra, NULL, 10) > 0, "Retry-After: %s",
	    ra ? ra : "(none)");
	ck_assert_msg(strstr(r.body, "The service is briefly unavailable.") != NULL,
	    "not the 503 page: %s", r.body);
	th_resp_free(&r);
	/* The worker is free again for everyone else meanwhile. */
	ck_assert_int_eq(status_of("/healthz/console"), 200);
	sql_ok(lock, "COMMIT", NULL);
	PQfinish(lock);

	r = web_post(&stack, &j, path, page, "body=Waiting+note.&visibility=internal");
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
	/* Only the change that was answered with success is stored. */
	n = sql_owner(db, "SELECT count(*) FROM ticket_comments WHERE ticket_id = $1::bigint"
	    " AND body = 'Waiting note.'", id);
	ck_assert_str_eq(n, "1");
	free(n);
}
END_TEST

START_TEST(stuck_console_pool_is_reported)
{
	pid_t w[16];
	char url[512];
	struct th_resp r;
	const char *ra;
	int n, i;

	ck_assert_int_eq(status_of("/healthz/console"), 200);
	n = th_children(stack.console, w, 16);
	ck_assert_int_eq(n, WORKERS);
	for (i = 0; i < n; i++)
		ck_assert_int_eq(kill(w[i], SIGSTOP), 0);
	snprintf(url, sizeof(url), "%s/healthz/console", stack.url);
	ck_assert_int_eq(th_http("GET", url, NULL, 0, NULL, &r), 0);
	ck_assert_int_eq(r.status, 503);
	ck_assert_ptr_nonnull(strstr(r.body, "console pool not answering"));
	ra = th_header(&r, "Retry-After");
	ck_assert_ptr_nonnull(ra);
	th_resp_free(&r);
	/* The portal's pool is fine and says so. */
	ck_assert_int_eq(status_of("/healthz"), 200);
	for (i = 0; i < n; i++)
		ck_assert_int_eq(kill(w[i], SIGCONT), 0);
	for (i = 0; i < 50 && status_of("/healthz/console") != 200; i++)
		usleep(100000);
	ck_assert_int_eq(status_of("/healthz/console"), 200);
}
END_TEST

Suite *http_resilience_suite(void);

Suite *
http_resilience_suite(void)
{
	Suite *s = suite_create("http_resilience");
	TCase *tc = tcase_create("pool");

	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_add_checked_fixture(tc, NULL, postgres_is_back);
	tcase_set_timeout(tc, 180);
	tcase_add_test(tc, killed_worker_is_replaced);
	tcase_add_test(tc, database_restart_costs_at_most_one_request);
	tcase_add_test(tc, database_down_is_503_then_recovers);
	tcase_add_test(tc, lock_wait_is_503_with_retry_after_then_works);
	tcase_add_test(tc, stuck_console_pool_is_reported);
	suite_add_tcase(s, tc);
	return s;
}
