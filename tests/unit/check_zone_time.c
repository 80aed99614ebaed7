/*
 * zone_time.h: a moment in a person's time zone, switching between
 * zones in one process (as a worker does from one agent to the next), and
 * the lists' "YYYY-MM-DD HH:MM" UTC text read back as a moment.
 */
#include "core/arena.h"
#include "core/zone_time.h"

#include <check.h>

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

Suite *zone_time_suite(void);

Suite *
zone_time_suite(void)
{
	Suite *s = suite_create("zone_time");
	TCase *tc = tcase_create("zones");

	tcase_add_test(tc, moments_read_in_each_zone_asked_for);
	suite_add_tcase(s, tc);
	return s;
}
