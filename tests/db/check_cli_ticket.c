/*
 * `csdesk ticket open` (src/cli/ticket.c) against a real PostgreSQL: the
 * command line opens a ticket through the same use case as the portal,
 * the console and the API, so its requester gets the confirmation mail
 * once the dispatcher runs, exactly once however often it runs; and what
 * it is given wrong is said, with no ticket made.
 */
#include "../lib/dispatch.h"
#include "../lib/fixtures.h"
#include "../lib/harness.h"
#include "db/db.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *conninfo;

static struct db_stmt st_confirmations = DB_STMT("t_cli_confirmations",
    "SELECT count(*) FROM notifications WHERE kind = 'ticket_created'"
    " AND recipient = $1 AND body_text LIKE '%' || $2 || '%'", 2);
static struct db_stmt st_ticket = DB_STMT("t_cli_ticket",
    "SELECT count(*) FROM tickets t JOIN portal_users u ON u.id = t.requester_id"
    " WHERE t.number = $1 AND u.email = $2 AND t.channel = 'phone'"
    " AND t.description = 'The printer jams on page two.'", 2);
static struct db_stmt st_for = DB_STMT("t_cli_for",
    "SELECT count(*) FROM tickets t JOIN portal_users u ON u.id = t.requester_id"
    " WHERE u.email = $1", 1);

static void
suite_setup(void)
{
	conninfo = th_db_create("cli_ticket");
}

static void
suite_teardown(void)
{
	th_db_drop(conninfo);
	free(conninfo);
}

static long long
count(struct db_stmt *st, const char *a, const char *b)
{
	const char *p[2] = { a, b };
	struct db d;
	PGresult *r;
	long long n;

	ck_assert_int_eq(db_open(&d, conninfo, "check_cli_ticket"), 0);
	r = db_exec(&d, st, p);
	ck_assert_ptr_nonnull(r);
	n = db_ll(r, 0, 0);
	PQclear(r);
	db_close(&d);
	return n;
}

/* Runs `csdesk ticket open` with args and description on stdin; its output into out. */
static int
cli_open(const char *args, const char *description, char *out, size_t size)
{
	char path[512];
	FILE *f;
	int rc;

	snprintf(path, sizeof(path), "/tmp/csdesk-cli-ticket-%d", (int)getpid());
	rc = th_sh("printf '%%s' '%s' | CSDESK_DB='%s' '%s/csdesk' ticket open %s > '%s' 2>&1",
	    description, conninfo, th_build_dir(), args, path);
	f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	out[0] = '\0';
	if (fgets(out, (int)size, f) != NULL)
		out[strcspn(out, "\n")] = '\0';
	fclose(f);
	remove(path);
	return rc;
}

START_TEST(cli_ticket_mails_its_requester_once)
{
	struct fx_person pat;
	char args[512], number[128];

	fx_customer(conninfo, "Pat Cli", NULL, "standard", &pat);
	snprintf(args, sizeof(args), "--email '%s' --subject 'Printer jams'", pat.email);
	ck_assert_int_eq(cli_open(args, "The printer jams on page two.", number, sizeof(number)), 0);
	ck_assert_msg(strncmp(number, "TKT-", 4) == 0, "printed: %s", number);
	ck_assert_int_eq(count(&st_ticket, number, pat.email), 1);
	/* Nothing is mailed by the command itself: the event is. */
	ck_assert_int_eq(count(&st_confirmations, pat.email, number), 0);
	th_dispatch(conninfo);
	th_dispatch(conninfo);
	ck_assert_int_eq(count(&st_confirmations, pat.email, number), 1);
}
END_TEST

START_TEST(cli_ticket_says_what_is_wrong_and_makes_nothing)
{
	struct fx_person kim;
	char args[512], said[256];

	fx_customer(conninfo, "Kim Cli", NULL, "standard", &kim);
	ck_assert_int_ne(cli_open("--email nobody@nowhere.test --subject Hello", "Hi", said,
	    sizeof(said)), 0);
	ck_assert_msg(strstr(said, "no customer has an active portal login") != NULL, "%s", said);
	snprintf(args, sizeof(args), "--email '%s' --subject 'Hello' --channel pigeon", kim.email);
	ck_assert_int_ne(cli_open(args, "Hi", said, sizeof(said)), 0);
	ck_assert_msg(strstr(said, "csdesk: ") == said, "%s", said);
	snprintf(args, sizeof(args), "--email '%s'", kim.email);
	ck_assert_int_eq(cli_open(args, "Hi", said, sizeof(said)), 2);
	ck_assert_int_eq(count(&st_for, kim.email, NULL), 0);
}
END_TEST

Suite *cli_ticket_suite(void);

Suite *
cli_ticket_suite(void)
{
	Suite *s = suite_create("cli_ticket");
	TCase *tc = tcase_create("cli_ticket");

	tcase_add_unchecked_fixture(tc, suite_setup, suite_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, cli_ticket_mails_its_requester_once);
	tcase_add_test(tc, cli_ticket_says_what_is_wrong_and_makes_nothing);
	suite_add_tcase(s, tc);
	return s;
}
