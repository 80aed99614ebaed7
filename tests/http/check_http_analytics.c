/*
 * Dashboards, reports and their exports through nginx: who may see what
 * (an agent gets 403 on reports, TV and trends, and no KPI tiles; the
 * System facts are an admin page); the report on screen and its CSV, XLSX
 * and PDF exports for one filter; every chart with its text alternative
 * and data table; bad input answered with a message, never a 500; KPI
 * targets edited by admins and shown on the tiles; subscriptions added,
 * refused with the message at the field, and ended only by their owner;
 * the hourly cost set by admins (a bad one kept with its message), cost
 * per resolution and utilisation defined on the metrics page, and the
 * workload report exported with their columns; the list reports (top
 * customers …) on the same page and exports, with their dates checked.
 */
#include "identity.h"
#include "auth/password.h"
#include "db/db.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PW "granite pelican harbour 31"

static struct th_stack stack;
static char *db;

/* A week of answers and tickets, rolled up. */
static const char fixture[] =
    "INSERT INTO customers (name) VALUES ('Delta Ltd');"
    "INSERT INTO survey_responses (kind, score, customer_id, answered_at)"
    " SELECT 'csat', s, (SELECT id FROM customers), '2026-03-18 10:00Z'"
    " FROM unnest('{5,4,3,2,1,5,5}'::int[]) s;"
    "INSERT INTO survey_responses (kind, score, customer_id, answered_at)"
    " SELECT 'nps', s, (SELECT id FROM customers), '2026-03-19 10:00Z'"
    " FROM unnest('{10,10,3}'::int[]) s;"
    "INSERT INTO tickets (customer_id, channel, subject, description, priority, status)"
    " SELECT c.id, 'phone', 'Down <b>now</b>', '-', 'critical', 'new' FROM customers c;"
    "SELECT analytics_rollup_day(d::date, 'UTC') FROM generate_series("
    " date '2026-03-16', date '2026-03-22', interval '1 day') d;"
    "SELECT analytics_rollup_day((now() AT TIME ZONE 'UTC')::date, 'UTC');";

static void
setup(void)
{
	struct db d;
	char hash[PASSWORD_HASH_MAX];

	ck_assert_int_ge(sodium_init(), 0);
	db = th_db_create("analytics_http");
	ck_assert_int_eq(db_open(&d, db, "analytics-setup"), 0);
	ck_assert_int_eq(password_hash(PW, hash), 0);
	ck_assert_int_gt(staff_fixture(&d, "root@acme.test", "Ada Admin", hash,
	    "agent,admin"), 0);
	ck_assert_int_gt(staff_fixture(&d, "sue@acme.test", "Sue Supervisor", hash,
	    "supervisor"), 0);
	ck_assert_int_gt(staff_fixture(&d, "sam@acme.test", "Sam Supervisor", hash,
	    "supervisor"), 0);
	ck_assert_int_gt(staff_fixture(&d, "agent@acme.test", "Alex Agent", hash, "agent"), 0);
	ck_assert_int_eq(db_script(&d, fixture, "fixture"), 0);
	db_close(&d);
	th_stack_start(&stack, db, 2, NULL);
}

static void
teardown(void)
{
	th_stack_stop(&stack);
	th_db_drop(db);
	free(db);
}

static void
sign_in(struct jar *j, const char *email)
{
	jar_clear(j);
	web_staff_sign_in(&stack, j, email, PW);
}

#define WEEK "report=satisfaction&by=all&grain=week&from=2026-03-16&to=2026-03-22"

START_TEST(agents_see_their_own_dashboard_and_no_team_figures)
{
	struct jar j = { 0 };
	struct th_resp r;

	sign_in(&j, "agent@acme.test");
	ck_assert_int_eq(web_status(&stack, &j, "/agent/analytics"), 403);
	ck_assert_int_eq(web_status(&stack, &j, "/agent/analytics/export?" WEEK "&format=csv"),
	    403);
	ck_assert_int_eq(web_status(&stack, &j, "/agent/tv"), 403);
	ck_assert_int_eq(web_status(&stack, &j, "/agent/dashboard/manager"), 403);
	ck_assert_int_eq(web_status(&stack, &j, "/agent/admin/system"), 403);
	r = web_get(&stack, &j, "/agent/");
	ck_assert_int_eq(r.status, 200);
	assert_has(&r, "Due today");
	assert_has(&r, "href=\"/agent/metrics#resolved\"");
	/* No KPI tiles, no team panels, and the installation's facts are gone. */
	ck_assert_ptr_null(strstr(r.body, "tile-"));
	ck_assert_ptr_null(strstr(r.body, "Critical and urgent"));
	ck_assert_ptr_null(strstr(r.body, "Migrations applied"));
	th_resp_free(&r);
	r = web_get(&stack, &j, "/agent/metrics");
	ck_assert_int_eq(r.status, 200);
	assert_has(&r, "<dt id=\"nps\">NPS</dt>");
	assert_has(&r, "percentage of detractors (0 to 6)");
	th_resp_free(&r);

	sign_in(&j, "root@acme.test");
	r = web_get(&stack, &j, "/agent/admin/system");
	ck_assert_int_eq(r.status, 200);
	assert_has(&r, "Migrations applied");
	th_resp_free(&r);
}
END_TEST

START_TEST(supervisors_get_tiles_panels_and_charts_with_text_alternatives)
{
	struct jar j = { 0 };
	struct th_resp r;

	sign_in(&j, "sue@acme.test");
	r = web_get(&stack, &j, "/agent/");
	ck_assert_int_eq(r.status, 200);
	/* The CSAT tile links to its definition and says where it stands. */
	assert_has(&r, "<a class=\"tile-label\" href=\"/agent/metrics#csat\">CSAT</a>");
	assert_has(&r, "Critical and urgent cases");
	assert_has(&r, "Down &lt;b&gt;now&lt;/b&gt;");
	assert_has(&r, "<title id=\"priority-chart-t\">Open tickets by priority</title>");
	assert_has(&r, "<details class=\"chart-data\">");
	th_resp_free(&r);
	r = web_get(&stack, &j, "/agent/dashboard/manager");
	ck_assert_int_eq(r.status, 200);
	assert_has(&r, "aria-labelledby=\"volume-heatmap-t volume-heatmap-d\"");
	assert_has(&r, "<desc id=\"trend-chart-d\">");
	th_resp_free(&r);
	/* The wall screen reloads itself once asked to, and says how to stop. */
	r = web_get(&stack, &j, "/agent/tv");
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_null(strstr(r.body, "http-equiv=\"refresh\""));
	assert_has(&r, "href=\"/agent/tv?reload=1\"");
	th_resp_free(&r);
	r = web_get(&stack, &j, "/agent/tv?reload=1");
	ck_assert_int_eq(r.status, 200);
	assert_has(&r, "<meta http-equiv=\"refresh\" content=\"60\">");
	assert_has(&r, "Stop reloading");
	th_resp_free(&r);
}
END_TEST

START_TEST(the_screen_and_every_export_give_the_same_numbers)
{
	struct jar j = { 0 };
	struct th_resp r;

	sign_in(&j, "sue@acme.test");
	r = web_get(&stack, &j, "/agent/analytics?" WEEK);
	ck_assert_int_eq(r.status, 200);
	assert_has(&r, "<th scope=\"row\">All tickets</th><td class=\"num\">57.1</td>"
	    "<td class=\"num\">7</td><td class=\"num\">33.3</td><td class=\"num\">–</td>");
	assert_has(&r, "<a href=\"/agent/metrics#csat\">CSAT</a> (%)");
	assert_has(&r, "<svg role=\"img\"");
	th_resp_free(&r);
	r = web_get(&stack, &j, "/agent/analytics/export?" WEEK "&format=csv");
	ck_assert_int_eq(r.status, 200);
	assert_has(&r, "Total,All tickets,57.1,7,33.3,,\r\n");
	ck_assert_str_eq(th_header(&r, "Content-Type"), "text/csv; charset=utf-8");
	th_resp_free(&r);
	r = web_get(&stack, &j, "/agent/analytics/export?" WEEK "&format=xlsx");
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_eq(memcmp(r.body, "PK", 2), 0);
	th_resp_free(&r);
	r = web_get(&stack, &j, "/agent/analytics/export?" WEEK "&format=pdf");
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_eq(memcmp(r.body, "%PDF", 4), 0);
	th_resp_free(&r);
}
END_TEST

START_TEST(bad_report_input_is_answered_with_a_message)
{
	struct jar j = { 0 };
	struct th_resp r;

	sign_in(&j, "sue@acme.test");
	r = web_get(&stack, &j, "/agent/analytics?report=nope");
	ck_assert_int_eq(r.status, 422);
	assert_has(&r, "Choose a report from the list.");
	th_resp_free(&r);
	r = web_get(&stack, &j, "/agent/analytics?from=2026-02-30");
	ck_assert_int_eq(r.status, 422);
	assert_has(&r, "value=\"2026-02-30\"");
	th_resp_free(&r);
	r = web_get(&stack, &j, "/agent/analytics?by=%3Cscript%3E");
	ck_assert_int_eq(r.status, 422);
	ck_assert_ptr_null(strstr(r.body, "<script>"));
	th_resp_free(&r);
	ck_assert_int_eq(web_status(&stack, &j, "/agent/analytics/export?" WEEK "&format=doc"),
	    400);
	ck_assert_int_eq(web_status(&stack, &j, "/agent/analytics/export?from=junk&format=csv"),
	    400);
}
END_TEST

START_TEST(admins_set_kpi_targets_and_the_tiles_follow)
{
	struct jar j = { 0 };
	struct th_resp r;

	sign_in(&j, "root@acme.test");
	/* Higher is better for FCR: an alert line above the target is refused. */
	r = web_post(&stack, &j, "/agent/admin/kpis", "/agent/admin/kpis",
	    "metric=fcr&target=70&alert=75");
	ck_assert_int_eq(r.status, 422);
	assert_has(&r, "the alert line must be below the target");
	assert_has(&r, "value=\"75\"");
	th_resp_free(&r);
	r = web_post(&stack, &j, "/agent/admin/kpis", "/agent/admin/kpis",
	    "metric=fcr&target=seventy&alert=60");
	ck_assert_int_eq(r.status, 422);
	th_resp_free(&r);
	r = web_post(&stack, &j, "/agent/admin/kpis", "/agent/admin/kpis",
	    "metric=fcr&target=72.5&alert=61");
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
	r = web_get(&stack, &j, "/agent/");
	assert_has(&r, "Target over 72.5%, alert under 61%");
	th_resp_free(&r);
	r = web_post(&stack, &j, "/agent/admin/kpis", "/agent/admin/kpis",
	    "metric=nope&target=1&alert=0");
	ck_assert_int_eq(r.status, 404);
	th_resp_free(&r);
}
END_TEST

START_TEST(subscriptions_are_checked_listed_and_ended_by_their_owner)
{
	struct jar j = { 0 };
	struct th_resp r;
	char path[128];
	const char *p;
	long long id;

	sign_in(&j, "sue@acme.test");
	r = web_post(&stack, &j, "/agent/analytics/subscriptions",
	    "/agent/analytics/subscriptions", "report=sla&by=team&grain=week&frequency=weekly"
	    "&weekday=1&hour=8&time_zone=Mars%2FOlympus&attachment=xlsx");
	ck_assert_int_eq(r.status, 422);
	assert_has(&r, "Give a time zone by its name");
	assert_has(&r, "value=\"Mars/Olympus\"");
	th_resp_free(&r);
	r = web_post(&stack, &j, "/agent/analytics/subscriptions",
	    "/agent/analytics/subscriptions", "report=sla&by=team&grain=week&frequency=weekly"
	    "&weekday=1&hour=8&time_zone=Europe%2FParis&alerts=yes&attachment=pdf");
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
	r = web_get(&stack, &j, "/agent/analytics/subscriptions");
	assert_has(&r, "every Monday at 08:00 (Europe/Paris)");
	assert_has(&r, " 08:00</td><td>PDF</td>");
	p = strstr(r.body, "/agent/analytics/subscriptions/");
	ck_assert_ptr_nonnull(p);
	id = atoll(p + strlen("/agent/analytics/subscriptions/"));
	th_resp_free(&r);
	snprintf(path, sizeof(path), "/agent/analytics/subscriptions/%lld/delete", id);
	/* Someone else's: not found, and still there. */
	sign_in(&j, "sam@acme.test");
	r = web_post(&stack, &j, path, "/agent/analytics/subscriptions", "");
	ck_assert_int_eq(r.status, 404);
	th_resp_free(&r);
	sign_in(&j, "sue@acme.test");
	r = web_post(&stack, &j, path, "/agent/analytics/subscriptions", "");
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
	r = web_get(&stack, &j, "/agent/analytics/subscriptions");
	assert_has(&r, "None yet.");
	th_resp_free(&r);
}
END_TEST

START_TEST(admins_set_the_hourly_cost_and_the_new_metrics_are_defined_and_reported)
{
	struct jar j = { 0 };
	struct th_resp r;

	sign_in(&j, "sue@acme.test");
	r = web_post(&stack, &j, "/agent/admin/kpis/cost", "/agent/", "hourly_cost=40");
	ck_assert_int_eq(r.status, 403);
	th_resp_free(&r);
	sign_in(&j, "root@acme.test");
	r = web_post(&stack, &j, "/agent/admin/kpis/cost", "/agent/admin/kpis",
	    "hourly_cost=forty%3Cb%3E");
	ck_assert_int_eq(r.status, 422);
	assert_has(&r, "Give the hourly cost as a number");
	assert_has(&r, "value=\"forty&lt;b&gt;\"");
	th_resp_free(&r);
	r = web_post(&stack, &j, "/agent/admin/kpis/cost", "/agent/admin/kpis",
	    "hourly_cost=45.50");
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
	r = web_get(&stack, &j, "/agent/admin/kpis");
	assert_has(&r, "value=\"45.50\"");
	/* Their tiles' targets are there to edit. */
	assert_has(&r, "/agent/metrics#cost_per_resolution");
	assert_has(&r, "/agent/metrics#utilisation");
	assert_has(&r, "/agent/metrics#response_rate");
	assert_has(&r, "/agent/metrics#qa_score");
	th_resp_free(&r);
	r = web_get(&stack, &j, "/agent/metrics");
	assert_has(&r, "id=\"cost_per_resolution\"");
	assert_has(&r, "plus the parts used on the field jobs completed in the period at what"
	    " they cost");
	assert_has(&r, "id=\"utilisation_travel\"");
	th_resp_free(&r);
	r = web_get(&stack, &j, "/agent/analytics/export?report=workload&format=csv&by=all"
	    "&grain=week&from=2026-03-16&to=2026-03-22");
	ck_assert_int_eq(r.status, 200);
	assert_has(&r, "Period,Overall,Resolved,Avg handling time (min),Utilisation (%),"
	    "Utilisation with travel (%),Cost per resolution\r\n");
	th_resp_free(&r);
}
END_TEST

START_TEST(list_reports_share_the_page_and_the_exports)
{
	struct jar j = { 0 };
	struct th_resp r;

	sign_in(&j, "agent@acme.test");
	ck_assert_int_eq(web_status(&stack, &j, "/agent/analytics?report=top_customers"), 403);
	sign_in(&j, "sue@acme.test");
	r = web_get(&stack, &j, "/agent/analytics?report=top_customers");
	ck_assert_int_eq(r.status, 200);
	assert_has(&r, "aria-current=\"page\">Top customers</a>");
	/* Delta's one critical ticket, open, opened today. */
	assert_has(&r, "<th scope=\"row\">Delta Ltd</th><td>standard</td><td class=\"num\">1</td>"
	    "<td class=\"num\">1</td><td class=\"num\">0</td><td class=\"num\">1</td>");
	th_resp_free(&r);
	r = web_get(&stack, &j, "/agent/analytics/export?report=top_customers&format=csv");
	ck_assert_int_eq(r.status, 200);
	assert_has(&r, "Customer,Tier,Tickets,Open now,Reopened,Critical or urgent\r\n"
	    "Delta Ltd,standard,1,1,0,1\r\n");
	th_resp_free(&r);
	r = web_get(&stack, &j, "/agent/analytics/export?report=repeat_issues&format=pdf");
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_eq(memcmp(r.body, "%PDF", 4), 0);
	th_resp_free(&r);
	r = web_get(&stack, &j, "/agent/analytics?report=field&from=2026-13-01");
	ck_assert_int_eq(r.status, 422);
	assert_has(&r, "Give the dates as YYYY-MM-DD");
	assert_has(&r, "value=\"2026-13-01\"");
	th_resp_free(&r);
	ck_assert_int_eq(web_status(&stack, &j, "/agent/analytics/export?report=kb&format=doc"),
	    400);
	/* The metric reports' page lists them too. */
	r = web_get(&stack, &j, "/agent/analytics?report=sla");
	assert_has(&r, "href=\"/agent/analytics?report=repeat_issues\"");
	assert_has(&r, "href=\"/agent/analytics?report=warranty\"");
	th_resp_free(&r);
}
END_TEST

Suite *http_analytics_suite(void);

Suite *
http_analytics_suite(void)
{
	Suite *s = suite_create("http_analytics");
	TCase *tc = tcase_create("analytics");

	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, agents_see_their_own_dashboard_and_no_team_figures);
	tcase_add_test(tc, supervisors_get_tiles_panels_and_charts_with_text_alternatives);
	tcase_add_test(tc, the_screen_and_every_export_give_the_same_numbers);
	tcase_add_test(tc, bad_report_input_is_answered_with_a_message);
	tcase_add_test(tc, admins_set_kpi_targets_and_the_tiles_follow);
	tcase_add_test(tc, subscriptions_are_checked_listed_and_ended_by_their_owner);
	tcase_add_test(tc, admins_set_the_hourly_cost_and_the_new_metrics_are_defined_and_reported);
	tcase_add_test(tc, list_reports_share_the_page_and_the_exports);
	suite_add_tcase(s, tc);
	return s;
}
