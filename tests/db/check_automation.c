/*
 * Assignment that keeps working, and escalation by target, in the
 * database and through `csdesk batch` as a process: a ticket created when
 * nobody is on shift waits, and the first tick after an agent's shift
 * starts gives it to them (and mails them); when several wait, the most
 * urgent goes first, in one order across queues and a share a tick; an urgent ticket after hours goes to the team's
 * on-call person (an override before the regular rota); a rule for the
 * response target and one for the resolution target fire separately; the
 * agent a ticket is escalated away from is mailed; five levels exist; a
 * legal flag jumps straight to its path's level and clearing it hands the
 * ticket back. The
 * demo has a ticket in each of its five queues, and its paused ticket's
 * customer replying breaches nothing.
 */
#include "../lib/harness.h"
#include "../lib/sql.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/escalation_flags.h"
#include "domain/tickets.h"
#include "tmpl/tval.h"
#include "../lib/dispatch.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *conninfo;
static struct db owner;
static struct arena *arena;
static char dir[64];

/*
 * Two teams with a queue each, routed by a word of the subject: Orders
 * (day agent Olive, level 1; Sam, 2; Tom, 3; Mia, 4; Dan, 5) and Outages (Nico, on shift
 * never; the rota's Rita and Otto). Everyone starts off shift.
 */
static const char fixture[] =
    "INSERT INTO teams (name) VALUES ('Orders team'), ('Outages team');"
    "INSERT INTO queues (name, team_id, auto_assign) SELECT t.name || ' queue', t.id, true"
    " FROM teams t;"
    "INSERT INTO routing_rules (position, name, if_keyword, set_queue_id)"
    " SELECT 1, 'Orders', 'order', id FROM queues WHERE name = 'Orders team queue'"
    " UNION ALL SELECT 2, 'Outages', 'outage', id FROM queues WHERE name = 'Outages team queue';"
    "INSERT INTO staff (email, name, password_hash, roles, team_id, escalation_level, work_days,"
    " capacity) SELECT v.e, v.n, 'x', '{agent}', t.id, v.l, '{}', 20 FROM (VALUES"
    " ('olive@a.test', 'Olive Day', 'Orders team', 1),"
    " ('sam@a.test', 'Sam Senior', 'Orders team', 2),"
    " ('tom@a.test', 'Tom Lead', 'Orders team', 3), ('mia@a.test', 'Mia Manager', 'Orders team', 4),"
    " ('dan@a.test', 'Dan Director', 'Orders team', 5),"
    " ('nico@a.test', 'Nico Never', 'Outages team', 1),"
    " ('rita@a.test', 'Rita Rota', 'Outages team', 1),"
    " ('otto@a.test', 'Otto Override', 'Outages team', 1)) AS v (e, n, tm, l)"
    " JOIN teams t ON t.name = v.tm;"
    "INSERT INTO staff (email, name, password_hash, roles, team_id)"
    " SELECT 'boss@a.test', 'Bea Supervisor', 'x', '{supervisor}', id FROM teams"
    " WHERE name = 'Orders team';"
    "INSERT INTO customers (name, tier) VALUES ('Shop Ltd', 'standard');";

#define q(...) th_valuef(&owner, __VA_ARGS__)

#define EXPECT(want, ...) TH_EXPECT_VALUE(&owner, want, __VA_ARGS__)

/* Agent by e-mail: on shift all day every day now, or off shift. */
#define ON_SHIFT(email) free(q("UPDATE staff SET work_days = '{1,2,3,4,5,6,7}'," \
	" work_start = '00:00', work_end = '23:59:59.999999' WHERE email = '%s'", email))

static void
suite_setup(void)
{
	conninfo = th_db_create_fixture("automation", fixture);
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
	ck_assert_int_eq(db_open(&owner, conninfo, "check_automation"), 0);
	free(q("DELETE FROM tickets; DELETE FROM notifications; DELETE FROM oncall_shifts;"
	    " UPDATE escalation_rules SET active = false;"
	    " DELETE FROM escalation_rules WHERE name LIKE 'Test:%%';"
	    " UPDATE staff SET open_tickets = 0, capacity = 20, work_days = '{}';"
	    " SET TimeZone = 'UTC'"));
	arena = arena_new(1 << 16);
	snprintf(dir, sizeof(dir), "/tmp/csdesk-auto.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void
teardown(void)
{
	if (getenv("CSDESK_KEEP_LOGS") == NULL)
		th_sh("rm -rf '%s'", dir);
	arena_free(arena);
	db_close(&owner);
}

/* A ticket of Shop Ltd with subject and priority, opened by the system. */
static long long
create(const char *subject, const char *priority)
{
	struct ticket_actor_ref by = { TA_SYSTEM, 0, 0, 0, 0 };
	struct ticket_new t = { 0 };
	struct ticket_opened op;
	const char *why = NULL;
	char *c = q("SELECT id FROM customers WHERE name = 'Shop Ltd'");
	int rc;

	t.customer_id = atoll(c);
	free(c);
	t.channel = "api";
	t.subject = subject;
	t.description = "Written at two in the morning.";
	t.priority = priority;
	rc = ticket_open(&owner, arena, &by, &t, &op, &why);
	ck_assert_msg(rc == CS_OK, "create: %d %s", rc, why != NULL ? why : "");
	return op.id;
}

/* One tick of `csdesk batch` (mail to files); its exit status. */
static int
batch(void)
{
	return th_sh("env -u CSDESK_SMTP_URL CSDESK_DB='%s' CSDESK_MAIL_DIR='%s/out'"
	    " '%s/csdesk' batch >> '%s/batch.txt' 2>&1", conninfo, dir, th_build_dir(), dir);
}

/* The assignee's e-mail of ticket id, "" for nobody. */
#define ASSIGNEE "SELECT coalesce((SELECT s.email FROM tickets t JOIN staff s" \
	" ON s.id = t.assignee_id WHERE t.id = %lld), '')"

START_TEST(off_shift_ticket_assigned_at_the_first_tick_of_a_shift)
{
	long long id = create("My order never came", "medium");

	EXPECT("", ASSIGNEE, id);
	/* Still nobody on shift: the tick leaves it waiting. */
	ck_assert_int_eq(batch(), 0);
	EXPECT("", ASSIGNEE, id);
	EXPECT("new", "SELECT status FROM tickets WHERE id = %lld", id);
	ON_SHIFT("olive@a.test");
	ck_assert_int_eq(batch(), 0);
	EXPECT("olive@a.test", ASSIGNEE, id);
	EXPECT("assigned", "SELECT status FROM tickets WHERE id = %lld", id);
	/* Olive is told, as for an assignment at creation. */
	EXPECT("1", "SELECT count(*) FROM notifications WHERE kind = 'ticket_assigned'"
	    " AND recipient = 'olive@a.test'");
	EXPECT("1", "SELECT count(*) FROM domain_events WHERE aggregate_id = %lld"
	    " AND type = 'ticket.assigned' AND payload->>'waited' = 'true'", id);
	/* Another tick changes nothing. */
	ck_assert_int_eq(batch(), 0);
	EXPECT("1", "SELECT count(*) FROM domain_events WHERE aggregate_id = %lld"
	    " AND type = 'ticket.assigned'", id);
}
END_TEST

START_TEST(freed_capacity_takes_the_most_urgent_first)
{
	long long low, high, held;

	ON_SHIFT("olive@a.test");
	free(q("UPDATE staff SET capacity = 1 WHERE email = 'olive@a.test'"));
	held = create("Order question one", "medium");
	EXPECT("olive@a.test", ASSIGNEE, held);
	/* Olive is full: these two wait, the older one less urgent. */
	low = create("Order question two", "low");
	high = create("Order question three", "high");
	EXPECT("", ASSIGNEE, low);
	EXPECT("", ASSIGNEE, high);
	ck_assert_int_eq(batch(), 0);
	EXPECT("", ASSIGNEE, high);
	/* She resolves one: the next tick gives her the high one, not the older low. */
	free(q("UPDATE tickets SET status = 'resolved' WHERE id = %lld", held));
	ck_assert_int_eq(batch(), 0);
	EXPECT("olive@a.test", ASSIGNEE, high);
	EXPECT("", ASSIGNEE, low);
}
END_TEST

/*
 * Waiting tickets of two queues go in one order — highest priority first,
 * then oldest, whichever queue they wait in — and no more than a tick's
 * share at once: the rest at the next.
 */
START_TEST(waiting_tickets_across_queues_in_one_order_a_share_a_tick)
{
	long long order_medium = create("Order lost in the post", "medium");
	long long order_high = create("Order arrived broken", "high");
	long long outage_high = create("Outage of the shop", "high");
	long long outage_low = create("Outage page is slow", "low");

	EXPECT("", ASSIGNEE, order_medium);
	EXPECT("", ASSIGNEE, outage_high);
	ON_SHIFT("olive@a.test");
	ON_SHIFT("nico@a.test");
	/* A share of three: both high ones (the older first), then the medium one. */
	EXPECT("t", "SELECT array_agg(w.ticket_id ORDER BY n) = ARRAY[%lld, %lld, %lld]::bigint[]"
	    " FROM ticket_assign_waiting(3, 3) WITH ORDINALITY w (ticket_id, agent_id, number, n)",
	    order_high, outage_high, order_medium);
	EXPECT("", ASSIGNEE, outage_low);
	EXPECT("nico@a.test", ASSIGNEE, outage_high);
	EXPECT("olive@a.test", ASSIGNEE, order_medium);
	/* The next share takes the rest. */
	EXPECT("t", "SELECT array_agg(w.ticket_id) = ARRAY[%lld]::bigint[]"
	    " FROM ticket_assign_waiting(3, 3) w", outage_low);
	EXPECT("nico@a.test", ASSIGNEE, outage_low);
}
END_TEST

START_TEST(after_hours_urgent_goes_to_on_call)
{
	long long urgent, override_gone, medium;

	free(q("INSERT INTO oncall_shifts (team_id, staff_id, starts_at, ends_at, override)"
	    " SELECT s.team_id, s.id, now() - interval '1 hour', now() + interval '6 hours',"
	    " s.email = 'otto@a.test' FROM staff s WHERE s.email IN ('rita@a.test', 'otto@a.test')"));
	/* Rita has the rota; Otto stands in for her tonight. */
	urgent = create("Outage: checkout is down", "urgent");
	EXPECT("otto@a.test", ASSIGNEE, urgent);
	free(q("DELETE FROM oncall_shifts WHERE staff_id = (SELECT id FROM staff"
	    " WHERE email = 'otto@a.test')"));
	override_gone = create("Outage: search is down", "critical");
	EXPECT("rita@a.test", ASSIGNEE, override_gone);
	/* Not urgent: it waits for the day shift, even after a tick. */
	medium = create("Outage report for last week", "medium");
	ck_assert_int_eq(batch(), 0);
	EXPECT("", ASSIGNEE, medium);
	/* A rota slot that has ended does not count. */
	free(q("UPDATE oncall_shifts SET starts_at = now() - interval '3 hours',"
	    " ends_at = now() - interval '1 hour'"));
	EXPECT("", ASSIGNEE, create("Outage: mail is down", "urgent"));
}
END_TEST

/* A rule of the test: fires on event for target (NULL: any), reassigning. */
static void
rule(const char *name, const char *event, const char *target, int reassign)
{
	free(q("INSERT INTO escalation_rules (position, name, on_event, if_target, notify,"
	    " reassign_next_level) VALUES (1, 'Test: %s', '%s', %s%s%s, 'supervisor', %s)", name,
	    event, target != NULL ? "'" : "", target != NULL ? target : "NULL",
	    target != NULL ? "'" : "", reassign ? "true" : "false"));
}

/* Pretends the ticket's clock started minutes ago (due times follow). */
static void
started_ago(long long id, int minutes)
{
	free(q("UPDATE tickets SET sla_started_at = now() - interval '%d minutes' WHERE id = %lld;"
	    " SELECT sla_ticket_recompute(%lld, 'test')", minutes, id, id));
}

/* The names of the rules that escalated ticket id, in order. */
#define FIRED "SELECT coalesce(string_agg(r.name, ',' ORDER BY x.id), '')" \
	" FROM ticket_escalations x JOIN escalation_rules r ON r.id = x.rule_id" \
	" WHERE x.ticket_id = %lld"

START_TEST(response_and_resolution_rules_fire_separately)
{
	long long id = create("Order system down", "urgent");

	rule("response at risk", "at_risk", "first_response", 0);
	rule("resolution at risk", "at_risk", "resolution", 0);
	/* Urgent: 30 min to respond, 4 h to resolve. 25 min: the response only. */
	started_ago(id, 25);
	ck_assert_int_eq(batch(), 0);
	EXPECT("Test: response at risk", FIRED, id);
	/* 200 of 240 min: now the resolution, and the response rule not again. */
	started_ago(id, 200);
	ck_assert_int_eq(batch(), 0);
	EXPECT("Test: response at risk,Test: resolution at risk", FIRED, id);
}
END_TEST

START_TEST(sla_breach_is_a_trigger_event)
{
	long long id = create("Order system down again", "urgent");

	free(q("INSERT INTO automation_rules (name, on_event, add_tags) VALUES"
	    " ('Test: tag breaches', 'sla_breached', '{breached}')"));
	ck_assert_int_eq(batch(), 0);
	EXPECT("{}", "SELECT tags::text FROM tickets WHERE id = %lld", id);
	started_ago(id, 31);
	ck_assert_int_eq(batch(), 0);
	ck_assert_int_eq(batch(), 0);
	EXPECT("{breached}", "SELECT tags::text FROM tickets WHERE id = %lld", id);
	EXPECT("1", "SELECT count(*) FROM domain_events WHERE aggregate_id = %lld"
	    " AND type = 'ticket.sla_breached' AND payload->>'target' = 'first_response'", id);
	free(q("DELETE FROM automation_rules WHERE name = 'Test: tag breaches'"));
}
END_TEST

START_TEST(previous_assignee_hears_of_the_escalation)
{
	long long id = create("Order stuck in packing", "urgent");

	free(q("UPDATE tickets SET assignee_id = (SELECT id FROM staff WHERE email = 'olive@a.test')"
	    " WHERE id = %lld", id));
	rule("breach moves it up", "breached", NULL, 1);
	started_ago(id, 31);
	ck_assert_int_eq(batch(), 0);
	EXPECT("sam@a.test", ASSIGNEE, id);
	EXPECT("1", "SELECT count(*) FROM notifications WHERE kind = 'sla_breached'"
	    " AND recipient = 'olive@a.test' AND body_text LIKE '%%Sam Senior%%'");
	EXPECT("1", "SELECT count(*) FROM notifications WHERE kind = 'sla_breached'"
	    " AND recipient = 'sam@a.test'");
}
END_TEST

START_TEST(five_named_levels)
{
	EXPECT("frontline,senior,team lead,manager,director",
	    "SELECT string_agg(name, ',' ORDER BY level) FROM escalation_levels");
	/* Above a team lead (3) the manager, above the manager the director. */
	EXPECT("mia@a.test", "SELECT email FROM staff WHERE id = sla_next_level_agent("
	    "(SELECT id FROM teams WHERE name = 'Orders team'), 3::smallint, NULL)");
	EXPECT("dan@a.test", "SELECT email FROM staff WHERE id = sla_next_level_agent("
	    "(SELECT id FROM teams WHERE name = 'Orders team'), 4::smallint, NULL)");
}
END_TEST

/* Olive flags ticket id (on) or clears the flag; asserts it changed something. */
static void
flag(long long id, const char *name, int on)
{
	struct tval *ctx = tval_map(arena), *site = tval_map(arena);
	const char *why = NULL;
	char *olive = q("SELECT id FROM staff WHERE email = 'olive@a.test'");
	int changed = 0;

	ck_assert_int_eq(tval_set_str(arena, site, "name", "csdesk") ||
	    tval_set(arena, ctx, "site", site), 0);
	ck_assert_int_eq(escalation_flag_set(&owner, th_templates(), arena, ctx, "http://desk.test",
	    atoll(olive), id, name, on, &changed, &why), CS_OK);
	ck_assert_int_eq(changed, 1);
	free(olive);
}

START_TEST(legal_flag_jumps_to_its_path)
{
	long long id = create("Order lawyer letter", "medium");
	const char *why = NULL;
	int changed;

	free(q("UPDATE tickets SET assignee_id = (SELECT id FROM staff WHERE email = 'olive@a.test')"
	    " WHERE id = %lld", id));
	/* Legal's path: level 4, managers told. Not one level up: straight to Mia. */
	flag(id, "legal", 1);
	EXPECT("mia@a.test", ASSIGNEE, id);
	EXPECT("{legal}", "SELECT flags::text FROM tickets WHERE id = %lld", id);
	EXPECT("flag 1 4 Flag: Legal", "SELECT trigger || ' ' || from_level || ' ' || to_level"
	    " || ' ' || reason FROM ticket_escalations WHERE ticket_id = %lld", id);
	/* Olive, whose ticket it was, Mia and the team's supervisor hear of it. */
	EXPECT("boss@a.test,mia@a.test,olive@a.test", "SELECT string_agg(recipient, ','"
	    " ORDER BY recipient) FROM notifications WHERE kind = 'sla_escalated'");
	/* Setting it again changes nothing; a word that is no flag is refused. */
	ck_assert_int_eq(escalation_flag_set(&owner, th_templates(), arena, NULL, "", 1, id,
	    "legal", 1, &changed, &why), CS_OK);
	ck_assert_int_eq(changed, 0);
	ck_assert_int_eq(escalation_flag_set(&owner, th_templates(), arena, NULL, "", 1, id,
	    "urgent", 1, &changed, &why), CS_REFUSED);
	/* Media attention goes higher still; clearing each hands it back a step. */
	flag(id, "media", 1);
	EXPECT("dan@a.test", ASSIGNEE, id);
	flag(id, "media", 0);
	EXPECT("mia@a.test", ASSIGNEE, id);
	flag(id, "legal", 0);
	EXPECT("olive@a.test", ASSIGNEE, id);
	EXPECT("0 {}", "SELECT (SELECT count(*) FROM ticket_escalations WHERE ticket_id = %lld"
	    " AND deescalated_at IS NULL) || ' ' || flags::text FROM tickets WHERE id = %lld",
	    id, id);
}
END_TEST

/*
 * The demo: a ticket in each of the five queues; and the paused ticket's
 * customer replying does not breach anything (its clock started at load).
 */
START_TEST(demo_queues_and_calm_clocks)
{
	char *demo = th_db_create("automation_demo");
	struct ticket_actor_ref by = { TA_CUSTOMER, 0, 0, 0, 0 };
	struct ticket_reply_in in = { 0 };
	const char *why = NULL;
	struct db d;
	char *v;

	ck_assert_int_eq(th_sh("CSDESK_DB='%s' '%s/csdesk' demo >/dev/null", demo,
	    th_build_dir()), 0);
	ck_assert_int_eq(db_open(&d, demo, "check_automation_demo"), 0);
	v = th_value(&d, "SELECT string_agg(q.name || ' ' || (SELECT count(*) FROM tickets t"
	    " WHERE t.queue_id = q.id), ', ' ORDER BY q.name) FROM queues q WHERE q.name IN"
	    " ('Login', 'Orders', 'Deliveries', 'Payments', 'Refunds')");
	ck_assert_str_eq(v, "Deliveries 1, Login 1, Orders 1, Payments 1, Refunds 1");
	free(v);
	v = th_value(&d, "SELECT t.id || ' ' || u.id || ' ' || u.customer_id FROM tickets t"
	    " JOIN portal_users u ON u.id = t.requester_id"
	    " WHERE t.subject = 'Router drops Wi-Fi every evening'");
	ck_assert_int_eq(sscanf(v, "%lld %lld %lld", &in.ticket_id, &by.id, &by.customer_id), 3);
	free(v);
	by.account_admin = 1;
	in.kind = "public";
	in.body = "It says 2.4.1, and it dropped again tonight.";
	ck_assert_int_eq(ticket_reply(&d, arena, &by, &in, NULL, &why), CS_OK);
	db_close(&d);
	ck_assert_int_eq(th_sh("env -u CSDESK_SMTP_URL CSDESK_DB='%s' CSDESK_MAIL_DIR='%s/out'"
	    " '%s/csdesk' batch >> '%s/batch.txt' 2>&1", demo, dir, th_build_dir(), dir), 0);
	ck_assert_int_eq(db_open(&d, demo, "check_automation_demo"), 0);
	v = th_value(&d, "SELECT (SELECT count(*) FROM ticket_escalations) || ' ' ||"
	    " (SELECT count(*) FROM notifications WHERE kind LIKE 'sla%%') || ' ' ||"
	    " (SELECT count(*) FROM tickets WHERE 'breached' IN (first_response_stage,"
	    " resolution_stage))");
	ck_assert_str_eq(v, "0 0 0");
	free(v);
	db_close(&d);
	th_db_drop(demo);
	free(demo);
}
END_TEST

Suite *automation_suite(void);

Suite *
automation_suite(void)
{
	Suite *s = suite_create("automation");
	TCase *tc = tcase_create("automation");

	tcase_add_unchecked_fixture(tc, suite_setup, suite_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, off_shift_ticket_assigned_at_the_first_tick_of_a_shift);
	tcase_add_test(tc, freed_capacity_takes_the_most_urgent_first);
	tcase_add_test(tc, waiting_tickets_across_queues_in_one_order_a_share_a_tick);
	tcase_add_test(tc, after_hours_urgent_goes_to_on_call);
	tcase_add_test(tc, response_and_resolution_rules_fire_separately);
	tcase_add_test(tc, previous_assignee_hears_of_the_escalation);
	tcase_add_test(tc, sla_breach_is_a_trigger_event);
	tcase_add_test(tc, five_named_levels);
	tcase_add_test(tc, legal_flag_jumps_to_its_path);
	tcase_add_test(tc, demo_queues_and_calm_clocks);
	suite_add_tcase(s, tc);
	return s;
}
