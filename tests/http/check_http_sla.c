/*
 * Service levels through nginx: the admin forms for calendars, policies
 * and escalation rules refuse bad input with a clear message next to the
 * field (an interval that ends before it starts, an unknown time zone, a
 * negative target) and save good input with an audit record; the console
 * shows each ticket's SLA state green, amber or red with the time left,
 * the ticket page explains the clock, and an agent escalates by hand with
 * a reason; the portal tells the customer who handles the request and when
 * we will reply and aim to solve it, on their own clock.
 */
#include "identity.h"
#include "auth/password.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/tickets.h"

#include <check.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PW "copper lantern orchard 7"

static struct th_stack stack;
static char *db;
static long long customer_id, user_id;

static void
setup(void)
{
	char hash[PASSWORD_HASH_MAX];
	struct db d;

	ck_assert_int_ge(sodium_init(), 0);
	db = th_db_create("http_sla");
	ck_assert_int_eq(db_open(&d, db, "http-sla-setup"), 0);
	ck_assert_int_eq(password_hash(PW, hash), 0);
	ck_assert_int_gt(staff_fixture(&d, "root@acme.test", "Ada Admin", hash,
	    "agent,admin"), 0);
	ck_assert_int_gt(staff_fixture(&d, "agent@acme.test", "Alex Agent", hash,
	    "agent"), 0);
	customer_id = customer_fixture(&d, "Carla Customer", "person", "standard", "en",
	    "carla@cust.test", "Carla Customer", hash, 1, &user_id);
	ck_assert_int_gt(customer_id, 0);
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

/* A ticket of the customer with priority, as the system; its number into out. */
static long long
create(const char *priority, char *out, size_t size)
{
	struct arena *a = arena_new(4096);
	struct ticket_actor_ref by = { TA_SYSTEM, 0, 0, 0, 0 };
	struct ticket_new t = { 0 };
	struct ticket_opened op;
	const char *why = NULL;
	struct db d;

	ck_assert_ptr_nonnull(a);
	ck_assert_int_eq(db_open(&d, db, "http-sla-create"), 0);
	t.customer_id = customer_id;
	t.requester_id = user_id;
	t.channel = "phone";
	t.subject = "Router keeps restarting";
	t.description = "Every ten minutes.";
	t.priority = priority;
	ck_assert_msg(ticket_open(&d, a, &by, &t, &op, &why) == CS_OK, "create: %s",
	    why ? why : "error");
	snprintf(out, size, "%s", op.number);
	db_close(&d);
	arena_free(a);
	return op.id;
}

START_TEST(calendar_form_refuses_and_saves)
{
	struct jar j = { 0 };
	struct th_resp r;
	char *v;

	web_staff_sign_in(&stack, &j, "root@acme.test", PW);
	r = web_get(&stack, &j, "/agent/admin/calendars");
	ck_assert_int_eq(r.status, 200);
	assert_has(&r, "24x7");
	assert_has(&r, "Office hours");
	th_resp_free(&r);
	/* An interval that ends before it starts, and a zone that does not exist. */
	r = web_post(&stack, &j, "/agent/admin/calendars/new", "/agent/admin/calendars/new",
	    "name=Night+desk&time_zone=Mars%2FOlympus&day_minutes=480"
	    "&hours_1=17%3A00-09%3A00&holidays=");
	ck_assert_int_eq(r.status, 422);
	assert_has(&r, "ends before it starts");
	assert_has(&r, "Unknown time zone");
	assert_has(&r, "Mars/Olympus");
	th_resp_free(&r);
	/* A holiday that does not exist, overlapping intervals. */
	r = web_post(&stack, &j, "/agent/admin/calendars/new", "/agent/admin/calendars/new",
	    "name=Night+desk&time_zone=Europe%2FBerlin&day_minutes=480"
	    "&hours_2=09%3A00-12%3A00%2C+11%3A00-17%3A00&holidays=2026-02-30+Nope");
	ck_assert_int_eq(r.status, 422);
	assert_has(&r, "Two intervals overlap");
	assert_has(&r, "a date that exists");
	th_resp_free(&r);
	/* A night shift and a holiday: saved, audited, shown back. */
	r = web_post(&stack, &j, "/agent/admin/calendars/new", "/agent/admin/calendars/new",
	    "name=Night+desk&time_zone=Europe%2FBerlin&day_minutes=480"
	    "&hours_1=22%3A00-24%3A00&hours_2=00%3A00-06%3A00%2C+22%3A00-24%3A00"
	    "&holidays=2026-12-25+Christmas+Day");
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
	v = sql_owner(db, "SELECT count(*) FROM audit_log WHERE action = $1", "calendar.create");
	ck_assert_str_eq(v, "1");
	free(v);
	/* The list says its week in words. */
	r = web_get(&stack, &j, "/agent/admin/calendars");
	ck_assert_int_eq(r.status, 200);
	assert_has(&r, "Mon 22:00–24:00, Tue 00:00–06:00 22:00–24:00");
	assert_has(&r, "Mon 09:00–17:00, Tue 09:00–17:00, Wed 09:00–17:00, Thu 09:00–17:00, "
	    "Fri 09:00–17:00");
	assert_has(&r, "open around the clock, every day");
	th_resp_free(&r);
	v = sql_owner(db, "SELECT id FROM business_calendars WHERE name = $1", "Night desk");
	{
		char path[64];

		snprintf(path, sizeof(path), "/agent/admin/calendars/%s", v);
		r = web_get(&stack, &j, path);
		ck_assert_int_eq(r.status, 200);
		assert_has(&r, "00:00-06:00, 22:00-24:00");
		assert_has(&r, "2026-12-25 Christmas Day");
		th_resp_free(&r);
		/* Holidays are one a line: two of them save (the form read one line only). */
		r = web_post(&stack, &j, path, path, "name=Night+desk&time_zone=Europe%2FBerlin"
		    "&day_minutes=480&hours_1=22%3A00-24%3A00"
		    "&holidays=2026-12-25+Christmas+Day%0D%0A2026-12-26+Boxing+Day%0D%0A");
		ck_assert_int_eq(r.status, 303);
		th_resp_free(&r);
		r = web_get(&stack, &j, path);
		assert_has(&r, "2026-12-25 Christmas Day\n2026-12-26 Boxing Day");
		th_resp_free(&r);
	}
	free(v);
	v = sql_owner(db, "SELECT string_agg(name, ',' ORDER BY day) FROM calendar_holidays"
	    " WHERE calendar_id = (SELECT id FROM business_calendars WHERE name = $1)",
	    "Night desk");
	ck_assert_str_eq(v, "Christmas Day,Boxing Day");
	free(v);
}
END_TEST

START_TEST(policy_form_refuses_bad_input_and_saves)
{
	struct jar j = { 0 };
	struct th_resp r;
	char body[512], *cal, *v;

	web_staff_sign_in(&stack, &j, "root@acme.test", PW);
	cal = sql_owner(db, "SELECT id FROM business_calendars WHERE name = $1", "Office hours");
	snprintf(body, sizeof(body), "name=Gold+urgent&tier=vip&priority=urgent&category_id="
	    "&calendar_id=%s&first_response=-5&first_response_unit=minutes&next_response=1"
	    "&next_response_unit=hours&resolution=2&resolution_unit=days&pause=pending_customer"
	    "&active=1", cal);
	r = web_post(&stack, &j, "/agent/admin/sla-policies/new", "/agent/admin/sla-policies/new",
	    body);
	ck_assert_int_eq(r.status, 422);
	assert_has(&r, "First-response target must be a whole number from 1");
	th_resp_free(&r);
	/* The seeded policies are already there for this scope. */
	snprintf(body, sizeof(body), "name=Gold+urgent&tier=vip&priority=urgent&category_id="
	    "&calendar_id=%s&first_response=5&first_response_unit=minutes&next_response=1"
	    "&next_response_unit=hours&resolution=2&resolution_unit=days&pause=pending_customer"
	    "&active=1", cal);
	r = web_post(&stack, &j, "/agent/admin/sla-policies/new", "/agent/admin/sla-policies/new",
	    body);
	ck_assert_int_eq(r.status, 422);
	assert_has(&r, "covers the same tier, priority and category");
	th_resp_free(&r);
	/* A real change: VIP urgent goes to 5 minutes on office hours, two days to solve. */
	v = sql_owner(db, "SELECT id FROM sla_policies WHERE name = $1", "VIP urgent");
	{
		char path[64];

		snprintf(path, sizeof(path), "/agent/admin/sla-policies/%s", v);
		snprintf(body, sizeof(body), "name=VIP+urgent&tier=vip&priority=urgent&category_id="
		    "&calendar_id=%s&first_response=5&first_response_unit=minutes&next_response=1"
		    "&next_response_unit=hours&resolution=2&resolution_unit=days"
		    "&pause=pending_customer&pause=pending_parts&active=1", cal);
		r = web_post(&stack, &j, path, path, body);
		ck_assert_int_eq(r.status, 303);
		th_resp_free(&r);
	}
	free(v);
	v = sql_owner(db, "SELECT first_response_minutes || ' ' || resolution_minutes || ' ' ||"
	    " array_to_string(pause_statuses, ',') FROM sla_policies WHERE name = $1",
	    "VIP urgent");
	ck_assert_str_eq(v, "5 960 pending_customer,pending_parts");
	free(v);
	/* The list says the targets and pausing statuses in words. */
	r = web_get(&stack, &j, "/agent/admin/sla-policies");
	ck_assert_int_eq(r.status, 200);
	assert_has(&r, "5 min / 1 h / 2 business days");
	assert_has(&r, "pending customer, pending parts");
	th_resp_free(&r);
	/* Its open tickets are queued for the batch to move their due times. */
	v = sql_owner(db, "SELECT count(*) FROM sla_recompute_queue WHERE priority = $1", "urgent");
	ck_assert_str_eq(v, "1");
	free(v);
	/* Agents do not get in. */
	jar_clear(&j);
	web_staff_sign_in(&stack, &j, "agent@acme.test", PW);
	r = web_get(&stack, &j, "/agent/admin/sla-policies");
	ck_assert_int_eq(r.status, 403);
	th_resp_free(&r);
	free(cal);
}
END_TEST

START_TEST(escalation_rule_form_refuses_bad_input_and_saves)
{
	struct jar j = { 0 };
	struct th_resp r;

	web_staff_sign_in(&stack, &j, "root@acme.test", PW);
	/* A no-update rule without its hours. */
	r = web_post(&stack, &j, "/agent/admin/escalation-rules/new",
	    "/agent/admin/escalation-rules/new", "name=Stale&position=5&on_event=no_update"
	    "&no_update_hours=&notify=supervisor&active=1");
	ck_assert_int_eq(r.status, 422);
	assert_has(&r, "after how many hours");
	th_resp_free(&r);
	r = web_post(&stack, &j, "/agent/admin/escalation-rules/new",
	    "/agent/admin/escalation-rules/new", "name=Stale&position=5&on_event=no_update"
	    "&no_update_hours=-3&notify=supervisor&active=1");
	ck_assert_int_eq(r.status, 422);
	assert_has(&r, "Hours without update must be a whole number from 1 to 8760");
	th_resp_free(&r);
	r = web_post(&stack, &j, "/agent/admin/escalation-rules/new",
	    "/agent/admin/escalation-rules/new", "name=Stale&position=5&on_event=no_update"
	    "&no_update_hours=48&if_priority=high&notify=manager&reassign=1&active=1");
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
	r = web_get(&stack, &j, "/agent/admin/escalation-rules");
	assert_has(&r, "Stale");
	assert_has(&r, "no_update (48 h)");
	th_resp_free(&r);
	/* Agents do not get in. */
	jar_clear(&j);
	web_staff_sign_in(&stack, &j, "agent@acme.test", PW);
	r = web_get(&stack, &j, "/agent/admin/escalation-rules");
	ck_assert_int_eq(r.status, 403);
	th_resp_free(&r);
}
END_TEST

START_TEST(console_shows_state_and_explains)
{
	char green[32], amber[32], red[32], path[96];
	struct jar j = { 0 };
	struct th_resp r;
	char *v;

	create("urgent", green, sizeof(green));
	create("urgent", amber, sizeof(amber));
	create("urgent", red, sizeof(red));
	/* Urgent runs 24x7: 30 minutes to a first response. */
	free(sql_owner(db, "WITH u AS (UPDATE tickets SET sla_started_at = now() - interval"
	    " '25 minutes' WHERE number = $1 RETURNING id) SELECT sla_ticket_recompute(id, 'test')"
	    " FROM u", amber));
	free(sql_owner(db, "WITH u AS (UPDATE tickets SET sla_started_at = now() - interval"
	    " '50 minutes' WHERE number = $1 RETURNING id) SELECT sla_ticket_recompute(id, 'test')"
	    " FROM u", red));
	web_staff_sign_in(&stack, &j, "agent@acme.test", PW);
	r = web_get(&stack, &j, "/agent/tickets?status=open");
	ck_assert_int_eq(r.status, 200);
	assert_has(&r, "sla-green\">On track: 29 min left");
	assert_has(&r, "sla-amber\">At risk: 4 min left");
	assert_has(&r, "sla-red\">Breached: overdue by 20 min");
	/* And when, in the agent's time zone (UTC for this one). */
	assert_has(&r, "class=\"sla-due\" datetime=\"");
	assert_has(&r, ">was due ");
	th_resp_free(&r);
	/* The ticket page: policy, calendar, targets and the clock. */
	snprintf(path, sizeof(path), "/agent/tickets/%s", red);
	r = web_get(&stack, &j, path);
	ck_assert_int_eq(r.status, 200);
	assert_has(&r, "Service level");
	/* Folded to one line on the ticket page, in words. */
	assert_has(&r, "<summary>Service level: breached, overdue by 20 min, was due ");
	assert_has(&r, "sla-red\">Breached: overdue by 20 min");
	assert_has(&r, "Policy <strong>Urgent</strong>");
	assert_has(&r, "open around the clock");
	assert_has(&r, "ticket created");
	assert_has(&r, "First response</td><td>30 min</td>");
	th_resp_free(&r);
	/* Escalating needs a reason; with one, it is recorded. */
	snprintf(path, sizeof(path), "/agent/tickets/%s/escalate", red);
	{
		char page[96];

		snprintf(page, sizeof(page), "/agent/tickets/%s", red);
		r = web_post(&stack, &j, path, page, "reason=++");
		ck_assert_int_eq(r.status, 422);
		assert_has(&r, "Say why the ticket needs escalating.");
		th_resp_free(&r);
		r = web_post(&stack, &j, path, page, "reason=Customer+is+losing+orders");
		ck_assert_int_eq(r.status, 303);
		th_resp_free(&r);
		r = web_get(&stack, &j, page);
		assert_has(&r, "manual");
		assert_has(&r, "Customer is losing orders");
		th_resp_free(&r);
	}
	v = sql_owner(db, "SELECT count(*) FROM ticket_escalations x JOIN tickets t"
	    " ON t.id = x.ticket_id WHERE t.number = $1 AND x.trigger = 'manual'", red);
	ck_assert_str_eq(v, "1");
	free(v);
}
END_TEST

START_TEST(portal_shows_the_promise)
{
	char number[32], path[96], body[256];
	struct jar j = { 0 };
	struct th_resp r;
	char *when;

	create("urgent", number, sizeof(number));
	when = sql_owner(db, "SELECT to_char(first_response_due_at AT TIME ZONE 'UTC',"
	    " 'Dy HH24:MI') FROM tickets WHERE number = $1", number);
	web_customer_sign_in(&stack, &j, "carla@cust.test", PW);
	snprintf(path, sizeof(path), "/tickets/%s", number);
	r = web_get(&stack, &j, path);
	ck_assert_int_eq(r.status, 200);
	snprintf(body, sizeof(body), "We will reply by %s (UTC time).", when);
	assert_has(&r, body);
	th_resp_free(&r);
	free(when);
	/* With an agent and the customer's own zone: who, and both times on their clock. */
	when = sql_owner(db, "WITH c AS (UPDATE customers SET time_zone = 'Asia/Tokyo'"
	    " WHERE name = 'Carla Customer'), t AS (UPDATE tickets SET assignee_id = (SELECT id"
	    " FROM staff WHERE email = 'agent@acme.test') WHERE number = $1 RETURNING *)"
	    " SELECT to_char(first_response_due_at AT TIME ZONE 'Asia/Tokyo', 'Dy HH24:MI')"
	    " || '|' || to_char(resolution_due_at AT TIME ZONE 'Asia/Tokyo', 'Dy HH24:MI') FROM t",
	    number);
	*strchr(when, '|') = '\0';
	snprintf(body, sizeof(body), "Alex Agent is handling your request. We will reply by %s"
	    " (Asia/Tokyo time). We aim to solve it by %s.", when, when + strlen(when) + 1);
	r = web_get(&stack, &j, path);
	assert_has(&r, body);
	th_resp_free(&r);
	/* Waiting for the customer: the clock stands still, and we say so. */
	free(sql_owner(db, "UPDATE tickets SET status = 'pending_customer' WHERE number = $1",
	    number));
	r = web_get(&stack, &j, path);
	assert_has(&r, "our clock is stopped");
	th_resp_free(&r);
	free(when);
}
END_TEST

Suite *http_sla_suite(void);

Suite *
http_sla_suite(void)
{
	Suite *s = suite_create("http_sla");
	TCase *tc = tcase_create("http_sla");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, calendar_form_refuses_and_saves);
	tcase_add_test(tc, console_shows_state_and_explains);
	tcase_add_test(tc, portal_shows_the_promise);
	suite_add_tcase(s, tc);
	/* The policy form and the rule form touch different rows: one database. */
	tc = tcase_create("forms");
	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, policy_form_refuses_bad_input_and_saves);
	tcase_add_test(tc, escalation_rule_form_refuses_bad_input_and_saves);
	suite_add_tcase(s, tc);
	return s;
}
