/*
 * A ticket's site after it is opened (054, ticket_site.h), and
 * automations counted in business hours waiting in automation_waits.
 *
 * Site: an agent changes it to another of the customer's sites with a
 * history row naming both and one "ticket.fields_changed" event; another
 * account's site, or a deactivated one, is refused and changes nothing;
 * the change is audited by the audit consumer. A ticket nobody has picked
 * up follows a site rule to its queue; one moved by hand, or assigned,
 * stays where it is.
 *
 * Waits: a ticket enters the table once when its basis passes the hours
 * in wall-clock time; ticks with nothing due leave it there and fire
 * nothing; a calendar change brings it up again, and it fires once; a
 * ticket that moved on is dropped when it comes due.
 */
#include "../lib/dispatch.h"
#include "../lib/fixtures.h"
#include "../lib/harness.h"
#include "../lib/sql.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/automation_run.h"
#include "domain/ticket_fields.h"
#include "domain/tickets.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *conninfo;
static struct db owner;
static struct arena *arena;
static struct fx_person cust, other, agent;
static long long london, leeds, closed_site, theirs;

#define q(...) th_valuef(&owner, __VA_ARGS__)

#define EXPECT(want, ...) TH_EXPECT_VALUE(&owner, want, __VA_ARGS__)

static long long
qll(const char *sql)
{
	char *v = q("%s", sql);
	long long n = atoll(v);

	free(v);
	return n;
}

static void
suite_setup(void)
{
	struct db d;

	conninfo = th_db_create("site_more");
	fx_customer(conninfo, "Sam Sites", "Sites Ltd", "standard", &cust);
	fx_customer(conninfo, "Olga Other", "Other Ltd", "standard", &other);
	fx_staff(conninfo, "Ada Agent", "agent", &agent);
	ck_assert_int_eq(db_open(&d, conninfo, "check_site_more_setup"), 0);
	/* Two queues a site decides between: Leeds goes to Deliveries. */
	free(th_valuef(&d, "INSERT INTO customer_sites (customer_id, name, address, active) VALUES"
	    " (%lld, 'London office', '1 Strand, London', true),"
	    " (%lld, 'Leeds warehouse', 'Kirkstall Road, Leeds', true),"
	    " (%lld, 'Old depot', 'Closed Lane, York', false),"
	    " (%lld, 'Theirs', 'Elsewhere 1', true);"
	    " INSERT INTO queues (name, auto_assign) VALUES ('Site general', false),"
	    " ('Site deliveries', false), ('Site by hand', false);"
	    " INSERT INTO routing_rules (position, name, if_site, set_queue_id, set_tags)"
	    " SELECT 1, 'Leeds to Deliveries', 'leeds', id, '{warehouse}' FROM queues"
	    " WHERE name = 'Site deliveries';"
	    " INSERT INTO routing_rules (position, name, set_queue_id)"
	    " SELECT 2, 'Everything else', id FROM queues WHERE name = 'Site general'",
	    cust.customer_id, cust.customer_id, cust.customer_id, other.customer_id));
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
	ck_assert_int_eq(db_open(&owner, conninfo, "check_site_more"), 0);
	ck_assert_ptr_nonnull(arena = arena_new(4096));
	free(q("SET TimeZone = 'UTC'"));
	london = qll("SELECT id FROM customer_sites WHERE name = 'London office'");
	leeds = qll("SELECT id FROM customer_sites WHERE name = 'Leeds warehouse'");
	closed_site = qll("SELECT id FROM customer_sites WHERE name = 'Old depot'");
	theirs = qll("SELECT id FROM customer_sites WHERE name = 'Theirs'");
}

static void
teardown(void)
{
	arena_free(arena);
	db_close(&owner);
}

/* A ticket of cust at site (0: none), opened through the API's use case; its id. */
static long long
open_at(long long site)
{
	struct ticket_actor_ref by = { TA_SYSTEM, 0, 0, 0, 0 };
	struct ticket_new t = { 0 };
	struct ticket_opened op;
	const char *why = NULL;

	t.customer_id = cust.customer_id;
	t.channel = "api";
	t.subject = "The pallet did not arrive";
	t.description = "Ordered last week.";
	t.site_id = site;
	ck_assert_int_eq(ticket_open(&owner, arena, &by, &t, &op, &why), CS_OK);
	return op.id;
}

/* Sets the ticket's site as the agent; CS_* and *why. */
static enum cs_result
set_site(long long id, long long site, const char **why)
{
	char v[24] = "";

	if (site > 0)
		snprintf(v, sizeof(v), "%lld", site);
	return ticket_field_set(&owner, agent.id, id, TF_SITE, v, why);
}

static const char *
queue_of(long long id)
{
	static char name[64];
	char *v = q("SELECT coalesce(q.name, '') FROM tickets t LEFT JOIN queues q"
	    " ON q.id = t.queue_id WHERE t.id = %lld", id);

	snprintf(name, sizeof(name), "%s", v);
	free(v);
	return name;
}

START_TEST(site_change_checked_with_history_and_event)
{
	const char *why;
	long long id = open_at(london);

	ck_assert_int_eq(set_site(id, leeds, &why), CS_OK);
	EXPECT("London office → Leeds warehouse", "SELECT old_value || ' → ' || new_value"
	    " FROM ticket_events WHERE ticket_id = %lld AND field = 'site'", id);
	EXPECT("London office|Leeds warehouse", "SELECT (payload #>> '{fields,site,from}') || '|'"
	    " || (payload #>> '{fields,site,to}') FROM domain_events WHERE aggregate_id = %lld"
	    " AND type = 'ticket.fields_changed'", id);
	/* Another account's site, and a deactivated one: refused, nothing written. */
	ck_assert_int_eq(set_site(id, theirs, &why), CS_REFUSED);
	ck_assert_str_eq(why, "Choose one of the customer's sites.");
	ck_assert_int_eq(set_site(id, closed_site, &why), CS_REFUSED);
	EXPECT("1", "SELECT count(*) FROM ticket_events WHERE ticket_id = %lld AND field = 'site'",
	    id);
	EXPECT("Leeds warehouse", "SELECT s.name FROM tickets t JOIN customer_sites s"
	    " ON s.id = t.site_id WHERE t.id = %lld", id);
	/* Cleared: the history says what it was. */
	ck_assert_int_eq(set_site(id, 0, &why), CS_OK);
	EXPECT("Leeds warehouse|", "SELECT old_value || '|' || coalesce(new_value, '')"
	    " FROM ticket_events WHERE ticket_id = %lld AND field = 'site' ORDER BY id DESC LIMIT 1",
	    id);
	EXPECT("t", "SELECT site_id IS NULL FROM tickets WHERE id = %lld", id);
}
END_TEST

START_TEST(site_change_audited)
{
	const char *why;
	long long id = open_at(london);
	char *number = q("SELECT number FROM tickets WHERE id = %lld", id);

	ck_assert_int_eq(set_site(id, leeds, &why), CS_OK);
	th_dispatch(conninfo);
	EXPECT("staff|London office|Leeds warehouse", "SELECT actor_kind || '|'"
	    " || (detail #>> '{site,from}') || '|' || (detail #>> '{site,to}') FROM audit_log"
	    " WHERE action = 'ticket.site_change' AND object_id = '%s' AND actor_id = %lld",
	    number, agent.id);
	/* Other field changes are the history's, not the audit's. */
	ck_assert_int_eq(ticket_field_set(&owner, agent.id, id, TF_PRIORITY, "high", &why), CS_OK);
	th_dispatch(conninfo);
	EXPECT("1", "SELECT count(*) FROM audit_log WHERE object_id = '%s'"
	    " AND action = 'ticket.site_change'", number);
	free(number);
}
END_TEST

START_TEST(untouched_ticket_follows_a_site_rule)
{
	const char *why;
	long long id = open_at(london), by_hand = open_at(london), taken = open_at(london);
	char *hand = q("SELECT id FROM queues WHERE name = 'Site by hand'");

	ck_assert_str_eq(queue_of(id), "Site general");
	ck_assert_int_eq(set_site(id, leeds, &why), CS_OK);
	ck_assert_str_eq(queue_of(id), "Site deliveries");
	EXPECT("Leeds to Deliveries", "SELECT new_value FROM ticket_events WHERE ticket_id = %lld"
	    " AND field = 'routing' ORDER BY id DESC LIMIT 1", id);
	EXPECT("{warehouse}", "SELECT tags::text FROM tickets WHERE id = %lld", id);
	EXPECT("Site general|Site deliveries", "SELECT (payload #>> '{fields,queue,from}') || '|'"
	    " || (payload #>> '{fields,queue,to}') FROM domain_events WHERE aggregate_id = %lld"
	    " AND type = 'ticket.fields_changed'", id);
	/* Back to London: the site rule no longer holds, "Everything else" does. */
	ck_assert_int_eq(set_site(id, london, &why), CS_OK);
	ck_assert_str_eq(queue_of(id), "Site general");
	/* Moved by hand: the agent's choice stands. */
	ck_assert_int_eq(ticket_field_set(&owner, agent.id, by_hand, TF_QUEUE, hand, &why), CS_OK);
	ck_assert_int_eq(set_site(by_hand, leeds, &why), CS_OK);
	ck_assert_str_eq(queue_of(by_hand), "Site by hand");
	/* Someone has it: it stays with them, in its queue. */
	free(q("UPDATE tickets SET assignee_id = %lld, status = 'assigned' WHERE id = %lld",
	    agent.id, taken));
	ck_assert_int_eq(set_site(taken, leeds, &why), CS_OK);
	ck_assert_str_eq(queue_of(taken), "Site general");
	/* Routed once each: when they were opened. */
	EXPECT("1|1", "SELECT count(*) FILTER (WHERE ticket_id = %lld) || '|' ||"
	    " count(*) FILTER (WHERE ticket_id = %lld) FROM ticket_events WHERE field = 'routing'",
	    by_hand, taken);
	free(hand);
}
END_TEST

/* The time rules once, as the batch's step runs them (no mail: no templates). */
static long
tick(void)
{
	struct automation_env env = { NULL, "csdesk", "http://localhost" };
	long fired = 0;

	ck_assert_int_eq(automation_time_run(&owner, &env, &fired), CS_OK);
	return fired;
}

START_TEST(business_hours_wait_in_a_table)
{
	long long id = open_at(0), gone = open_at(0);

	/* Open every day around the clock, but closed the last four days. */
	free(q("INSERT INTO business_calendars (name, time_zone) VALUES ('Site days', 'UTC');"
	    " INSERT INTO calendar_hours (calendar_id, weekday, opens, closes) SELECT c.id, d,"
	    " '00:00', '24:00' FROM business_calendars c, generate_series(1, 7) d"
	    " WHERE c.name = 'Site days';"
	    " INSERT INTO calendar_holidays (calendar_id, day, name) SELECT c.id,"
	    " (now() AT TIME ZONE 'UTC')::date - d, 'Closed' FROM business_calendars c,"
	    " generate_series(0, 3) d WHERE c.name = 'Site days';"
	    " INSERT INTO queues (name, auto_assign, calendar_id) SELECT 'Site days desk', false, id"
	    " FROM business_calendars WHERE name = 'Site days';"
	    " UPDATE tickets SET queue_id = (SELECT id FROM queues WHERE name = 'Site days desk'),"
	    " sla_policy_id = NULL, status = 'pending_customer' WHERE id IN (%lld, %lld);"
	    " UPDATE tickets SET status_changed_at = ((now() AT TIME ZONE 'UTC')::date - 3"
	    " + time '12:00') AT TIME ZONE 'UTC' WHERE id IN (%lld, %lld);"
	    " INSERT INTO automation_rules (name, on_event, time_basis, time_hours, if_status,"
	    " add_tags, time_business, checked_until) VALUES ('Site reminder', 'time', 'status', 8,"
	    " 'pending_customer', '{reminded}', true, now() - interval '30 days')",
	    id, gone, id, gone));
	/* Both wait, due when the calendar opens again; nothing fires meanwhile. */
	ck_assert_int_eq(tick(), 0);
	ck_assert_int_eq(tick(), 0);
	EXPECT("2", "SELECT count(*) FROM automation_waits w JOIN automation_rules r"
	    " ON r.id = w.rule_id WHERE r.name = 'Site reminder' AND w.due_at > now()");
	/* One moves on; then three days ago opens: 12 business hours passed. */
	free(q("UPDATE tickets SET status = 'in_progress' WHERE id = %lld;"
	    " DELETE FROM calendar_holidays WHERE day = (now() AT TIME ZONE 'UTC')::date - 3",
	    gone));
	ck_assert_int_eq(tick(), 1);
	EXPECT("{reminded}", "SELECT tags::text FROM tickets WHERE id = %lld", id);
	EXPECT("{}", "SELECT tags::text FROM tickets WHERE id = %lld", gone);
	EXPECT("0", "SELECT count(*) FROM automation_waits w JOIN automation_rules r"
	    " ON r.id = w.rule_id WHERE r.name = 'Site reminder'");
	/* Once. */
	ck_assert_int_eq(tick(), 0);
	EXPECT("1", "SELECT count(*) FROM automation_firings f JOIN automation_rules r"
	    " ON r.id = f.rule_id WHERE r.name = 'Site reminder'");
	free(q("UPDATE automation_rules SET active = false WHERE name = 'Site reminder'"));
}
END_TEST

/*
 * A window is taken a slice at a time in (basis, id) order: five tickets
 * that share one basis instant, two a tick, each comes up once, and the
 * rule's mark ends past the window.
 */
START_TEST(business_window_in_slices)
{
	long long ids[5];
	int i;

	for (i = 0; i < 5; i++)
		ids[i] = open_at(0);
	free(q("UPDATE tickets SET status = 'pending_parts' WHERE id BETWEEN %lld AND %lld;"
	    " UPDATE tickets SET status_changed_at = '2026-01-05 10:00:00+00'"
	    " WHERE id BETWEEN %lld AND %lld;"
	    " INSERT INTO automation_rules (name, on_event, time_basis, time_hours, if_status,"
	    " add_tags, time_business, active, checked_until) VALUES ('Site slices', 'time',"
	    " 'status', 1, 'pending_parts', '{sliced}', true, false, '2026-01-05 09:00:00+00')",
	    ids[0], ids[4], ids[0], ids[4]));
	free(q("CREATE TEMP TABLE sliced (ticket_id bigint)"));
	for (i = 0; i < 4; i++)
		free(q("INSERT INTO sliced SELECT t.ticket_id FROM automation_rules r,"
		    " automation_rule_tick(r, NULL, 2) t WHERE r.name = 'Site slices'"
		    " AND t.ticket_id BETWEEN %lld AND %lld", ids[0], ids[4]));
	EXPECT("5 5", "SELECT count(*) || ' ' || count(DISTINCT ticket_id) FROM sliced");
	EXPECT("t", "SELECT checked_until > now() - interval '2 hours' AND"
	    " checked_id = 9223372036854775807 FROM automation_rules WHERE name = 'Site slices'");
	free(q("DROP TABLE sliced"));
}
END_TEST

Suite *site_more_suite(void);

Suite *
site_more_suite(void)
{
	Suite *s = suite_create("site_more");
	TCase *tc = tcase_create("site_more");

	tcase_add_unchecked_fixture(tc, suite_setup, suite_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, site_change_checked_with_history_and_event);
	tcase_add_test(tc, site_change_audited);
	tcase_add_test(tc, untouched_ticket_follows_a_site_rule);
	tcase_add_test(tc, business_hours_wait_in_a_table);
	tcase_add_test(tc, business_window_in_slices);
	suite_add_tcase(s, tc);
	return s;
}
