/*
 * The ticket page's SLA panel, its lists kept in ticket_sla_panels (062)
 * by the triggers of the clock, the SLA events and the escalations: after
 * every kind of change (creation, pause, resume, a new priority and so a
 * new policy, the batch marking at risk and breached, an escalation, a
 * name an escalation shows, a holiday and the recompute it queues, a
 * calendar's new name, resolution and reopening), what sla_view() shows
 * is what computing the panel from the tables gives — the lists, the
 * targets' times in the reader's zone, the badge and the time left — and
 * the stored lists are those sla_panel_source computes, for every ticket.
 */
#include "../lib/harness.h"
#include "../lib/fixtures.h"
#include "../lib/sql.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/sla.h"
#include "domain/sla_words.h"
#include "domain/tickets.h"

#include "core/buf.h"

#include <check.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *conninfo;
static struct db owner;
static struct arena *arena;

static const char fixture[] =
    "INSERT INTO teams (name) VALUES ('Desk');"
    "INSERT INTO staff (email, name, password_hash, roles, team_id, escalation_level,"
    " time_zone) SELECT v.e, v.n, 'x', '{agent}', t.id, v.l, v.z FROM (VALUES"
    " ('ny@t.test', 'New York', 1, 'America/New_York'),"
    " ('be@t.test', 'Berlin', 2, 'Europe/Berlin')) AS v (e, n, l, z), teams t;"
    "INSERT INTO customers (name, tier) VALUES ('Panel Ltd', 'standard');";

#define q(...) th_valuef(&owner, __VA_ARGS__)

/* Runs sql (as the owner), its value dropped. */
#define RUN(...) free(q(__VA_ARGS__))

/* A moment in the zone named by the outer query's column zone. */
#define LT(x) "coalesce(to_char(" x " AT TIME ZONE z.zone, 'Dy YYYY-MM-DD HH24:MI'), '')"

/*
 * The panel computed from the tables, as sla_view read it before its
 * lists were kept: the badge and the time left at the statement's now(),
 * each target's due and warning times and stage, the segments, events
 * and escalations, times in staff member %lld's zone. Ticket %lld.
 */
static const char computed[] =
    "SELECT sla_colour_at(t.sla_red_at, t.sla_amber_at) || '|' ||"
    " coalesce(sla_seconds_left(t.sla_due_at, t.sla_paused_at IS NOT NULL)::text, 'n') || '|' ||"
    " " LT("t.first_response_due_at") " || ' ' || " LT("t.first_response_warn_at")
    " || ' ' || t.first_response_stage || '|' ||"
    " " LT("t.next_response_due_at") " || ' ' || " LT("t.next_response_warn_at")
    " || ' ' || t.next_response_stage || '|' ||"
    " " LT("t.resolution_due_at") " || ' ' || " LT("t.resolution_warn_at")
    " || ' ' || t.resolution_stage || '|' ||"
    " coalesce((SELECT string_agg(k.state || ' ' || " LT("k.started_at") " || ' ' || "
    LT("k.ended_at") " || ' ' || k.reason, ';' ORDER BY k.id) FROM ticket_sla_clock k"
    " WHERE k.ticket_id = t.id), '') || '|' ||"
    " coalesce((SELECT string_agg(replace(e.target, '_', ' ') || ' ' ||"
    " replace(e.kind, '_', ' ') || ' ' || " LT("e.at") " || ' ' || " LT("e.due_at")
    " || ' ' || e.detail, ';' ORDER BY e.at, e.id) FROM ticket_sla_events e"
    " WHERE e.ticket_id = t.id), '') || '|' ||"
    " coalesce((SELECT string_agg(replace(x.trigger, '_', ' ') || ' ' ||"
    " replace(coalesce(x.target, ''), '_', ' ') || ' ' || coalesce(s.name, r.name, 'rule')"
    " || ' ' || coalesce(x.reason, '') || ' ' || coalesce(fa.name, '') || ' ' ||"
    " coalesce(ta.name, '') || ' ' || " LT("x.created_at") " || ' ' || "
    LT("x.deescalated_at") ", ';' ORDER BY x.id) FROM ticket_escalations x"
    " LEFT JOIN staff s ON s.id = x.by_staff_id"
    " LEFT JOIN escalation_rules r ON r.id = x.rule_id"
    " LEFT JOIN staff fa ON fa.id = x.from_assignee_id"
    " LEFT JOIN staff ta ON ta.id = x.to_assignee_id WHERE x.ticket_id = t.id), '')"
    " || '|' || coalesce(c.name, '')"
    " FROM tickets t LEFT JOIN sla_policies p ON p.id = t.sla_policy_id"
    " LEFT JOIN business_calendars c ON c.id = p.calendar_id,"
    " (SELECT time_zone AS zone FROM staff WHERE id = %lld) z WHERE t.id = %lld";

/* The same from what sla_view() read, now being the statement's now(). */
static char *
shown(long long ticket, long long reader, long long left)
{
	struct sla_view v;
	struct buf b;
	size_t i;
	int k;

	ck_assert_int_eq(sla_view(&owner, arena, ticket, reader, &v), CS_OK);
	buf_init(&b, arena);
	buf_printf(&b, "%s|%s", v.colour, *v.left == '\0' ? "n" : "?");
	for (k = 0; k < 3; k++)
		buf_printf(&b, "|%s %s %s", v.targets[k].due_at, v.targets[k].warn_at,
		    v.targets[k].stage);
	buf_printf(&b, "|");
	for (i = 0; i < v.nsegments; i++)
		buf_printf(&b, "%s%s %s %s %s", i ? ";" : "", v.segments[i].state,
		    v.segments[i].from, v.segments[i].to, v.segments[i].reason);
	buf_printf(&b, "|");
	for (i = 0; i < v.nevents; i++)
		buf_printf(&b, "%s%s %s %s %s %s", i ? ";" : "", v.events[i].target,
		    v.events[i].kind, v.events[i].at, v.events[i].due_at, v.events[i].detail);
	buf_printf(&b, "|");
	for (i = 0; i < v.nescalations; i++) {
		const struct sla_escalation *e = &v.escalations[i];

		buf_printf(&b, "%s%s %s %s %s %s %s %s %s", i ? ";" : "", e->trigger, e->target,
		    e->by, e->reason, e->from_agent, e->to_agent, e->created_at,
		    e->deescalated_at);
	}
	buf_printf(&b, "|%s", v.calendar);
	ck_assert(!buf_failed(&b));
	/* The time left as words: the same words as the computed seconds'
	 * (a second apart at most: the two reads are two moments). */
	if (left != LLONG_MIN && *v.left != '\0') {
		const char *a = sla_left_words(arena, left), *c = sla_left_words(arena, left - 1);

		ck_assert_msg(strcmp(v.left, a) == 0 || strcmp(v.left, c) == 0,
		    "left '%s', computed '%s'", v.left, a);
	}
	return b.buf;
}

/*
 * Asserts that ticket's panel as shown to both readers is the panel
 * computed, and that every ticket's stored lists are what
 * sla_panel_source computes (a ticket without a row: none of them).
 */
static void
same(long long ticket, const char *when)
{
	const char *who[] = { "ny@t.test", "be@t.test" };
	char *stale;
	int i;

	for (i = 0; i < 2; i++) {
		char *id = q("SELECT id FROM staff WHERE email = '%s'", who[i]);
		long long reader = atoll(id);
		char *want = q(computed, reader, ticket), *secs, *bar;
		long long left = LLONG_MIN;
		const char *got;

		free(id);
		/* The seconds left are worded, not compared as seconds. */
		secs = strchr(want, '|') + 1;
		if (*secs != 'n')
			left = atoll(secs);
		bar = strchr(secs, '|');
		memmove(secs + 1, bar, strlen(bar) + 1);
		if (*secs != 'n')
			*secs = '?';
		got = shown(ticket, reader, left);
		ck_assert_msg(strcmp(got, want) == 0, "%s, reader %s:\n shown    %s\n computed %s",
		    when, who[i], got, want);
		free(want);
	}
	stale = q("SELECT count(*) FROM sla_panel_source v"
	    " LEFT JOIN ticket_sla_panels s USING (ticket_id)"
	    " WHERE coalesce(s.segments::text, '[]') <> v.segments::text"
	    " OR coalesce(s.events::text, '[]') <> v.events::text"
	    " OR coalesce(s.escalations::text, '[]') <> v.escalations::text");
	ck_assert_msg(strcmp(stale, "0") == 0, "%s: %s tickets' stored lists are stale", when,
	    stale);
	free(stale);
}

static void
suite_setup(void)
{
	conninfo = th_db_create_fixture("sla_panel", fixture);
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
	ck_assert_int_eq(db_open(&owner, conninfo, "check_sla_panel"), 0);
	RUN("DELETE FROM tickets; SET TimeZone = 'UTC'");
	arena = arena_new(1 << 16);
}

static void
teardown(void)
{
	arena_free(arena);
	db_close(&owner);
}

static long long
create(const char *priority)
{
	return fx_phone_ticket(&owner, arena, "Panel Ltd", priority);
}

START_TEST(every_change_keeps_the_panel)
{
	long long id = create("high"), other = create("low");

	same(id, "created");
	RUN("UPDATE tickets SET status = 'in_progress' WHERE id = %lld", id);
	same(id, "in progress");
	RUN("UPDATE tickets SET status = 'pending_customer' WHERE id = %lld", id);
	same(id, "paused");
	RUN("UPDATE tickets SET status = 'in_progress' WHERE id = %lld", id);
	same(id, "resumed");
	/* Another priority: another policy, on another calendar. */
	RUN("UPDATE tickets SET priority = 'urgent' WHERE id = %lld", id);
	same(id, "priority and policy changed");
	/* The clock started long ago: the batch marks at risk, then breached. */
	RUN("UPDATE tickets SET sla_started_at = now() - interval '25 minutes' WHERE id = %lld;"
	    " SELECT sla_ticket_recompute(%lld, 'test')", id, id);
	same(id, "recomputed");
	RUN("SELECT count(*) FROM sla_mark_due(500)");
	same(id, "at risk");
	RUN("UPDATE tickets SET sla_started_at = now() - interval '10 hours' WHERE id = %lld;"
	    " SELECT sla_ticket_recompute(%lld, 'test')", id, id);
	RUN("SELECT count(*) FROM sla_mark_due(500)");
	same(id, "breached");
	/* Escalated by rule and by hand; then the names they show change. */
	RUN("SELECT count(*) FROM sla_apply_rules(%lld, 'breached', 'resolution', now(), NULL)", id);
	RUN("INSERT INTO ticket_escalations (ticket_id, trigger, by_staff_id, reason,"
	    " from_assignee_id, to_assignee_id) SELECT %lld, 'manual', a.id, 'customer angry',"
	    " a.id, b.id FROM staff a, staff b WHERE a.email = 'ny@t.test'"
	    " AND b.email = 'be@t.test'", id);
	same(id, "escalated");
	{
		char *n = q("SELECT count(*) FROM ticket_escalations WHERE ticket_id = %lld", id);

		ck_assert_msg(atoll(n) >= 2, "%s escalations", n);
		free(n);
	}
	RUN("UPDATE staff SET name = 'Newer York' WHERE email = 'ny@t.test'");
	same(id, "staff renamed");
	RUN("UPDATE escalation_rules SET name = name || ' (renamed)'");
	same(id, "rules renamed");
	/* A holiday today on the other ticket's calendar: the admin's change
	 * queues the recompute, which moves its due times. */
	RUN("INSERT INTO calendar_holidays (calendar_id, day, name) SELECT p.calendar_id,"
	    " current_date, 'Test day' FROM tickets t JOIN sla_policies p ON p.id = t.sla_policy_id"
	    " WHERE t.id = %lld; SELECT sla_queue_recompute('low', 'calendar changed');"
	    " SELECT sla_recompute_due(500)", other);
	same(other, "holiday");
	RUN("UPDATE business_calendars c SET name = c.name || ' (renamed)' FROM sla_policies p,"
	    " tickets t WHERE t.id = %lld AND p.id = t.sla_policy_id AND c.id = p.calendar_id",
	    other);
	same(other, "calendar renamed");
	RUN("UPDATE tickets SET status = 'resolved' WHERE id = %lld", id);
	same(id, "resolved");
	RUN("UPDATE tickets SET status = 'reopened' WHERE id = %lld", id);
	same(id, "reopened");
	RUN("DELETE FROM escalation_rules");
	same(id, "rules deleted");
}
END_TEST

Suite *sla_panel_suite(void);

Suite *
sla_panel_suite(void)
{
	Suite *s = suite_create("sla_panel");
	TCase *tc = tcase_create("sla_panel");

	tcase_add_unchecked_fixture(tc, suite_setup, suite_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, every_change_keeps_the_panel);
	suite_add_tcase(s, tc);
	return s;
}
