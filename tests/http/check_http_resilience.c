/*
 * The pool under trouble: a worker killed with SIGKILL is replaced and no
 * request is lost afterwards; PostgreSQL restarting between two requests
 * costs at most one 503, and the next request succeeds; PostgreSQL down
 * answers the 503 page, and the service recovers when it is back.
 *
 * These tests stop the run's one PostgreSQL: a checked teardown starts it
 * again after each test, passed or failed, so that a failure here cannot
 * take every later suite down with it.
 */
#include "../lib/harness.h"

#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define WORKERS 3

static struct th_stack stack;
static char *db;

static void
setup(void)
{
	db = th_db_create("resilience");
	th_stack_start(&stack, db, WORKERS, NULL);
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
	suite_add_tcase(s, tc);
	return s;
}
