/*
 * The ticket page's customer figures (open and total tickets, products
 * with their serials, tickets and latest creation), kept by the tickets'
 * triggers in customer_ticket_figures (056): after every kind of change
 * they are what counting the customer's tickets gives, folded or not;
 * creations for one customer from many connections lose no count and do
 * not wait for each other.
 */
#include "../lib/console_suite.h"
#include "../lib/harness.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/collab_panel.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

enum { RACERS = 8, EACH = 25 };

static char *conninfo, *as_console;
static struct db owner, console;
static struct arena *arena;

static const char fixture[] =
    "INSERT INTO customers (name) VALUES ('Gamma Ltd'), ('Delta Ltd'), ('Rush Ltd');"
    "INSERT INTO products (sku, name) VALUES ('K-1', 'Kettle'), ('T-1', 'Toaster');"
    "INSERT INTO staff (email, name, password_hash, roles) VALUES"
    " ('f1@t.test', 'Agent One', 'x', ARRAY['agent']);"
    "INSERT INTO tickets (number, customer_id, channel, subject, description, status,"
    " product_id, serial, created_at)"
    " SELECT v.n, c.id, 'phone', v.n, 'd', v.st, p.id, v.sn, v.at::timestamptz FROM (VALUES"
    " ('G-1', 'Gamma Ltd', 'new', 'K-1', 'S-1', '2026-01-10 12:00+00'),"
    " ('G-2', 'Gamma Ltd', 'in_progress', 'K-1', 'S-2', '2026-02-10 12:00+00'),"
    " ('G-3', 'Gamma Ltd', 'resolved', 'T-1', NULL, '2026-03-10 12:00+00'),"
    " ('G-4', 'Gamma Ltd', 'new', NULL, NULL, '2026-04-10 12:00+00'),"
    " ('D-1', 'Delta Ltd', 'new', NULL, NULL, '2026-01-01 12:00+00'))"
    " AS v (n, c, st, sku, sn, at) JOIN customers c ON c.name = v.c"
    " LEFT JOIN products p ON p.sku = v.sku;";

static struct db_stmt st_id = DB_STMT("t_cf_id",
    "SELECT coalesce((SELECT id FROM tickets WHERE number = $1),"
    " (SELECT id FROM staff WHERE email = $1), (SELECT id FROM customers WHERE name = $1))", 1);
/* The figures as counted from the tickets, and as kept: "open/total sku:serial=n@day;...". */
#define FIGURES(FROM) \
	"SELECT (SELECT coalesce(sum(open), 0) || '/' || coalesce(sum(total), 0) FROM " FROM ") ||" \
	" coalesce((SELECT ' ' || string_agg(p.sku || ':' || coalesce(g.serial, '-') || '=' ||" \
	" g.total || '@' || to_char(g.latest AT TIME ZONE 'UTC', 'MM-DD'), ';'" \
	" ORDER BY p.sku, g.serial) FROM (SELECT product_id, serial, sum(total) AS total," \
	" max(latest) AS latest FROM " FROM " WHERE product_id IS NOT NULL" \
	" GROUP BY 1, 2 HAVING sum(total) > 0) g JOIN products p ON p.id = g.product_id), '')"
static struct db_stmt st_counted = DB_STMT("t_cf_counted", FIGURES(
    "(SELECT ticket_is_open(status::text)::integer AS open, 1 AS total, product_id,"
    " CASE WHEN product_id IS NOT NULL THEN serial END AS serial, created_at AS latest"
    " FROM tickets WHERE customer_id = (SELECT id FROM customers WHERE name = $1)) f"), 1);
static struct db_stmt st_kept = DB_STMT("t_cf_kept", FIGURES(
    "(SELECT * FROM customer_ticket_figures"
    " WHERE customer_id = (SELECT id FROM customers WHERE name = $1)) f"), 1);
static struct db_stmt st_rows = DB_STMT("t_cf_rows",
    "SELECT count(*) || ' rows, ' || count(*) FILTER (WHERE pending) || ' pending'"
    " FROM customer_ticket_figures WHERE customer_id = (SELECT id FROM customers WHERE name = $1)",
    1);
static struct db_stmt st_fold = DB_STMT("t_cf_fold",
    "SELECT customer_figures_roll_up(500)", 0);
static struct db_stmt st_status = DB_STMT("t_cf_status",
    "UPDATE tickets SET status = $2::ticket_status WHERE number = $1", 2);
static struct db_stmt st_move = DB_STMT("t_cf_move",
    "UPDATE tickets SET customer_id = (SELECT id FROM customers WHERE name = $2)"
    " WHERE number = $1", 2);
static struct db_stmt st_product = DB_STMT("t_cf_product",
    "UPDATE tickets SET product_id = (SELECT id FROM products WHERE sku = $2), serial = $3"
    " WHERE number = $1", 3);
static struct db_stmt st_delete = DB_STMT("t_cf_delete",
    "DELETE FROM tickets WHERE number = $1", 1);
static struct db_stmt st_merge = DB_STMT("t_cf_merge",
    "SELECT ticket_merge((SELECT id FROM tickets WHERE number = $1),"
    " (SELECT id FROM tickets WHERE number = $2), (SELECT id FROM staff WHERE email = $3))", 3);
static struct db_stmt st_create = DB_STMT("t_cf_create",
    "INSERT INTO tickets (customer_id, channel, subject, description, product_id, serial)"
    " SELECT c.id, 'api', 'rush', 'd', p.id, 'R-' || $1 FROM customers c, products p"
    " WHERE c.name = 'Rush Ltd' AND p.sku = 'K-1'", 1);
static struct db_stmt st_no_wait = DB_STMT("t_cf_no_wait",
    "SELECT set_config('lock_timeout', '2s', false)", 0);

static char *
text(struct db *d, struct db_stmt *st, const char *const *p)
{
	PGresult *r = db_exec(d, st, p);
	char *v;

	ck_assert_msg(r != NULL, "%s failed", st->name);
	v = strdup(PQntuples(r) > 0 && !PQgetisnull(r, 0, 0) ? PQgetvalue(r, 0, 0) : "");
	PQclear(r);
	return v;
}

/* The customer's kept figures are the counted ones, and are want. */
static void
figures_are(const char *customer, const char *want)
{
	const char *p[] = { customer };
	char *counted = text(&owner, &st_counted, p), *kept = text(&owner, &st_kept, p);

	ck_assert_msg(strcmp(kept, counted) == 0, "%s: kept \"%s\", counted \"%s\"", customer,
	    kept, counted);
	ck_assert_msg(strcmp(kept, want) == 0, "%s: \"%s\", want \"%s\"", customer, kept, want);
	free(counted);
	free(kept);
}

static void
run(struct db_stmt *st, const char *a, const char *b, const char *c)
{
	const char *p[] = { a, b, c };

	ck_assert_msg(db_run(&owner, st, p) == 0, "%s failed", st->name);
}

static long long
id_of(const char *name)
{
	const char *p[] = { name };
	char *v = text(&owner, &st_id, p);
	long long id = atoll(v);

	free(v);
	return id;
}

static void
setup_db(void)
{
	console_suite_create("customer_figures", fixture, &conninfo, &as_console);
}

static void
teardown_db(void)
{
	console_suite_drop(conninfo, as_console);
}

static void
setup(void)
{
	console_suite_open("cf", conninfo, as_console, &owner, &console, &arena);
}

static void
teardown(void)
{
	console_suite_close(&owner, &console, arena);
}

START_TEST(every_change_keeps_the_figures)
{
	struct collab_panel pn;
	char *rows;
	const char *gamma[] = { "Gamma Ltd" };

	/* Creation. */
	figures_are("Gamma Ltd", "3/4 K-1:S-1=1@01-10;K-1:S-2=1@02-10;T-1:-=1@03-10");
	/* What the agent sees, read as the console. */
	ck_assert_int_eq(collab_panel(&console, arena, "G-1", id_of("f1@t.test"), &pn), CS_OK);
	ck_assert_int_eq(pn.customer.tickets, 4);
	ck_assert_int_eq(pn.customer.open_tickets, 3);
	ck_assert_uint_eq(pn.customer.nproducts, 2);
	ck_assert_str_eq(pn.customer.products[0].name, "Toaster");
	ck_assert_str_eq(pn.customer.products[1].name, "Kettle");
	ck_assert_str_eq(pn.customer.products[1].serials, "S-1, S-2");
	ck_assert_int_eq(pn.customer.products[1].tickets, 2);
	ck_assert_str_eq(pn.customer.products[1].last, "2026-02-10");
	/* Status changes: resolved, then reopened; closed stays closed. */
	run(&st_status, "G-2", "resolved", NULL);
	figures_are("Gamma Ltd", "2/4 K-1:S-1=1@01-10;K-1:S-2=1@02-10;T-1:-=1@03-10");
	run(&st_status, "G-2", "in_progress", NULL);
	run(&st_status, "G-3", "closed", NULL);
	figures_are("Gamma Ltd", "3/4 K-1:S-1=1@01-10;K-1:S-2=1@02-10;T-1:-=1@03-10");
	/* A merge cancels the source. */
	run(&st_merge, "G-4", "G-1", "f1@t.test");
	figures_are("Gamma Ltd", "2/4 K-1:S-1=1@01-10;K-1:S-2=1@02-10;T-1:-=1@03-10");
	/* Product and serial changes: the latest creation goes back with them. */
	run(&st_product, "G-2", "K-1", "S-1");
	figures_are("Gamma Ltd", "2/4 K-1:S-1=2@02-10;T-1:-=1@03-10");
	run(&st_product, "G-2", "T-1", "S-9");
	figures_are("Gamma Ltd", "2/4 K-1:S-1=1@01-10;T-1:S-9=1@02-10;T-1:-=1@03-10");
	run(&st_product, "G-3", NULL, NULL);
	figures_are("Gamma Ltd", "2/4 K-1:S-1=1@01-10;T-1:S-9=1@02-10");
	/* Another customer: the ticket leaves one and joins the other. */
	run(&st_move, "G-2", "Delta Ltd", NULL);
	figures_are("Gamma Ltd", "1/3 K-1:S-1=1@01-10");
	figures_are("Delta Ltd", "2/2 T-1:S-9=1@02-10");
	/* Deletion, with and without a product. */
	run(&st_delete, "G-1", NULL, NULL);
	run(&st_delete, "D-1", NULL, NULL);
	figures_are("Gamma Ltd", "0/2");
	figures_are("Delta Ltd", "1/1 T-1:S-9=1@02-10");
	/* The fold leaves the figures and one row per group. */
	rows = text(&owner, &st_rows, gamma);
	ck_assert_str_ne(rows, "1 rows, 0 pending");
	free(rows);
	ck_assert_int_eq(db_run(&owner, &st_fold, NULL), 0);
	figures_are("Gamma Ltd", "0/2");
	figures_are("Delta Ltd", "1/1 T-1:S-9=1@02-10");
	rows = text(&owner, &st_rows, gamma);
	ck_assert_str_eq(rows, "1 rows, 0 pending");
	free(rows);
	/* A change after the fold adds to it. */
	run(&st_move, "G-2", "Gamma Ltd", NULL);
	figures_are("Gamma Ltd", "1/3 T-1:S-9=1@02-10");
}
END_TEST

/* One racer: its own connection, EACH creations, each committed alone. */
static void
racer(int i)
{
	struct db d;
	char n[16];
	const char *p[] = { n };
	int k;

	if (db_open(&d, conninfo, "t-cf-racer") != 0)
		_exit(1);
	for (k = 0; k < EACH; k++) {
		snprintf(n, sizeof(n), "%d", (i * EACH + k) % 3);
		if (db_run(&d, &st_create, p) != 0)
			_exit(2);
	}
	db_close(&d);
	_exit(0);
}

START_TEST(concurrent_creations_lose_nothing_and_do_not_wait)
{
	pid_t pids[RACERS];
	struct db other;
	char want[128];
	const char *zero[] = { "0" };
	int i, status;

	/* A creation left uncommitted does not hold up another for the same
	 * customer and product: with a lock timeout, a wait would fail. */
	ck_assert_int_eq(db_open(&other, conninfo, "t-cf-other"), 0);
	ck_assert_int_eq(db_run(&other, &st_no_wait, NULL), 0);
	ck_assert_int_eq(db_begin(&owner), 0);
	ck_assert_int_eq(db_run(&owner, &st_create, zero), 0);
	ck_assert_int_eq(db_run(&other, &st_create, zero), 0);
	db_rollback(&owner);
	db_close(&other);
	for (i = 0; i < RACERS; i++) {
		pids[i] = fork();
		ck_assert_int_ge(pids[i], 0);
		if (pids[i] == 0)
			racer(i);
	}
	for (i = 0; i < RACERS; i++) {
		ck_assert_int_eq(waitpid(pids[i], &status, 0), pids[i]);
		ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "racer %d failed", i);
	}
	/* 1 + RACERS * EACH tickets over serials, all of today. */
	snprintf(want, sizeof(want), "%d/%d", 1 + RACERS * EACH, 1 + RACERS * EACH);
	{
		const char *p[] = { "Rush Ltd" };
		char *kept = text(&owner, &st_kept, p), *counted = text(&owner, &st_counted, p);

		ck_assert_msg(strncmp(kept, want, strlen(want)) == 0 && kept[strlen(want)] == ' ',
		    "kept \"%s\", want %s", kept, want);
		ck_assert_str_eq(kept, counted);
		free(kept);
		free(counted);
	}
}
END_TEST

Suite *customer_figures_suite(void);

Suite *
customer_figures_suite(void)
{
	Suite *s = suite_create("customer_figures");
	TCase *tc = tcase_create("customer_figures");

	tcase_add_unchecked_fixture(tc, setup_db, teardown_db);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, every_change_keeps_the_figures);
	tcase_add_test(tc, concurrent_creations_lose_nothing_and_do_not_wait);
	suite_add_tcase(s, tc);
	return s;
}
