/*
 * Returns' data around the flow: a return opened from a ticket is its
 * requester's and linked to it (and refused for someone of another
 * account, or a ticket that does not exist); the report sums money by
 * product and disposition and refuses a period backwards; `csdesk gen
 * --returns` adds returns the queue reads; the demo has one return in
 * every state, with consistent money, and loads twice without doubling.
 */
#include "returns_fx.h"
#include "../lib/dispatch.h"
#include "../lib/harness.h"
#include "../lib/sql.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/returns.h"
#include "domain/returns_report.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
suite_setup(void)
{
	rt_suite_setup("returns_data");
}

START_TEST(a_return_from_a_ticket_is_its_requester_s_and_linked)
{
	struct return_line_input l = rt_line(rt_kettle, 1, "SO-T", rt_recent, "40", "defective");
	struct return_request in = { 0 };
	const char *number = NULL, *why = NULL, *field = NULL;
	struct return_sheet s;
	char *ticket;
	int bad = 0;

	ticket = th_valuef(&rt_owner, "INSERT INTO tickets (customer_id, requester_id, channel, subject,"
	    " description) VALUES (%lld, %lld, 'phone', 'Kettle leaks', '-') RETURNING number",
	    rt_ann.customer_id, rt_ann.id);
	in.lines = &l;
	in.nlines = 1;
	in.ticket_number = ticket;
	ck_assert_msg(returns_request(&rt_owner, rt_arena, &rt_alex, &in, &number, &why, &bad, &field) ==
	    CS_OK, "%s", why ? why : "");
	s = rt_sheet(number);
	ck_assert_str_eq(s.ticket, ticket);
	ck_assert_str_eq(s.requester_email, "ann@rt.test");
	/* Someone of another account cannot be given a return from Ann's ticket. */
	in.requester_email = "eve@rt.test";
	ck_assert_int_eq(returns_request(&rt_owner, rt_arena, &rt_alex, &in, &number, &why, &bad, &field),
	    CS_REFUSED);
	ck_assert_str_eq(field, "requester");
	in.requester_email = NULL;
	in.ticket_number = "TKT-999999";
	ck_assert_int_eq(returns_request(&rt_owner, rt_arena, &rt_alex, &in, &number, &why, &bad, &field),
	    CS_REFUSED);
	ck_assert_str_eq(field, "ticket");
	free(ticket);
}
END_TEST

/* The row called label in rep, or NULL. */
static const struct return_report_row *
report_row(const struct return_report *rep, const char *label)
{
	size_t i;

	for (i = 0; i < rep->n; i++)
		if (strcmp(rep->rows[i].label, label) == 0)
			return &rep->rows[i];
	return NULL;
}

START_TEST(the_report_sums_money_by_product_and_disposition)
{
	struct return_line_input l;
	static const char *const good[] = { "ok" }, *const disp[] = { "return_to_vendor" };
	static const char *const refund[] = { "refund" };
	const struct return_report_row *x;
	struct return_report rep;
	const char *number, *why = NULL;
	char *today;
	long long gadget;

	free(th_value(&rt_owner, "INSERT INTO products (sku, name) VALUES ('RP-1', 'Report gadget')"
	    " RETURNING ''"));
	gadget = rt_value_ll("SELECT id FROM products WHERE sku = '%s'", "RP-1");
	l = rt_line(gadget, 1, "SO-R", rt_recent, "80", "not_needed");
	number = rt_ask(&l, 1);
	rt_to_received(number, 1);
	ck_assert_int_eq(returns_inspect(&rt_owner, rt_arena, &rt_will, number, rt_units(number, 0, good), 1,
	    NULL, 0, &why), CS_OK);
	ck_assert_int_eq(returns_disposition(&rt_owner, rt_arena, &rt_will, number, rt_units(number, 1, disp),
	    1, &why), CS_OK);
	ck_assert_int_eq(returns_settle(&rt_owner, rt_arena, &rt_sue, number, rt_units(number, 2, refund), 1,
	    0, &why), CS_OK);
	today = th_value(&rt_owner, "SELECT to_char((now() AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD')");
	ck_assert_int_eq(returns_report(&rt_owner, rt_arena, "2020-01-01", today, RR_PRODUCT, &rep,
	    &why), CS_OK);
	ck_assert_ptr_nonnull(x = report_row(&rep, "Report gadget"));
	ck_assert_int_eq(x->returns, 1);
	ck_assert_str_eq(x->refund, "68.00");
	ck_assert_str_eq(x->fee, "12.00");
	ck_assert_int_eq(returns_report(&rt_owner, rt_arena, "2020-01-01", today, RR_DISPOSITION, &rep,
	    &why), CS_OK);
	ck_assert_ptr_nonnull(x = report_row(&rep, "Return to vendor"));
	ck_assert_str_eq(x->refund, "68.00");
	ck_assert_int_eq(returns_report(&rt_owner, rt_arena, today, "2020-01-01", RR_REASON, &rep, &why),
	    CS_REFUSED);
	free(today);
}
END_TEST

START_TEST(gen_adds_returns_the_queue_reads)
{
	struct return_filter f = { "refunded", 0 };
	struct return_row *rows;
	size_t n;
	long long next, before = rt_value_ll("SELECT count(*) FROM returns");

	ck_assert_int_eq(th_sh("CSDESK_DB='%s' '%s/csdesk' gen --returns 300 > /dev/null 2>&1",
	    rt_conninfo, th_build_dir()), 0);
	ck_assert_int_eq(rt_value_ll("SELECT count(*) FROM returns"), before + 300);
	ck_assert_int_eq(rt_value_ll("SELECT count(*) FROM returns r WHERE NOT EXISTS (SELECT 1"
	    " FROM return_lines l WHERE l.return_id = r.id)"), 0);
	ck_assert_int_eq(returns_list(&rt_owner, rt_arena, &rt_sue, &f, &rows, &n, &next), CS_OK);
	ck_assert_uint_gt(n, 0);
	ck_assert_str_eq(rows[0].state, "refunded");
}
END_TEST

/* The demo, on a database of its own, twice: one return per state, consistent money. */
START_TEST(the_demo_has_a_return_in_every_state)
{
	char *demo = th_db_create("returns_demo"), *s;
	struct db d;
	int i;

	for (i = 0; i < 2; i++)
		ck_assert_int_eq(th_sh("CSDESK_DB='%s' CSDESK_DATADIR='%s' '%s/csdesk' demo"
		    " > /dev/null", demo, th_datadir(), th_build_dir()), 0);
	ck_assert_int_eq(db_open(&d, demo, "check_returns_demo"), 0);
	s = th_value(&d, "SELECT count(DISTINCT r.state) || ' ' || count(*) FROM returns r");
	ck_assert_str_eq(s, "12 12");
	free(s);
	/* 80 not needed, 10 % from the first day: 72 back. */
	s = th_value(&d, "SELECT r.refund_total || ' ' || r.fee_total FROM returns r"
	    " JOIN return_lines l ON l.return_id = r.id WHERE r.state = 'refunded'");
	ck_assert_str_eq(s, "72.00 8.00");
	free(s);
	s = th_value(&d, "SELECT count(*) FROM return_lines l JOIN returns r ON r.id = l.return_id"
	    " WHERE l.window_until < r.created_at::date OR l.received > l.quantity");
	ck_assert_str_eq(s, "0");
	free(s);
	db_close(&d);
	th_db_drop(demo);
	free(demo);
}
END_TEST

Suite *returns_data_suite(void);

Suite *
returns_data_suite(void)
{
	Suite *s = suite_create("returns_data");
	TCase *tc = tcase_create("returns_data");

	tcase_add_unchecked_fixture(tc, suite_setup, rt_suite_teardown);
	tcase_add_checked_fixture(tc, rt_setup, rt_teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, a_return_from_a_ticket_is_its_requester_s_and_linked);
	tcase_add_test(tc, the_report_sums_money_by_product_and_disposition);
	tcase_add_test(tc, gen_adds_returns_the_queue_reads);
	tcase_add_test(tc, the_demo_has_a_return_in_every_state);
	suite_add_tcase(s, tc);
	return s;
}
