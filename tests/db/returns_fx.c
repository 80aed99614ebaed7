/* returns_fx.c — see returns_fx.h. */
#include "returns_fx.h"
#include "../lib/harness.h"
#include "../lib/sql.h"
#include "core/arena.h"
#include "domain/staff.h"

#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *rt_conninfo, *rt_as_portal;
struct db rt_owner;
struct arena *rt_arena;
long long rt_kettle, rt_router;
struct return_actor rt_ann, rt_eve, rt_sue, rt_alex, rt_will;
char rt_recent[16], rt_long_ago[16];

/* Kettles may come back within 30 days; routers within the default (60). */
static const char rt_fixture[] =
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

long long
rt_value_ll(const char *fmt, ...)
{
	char sql[512];
	char *s;
	long long v;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	s = th_value(&rt_owner, sql);
	v = atoll(s);
	free(s);
	return v;
}

void
rt_suite_setup(const char *name)
{
	struct db d;

	rt_conninfo = th_db_create(name);
	rt_as_portal = th_db_as(rt_conninfo, "csdesk_portal");
	ck_assert_int_eq(db_open(&d, rt_conninfo, "returns_fx_setup"), 0);
	ck_assert_int_eq(db_script(&d, rt_fixture, "fixture"), 0);
	db_close(&d);
}

void
rt_suite_teardown(void)
{
	th_db_drop(rt_conninfo);
	free(rt_as_portal);
	free(rt_conninfo);
}

void
rt_setup(void)
{
	char *s;

	ck_assert_int_eq(db_open(&rt_owner, rt_conninfo, "returns_fx"), 0);
	rt_arena = arena_new(1 << 16);
	rt_kettle = rt_value_ll("SELECT id FROM products WHERE sku = '%s'", "KT-1");
	rt_router = rt_value_ll("SELECT id FROM products WHERE sku = '%s'", "RT-1");
	memset(&rt_ann, 0, sizeof(rt_ann));
	rt_ann.kind = RA_CUSTOMER;
	rt_ann.id = rt_value_ll("SELECT id FROM portal_users WHERE email = '%s'", "ann@rt.test");
	rt_ann.customer_id = rt_value_ll("SELECT customer_id FROM portal_users WHERE email = '%s'",
	    "ann@rt.test");
	rt_eve = rt_ann;
	rt_eve.id = rt_value_ll("SELECT id FROM portal_users WHERE email = '%s'", "eve@rt.test");
	rt_eve.customer_id = rt_value_ll("SELECT customer_id FROM portal_users WHERE email = '%s'",
	    "eve@rt.test");
	memset(&rt_sue, 0, sizeof(rt_sue));
	rt_sue.kind = RA_STAFF;
	rt_sue.id = rt_value_ll("SELECT id FROM staff WHERE email = '%s'", "sue@rt.test");
	rt_sue.roles = 1u << STAFF_SUPERVISOR;
	rt_alex = rt_sue;
	rt_alex.id = rt_value_ll("SELECT id FROM staff WHERE email = '%s'", "alex@rt.test");
	rt_alex.roles = 1u << STAFF_AGENT;
	rt_will = rt_sue;
	rt_will.id = rt_value_ll("SELECT id FROM staff WHERE email = '%s'", "will@rt.test");
	rt_will.roles = 1u << STAFF_WAREHOUSE;
	s = th_value(&rt_owner, "SELECT to_char((now() AT TIME ZONE 'UTC')::date - 10, 'YYYY-MM-DD')");
	snprintf(rt_recent, sizeof(rt_recent), "%s", s);
	free(s);
	s = th_value(&rt_owner, "SELECT to_char((now() AT TIME ZONE 'UTC')::date - 40, 'YYYY-MM-DD')");
	snprintf(rt_long_ago, sizeof(rt_long_ago), "%s", s);
	free(s);
}

void
rt_teardown(void)
{
	db_close(&rt_owner);
	arena_free(rt_arena);
}

struct return_line_input
rt_line(long long product, int qty, const char *order, const char *delivered, const char *price,
    const char *reason)
{
	struct return_line_input l = { product, "", qty, order, delivered, price, reason,
		"return" };

	return l;
}

/* Asks for lines as Ann; returns the RMA number (in the rt_arena). */
const char *
rt_ask(const struct return_line_input *lines, size_t n)
{
	struct return_request in = { 0 };
	const char *number = NULL, *why = NULL, *field = NULL;
	int bad = 0;

	in.lines = lines;
	in.nlines = n;
	ck_assert_msg(returns_request(&rt_owner, rt_arena, &rt_ann, &in, &number, &why, &bad, &field) ==
	    CS_OK, "request: %s", why ? why : "");
	return number;
}

void
rt_step(const struct return_actor *by, const char *number, enum return_step s)
{
	const char *why = NULL;

	ck_assert_msg(returns_take_step(&rt_owner, rt_arena, by, number, s, "", &why) == CS_OK,
	    "%s: %s", return_step_names[s], why ? why : "");
}

void
rt_receive(const char *number, int n)
{
	const char *why = NULL;
	int got[] = { n };

	ck_assert_msg(returns_receive(&rt_owner, rt_arena, &rt_will, number, got, 1, "box fine", NULL, 0,
	    &why) == CS_OK, "receive: %s", why ? why : "");
}

/* The return's rt_units, read back. */
struct return_sheet
rt_sheet(const char *number)
{
	struct return_sheet s;

	ck_assert_int_eq(returns_get(&rt_owner, rt_arena, &rt_sue, number, &s), CS_OK);
	return s;
}

/*
 * Every unit of number given field value v[i] (one per unit, in order);
 * which: 0 condition, 1 disposition, 2 outcome.
 */
struct return_unit_input *
rt_units(const char *number, int which, const char *const *v)
{
	struct return_sheet s = rt_sheet(number);
	struct return_unit_input *u = arena_calloc(rt_arena, s.nunits, sizeof(*u));
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

/* Approved, authorised and n rt_units received. */
void
rt_to_received(const char *number, int n)
{
	rt_step(&rt_sue, number, RSTEP_APPROVE);
	rt_step(&rt_alex, number, RSTEP_AUTHORISE);
	rt_receive(number, n);
}

