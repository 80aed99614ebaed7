/*
 * zone_time.h: a moment in a person's time zone, switching between
 * zones in one process (as a worker does from one agent to the next), and
 * the lists' "YYYY-MM-DD HH:MM" UTC text read back as a moment.
 */
#include "core/arena.h"
#include "core/zone_time.h"

#include <check.h>
#include <string.h>

START_TEST(moments_read_in_each_zone_asked_for)
{
	struct arena *a = arena_new(4096);
	time_t t = zone_time_utc("2026-07-01 12:00");

	ck_assert_ptr_nonnull(a);
	ck_assert_int_eq((long long)t, 1782907200LL);
	ck_assert_str_eq(zone_time(a, t, "Asia/Tokyo", 1), "Wed 2026-07-01 21:00");
	ck_assert_str_eq(zone_time(a, t, "Europe/Paris", 0), "2026-07-01 14:00");
	ck_assert_str_eq(zone_time(a, t, "UTC", 0), "2026-07-01 12:00");
	ck_assert_str_eq(zone_time(a, t, "Asia/Tokyo", 0), "2026-07-01 21:00");
	/* Winter in Paris: one hour, not two. */
	ck_assert_str_eq(zone_time_text(a, "2026-01-15 12:00", "Europe/Paris"), "2026-01-15 13:00");
	/* No zone is UTC; text that is no time comes back as it was. */
	ck_assert_str_eq(zone_time(a, t, NULL, 0), "2026-07-01 12:00");
	ck_assert_str_eq(zone_time_text(a, "soon", "Asia/Tokyo"), "soon");
	ck_assert_int_eq((long long)zone_time_utc("2026-07-01 12:00 junk"), -1);
	arena_free(a);
}
END_TEST

/* Every day of the week and hour, years 1900 to 9999 and beyond: the
 * text zone_time shows is what strftime printed. */
START_TEST(format_is_strftime)
{
	static const long long moments[] = { -2208988800LL, -1LL, 0LL, 951782400LL, 1782907200LL,
		1798761599LL, 253402300740LL, 253402300800LL, -62167219200LL };
	char mine[ZONE_TIME_MAX], libc[ZONE_TIME_MAX];
	struct tm tm;
	size_t i;
	long long t;
	int full;

	for (t = 1767225600LL; t < 1767225600LL + 8 * 86400; t += 3600 + 7 * 60)
		for (full = 0; full < 2; full++) {
			time_t tt = (time_t)t;

			ck_assert_ptr_nonnull(gmtime_r(&tt, &tm));
			zone_time_format(&tm, full, mine);
			strftime(libc, sizeof(libc), full ? "%a %Y-%m-%d %H:%M" : "%Y-%m-%d %H:%M", &tm);
			ck_assert_str_eq(mine, libc);
		}
	for (i = 0; i < sizeof(moments) / sizeof(moments[0]); i++)
		for (full = 0; full < 2; full++) {
			time_t tt = (time_t)moments[i];

			ck_assert_ptr_nonnull(gmtime_r(&tt, &tm));
			zone_time_format(&tm, full, mine);
			strftime(libc, sizeof(libc), full ? "%a %Y-%m-%d %H:%M" : "%Y-%m-%d %H:%M", &tm);
			ck_assert_str_eq(mine, libc);
		}
}
END_TEST

Suite *zone_time_suite(void);

Suite *
zone_time_suite(void)
{
	Suite *s = suite_create("zone_time");
	TCase *tc = tcase_create("zones");

	tcase_add_test(tc, moments_read_in_each_zone_asked_for);
	tcase_add_test(tc, format_is_strftime);
	suite_add_tcase(s, tc);
	return s;
}
