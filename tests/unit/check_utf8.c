/* Unit tests: characters in UTF-8 text, and the result vocabulary (src/core). */
#include "core/arena.h"
#include "core/result.h"
#include "core/utf8.h"
#include "web/result.h"

#include <check.h>
#include <string.h>

START_TEST(utf8_counts_characters_not_bytes)
{
	/* Greek and Japanese: 2 and 3 bytes a character. */
	ck_assert_uint_eq(utf8_chars("καλημέρα"), 8);
	ck_assert_uint_eq(utf8_chars("こんにちは"), 5);
	ck_assert_uint_eq(utf8_chars(""), 0);
	ck_assert_uint_eq(utf8_chars_n("こんにちは", 6), 2);
	ck_assert_int_eq(utf8_chars_checked("naïve"), 5);
	ck_assert_int_eq(utf8_chars_checked("\xc3"), -1);
	ck_assert_int_eq(utf8_chars_checked("a\x80"), -1);
}
END_TEST

START_TEST(utf8_short_cuts_at_a_character)
{
	struct arena *a = arena_new(1024);

	ck_assert_str_eq(utf8_short(a, "こんにちは", 2), "こん…");
	ck_assert_str_eq(utf8_short(a, "short", 10), "short");
	arena_free(a);
}
END_TEST

START_TEST(result_names_and_statuses)
{
	ck_assert_str_eq(cs_result_str(CS_OK), "ok");
	ck_assert_str_eq(cs_result_str(CS_NOT_FOUND), "not_found");
	ck_assert_str_eq(cs_result_str(CS_RESULT__MAX), "invalid");
	ck_assert_int_eq(web_result_status(CS_REFUSED), 422);
	ck_assert_int_eq(web_result_status(CS_DB_LOST), 503);
	ck_assert_int_eq(web_result_status(CS_TAKEN), 409);
}
END_TEST

Suite *utf8_suite(void);

Suite *
utf8_suite(void)
{
	Suite *s = suite_create("utf8");
	TCase *tc = tcase_create("utf8");

	tcase_add_test(tc, utf8_counts_characters_not_bytes);
	tcase_add_test(tc, utf8_short_cuts_at_a_character);
	tcase_add_test(tc, result_names_and_statuses);
	suite_add_tcase(s, tc);
	return s;
}
