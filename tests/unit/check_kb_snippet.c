/*
 * check_kb_snippet.c — a search result's snippet made by the worker: the
 * matching word forms marked wherever they stand and whatever their case,
 * passages of at most 28 words centred on the matches, two at most joined
 * by an ellipsis, the text's start when nothing matches, and HTML escaped.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "domain/kb_search.h"

Suite *kb_snippet_suite(void);

static struct arena *a;

static void
setup(void)
{
	a = arena_new(4096);
}

static void
teardown(void)
{
	arena_free(a);
}

/* "w1 w2 … wn" */
static const char *
words(int n)
{
	/* " w" and up to 10 digits a word. */
	size_t size = (size_t)n * 12 + 1, used = 0;
	char *s = arena_alloc(a, size);
	int i;

	ck_assert_ptr_nonnull(s);
	s[0] = '\0';
	for (i = 1; i <= n; i++)
		used += (size_t)snprintf(s + used, size - used, "%sw%d", i > 1 ? " " : "", i);
	return s;
}

START_TEST(forms_are_marked_whatever_their_case)
{
	const char *s = kb_snippet_make(a, "Resetting the Router: reset it, then resets.",
	    "reset resets resetting router");

	ck_assert_str_eq(s, "<mark>Resetting</mark> the <mark>Router</mark>: <mark>reset</mark> it,"
	    " then <mark>resets</mark>.");
}
END_TEST

START_TEST(only_whole_words)
{
	ck_assert_str_eq(kb_snippet_make(a, "preset resetter reset", "reset"),
	    "preset resetter <mark>reset</mark>");
}
END_TEST

START_TEST(nothing_matches_the_start)
{
	ck_assert_str_eq(kb_snippet_make(a, words(40), "nowhere"),
	    "w1 w2 w3 w4 w5 w6 w7 w8 w9 w10 w11 w12");
	ck_assert_str_eq(kb_snippet_make(a, "", "x"), "");
}
END_TEST

START_TEST(a_passage_is_centred_on_the_match)
{
	const char *s = kb_snippet_make(a, words(100), "w50");

	/* 28 words: 13 before the match, 14 after. */
	ck_assert_str_eq(s, "w37 w38 w39 w40 w41 w42 w43 w44 w45 w46 w47 w48 w49 <mark>w50</mark>"
	    " w51 w52 w53 w54 w55 w56 w57 w58 w59 w60 w61 w62 w63 w64");
	/* Near the end the passage keeps its length by starting earlier. */
	s = kb_snippet_make(a, words(30), "w30");
	ck_assert_ptr_nonnull(strstr(s, "w3 w4"));
	ck_assert_ptr_null(strstr(s, "w2 "));
}
END_TEST

START_TEST(two_passages_at_most)
{
	const char *s = kb_snippet_make(a, words(200), "w20 w100 w180");

	ck_assert_ptr_nonnull(strstr(s, "<mark>w20</mark>"));
	ck_assert_ptr_nonnull(strstr(s, " … "));
	ck_assert_ptr_nonnull(strstr(s, "<mark>w100</mark>"));
	ck_assert_ptr_null(strstr(s, "w180"));
	/* Matches close together share one passage. */
	s = kb_snippet_make(a, words(200), "w20 w22");
	ck_assert_ptr_null(strstr(s, " … "));
}
END_TEST

START_TEST(escaped_and_punctuation_separates)
{
	ck_assert_str_eq(kb_snippet_make(a, "<b>Wi\xe2\x80\x94" "fi</b> & “caf\xc3\xa9”…",
	    "fi caf\xc3\xa9"),
	    "&lt;b&gt;Wi\xe2\x80\x94<mark>fi</mark>&lt;/b&gt; &amp; “<mark>caf\xc3\xa9</mark>”…");
}
END_TEST

Suite *
kb_snippet_suite(void)
{
	Suite *s = suite_create("kb_snippet");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, forms_are_marked_whatever_their_case);
	tcase_add_test(tc, only_whole_words);
	tcase_add_test(tc, nothing_matches_the_start);
	tcase_add_test(tc, a_passage_is_centred_on_the_match);
	tcase_add_test(tc, two_passages_at_most);
	tcase_add_test(tc, escaped_and_punctuation_separates);
	suite_add_tcase(s, tc);
	return s;
}
