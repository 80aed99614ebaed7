/*
 * Returns (RMA) through the domain's use cases: a request outside its
 * category's window is refused with the last day; one return over two
 * orders keeps each line's order; a 15 % restocking fee on 80 refunds 68;
 * a fee larger than the money is refused (and goes when waived); 1 of 3
 * units scrapped and given nothing while 2 are refunded; no more units
 * received (so refunded) than were asked for; a small return approves
 * itself; steps refused to the wrong role or state; another customer's
 * return is not found, also under the portal's row-level security; and
 * every step writes its event once and the customer's mail once.
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
	rt_suite_setup("returns");
}

START_TEST(a_request_outside_the_window_is_refused_with_the_last_day)
{
	struct return_line_input l = rt_line(rt_kettle, 1, "SO-1", rt_long_ago, "40", "defective");
	struct return_request in = { 0 };
	const char *number = NULL, *why = NULL, *field = NULL;
	int bad = 0;

	in.lines = &l;
	in.nlines = 1;
	ck_assert_int_eq(returns_request(&rt_owner, rt_arena, &rt_ann, &in, &number, &why, &bad, &field),
	    CS_REFUSED);
	ck_assert_ptr_nonnull(strstr(why, "outside the return window for Kettles"));
	ck_assert_ptr_nonnull(strstr(why, "could be returned until"));
	ck_assert_str_eq(field, "delivered_on");
	ck_assert_int_eq(bad, 1);
	ck_assert_ptr_null(number);
	ck_assert_int_eq(rt_value_ll("SELECT count(*) FROM return_lines WHERE order_ref = '%s'",
	    "SO-1"), 0);
	/* The rt_router's default window (60 days) takes the same date. */
	l.product_id = rt_router;
	ck_assert_int_eq(returns_request(&rt_owner, rt_arena, &rt_ann, &in, &number, &why, &bad, &field),
	    CS_OK);
}
END_TEST

START_TEST(bad_lines_are_refused_at_their_field)
{
	struct return_line_input l[2];
	struct return_request in = { 0 };
	const char *number, *why, *field;
	int bad;

	l[0] = rt_line(rt_kettle, 1, "SO-1", rt_recent, "40", "defective");
	l[1] = rt_line(rt_kettle, 0, "SO-1", rt_recent, "40", "defective");
	in.lines = l;
	in.nlines = 2;
	ck_assert_int_eq(returns_request(&rt_owner, rt_arena, &rt_ann, &in, &number, &why, &bad, &field),
	    CS_REFUSED);
	ck_assert_str_eq(field, "quantity");
	ck_assert_int_eq(bad, 2);
	l[1] = rt_line(rt_kettle, 1, "SO-1", rt_recent, "12,50", "defective");
	returns_request(&rt_owner, rt_arena, &rt_ann, &in, &number, &why, &bad, &field);
	ck_assert_str_eq(field, "unit_price");
	l[1] = rt_line(rt_kettle, 1, "SO-1", "2026-02-30", "40", "defective");
	returns_request(&rt_owner, rt_arena, &rt_ann, &in, &number, &why, &bad, &field);
	ck_assert_str_eq(field, "delivered_on");
	l[1] = rt_line(rt_kettle, 1, "", rt_recent, "40", "broken");
	returns_request(&rt_owner, rt_arena, &rt_ann, &in, &number, &why, &bad, &field);
	ck_assert_str_eq(field, "order_ref");
}
END_TEST

START_TEST(one_return_over_two_orders_keeps_each_line_s_order)
{
	struct return_line_input l[2];
	const char *number;
	struct return_sheet s;

	l[0] = rt_line(rt_kettle, 1, "SO-100", rt_recent, "40", "defective");
	l[1] = rt_line(rt_router, 2, "SO-200", rt_recent, "30", "wrong_item");
	number = rt_ask(l, 2);
	s = rt_sheet(number);
	ck_assert_str_eq(s.state, "requested");
	ck_assert_uint_eq(s.nlines, 2);
	ck_assert_str_eq(s.lines[0].order_ref, "SO-100");
	ck_assert_str_eq(s.lines[1].order_ref, "SO-200");
	ck_assert_str_eq(s.value, "100.00");
	/* Wrong items need no inspection; defective ones do. */
	ck_assert_int_eq(s.lines[0].needs_inspection, 1);
	ck_assert_int_eq(s.lines[1].needs_inspection, 0);
}
END_TEST

START_TEST(a_15_percent_fee_on_80_refunds_68)
{
	struct return_line_input l = rt_line(rt_kettle, 1, "SO-3", rt_recent, "80", "not_needed");
	static const char *const good[] = { "sealed" }, *const restock[] = { "restock" };
	static const char *const refund[] = { "refund" };
	const char *number = rt_ask(&l, 1), *why = NULL;
	struct return_sheet s;

	rt_to_received(number, 1);
	ck_assert_int_eq(returns_inspect(&rt_owner, rt_arena, &rt_will, number, rt_units(number, 0, good), 1,
	    NULL, 0, &why), CS_OK);
	ck_assert_int_eq(returns_disposition(&rt_owner, rt_arena, &rt_will, number,
	    rt_units(number, 1, restock), 1, &why), CS_OK);
	ck_assert_int_eq(returns_settle(&rt_owner, rt_arena, &rt_sue, number, rt_units(number, 2, refund), 1,
	    0, &why), CS_OK);
	s = rt_sheet(number);
	ck_assert_str_eq(s.state, "refunded");
	ck_assert_str_eq(s.refund_total, "68.00");
	ck_assert_str_eq(s.fee_total, "12.00");
	rt_step(&rt_alex, number, RSTEP_CLOSE);
	ck_assert_str_eq(rt_sheet(number).state, "closed");
}
END_TEST

START_TEST(a_fee_larger_than_the_credit_is_refused_unless_waived)
{
	struct return_line_input l = rt_line(rt_kettle, 1, "SO-4", rt_recent, "20", "wrong_item");
	static const char *const restock[] = { "restock" }, *const refund[] = { "refund" };
	const char *number = rt_ask(&l, 1), *why = NULL;
	struct return_sheet s;

	rt_to_received(number, 1);
	/* A wrong item needs no inspection: straight to disposition. */
	ck_assert_int_eq(returns_disposition(&rt_owner, rt_arena, &rt_will, number,
	    rt_units(number, 1, restock), 1, &why), CS_OK);
	ck_assert_int_eq(returns_settle(&rt_owner, rt_arena, &rt_sue, number, rt_units(number, 2, refund), 1,
	    0, &why), CS_REFUSED);
	ck_assert_ptr_nonnull(strstr(why, "restocking fee (25.00) is more than"));
	s = rt_sheet(number);
	ck_assert_str_eq(s.state, "dispositioned");
	ck_assert_str_eq(s.refund_total, "0.00");
	ck_assert_int_eq(returns_settle(&rt_owner, rt_arena, &rt_sue, number, rt_units(number, 2, refund), 1,
	    1, &why), CS_OK);
	ck_assert_str_eq(rt_sheet(number).refund_total, "20.00");
}
END_TEST

START_TEST(one_of_three_scrapped_and_two_refunded)
{
	struct return_line_input l = rt_line(rt_kettle, 3, "SO-5", rt_recent, "10", "defective");
	static const char *const cond[] = { "cracked", "fine", "fine" };
	static const char *const disp[] = { "scrap", "restock", "restock" };
	static const char *const out[] = { "none", "refund", "refund" };
	const char *number = rt_ask(&l, 1), *why = NULL;
	struct return_sheet s;
	int more[] = { 1 };

	rt_to_received(number, 3);
	/* Nothing past the quantity asked for. */
	ck_assert_int_eq(returns_receive(&rt_owner, rt_arena, &rt_will, number, more, 1, "", NULL, 0, &why),
	    CS_REFUSED);
	ck_assert_int_eq(returns_inspect(&rt_owner, rt_arena, &rt_will, number, rt_units(number, 0, cond), 3,
	    NULL, 0, &why), CS_OK);
	ck_assert_int_eq(returns_disposition(&rt_owner, rt_arena, &rt_will, number, rt_units(number, 1, disp),
	    3, &why), CS_OK);
	ck_assert_int_eq(returns_settle(&rt_owner, rt_arena, &rt_sue, number, rt_units(number, 2, out), 3, 0,
	    &why), CS_OK);
	s = rt_sheet(number);
	ck_assert_str_eq(s.state, "refunded");
	ck_assert_str_eq(s.refund_total, "20.00");
	ck_assert_uint_eq(s.nunits, 3);
	ck_assert_str_eq(s.units[0].disposition, "scrap");
	ck_assert_str_eq(s.units[0].outcome, "none");
}
END_TEST

START_TEST(only_units_received_are_refunded)
{
	struct return_line_input l = rt_line(rt_kettle, 3, "SO-6", rt_recent, "10", "defective");
	static const char *const cond[] = { "ok", "ok" }, *const disp[] = { "restock", "restock" };
	static const char *const out[] = { "refund", "refund" };
	const char *number = rt_ask(&l, 1), *why = NULL;
	struct return_sheet s;

	rt_to_received(number, 2);
	ck_assert_int_eq(returns_inspect(&rt_owner, rt_arena, &rt_will, number, rt_units(number, 0, cond), 2,
	    NULL, 0, &why), CS_OK);
	ck_assert_int_eq(returns_disposition(&rt_owner, rt_arena, &rt_will, number, rt_units(number, 1, disp),
	    2, &why), CS_OK);
	ck_assert_int_eq(returns_settle(&rt_owner, rt_arena, &rt_sue, number, rt_units(number, 2, out), 2, 0,
	    &why), CS_OK);
	s = rt_sheet(number);
	ck_assert_int_eq(s.lines[0].received, 2);
	ck_assert_str_eq(s.refund_total, "20.00");
}
END_TEST

START_TEST(a_small_return_approves_itself)
{
	struct return_line_input small = rt_line(rt_kettle, 1, "SO-7", rt_recent, "10", "defective");
	struct return_line_input big = rt_line(rt_kettle, 1, "SO-7", rt_recent, "20", "defective");

	ck_assert_str_eq(rt_sheet(rt_ask(&small, 1)).state, "approved");
	ck_assert_str_eq(rt_sheet(rt_ask(&big, 1)).state, "requested");
}
END_TEST

START_TEST(steps_are_refused_to_the_wrong_role_or_state)
{
	struct return_line_input l = rt_line(rt_kettle, 1, "SO-8", rt_recent, "40", "defective");
	const char *number = rt_ask(&l, 1), *why = NULL;
	int one[] = { 1 };

	ck_assert_int_eq(returns_take_step(&rt_owner, rt_arena, &rt_alex, number, RSTEP_APPROVE, "", &why),
	    CS_REFUSED);
	ck_assert_int_eq(returns_take_step(&rt_owner, rt_arena, &rt_will, number, RSTEP_APPROVE, "", &why),
	    CS_REFUSED);
	ck_assert_int_eq(returns_take_step(&rt_owner, rt_arena, &rt_ann, number, RSTEP_APPROVE, "", &why),
	    CS_REFUSED);
	/* Rejecting needs a reason the customer reads. */
	ck_assert_int_eq(returns_take_step(&rt_owner, rt_arena, &rt_sue, number, RSTEP_REJECT, "", &why),
	    CS_REFUSED);
	/* Nothing is received before the authorisation. */
	ck_assert_int_eq(returns_receive(&rt_owner, rt_arena, &rt_will, number, one, 1, "", NULL, 0, &why),
	    CS_REFUSED);
	rt_step(&rt_sue, number, RSTEP_APPROVE);
	ck_assert_int_eq(returns_take_step(&rt_owner, rt_arena, &rt_sue, number, RSTEP_APPROVE, "", &why),
	    CS_REFUSED);
	/* The customer cancels their own, before anything is received. */
	rt_step(&rt_ann, number, RSTEP_CANCEL);
	ck_assert_str_eq(rt_sheet(number).state, "cancelled");
}
END_TEST

START_TEST(another_customer_s_return_is_not_found)
{
	struct return_line_input l = rt_line(rt_kettle, 1, "SO-9", rt_recent, "40", "defective");
	const char *number = rt_ask(&l, 1), *why = NULL;
	struct return_sheet s;
	struct return_row *rows;
	struct return_filter f = { "", 0 };
	size_t n, i;
	long long next;
	char c[24];
	const char *p[] = { c };
	struct db portal;
	static struct db_stmt scope = DB_STMT("t_rt_scope",
	    "SELECT set_config('csdesk.customer_id', $1, false)", 1);

	ck_assert_int_eq(returns_get(&rt_owner, rt_arena, &rt_eve, number, &s), CS_NOT_FOUND);
	ck_assert_int_eq(returns_take_step(&rt_owner, rt_arena, &rt_eve, number, RSTEP_CANCEL, "", &why),
	    CS_NOT_FOUND);
	ck_assert_int_eq(returns_list(&rt_owner, rt_arena, &rt_eve, &f, &rows, &n, &next), CS_OK);
	for (i = 0; i < n; i++)
		ck_assert_str_ne(rows[i].number, number);
	/* Under the portal's role, row-level security says the same. */
	snprintf(c, sizeof(c), "%lld", rt_eve.customer_id);
	ck_assert_int_eq(db_open(&portal, rt_as_portal, "check_returns_portal"), 0);
	ck_assert_int_eq(db_run(&portal, &scope, p), 0);
	rt_eve.account_admin = 1;
	ck_assert_int_eq(returns_get(&portal, rt_arena, &rt_eve, number, &s), CS_NOT_FOUND);
	rt_eve.account_admin = 0;
	snprintf(c, sizeof(c), "%lld", rt_ann.customer_id);
	ck_assert_int_eq(db_run(&portal, &scope, p), 0);
	ck_assert_int_eq(returns_get(&portal, rt_arena, &rt_ann, number, &s), CS_OK);
	db_close(&portal);
	ck_assert_str_eq(rt_sheet(number).state, "requested");
}
END_TEST

START_TEST(every_step_writes_its_event_and_its_mail_once)
{
	struct return_line_input l = rt_line(rt_router, 1, "SO-10", rt_recent, "40", "wrong_item");
	static const char *const restock[] = { "restock" }, *const replace[] = { "replace" };
	const char *number = rt_ask(&l, 1), *why = NULL;
	char *s;

	rt_to_received(number, 1);
	ck_assert_int_eq(returns_disposition(&rt_owner, rt_arena, &rt_will, number,
	    rt_units(number, 1, restock), 1, &why), CS_OK);
	ck_assert_int_eq(returns_settle(&rt_owner, rt_arena, &rt_sue, number, rt_units(number, 2, replace), 1,
	    0, &why), CS_OK);
	rt_step(&rt_alex, number, RSTEP_CLOSE);
	th_dispatch(rt_conninfo);
	th_dispatch(rt_conninfo);
	s = th_valuef(&rt_owner, "SELECT string_agg(type || '=' || n, ' ' ORDER BY type) FROM"
	    " (SELECT type, count(*) AS n FROM domain_events e JOIN returns r ON r.id ="
	    " e.aggregate_id WHERE e.aggregate = 'return' AND r.number = '%s' GROUP BY type) x",
	    number);
	ck_assert_str_eq(s, "return.approved=1 return.awaiting_shipment=1 return.closed=1"
	    " return.dispositioned=1 return.received=1 return.replaced=1 return.requested=1");
	free(s);
	/* The customer hears of the steps that are theirs, once each. */
	s = th_valuef(&rt_owner, "SELECT string_agg(kind || '=' || n, ' ' ORDER BY kind) FROM"
	    " (SELECT kind, count(*) AS n FROM notifications WHERE recipient = 'ann@rt.test'"
	    " AND subject LIKE '[%s]%%' GROUP BY kind) x", number);
	ck_assert_str_eq(s, "return_approved=1 return_awaiting_shipment=1 return_received=1"
	    " return_replaced=1 return_requested=1");
	free(s);
	s = th_valuef(&rt_owner, "SELECT body_text FROM notifications WHERE kind ="
	    " 'return_awaiting_shipment' AND subject LIKE '[%s]%%'", number);
	ck_assert_ptr_nonnull(strstr(s, "/authorisation"));
	free(s);
}
END_TEST

START_TEST(nothing_given_closes_the_return_and_says_so_once)
{
	struct return_line_input l = rt_line(rt_kettle, 1, "SO-11", rt_recent, "40", "defective");
	static const char *const cond[] = { "dropped" }, *const disp[] = { "scrap" };
	static const char *const none[] = { "none" };
	const char *number = rt_ask(&l, 1), *why = NULL;

	rt_to_received(number, 1);
	ck_assert_int_eq(returns_inspect(&rt_owner, rt_arena, &rt_will, number,
	    rt_units(number, 0, cond), 1, NULL, 0, &why), CS_OK);
	ck_assert_int_eq(returns_disposition(&rt_owner, rt_arena, &rt_will, number,
	    rt_units(number, 1, disp), 1, &why), CS_OK);
	ck_assert_int_eq(returns_settle(&rt_owner, rt_arena, &rt_sue, number,
	    rt_units(number, 2, none), 1, 0, &why), CS_OK);
	ck_assert_str_eq(rt_sheet(number).state, "closed");
	ck_assert_str_eq(rt_sheet(number).refund_total, "0.00");
	th_dispatch(rt_conninfo);
	th_dispatch(rt_conninfo);
	ck_assert_int_eq(rt_value_ll("SELECT count(*) FROM notifications WHERE kind ="
	    " 'return_closed' AND subject LIKE '[%s]%%'", number), 1);
}
END_TEST

Suite *returns_suite(void);

Suite *
returns_suite(void)
{
	Suite *s = suite_create("returns");
	TCase *tc = tcase_create("returns");

	tcase_add_unchecked_fixture(tc, suite_setup, rt_suite_teardown);
	tcase_add_checked_fixture(tc, rt_setup, rt_teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, a_request_outside_the_window_is_refused_with_the_last_day);
	tcase_add_test(tc, bad_lines_are_refused_at_their_field);
	tcase_add_test(tc, one_return_over_two_orders_keeps_each_line_s_order);
	tcase_add_test(tc, a_15_percent_fee_on_80_refunds_68);
	tcase_add_test(tc, a_fee_larger_than_the_credit_is_refused_unless_waived);
	tcase_add_test(tc, one_of_three_scrapped_and_two_refunded);
	tcase_add_test(tc, only_units_received_are_refunded);
	tcase_add_test(tc, a_small_return_approves_itself);
	tcase_add_test(tc, steps_are_refused_to_the_wrong_role_or_state);
	tcase_add_test(tc, another_customer_s_return_is_not_found);
	tcase_add_test(tc, every_step_writes_its_event_and_its_mail_once);
	tcase_add_test(tc, nothing_given_closes_the_return_and_says_so_once);
	suite_add_tcase(s, tc);
	return s;
}
