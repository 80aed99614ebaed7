/*
 * Triggers and automations through `csdesk batch` as a process: a trigger
 * that sets a tag and one that reacts to the tag end (each fires once per
 * event, a rule never reacts to itself); two rules that undo each other
 * stop at the depth limit; a customer hears of the status change an admin
 * chose; a time rule fires once per ticket; a pending-customer ticket gets
 * two reminders at most and is then resolved with a note, and reminders
 * counted in business hours wait out closed days; a condition on
 * business hours follows the ticket's SLA calendar. A new
 * low-priority ticket whose subject the knowledge base answers gets the
 * articles and a link that resolves it once, in its acknowledgement.
 */
#include "../lib/fixtures.h"
#include "../lib/harness.h"
#include "../lib/sql.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/automation_run.h"
#include "domain/kb_auto_answer.h"
#include "domain/kb_insight.h"
#include "domain/ticket_fields.h"
#include "domain/tickets.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *conninfo;
static struct db owner;
static char dir[64];
static struct fx_person agent;

#define q(...) th_valuef(&owner, __VA_ARGS__)

#define EXPECT(want, ...) TH_EXPECT_VALUE(&owner, want, __VA_ARGS__)

static void
suite_setup(void)
{
	struct db d;

	conninfo = th_db_create("automation_rules");
	fx_staff(conninfo, "Ann Agent", "agent", &agent);
	ck_assert_int_eq(db_open(&d, conninfo, "check_automation_rules_setup"), 0);
	free(th_value(&d, "INSERT INTO kb_categories (slug, name) VALUES ('scanners', 'Scanners');"
	    " INSERT INTO kb_articles (slug, category_id, type, status, visibility, title, summary,"
	    " body) SELECT v.slug, c.id, 'troubleshooting', 'published', 'public', v.title, v.sum,"
	    " v.body FROM kb_categories c, (VALUES ('scanner-jams', 'When the scanner jams',"
	    " 'Clear a paper jam in three steps.', 'Open the lid, take the sheet out, close it.'),"
	    " ('scanner-feed', 'Scanner feed rollers', 'Clean them when pages jam.',"
	    " 'A scanner jams when its rollers are dirty.')) v (slug, title, sum, body)"));
	db_close(&d);
}

static void
suite_teardown(void)
{
	th_db_drop(conninfo);
	free(conninfo);
}

static void
setup(void)
{
	ck_assert_int_eq(db_open(&owner, conninfo, "check_automation_rules"), 0);
	free(q("DELETE FROM automation_rules; DELETE FROM notifications; SET TimeZone = 'UTC'"));
	snprintf(dir, sizeof(dir), "/tmp/csdesk-rules.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void
teardown(void)
{
	if (getenv("CSDESK_KEEP_LOGS") == NULL)
		th_sh("rm -rf '%s'", dir);
	db_close(&owner);
}

/* `csdesk batch` once (mail to files); asserts it worked. */
static void
batch(void)
{
	ck_assert_int_eq(th_sh("env -u CSDESK_SMTP_URL CSDESK_DB='%s' CSDESK_MAIL_DIR='%s/out'"
	    " '%s/csdesk' batch >> '%s/batch.txt' 2>&1", conninfo, dir, th_build_dir(), dir), 0);
}

/* A new customer's ticket, opened in the portal; its id. */
static long long
ticket(struct fx_person *customer)
{
	struct fx_ticket t;

	fx_customer(conninfo, "Cora Customer", NULL, "standard", customer);
	fx_ticket(conninfo, customer, "The scanner jams", &t);
	return t.id;
}

/* How many times rule name fired on ticket id. */
#define FIRINGS "SELECT count(*) FROM automation_firings f JOIN automation_rules r" \
	" ON r.id = f.rule_id WHERE r.name = '%s' AND f.ticket_id = %lld"

START_TEST(tag_and_its_reactor_do_not_loop)
{
	struct fx_person c;
	long long id;
	char *events;
	int i;

	free(q("INSERT INTO automation_rules (position, name, on_event, add_tags) VALUES"
	    " (1, 'Tag new', 'created', '{check}'), (3, 'Tag any change', 'updated', '{touched}');"
	    " INSERT INTO automation_rules (position, name, on_event, if_tag, add_tags, set_priority)"
	    " VALUES (2, 'React to tag', 'updated', 'check', '{reviewed}', 'high')"));
	id = ticket(&c);
	for (i = 0; i < 4; i++)
		batch();
	EXPECT("{check,reviewed,touched} high", "SELECT tags::text || ' ' || priority FROM tickets"
	    " WHERE id = %lld", id);
	EXPECT("1", FIRINGS, "Tag new", id);
	/* Every firing is in the history with the rule's name. */
	EXPECT("t", "SELECT count(*) = (SELECT count(*) FROM automation_firings WHERE ticket_id ="
	    " %lld) FROM ticket_events WHERE ticket_id = %lld AND field = 'automation'", id, id);
	/* Nothing is left to do: more ticks change nothing. */
	events = q("SELECT count(*) FROM domain_events WHERE aggregate_id = %lld", id);
	batch();
	batch();
	EXPECT(events, "SELECT count(*) FROM domain_events WHERE aggregate_id = %lld", id);
	EXPECT("0", "SELECT count(*) FROM (SELECT rule_id, basis FROM automation_firings"
	    " WHERE ticket_id = %lld GROUP BY 1, 2 HAVING count(*) > 1) x", id);
	free(events);
}
END_TEST

START_TEST(rules_that_undo_each_other_stop_at_the_depth_limit)
{
	struct fx_person c;
	const char *why = NULL;
	long long id;
	int i;

	free(q("INSERT INTO automation_rules (position, name, on_event, if_priority, set_priority)"
	    " VALUES (1, 'Down', 'priority_changed', 'high', 'low'),"
	    " (2, 'Up', 'priority_changed', 'low', 'high')"));
	id = ticket(&c);
	ck_assert_int_eq(ticket_field_set(&owner, agent.id, id, TF_PRIORITY, "high", &why), CS_OK);
	for (i = 0; i < 6; i++)
		batch();
	/* Down (depth 1), Up (2), Down (3): the third firing's change is seen by nobody. */
	EXPECT("2", FIRINGS, "Down", id);
	EXPECT("1", FIRINGS, "Up", id);
	EXPECT("low", "SELECT priority FROM tickets WHERE id = %lld", id);
	EXPECT("3", "SELECT max((payload->'automation'->>'depth')::int) FROM domain_events"
	    " WHERE aggregate_id = %lld", id);
	ck_assert_int_eq(AUTOMATION_DEPTH_MAX, 3);
}
END_TEST

/* Agent Ann moves ticket id to status, through the use case. */
static void
move(long long id, enum ticket_status to)
{
	struct ticket_actor_ref by = { TA_STAFF, 0, 0, 0, 0 };
	struct ticket_status_in in = { 0 };
	struct arena *a = arena_new(4096);
	const char *why = NULL;

	by.id = agent.id;
	in.ticket_id = id;
	in.to = to;
	ck_assert_int_eq(ticket_change_status(&owner, a, &by, &in, &why), CS_OK);
	arena_free(a);
}

START_TEST(customer_told_of_the_chosen_status_change)
{
	struct fx_person c;
	long long id;

	free(q("INSERT INTO automation_rules (name, on_event, if_status, mail_to, mail_subject,"
	    " mail_body) VALUES ('Tell: in progress', 'status_changed', 'in_progress', 'customer',"
	    " 'We are on it', 'An agent is working on your request.')"));
	id = ticket(&c);
	move(id, TS_PENDING_CUSTOMER);
	batch();
	EXPECT("0", "SELECT count(*) FROM notifications WHERE kind = 'automation_message'");
	move(id, TS_IN_PROGRESS);
	batch();
	EXPECT("1", "SELECT count(*) FROM notifications WHERE kind = 'automation_message'"
	    " AND recipient = '%s' AND body_text LIKE '%%An agent is working%%'", c.email);
}
END_TEST

/* A time rule on pending-customer tickets after hours, doing more. */
static void
pending_rule(const char *name, int hours, const char *more_cols, const char *more_vals)
{
	free(q("INSERT INTO automation_rules (name, on_event, time_basis, time_hours, if_status,"
	    " mail_to, mail_subject, mail_body, checked_until%s) VALUES ('%s', 'time', 'status', %d,"
	    " 'pending_customer', 'customer', 'Still there?', 'We are waiting for your answer.',"
	    " now() - interval '30 days'%s)", more_cols, name, hours, more_vals));
}

/* Puts the ticket in pending customer, hours ago. */
static void
pending_for(long long id, int hours)
{
	free(q("UPDATE tickets SET status = 'pending_customer' WHERE id = %lld;"
	    " UPDATE tickets SET status_changed_at = now() - interval '%d hours' WHERE id = %lld",
	    id, hours, id));
}

/* Pretends hours pass: the ticket's basis and how far the rules looked move back. */
static void
time_passes(long long id, int hours)
{
	free(q("UPDATE tickets SET status_changed_at = status_changed_at - interval '%d hours'"
	    " WHERE id = %lld; UPDATE automation_rules SET checked_until = checked_until"
	    " - interval '%d hours'", hours, id, hours));
}

#define REMINDERS "SELECT count(*) FROM notifications WHERE kind = 'automation_message'" \
	" AND recipient = '%s'"

START_TEST(time_rule_fires_once_per_ticket)
{
	struct fx_person c;
	long long id;

	pending_rule("Remind after 72 h", 72, "", "");
	id = ticket(&c);
	pending_for(id, 71);
	batch();
	EXPECT("0", REMINDERS, c.email);
	time_passes(id, 2);
	batch();
	time_passes(id, 100);
	batch();
	EXPECT("1", REMINDERS, c.email);
	EXPECT("1", FIRINGS, "Remind after 72 h", id);
}
END_TEST

START_TEST(two_reminders_then_resolved_with_a_note)
{
	struct fx_person c;
	long long id;

	pending_rule("Reminder 1", 72, "", "");
	pending_rule("Reminder 2", 144, "", "");
	pending_rule("No answer: resolve", 216, ", set_status, note", ", 'resolved',"
	    " 'No answer after two reminders: resolved.'");
	id = ticket(&c);
	pending_for(id, 73);
	batch();
	time_passes(id, 72);
	batch();
	EXPECT("2", REMINDERS, c.email);
	EXPECT("pending_customer", "SELECT status FROM tickets WHERE id = %lld", id);
	time_passes(id, 72);
	batch();
	time_passes(id, 72);
	batch();
	/* Two reminders and the last word; no third reminder. */
	EXPECT("3", REMINDERS, c.email);
	EXPECT("resolved", "SELECT status FROM tickets WHERE id = %lld", id);
	EXPECT("1", "SELECT count(*) FROM ticket_comments WHERE ticket_id = %lld"
	    " AND kind = 'internal' AND body LIKE 'No answer after two reminders%%'", id);
	EXPECT("1", "SELECT count(*) FROM notifications WHERE kind = 'ticket_resolved'"
	    " AND recipient = '%s'", c.email);
}
END_TEST

/*
 * Reminders counted in business hours, on the calendar of the ticket's
 * queue, across closed days: the ticket has waited since noon three days
 * ago, all of it closed (a long weekend), so nothing is due however many
 * wall-clock hours passed; as the days open, the reminders come due in
 * turn, each once, and the last rule resolves. (The basis stays put: the
 * calendar moves instead, so the test does not hang on the time of day.)
 */
START_TEST(business_hour_reminders_wait_out_closed_days)
{
	struct fx_person c;
	long long id;

	id = ticket(&c);
	free(q("INSERT INTO business_calendars (name, time_zone) VALUES ('Every day', 'UTC');"
	    " INSERT INTO calendar_hours (calendar_id, weekday, opens, closes) SELECT c.id, d,"
	    " '00:00', '24:00' FROM business_calendars c, generate_series(1, 7) d"
	    " WHERE c.name = 'Every day';"
	    " INSERT INTO calendar_holidays (calendar_id, day, name) SELECT c.id,"
	    " (now() AT TIME ZONE 'UTC')::date - d, 'Closed' FROM business_calendars c,"
	    " generate_series(0, 3) d WHERE c.name = 'Every day';"
	    " INSERT INTO queues (name, auto_assign, calendar_id) SELECT 'Weekday desk', false, id"
	    " FROM business_calendars WHERE name = 'Every day';"
	    " UPDATE tickets SET queue_id = (SELECT id FROM queues WHERE name = 'Weekday desk'),"
	    " sla_policy_id = NULL WHERE id = %lld", id));
	pending_rule("Business reminder 1", 8, ", time_business", ", true");
	pending_rule("Business reminder 2", 16, ", time_business", ", true");
	pending_rule("Business resolve", 24, ", time_business, set_status, note",
	    ", true, 'resolved', 'No answer in three business days: resolved.'");
	free(q("UPDATE tickets SET status = 'pending_customer' WHERE id = %lld;"
	    " UPDATE tickets SET status_changed_at = ((now() AT TIME ZONE 'UTC')::date - 3"
	    " + time '12:00') AT TIME ZONE 'UTC' WHERE id = %lld", id, id));
	batch();
	batch();
	/* Wall-clock hours would have sent all three by now. */
	EXPECT("0", REMINDERS, c.email);
	/* Three days ago opens: 12 business hours, the first reminder only. */
	free(q("DELETE FROM calendar_holidays WHERE day = (now() AT TIME ZONE 'UTC')::date - 3"));
	batch();
	batch();
	EXPECT("1", REMINDERS, c.email);
	EXPECT("pending_customer", "SELECT status FROM tickets WHERE id = %lld", id);
	/* The day after opens too: 36 hours, the second reminder and the last word. */
	free(q("DELETE FROM calendar_holidays WHERE day = (now() AT TIME ZONE 'UTC')::date - 2"));
	batch();
	batch();
	EXPECT("3", REMINDERS, c.email);
	EXPECT("1", FIRINGS, "Business reminder 1", id);
	EXPECT("resolved", "SELECT status FROM tickets WHERE id = %lld", id);
	EXPECT("1", "SELECT count(*) FROM ticket_comments WHERE ticket_id = %lld"
	    " AND kind = 'internal' AND body LIKE 'No answer in three business days%%'", id);
}
END_TEST

START_TEST(business_hours_condition)
{
	struct fx_person c1, c2;
	long long open, closed;

	/* One ticket on the 24x7 calendar, one on a calendar never open. */
	open = ticket(&c1);
	closed = ticket(&c2);
	free(q("INSERT INTO business_calendars (name, time_zone) VALUES ('Never open', 'UTC');"
	    " INSERT INTO sla_policies (name, tier, priority, calendar_id, first_response_minutes,"
	    " next_response_minutes, resolution_minutes) SELECT 'Test never', 'standard', 'critical',"
	    " id, 60, 60, 600 FROM business_calendars WHERE name = 'Never open';"
	    " UPDATE tickets SET sla_policy_id = (SELECT id FROM sla_policies WHERE name ="
	    " 'Urgent') WHERE id = %lld; UPDATE tickets SET sla_policy_id = (SELECT id FROM"
	    " sla_policies WHERE name = 'Test never') WHERE id = %lld", open, closed));
	free(q("INSERT INTO automation_rules (name, on_event, if_hours, add_tags) VALUES"
	    " ('After hours', 'created', 'closed', '{after-hours}'),"
	    " ('In hours', 'created', 'open', '{in-hours}')"));
	batch();
	EXPECT("{in-hours}", "SELECT tags::text FROM tickets WHERE id = %lld", open);
	EXPECT("{after-hours}", "SELECT tags::text FROM tickets WHERE id = %lld", closed);
}
END_TEST

/* The link's secret in the newest acknowledgement to address (malloc'd) or "". */
static char *
answer_token(const char *address)
{
	return q("SELECT coalesce(substring(body_text FROM '/tickets/solved/([0-9a-f]{32})'), '')"
	    " FROM notifications WHERE kind = 'ticket_created' AND recipient = '%s'"
	    " ORDER BY id DESC LIMIT 1", address);
}

START_TEST(kb_answer_link_resolves_the_ticket_once)
{
	enum kb_auto_answer_outcome outcome;
	struct arena *a = arena_new(4096);
	struct fx_person c, other;
	const char *number;
	char *token;
	long long id, medium;

	id = ticket(&c);
	medium = ticket(&other);
	free(q("UPDATE tickets SET priority = 'low' WHERE id = %lld", id));
	batch();
	/* Low priority, every word found: the acknowledgement itself carries the
	 * two articles and the link; there is no mail of its own. */
	EXPECT("1", "SELECT count(*) FROM notifications WHERE kind = 'ticket_created'"
	    " AND recipient = '%s' AND body_text LIKE '%%When the scanner jams%%'"
	    " AND body_text LIKE '%%/kb/a/scanner-feed%%' AND body_text LIKE '%%/tickets/solved/%%'",
	    c.email);
	EXPECT("1", "SELECT count(*) FROM notifications WHERE recipient = '%s'", c.email);
	/* Medium priority: the acknowledgement, without articles. */
	EXPECT("0", "SELECT count(*) FROM kb_auto_answers WHERE ticket_id = %lld", medium);
	EXPECT("1", "SELECT count(*) FROM notifications WHERE kind = 'ticket_created'"
	    " AND recipient = '%s' AND body_text NOT LIKE '%%/tickets/solved/%%'", other.email);
	token = answer_token(c.email);
	ck_assert_int_eq((int)strlen(token), 32);
	ck_assert_int_eq(kb_auto_answer_solve(&owner, a, token, &outcome, &number), CS_OK);
	ck_assert_int_eq(outcome, KB_ANSWER_SOLVED);
	EXPECT("resolved true", "SELECT t.status || ' ' || (k.solved_at IS NOT NULL)::text"
	    " FROM tickets t JOIN kb_auto_answers k ON k.ticket_id = t.id WHERE t.id = %lld", id);
	/* Once: the second time says so and changes nothing. */
	ck_assert_int_eq(kb_auto_answer_solve(&owner, a, token, &outcome, &number), CS_OK);
	ck_assert_int_eq(outcome, KB_ANSWER_ALREADY);
	EXPECT("1", "SELECT count(*) FROM domain_events WHERE aggregate_id = %lld"
	    " AND type = 'ticket.status_changed' AND payload->>'self_service' = 'true'", id);
	/* The knowledge base's report counts it as a deflection. */
	{
		struct kb_report_table t;

		ck_assert_int_eq(kb_report_run(&owner, a, KB_REPORT_AUTO_ANSWERS, 30, 10, &t),
		    CS_OK);
		/* Other tests' low tickets got answers too; only this one was solved. */
		ck_assert_int_eq((int)t.nrows, 1);
		ck_assert_int_ge(atoi(t.rows[0][0]), 1);
		ck_assert_str_eq(t.rows[0][1], "1");
	}
	/* Another batch offers nothing more; a made-up link is no link. */
	batch();
	EXPECT("1", "SELECT count(*) FROM kb_auto_answers WHERE ticket_id = %lld", id);
	ck_assert_int_eq(kb_auto_answer_solve(&owner, a, "0123456789abcdef0123456789abcdef",
	    &outcome, &number), CS_NOT_FOUND);
	free(token);
	arena_free(a);
}
END_TEST

Suite *automation_rules_suite(void);

Suite *
automation_rules_suite(void)
{
	Suite *s = suite_create("automation_rules");
	TCase *tc = tcase_create("automation_rules");

	tcase_add_unchecked_fixture(tc, suite_setup, suite_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, tag_and_its_reactor_do_not_loop);
	tcase_add_test(tc, rules_that_undo_each_other_stop_at_the_depth_limit);
	tcase_add_test(tc, customer_told_of_the_chosen_status_change);
	tcase_add_test(tc, time_rule_fires_once_per_ticket);
	tcase_add_test(tc, two_reminders_then_resolved_with_a_note);
	tcase_add_test(tc, business_hour_reminders_wait_out_closed_days);
	tcase_add_test(tc, kb_answer_link_resolves_the_ticket_once);
	tcase_add_test(tc, business_hours_condition);
	suite_add_tcase(s, tc);
	return s;
}
