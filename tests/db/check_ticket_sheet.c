/*
 * The console ticket page's read (ticket_sheet_open) skips the statements
 * of panels the ticket row says are empty (files, warranty claims, field
 * visits, mail to review): a bare ticket costs fewer statements, and a
 * ticket with a file or a visit still shows it. The names it shows for
 * the ticket's queue, team, assignee, category, resolution code and type
 * come from the worker's kept lists and follow renames made elsewhere.
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
    "INSERT INTO teams (name) VALUES ('Desk');"
    "INSERT INTO tickets (number, customer_id, channel, subject, description)"
    " SELECT v.n, c.id, 'phone', v.n, 'd' FROM (VALUES ('S-BARE'), ('S-FILE')) AS v (n),"
    " customers c;"
    "INSERT INTO ticket_attachments (ticket_id, filename, content_type, size, sha256, data)"
    " SELECT id, 'photo.txt', 'text/plain', 1, '\\x00', '\\x41' FROM tickets"
    " WHERE number = 'S-FILE';"
    /* A ticket with every name: an inactive sub-category and queue. */
    "INSERT INTO categories (name) VALUES ('Orders');"
    "INSERT INTO categories (name, parent_id, active) SELECT 'Late', id, false FROM categories"
    " WHERE name = 'Orders';"
    "INSERT INTO queues (name, team_id, active) SELECT 'Deliveries', id, false FROM teams;"
    "INSERT INTO resolution_codes (code, label) VALUES ('shipped_again', 'Shipped again');"
    "INSERT INTO tickets (number, customer_id, channel, subject, description, type, category_id,"
    " queue_id, team_id, assignee_id, resolution_code_id)"
    " SELECT 'S-NAMED', c.id, 'phone', 'Named', 'd', 'complaint', cat.id, q.id, q.team_id, s.id,"
    " rc.id FROM customers c, categories cat, queues q, staff s, resolution_codes rc"
    " WHERE cat.name = 'Late' AND q.name = 'Deliveries' AND s.email = 's1@t.test'"
    " AND rc.code = 'shipped_again';";

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
	before = console.statements;
	ck_assert_int_eq(ticket_sheet_open(&console, arena, number, by.id, t, s), CS_OK);
	*statements = console.statements - before;
}

START_TEST(empty_panels_cost_no_statement)
{
	struct ticket bare, file;
	struct ticket_sheet s;
	unsigned long nbare, nfile;

	/* The first page of a worker reads the lists it keeps (canned
	 * responses among them): counted apart. */
	sheet("S-BARE", &bare, &s, &nbare);
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

/* The page from the number: the ticket and its panels in one round trip,
 * a second for a ticket with files; the same as reading the ticket and
 * then its sheet; an unknown number is not found, with nothing kept. */
START_TEST(open_reads_ticket_and_panels_in_one_trip)
{
	struct ticket t, read;
	struct ticket_sheet s, sheet_read;
	unsigned long statements, trips;
	unsigned long n;
	PGresult *r = db_exec(&owner, &st_staff, NULL);
	long long staff;

	ck_assert_ptr_nonnull(r);
	staff = atoll(PQgetvalue(r, 0, 0));
	PQclear(r);
	/* Warm: the worker's kept lists. */
	ck_assert_int_eq(ticket_sheet_open(&console, arena, "S-BARE", staff, &t, &s), CS_OK);
	trips = console.round_trips;
	ck_assert_int_eq(ticket_sheet_open(&console, arena, "S-BARE", staff, &t, &s), CS_OK);
	ck_assert_uint_eq(console.round_trips - trips, 1);
	ck_assert_str_eq(t.number, "S-BARE");
	sheet("S-BARE", &read, &sheet_read, &n);
	ck_assert_int_eq(t.id, read.id);
	ck_assert_uint_eq(s.ncomments, sheet_read.ncomments);
	ck_assert_uint_eq(s.nevents, sheet_read.nevents);
	ck_assert_int_eq(s.has_sla, sheet_read.has_sla);
	ck_assert_str_eq(s.collab.customer.name, sheet_read.collab.customer.name);
	trips = console.round_trips;
	ck_assert_int_eq(ticket_sheet_open(&console, arena, "S-FILE", staff, &t, &s), CS_OK);
	ck_assert_uint_eq(console.round_trips - trips, 2);
	ck_assert_uint_eq(s.nfiles, 1);
	ck_assert_str_eq(s.files[0].filename, "photo.txt");
	statements = console.statements;
	ck_assert_int_eq(ticket_sheet_open(&console, arena, "S-NONE", staff, &t, &s),
	    CS_NOT_FOUND);
	ck_assert(console.statements > statements);
	ck_assert_uint_eq(s.ncomments, 0);
	ck_assert_ptr_null(t.number);
	/* No presence was written for it, nor anything failed. */
	ck_assert_int_eq(ticket_sheet_open(&console, arena, "S-BARE", staff, &t, &s), CS_OK);
}
END_TEST

/* Whether the agent's sheet of S-BARE offers the canned response titled title. */
static int
offers(const char *title)
{
	struct ticket t;
	struct ticket_sheet s;
	unsigned long n;
	size_t i;

	sheet("S-BARE", &t, &s, &n);
	for (i = 0; i < s.ncanned; i++)
		if (strcmp(s.canned[i].title, title) == 0)
			return 1;
	return 0;
}

/* Waits (briefly: the notification travels through the server) until the
 * sheet offers title (want 1) or no longer does (want 0). */
static int
offers_soon(const char *title, int want)
{
	int tries;

	for (tries = 0; tries < 50; tries++) {
		if (offers(title) == want)
			return 1;
		th_sh("sleep 0.02");
	}
	return 0;
}

static struct db_stmt st_canned_add = DB_STMT("t_ts_canned_add",
    "INSERT INTO canned_responses (title, body, team_id)"
    " VALUES ($1, 'Hello', (SELECT id FROM teams WHERE name = $2))", 2);
static struct db_stmt st_canned_drop = DB_STMT("t_ts_canned_drop",
    "DELETE FROM canned_responses WHERE title = $1", 1);
static struct db_stmt st_join = DB_STMT("t_ts_join",
    "UPDATE staff SET team_id = (SELECT id FROM teams WHERE name = $1)"
    " WHERE email = 's1@t.test'", 1);

/* The worker keeps the canned responses; a change made elsewhere (another
 * worker, an admin's connection) shows on the next page. */
START_TEST(kept_canned_responses_follow_changes)
{
	const char *all[] = { "For everyone", NULL }, *desk[] = { "For the desk", "Desk" };
	const char *gone[] = { "For everyone" }, *join[] = { "Desk" };
	struct ticket t;
	struct ticket_sheet s;
	unsigned long first, again;

	sheet("S-BARE", &t, &s, &first);
	sheet("S-BARE", &t, &s, &again);
	ck_assert_uint_lt(again, first);	/* kept: read once */
	ck_assert(!offers("For everyone"));
	ck_assert_int_eq(db_run(&owner, &st_canned_add, all), 0);
	ck_assert_int_eq(db_run(&owner, &st_canned_add, desk), 0);
	ck_assert_msg(offers_soon("For everyone", 1), "a new response is not offered");
	/* The desk's, to the desk only: the agent joins it. */
	ck_assert(!offers("For the desk"));
	ck_assert_int_eq(db_run(&owner, &st_join, join), 0);
	ck_assert_msg(offers_soon("For the desk", 1), "the team's response is not offered");
	ck_assert_int_eq(db_run(&owner, &st_canned_drop, gone), 0);
	ck_assert_msg(offers_soon("For everyone", 0), "a deleted response is still offered");
	ck_assert(offers("For the desk"));
}
END_TEST

/* The names as the tables give them for S-NAMED, joined. */
static struct db_stmt st_names = DB_STMT("t_ts_names",
    "SELECT q.name, tm.name, s.name, coalesce(pc.name || ' › ', '') || cat.name, rc.code,"
    " ty.label FROM tickets t JOIN queues q ON q.id = t.queue_id"
    " JOIN teams tm ON tm.id = t.team_id JOIN staff s ON s.id = t.assignee_id"
    " JOIN categories cat ON cat.id = t.category_id"
    " LEFT JOIN categories pc ON pc.id = cat.parent_id"
    " JOIN resolution_codes rc ON rc.id = t.resolution_code_id"
    " JOIN ticket_types ty ON ty.code = t.type WHERE t.number = 'S-NAMED'", 0);
static struct db_stmt st_rename = DB_STMT("t_ts_rename",
    "WITH q AS (UPDATE queues SET name = 'Parcels' WHERE name = 'Deliveries'),"
    " tm AS (UPDATE teams SET name = 'Front desk' WHERE name = 'Desk'),"
    " s AS (UPDATE staff SET name = 'Agent Renamed' WHERE email = 's1@t.test'),"
    " c AS (UPDATE categories SET name = 'Shop orders' WHERE name = 'Orders'),"
    " rc AS (UPDATE resolution_codes SET code = 'resent' WHERE code = 'shipped_again')"
    " UPDATE ticket_types SET label = 'Grievance' WHERE code = 'complaint'", 0);

/* Whether t's names are the joined ones of st_names. */
static int
names_match(const struct ticket *t)
{
	PGresult *r = db_exec(&owner, &st_names, NULL);
	int same;

	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(PQntuples(r), 1);
	same = strcmp(t->queue, PQgetvalue(r, 0, 0)) == 0 &&
	    strcmp(t->team, PQgetvalue(r, 0, 1)) == 0 &&
	    strcmp(t->assignee, PQgetvalue(r, 0, 2)) == 0 &&
	    strcmp(t->category, PQgetvalue(r, 0, 3)) == 0 &&
	    strcmp(t->resolution_code, PQgetvalue(r, 0, 4)) == 0 &&
	    strcmp(t->type_label, PQgetvalue(r, 0, 5)) == 0;
	PQclear(r);
	return same;
}

/* t's names are these: queue, team, assignee, category, resolution code, type label. */
static void
expect_names(const struct ticket *t, const char *const want[6])
{
	ck_assert_str_eq(t->queue, want[0]);
	ck_assert_str_eq(t->team, want[1]);
	ck_assert_str_eq(t->assignee, want[2]);
	ck_assert_str_eq(t->category, want[3]);
	ck_assert_str_eq(t->resolution_code, want[4]);
	ck_assert_str_eq(t->type_label, want[5]);
}

/* The page names the ticket's queue, team, assignee, category (with its
 * parent, inactive as it is), resolution code and type from the kept
 * lists; a rename made elsewhere shows on a next page; the agent's API
 * read (ticket_get) names them the same way; a ticket without them shows
 * none. */
START_TEST(names_come_from_kept_lists_and_follow_renames)
{
	const struct ticket_actor_ref by = { .kind = TA_STAFF };
	const char *const before[6] = { "Deliveries", "Desk", "Agent One", "Orders › Late",
		"shipped_again", "Complaint" };
	const char *const after[6] = { "Parcels", "Front desk", "Agent Renamed",
		"Shop orders › Late", "resent", "Grievance" };
	const char *const none[6] = { "", "", "", "", "", "Question" };
	struct ticket t, got;
	struct ticket_sheet s;
	unsigned long n;
	int tries;

	sheet("S-NAMED", &t, &s, &n);
	expect_names(&t, before);
	ck_assert(names_match(&t));
	ck_assert_int_eq(db_run(&owner, &st_rename, NULL), 0);
	for (tries = 0; tries < 50; tries++) {
		sheet("S-NAMED", &t, &s, &n);
		if (strcmp(t.queue, "Parcels") == 0)
			break;
		th_sh("sleep 0.02");
	}
	expect_names(&t, after);
	ck_assert(names_match(&t));
	ck_assert_int_eq(ticket_get(&console, arena, &by, "S-NAMED", &got), CS_OK);
	ck_assert(names_match(&got));
	sheet("S-BARE", &t, &s, &n);
	expect_names(&t, none);
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
	tcase_add_test(tc, kept_canned_responses_follow_changes);
	tcase_add_test(tc, open_reads_ticket_and_panels_in_one_trip);
	tcase_add_test(tc, names_come_from_kept_lists_and_follow_renames);
	suite_add_tcase(s, tc);
	return s;
}
