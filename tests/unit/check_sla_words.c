/*
 * Service levels in words: the time left on a badge (the same sentences
 * the SQL made before: whole minutes and hours, rounded down, "overdue by"
 * past the due time), a target's length, and a customer's promise.
 */
#include "core/arena.h"
#include "domain/sla_words.h"

#include <check.h>
#include <stdio.h>

START_TEST(left)
{
	static const struct {
		long long s;
		const char *out;
	} cases[] = {
		{ 0, "0 min left" }, { 59, "0 min left" }, { 60, "1 min left" },
		{ 3599, "59 min left" }, { 3600, "1 h 0 min left" },
		{ 12000, "3 h 20 min left" }, { 86399, "23 h 59 min left" },
		{ 86400, "1 d 0 h left" }, { 2 * 86400 + 4 * 3600 + 59, "2 d 4 h left" },
		{ -1, "overdue by 0 min" }, { -45 * 60, "overdue by 45 min" },
		{ -(3600 + 61), "overdue by 1 h 1 min" }, { -3 * 86400, "overdue by 3 d 0 h" },
	};
	struct arena *a = arena_new(1024);
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		ck_assert_str_eq(sla_left_words(a, cases[i].s), cases[i].out);
	arena_free(a);
}
END_TEST

START_TEST(target)
{
	static const struct {
		int m, day;
		const char *out;
	} cases[] = {
		{ 30, 480, "30 min" }, { 240, 480, "4 h" }, { 480, 480, "1 business day" },
		{ 960, 480, "2 business days" }, { 90, 480, "90 min" }, { 720, 480, "12 h" },
		{ 1440, 1440, "24 h" }, { 2880, 1440, "48 h" }, { 15, 1440, "15 min" },
	};
	struct arena *a = arena_new(1024);
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		ck_assert_str_eq(sla_target_words(a, cases[i].m, cases[i].day), cases[i].out);
	arena_free(a);
}
END_TEST

START_TEST(promise)
{
	struct arena *a = arena_new(1024);
	struct sla_promise_due p = { "reply", "2026-03-03 14:00", 2, 1, "UTC" };

	ck_assert_str_eq(sla_promise_words(a, &p), "We will reply by Tue 14:00 (UTC time).");
	p = (struct sla_promise_due){ "solve", "2026-03-09 07:05", 1, 0, "Europe/Berlin" };
	ck_assert_str_eq(sla_promise_words(a, &p),
	    "We aim to solve this by Mon 09 Mar 07:05 (Europe/Berlin time).");
	p = (struct sla_promise_due){ "paused", NULL, 0, 0, NULL };
	ck_assert_str_eq(sla_promise_words(a, &p),
	    "We are waiting for your answer; our clock is stopped until then.");
	p = (struct sla_promise_due){ "reply", "not a time", 2, 1, "UTC" };
	ck_assert_str_eq(sla_promise_words(a, &p), "");
	p = (struct sla_promise_due){ "other", "2026-03-03 14:00", 2, 1, "UTC" };
	ck_assert_str_eq(sla_promise_words(a, &p), "");
	arena_free(a);
}
END_TEST

Suite *sla_words_suite(void);

Suite *
sla_words_suite(void)
{
	Suite *s = suite_create("sla_words");
	TCase *tc = tcase_create("sla_words");

	tcase_add_test(tc, left);
	tcase_add_test(tc, target);
	tcase_add_test(tc, promise);
	suite_add_tcase(s, tc);
	return s;
}
