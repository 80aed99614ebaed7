/*
 * Stopping under load, through nginx: the console pool gets SIGTERM while
 * both its workers are inside a change (each waits in PostgreSQL for a row
 * lock this test holds) and more changes are queued behind them. The two
 * in flight are answered and stored; the queued ones are refused by nginx
 * (502/503) and stored nowhere; no request is cut half-way; the pool exits
 * as soon as the two are done, without killing a worker.
 */
#include "identity.h"
#include "../lib/fixtures.h"

#include <check.h>
#include <libpq-fe.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define WORKERS 2
#define CHANGES 10

static struct th_stack stack;
static char *db;

static void
setup(void)
{
	/* Longer than this test holds its lock: the waits end with the lock. */
	static const char *const env[] = { "CSDESK_LOCK_TIMEOUT_MS=20000",
		"CSDESK_WRITE_TIMEOUT_MS=25000", NULL };

	db = th_db_create("drain");
	th_stack_start(&stack, db, WORKERS, env);
}

static void
teardown(void)
{
	th_stack_stop(&stack);
	th_db_drop(db);
	free(db);
}

/* Runs sql on conn with one text parameter (may be NULL); the first value as a number. */
static long long
sql_ll(PGconn *conn, const char *sql, const char *param)
{
	PGresult *r = PQexecParams(conn, sql, param ? 1 : 0, NULL, &param, NULL, NULL, 0);
	long long v = -1;

	ck_assert_msg(PQresultStatus(r) == PGRES_TUPLES_OK || PQresultStatus(r) == PGRES_COMMAND_OK,
	    "%s: %s", sql, PQerrorMessage(conn));
	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0)
		v = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	return v;
}

/* Posts body to path in a child process; its answer's status comes down fd. */
static pid_t
post_in_child(struct jar *j, const char *path, const char *body, int fd)
{
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		struct th_resp r = web_post(&stack, j, path, NULL, body);
		long st = r.status;

		if (write(fd, &st, sizeof(st)) != (ssize_t)sizeof(st))
			_exit(1);
		_exit(0);
	}
	return pid;
}

START_TEST(sigterm_under_load_cuts_no_request)
{
	struct fx_person agent, cust;
	struct fx_ticket t;
	struct jar j = { 0 };
	struct th_resp r;
	char page[128], path[128], body[512], id[24];
	pid_t kids[CHANGES];
	int fds[2], i, served = 0, refused = 0, cut = 0, status, waiting = 0;
	PGconn *lock;
	struct timespec t0, t1;

	fx_staff(db, "Drew Drain", "agent", &agent);
	fx_customer(db, "Dana Drain", NULL, "standard", &cust);
	fx_ticket(db, &cust, "Queue drains", &t);
	web_staff_sign_in(&stack, &j, agent.email, FX_PASSWORD);
	snprintf(page, sizeof(page), "/agent/tickets/%s", t.number);
	snprintf(path, sizeof(path), "/agent/tickets/%s/replies", t.number);
	r = web_get(&stack, &j, page);
	ck_assert_int_eq(r.status, 200);
	snprintf(body, sizeof(body), "csrf_token=%s&body=Drained+note.&visibility=internal",
	    csrf_in(r.body));
	th_resp_free(&r);

	/* Hold the ticket's row: every change to it waits in PostgreSQL. */
	lock = PQconnectdb(db);
	ck_assert_int_eq(PQstatus(lock), CONNECTION_OK);
	snprintf(id, sizeof(id), "%lld", t.id);
	sql_ll(lock, "BEGIN", NULL);
	sql_ll(lock, "SELECT id FROM tickets WHERE id = $1::bigint FOR UPDATE", id);

	ck_assert_int_eq(pipe(fds), 0);
	for (i = 0; i < CHANGES; i++)
		kids[i] = post_in_child(&j, path, body, fds[1]);
	close(fds[1]);
	/* Both workers are inside a request, waiting for the lock. */
	for (i = 0; i < 200 && waiting < WORKERS; i++) {
		usleep(50000);
		waiting = (int)sql_ll(lock, "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity"
		    " a USING (pid) WHERE NOT l.granted AND a.datname = current_database()", NULL);
	}
	ck_assert_int_eq(waiting, WORKERS);
	usleep(300000);		/* the rest are queued on the console's socket */

	clock_gettime(CLOCK_MONOTONIC, &t0);
	ck_assert_int_eq(kill(stack.console, SIGTERM), 0);
	usleep(500000);
	sql_ll(lock, "COMMIT", NULL);

	for (i = 0; i < CHANGES; i++) {
		long st = 0;

		ck_assert_int_eq(read(fds[0], &st, sizeof(st)), (ssize_t)sizeof(st));
		if (st == 303)
			served++;
		else if (st == 502 || st == 503)
			refused++;
		else
			cut++;
	}
	close(fds[0]);
	for (i = 0; i < CHANGES; i++)
		waitpid(kids[i], &status, 0);
	ck_assert_int_eq(waitpid(stack.console, &status, 0), stack.console);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	stack.console = 0;
	fprintf(stderr, "drain: %d changes: %d served, %d refused, %d cut; pool gone in %.1fs\n",
	    CHANGES, served, refused, cut, (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	ck_assert_int_eq(cut, 0);
	/* It stopped taking requests at once: only the two in flight ran. */
	ck_assert_int_eq(served, WORKERS);
	ck_assert_int_eq(refused, CHANGES - WORKERS);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 0);	/* no worker was killed */
	ck_assert_int_lt(t1.tv_sec - t0.tv_sec, 10);
	/* What was answered is stored, and nothing else. */
	ck_assert_int_eq(sql_ll(lock, "SELECT count(*) FROM ticket_comments"
	    " WHERE ticket_id = $1::bigint AND body = 'Drained note.'", id), served);
	PQfinish(lock);
}
END_TEST

Suite *http_drain_suite(void);

Suite *
http_drain_suite(void)
{
	Suite *s = suite_create("http_drain");
	TCase *tc = tcase_create("drain");

	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, sigterm_under_load_cuts_no_request);
	suite_add_tcase(s, tc);
	return s;
}
