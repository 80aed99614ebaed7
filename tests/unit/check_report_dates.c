/*
 * The dates a report accepts (metrics_date_ok): real calendar days written
 * YYYY-MM-DD, leap years right, nothing else (the query string is
 * untrusted input).
 */
#include "domain/metrics.h"

#include <check.h>

static const struct {
	const char *s;
	int ok;
} cases[] = {
	{ "2026-03-10", 1 }, { "2024-02-29", 1 }, { "2000-02-29", 1 }, { "1970-01-01", 1 },
	{ "2026-12-31", 1 }, { "2026-02-29", 0 }, { "1900-02-29", 0 }, { "2026-02-30", 0 },
	{ "2026-04-31", 0 }, { "2026-13-01", 0 }, { "2026-00-10", 0 }, { "2026-01-00", 0 },
	{ "1969-12-31", 0 }, { "2026-3-10", 0 }, { "2026-03-10 ", 0 }, { "2026/03/10", 0 },
	{ "20260310", 0 }, { "", 0 }, { "2026-03-1x", 0 }, { "+026-03-10", 0 },
	{ "2026-03-10T00:00", 0 }, { NULL, 0 },
};

START_TEST(report_dates)
{
	ck_assert_msg(metrics_date_ok(cases[_i].s) == cases[_i].ok, "\"%s\" should be %s",
	    cases[_i].s ? cases[_i].s : "(null)", cases[_i].ok ? "accepted" : "refused");
}
END_TEST

START_TEST(report_dimensions)
{
	int d;

	for (d = 0; d < METRICS_DIM__MAX; d++)
		ck_assert_int_eq(metrics_dim_parse(metrics_dim_name((enum metrics_dim)d)), d);
	ck_assert_int_eq(metrics_dim_parse("ALL"), METRICS_DIM__MAX);
	ck_assert_int_eq(metrics_dim_parse(""), METRICS_DIM__MAX);
	ck_assert_int_eq(metrics_dim_parse(NULL), METRICS_DIM__MAX);
}
END_TEST

Suite *report_dates_suite(void);

Suite *
report_dates_suite(void)
{
	Suite *s = suite_create("report_dates");
	TCase *tc = tcase_create("report_dates");

	tcase_add_loop_test(tc, report_dates, 0, (int)(sizeof(cases) / sizeof(cases[0])));
	tcase_add_test(tc, report_dimensions);
	suite_add_tcase(s, tc);
	return s;
}
