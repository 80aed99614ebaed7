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
#include "../lib/dispatch.h"
#include "../lib/harness.h"
#include "../lib/sql.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/returns.h"
#include "domain/returns_report.h"
#include "domain/staff.h"
#include "domain/ticket_notify.h"

#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *conninfo, *as_portal;
static struct db owner;
static struct arena *arena;
static long long kettle, router;
static struct return_actor ann, eve, sue, alex, will;
static char recent[16], long_ago[16];

/* Kettles may come back within 30 days; routers within the default (60). */
static const char fixture[] =
    "INSERT INTO staff (email, name, password_hash, roles) VALUES"
    " ('sue@rt.test', 'Sue', 'x', ARRAY['supervisor']),"
    " ('alex@rt.test', 'Alex', 'x', ARRAY['agent']),"
    " ('will@rt.test', 'Will', 'x', ARRAY['warehouse']);"
    "INSERT INTO customers (name) VALUES ('Alpha Ltd'), ('Beta Ltd');"
    "INSERT INTO portal_users (customer_id, email, name, password_hash)"
    " SELECT id, 'ann@rt.test', 'Ann', 'x' FROM customers WHERE name = 'Alpha Ltd';"
    "INSERT INTO portal_users (customer_id, email, name, password_hash)"
    " SELECT id, 'eve@rt.test', 'Eve', 'x' FROM customers WHERE name = 'Beta Ltd';"
    "INSERT INTO product_categories (name) VALUES ('Kettles');"
    "INSERT INTO products (sku, name, category_id) SELECT 'KT-1', 'Kettle', id"
    " FROM product_categories WHERE name = 'Kettles';"
    "INSERT INTO products (sku, name) VALUES ('RT-1', 'Router');"
    "INSERT INTO return_windows (category_id, days) SELECT id, 30 FROM product_categories;"
    "UPDATE return_policy SET default_window_days = 60, auto_approve_max = 15;"
    "INSERT INTO return_fees (reason, from_days, kind, amount) VALUES"
    " ('not_needed', 0, 'percent', 15), ('wrong_item', 0, 'fixed', 25);";

static long long value_ll(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static long long
value_ll(const char *fmt, ...)
{
	char sql[512];
	char *s;
	long long v;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	s = th_value(&owner, sql);
	v = atoll(s);
	free(s);
	return v;
}

static void
suite_setup(void)
{
	struct db d;

	conninfo = th_db_create("returns");
	as_portal = th_db_as(conninfo, "csdesk_portal");
	ck_assert_int_eq(db_open(&d, conninfo, "check_returns_setup"), 0);
	ck_assert_int_eq(db_script(&d, fixture, "fixture"), 0);
	db_close(&d);
}

static void
suite_teardown(void)
{
	th_db_drop(conninfo);
	free(as_portal);
	free(conninfo);
}

static void
setup(void)
{
	char *s;

	ck_assert_int_eq(db_open(&owner, conninfo, "check_returns"), 0);
	arena = arena_new(1 << 16);
	kettle = value_ll("SELECT id FROM products WHERE sku = '%s'", "KT-1");
	router = value_ll("SELECT id FROM products WHERE sku = '%s'", "RT-1");
	memset(&ann, 0, sizeof(ann));
	ann.kind = RA_CUSTOMER;
	ann.id = value_ll("SELECT id FROM portal_users WHERE email = '%s'", "ann@rt.test");
	ann.customer_id = value_ll("SELECT customer_id FROM portal_users WHERE email = '%s'",
	    "ann@rt.test");
	eve = ann;
	eve.id = value_ll("SELECT id FROM portal_users WHERE email = '%s'", "eve@rt.test");
	eve.customer_id = value_ll("SELECT customer_id FROM portal_users WHERE email = '%s'",
	    "eve@rt.test");
	memset(&sue, 0, sizeof(sue));
	sue.kind = RA_STAFF;
	sue.id = value_ll("SELECT id FROM staff WHERE email = '%s'", "sue@rt.test");
	sue.roles = 1u << STAFF_SUPERVISOR;
	alex = sue;
	alex.id = value_ll("SELECT id FROM staff WHERE email = '%s'", "alex@rt.test");
	alex.roles = 1u << STAFF_AGENT;
	will = sue;
	will.id = value_ll("SELECT id FROM staff WHERE email = '%s'", "will@rt.test");
	will.roles = 1u << STAFF_WAREHOUSE;
	s = th_value(&owner, "SELECT to_char((now() AT TIME ZONE 'UTC')::date - 10, 'YYYY-MM-DD')");
	snprintf(recent, sizeof(recent), "%s", s);
	free(s);
	s = th_value(&owner, "SELECT to_char((now() AT TIME ZONE 'UTC')::date - 40, 'YYYY-MM-DD')");
	snprintf(long_ago, sizeof(long_ago), "%s", s);
	free(s);
}

static void
teardown(void)
{
	db_close(&owner);
	arena_free(arena);
}

static struct return_line_input
line(long long product, int qty, const char *order, const char *delivered, const char *price,
    const char *reason)
{
	struct return_line_input l = { product, "", qty, order, delivered, price, reason,
		"return" };

	return l;
}

/* Asks for lines as Ann; returns the RMA number (in the arena). */
static const char *
ask(const struct return_line_input *lines, size_t n)
{
	struct return_request in = { 0 };
	const char *number = NULL, *why = NULL, *field = NULL;
	int bad = 0;

	in.lines = lines;
	in.nlines = n;
	ck_assert_msg(returns_request(&owner, arena, &ann, &in, &number, &why, &bad, &field) ==
	    CS_OK, "request: %s", why ? why : "");
	return number;
}

static void
step(const struct return_actor *by, const char *number, enum return_step s)
{
	const char *why = NULL;

	ck_assert_msg(returns_take_step(&owner, arena, by, number, s, "", &why) == CS_OK,
	    "%s: %s", return_step_names[s], why ? why : "");
}

static void
receive(const char *number, int n)
{
	const char *why = NULL;
	int got[] = { n };

	ck_assert_msg(returns_receive(&owner, arena, &will, number, got, 1, "box fine", NULL, 0,
	    &why) == CS_OK, "receive: %s", why ? why : "");
}

/* The return's units, read back. */
static struct return_sheet
sheet(const char *number)
{
	struct return_sheet s;

	ck_assert_int_eq(returns_get(&owner, arena, &sue, number, &s), CS_OK);
	return s;
}

/*
 * Every unit of number given field value v[i] (one per unit, in order);
 * which: 0 condition, 1 disposition, 2 outcome.
 */
static struct return_unit_input *
units(const char *number, int which, const char *const *v)
{
	struct return_sheet s = sheet(number);
	struct return_unit_input *u = arena_calloc(arena, s.nunits, sizeof(*u));
	size_t i;

	ck_assert_ptr_nonnull(u);
	for (i = 0; i < s.nunits; i++) {
		u[i].unit_id = s.units[i].id;
		u[i].condition = which == 0 ? v[i] : "";
		u[i].disposition = which == 1 ? v[i] : "";
		u[i].outcome = which == 2 ? v[i] : "";
	}
	return u;
}

/* Approved, authorised and n units received. */
static void
to_received(const char *number, int n)
{
	step(&sue, number, RSTEP_APPROVE);
	step(&alex, number, RSTEP_AUTHORISE);
	receive(number, n);
}

START_TEST(a_request_outside_the_window_is_refused_with_the_last_day)
{
	struct return_line_input l = line(kettle, 1, "SO-1", long_ago, "40", "defective");
	struct return_request in = { 0 };
	const char *number = NULL, *why = NULL, *field = NULL;
	int bad = 0;

	in.lines = &l;
	in.nlines = 1;
	ck_assert_int_eq(returns_request(&owner, arena, &ann, &in, &number, &why, &bad, &field),
	    CS_REFUSED);
	ck_assert_ptr_nonnull(strstr(why, "outside the return window for Kettles"));
	ck_assert_ptr_nonnull(strstr(why, "could be returned until"));
	ck_assert_str_eq(field, "delivered_on");
	ck_assert_int_eq(bad, 1);
	ck_assert_ptr_null(number);
	ck_assert_int_eq(value_ll("SELECT count(*) FROM return_lines WHERE order_ref = '%s'",
	    "SO-1"), 0);
	/* The router's default window (60 days) takes the same date. */
	l.product_id = router;
	ck_assert_int_eq(returns_request(&owner, arena, &ann, &in, &number, &why, &bad, &field),
	    CS_OK);
}
END_TEST

START_TEST(bad_lines_are_refused_at_their_field)
{
	struct return_line_input l[2];
	struct return_request in = { 0 };
	const char *number, *why, *field;
	int bad;

	l[0] = line(kettle, 1, "SO-1", recent, "40", "defective");
	l[1] = line(kettle, 0, "SO-1", recent, "40", "defective");
	in.lines = l;
	in.nlines = 2;
	ck_assert_int_eq(returns_request(&owner, arena, &ann, &in, &number, &why, &bad, &field),
	    CS_REFUSED);
	ck_assert_str_eq(field, "quantity");
	ck_assert_int_eq(bad, 2);
	l[1] = line(kettle, 1, "SO-1", recent, "12,50", "defective");
	returns_request(&owner, arena, &ann, &in, &number, &why, &bad, &field);
	ck_assert_str_eq(field, "unit_price");
	l[1] = line(kettle, 1, "SO-1", "2026-02-30", "40", "defective");
	returns_request(&owner, arena, &ann, &in, &number, &why, &bad, &field);
	ck_assert_str_eq(field, "delivered_on");
	l[1] = line(kettle, 1, "", recent, "40", "broken");
	returns_request(&owner, arena, &ann, &in, &number, &why, &bad, &field);
	ck_assert_str_eq(field, "order_ref");
}
END_TEST

START_TEST(one_return_over_two_orders_keeps_each_line_s_order)
{
	struct return_line_input l[2];
	const char *number;
	struct return_sheet s;

	l[0] = line(kettle, 1, "SO-100", recent, "40", "defective");
	l[1] = line(router, 2, "SO-200", recent, "30", "wrong_item");
	number = ask(l, 2);
	s = sheet(number);
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
	struct return_line_input l = line(kettle, 1, "SO-3", recent, "80", "not_needed");
	static const char *const good[] = { "sealed" }, *const restock[] = { "restock" };
	static const char *const refund[] = { "refund" };
	const char *number = ask(&l, 1), *why = NULL;
	struct return_sheet s;

	to_received(number, 1);
	ck_assert_int_eq(returns_inspect(&owner, arena, &will, number, units(number, 0, good), 1,
	    NULL, 0, &why), CS_OK);
	ck_assert_int_eq(returns_disposition(&owner, arena, &will, number,
	    units(number, 1, restock), 1, &why), CS_OK);
	ck_assert_int_eq(returns_settle(&owner, arena, &sue, number, units(number, 2, refund), 1,
	    0, &why), CS_OK);
	s = sheet(number);
	ck_assert_str_eq(s.state, "refunded");
	ck_assert_str_eq(s.refund_total, "68.00");
	ck_assert_str_eq(s.fee_total, "12.00");
	step(&alex, number, RSTEP_CLOSE);
	ck_assert_str_eq(sheet(number).state, "closed");
}
END_TEST

START_TEST(a_fee_larger_than_the_credit_is_refused_unless_waived)
{
	struct return_line_input l = line(kettle, 1, "SO-4", recent, "20", "wrong_item");
	static const char *const restock[] = { "restock" }, *const refund[] = { "refund" };
	const char *number = ask(&l, 1), *why = NULL;
	struct return_sheet s;

	to_received(number, 1);
	/* A wrong item needs no inspection: straight to disposition. */
	ck_assert_int_eq(returns_disposition(&owner, arena, &will, number,
	    units(number, 1, restock), 1, &why), CS_OK);
	ck_assert_int_eq(returns_settle(&owner, arena, &sue, number, units(number, 2, refund), 1,
	    0, &why), CS_REFUSED);
	ck_assert_ptr_nonnull(strstr(why, "restocking fee (25.00) is more than"));
	s = sheet(number);
	ck_assert_str_eq(s.state, "dispositioned");
	ck_assert_str_eq(s.refund_total, "0.00");
	ck_assert_int_eq(returns_settle(&owner, arena, &sue, number, units(number, 2, refund), 1,
	    1, &why), CS_OK);
	ck_assert_str_eq(sheet(number).refund_total, "20.00");
}
END_TEST

START_TEST(one_of_three_scrapped_and_two_refunded)
{
	struct return_line_input l = line(kettle, 3, "SO-5", recent, "10", "defective");
	static const char *const cond[] = { "cracked", "fine", "fine" };
	static const char *const disp[] = { "scrap", "restock", "restock" };
	static const char *const out[] = { "none", "refund", "refund" };
	const char *number = ask(&l, 1), *why = NULL;
	struct return_sheet s;
	int more[] = { 1 };

	to_received(number, 3);
	/* Nothing past the quantity asked for. */
	ck_assert_int_eq(returns_receive(&owner, arena, &will, number, more, 1, "", NULL, 0, &why),
	    CS_REFUSED);
	ck_assert_int_eq(returns_inspect(&owner, arena, &will, number, units(number, 0, cond), 3,
	    NULL, 0, &why), CS_OK);
	ck_assert_int_eq(returns_disposition(&owner, arena, &will, number, units(number, 1, disp),
	    3, &why), CS_OK);
	ck_assert_int_eq(returns_settle(&owner, arena, &sue, number, units(number, 2, out), 3, 0,
	    &why), CS_OK);
	s = sheet(number);
	ck_assert_str_eq(s.state, "refunded");
	ck_assert_str_eq(s.refund_total, "20.00");
	ck_assert_uint_eq(s.nunits, 3);
	ck_assert_str_eq(s.units[0].disposition, "scrap");
	ck_assert_str_eq(s.units[0].outcome, "none");
}
END_TEST

START_TEST(only_units_received_are_refunded)
{
	struct return_line_input l = line(kettle, 3, "SO-6", recent, "10", "defective");
	static const char *const cond[] = { "ok", "ok" }, *const disp[] = { "restock", "restock" };
	static const char *const out[] = { "refund", "refund" };
	const char *number = ask(&l, 1), *why = NULL;
	struct return_sheet s;

	to_received(number, 2);
	ck_assert_int_eq(returns_inspect(&owner, arena, &will, number, units(number, 0, cond), 2,
	    NULL, 0, &why), CS_OK);
	ck_assert_int_eq(returns_disposition(&owner, arena, &will, number, units(number, 1, disp),
	    2, &why), CS_OK);
	ck_assert_int_eq(returns_settle(&owner, arena, &sue, number, units(number, 2, out), 2, 0,
	    &why), CS_OK);
	s = sheet(number);
	ck_assert_int_eq(s.lines[0].received, 2);
	ck_assert_str_eq(s.refund_total, "20.00");
}
END_TEST

START_TEST(a_small_return_approves_itself)
{
	struct return_line_input small = line(kettle, 1, "SO-7", recent, "10", "defective");
	struct return_line_input big = line(kettle, 1, "SO-7", recent, "20", "defective");

	ck_assert_str_eq(sheet(ask(&small, 1)).state, "approved");
	ck_assert_str_eq(sheet(ask(&big, 1)).state, "requested");
}
END_TEST

START_TEST(steps_are_refused_to_the_wrong_role_or_state)
{
	struct return_line_input l = line(kettle, 1, "SO-8", recent, "40", "defective");
	const char *number = ask(&l, 1), *why = NULL;
	int one[] = { 1 };

	ck_assert_int_eq(returns_take_step(&owner, arena, &alex, number, RSTEP_APPROVE, "", &why),
	    CS_REFUSED);
	ck_assert_int_eq(returns_take_step(&owner, arena, &will, number, RSTEP_APPROVE, "", &why),
	    CS_REFUSED);
	ck_assert_int_eq(returns_take_step(&owner, arena, &ann, number, RSTEP_APPROVE, "", &why),
	    CS_REFUSED);
	/* Rejecting needs a reason the customer reads. */
	ck_assert_int_eq(returns_take_step(&owner, arena, &sue, number, RSTEP_REJECT, "", &why),
	    CS_REFUSED);
	/* Nothing is received before the authorisation. */
	ck_assert_int_eq(returns_receive(&owner, arena, &will, number, one, 1, "", NULL, 0, &why),
	    CS_REFUSED);
	step(&sue, number, RSTEP_APPROVE);
	ck_assert_int_eq(returns_take_step(&owner, arena, &sue, number, RSTEP_APPROVE, "", &why),
	    CS_REFUSED);
	/* The customer cancels their own, before anything is received. */
	step(&ann, number, RSTEP_CANCEL);
	ck_assert_str_eq(sheet(number).state, "cancelled");
}
END_TEST

START_TEST(another_customer_s_return_is_not_found)
{
	struct return_line_input l = line(kettle, 1, "SO-9", recent, "40", "defective");
	const char *number = ask(&l, 1), *why = NULL;
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

	ck_assert_int_eq(returns_get(&owner, arena, &eve, number, &s), CS_NOT_FOUND);
	ck_assert_int_eq(returns_take_step(&owner, arena, &eve, number, RSTEP_CANCEL, "", &why),
	    CS_NOT_FOUND);
	ck_assert_int_eq(returns_list(&owner, arena, &eve, &f, &rows, &n, &next), CS_OK);
	for (i = 0; i < n; i++)
		ck_assert_str_ne(rows[i].number, number);
	/* Under the portal's role, row-level security says the same. */
	snprintf(c, sizeof(c), "%lld", eve.customer_id);
	ck_assert_int_eq(db_open(&portal, as_portal, "check_returns_portal"), 0);
	ck_assert_int_eq(db_run(&portal, &scope, p), 0);
	eve.account_admin = 1;
	ck_assert_int_eq(returns_get(&portal, arena, &eve, number, &s), CS_NOT_FOUND);
	eve.account_admin = 0;
	snprintf(c, sizeof(c), "%lld", ann.customer_id);
	ck_assert_int_eq(db_run(&portal, &scope, p), 0);
	ck_assert_int_eq(returns_get(&portal, arena, &ann, number, &s), CS_OK);
	db_close(&portal);
	ck_assert_str_eq(sheet(number).state, "requested");
}
END_TEST

START_TEST(every_step_writes_its_event_and_its_mail_once)
{
	struct return_line_input l = line(router, 1, "SO-10", recent, "40", "wrong_item");
	static const char *const restock[] = { "restock" }, *const replace[] = { "replace" };
	const char *number = ask(&l, 1), *why = NULL;
	char *s;

	to_received(number, 1);
	ck_assert_int_eq(returns_disposition(&owner, arena, &will, number,
	    units(number, 1, restock), 1, &why), CS_OK);
	ck_assert_int_eq(returns_settle(&owner, arena, &sue, number, units(number, 2, replace), 1,
	    0, &why), CS_OK);
	step(&alex, number, RSTEP_CLOSE);
	th_dispatch(conninfo);
	th_dispatch(conninfo);
	s = th_valuef(&owner, "SELECT string_agg(type || '=' || n, ' ' ORDER BY type) FROM"
	    " (SELECT type, count(*) AS n FROM domain_events e JOIN returns r ON r.id ="
	    " e.aggregate_id WHERE e.aggregate = 'return' AND r.number = '%s' GROUP BY type) x",
	    number);
	ck_assert_str_eq(s, "return.approved=1 return.awaiting_shipment=1 return.closed=1"
	    " return.dispositioned=1 return.received=1 return.replaced=1 return.requested=1");
	free(s);
	/* The customer hears of the steps that are theirs, once each. */
	s = th_valuef(&owner, "SELECT string_agg(kind || '=' || n, ' ' ORDER BY kind) FROM"
	    " (SELECT kind, count(*) AS n FROM notifications WHERE recipient = 'ann@rt.test'"
	    " AND subject LIKE '[%s]%%' GROUP BY kind) x", number);
	ck_assert_str_eq(s, "return_approved=1 return_awaiting_shipment=1 return_received=1"
	    " return_replaced=1 return_requested=1");
	free(s);
	s = th_valuef(&owner, "SELECT body_text FROM notifications WHERE kind ="
	    " 'return_awaiting_shipment' AND subject LIKE '[%s]%%'", number);
	ck_assert_ptr_nonnull(strstr(s, "/authorisation"));
	free(s);
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

	free(th_value(&owner, "INSERT INTO products (sku, name) VALUES ('RP-1', 'Report gadget')"
	    " RETURNING ''"));
	gadget = value_ll("SELECT id FROM products WHERE sku = '%s'", "RP-1");
	l = line(gadget, 1, "SO-R", recent, "80", "not_needed");
	number = ask(&l, 1);
	to_received(number, 1);
	ck_assert_int_eq(returns_inspect(&owner, arena, &will, number, units(number, 0, good), 1,
	    NULL, 0, &why), CS_OK);
	ck_assert_int_eq(returns_disposition(&owner, arena, &will, number, units(number, 1, disp),
	    1, &why), CS_OK);
	ck_assert_int_eq(returns_settle(&owner, arena, &sue, number, units(number, 2, refund), 1,
	    0, &why), CS_OK);
	today = th_value(&owner, "SELECT to_char((now() AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD')");
	ck_assert_int_eq(returns_report(&owner, arena, "2020-01-01", today, RR_PRODUCT, &rep,
	    &why), CS_OK);
	ck_assert_ptr_nonnull(x = report_row(&rep, "Report gadget"));
	ck_assert_int_eq(x->returns, 1);
	ck_assert_str_eq(x->refund, "68.00");
	ck_assert_str_eq(x->fee, "12.00");
	ck_assert_int_eq(returns_report(&owner, arena, "2020-01-01", today, RR_DISPOSITION, &rep,
	    &why), CS_OK);
	ck_assert_ptr_nonnull(x = report_row(&rep, "Return to vendor"));
	ck_assert_str_eq(x->refund, "68.00");
	ck_assert_int_eq(returns_report(&owner, arena, today, "2020-01-01", RR_REASON, &rep, &why),
	    CS_REFUSED);
	free(today);
}
END_TEST

START_TEST(gen_adds_returns_the_queue_reads)
{
	struct return_filter f = { "refunded", 0 };
	struct return_row *rows;
	size_t n;
	long long next, before = value_ll("SELECT count(*) FROM returns");

	ck_assert_int_eq(th_sh("CSDESK_DB='%s' '%s/csdesk' gen --returns 300 > /dev/null 2>&1",
	    conninfo, th_build_dir()), 0);
	ck_assert_int_eq(value_ll("SELECT count(*) FROM returns"), before + 300);
	ck_assert_int_eq(value_ll("SELECT count(*) FROM returns r WHERE NOT EXISTS (SELECT 1"
	    " FROM return_lines l WHERE l.return_id = r.id)"), 0);
	ck_assert_int_eq(returns_list(&owner, arena, &sue, &f, &rows, &n, &next), CS_OK);
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

Suite *returns_suite(void);

Suite *
returns_suite(void)
{
	Suite *s = suite_create("returns");
	TCase *tc = tcase_create("returns");

	tcase_add_unchecked_fixture(tc, suite_setup, suite_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
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
	tcase_add_test(tc, the_report_sums_money_by_product_and_disposition);
	tcase_add_test(tc, gen_adds_returns_the_queue_reads);
	tcase_add_test(tc, the_demo_has_a_return_in_every_state);
	suite_add_tcase(s, tc);
	return s;
}
