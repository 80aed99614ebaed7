/*
 * Service levels in words: the time left on a badge (the same sentences
 * the SQL made before: whole minutes and hours, rounded down, "overdue by"
 * past the due time), a target's length and a calendar's week (the
 * sentences sla_target_text and sla_hours_text made in SQL, as they made
 * them), and a customer's promise.
 */
#include "core/arena.h"
#include "domain/sla_words.h"

#include <check.h>
#include <stdio.h>
#include <string.h>

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

/*
 * What sla_target_text() in SQL answered for these (the function the admin
 * pages used before the words moved here), one case per line of its output.
 */
START_TEST(target)
{
	static const struct {
		int m, day;
		const char *out;
	} cases[] = {
		{ 1, 1, "1 business day" }, { 30, 1, "30 business days" }, { 59, 1, "59 business days" },
		{ 60, 1, "60 business days" }, { 90, 1, "90 business days" },
		{ 450, 1, "450 business days" }, { 480, 1, "480 business days" },
		{ 720, 1, "720 business days" }, { 900, 1, "900 business days" },
		{ 960, 1, "960 business days" }, { 1440, 1, "1440 business days" },
		{ 2880, 1, "2880 business days" }, { 525600, 1, "525600 business days" }, { 1, 60, "1 min" },
		{ 30, 60, "30 min" }, { 59, 60, "59 min" }, { 60, 60, "1 business day" },
		{ 90, 60, "90 min" }, { 450, 60, "450 min" }, { 480, 60, "8 business days" },
		{ 720, 60, "12 business days" }, { 900, 60, "15 business days" },
		{ 960, 60, "16 business days" }, { 1440, 60, "24 business days" },
		{ 2880, 60, "48 business days" }, { 525600, 60, "8760 business days" }, { 1, 450, "1 min" },
		{ 30, 450, "30 min" }, { 59, 450, "59 min" }, { 60, 450, "1 h" }, { 90, 450, "90 min" },
		{ 450, 450, "1 business day" }, { 480, 450, "8 h" }, { 720, 450, "12 h" },
		{ 900, 450, "2 business days" }, { 960, 450, "16 h" }, { 1440, 450, "24 h" },
		{ 2880, 450, "48 h" }, { 525600, 450, "1168 business days" }, { 1, 480, "1 min" },
		{ 30, 480, "30 min" }, { 59, 480, "59 min" }, { 60, 480, "1 h" }, { 90, 480, "90 min" },
		{ 450, 480, "450 min" }, { 480, 480, "1 business day" }, { 720, 480, "12 h" },
		{ 900, 480, "15 h" }, { 960, 480, "2 business days" }, { 1440, 480, "3 business days" },
		{ 2880, 480, "6 business days" }, { 525600, 480, "1095 business days" },
		{ 1, 1440, "1 min" }, { 30, 1440, "30 min" }, { 59, 1440, "59 min" }, { 60, 1440, "1 h" },
		{ 90, 1440, "90 min" }, { 450, 1440, "450 min" }, { 480, 1440, "8 h" },
		{ 720, 1440, "12 h" }, { 900, 1440, "15 h" }, { 960, 1440, "16 h" }, { 1440, 1440, "24 h" },
		{ 2880, 1440, "48 h" }, { 525600, 1440, "8760 h" },
	};
	struct arena *a = arena_new(1024);
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		ck_assert_msg(strcmp(sla_target_words(a, cases[i].m, cases[i].day), cases[i].out) == 0,
		    "%d min on a %d-minute day: %s", cases[i].m, cases[i].day,
		    sla_target_words(a, cases[i].m, cases[i].day));
	arena_free(a);
}
END_TEST

/* A week as people read it, as sla_hours_text() in SQL wrote these calendars. */
START_TEST(hours)
{
	struct arena *a = arena_new(1024);
	struct sla_week w;
	int d;

	memset(&w, 0, sizeof(w));
	ck_assert_str_eq(sla_hours_words(a, 0, &w), "no opening hours");
	ck_assert_str_eq(sla_hours_words(a, 1, &w), "open around the clock, every day");
	for (d = 1; d <= 5; d++)
		sla_week_add(&w, d, 9 * 60, 17 * 60);
	ck_assert_str_eq(sla_hours_words(a, 0, &w), "Mon 09:00\xe2\x80\x93" "17:00, "
	    "Tue 09:00\xe2\x80\x93" "17:00, Wed 09:00\xe2\x80\x93" "17:00, "
	    "Thu 09:00\xe2\x80\x93" "17:00, Fri 09:00\xe2\x80\x93" "17:00");
	ck_assert_str_eq(sla_hours_words(a, 1, &w), "open around the clock, every day");
	/* A night shift over midnight, a whole Sunday. */
	memset(&w, 0, sizeof(w));
	sla_week_add(&w, 1, 22 * 60, 1440);
	sla_week_add(&w, 2, 0, 6 * 60);
	sla_week_add(&w, 2, 22 * 60, 0);
	sla_week_add(&w, 7, 0, 1440);
	ck_assert_str_eq(sla_hours_words(a, 0, &w), "Mon 22:00\xe2\x80\x93" "24:00, "
	    "Tue 00:00\xe2\x80\x93" "06:00 22:00\xe2\x80\x93" "24:00, "
	    "Sun 00:00\xe2\x80\x93" "24:00");
	/* Two intervals on a Wednesday, odd minutes, a Saturday. */
	memset(&w, 0, sizeof(w));
	sla_week_add(&w, 3, 8 * 60 + 5, 12 * 60);
	sla_week_add(&w, 3, 13 * 60, 17 * 60 + 30);
	sla_week_add(&w, 6, 10 * 60, 14 * 60);
	ck_assert_str_eq(sla_hours_words(a, 0, &w), "Wed 08:05\xe2\x80\x93" "12:00 "
	    "13:00\xe2\x80\x93" "17:30, Sat 10:00\xe2\x80\x93" "14:00");
	arena_free(a);
}
END_TEST

START_TEST(promise)
{
	struct arena *a = arena_new(1024);
	struct sla_promise_due p = { "reply", "2026-03-03 14:00", 2, 1, "UTC", NULL, 0, 0, NULL };

	ck_assert_str_eq(sla_promise_words(a, &p), "We will reply by Tue 14:00 (UTC time).");
	p = (struct sla_promise_due){ "solve", "2026-03-09 07:05", 1, 0, "Europe/Berlin", NULL, 0, 0, NULL };
	ck_assert_str_eq(sla_promise_words(a, &p),
	    "We aim to solve this by Mon 09 Mar 07:05 (Europe/Berlin time).");
	p = (struct sla_promise_due){ "paused", NULL, 0, 0, NULL, NULL, 0, 0, NULL };
	ck_assert_str_eq(sla_promise_words(a, &p),
	    "We are waiting for your answer; our clock is stopped until then.");
	p = (struct sla_promise_due){ "reply", "not a time", 2, 1, "UTC", NULL, 0, 0, NULL };
	ck_assert_str_eq(sla_promise_words(a, &p), "");
	p = (struct sla_promise_due){ "other", "2026-03-03 14:00", 2, 1, "UTC", NULL, 0, 0, NULL };
	ck_assert_str_eq(sla_promise_words(a, &p), "");
	p = (struct sla_promise_due){ "reply", "2026-03-03 14:00", 2, 1, "Europe/London",
		"2026-03-12 17:00", 4, 0, "Alex Agent" };
	ck_assert_str_eq(sla_promise_words(a, &p), "Alex Agent is handling your request. We will"
	    " reply by Tue 14:00 (Europe/London time). We aim to solve it by Thu 12 Mar 17:00.");
	p = (struct sla_promise_due){ "paused", NULL, 0, 0, NULL, NULL, 0, 0, "Alex Agent" };
	ck_assert_str_eq(sla_promise_words(a, &p), "Alex Agent is handling your request. We are"
	    " waiting for your answer; our clock is stopped until then.");
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
	tcase_add_test(tc, hours);
	tcase_add_test(tc, promise);
	suite_add_tcase(s, tc);
	return s;
}
