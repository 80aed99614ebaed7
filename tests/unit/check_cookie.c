/*
 * check_cookie.c — cookie_parse and cookie_get: well-formed headers, the
 * junk browsers and scripts leave in them (skipped, never an error), the
 * max cap and running out of memory.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/form.h"
#include "core/mem.h"

Suite *cookie_suite(void);

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

struct ck_case {
	const char *in;
	size_t max;
	size_t n;
	struct {
		const char *name;
		const char *value;
	} c[4];
};

static const struct ck_case ck_cases[] = {
	{ NULL, 8, 0, { { 0 } } },
	{ "", 8, 0, { { 0 } } },
	{ "a=1", 8, 1, { { "a", "1" } } },
	{ "a=1; b=2", 8, 2, { { "a", "1" }, { "b", "2" } } },
	{ "a=1;b=2;", 8, 2, { { "a", "1" }, { "b", "2" } } },
	{ "  a = 1 ;\tb=2  ", 8, 2, { { "a", "1" }, { "b", "2" } } },
	{ "sid=abc.DEF-123_~; theme=dark", 8, 2,
	    { { "sid", "abc.DEF-123_~" }, { "theme", "dark" } } },
	{ "a=", 8, 1, { { "a", "" } } },
	{ "a= ; b", 8, 1, { { "a", "" } } },
	{ "a=1=2", 8, 1, { { "a", "1=2" } } },
	{ "a=%41+b", 8, 1, { { "a", "%41+b" } } },
	{ "a=x y", 8, 1, { { "a", "x y" } } },
	{ "my name=v", 8, 1, { { "my name", "v" } } },

	/* Quotes: one pair around the value goes, anything else stays. */
	{ "a=\"x y\"", 8, 1, { { "a", "x y" } } },
	{ "a=\"\"", 8, 1, { { "a", "" } } },
	{ "a = \"1\" ", 8, 1, { { "a", "1" } } },
	{ "a=\"", 8, 1, { { "a", "\"" } } },
	{ "a=\"x", 8, 1, { { "a", "\"x" } } },
	{ "a=x\"", 8, 1, { { "a", "x\"" } } },
	{ "a=\"\"x\"\"", 8, 1, { { "a", "\"x\"" } } },
	{ "a=\" x \"", 8, 1, { { "a", " x " } } },

	/* Skipped: no '=', an empty name; never an error. */
	{ "a", 8, 0, { { 0 } } },
	{ ";;;", 8, 0, { { 0 } } },
	{ " ; ;", 8, 0, { { 0 } } },
	{ "a; b=2", 8, 1, { { "b", "2" } } },
	{ "=1; b=2", 8, 1, { { "b", "2" } } },
	{ " =1;  = ; b=2", 8, 1, { { "b", "2" } } },
	{ "\x01\xff=\x7f; x=y", 8, 2, { { "\x01\xff", "\x7f" }, { "x", "y" } } },
	{ "a=1, b=2", 8, 1, { { "a", "1, b=2" } } },

	/* Duplicates are kept in order; cookie_get finds the first. */
	{ "a=1; a=2", 8, 2, { { "a", "1" }, { "a", "2" } } },

	/* At most max pairs; skipped pieces do not count against it. */
	{ "a=1; b=2; c=3", 2, 2, { { "a", "1" }, { "b", "2" } } },
	{ "a=1; junk; =x; b=2; c=3", 2, 2, { { "a", "1" }, { "b", "2" } } },
	{ "a=1; b=2; c=3", 3, 3, { { "a", "1" }, { "b", "2" }, { "c", "3" } } },
	{ "a=1", 0, 0, { { 0 } } },
	{ "a=1", 1, 1, { { "a", "1" } } },
};

START_TEST(test_cookie_table)
{
	const struct ck_case *c = &ck_cases[_i];
	struct arena *a = arena_new(1024);
	struct cookie *out = (struct cookie *)1;
	size_t n = 99, i;

	ck_assert_int_eq(cookie_parse(a, c->in, c->max, &out, &n), FORM_OK);
	ck_assert_msg(n == c->n, "case %d: %zu cookies, want %zu", _i, n, c->n);
	if (n == 0)
		ck_assert_ptr_null(out);
	for (i = 0; i < n; i++) {
		ck_assert_str_eq(out[i].name, c->c[i].name);
		ck_assert_str_eq(out[i].value, c->c[i].value);
	}
	if (n > 0)
		ck_assert_str_eq(cookie_get(out, n, c->c[0].name), c->c[0].value);
	ck_assert_ptr_null(cookie_get(out, n, "absent"));
	arena_free(a);
}
END_TEST

START_TEST(test_cookie_get)
{
	struct arena *a = arena_new(1024);
	struct cookie *c;
	size_t n;

	ck_assert_int_eq(cookie_parse(a, "ab=1; a=2; abc=3; a=4", 8, &c, &n), FORM_OK);
	ck_assert_uint_eq(n, 4);
	ck_assert_str_eq(cookie_get(c, n, "a"), "2");
	ck_assert_str_eq(cookie_get(c, n, "ab"), "1");
	ck_assert_str_eq(cookie_get(c, n, "abc"), "3");
	ck_assert_ptr_null(cookie_get(c, n, "abcd"));
	ck_assert_ptr_null(cookie_get(c, n, ""));
	ck_assert_ptr_null(cookie_get(NULL, 0, "a"));
	arena_free(a);
}
END_TEST

/* A long header: every pair kept up to max, in order. */
START_TEST(test_cookie_many)
{
	struct arena *a = arena_new(1024);
	struct cookie *c;
	struct buf b;
	size_t n, i;
	char name[32];

	buf_init(&b, a);
	for (i = 0; i < 500; i++)
		buf_printf(&b, "%sc%zu=v%zu", i ? "; " : "", i, i);
	ck_assert_int_eq(cookie_parse(a, b.buf, 1000, &c, &n), FORM_OK);
	ck_assert_uint_eq(n, 500);
	ck_assert_str_eq(c[499].name, "c499");
	ck_assert_int_eq(cookie_parse(a, b.buf, 64, &c, &n), FORM_OK);
	ck_assert_uint_eq(n, 64);
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "c%zu", i);
		ck_assert_str_eq(c[i].name, name);
	}
	arena_free(a);
}
END_TEST

/* Each allocation failing in turn: FORM_NOMEM with nothing returned. */
START_TEST(test_cookie_nomem)
{
	struct arena *scratch = arena_new(1024);
	struct arena *a;
	struct cookie *c;
	struct buf b;
	enum form_err e = FORM_BAD;
	size_t n, i;
	long k;
	int saw_nomem = 0;

	buf_init(&b, scratch);
	for (i = 0; i < 100; i++)
		buf_printf(&b, "cookie%zu=\"some value %zu\"; ", i, i);
	for (k = 0; k < 1000; k++) {
		a = arena_new(1024);
		ck_assert_ptr_nonnull(a);
		mem_fail_after(k);
		e = cookie_parse(a, b.buf, 1000, &c, &n);
		mem_fail_after(-1);
		ck_assert_msg(e == FORM_OK || e == FORM_NOMEM, "k=%ld: %s", k, form_strerror(e));
		if (e == FORM_OK) {
			ck_assert_uint_eq(n, 100);
			ck_assert_str_eq(cookie_get(c, n, "cookie99"), "some value 99");
			arena_free(a);
			break;
		}
		ck_assert_ptr_null(c);
		ck_assert_uint_eq(n, 0);
		saw_nomem = 1;
		arena_free(a);
	}
	ck_assert(saw_nomem);
	ck_assert_int_eq(e, FORM_OK);
	arena_free(scratch);
}
END_TEST

Suite *
cookie_suite(void)
{
	Suite *s = suite_create("cookie");
	TCase *tc = tcase_create("parse");

	tcase_add_loop_test(tc, test_cookie_table, 0, (int)NELEM(ck_cases));
	tcase_add_test(tc, test_cookie_get);
	tcase_add_test(tc, test_cookie_many);
	tcase_add_test(tc, test_cookie_nomem);
	suite_add_tcase(s, tc);
	return s;
}
