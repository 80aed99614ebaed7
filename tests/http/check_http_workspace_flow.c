/*
 * The workspace through nginx, what came after the first round:
 * "Previous ticket" beside "Next ticket", keeping the view the agent came
 * from in every sort and saying so at the start of the view; personal
 * settings (language, mail choices) saved and refused at the field; and
 * times (SLA due times included) in the agent's time zone on the list,
 * the ticket page and the preview. Its own database; each test's tickets
 * are assigned to an agent of their own, so the view they walk holds
 * those tickets only.
 */
#include "identity.h"
#include "../lib/fixtures.h"

#include <check.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct th_stack stack;
static char *db;
static struct fx_person alex, carla;

static void
setup(void)
{
	ck_assert_int_ge(sodium_init(), 0);
	db = th_db_create("workspace_flow");
	fx_staff(db, "Alex Agent", "agent", &alex);
	fx_customer(db, "Carla Contact", "Acme Customer", "standard", &carla);
	free(sql_owner(db, "UPDATE settings SET value = '1000000' WHERE key ~ $1",
	    "^customer_(tickets|replies)_per_"));
	th_stack_start(&stack, db, 2, NULL);
}

static void
teardown(void)
{
	th_stack_stop(&stack);
	th_db_drop(db);
	free(db);
}

/* Two tickets of a new agent's own, a older than b; the agent's id into who. */
static void
two_tickets(const char *name, char *a, char *b, size_t size, struct fx_person *who)
{
	struct fx_ticket t;
	char sql[160];

	fx_staff(db, name, "agent", who);
	snprintf(sql, sizeof(sql), "UPDATE tickets SET assignee_id = %lld WHERE number = $1",
	    who->id);
	fx_ticket(db, &carla, "Walk one", &t);
	snprintf(a, size, "%s", t.number);
	free(sql_owner(db, sql, a));
	fx_ticket(db, &carla, "Walk two", &t);
	snprintf(b, size, "%s", t.number);
	free(sql_owner(db, sql, b));
}

/*
 * From the list of view (a query string), opens from's row and follows
 * rel ("prev" or "next"): the ticket it lands on must be to, with the
 * view kept.
 */
static void
walk(struct jar *j, const char *view, const char *from, const char *rel, const char *to)
{
	struct th_resp r;
	char path[512], link[512], want[256];

	snprintf(path, sizeof(path), "/agent/tickets?%s", view);
	r = web_get_want(&stack, j, path, 200);
	snprintf(want, sizeof(want), "/agent/tickets/%s?", from);
	web_href(r.body, want, link, sizeof(link));
	th_resp_free(&r);
	r = web_get_want(&stack, j, link, 200);
	snprintf(want, sizeof(want), "/agent/%s?", rel);
	web_href(r.body, want, path, sizeof(path));
	th_resp_free(&r);
	snprintf(want, sizeof(want), "/agent/%s?%s&after=", rel, view);
	ck_assert_msg(strncmp(path, want, strlen(want)) == 0, "%s: %s does not keep the view",
	    from, path);
	r = web_get_want(&stack, j, path, 303);
	snprintf(want, sizeof(want), "/agent/tickets/%s?%s&after=", to, view);
	ck_assert_msg(th_header(&r, "Location") != NULL &&
	    strncmp(th_header(&r, "Location"), want, strlen(want)) == 0,
	    "%s from %s: Location %s, want %s…", rel, from, th_header(&r, "Location"), want);
	th_resp_free(&r);
}

START_TEST(previous_ticket_keeps_the_view_in_every_sort)
{
	struct jar j = { 0 };
	struct fx_person pia;
	char a[32], b[32], view[128];

	two_tickets("Pia Prev", a, b, sizeof(a), &pia);
	web_staff_sign_in(&stack, &j, alex.email, FX_PASSWORD);
	/* Oldest first: b comes after a, so a is before b. */
	snprintf(view, sizeof(view), "assignee=%lld&status=all&sort=age", pia.id);
	walk(&j, view, b, "prev", a);
	walk(&j, view, a, "next", b);
	/* Newest update first (the default sort), and by priority (both normal). */
	snprintf(view, sizeof(view), "assignee=%lld&status=all", pia.id);
	walk(&j, view, a, "prev", b);
	snprintf(view, sizeof(view), "assignee=%lld&status=all&sort=priority", pia.id);
	walk(&j, view, a, "prev", b);
	/* By SLA due time: both have the standard policy's, a's sooner. */
	snprintf(view, sizeof(view), "assignee=%lld&status=all&sort=sla", pia.id);
	walk(&j, view, b, "prev", a);
}
END_TEST

START_TEST(previous_at_the_start_of_the_view_says_so)
{
	struct jar j = { 0 };
	struct fx_person quinn;
	struct th_resp r;
	char a[32], b[32], view[128], path[512], link[512], want[256];

	two_tickets("Quinn First", a, b, sizeof(a), &quinn);
	web_staff_sign_in(&stack, &j, alex.email, FX_PASSWORD);
	snprintf(view, sizeof(view), "assignee=%lld&status=all&sort=age", quinn.id);
	snprintf(path, sizeof(path), "/agent/tickets?%s", view);
	r = web_get_want(&stack, &j, path, 200);
	snprintf(want, sizeof(want), "/agent/tickets/%s?", a);
	web_href(r.body, want, link, sizeof(link));
	th_resp_free(&r);
	r = web_get_want(&stack, &j, link, 200);
	web_href(r.body, "/agent/prev?", path, sizeof(path));
	th_resp_free(&r);
	r = web_get_want(&stack, &j, path, 303);
	snprintf(want, sizeof(want), "/agent/tickets?%s", view);
	ck_assert_str_eq(th_header(&r, "Location"), want);
	th_resp_free(&r);
	r = web_get_want(&stack, &j, want, 200);
	ck_assert_msg(strstr(r.body, "That was the first ticket in this view.") != NULL,
	    "no note at the start of the view");
	th_resp_free(&r);

	/* A ticket opened without a place, or from a search, has no previous link. */
	snprintf(path, sizeof(path), "/agent/tickets/%s", a);
	r = web_get_want(&stack, &j, path, 200);
	ck_assert_msg(strstr(r.body, "rel=\"prev\"") == NULL, "a previous link without a place");
	ck_assert_msg(strstr(r.body, "rel=\"next\"") != NULL, "no next link");
	th_resp_free(&r);
	/* Asked for anyway, a named 400 rather than a guess. */
	r = web_get_want(&stack, &j, "/agent/prev?status=all", 400);
	ck_assert_msg(strstr(r.body, "“after”") != NULL, "the 400 does not name after");
	th_resp_free(&r);
}
END_TEST


START_TEST(settings_keep_the_mail_choices_and_refuse_an_unknown_language)
{
	struct jar j = { 0 };
	struct fx_person rae;
	struct th_resp r;
	char sql[160];

	fx_staff(db, "Rae Settings", "agent", &rae);
	web_staff_sign_in(&stack, &j, rae.email, FX_PASSWORD);
	r = web_get_want(&stack, &j, "/agent/settings", 200);
	assert_has(&r, "<option value=\"en\" selected>English</option>");
	assert_has(&r, "name=\"mail_assigned\" value=\"1\" checked");
	assert_has(&r, "name=\"mail_replied\" value=\"1\" checked");
	ck_assert_msg(strstr(r.body, "name=\"mail_at_risk\" value=\"1\" checked") == NULL,
	    "at risk is off by default");
	th_resp_free(&r);
	r = web_post_want(&stack, &j, "/agent/settings", "/agent/settings",
	    "theme=system&time_zone=UTC"
	    "&shortcuts=on&after_action=stay&language=en&mail_replied=1&mail_at_risk=1", 303);
	th_resp_free(&r);
	snprintf(sql, sizeof(sql), "SELECT concat_ws('/', mail_assigned, mail_replied,"
	    " mail_at_risk, language) FROM staff_prefs WHERE staff_id = %lld", rae.id);
	{
		char *v = sql_owner(db, sql, NULL);

		ck_assert_str_eq(v, "f/t/t/en");
		free(v);
	}
	r = web_get_want(&stack, &j, "/agent/settings", 200);
	assert_has(&r, "Settings saved.");
	assert_has(&r, "name=\"mail_at_risk\" value=\"1\" checked");
	th_resp_free(&r);
	/* A language without a catalogue: refused at its field, the rest kept. */
	r = web_post_want(&stack, &j, "/agent/settings", "/agent/settings",
	    "theme=dark&time_zone=UTC"
	    "&shortcuts=on&after_action=stay&language=tlh&mail_replied=1", 422);
	assert_has(&r, "id=\"s-language-error\">Choose one of the languages offered.");
	assert_has(&r, "name=\"theme\" value=\"dark\" checked");
	th_resp_free(&r);
}
END_TEST

START_TEST(times_are_in_the_agents_time_zone)
{
	struct jar j = { 0 };
	struct fx_person tomo;
	struct th_resp r;
	char a[32], b[32], path[256], want[256], *updated, *due;

	two_tickets("Tomo Tokyo", a, b, sizeof(a), &tomo);
	web_staff_sign_in(&stack, &j, tomo.email, FX_PASSWORD);
	r = web_post_want(&stack, &j, "/agent/settings", "/agent/settings",
	    "theme=system&time_zone=Asia/Tokyo"
	    "&shortcuts=on&after_action=stay&language=en", 303);
	th_resp_free(&r);
	/* Tokyo is nine hours ahead of UTC all year: the list's time moves. */
	updated = sql_owner(db, "SELECT to_char(updated_at AT TIME ZONE 'Asia/Tokyo',"
	    " 'YYYY-MM-DD HH24:MI') FROM tickets WHERE number = $1", b);
	due = sql_owner(db, "SELECT to_char(sla_due_at AT TIME ZONE 'Asia/Tokyo',"
	    " 'Dy YYYY-MM-DD HH24:MI') FROM tickets WHERE number = $1", b);
	ck_assert_msg(*due != '\0', "the ticket has no SLA due time to show");
	snprintf(path, sizeof(path), "/agent/tickets?assignee=%lld&status=all", tomo.id);
	r = web_get_want(&stack, &j, path, 200);
	snprintf(want, sizeof(want), "data-label=\"Updated\">%s</td>", updated);
	assert_has(&r, want);
	snprintf(want, sizeof(want), "due %s</time>", due);
	assert_has(&r, want);
	assert_has(&r, "sla-green\">On track: ");
	th_resp_free(&r);
	/* The ticket page: the SLA line, its targets and the history's exact times. */
	snprintf(path, sizeof(path), "/agent/tickets/%s", b);
	r = web_get_want(&stack, &j, path, 200);
	snprintf(want, sizeof(want), "due %s (Asia/Tokyo)</summary>", due);
	assert_has(&r, want);
	assert_has(&r, "Targets (times in Asia/Tokyo, your time zone)");
	snprintf(want, sizeof(want), "<td class=\"nowrap\">%s</td>", due);
	assert_has(&r, want);
	assert_has(&r, " Asia/Tokyo\">");
	th_resp_free(&r);
	/* The list's preview names the zone of its time. */
	snprintf(path, sizeof(path), "/agent/tickets/%s/preview", b);
	r = web_get_want(&stack, &j, path, 200);
	assert_has(&r, "\"zone\":\"Asia/Tokyo\"");
	th_resp_free(&r);
	free(updated);
	free(due);
}
END_TEST

Suite *http_workspace_flow_suite(void);

Suite *
http_workspace_flow_suite(void)
{
	Suite *s = suite_create("http_workspace_flow");
	TCase *tc = tcase_create("flow");

	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, previous_ticket_keeps_the_view_in_every_sort);
	tcase_add_test(tc, previous_at_the_start_of_the_view_says_so);
	tcase_add_test(tc, settings_keep_the_mail_choices_and_refuse_an_unknown_language);
	tcase_add_test(tc, times_are_in_the_agents_time_zone);
	suite_add_tcase(s, tc);
	return s;
}
