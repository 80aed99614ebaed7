/*
 * harness.h — what the DB and HTTP suites share: a fresh database per
 * suite on the test run's private PostgreSQL (started by
 * scripts/run-tests.sh, found through CSDESK_TEST_PG), the real programs
 * behind a real nginx on a free port, and an HTTP client (libcurl).
 */
#ifndef CSDESK_TEST_HARNESS_H
#define CSDESK_TEST_HARNESS_H

#include <stddef.h>
#include <sys/types.h>

/*
 * Creates database "t_<name>_<pid>" and migrates it. Returns a malloc'd
 * libpq connection string for it as the owner (csdesk), or aborts the test
 * run with a message when PostgreSQL is not there.
 */
char *th_db_create(const char *name);

/* th_db_create, then fixture (SQL) run in it as the owner. */
char *th_db_create_fixture(const char *name, const char *fixture);

/* The same database as role (csdesk_portal, csdesk_console): malloc'd. */
char *th_db_as(const char *conninfo, const char *role);

/* Drops the database; ignores errors. */
void th_db_drop(const char *conninfo);

struct th_stack {
	char dir[256];		/* private run directory */
	char url[64];		/* http://127.0.0.1:PORT */
	char portal_sock[300], console_sock[300];
	pid_t portal, console, nginx;
	int port;
};

/*
 * Starts portal.fcgi and console.fcgi (workers each, on unix sockets,
 * connected to conninfo as their own roles) and nginx in front of them.
 * extra_env ("NAME=value" strings, NULL-terminated, may be NULL) is added
 * to the programs' environment. Aborts with a message on failure.
 */
void th_stack_start(struct th_stack *s, const char *conninfo, int workers,
    const char *const *extra_env);

/* Stops all three (SIGTERM, then waits) and removes the run directory. */
void th_stack_stop(struct th_stack *s);

/* The pids of a pool's workers (children of master), up to max. */
int th_children(pid_t master, pid_t *out, int max);

struct th_resp {
	long status;
	char *body;		/* NUL-terminated, malloc'd */
	size_t body_len;
	char *headers;		/* all header lines, malloc'd */
};

/*
 * One HTTP request to url. method "GET", "POST", …; body may be NULL;
 * headers is a NULL-terminated list of "Name: value" lines, may be NULL.
 * Returns 0 and fills out (free with th_resp_free), or -1 when no response
 * came (connection refused, timeout).
 */
int th_http(const char *method, const char *url, const char *body, size_t body_len,
    const char *const *headers, struct th_resp *out);

/* The value of the first response header called name (case-insensitive),
 * copied into a static buffer, or NULL. */
const char *th_header(const struct th_resp *r, const char *name);

void th_resp_free(struct th_resp *r);

/* The source tree (CSDESK_DATADIR) and the build directory (CSDESK_BUILD). */
const char *th_datadir(void);
const char *th_build_dir(void);

/* Runs a shell command, returns its exit status. */
int th_sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Runs a shell command and returns its standard output (malloc'd,
 * NUL-terminated); fails the test unless it exits with 0.
 */
char *th_output(const char *cmd);

#endif
