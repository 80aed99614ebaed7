/*
 * The list reports: top customers by tickets opened, repeat issues (the
 * same customer about the same product and category), KB effectiveness
 * week by week, field service by technician, warranty claims by product;
 * each over a range of days, refused with a sentence for bad dates, and
 * the same cells in the CSV, the XLSX (unzipped) and the PDF (pdftotext).
 */
#include "../lib/harness.h"
#include "../lib/sql.h"
#include "core/arena.h"
#include "core/buf.h"
#include "db/db.h"
#include "domain/report_lists.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *conninfo;
static struct db db;
static struct arena *arena;

/*
 * Acme opens three tickets about the same printer and category and one
 * more; Bravo one. Ty, a technician, had three visits: one completed and
 * signed after arriving in the window, one cancelled, one booked. Five
 * searches, two of them new-ticket forms with suggestions, one deflected.
 * All today.
 */
static void
suite_setup(void)
{
	struct db d;

	conninfo = th_db_create("report_lists");
	ck_assert_int_eq(db_open(&d, conninfo, "check_report_lists_setup"), 0);
	ck_assert_int_eq(db_script(&d,
	    "INSERT INTO customers (name, tier) VALUES ('Acme', 'vip'), ('Bravo', 'standard');"
	    "INSERT INTO products (sku, name) VALUES ('P-1', 'Printer One');"
	    "INSERT INTO categories (name) VALUES ('Paper jam');"
	    "INSERT INTO tickets (customer_id, channel, subject, description, priority, status,"
	    " product_id, category_id, reopen_count)"
	    " SELECT c.id, 'email', 'Jam ' || g, '-', CASE g WHEN 1 THEN 'urgent' ELSE 'medium' END,"
	    " CASE g WHEN 3 THEN 'resolved' ELSE 'new' END, p.id, k.id, CASE g WHEN 2 THEN 1 ELSE 0 END"
	    " FROM customers c, products p, categories k, generate_series(1, 3) g"
	    " WHERE c.name = 'Acme';"
	    "INSERT INTO tickets (customer_id, channel, subject, description, status)"
	    " SELECT id, 'phone', 'Other', '-', 'closed' FROM customers;"
	    "INSERT INTO staff (email, name, password_hash, roles)"
	    " VALUES ('ty@t.test', 'Ty Tech', 'x', ARRAY['technician']);"
	    "INSERT INTO technicians (staff_id) SELECT id FROM staff;"
	    "INSERT INTO appointments (ticket_id, customer_id, technician_id, starts_at, ends_at,"
	    " busy, status, checkin_at, checkout_at, labour_min, travel_min, completed_at,"
	    " signature_sha256)"
	    " SELECT t.id, t.customer_id, s.id, d + (g * 3 || ' hours')::interval,"
	    " d + (g * 3 + 1 || ' hours')::interval,"
	    " tstzrange(d + (g * 3 || ' hours')::interval, d + (g * 3 + 1 || ' hours')::interval),"
	    " (ARRAY['completed', 'cancelled', 'booked'])[g],"
	    " CASE g WHEN 1 THEN d + interval '3 hours 10 minutes' END,"
	    " CASE g WHEN 1 THEN d + interval '3 hours 50 minutes' END,"
	    " CASE g WHEN 1 THEN 40 END, CASE g WHEN 1 THEN 25 END,"
	    " CASE g WHEN 1 THEN d + interval '3 hours 55 minutes' END,"
	    " CASE g WHEN 1 THEN repeat('ab', 32) END"
	    " FROM (SELECT min(id) AS id, min(customer_id) AS customer_id FROM tickets) t,"
	    " staff s, date_trunc('day', now()) d, generate_series(1, 3) g;"
	    "INSERT INTO kb_searches (token, source, query, result_count, opened, ticket_id)"
	    " SELECT md5(g::text), (ARRAY['portal', 'portal', 'ticket_form', 'ticket_form',"
	    " 'console'])[g], 'printer jam', CASE g WHEN 2 THEN 0 ELSE 3 END, g IN (3, 4),"
	    " CASE WHEN g = 4 THEN (SELECT min(id) FROM tickets) END"
	    " FROM generate_series(1, 5) g;", "fixture"), 0);
	db_close(&d);
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
	ck_assert_int_eq(db_open(&db, conninfo, "check_report_lists"), 0);
	arena = arena_new(1 << 16);
}

static void
teardown(void)
{
	db_close(&db);
	arena_free(arena);
}

/* List l over today only (UTC). */
static struct report_grid
run(enum report_list l)
{
	struct report_grid g;
	const char *from, *to, *why = NULL;

	ck_assert_int_eq(report_list_run(&db, arena, "UTC", l, "", "", &g, &from, &to, &why),
	    CS_OK);
	return g;
}

/* Row i of g, its cells joined by '|' ("–" for not measured), in the arena. */
static const char *
line(const struct report_grid *g, size_t i)
{
	struct buf b;
	size_t c;

	ck_assert_uint_lt(i, g->nrows);
	buf_init(&b, arena);
	for (c = 0; c < g->ncols; c++) {
		const char *v = g->cells[i * g->ncols + c];

		if (c > 0)
			buf_addch(&b, '|');
		buf_addstr(&b, v != NULL ? v : "–");
	}
	buf_addch(&b, '\0');
	return b.buf;
}

START_TEST(top_customers_and_repeat_issues)
{
	struct report_grid g = run(RL_TOP_CUSTOMERS);

	ck_assert_uint_eq(g.nrows, 2);
	/* Acme: 4 tickets, 2 open, 1 reopened, 1 urgent. */
	ck_assert_str_eq(line(&g, 0), "Acme|vip|4|2|1|1");
	ck_assert_str_eq(line(&g, 1), "Bravo|standard|1|0|0|0");
	g = run(RL_REPEAT_ISSUES);
	ck_assert_uint_eq(g.nrows, 1);
	ck_assert_ptr_nonnull(strstr(line(&g, 0), "Acme|Printer One|Paper jam|3|"));
}
END_TEST

START_TEST(kb_effectiveness_and_field_service)
{
	struct report_grid g = run(RL_KB);

	/* The total, then this week: 4 searches (not the console's), 1 without results,
	 * 2 forms with suggestions, both opened, 1 deflected: 50 %. */
	ck_assert_uint_eq(g.nrows, 2);
	ck_assert_str_eq(line(&g, 0), "Total|4|1|2|2|1|50.0");
	ck_assert_ptr_nonnull(strstr(line(&g, 1), "|4|1|2|2|1|50.0"));
	g = run(RL_FIELD);
	ck_assert_uint_eq(g.nrows, 1);
	/* 3 visits, 1 completed, 1 cancelled, arrived in the window 1 of 1, signed 1 of 1. */
	ck_assert_str_eq(line(&g, 0), "Ty Tech|3|1|1|100.0|40.0|25.0|100.0");
	g = run(RL_WARRANTY);
	ck_assert_uint_eq(g.ncols, 8);
	ck_assert_uint_eq(g.nrows, 0);
}
END_TEST

START_TEST(bad_dates_are_refused_with_a_sentence)
{
	struct report_grid g;
	const char *from, *to, *why = NULL;

	ck_assert_int_eq(report_list_run(&db, arena, "UTC", RL_TOP_CUSTOMERS, "2026-02-30", "",
	    &g, &from, &to, &why), CS_REFUSED);
	ck_assert_ptr_nonnull(strstr(why, "YYYY-MM-DD"));
	ck_assert_int_eq(report_list_run(&db, arena, "UTC", RL_TOP_CUSTOMERS, "2026-03-02",
	    "2026-03-01", &g, &from, &to, &why), CS_REFUSED);
	ck_assert_int_eq(report_list_run(&db, arena, "UTC", RL__MAX, "", "", &g, &from, &to,
	    &why), CS_REFUSED);
}
END_TEST

/* g in format f written to dir/name. */
static void
write_export(const struct report_grid *g, enum report_format f, const char *dir,
    const char *name)
{
	char path[300];
	struct buf b;
	FILE *out;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	buf_init(&b, arena);
	ck_assert_int_eq(report_grid_export(g, f, &b), CS_OK);
	ck_assert_ptr_nonnull(out = fopen(path, "wb"));
	ck_assert_uint_eq(fwrite(b.buf, 1, b.len, out), b.len);
	fclose(out);
}

START_TEST(the_csv_xlsx_and_pdf_hold_the_pages_cells)
{
	struct report_grid g = run(RL_FIELD);
	char dir[] = "/tmp/csdesk-lists-XXXXXX", cmd[600];
	char *csv, *xml, *strings, *pdf;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	write_export(&g, RF_CSV, dir, "r.csv");
	write_export(&g, RF_XLSX, dir, "r.xlsx");
	write_export(&g, RF_PDF, dir, "r.pdf");
	snprintf(cmd, sizeof(cmd), "cat '%s/r.csv'", dir);
	csv = th_output(cmd);
	ck_assert_str_eq(csv, "Technician,Visits,Completed,Cancelled,Arrived in the window (%),"
	    "\"Labour (min, mean)\",\"Travel (min, mean)\",Signed (%)\r\n"
	    "Ty Tech,3,1,1,100.0,40.0,25.0,100.0\r\n");
	snprintf(cmd, sizeof(cmd), "unzip -p '%s/r.xlsx' xl/worksheets/sheet1.xml", dir);
	xml = th_output(cmd);
	ck_assert_msg(strstr(xml, "<v>3</v>") != NULL && strstr(xml, "<v>100</v>") != NULL &&
	    strstr(xml, "<v>40</v>") != NULL && strstr(xml, "<v>25</v>") != NULL, "%s", xml);
	snprintf(cmd, sizeof(cmd), "unzip -p '%s/r.xlsx' xl/sharedStrings.xml", dir);
	strings = th_output(cmd);
	ck_assert_ptr_nonnull(strstr(strings, "Ty Tech"));
	snprintf(cmd, sizeof(cmd), "pdftotext -layout '%s/r.pdf' - && rm -r '%s'", dir, dir);
	pdf = th_output(cmd);
	ck_assert_msg(strstr(pdf, "Field service performance") != NULL, "%s", pdf);
	ck_assert_msg(strstr(pdf, "Ty Tech") != NULL && strstr(pdf, "100.0") != NULL &&
	    strstr(pdf, "40.0") != NULL && strstr(pdf, "25.0") != NULL, "%s", pdf);
	free(csv);
	free(xml);
	free(strings);
	free(pdf);
}
END_TEST

Suite *report_lists_suite(void);

Suite *
report_lists_suite(void)
{
	Suite *s = suite_create("report_lists");
	TCase *tc = tcase_create("lists");

	tcase_add_unchecked_fixture(tc, suite_setup, suite_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, top_customers_and_repeat_issues);
	tcase_add_test(tc, kb_effectiveness_and_field_service);
	tcase_add_test(tc, bad_dates_are_refused_with_a_sentence);
	tcase_add_test(tc, the_csv_xlsx_and_pdf_hold_the_pages_cells);
	suite_add_tcase(s, tc);
	return s;
}
