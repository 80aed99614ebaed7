/*
 * check_kb_query.c — the search box's text made safe to search and record
 * (blanks, control characters, broken UTF-8, the length cap on a
 * character boundary) and Accept-Language read into the languages to try.
 */
#include <check.h>
#include <string.h>

#include "core/arena.h"
#include "domain/kb_query.h"

Suite *kb_query_suite(void);

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static const struct {
	const char *in, *out;
	int words;
} norm_cases[] = {
	{ NULL, "", 0 },
	{ "", "", 0 },
	{ "password", "password", 1 },
	{ "  reset   my\tpassword \n", "reset my password", 3 },
	{ "a\x01" "b\x7f" "c", "abc", 1 },
	{ "caf\xc3\xa9 au lait", "caf\xc3\xa9 au lait", 3 },
	{ "bad \xc3( utf8 \xff\xfe end", "bad ( utf8 end", 4 },
	{ "overlong \xc0\xaf slash", "overlong slash", 2 },
	{ "surrogate \xed\xa0\x80 x", "surrogate x", 2 },
	{ "\"exact phrase\" -minus or", "\"exact phrase\" -minus or", 4 },
};

START_TEST(normalise)
{
	struct arena *a = arena_new(1024);
	const char *got = kb_query_normalise(a, norm_cases[_i].in);

	ck_assert_str_eq(got, norm_cases[_i].out);
	ck_assert_int_eq(kb_query_words(got), norm_cases[_i].words);
	arena_free(a);
}
END_TEST

START_TEST(normalise_cap)
{
	struct arena *a = arena_new(1024);
	char in[600];
	const char *got;
	size_t i;

	/* 300 two-byte characters: the cut falls between two of them. */
	for (i = 0; i < 300; i++)
		memcpy(in + 2 * i, "\xc3\xa9", 2);
	in[600 - 1] = '\0';
	got = kb_query_normalise(a, in);
	ck_assert_uint_le(strlen(got), KB_QUERY_MAX);
	ck_assert_uint_eq(strlen(got) % 2, 0);
	ck_assert_uint_eq(strlen(got), KB_QUERY_MAX);
	arena_free(a);
}
END_TEST

static const struct {
	const char *in;
	int n;
	const char *out[KB_LANGS_MAX];
} lang_cases[] = {
	{ NULL, 0, { NULL } },
	{ "", 0, { NULL } },
	{ "*", 0, { NULL } },
	{ "de", 1, { "de" } },
	{ "de-CH, de;q=0.9, en;q=0.8", 3, { "de-ch", "de", "en" } },
	{ "fr-CA,en;q=0.5", 3, { "fr-ca", "fr", "en" } },
	{ "en;q=0.2, nl", 2, { "nl", "en" } },
	{ "en;q=0, de", 1, { "de" } },
	{ "x-klingon, EN_gb, es;q=bad", 2, { "en-gb", "en" } },
	{ "it;q=1.5, pt", 1, { "pt" } },
	{ "a,b,c,de,fr,it,es,nl", 4, { "de", "fr", "it", "es" } },
	{ "de,de,de-at", 2, { "de", "de-at" } },
};

START_TEST(accept_language)
{
	char out[KB_LANGS_MAX][KB_LANG_LEN];
	int n = kb_accept_languages(lang_cases[_i].in, out), k;

	ck_assert_int_eq(n, lang_cases[_i].n);
	for (k = 0; k < n; k++)
		ck_assert_str_eq(out[k], lang_cases[_i].out[k]);
}
END_TEST

/* pg_trgm's similarity() for the same pairs (PostgreSQL 15), which the
 * corrections made in SQL used: the kept word list must agree with it. */
static const struct {
	const char *a, *b;
	double sim;
} sim_cases[] = {
	{ "pasword", "password", 0.7 },
	{ "termostat", "thermostat", 0.615385 },
	{ "routr", "router", 0.444444 },
	{ "rooter", "router", 0.4 },
	{ "aaa", "aaaa", 1.0 },		/* distinct trigrams only */
	{ "café", "cafe", 0.428571 },	/* a multibyte letter is one character */
	{ "ab", "abc", 0.4 },
	{ "kettle", "kettle", 1.0 },
	{ "zzyzx", "kettle", 0.0 },
};

START_TEST(similarity)
{
	unsigned a[KB_TRGM_MAX], b[KB_TRGM_MAX];
	int na = kb_query_trigrams(sim_cases[_i].a, a), nb = kb_query_trigrams(sim_cases[_i].b, b);
	double got = kb_query_similarity(a, na, b, nb);

	ck_assert_msg(got > sim_cases[_i].sim - 1e-5 && got < sim_cases[_i].sim + 1e-5,
	    "%s %s: %f, want %f", sim_cases[_i].a, sim_cases[_i].b, got, sim_cases[_i].sim);
}
END_TEST

/* A word longer than KB_WORD_MAX fills the array and no more. */
START_TEST(long_word)
{
	unsigned t[KB_TRGM_MAX];

	ck_assert_int_eq(kb_query_trigrams("abcdefghijklmnopqrstuvwxyz0123456789", t),
	    KB_TRGM_MAX);
}
END_TEST

Suite *
kb_query_suite(void)
{
	Suite *s = suite_create("kb_query");
	TCase *tc = tcase_create("kb_query");

	tcase_add_loop_test(tc, normalise, 0, NELEM(norm_cases));
	tcase_add_test(tc, normalise_cap);
	tcase_add_loop_test(tc, accept_language, 0, NELEM(lang_cases));
	tcase_add_loop_test(tc, similarity, 0, NELEM(sim_cases));
	tcase_add_test(tc, long_word);
	suite_add_tcase(s, tc);
	return s;
}
