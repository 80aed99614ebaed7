/*
 * check_form.c — form_parse_urlencoded, url_decode / url_encode and the
 * lookups. Tables of inputs with what they must give; the limits are
 * tried at exactly the limit and one past it.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/form.h"
#include "core/mem.h"

Suite *form_suite(void);

/* A literal and its length, NUL bytes included. */
#define S(x) x, sizeof(x) - 1
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* Small enough that every limit is a few bytes away. */
static const struct form_limits lim_small = {
	.max_fields = 3,
	.max_field_size = 4,
	.max_name_size = 3,
	.max_file_size = 5,
	.max_files = 2,
};

struct want_field {
	const char *name;
	const char *value;
	size_t len;
};

struct ue_case {
	const char *in;
	size_t len;
	const struct form_limits *lim;	/* NULL: the defaults */
	enum form_err err;
	size_t n;
	struct want_field f[3];
};

static const struct ue_case ue_cases[] = {
	/* Valid. */
	{ S(""), NULL, FORM_OK, 0, { { 0 } } },
	{ S("a=1&b=2"), NULL, FORM_OK, 2, { { "a", S("1") }, { "b", S("2") } } },
	{ S("a=1&&b=2&"), NULL, FORM_OK, 2, { { "a", S("1") }, { "b", S("2") } } },
	{ S("&&&"), NULL, FORM_OK, 0, { { 0 } } },
	{ S("a"), NULL, FORM_OK, 1, { { "a", S("") } } },
	{ S("a="), NULL, FORM_OK, 1, { { "a", S("") } } },
	{ S("a=1;b=2"), NULL, FORM_OK, 1, { { "a", S("1;b=2") } } },
	{ S("a=b=c"), NULL, FORM_OK, 1, { { "a", S("b=c") } } },
	{ S("a+b=c+d"), NULL, FORM_OK, 1, { { "a b", S("c d") } } },
	{ S("%41%62=%7e%7E"), NULL, FORM_OK, 1, { { "Ab", S("~~") } } },
	{ S("a=%2B%26%3D%25"), NULL, FORM_OK, 1, { { "a", S("+&=%") } } },
	{ S("=x&a=1&="), NULL, FORM_OK, 1, { { "a", S("1") } } },
	{ S("a=1&a=2"), NULL, FORM_OK, 2, { { "a", S("1") }, { "a", S("2") } } },
	{ S("a=%e2%82%ac"), NULL, FORM_OK, 1, { { "a", S("\xe2\x82\xac") } } },
	{ S("\xc3\xa9=\xc3\xa9"), NULL, FORM_OK, 1, { { "\xc3\xa9", S("\xc3\xa9") } } },
	{ S("a=%09%0D%0A"), NULL, FORM_OK, 1, { { "a", S("\t\r\n") } } },
	{ S("a=x\r\ny"), NULL, FORM_OK, 1, { { "a", S("x\r\ny") } } },
	{ S("a=%c2%a0"), NULL, FORM_OK, 1, { { "a", S("\xc2\xa0") } } },
	{ S("a=%ed%9f%bf"), NULL, FORM_OK, 1, { { "a", S("\xed\x9f\xbf") } } },
	{ S("a=%ef%bf%bf"), NULL, FORM_OK, 1, { { "a", S("\xef\xbf\xbf") } } },
	{ S("a=%f0%90%80%80"), NULL, FORM_OK, 1, { { "a", S("\xf0\x90\x80\x80") } } },
	{ S("a=%f4%8f%bf%bf"), NULL, FORM_OK, 1, { { "a", S("\xf4\x8f\xbf\xbf") } } },

	/* Bad escapes. */
	{ S("a=%G1"), NULL, FORM_BAD, 0, { { 0 } } },
	{ S("a=%4"), NULL, FORM_BAD, 0, { { 0 } } },
	{ S("a=%"), NULL, FORM_BAD, 0, { { 0 } } },
	{ S("a=%4g"), NULL, FORM_BAD, 0, { { 0 } } },
	{ S("a=% 1"), NULL, FORM_BAD, 0, { { 0 } } },
	{ S("%zz=1"), NULL, FORM_BAD, 0, { { 0 } } },
	{ S("a%=1"), NULL, FORM_BAD, 0, { { 0 } } },
	{ S("ok=1&a=%4"), NULL, FORM_BAD, 0, { { 0 } } },

	/* Control characters: none in names, only tab CR LF in values. */
	{ S("a=%00"), NULL, FORM_BAD, 0, { { 0 } } },
	{ S("a=x\0y"), NULL, FORM_BAD, 0, { { 0 } } },
	{ S("a%00=1"), NULL, FORM_BAD, 0, { { 0 } } },
	{ S("a=%01"), NULL, FORM_BAD, 0, { { 0 } } },
	{ S("a=%1b"), NULL, FORM_BAD, 0, { { 0 } } },
	{ S("a=%7f"), NULL, FORM_BAD, 0, { { 0 } } },
	{ S("a=%c2%80"), NULL, FORM_BAD, 0, { { 0 } } },
	{ S("a=%c2%9f"), NULL, FORM_BAD, 0, { { 0 } } },
	{ S("a%09=1"), NULL, FORM_BAD, 0, { { 0 } } },
	{ S("a%0a=1"), NULL, FORM_BAD, 0, { { 0 } } },
	{ S("a\r=1"), NULL, FORM_BAD, 0, { { 0 } } },
	{ S("a\x01=1"), NULL, FORM_BAD, 0, { { 0 } } },

	/* Invalid UTF-8. */
	{ S("a=%ff"), NULL, FORM_BAD, 0, { { 0 } } },
	{ S("a=%80"), NULL, FORM_BAD, 0, { { 0 } } },
	{ S("a=%c0%80"), NULL, FORM_BAD, 0, { { 0 } } },
	{ S("a=%c1%bf"), NULL, FORM_BAD, 0, { { 0 } } },
	{ S("a=%e0%80%80"), NULL, FORM_BAD, 0, { { 0 } } },
	{ S("a=%e0%9f%bf"), NULL, FORM_BAD, 0, { { 0 } } },
	{ S("a=%f0%80%80%80"), NULL, FORM_BAD, 0, { { 0 } } },
	{ S("a=%f0%8f%bf%bf"), NULL, FORM_BAD, 0, { { 0 } } },
	{ S("a=%ed%a0%80"), NULL, FORM_BAD, 0, { { 0 } } },
	{ S("a=%ed%bf%bf"), NULL, FORM_BAD, 0, { { 0 } } },
	{ S("a=%f4%90%80%80"), NULL, FORM_BAD, 0, { { 0 } } },
	{ S("a=%f5%80%80%80"), NULL, FORM_BAD, 0, { { 0 } } },
	{ S("a=%e2%82"), NULL, FORM_BAD, 0, { { 0 } } },
	{ S("a=%e2%82x"), NULL, FORM_BAD, 0, { { 0 } } },
	{ S("a=%f0%9f%98"), NULL, FORM_BAD, 0, { { 0 } } },
	{ S("a=\xe2\x82"), NULL, FORM_BAD, 0, { { 0 } } },
	{ S("%ff=1"), NULL, FORM_BAD, 0, { { 0 } } },
	{ S("\xff\xfe\x00\x01=\x80\x00"), NULL, FORM_BAD, 0, { { 0 } } },
	{ S("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), NULL, FORM_BAD, 0, { { 0 } } },

	/* Limits: exactly at each one, then one past it. */
	{ S("a=1&b=2&c=3"), &lim_small, FORM_OK, 3,
	    { { "a", S("1") }, { "b", S("2") }, { "c", S("3") } } },
	{ S("a=1&b=2&c=3&d=4"), &lim_small, FORM_TOO_BIG, 0, { { 0 } } },
	{ S("a&b&c&&"), &lim_small, FORM_OK, 3,
	    { { "a", S("") }, { "b", S("") }, { "c", S("") } } },
	{ S("a&b&c&d"), &lim_small, FORM_TOO_BIG, 0, { { 0 } } },
	{ S("a=abcd"), &lim_small, FORM_OK, 1, { { "a", S("abcd") } } },
	{ S("a=abcde"), &lim_small, FORM_TOO_BIG, 0, { { 0 } } },
	{ S("a=%41%41%41%41"), &lim_small, FORM_OK, 1, { { "a", S("AAAA") } } },
	{ S("a=%41%41%41%41%41"), &lim_small, FORM_TOO_BIG, 0, { { 0 } } },
	{ S("a=\xe2\x82\xac" "b"), &lim_small, FORM_OK, 1, { { "a", S("\xe2\x82\xac" "b") } } },
	{ S("a=\xe2\x82\xac\xe2\x82\xac"), &lim_small, FORM_TOO_BIG, 0, { { 0 } } },
	{ S("abc=1"), &lim_small, FORM_OK, 1, { { "abc", S("1") } } },
	{ S("abcd=1"), &lim_small, FORM_TOO_BIG, 0, { { 0 } } },
	{ S("%41%42%43=1"), &lim_small, FORM_OK, 1, { { "ABC", S("1") } } },
	{ S("%41%42%43%44"), &lim_small, FORM_TOO_BIG, 0, { { 0 } } },
	{ S("\xc3\xa9" "a"), &lim_small, FORM_OK, 1, { { "\xc3\xa9" "a", S("") } } },
	{ S("\xc3\xa9\xc3\xa9"), &lim_small, FORM_TOO_BIG, 0, { { 0 } } },
};

START_TEST(test_urlencoded_table)
{
	const struct ue_case *c = &ue_cases[_i];
	struct arena *a = arena_new(1024);
	struct form f;
	enum form_err e;
	size_t i;

	ck_assert_ptr_nonnull(a);
	form_init(&f);
	e = form_parse_urlencoded(a, c->in, c->len, c->lim ? c->lim : &form_default_limits, &f);
	ck_assert_msg(e == c->err, "case %d: got %s, want %s", _i, form_strerror(e),
	    form_strerror(c->err));
	ck_assert_msg(f.nfields == (e == FORM_OK ? c->n : 0), "case %d: %zu fields, want %zu",
	    _i, f.nfields, c->n);
	ck_assert_uint_eq(f.nfiles, 0);
	for (i = 0; e == FORM_OK && i < c->n; i++) {
		ck_assert_str_eq(f.fields[i].name, c->f[i].name);
		ck_assert_uint_eq(f.fields[i].value_len, c->f[i].len);
		ck_assert_mem_eq(f.fields[i].value, c->f[i].value, c->f[i].len);
		ck_assert_int_eq(f.fields[i].value[c->f[i].len], '\0');
	}
	arena_free(a);
}
END_TEST

/* A form of n fields "f0=v&f1=v&..." with values of vlen bytes. */
static char *
make_fields(struct arena *a, size_t n, size_t vlen, size_t *len)
{
	struct buf b;
	size_t i, j;

	buf_init(&b, a);
	for (i = 0; i < n; i++) {
		buf_printf(&b, "%sf%zu=", i ? "&" : "", i);
		for (j = 0; j < vlen; j++)
			buf_addch(&b, 'v');
	}
	ck_assert(!buf_failed(&b));
	*len = b.len;
	return b.buf;
}

/* The default limits, at and past each one. */
START_TEST(test_urlencoded_default_limits)
{
	const struct form_limits *lim = &form_default_limits;
	struct arena *a = arena_new(1 << 16);
	struct form f;
	struct buf b;
	char *in;
	size_t len;

	ck_assert_uint_eq(lim->max_fields, 256);
	ck_assert_uint_eq(lim->max_field_size, 65536);
	ck_assert_uint_eq(lim->max_name_size, 128);
	ck_assert_uint_eq(lim->max_file_size, 10 * 1024 * 1024);
	ck_assert_uint_eq(lim->max_files, 20);

	in = make_fields(a, 256, 1, &len);
	form_init(&f);
	ck_assert_int_eq(form_parse_urlencoded(a, in, len, lim, &f), FORM_OK);
	ck_assert_uint_eq(f.nfields, 256);
	ck_assert_str_eq(form_get(&f, "f255"), "v");
	in = make_fields(a, 257, 1, &len);
	form_init(&f);
	ck_assert_int_eq(form_parse_urlencoded(a, in, len, lim, &f), FORM_TOO_BIG);

	in = make_fields(a, 1, 65536, &len);
	form_init(&f);
	ck_assert_int_eq(form_parse_urlencoded(a, in, len, lim, &f), FORM_OK);
	ck_assert_uint_eq(f.fields[0].value_len, 65536);
	in = make_fields(a, 1, 65537, &len);
	form_init(&f);
	ck_assert_int_eq(form_parse_urlencoded(a, in, len, lim, &f), FORM_TOO_BIG);

	buf_init(&b, a);
	while (b.len < 128)
		buf_addch(&b, 'n');
	buf_addstr(&b, "=1");
	form_init(&f);
	ck_assert_int_eq(form_parse_urlencoded(a, b.buf, b.len, lim, &f), FORM_OK);
	ck_assert_uint_eq(strlen(f.fields[0].name), 128);
	buf_reset(&b);
	while (b.len < 129)
		buf_addch(&b, 'n');
	form_init(&f);
	ck_assert_int_eq(form_parse_urlencoded(a, b.buf, b.len, lim, &f), FORM_TOO_BIG);
	arena_free(a);
}
END_TEST

/* Limits count the whole form, and a failed parse leaves it as it was. */
START_TEST(test_urlencoded_appends)
{
	struct arena *a = arena_new(1024);
	struct form f;
	size_t len;

	form_init(&f);
	ck_assert_int_eq(form_parse_urlencoded(a, S("a=1&b=2"), &lim_small, &f), FORM_OK);
	ck_assert_int_eq(form_parse_urlencoded(a, S("c=3&d=4"), &lim_small, &f), FORM_TOO_BIG);
	ck_assert_uint_eq(f.nfields, 2);
	ck_assert_int_eq(form_parse_urlencoded(a, S("c=%zz"), &lim_small, &f), FORM_BAD);
	ck_assert_uint_eq(f.nfields, 2);
	ck_assert_int_eq(form_parse_urlencoded(a, S("c=3"), &lim_small, &f), FORM_OK);
	ck_assert_uint_eq(f.nfields, 3);
	ck_assert_str_eq(form_get(&f, "a"), "1");
	ck_assert_str_eq(form_getn(&f, "c", &len), "3");
	ck_assert_uint_eq(len, 1);
	ck_assert_ptr_null(form_get(&f, "d"));
	ck_assert_ptr_null(form_getn(&f, "", &len));
	ck_assert_ptr_null(form_file(&f, "a"));
	arena_free(a);
}
END_TEST

/* A name with a NUL-free prefix must not match a longer one, nor the reverse. */
START_TEST(test_form_get_exact)
{
	struct arena *a = arena_new(1024);
	struct form f;

	form_init(&f);
	ck_assert_int_eq(form_parse_urlencoded(a, S("ab=1&a=2&abc=3"), &form_default_limits, &f),
	    FORM_OK);
	ck_assert_str_eq(form_get(&f, "a"), "2");
	ck_assert_str_eq(form_get(&f, "ab"), "1");
	ck_assert_str_eq(form_get(&f, "abc"), "3");
	ck_assert_ptr_null(form_get(&f, "abcd"));
	arena_free(a);
}
END_TEST

struct dec_case {
	const char *in;
	size_t len;
	int plus_space;
	const char *out;	/* NULL: a bad escape */
	size_t out_len;
};

static const struct dec_case dec_cases[] = {
	{ S(""), 0, S("") },
	{ S("abc"), 0, S("abc") },
	{ S("a+b%20c"), 0, S("a+b c") },
	{ S("a+b%20c"), 1, S("a b c") },
	{ S("%2b%2B"), 1, S("++") },
	{ S("%00"), 0, S("\0") },
	{ S("x%00y%ff"), 0, S("x\0y\xff") },
	{ S("%e2%82%ac"), 0, S("\xe2\x82\xac") },
	{ S("\0raw"), 0, S("\0raw") },
	{ S("%"), 0, NULL, 0 },
	{ S("%4"), 1, NULL, 0 },
	{ S("%G1"), 0, NULL, 0 },
	{ S("%1G"), 0, NULL, 0 },
	{ S("abc%"), 0, NULL, 0 },
	{ S("%%41"), 0, NULL, 0 },
};

START_TEST(test_url_decode_table)
{
	const struct dec_case *c = &dec_cases[_i];
	struct arena *a = arena_new(1024);
	size_t len = 12345;
	char *s;

	s = url_decode(a, c->in, c->len, c->plus_space, &len);
	if (c->out == NULL) {
		ck_assert_msg(s == NULL, "case %d decoded", _i);
		ck_assert_uint_eq(len, (size_t)-1);
	} else {
		ck_assert_msg(s != NULL, "case %d failed", _i);
		ck_assert_uint_eq(len, c->out_len);
		ck_assert_mem_eq(s, c->out, c->out_len);
		ck_assert_int_eq(s[len], '\0');
	}
	arena_free(a);
}
END_TEST

START_TEST(test_url_encode)
{
	struct arena *a = arena_new(1024);
	struct buf b;

	buf_init(&b, a);
	url_encode(&b, "a b&c=d/\xc3\xa9~-._+%");
	ck_assert_str_eq(b.buf, "a%20b%26c%3Dd%2F%C3%A9~-._%2B%25");
	buf_reset(&b);
	url_encode(&b, "");
	ck_assert_str_eq(b.buf, "");
	ck_assert(!buf_failed(&b));
	arena_free(a);
}
END_TEST

/* Every byte but NUL survives encoding then decoding, either way of decoding. */
START_TEST(test_url_round_trip)
{
	static const char *const samples[] = {
		"", "plain", "a b+c", "100%", "&=?#;/", "\xc3\xa9t\xc3\xa9", "\r\n\t", "~-._",
	};
	struct arena *a = arena_new(1024);
	char all[256];
	struct buf b;
	size_t i, len;
	char *s;
	int plus;

	for (i = 1; i < 256; i++)
		all[i - 1] = (char)i;
	all[255] = '\0';
	buf_init(&b, a);
	for (plus = 0; plus <= 1; plus++) {
		for (i = 0; i <= NELEM(samples); i++) {
			const char *in = i < NELEM(samples) ? samples[i] : all;

			buf_reset(&b);
			url_encode(&b, in);
			ck_assert(!buf_failed(&b));
			ck_assert_ptr_null(strchr(b.buf, ' '));
			s = url_decode(a, b.buf, b.len, plus, &len);
			ck_assert_ptr_nonnull(s);
			ck_assert_uint_eq(len, strlen(in));
			ck_assert_mem_eq(s, in, len);
		}
	}
	arena_free(a);
}
END_TEST

/*
 * Every allocation failing in turn: the parser reports FORM_NOMEM and
 * leaves the form untouched, until enough succeed for FORM_OK. The arena
 * is made first (its first chunk must exist), so only chunks fail.
 */
START_TEST(test_urlencoded_nomem)
{
	struct arena *scratch = arena_new(1024);
	struct arena *a;
	struct form f;
	enum form_err e;
	char *in;
	size_t len;
	long k;
	int saw_nomem = 0;

	in = make_fields(scratch, 200, 20, &len);
	for (k = 0; k < 1000; k++) {
		a = arena_new(1024);
		ck_assert_ptr_nonnull(a);
		form_init(&f);
		mem_fail_after(k);
		e = form_parse_urlencoded(a, in, len, &form_default_limits, &f);
		mem_fail_after(-1);
		arena_free(a);
		ck_assert_msg(e == FORM_OK || e == FORM_NOMEM, "k=%ld: %s", k, form_strerror(e));
		if (e == FORM_OK)
			break;
		ck_assert_uint_eq(f.nfields, 0);
		saw_nomem = 1;
	}
	ck_assert(saw_nomem);
	ck_assert_int_eq(e, FORM_OK);

	/* url_decode tells no memory from a bad escape. */
	a = arena_new(1024);
	mem_fail_after(0);
	len = 99;
	ck_assert_ptr_null(url_decode(a, in, strlen(in), 1, &len));
	ck_assert_uint_eq(len, 0);
	ck_assert_ptr_null(url_decode(a, S("%zz"), 1, &len));
	ck_assert_uint_eq(len, (size_t)-1);
	mem_fail_after(-1);
	arena_free(a);
	arena_free(scratch);
}
END_TEST

START_TEST(test_strerror)
{
	static const enum form_err all[] = { FORM_OK, FORM_BAD, FORM_TOO_BIG, FORM_NOMEM };
	size_t i, j;

	for (i = 0; i < NELEM(all); i++) {
		ck_assert_ptr_nonnull(form_strerror(all[i]));
		for (j = 0; j < i; j++)
			ck_assert_str_ne(form_strerror(all[i]), form_strerror(all[j]));
	}
	ck_assert_ptr_nonnull(form_strerror((enum form_err)7));
	ck_assert_ptr_nonnull(form_strerror((enum form_err)-9));
}
END_TEST

/* The shared checks, directly: the parsers rely on their edges. */
START_TEST(test_text_valid)
{
	ck_assert(form_text_valid(S(""), 0));
	ck_assert(form_text_valid(S("plain ascii ~"), 0));
	ck_assert(!form_text_valid(S("tab\t"), 0));
	ck_assert(form_text_valid(S("tab\t\r\n"), 1));
	ck_assert(!form_text_valid(S("\v"), 1));
	ck_assert(!form_text_valid(S("\0"), 1));
	ck_assert(form_text_valid(S("\xdf\xbf\xe0\xa0\x80\xf3\xbf\xbf\xbf"), 0));
	ck_assert(!form_text_valid(S("\xf8\x88\x80\x80\x80"), 0));
	ck_assert(!form_text_valid(S("\xc2"), 0));
	ck_assert(!form_text_valid(S("\xe1\x80\xc0"), 0));
	ck_assert_int_eq(form_check_name(&lim_small, S("")), FORM_BAD);
	ck_assert_int_eq(form_check_name(&lim_small, S("abc")), FORM_OK);
	ck_assert_int_eq(form_check_name(&lim_small, S("abcd")), FORM_TOO_BIG);
}
END_TEST

Suite *
form_suite(void)
{
	Suite *s = suite_create("form");
	TCase *tc = tcase_create("urlencoded");

	tcase_add_loop_test(tc, test_urlencoded_table, 0, (int)NELEM(ue_cases));
	tcase_add_test(tc, test_urlencoded_default_limits);
	tcase_add_test(tc, test_urlencoded_appends);
	tcase_add_test(tc, test_form_get_exact);
	tcase_add_test(tc, test_urlencoded_nomem);
	suite_add_tcase(s, tc);

	tc = tcase_create("url");
	tcase_add_loop_test(tc, test_url_decode_table, 0, (int)NELEM(dec_cases));
	tcase_add_test(tc, test_url_encode);
	tcase_add_test(tc, test_url_round_trip);
	suite_add_tcase(s, tc);

	tc = tcase_create("helpers");
	tcase_add_test(tc, test_strerror);
	tcase_add_test(tc, test_text_valid);
	suite_add_tcase(s, tc);
	return s;
}
