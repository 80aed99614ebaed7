/*
 * Opening a ticket in one INSERT, and its idempotency key claimed with it:
 * the row ticket_open writes is the row the old steps (the INSERT, then
 * ticket_route, ticket_auto_assign and sla_ticket_start, which stay for
 * tickets that exist) made, history and clock included; an API creation
 * sent four times at once with one Idempotency-Key opens one ticket and
 * every request answers with it; a customer's role cannot open a ticket
 * for another customer through the function that runs as the owner; the
 * ticket's events are written with it (ticket.created, then
 * ticket.assigned when it was), also by the portal's role, which may
 * insert events but not read them.
 */
#include "../lib/harness.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/idempotency.h"
#include "domain/tickets.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static char *conninfo, *as_console, *as_portal;
static struct db owner;
static struct arena *arena;
static long long cust, other, user, agent;

/*
 * A queue that assigns automatically, an agent on shift around the clock,
 * a routing rule that sends "kettle" there at high priority with a tag,
 * and a policy for high-priority tickets.
 */
static const char fixture[] =
    "INSERT INTO teams (name) VALUES ('Kettles');"
    "INSERT INTO queues (name, team_id, auto_assign) SELECT 'Kettle queue', id, true"
    " FROM teams WHERE name = 'Kettles';"
    "INSERT INTO staff (email, name, password_hash, roles, team_id, capacity, work_days,"
    " work_start, work_end) SELECT 'kay@k.test', 'Kay', 'x', ARRAY['agent'], id, 50,"
    " ARRAY[1,2,3,4,5,6,7]::smallint[], '00:00', '23:59:59' FROM teams WHERE name = 'Kettles';"
    "INSERT INTO routing_rules (name, position, if_keyword, set_queue_id, set_priority, set_tags)"
    " SELECT 'Kettles to Kay', 1, 'kettle', id, 'high', ARRAY['appliance'] FROM queues"
    " WHERE name = 'Kettle queue';"
    "INSERT INTO customers (name) VALUES ('Speed Ltd'), ('Other Ltd');"
    "INSERT INTO portal_users (customer_id, email, name, password_hash, is_account_admin)"
    " SELECT id, 'sam@s.test', 'Sam', 'x', true FROM customers WHERE name = 'Speed Ltd';";

static struct db_stmt st_id = DB_STMT("t_is_id",
    "SELECT coalesce((SELECT id FROM customers WHERE name = $1),"
    " (SELECT id FROM portal_users WHERE email = $1), (SELECT id FROM staff WHERE email = $1))",
    1);
/* A ticket opened the old way: the INSERT, then the three steps after it. */
static struct db_stmt st_old = DB_STMT("t_is_old",
    "WITH t AS (INSERT INTO tickets (customer_id, requester_id, channel, subject, description,"
    " priority) VALUES ($1, $2, 'phone', 'The kettle leaks', 'Water everywhere.', 'medium')"
    " RETURNING id), h AS (INSERT INTO ticket_events (ticket_id, actor_kind, actor_id, field,"
    " new_value) SELECT id, 'staff', $3, 'created', 'phone' FROM t RETURNING ticket_id)"
    " SELECT h.ticket_id FROM h", 3);
static struct db_stmt st_steps = DB_STMT("t_is_steps",
    "SELECT ticket_route($1), ticket_auto_assign($1), sla_ticket_start($1)", 1);
/* What a new ticket is, in one line, whichever way it was opened. */
static struct db_stmt st_shape = DB_STMT("t_is_shape",
    "SELECT concat_ws(' ', t.status, q.name, tm.name, t.priority, t.tags::text, s.email,"
    " t.version, p.name, t.sla_started_at = t.created_at,"
    " t.first_response_due_at = add_business_minutes(p.calendar_id, t.sla_started_at,"
    "  p.first_response_minutes),"
    " t.resolution_due_at = add_business_minutes(p.calendar_id, t.sla_started_at,"
    "  p.resolution_minutes),"
    " t.sla_due_at = least(t.first_response_due_at, t.resolution_due_at), t.sla_red_at IS NULL,"
    " (SELECT string_agg(e.actor_kind || ':' || e.field || '=' || coalesce(e.new_value, ''),"
    "  ',' ORDER BY e.id) FROM ticket_events e WHERE e.ticket_id = t.id),"
    " (SELECT string_agg(c.state || '/' || c.reason, ',' ORDER BY c.id)"
    "  FROM ticket_sla_clock c WHERE c.ticket_id = t.id),"
    " (SELECT string_agg(v.target || '/' || v.kind || '/' || v.detail, ',' ORDER BY v.id)"
    "  FROM ticket_sla_events v WHERE v.ticket_id = t.id),"
    " (SELECT count(*) FROM ticket_holders h WHERE h.ticket_id = t.id AND h.agent_id = t.assignee_id))"
    " FROM tickets t LEFT JOIN queues q ON q.id = t.queue_id LEFT JOIN teams tm ON tm.id = t.team_id"
    " LEFT JOIN staff s ON s.id = t.assignee_id LEFT JOIN sla_policies p ON p.id = t.sla_policy_id"
    " WHERE t.id = $1", 1);
static struct db_stmt st_count = DB_STMT("t_is_count",
    "SELECT count(*) FROM tickets WHERE subject = $1", 1);
static struct db_stmt st_scope = DB_STMT("t_is_scope",
    "SELECT set_config('csdesk.customer_id', $1, false)", 1);
static struct db_stmt st_foreign = DB_STMT("t_is_foreign",
    "SELECT ticket_id FROM ticket_open_row($1, NULL, 'portal', 'question', NULL, NULL, NULL,"
    " 'Not mine', 'Someone else''s.', 'normal', 'medium', NULL, NULL, 'customer', NULL, NULL)", 1);

/* A ticket's events in order: type actor payload, one a line. */
static struct db_stmt st_events = DB_STMT("t_is_events",
    "SELECT string_agg(e.type || ' ' || e.actor_kind || ':' || coalesce(e.actor_id::text, '-') || ' '"
    " || (e.payload - 'number')::text || ' ' || (e.payload->>'number' = t.number)::text, E'\\n'"
    " ORDER BY e.id) FROM domain_events e JOIN tickets t ON t.id = e.aggregate_id"
    " WHERE e.aggregate = 'ticket' AND e.aggregate_id = $1", 1);

static char *
text_of(struct db *d, struct db_stmt *st, const char *const *p)
{
	PGresult *r = db_exec(d, st, p);
	char *v;

	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(PQntuples(r), 1);
	v = strdup(PQgetvalue(r, 0, 0));
	PQclear(r);
	return v;
}

static long long
id_of(const char *name)
{
	const char *p[] = { name };
	char *v = text_of(&owner, &st_id, p);
	long long id = atoll(v);

	free(v);
	return id;
}

static void
suite_setup(void)
{
	struct db d;

	conninfo = th_db_create("intake_speed");
	as_console = th_db_as(conninfo, "csdesk_console");
	as_portal = th_db_as(conninfo, "csdesk_portal");
	ck_assert_int_eq(db_open(&d, conninfo, "check_intake_speed_setup"), 0);
	ck_assert_int_eq(db_script(&d, fixture, "fixture"), 0);
	db_close(&d);
}

static void
suite_teardown(void)
{
	th_db_drop(conninfo);
	free(conninfo);
	free(as_console);
	free(as_portal);
}

static void
setup(void)
{
	ck_assert_int_eq(db_open(&owner, conninfo, "check_intake_speed"), 0);
	arena = arena_new(1 << 16);
	ck_assert_ptr_nonnull(arena);
	cust = id_of("Speed Ltd");
	other = id_of("Other Ltd");
	user = id_of("sam@s.test");
	agent = id_of("kay@k.test");
}

static void
teardown(void)
{
	arena_free(arena);
	db_close(&owner);
}

/* The shape of ticket id, malloc'd. */
static char *
shape(long long id)
{
	char n[24];
	const char *p[] = { n };

	snprintf(n, sizeof(n), "%lld", id);
	return text_of(&owner, &st_shape, p);
}

START_TEST(one_insert_makes_what_the_steps_made)
{
	struct ticket_actor_ref by = { TA_STAFF, agent, 0, 0, 0 };
	struct ticket_new t = { 0 };
	struct ticket_opened out;
	const char *why = NULL;
	char c[24], u[24], a[24], old_id[24];
	const char *p[] = { c, u, a }, *q[] = { old_id };
	char *v, *now, *before;

	t.customer_id = cust;
	t.requester_id = user;
	t.channel = "phone";
	t.subject = "The kettle leaks";
	t.description = "Water everywhere.";
	t.priority = "medium";
	ck_assert_int_eq(ticket_open(&owner, arena, &by, &t, &out, &why), CS_OK);
	ck_assert_int_eq(out.assignee_id, agent);
	snprintf(c, sizeof(c), "%lld", cust);
	snprintf(u, sizeof(u), "%lld", user);
	snprintf(a, sizeof(a), "%lld", agent);
	v = text_of(&owner, &st_old, p);
	snprintf(old_id, sizeof(old_id), "%s", v);
	free(v);
	PQclear(db_exec(&owner, &st_steps, q));
	now = shape(out.id);
	before = shape(atoll(old_id));
	ck_assert_str_eq(now, before);
	/* And it is what a reader expects: routed, assigned, on the clock. */
	ck_assert_msg(strncmp(now, "assigned Kettle queue Kettles high {appliance} kay@k.test 2 ",
	    60) == 0, "%s", now);
	ck_assert_ptr_nonnull(strstr(now, "staff:created=phone,system:routing=Kettles to Kay,"
	    "system:assignee="));
	free(now);
	free(before);
}
END_TEST

START_TEST(one_key_four_at_once_one_ticket)
{
	enum { RACERS = 4 };
	static const char subject[] = "Printer on fire, four times";
	pid_t pids[RACERS];
	int gate[2], results[2], i, status, replayed = 0;
	char numbers[RACERS][32], *count;
	const char *p[] = { subject };

	ck_assert_int_eq(pipe(gate), 0);
	ck_assert_int_eq(pipe(results), 0);
	for (i = 0; i < RACERS; i++) {
		pids[i] = fork();
		ck_assert_int_ge(pids[i], 0);
		if (pids[i] == 0) {
			struct ticket_actor_ref by = { TA_STAFF, agent, 0, 0, 1 };
			struct idem_key k = { IDEM_API, 7, "fire-7f3a",
				"POST /api/v1/tickets\n{\"subject\":\"Printer on fire\"}" };
			struct ticket_new t = { 0 };
			struct ticket_opened out;
			struct db d;
			const char *why = NULL;
			char line[64], go;
			int ok;

			close(gate[1]);
			ok = db_open(&d, as_console, "check_intake_speed_racer") == 0;
			/* All start when the parent closes the gate. */
			ok = ok && read(gate[0], &go, 1) == 0;
			t.customer_id = cust;
			t.requester_id = user;
			t.channel = "api";
			t.subject = subject;
			t.description = "Smoke.";
			t.once = &k;
			ok = ok && ticket_open(&d, arena, &by, &t, &out, &why) == CS_OK;
			snprintf(line, sizeof(line), "%d %s\n", out.replayed, ok ? out.number : "-");
			ok = write(results[1], line, strlen(line)) == (ssize_t)strlen(line) && ok;
			db_close(&d);
			_exit(ok ? 0 : 1);
		}
	}
	close(gate[0]);
	close(results[1]);
	usleep(200 * 1000);
	close(gate[1]);
	for (i = 0; i < RACERS; i++) {
		ck_assert_int_eq(waitpid(pids[i], &status, 0), pids[i]);
		ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "racer %d failed", i);
	}
	{
		FILE *f = fdopen(results[0], "r");
		int r;

		ck_assert_ptr_nonnull(f);
		for (i = 0; i < RACERS; i++) {
			ck_assert_int_eq(fscanf(f, "%d %31s", &r, numbers[i]), 2);
			replayed += r;
			ck_assert_str_eq(numbers[i], numbers[0]);
		}
		fclose(f);
	}
	ck_assert_int_eq(replayed, RACERS - 1);
	count = text_of(&owner, &st_count, p);
	ck_assert_str_eq(count, "1");
	free(count);
}
END_TEST

START_TEST(the_portal_opens_only_its_own)
{
	struct db d;
	char mine[24], theirs[24];
	const char *s[] = { mine }, *p[] = { theirs };

	snprintf(mine, sizeof(mine), "%lld", cust);
	snprintf(theirs, sizeof(theirs), "%lld", other);
	ck_assert_int_eq(db_open(&d, as_portal, "check_intake_speed_portal"), 0);
	ck_assert_int_eq(db_run(&d, &st_scope, s), 0);
	ck_assert_ptr_null(db_exec(&d, &st_foreign, p));
	ck_assert_str_eq(d.sqlstate, "42501");
	db_close(&d);
}
END_TEST

/* The events of ticket id, malloc'd. */
static char *
events_of(long long id)
{
	char n[24];
	const char *p[] = { n };

	snprintf(n, sizeof(n), "%lld", id);
	return text_of(&owner, &st_events, p);
}

START_TEST(its_events_come_with_it)
{
	struct ticket_actor_ref staff = { TA_STAFF, agent, 0, 0, 1 };
	struct ticket_actor_ref customer = { TA_CUSTOMER, user, cust, 0, 0 };
	struct ticket_new t = { 0 };
	struct ticket_opened out;
	struct db d;
	const char *why = NULL;
	char want[512], mine[24], *v;

	/* Routed to the queue that assigns: created, then assigned, by the API. */
	t.customer_id = cust;
	t.requester_id = user;
	t.channel = "api";
	t.subject = "The kettle hums";
	t.description = "Then it stops.";
	t.external_ref = "CRM-77";
	t.ip = "192.0.2.7";
	ck_assert_int_eq(ticket_open(&owner, arena, &staff, &t, &out, &why), CS_OK);
	ck_assert_int_eq(out.assignee_id, agent);
	v = events_of(out.id);
	snprintf(want, sizeof(want), "ticket.created api:%lld {\"ip\": \"192.0.2.7\", \"channel\":"
	    " \"api\", \"customer_id\": %lld, \"external_ref\": \"CRM-77\", \"requester_id\": %lld}"
	    " true\nticket.assigned api:%lld {\"auto\": true, \"assignee_id\": %lld} true",
	    agent, cust, user, agent, agent);
	ck_assert_str_eq(v, want);
	free(v);
	/* From the portal's role, not assigned: created alone, by the customer. */
	snprintf(mine, sizeof(mine), "%lld", cust);
	ck_assert_int_eq(db_open(&d, as_portal, "check_intake_speed_events"), 0);
	ck_assert_int_eq(db_begin_with(&d, &st_scope, mine), 0);
	memset(&t, 0, sizeof(t));
	t.customer_id = cust;
	t.requester_id = user;
	t.channel = "portal";
	t.subject = "The toaster burns";
	t.description = "Every slice.";
	ck_assert_int_eq(ticket_open(&d, arena, &customer, &t, &out, &why), CS_OK);
	ck_assert_int_eq(db_commit(&d), 0);
	db_close(&d);
	ck_assert_int_eq(out.assignee_id, 0);
	v = events_of(out.id);
	snprintf(want, sizeof(want), "ticket.created customer:%lld {\"channel\": \"portal\","
	    " \"customer_id\": %lld, \"requester_id\": %lld} true", user, cust, user);
	ck_assert_str_eq(v, want);
	free(v);
}
END_TEST

Suite *intake_speed_suite(void);

Suite *
intake_speed_suite(void)
{
	Suite *s = suite_create("intake_speed");
	TCase *tc = tcase_create("intake_speed");

	tcase_add_unchecked_fixture(tc, suite_setup, suite_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, one_insert_makes_what_the_steps_made);
	tcase_add_test(tc, one_key_four_at_once_one_ticket);
	tcase_add_test(tc, the_portal_opens_only_its_own);
	tcase_add_test(tc, its_events_come_with_it);
	suite_add_tcase(s, tc);
	return s;
}
