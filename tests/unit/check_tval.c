/*
 * check_tval.c — the template value tree: constructors, maps and lists,
 * the NULL-value convention of the setters, truthiness, number formatting
 * and running out of memory part way.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/mem.h"
#include "tmpl/tval.h"

Suite *tval_suite(void);

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static struct arena *a;

static void
setup(void)
{
	a = arena_new(4096);
	ck_assert_ptr_nonnull(a);
}

static void
teardown(void)
{
	mem_fail_after(-1);
	arena_free(a);
	a = NULL;
}

START_TEST(scalars)
{
	struct tval *v;
	char s[] = "hello";

	v = tval_null(a);
	ck_assert_int_eq(v->type, TVAL_NULL);
	v = tval_bool(a, 7);
	ck_assert_int_eq(v->type, TVAL_BOOL);
	ck_assert_int_eq(v->u.b, 1);
	v = tval_int(a, -42);
	ck_assert_int_eq(v->type, TVAL_NUM);
	ck_assert(v->u.num == -42.0);
	v = tval_num(a, 1.5);
	ck_assert(v->u.num == 1.5);

	/* tval_str points at its argument; tval_strdup copies. */
	v = tval_str(a, s);
	ck_assert_ptr_eq(v->u.str.s, s);
	ck_assert_uint_eq(v->u.str.len, 5);
	v = tval_strdup(a, s);
	s[0] = 'j';
	ck_assert_uint_eq(v->u.str.len, 5);
	ck_assert(memcmp(v->u.str.s, "hello", 5) == 0);
	v = tval_strn(a, "abcdef", 3);
	ck_assert_uint_eq(v->u.str.len, 3);

	/* A NULL string is a null, not a crash. */
	ck_assert_int_eq(tval_str(a, NULL)->type, TVAL_NULL);
	ck_assert_int_eq(tval_strn(a, NULL, 4)->type, TVAL_NULL);
	ck_assert_int_eq(tval_strdup(a, NULL)->type, TVAL_NULL);
}
END_TEST

START_TEST(maps)
{
	struct tval *m = tval_map(a), *v;
	const struct tval_pair *p;
	size_t i;

	ck_assert_int_eq(tval_set_str(a, m, "name", "Ada"), 0);
	ck_assert_int_eq(tval_set_int(a, m, "age", 36), 0);
	ck_assert_int_eq(tval_set_bool(a, m, "admin", 1), 0);
	ck_assert_int_eq(tval_set(a, m, "none", tval_null(a)), 0);
	ck_assert_uint_eq(m->u.map.n, 4);

	/* Replacing keeps the place and the count. */
	ck_assert_int_eq(tval_set_str(a, m, "name", "Grace"), 0);
	ck_assert_uint_eq(m->u.map.n, 4);
	ck_assert_str_eq(m->u.map.pairs[0].key, "name");
	v = tval_get(m, "name");
	ck_assert_int_eq(v->type, TVAL_STR);
	ck_assert(memcmp(v->u.str.s, "Grace", 5) == 0);

	/* Insertion order is kept. */
	ck_assert_str_eq(m->u.map.pairs[1].key, "age");
	ck_assert_str_eq(m->u.map.pairs[3].key, "none");

	/* getn takes a key that is not NUL-terminated, and only that key. */
	ck_assert_ptr_eq(tval_getn(m, "agent", 3), tval_get(m, "age"));
	ck_assert_ptr_null(tval_getn(m, "agent", 5));
	ck_assert_ptr_null(tval_getn(m, "ag", 2));
	ck_assert_ptr_null(tval_getn(m, "age\0x", 5));
	ck_assert_ptr_null(tval_get(m, "missing"));
	ck_assert_ptr_null(tval_get(m, NULL));

	/* Not a map: nothing found, nothing set. */
	ck_assert_ptr_null(tval_get(tval_list(a), "x"));
	ck_assert_ptr_null(tval_get(NULL, "x"));
	ck_assert_int_eq(tval_set_str(a, tval_list(a), "x", "y"), -1);
	ck_assert_int_eq(tval_set_str(a, NULL, "x", "y"), -1);

	/* tval_find tells a null value from a missing key. */
	p = tval_find(m, "none", 4);
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(p->val->type, TVAL_NULL);
	ck_assert_ptr_null(tval_find(m, "nothing", 7));

	/* Growth past the first allocation keeps everything. */
	for (i = 0; i < 100; i++) {
		char *key = arena_printf(a, "k%zu", i);

		ck_assert_int_eq(tval_set_int(a, m, key, (long long)i), 0);
	}
	ck_assert_uint_eq(m->u.map.n, 104);
	ck_assert(tval_get(m, "k99")->u.num == 99);
	ck_assert(tval_get(m, "k0")->u.num == 0);
}
END_TEST

START_TEST(indexed_maps)
{
	struct tval *m = tval_map(a);
	size_t i, k;

	/* Past TVAL_INDEX_MIN pairs a map is indexed: every size on the way,
	 * each key found, replaced in place, and no key that is not there. */
	for (i = 0; i < 600; i++) {
		ck_assert_int_eq(tval_set_int(a, m, arena_printf(a, "key%zu", i), (long long)i), 0);
		ck_assert_uint_eq(m->u.map.n, i + 1);
		for (k = 0; k <= i; k += 1 + k / 4)
			ck_assert(tval_get(m, arena_printf(a, "key%zu", k))->u.num == (double)k);
		ck_assert_ptr_null(tval_get(m, arena_printf(a, "key%zu", i + 1)));
	}
	ck_assert_ptr_nonnull(m->u.map.index);
	/* Setting a key again replaces its value: the map does not grow, and
	 * insertion order stays. */
	for (i = 0; i < 600; i += 3)
		ck_assert_int_eq(tval_set_int(a, m, arena_printf(a, "key%zu", i), -(long long)i), 0);
	ck_assert_uint_eq(m->u.map.n, 600);
	ck_assert_str_eq(m->u.map.pairs[3].key, "key3");
	ck_assert(tval_get(m, "key3")->u.num == -3);
	ck_assert(tval_get(m, "key4")->u.num == 4);
	ck_assert_ptr_null(tval_getn(m, "key4\0", 5));
	ck_assert_ptr_null(tval_get(m, "key"));
	/* Added out of order (as a catalogue's lines are), every key is found. */
	m = tval_map(a);
	for (i = 0; i < 300; i++)
		ck_assert_int_eq(tval_set_int(a, m, arena_printf(a, "k%zu", (i * 7919) % 300),
		    (long long)((i * 7919) % 300)), 0);
	for (i = 0; i < 300; i++)
		ck_assert(tval_get(m, arena_printf(a, "k%zu", i))->u.num == (double)i);
	ck_assert_ptr_null(tval_get(m, "k300"));
	ck_assert_ptr_eq(tval_getn(m, "k12x", 3), tval_get(m, "k12"));
	ck_assert_int_eq(tval_set_int(a, m, "k5", 55), 0);
	ck_assert_uint_eq(m->u.map.n, 300);
	ck_assert(tval_get(m, "k5")->u.num == 55);
	/* Below TVAL_INDEX_MIN pairs a map is scanned; past it, indexed. */
	m = tval_map(a);
	for (i = 0; i < TVAL_INDEX_MIN; i++)
		ck_assert_int_eq(tval_set_int(a, m, arena_printf(a, "s%zu", i), 1), 0);
	ck_assert_ptr_null(m->u.map.index);
	ck_assert_int_eq(tval_set_int(a, m, "s", 2), 0);
	ck_assert_ptr_nonnull(m->u.map.index);
	ck_assert(tval_get(m, "s")->u.num == 2);
	ck_assert(tval_get(m, "s0")->u.num == 1);
}
END_TEST

/* A map made at its size keeps its pairs where they are: every key found,
 * at any size (a power of two or not), and the index as a grown map's. */
START_TEST(sized_maps)
{
	static const size_t sizes[] = { 1, 5, 16, 17, 300, 2826 };
	const struct tval_pair *pairs;
	struct tval *m;
	size_t s, i;

	for (s = 0; s < NELEM(sizes); s++) {
		m = tval_map_sized(a, sizes[s]);
		ck_assert_ptr_nonnull(m);
		ck_assert_uint_ge(m->u.map.cap, sizes[s]);
		ck_assert_uint_eq(m->u.map.cap & (m->u.map.cap - 1), 0);
		pairs = m->u.map.pairs;
		for (i = 0; i < sizes[s]; i++)
			ck_assert_int_eq(tval_set_int(a, m, arena_printf(a, "k%zu", (i * 7919) %
			    sizes[s]), (long long)i), 0);
		ck_assert_ptr_eq(m->u.map.pairs, pairs);
		ck_assert_uint_eq(m->u.map.n, sizes[s]);
		for (i = 0; i < sizes[s]; i++)
			ck_assert_ptr_nonnull(tval_get(m, arena_printf(a, "k%zu", i)));
		ck_assert_ptr_null(tval_get(m, "k-1"));
		/* One more than it was made for: it grows as any map. */
		ck_assert_int_eq(tval_set_int(a, m, "more", 1), 0);
		ck_assert(tval_get(m, "more")->u.num == 1);
	}
	m = tval_map_sized(a, 0);
	ck_assert_ptr_nonnull(m);
	ck_assert_int_eq(tval_set_int(a, m, "x", 1), 0);
	ck_assert(tval_get(m, "x")->u.num == 1);
}
END_TEST

START_TEST(lists)
{
	struct tval *l = tval_list(a);
	size_t i;

	for (i = 0; i < 50; i++)
		ck_assert_int_eq(tval_push(a, l, tval_int(a, (long long)i)), 0);
	ck_assert_uint_eq(l->u.list.n, 50);
	for (i = 0; i < 50; i++)
		ck_assert(l->u.list.items[i]->u.num == (double)i);
	ck_assert_int_eq(tval_push(a, tval_map(a), tval_null(a)), -1);
	ck_assert_int_eq(tval_push(a, NULL, tval_null(a)), -1);
}
END_TEST

/*
 * A NULL value is what a constructor that ran out of memory returns: it is
 * stored as null (nothing crashes later) and the setter reports -1, so a
 * caller can OR the results and check once.
 */
START_TEST(null_values)
{
	struct tval *m = tval_map(a), *l = tval_list(a);
	const struct tval_pair *p;
	int rc = 0;

	rc |= tval_set_str(a, m, "a", "x");
	rc |= tval_set(a, m, "b", NULL);
	rc |= tval_set_int(a, m, "c", 1);
	ck_assert_int_eq(rc, -1);
	ck_assert_uint_eq(m->u.map.n, 3);
	p = tval_find(m, "b", 1);
	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_null(p->val);

	ck_assert_int_eq(tval_push(a, l, NULL), -1);
	ck_assert_uint_eq(l->u.list.n, 1);
	ck_assert_ptr_null(l->u.list.items[0]);
}
END_TEST

START_TEST(truthy)
{
	struct tval *empty_list = tval_list(a), *list = tval_list(a);

	tval_push(a, list, tval_null(a));
	ck_assert_int_eq(tval_truthy(NULL), 0);
	ck_assert_int_eq(tval_truthy(tval_null(a)), 0);
	ck_assert_int_eq(tval_truthy(tval_bool(a, 0)), 0);
	ck_assert_int_eq(tval_truthy(tval_bool(a, 1)), 1);
	ck_assert_int_eq(tval_truthy(tval_int(a, 0)), 0);
	ck_assert_int_eq(tval_truthy(tval_num(a, NAN)), 0);
	ck_assert_int_eq(tval_truthy(tval_int(a, -1)), 1);
	ck_assert_int_eq(tval_truthy(tval_num(a, 0.001)), 1);
	ck_assert_int_eq(tval_truthy(tval_str(a, "")), 0);
	ck_assert_int_eq(tval_truthy(tval_str(a, "0")), 1);
	ck_assert_int_eq(tval_truthy(tval_str(a, " ")), 1);
	ck_assert_int_eq(tval_truthy(empty_list), 0);
	ck_assert_int_eq(tval_truthy(list), 1);
	ck_assert_int_eq(tval_truthy(tval_map(a)), 1);
}
END_TEST

static const struct {
	double n;
	const char *text;
} num_cases[] = {
	{ 0, "0" },
	{ -0.0, "0" },
	{ 85, "85" },
	{ -3, "-3" },
	{ 1.21, "1.21" },
	{ 1.210, "1.21" },
	{ 1.1, "1.1" },
	{ 2.2, "2.2" },
	{ 3.3, "3.3" },
	{ 0.1 + 0.2, "0.30000000000000004" },
	{ 1.0 / 3.0, "0.3333333333333333" },
	{ 123456789012.0, "123456789012" },
	{ -123456789012.0, "-123456789012" },
	{ 9007199254740991.0, "9007199254740991" },
	{ -9007199254740991.0, "-9007199254740991" },
	{ 9007199254740992.0, "9007199254740992" },
	{ 1e16, "10000000000000000" },
	{ 1e17, "100000000000000000" },
	{ 1e20, "100000000000000000000" },
	{ 9007199254740993.0, "9007199254740992" },
	{ 1e21, "1e+21" },
	{ 1e100, "1e+100" },
	{ 2.5e-7, "2.5e-07" },
	{ -1234.5, "-1234.5" },
	{ 1.7976931348623157e308, "1.7976931348623157e+308" },
	{ 5e-324, "5e-324" },
	{ INFINITY, "Infinity" },
	{ -INFINITY, "-Infinity" },
	{ NAN, "NaN" },
};

START_TEST(format_num)
{
	char buf[TVAL_NUM_MAX];
	size_t len;

	len = tval_format_num(num_cases[_i].n, buf, sizeof(buf));
	ck_assert_str_eq(buf, num_cases[_i].text);
	ck_assert_uint_eq(len, strlen(num_cases[_i].text));
}
END_TEST

START_TEST(format_num_truncates)
{
	char buf[4];

	ck_assert_uint_eq(tval_format_num(123456, buf, sizeof(buf)), 3);
	ck_assert_str_eq(buf, "123");
	ck_assert_uint_eq(tval_format_num(1, buf, 0), 0);
}
END_TEST

/* With the heap gone, constructors and setters fail cleanly. */
START_TEST(out_of_memory)
{
	struct tval *m, *l;
	char big[2048];
	int rc = 0, i;

	m = tval_map(a);
	l = tval_list(a);
	ck_assert_ptr_nonnull(m);
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	mem_fail_after(0);
	/* The first chunk runs out quickly; no new chunk can be had. */
	for (i = 0; i < 200; i++) {
		rc |= tval_push(a, l, tval_int(a, i));
		rc |= tval_set_str(a, m, "k", "v");
	}
	ck_assert_int_eq(rc, -1);
	ck_assert_ptr_null(tval_strdup(a, big));
	ck_assert_ptr_null(tval_map(a));
	mem_fail_after(-1);
	/* Whatever went in is still consistent. */
	for (i = 0; i < (int)l->u.list.n; i++)
		ck_assert(l->u.list.items[i] == NULL || l->u.list.items[i]->u.num == i);
	ck_assert_ptr_nonnull(tval_map(a));
}
END_TEST

Suite *
tval_suite(void)
{
	Suite *s = suite_create("tval");
	TCase *tc = tcase_create("tval");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, scalars);
	tcase_add_test(tc, maps);
	tcase_add_test(tc, indexed_maps);
	tcase_add_test(tc, sized_maps);
	tcase_add_test(tc, lists);
	tcase_add_test(tc, null_values);
	tcase_add_test(tc, truthy);
	tcase_add_loop_test(tc, format_num, 0, (int)NELEM(num_cases));
	tcase_add_test(tc, format_num_truncates);
	tcase_add_test(tc, out_of_memory);
	suite_add_tcase(s, tc);
	return s;
}
