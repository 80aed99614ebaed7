/*
 * The console ticket page's read (ticket_sheet_read) skips the statements
 * of panels the ticket row says are empty (files, warranty claims, field
 * visits, mail to review): a bare ticket costs fewer statements, and a
 * ticket with a file or a visit still shows it.
 */
#include "../lib/console_suite.h"
#include "../lib/harness.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/ticket_sheet.h"
#include "domain/tickets.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

static char *conninfo, *as_console;
static struct db owner, console;
static struct arena *arena;

static const char fixture[] =
    "INSERT INTO customers (name) VALUES ('Sheet Ltd');"
    "INSERT INTO staff (email, name, password_hash, roles) VALUES"
    " ('s1@t.test', 'Agent One', 'x', ARRAY['agent']);"
    "INSERT INTO tickets (number, customer_id, channel, subject, description)"
    " SELECT v.n, c.id, 'phone', v.n, 'd' FROM (VALUES ('S-BARE'), ('S-FILE')) AS v (n),"
    " customers c;"
    "INSERT INTO ticket_attachments (ticket_id, filename, content_type, size, sha256, data)"
    " SELECT id, 'photo.txt', 'text/plain', 1, '\\x00', '\\x41' FROM tickets"
    " WHERE number = 'S-FILE';";

static struct db_stmt st_staff = DB_STMT("t_ts_staff",
    "SELECT id FROM staff WHERE email = 's1@t.test'", 0);

static void
setup_db(void)
{
	console_suite_create("ticket_sheet", fixture, &conninfo, &as_console);
}

static void
teardown_db(void)
{
	console_suite_drop(conninfo, as_console);
}

static void
setup(void)
{
	console_suite_open("ts", conninfo, as_console, &owner, &console, &arena);
}

static void
teardown(void)
{
	console_suite_close(&owner, &console, arena);
}

/* The sheet of number as the agent reads it; *statements those it sent. */
static void
sheet(const char *number, struct ticket *t, struct ticket_sheet *s, unsigned long *statements)
{
	struct ticket_actor_ref by = { .kind = TA_STAFF };
	PGresult *r = db_exec(&owner, &st_staff, NULL);
	unsigned long before;

	ck_assert_ptr_nonnull(r);
	by.id = atoll(PQgetvalue(r, 0, 0));
	PQclear(r);
	ck_assert_int_eq(ticket_get(&console, arena, &by, number, t), CS_OK);
	before = console.statements;
	ck_assert_int_eq(ticket_sheet_read(&console, arena, t, by.id, s), CS_OK);
	*statements = console.statements - before;
}

START_TEST(empty_panels_cost_no_statement)
{
	struct ticket bare, file;
	struct ticket_sheet s;
	unsigned long nbare, nfile;

	sheet("S-BARE", &bare, &s, &nbare);
	ck_assert_uint_eq(bare.panels, 0);
	ck_assert_uint_eq(s.nfiles, 0);
	ck_assert_uint_eq(s.nvisits, 0);
	ck_assert_uint_eq(s.nmail, 0);
	ck_assert_int_eq(s.warranty.registered, 0);
	ck_assert_str_eq(s.warranty.why, "The ticket names no serial number.");
	sheet("S-FILE", &file, &s, &nfile);
	ck_assert_uint_eq(file.panels, TICKET_PANEL_FILES);
	ck_assert_uint_eq(s.nfiles, 1);
	ck_assert_str_eq(s.files[0].filename, "photo.txt");
	/* The file's statement is the only difference. */
	ck_assert_uint_eq(nfile, nbare + 1);
}
END_TEST

Suite *ticket_sheet_suite(void);

Suite *
ticket_sheet_suite(void)
{
	Suite *s = suite_create("ticket_sheet");
	TCase *tc = tcase_create("ticket_sheet");

	tcase_add_unchecked_fixture(tc, setup_db, teardown_db);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, empty_panels_cost_no_statement);
	suite_add_tcase(s, tc);
	return s;
}
