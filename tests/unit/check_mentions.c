/*
 * The @mention parser (domain/mentions.h): which handles a note names,
 * table-driven, and the limits on length and count.
 */
#include "core/arena.h"
#include "domain/mentions.h"

#include <check.h>
#include <stdio.h>
#include <string.h>

static const struct {
	const char *text;
	const char *want;	/* the handles found, joined by ',' */
} cases[] = {
	{ "@bea please check", "bea" },
	{ "Ask @Bea.", "bea" },
	{ "cc @bea, @alex.agent and @bea again", "bea,alex.agent" },
	{ "(@bea)", "bea" },
	{ "line one\n@bea-", "bea" },
	{ "mail bea@acme.test about it", "" },
	{ "@", "" },
	{ "@ bea", "" },
	{ "@.", "" },
	{ "a@@bea", "bea" },
	{ "x@bea @c_d+e%f", "c_d+e%f" },
	{ "no mention here", "" },
	{ "", "" },
};

START_TEST(parses_handles)
{
	struct arena *a = arena_new(1024);
	const char *out[MENTIONS_MAX];
	char got[256];
	size_t n, k, off = 0;

	ck_assert_ptr_nonnull(a);
	n = mentions_parse(a, cases[_i].text, strlen(cases[_i].text), out, MENTIONS_MAX);
	got[0] = '\0';
	for (k = 0; k < n; k++)
		off += (size_t)snprintf(got + off, sizeof(got) - off, "%s%s", k ? "," : "", out[k]);
	ck_assert_msg(strcmp(got, cases[_i].want) == 0, "\"%s\": got \"%s\", want \"%s\"",
	    cases[_i].text, got, cases[_i].want);
	arena_free(a);
}
END_TEST

START_TEST(limits)
{
	struct arena *a = arena_new(1024);
	const char *out[MENTIONS_MAX];
	char text[512];
	size_t n;
	int i, off = 0;

	ck_assert_ptr_nonnull(a);
	/* A 65-character handle is nobody's; 64 is still one. */
	text[off++] = '@';
	for (i = 0; i < 65; i++)
		text[off++] = 'x';
	text[off] = '\0';
	ck_assert_uint_eq(mentions_parse(a, text, strlen(text), out, MENTIONS_MAX), 0);
	text[off - 1] = '\0';
	ck_assert_uint_eq(mentions_parse(a, text, strlen(text), out, MENTIONS_MAX), 1);
	ck_assert_uint_eq(strlen(out[0]), 64);
	/* At most max handles. */
	off = 0;
	for (i = 0; i < 30; i++)
		off += snprintf(text + off, sizeof(text) - (size_t)off, "@h%d ", i);
	n = mentions_parse(a, text, strlen(text), out, 3);
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(out[2], "h2");
	/* The length given is respected: no reading past it. */
	ck_assert_uint_eq(mentions_parse(a, "@bea", 3, out, MENTIONS_MAX), 1);
	ck_assert_str_eq(out[0], "be");
	arena_free(a);
}
END_TEST

Suite *mentions_suite(void);

Suite *
mentions_suite(void)
{
	Suite *s = suite_create("mentions");
	TCase *tc = tcase_create("mentions");

	tcase_add_loop_test(tc, parses_handles, 0, (int)(sizeof(cases) / sizeof(cases[0])));
	tcase_add_test(tc, limits);
	suite_add_tcase(s, tc);
	return s;
}
