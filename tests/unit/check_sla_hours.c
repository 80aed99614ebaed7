/*
 * The calendar form's parsers: opening hours per weekday (several
 * intervals, a night shift ending at 24:00, "closed") and holidays; what
 * they refuse, with a message a person can act on.
 */
#include "core/arena.h"
#include "domain/sla_hours.h"

#include <check.h>
#include <stdio.h>
#include <string.h>

START_TEST(intervals_accepted)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "", "" }, { "closed", "" }, { "  closed ", "" },
		{ "09:00-17:00", "09:00-17:00" },
		{ "13:00-17:00, 9:00-12:30", "09:00-12:30, 13:00-17:00" },
		{ "22:00-24:00", "22:00-24:00" }, { "00:00-06:00", "00:00-06:00" },
		{ "08:00\xe2\x80\x93" "12:00; 12:00-16:00", "08:00-12:00, 12:00-16:00" },
	};
	struct arena *a = arena_new(1024);
	struct sla_interval iv[SLA_INTERVALS_MAX];
	const char *why;
	size_t i, n;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		why = NULL;
		ck_assert_msg(sla_parse_intervals(cases[i].in, iv, SLA_INTERVALS_MAX, &n, &why) == CS_OK,
		    "%s: %s", cases[i].in, why ? why : "");
		ck_assert_str_eq(sla_intervals_text(a, iv, n), cases[i].out);
	}
	arena_free(a);
}
END_TEST

START_TEST(intervals_refused)
{
	static const struct {
		const char *in, *why;
	} cases[] = {
		{ "17:00-09:00", "ends before it starts" }, { "09:00-09:00", "ends before" },
		{ "09:00-12:00, 11:00-13:00", "overlap" }, { "25:00-26:00", "HH:MM" },
		{ "09:60-10:00", "HH:MM" }, { "24:00-24:00", "HH:MM" }, { "24:30", "HH:MM" },
		{ "9-5", "HH:MM" }, { "09:00 17:00", "start-end" }, { "09:00-17:00 x", "commas" },
		{ "closed 09:00-10:00", "closed" },
		{ "1:00-2:00,3:00-4:00,5:00-6:00,7:00-8:00,9:00-10:00,11:00-12:00,13:00-14:00,"
		    "15:00-16:00,17:00-18:00", "Too many" },
	};
	struct sla_interval iv[SLA_INTERVALS_MAX];
	const char *why;
	size_t i, n;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		why = NULL;
		ck_assert_msg(sla_parse_intervals(cases[i].in, iv, SLA_INTERVALS_MAX, &n, &why) == CS_REFUSED,
		    "accepted %s", cases[i].in);
		ck_assert_msg(why != NULL && strstr(why, cases[i].why) != NULL, "%s: %s",
		    cases[i].in, why ? why : "(none)");
	}
}
END_TEST

START_TEST(holidays)
{
	struct arena *a = arena_new(1024);
	struct sla_holiday h[4];
	const char *why = NULL;
	size_t n;

	ck_assert_int_eq(sla_parse_holidays(a, " 2026-12-25  Christmas Day \r\n\n2028-02-29\n", h, 4,
	    &n, &why), CS_OK);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(h[0].day, "2026-12-25");
	ck_assert_str_eq(h[0].name, "Christmas Day");
	ck_assert_str_eq(h[1].day, "2028-02-29");
	ck_assert_str_eq(h[1].name, "Holiday");
	/* A date with blanks after it and nothing more, on a line of its own. */
	ck_assert_int_eq(sla_parse_holidays(a, "2026-12-25 \t \n2026-12-26 Boxing Day", h, 4, &n,
	    &why), CS_OK);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(h[0].name, "Holiday");
	ck_assert_str_eq(h[1].name, "Boxing Day");
	ck_assert_int_eq(sla_parse_holidays(a, "2026-02-29 Not a leap year", h, 4, &n, &why),
	    CS_REFUSED);
	ck_assert_ptr_nonnull(strstr(why, "date that exists"));
	ck_assert_int_eq(sla_parse_holidays(a, "2026-13-01", h, 4, &n, &why), CS_REFUSED);
	ck_assert_int_eq(sla_parse_holidays(a, "25.12.2026 Christmas", h, 4, &n, &why), CS_REFUSED);
	ck_assert_int_eq(sla_parse_holidays(a, "2026-12-25Christmas", h, 4, &n, &why), CS_REFUSED);
	ck_assert_int_eq(sla_parse_holidays(a, "2026-01-01\n2026-01-02\n2026-01-03\n2026-01-04\n"
	    "2026-01-05", h, 4, &n, &why), CS_REFUSED);
	ck_assert_ptr_nonnull(strstr(why, "Too many"));
	arena_free(a);
}
END_TEST

/* A holiday's name is counted in characters, as the table's CHECK counts it. */
START_TEST(holiday_name_in_characters)
{
	struct arena *a = arena_new(4096);
	struct sla_holiday h[1];
	const char *why = NULL;
	char line[16 + 2 * (SLA_HOLIDAY_NAME_MAX + 1)];
	size_t n, i, len;

	len = (size_t)snprintf(line, sizeof(line), "2026-12-25 ");
	for (i = 0; i < SLA_HOLIDAY_NAME_MAX; i++, len += 2)
		memcpy(line + len, "\xce\xb1", 2);	/* α: two bytes, one character */
	line[len] = '\0';
	ck_assert_int_eq(sla_parse_holidays(a, line, h, 1, &n, &why), CS_OK);
	ck_assert_uint_eq(strlen(h[0].name), 2 * SLA_HOLIDAY_NAME_MAX);
	memcpy(line + len, "\xce\xb1", 3);
	ck_assert_int_eq(sla_parse_holidays(a, line, h, 1, &n, &why), CS_REFUSED);
	ck_assert_ptr_nonnull(strstr(why, "longer than 100 characters"));
	arena_free(a);
}
END_TEST

/* Rows from the database into a week: '24:00' reads back as 0, days out of range are left out. */
START_TEST(week_from_rows)
{
	struct sla_week w;
	int k;

	memset(&w, 0, sizeof(w));
	sla_week_add(&w, 1, 9 * 60, 17 * 60);
	sla_week_add(&w, 2, 22 * 60, 0);
	sla_week_add(&w, 0, 60, 120);
	sla_week_add(&w, 8, 60, 120);
	for (k = 0; k < SLA_INTERVALS_MAX + 1; k++)
		sla_week_add(&w, 7, k, k + 1);
	ck_assert_uint_eq(w.n[0], 1);
	ck_assert_int_eq(w.day[0][0].closes, 17 * 60);
	ck_assert_uint_eq(w.n[1], 1);
	ck_assert_int_eq(w.day[1][0].closes, 1440);
	ck_assert_uint_eq(w.n[2], 0);
	ck_assert_uint_eq(w.n[6], SLA_INTERVALS_MAX);
}
END_TEST

Suite *sla_hours_suite(void);

Suite *
sla_hours_suite(void)
{
	Suite *s = suite_create("sla_hours");
	TCase *tc = tcase_create("sla_hours");

	tcase_add_test(tc, intervals_accepted);
	tcase_add_test(tc, intervals_refused);
	tcase_add_test(tc, holidays);
	tcase_add_test(tc, holiday_name_in_characters);
	tcase_add_test(tc, week_from_rows);
	suite_add_tcase(s, tc);
	return s;
}
