/*
 * A time rule's dry run lists exactly the tickets the next tick fires on
 * (automation_due, 390_automation_due.sql, is the one definition both
 * read), for each kind of time rule: hours since the last status change,
 * the last update and creation; hours counted in business hours, with
 * tickets waiting in automation_waits until their calendar opens; and the
 * pending-customer reminders, which a customer notices as mail. In each,
 * some tickets are due and some are not (too recent, a condition fails,
 * another status, fired before for that basis): the dry run and the tick
 * agree on the due ones and on nothing else, and afterwards the dry run is
 * empty while the tick fires nothing more.
 */
#include "../lib/fixtures.h"
#include "../lib/harness.h"
#include "../lib/sql.h"
#include "db/db.h"
#include "domain/automation_run.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *conninfo;
static struct db owner;
static char dir[64];

#define q(...) th_valuef(&owner, __VA_ARGS__)

#define EXPECT(want, ...) TH_EXPECT_VALUE(&owner, want, __VA_ARGS__)

static void
suite_setup(void)
{
	conninfo = th_db_create("automation_due");
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
	ck_assert_int_eq(db_open(&owner, conninfo, "check_automation_due"), 0);
	free(q("DELETE FROM automation_rules; SET TimeZone = 'UTC'"));
	snprintf(dir, sizeof(dir), "/tmp/csdesk-due.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void
teardown(void)
{
	if (getenv("CSDESK_KEEP_LOGS") == NULL)
		th_sh("rm -rf '%s'", dir);
	db_close(&owner);
}

/* A new customer's ticket tagged tag ("" for none), opened in the portal; its id. */
static long long
ticket(const char *tag, struct fx_person *customer)
{
	struct fx_person c;
	struct fx_ticket t;

	if (customer == NULL)
		customer = &c;
	fx_customer(conninfo, "Dora Due", NULL, "standard", customer);
	fx_ticket(conninfo, customer, "The printer is offline", &t);
	free(q("UPDATE tickets SET tags = CASE WHEN '%s' = '' THEN '{}' ELSE ARRAY['%s'] END"
	    " WHERE id = %lld", tag, tag, t.id));
	return t.id;
}

/*
 * A time rule named name for tickets tagged tag that adds a tag, looking
 * back 30 days; its id. Each test has its own tag, so that no rule sees
 * another test's tickets.
 */
static long long
rule(const char *name, const char *tag, const char *basis, int hours, const char *more_cols,
    const char *more_vals)
{
	char *v = q("INSERT INTO automation_rules (name, on_event, time_basis, time_hours, if_tag,"
	    " add_tags, checked_until%s) VALUES ('%s', 'time', '%s', %d, '%s', '{touched}',"
	    " now() - interval '30 days'%s) RETURNING id", more_cols, name, basis, hours, tag,
	    more_vals);
	long long id = atoll(v);

	free(v);
	return id;
}

/* The ids the dry run of rule lists, "1,2,3" in order. */
static char *
dry_run(long long rule_id)
{
	return q("SELECT coalesce(string_agg(ticket_id::text, ',' ORDER BY ticket_id), '')"
	    " FROM automation_dry_run(%lld, 1000)", rule_id);
}

/* `csdesk batch` once (mail to files); asserts it worked. */
static void
batch(void)
{
	ck_assert_int_eq(th_sh("env -u CSDESK_SMTP_URL CSDESK_DB='%s' CSDESK_MAIL_DIR='%s/out'"
	    " '%s/csdesk' batch >> '%s/batch.txt' 2>&1", conninfo, dir, th_build_dir(), dir), 0);
}

/*
 * The dry run of rule_id lists want; the next tick (`csdesk batch`) fires
 * the rule on exactly those tickets; after it the dry run lists nothing.
 */
static void
agree(long long rule_id, const char *want)
{
	char *listed = dry_run(rule_id), *fired;

	free(q("DROP TABLE IF EXISTS fired_before; CREATE TEMP TABLE fired_before AS"
	    " SELECT rule_id, ticket_id, basis FROM automation_firings WHERE rule_id = %lld",
	    rule_id));
	batch();
	fired = q("SELECT coalesce(string_agg(f.ticket_id::text, ',' ORDER BY f.ticket_id), '')"
	    " FROM automation_firings f WHERE f.rule_id = %lld AND NOT EXISTS (SELECT 1"
	    " FROM fired_before b WHERE b.ticket_id = f.ticket_id AND b.basis = f.basis)", rule_id);
	ck_assert_msg(strcmp(listed, want) == 0, "dry run listed '%s', want '%s'", listed, want);
	ck_assert_msg(strcmp(fired, listed) == 0, "the tick fired on '%s', the dry run listed '%s'",
	    fired, listed);
	free(listed);
	free(fired);
	listed = dry_run(rule_id);
	ck_assert_msg(strcmp(listed, "") == 0, "after the tick the dry run lists '%s'", listed);
	free(listed);
}

/* "a,b" from two ids in order. */
static const char *
ids(long long a, long long b)
{
	static char s[64];

	snprintf(s, sizeof(s), "%lld,%lld", a < b ? a : b, a < b ? b : a);
	return s;
}

static const char *
id1(long long a)
{
	static char s[32];

	snprintf(s, sizeof(s), "%lld", a);
	return s;
}

START_TEST(hours_since_status_change)
{
	long long r = rule("Due: in progress 5 h", "due-s", "status", 5, ", if_status",
	    ", 'in_progress'");
	long long due = ticket("due-s", NULL), due2 = ticket("due-s", NULL);
	long long recent = ticket("due-s", NULL), untagged = ticket("", NULL);
	long long other = ticket("due-s", NULL), fired = ticket("due-s", NULL);

	free(q("UPDATE tickets SET status = 'in_progress' WHERE id IN (%lld, %lld, %lld, %lld, %lld);"
	    " UPDATE tickets SET status = 'pending_parts' WHERE id = %lld;"
	    " UPDATE tickets SET status_changed_at = now() - interval '6 hours'"
	    " WHERE id IN (%lld, %lld, %lld, %lld, %lld);"
	    " UPDATE tickets SET status_changed_at = now() - interval '3 hours' WHERE id = %lld;"
	    " INSERT INTO automation_firings (rule_id, ticket_id, basis, depth) SELECT %lld, id,"
	    " automation_basis_key(status_changed_at), 1 FROM tickets WHERE id = %lld",
	    due, due2, recent, untagged, fired, other, due, due2, untagged, other, fired, recent,
	    r, fired));
	agree(r, ids(due, due2));
	EXPECT("{due-s,touched}", "SELECT tags::text FROM tickets WHERE id = %lld", due);
	/* Three hours on, the recent one comes due: the dry run says so first. */
	free(q("UPDATE tickets SET status_changed_at = status_changed_at - interval '3 hours'"
	    " WHERE id = %lld; UPDATE automation_rules SET checked_until = checked_until"
	    " - interval '3 hours' WHERE id = %lld", recent, r));
	agree(r, id1(recent));
}
END_TEST

START_TEST(hours_since_update)
{
	long long r = rule("Due: untouched 24 h", "due-u", "updated", 24, "", "");
	long long due = ticket("due-u", NULL), recent = ticket("due-u", NULL);
	long long untagged = ticket("", NULL), resolved = ticket("due-u", NULL);

	free(q("UPDATE tickets SET status = 'resolved' WHERE id = %lld;"
	    " UPDATE tickets SET updated_at = now() - interval '25 hours'"
	    " WHERE id IN (%lld, %lld, %lld);"
	    " UPDATE tickets SET updated_at = now() - interval '2 hours' WHERE id = %lld",
	    resolved, due, untagged, resolved, recent));
	EXPECT("t", "SELECT updated_at < now() - interval '24 hours' FROM tickets WHERE id = %lld",
	    due);
	agree(r, id1(due));
}
END_TEST

START_TEST(hours_since_creation)
{
	long long r = rule("Due: open 48 h", "due-c", "created", 48, ", if_priority", ", 'medium'");
	long long due = ticket("due-c", NULL), recent = ticket("due-c", NULL);
	long long high = ticket("due-c", NULL), closed = ticket("due-c", NULL);

	free(q("UPDATE tickets SET priority = 'medium' WHERE id IN (%lld, %lld, %lld);"
	    " UPDATE tickets SET priority = 'high' WHERE id = %lld;"
	    " UPDATE tickets SET status = 'closed' WHERE id = %lld;"
	    " UPDATE tickets SET created_at = now() - interval '50 hours'"
	    " WHERE id IN (%lld, %lld, %lld);"
	    " UPDATE tickets SET created_at = now() - interval '47 hours' WHERE id = %lld",
	    due, recent, closed, high, closed, due, high, closed, recent));
	agree(r, id1(due));
}
END_TEST

/*
 * Counted in business hours on the calendar of the ticket's queue, open
 * around the clock but closed the last four days: a ticket pending since
 * ten days ago is due; one pending since three days ago has had no
 * business hour and waits. When its day opens, the waiting one is due:
 * the dry run lists it before the tick fires it.
 */
START_TEST(business_hours)
{
	long long r = rule("Due: 8 business hours", "due-b", "status", 8, ", if_status, time_business",
	    ", 'pending_customer', true");
	long long due = ticket("due-b", NULL), waiting = ticket("due-b", NULL);

	free(q("INSERT INTO business_calendars (name, time_zone) VALUES ('Due days', 'UTC');"
	    " INSERT INTO calendar_hours (calendar_id, weekday, opens, closes) SELECT c.id, d,"
	    " '00:00', '24:00' FROM business_calendars c, generate_series(1, 7) d"
	    " WHERE c.name = 'Due days';"
	    " INSERT INTO calendar_holidays (calendar_id, day, name) SELECT c.id,"
	    " (now() AT TIME ZONE 'UTC')::date - d, 'Closed' FROM business_calendars c,"
	    " generate_series(0, 3) d WHERE c.name = 'Due days';"
	    " INSERT INTO queues (name, auto_assign, calendar_id) SELECT 'Due desk', false, id"
	    " FROM business_calendars WHERE name = 'Due days';"
	    " UPDATE tickets SET queue_id = (SELECT id FROM queues WHERE name = 'Due desk'),"
	    " sla_policy_id = NULL, status = 'pending_customer' WHERE id IN (%lld, %lld);"
	    " UPDATE tickets SET status_changed_at = ((now() AT TIME ZONE 'UTC')::date - 10"
	    " + time '12:00') AT TIME ZONE 'UTC' WHERE id = %lld;"
	    " UPDATE tickets SET status_changed_at = ((now() AT TIME ZONE 'UTC')::date - 3"
	    " + time '12:00') AT TIME ZONE 'UTC' WHERE id = %lld", due, waiting, due, waiting));
	agree(r, id1(due));
	EXPECT("1", "SELECT count(*) FROM automation_waits WHERE rule_id = %lld AND ticket_id = %lld"
	    " AND due_at > now()", r, waiting);
	/* Nothing due: the dry run is empty and the tick fires nothing. */
	agree(r, "");
	free(q("DELETE FROM calendar_holidays WHERE day = (now() AT TIME ZONE 'UTC')::date - 3"));
	agree(r, id1(waiting));
	EXPECT("0", "SELECT count(*) FROM automation_waits WHERE rule_id = %lld", r);
}
END_TEST

/*
 * The pending-customer reminder as a customer sees it: the dry run names
 * the tickets whose requesters get the reminder at the next tick, and no
 * one else gets one.
 */
START_TEST(pending_customer_reminders)
{
	struct fx_person c_due, c_recent, c_answered;
	long long r = rule("Due: reminder after 72 h", "due-r", "status", 72,
	    ", if_status, mail_to, mail_subject, mail_body", ", 'pending_customer', 'customer',"
	    " 'Still there?', 'We are waiting for your answer.'");
	long long due = ticket("due-r", &c_due), recent = ticket("due-r", &c_recent);
	long long answered = ticket("due-r", &c_answered);
	char *sent;

	free(q("UPDATE tickets SET status = 'pending_customer' WHERE id IN (%lld, %lld, %lld);"
	    " UPDATE tickets SET status_changed_at = now() - interval '73 hours'"
	    " WHERE id IN (%lld, %lld); UPDATE tickets SET status_changed_at = now()"
	    " - interval '70 hours' WHERE id = %lld; UPDATE tickets SET status = 'in_progress'"
	    " WHERE id = %lld", due, recent, answered, due, answered, recent, answered));
	agree(r, id1(due));
	sent = q("SELECT coalesce(string_agg(recipient, ',' ORDER BY recipient), '')"
	    " FROM notifications WHERE kind = 'automation_message'"
	    " AND recipient IN ('%s', '%s', '%s')", c_due.email, c_recent.email, c_answered.email);
	ck_assert_str_eq(sent, c_due.email);
	free(sent);
}
END_TEST

Suite *automation_due_suite(void);

Suite *
automation_due_suite(void)
{
	Suite *s = suite_create("automation_due");
	TCase *tc = tcase_create("automation_due");

	tcase_add_unchecked_fixture(tc, suite_setup, suite_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, hours_since_status_change);
	tcase_add_test(tc, hours_since_update);
	tcase_add_test(tc, hours_since_creation);
	tcase_add_test(tc, business_hours);
	tcase_add_test(tc, pending_customer_reminders);
	suite_add_tcase(s, tc);
	return s;
}
