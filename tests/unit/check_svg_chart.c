/*
 * Server-drawn charts (web/svg_chart.h): each kind draws with its text
 * alternative (title and description the <svg> is labelled by) and the
 * table of its numbers; text is escaped; an undrawable chart is refused
 * and leaves the page as it was; the metric registry's standing against a
 * KPI's target and alert line.
 */
#include "core/arena.h"
#include "core/buf.h"
#include "domain/metric_defs.h"
#include "web/svg_chart.h"

#include <check.h>
#include <math.h>
#include <string.h>

static const char *const days[] = { "Mon", "Tue", "Wed" };
static const double created[] = { 4, NAN, 10 };
static const double resolved[] = { 2, 3, 5 };

/* How many times needle occurs in hay. */
static int
count(const char *hay, const char *needle)
{
	int n = 0;

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay += strlen(needle);
	}
	return n;
}

/* Draws c into a fresh buffer; the text, in the arena. */
static const char *
draw(struct arena *a, const struct svg_chart *c, int want)
{
	struct buf b;

	buf_init(&b, a);
	ck_assert_int_eq(svg_chart(&b, c), want);
	ck_assert(!buf_failed(&b));
	return b.len > 0 ? b.buf : "";
}

START_TEST(every_kind_has_its_text_alternative_and_data_table)
{
	struct arena *a = arena_new(1 << 16);
	struct svg_series two[] = { { "Created", created }, { "Resolved", resolved } };
	struct svg_chart c = { SVG_LINE, "vol", "Volume", "Created and resolved per day", "",
		days, 3, two, 2, 0 };
	int k;

	for (k = 0; k < SVG__MAX; k++) {
		const char *s;

		c.kind = (enum svg_kind)k;
		c.nlabels = k == SVG_GAUGE ? 1 : 3;
		c.nseries = k == SVG_GAUGE ? 1 : 2;
		s = draw(a, &c, 0);
		ck_assert_ptr_nonnull(strstr(s, "<svg role=\"img\""));
		ck_assert_ptr_nonnull(strstr(s, "aria-labelledby=\"vol-t vol-d\""));
		ck_assert_ptr_nonnull(strstr(s, "<title id=\"vol-t\">Volume</title>"));
		ck_assert_ptr_nonnull(strstr(s, "<desc id=\"vol-d\">Created and resolved per day"));
		ck_assert_int_eq(count(s, "<tr><th scope=\"row\">"), (int)c.nlabels);
		ck_assert_int_eq(count(s, "<figure"), 1);
		ck_assert_int_eq(count(s, "</figure>"), 1);
	}
	arena_free(a);
}
END_TEST

START_TEST(values_not_measured_are_gaps_and_dashes)
{
	struct arena *a = arena_new(1 << 16);
	struct svg_series one[] = { { "Created", created } };
	struct svg_chart c = { SVG_BAR, "b", "Created", "Per day", "", days, 3, one, 1, 0 };
	const char *s = draw(a, &c, 0);

	/* Two bars: Tuesday was not measured. */
	ck_assert_int_eq(count(s, "<rect"), 2);
	ck_assert_ptr_nonnull(strstr(s, "<th scope=\"row\">Tue</th><td>–</td>"));
	ck_assert_ptr_nonnull(strstr(s, "<th scope=\"row\">Wed</th><td>10.0</td>"));
	c.kind = SVG_LINE;
	s = draw(a, &c, 0);
	/* The line lifts its pen over the gap: two moves, no line to Tuesday. */
	ck_assert_int_eq(count(s, "M"), 2 + count(s, "Mon"));
	arena_free(a);
}
END_TEST

START_TEST(stacked_bars_reach_the_top_at_the_largest_total)
{
	struct arena *a = arena_new(1 << 16);
	struct svg_series two[] = { { "Created", resolved }, { "Resolved", resolved } };
	struct svg_chart c = { SVG_STACKED, "s", "Stack", "Totals 4, 6 and 10", "", days, 3,
		two, 2, 0 };
	const char *s = draw(a, &c, 0);

	/* Wednesday's 5 + 5 is the scale's top (y = 12, the plot's top edge). */
	ck_assert_ptr_nonnull(strstr(s, "y=\"12.0\""));
	ck_assert_int_eq(count(s, "<rect"), 6);
	arena_free(a);
}
END_TEST

START_TEST(text_is_escaped_and_bad_charts_are_refused)
{
	struct arena *a = arena_new(1 << 16);
	static const char *const evil[] = { "<script>alert(1)</script>", "a&b", "\"q\"" };
	struct svg_series one[] = { { "<b>x</b>", resolved } };
	struct svg_chart c = { SVG_LINE, "e", "<img src=x>", "'\"<>", "", evil, 3, one, 1, 0 };
	const char *s = draw(a, &c, 0);

	ck_assert_ptr_null(strstr(s, "<script"));
	ck_assert_ptr_null(strstr(s, "<img"));
	ck_assert_ptr_null(strstr(s, "<b>"));
	ck_assert_ptr_nonnull(strstr(s, "&lt;script&gt;"));
	/* Refused: a bad id, no labels, a gauge of two values, an unknown kind. */
	c.id = "x\" onload=\"y";
	draw(a, &c, -1);
	c.id = "ok";
	c.nlabels = 0;
	draw(a, &c, -1);
	c.nlabels = 2;
	c.kind = SVG_GAUGE;
	draw(a, &c, -1);
	c.kind = SVG__MAX;
	ck_assert_str_eq(draw(a, &c, -1), "");
	arena_free(a);
}
END_TEST

START_TEST(a_kpi_stands_by_its_target_and_alert_line)
{
	/* Higher is better (FCR: target 70, alert below 60). */
	ck_assert_str_eq(metric_standing(MG_HIGHER, "72.0", 70, 60), "good");
	ck_assert_str_eq(metric_standing(MG_HIGHER, "65.0", 70, 60), "watch");
	ck_assert_str_eq(metric_standing(MG_HIGHER, "59.9", 70, 60), "alert");
	/* Lower is better (first response: target 120 min, alert above 180). */
	ck_assert_str_eq(metric_standing(MG_LOWER, "100.0", 120, 180), "good");
	ck_assert_str_eq(metric_standing(MG_LOWER, "150.0", 120, 180), "watch");
	ck_assert_str_eq(metric_standing(MG_LOWER, "181.0", 120, 180), "alert");
	ck_assert_str_eq(metric_standing(MG_LOWER, NULL, 120, 180), "none");
	ck_assert_str_eq(metric_standing(MG_LOWER, "x", 120, 180), "none");
	ck_assert_int_eq(metric_parse("csat"), METRIC_csat);
	ck_assert_int_eq(metric_parse("CSAT"), METRIC__MAX);
	ck_assert_str_eq(metric_def(METRIC_nps)->label, "NPS");
}
END_TEST

Suite *svg_chart_suite(void);

Suite *
svg_chart_suite(void)
{
	Suite *s = suite_create("svg_chart");
	TCase *tc = tcase_create("draw");

	tcase_add_test(tc, every_kind_has_its_text_alternative_and_data_table);
	tcase_add_test(tc, values_not_measured_are_gaps_and_dashes);
	tcase_add_test(tc, stacked_bars_reach_the_top_at_the_largest_total);
	tcase_add_test(tc, text_is_escaped_and_bad_charts_are_refused);
	tcase_add_test(tc, a_kpi_stands_by_its_target_and_alert_line);
	suite_add_tcase(s, tc);
	return s;
}
