/*
 * Tickets in the database: routing by rule, automatic assignment (least
 * loaded, round-robin, never past capacity, also under 20 concurrent
 * creations from separate processes), the workflow and the version guard,
 * and what a customer sees through the portal's role and row-level
 * security (never an internal note, never another account's ticket).
 */
#include "../lib/harness.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/tickets.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static char *conninfo, *as_portal;
static struct db owner, portal;
static struct arena *arena;
static long long cust_a, cust_b, user_a, user_a2, user_b, agent[3];

static const char fixture[] =
    /* These tests open tickets in bursts: no rate limit (customer_limits.h). */
    "UPDATE settings SET value = '1000000' WHERE key ~ '^customer_(tickets|replies)_per_';"
    "INSERT INTO teams (name) VALUES ('Desk'), ('Other');"
    "INSERT INTO queues (name, team_id, auto_assign) SELECT 'General', id, true FROM teams"
    " WHERE name = 'Desk';"
    "INSERT INTO queues (name, team_id, auto_assign) SELECT 'Returns', id, false FROM teams"
    " WHERE name = 'Desk';"
    "INSERT INTO categories (name) VALUES ('Warranty and returns'), ('Account access');"
    "INSERT INTO products (sku, name) VALUES ('P-1', 'Kettle');"
    "INSERT INTO resolution_codes (code, label) VALUES ('fixed', 'Fixed');"
    "INSERT INTO routing_rules (position, name, if_category_id, set_queue_id)"
    " SELECT 1, 'Warranty to returns', c.id, q.id FROM categories c, queues q"
    " WHERE c.name = 'Warranty and returns' AND q.name = 'Returns';"
    "INSERT INTO routing_rules (position, name, if_keyword, set_priority, set_queue_id)"
    " SELECT 2, 'Refunds are urgent', 'refund', 'high', id FROM queues WHERE name = 'General';"
    "INSERT INTO routing_rules (position, name, set_queue_id)"
    " SELECT 100, 'Everything else', id FROM queues WHERE name = 'General';"
    /* Three on-shift agents of Desk with capacity 3, and three who must
     * never be chosen: another language, another team, off shift. */
    "INSERT INTO staff (email, name, password_hash, roles, team_id, languages, capacity,"
    " work_days, work_start, work_end, time_zone)"
    " SELECT v.e, v.n, 'x', ARRAY['agent'], t.id, v.l, 3, v.d, '00:00', '23:59:59', 'UTC'"
    " FROM (VALUES ('a1@t.test', 'Agent One', 'Desk', ARRAY['en'], ARRAY[1,2,3,4,5,6,7]),"
    " ('a2@t.test', 'Agent Two', 'Desk', ARRAY['en'], ARRAY[1,2,3,4,5,6,7]),"
    " ('a3@t.test', 'Agent Three', 'Desk', ARRAY['en', 'de'], ARRAY[1,2,3,4,5,6,7]),"
    " ('de@t.test', 'German Only', 'Desk', ARRAY['de'], ARRAY[1,2,3,4,5,6,7]),"
    " ('ot@t.test', 'Other Team', 'Other', ARRAY['en'], ARRAY[1,2,3,4,5,6,7]),"
    " ('off@t.test', 'Off Shift', 'Desk', ARRAY['en'], ARRAY[]::int[]))"
    " AS v (e, n, tm, l, d) JOIN teams t ON t.name = v.tm;"
    "INSERT INTO customers (name) VALUES ('Alpha Ltd'), ('Beta Ltd');"
    "INSERT INTO portal_users (customer_id, email, name, password_hash, is_account_admin)"
    " SELECT c.id, v.e, v.n, 'x', v.adm FROM (VALUES ('Alpha Ltd', 'ann@a.test', 'Ann', true),"
    " ('Alpha Ltd', 'bob@a.test', 'Bob', false), ('Beta Ltd', 'eve@b.test', 'Eve', true))"
    " AS v (c, e, n, adm) JOIN customers c ON c.name = v.c;";

static struct db_stmt st_id = DB_STMT("t_t_id",
    "SELECT coalesce((SELECT id FROM customers WHERE name = $1),"
    " (SELECT id FROM portal_users WHERE email = $1), (SELECT id FROM staff WHERE email = $1))",
    1);
static struct db_stmt st_reset = DB_STMT("t_t_reset",
    "WITH d AS (DELETE FROM tickets RETURNING 1)"
    " UPDATE staff SET last_assigned_at = '-infinity' WHERE (SELECT count(*) FROM d) >= 0", 0);
static struct db_stmt st_scope = DB_STMT("t_t_scope",
    "SELECT set_config('csdesk.customer_id', $1, false)", 1);
static struct db_stmt st_row = DB_STMT("t_t_row",
    "SELECT coalesce(q.name, '-') || ' ' || t.priority || ' ' || t.status || ' ' ||"
    " coalesce(s.email, '-') FROM tickets t LEFT JOIN queues q ON q.id = t.queue_id"
    " LEFT JOIN staff s ON s.id = t.assignee_id WHERE t.id = $1", 1);
static struct db_stmt st_loads = DB_STMT("t_t_loads",
    "SELECT coalesce(string_agg(s.email || '=' || s.open_tickets, ',' ORDER BY s.email), '')"
    " || ' max=' || (SELECT coalesce(max(n), 0) FROM (SELECT count(*) AS n FROM tickets"
    " WHERE assignee_id IS NOT NULL GROUP BY assignee_id) x)"
    " || ' unassigned=' || (SELECT count(*) FROM tickets WHERE assignee_id IS NULL)"
    " || ' total=' || (SELECT count(*) FROM tickets)"
    " FROM staff s WHERE s.open_tickets > 0", 0);
static struct db_stmt st_internal = DB_STMT("t_t_internal",
    "SELECT count(*) FROM ticket_comments WHERE kind = 'internal'", 0);
static struct db_stmt st_hist = DB_STMT("t_t_hist",
    "SELECT string_agg(field || ':' || coalesce(new_value, ''), ',' ORDER BY id)"
    " FROM ticket_events WHERE ticket_id = $1", 1);
static struct db_stmt st_ticket = DB_STMT("t_t_ticket",
    "SELECT rating || ' ' || reopen_count || ' ' || (resolved_at IS NULL) || ' ' ||"
    " (closed_at IS NOT NULL) || ' ' || (first_response_at IS NOT NULL)"
    " FROM tickets WHERE id = $1", 1);

/* Column 0 of the only row, malloc'd ("" for none). */
static char *
one(struct db *d, struct db_stmt *st, const char *const *p)
{
	PGresult *r = db_exec(d, st, p);
	char *s;

	ck_assert_ptr_nonnull(r);
	s = strdup(PQntuples(r) > 0 ? PQgetvalue(r, 0, 0) : "");
	PQclear(r);
	return s;
}

static long long
id_of(const char *name)
{
	const char *p[] = { name };
	char *s = one(&owner, &st_id, p);
	long long v = atoll(s);

	free(s);
	return v;
}

static char *
row_of(long long id)
{
	char n[24];
	const char *p[] = { n };

	snprintf(n, sizeof(n), "%lld", id);
	return one(&owner, &st_row, p);
}

static void
suite_setup(void)
{
	struct db d;

	conninfo = th_db_create("tickets");
	as_portal = th_db_as(conninfo, "csdesk_portal");
	ck_assert_int_eq(db_open(&d, conninfo, "check_tickets_setup"), 0);
	ck_assert_int_eq(db_script(&d, fixture, "fixture"), 0);
	db_close(&d);
}

static void
suite_teardown(void)
{
	th_db_drop(conninfo);
	free(as_portal);
	free(conninfo);
}

static void
setup(void)
{
	ck_assert_int_eq(db_open(&owner, conninfo, "check_tickets"), 0);
	ck_assert_int_eq(db_open(&portal, as_portal, "check_tickets_portal"), 0);
	ck_assert_int_eq(db_run(&owner, &st_reset, NULL), 0);
	arena = arena_new(1 << 16);
	cust_a = id_of("Alpha Ltd");
	cust_b = id_of("Beta Ltd");
	user_a = id_of("ann@a.test");
	user_a2 = id_of("bob@a.test");
	user_b = id_of("eve@b.test");
	agent[0] = id_of("a1@t.test");
	agent[1] = id_of("a2@t.test");
	agent[2] = id_of("a3@t.test");
}

static void
teardown(void)
{
	db_close(&owner);
	db_close(&portal);
	arena_free(arena);
}

/* Names the customer for row-level security on d (session-wide). */
static void
scope(struct db *d, long long customer)
{
	char n[24];
	const char *p[] = { n };

	snprintf(n, sizeof(n), "%lld", customer);
	ck_assert_int_eq(db_run(d, &st_scope, p), 0);
}

static struct ticket_actor_ref
customer(long long user, long long cust, int admin)
{
	struct ticket_actor_ref by = { TA_CUSTOMER, user, cust, admin, 0 };

	return by;
}

static struct ticket_actor_ref
staff(long long id)
{
	struct ticket_actor_ref by = { TA_STAFF, id, 0, 0, 0 };

	return by;
}

/* Creates a ticket through the portal's role as user of customer. */
static long long
create_as(struct db *d, long long user, long long cust, const char *subject,
    long long category, const char **number)
{
	struct ticket_actor_ref by = customer(user, cust, user == user_a);
	struct ticket_new t = { 0 };
	struct ticket_opened op;
	const char *why = NULL;
	int rc;

	t.customer_id = cust;
	t.requester_id = user;
	t.channel = "portal";
	t.subject = subject;
	t.description = "It does not work.";
	t.category_id = category;
	scope(d, cust);
	rc = ticket_open(d, arena, &by, &t, &op, &why);
	ck_assert_msg(rc == CS_OK, "create: %d %s", rc, why != NULL ? why : "");
	ck_assert_ptr_nonnull(op.number);
	ck_assert_int_eq(strncmp(op.number, "TKT-", 4), 0);
	if (number != NULL)
		*number = op.number;
	return op.id;
}

START_TEST(routes_by_rule)
{
	long long warranty, id;
	char *s;

	{
		struct db_stmt st = DB_STMT("t_t_cat", "SELECT id FROM categories WHERE name = $1", 1);
		const char *p[] = { "Warranty and returns" };
		char *v = one(&owner, &st, p);

		warranty = atoll(v);
		free(v);
	}
	id = create_as(&portal, user_a, cust_a, "Broken kettle", warranty, NULL);
	s = row_of(id);
	/* Returns does not assign automatically: the ticket waits there. */
	ck_assert_str_eq(s, "Returns medium new -");
	free(s);
	id = create_as(&portal, user_a, cust_a, "I want a REFUND please", 0, NULL);
	s = row_of(id);
	ck_assert_int_eq(strncmp(s, "General high assigned a", 23), 0);
	free(s);
}
END_TEST

START_TEST(least_loaded_round_robin)
{
	char *s[6];
	int i;

	for (i = 0; i < 6; i++) {
		char subject[32];

		snprintf(subject, sizeof(subject), "Question %d", i);
		s[i] = row_of(create_as(&portal, user_a, cust_a, subject, 0, NULL));
	}
	/* Equal loads: each agent in turn, then again in the same order. */
	ck_assert_str_ne(s[0], s[1]);
	ck_assert_str_ne(s[1], s[2]);
	ck_assert_str_ne(s[0], s[2]);
	ck_assert_str_eq(s[3], s[0]);
	ck_assert_str_eq(s[4], s[1]);
	ck_assert_str_eq(s[5], s[2]);
	for (i = 0; i < 6; i++) {
		ck_assert_msg(strstr(s[i], "@t.test") != NULL, "%s", s[i]);
		ck_assert_ptr_null(strstr(s[i], "de@"));
		ck_assert_ptr_null(strstr(s[i], "ot@"));
		ck_assert_ptr_null(strstr(s[i], "off@"));
		free(s[i]);
	}
}
END_TEST

START_TEST(never_past_capacity)
{
	enum { PROCS = 5, EACH = 4 };
	pid_t pids[PROCS];
	char *loads;
	int i, status;

	for (i = 0; i < PROCS; i++) {
		pids[i] = fork();
		ck_assert_int_ge(pids[i], 0);
		if (pids[i] == 0) {
			struct db d;
			int k, ok = db_open(&d, as_portal, "check_tickets_racer") == 0;

			for (k = 0; ok && k < EACH; k++) {
				struct ticket_actor_ref by = customer(user_a, cust_a, 1);
				struct ticket_new t = { 0 };
				struct ticket_opened op;
				const char *why;
				char n[24];
				const char *p[] = { n };

				snprintf(n, sizeof(n), "%lld", cust_a);
				t.customer_id = cust_a;
				t.requester_id = user_a;
				t.channel = "portal";
				t.subject = "Race";
				t.description = "Many at once.";
				ok = db_run(&d, &st_scope, p) == 0 &&
				    ticket_open(&d, arena, &by, &t, &op, &why) == CS_OK;
			}
			db_close(&d);
			_exit(ok ? 0 : 1);
		}
	}
	for (i = 0; i < PROCS; i++) {
		ck_assert_int_eq(waitpid(pids[i], &status, 0), pids[i]);
		ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "racer %d failed", i);
	}
	loads = one(&owner, &st_loads, NULL);
	ck_assert_str_eq(loads, "a1@t.test=3,a2@t.test=3,a3@t.test=3 max=3 unassigned=11 "
	    "total=20");
	free(loads);
}
END_TEST

START_TEST(workflow_and_version)
{
	struct ticket_actor_ref ann = customer(user_a, cust_a, 1);
	struct ticket_actor_ref agent1;
	struct ticket t;
	const char *number, *why = NULL;
	long long id = create_as(&portal, user_a, cust_a, "Printer on fire", 0, &number);
	char n[24], *s;
	const char *p[] = { n };
	int version;

	snprintf(n, sizeof(n), "%lld", id);
	agent1 = staff(agent[0]);
	ck_assert_int_eq(ticket_get(&owner, arena, &agent1, number, &t), 0);
	ck_assert_int_eq(t.status, TS_ASSIGNED);
	ck_assert_str_eq(t.queue, "General");
	version = t.version;

	/* Not allowed: staff assigned → closed; the customer closing early. */
	ck_assert_int_eq(ticket_change_status(&owner, arena, &agent1,
	    &(struct ticket_status_in){ .ticket_id = id, .to = TS_CLOSED }, &why), CS_REFUSED);
	ck_assert_ptr_nonnull(why);
	scope(&portal, cust_a);
	ck_assert_int_eq(ticket_change_status(&portal, arena, &ann,
	    &(struct ticket_status_in){ .ticket_id = id, .to = TS_CLOSED, .rating = 5 }, &why),
	    CS_REFUSED);

	/* A reply to the version on screen goes; to an older one does not. */
	ck_assert_int_eq(ticket_reply(&owner, arena, &agent1,
	    &(struct ticket_reply_in){ .ticket_id = id, .kind = "public", .body = "Unplug it.",
	    .minutes_spent = 5, .expected_version = version }, NULL, &why), 0);
	ck_assert_int_eq(ticket_reply(&owner, arena, &agent1,
	    &(struct ticket_reply_in){ .ticket_id = id, .kind = "public", .body = "Again.",
	    .expected_version = version }, NULL, &why), CS_REFUSED);
	ck_assert_int_eq(ticket_reply(&owner, arena, &agent1,
	    &(struct ticket_reply_in){ .ticket_id = id, .kind = "internal",
	    .body = "Customer seems upset.", .minutes_spent = 3 }, NULL, &why), 0);

	/* Resolving needs a code. */
	ck_assert_int_eq(ticket_change_status(&owner, arena, &agent1,
	    &(struct ticket_status_in){ .ticket_id = id, .to = TS_IN_PROGRESS }, &why), 0);
	ck_assert_int_eq(ticket_change_status(&owner, arena, &agent1,
	    &(struct ticket_status_in){ .ticket_id = id, .to = TS_RESOLVED }, &why),
	    CS_REFUSED);
	ck_assert_int_eq(ticket_change_status(&owner, arena, &agent1,
	    &(struct ticket_status_in){ .ticket_id = id, .to = TS_RESOLVED,
	    .resolution_code = "nope" }, &why), CS_REFUSED);
	ck_assert_int_eq(ticket_change_status(&owner, arena, &agent1,
	    &(struct ticket_status_in){ .ticket_id = id, .to = TS_RESOLVED,
	    .resolution_code = "fixed", .root_cause = "Loose cable" }, &why), 0);
	/* The customer reopens (saying why), the agent resolves again, the customer confirms. */
	ck_assert_int_eq(ticket_change_status(&portal, arena, &ann,
	    &(struct ticket_status_in){ .ticket_id = id, .to = TS_REOPENED }, &why),
	    CS_REFUSED);
	ck_assert_str_eq(why, "Tell us what is still wrong.");
	{
		struct ticket_status_in in = { 0 };

		in.ticket_id = id;
		in.to = TS_REOPENED;
		in.comment = "It broke again.";
		ck_assert_int_eq(ticket_change_status(&portal, arena, &ann, &in, &why), CS_OK);
	}
	ck_assert_int_eq(ticket_change_status(&owner, arena, &agent1,
	    &(struct ticket_status_in){ .ticket_id = id, .to = TS_RESOLVED,
	    .resolution_code = "fixed" }, &why), 0);
	ck_assert_int_eq(ticket_change_status(&portal, arena, &ann,
	    &(struct ticket_status_in){ .ticket_id = id, .to = TS_CLOSED, .rating = 4,
	    .rating_comment = "Thanks" }, &why), 0);
	s = one(&owner, &st_ticket, p);
	ck_assert_str_eq(s, "4 1 false true true");
	free(s);
	ck_assert_int_eq(ticket_get(&owner, arena, &agent1, number, &t), 0);
	ck_assert_int_eq(t.status, TS_CLOSED);
	ck_assert_str_eq(t.resolution_code, "fixed");
	ck_assert_str_eq(t.root_cause, "Loose cable");
	ck_assert_int_eq(t.minutes_spent, 8);
	ck_assert_int_gt(t.version, version + 5);
	s = one(&owner, &st_hist, p);
	ck_assert_msg(strstr(s, "created:portal,routing:Everything else,assignee:") == s &&
	    strstr(s, "comment:public,first_response:now,comment:internal,"
	    "status:in_progress,status:resolved,resolution_code:fixed,root_cause:Loose cable,"
	    "status:reopened,comment:public,status:resolved,resolution_code:fixed,status:closed,"
	    "rating:4") != NULL,
	    "%s", s);
	free(s);
	/* Closed: the customer cannot write any more, but may reopen. */
	ck_assert_int_eq(ticket_reply(&portal, arena, &ann,
	    &(struct ticket_reply_in){ .ticket_id = id, .kind = "public", .body = "Hello?" },
	    NULL, &why), CS_REFUSED);
}
END_TEST

START_TEST(customer_sees_only_theirs)
{
	struct ticket_actor_ref ann = customer(user_a, cust_a, 1);
	struct ticket_actor_ref bob = customer(user_a2, cust_a, 0);
	struct ticket_actor_ref eve = customer(user_b, cust_b, 1);
	struct ticket_actor_ref agent1 = staff(agent[0]);
	struct ticket_comment *c;
	struct ticket_event *ev;
	struct ticket_download dl;
	struct ticket t;
	struct ticket_row *rows;
	struct ticket_page pg = { NULL, 0, 10 };
	const char *number, *why;
	size_t n;
	long long next, id = create_as(&portal, user_a, cust_a, "Secret plans", 0, &number);
	char *s;
	static const unsigned char png[] = "\x89PNG\r\n\x1a\nabc";
	struct ticket_file f = { "shot.png", "image/png", png, sizeof(png) - 1 };

	ck_assert_int_eq(ticket_reply(&owner, arena, &agent1,
	    &(struct ticket_reply_in){ .ticket_id = id, .kind = "internal",
	    .body = "Internal only", .files = &f, .nfiles = 1 }, NULL, &why), 0);
	ck_assert_int_eq(ticket_reply(&owner, arena, &agent1,
	    &(struct ticket_reply_in){ .ticket_id = id, .kind = "public",
	    .body = "Public answer" }, NULL, &why), 0);
	ck_assert_int_eq(ticket_comments(&owner, arena, &agent1, id, &c, &n), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_uint_eq(c[0].nfiles, 1);

	/* Through the portal's role with the customer named. */
	scope(&portal, cust_a);
	ck_assert_int_eq(ticket_comments(&portal, arena, &ann, id, &c, &n), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(c[0].body, "Public answer");
	ck_assert_str_eq(c[0].kind, "public");
	s = one(&portal, &st_internal, NULL);
	ck_assert_str_eq(s, "0");
	free(s);
	ck_assert_int_eq(ticket_events(&portal, arena, &ann, id, &ev, &n), CS_NOT_FOUND);
	ck_assert_int_eq(ticket_download(&portal, arena, &ann, number, 1LL << 40, &dl),
	    CS_NOT_FOUND);
	/* An internal note's file is not the customer's either. */
	{
		struct ticket_comment *sc;
		size_t sn;

		ck_assert_int_eq(ticket_comments(&owner, arena, &agent1, id, &sc, &sn), 0);
		ck_assert_int_eq(ticket_download(&portal, arena, &ann, number, sc[0].files[0].id,
		    &dl), CS_NOT_FOUND);
		ck_assert_int_eq(ticket_download(&owner, arena, &agent1, number, sc[0].files[0].id,
		    &dl), 0);
		ck_assert_uint_eq(dl.len, sizeof(png) - 1);
		ck_assert_int_eq(memcmp(dl.data, png, dl.len), 0);
	}

	/* Bob, a colleague without account rights, sees only his own. */
	ck_assert_int_eq(ticket_get(&portal, arena, &bob, number, &t), CS_NOT_FOUND);
	ck_assert_int_eq(ticket_list_for_customer(&portal, arena, &bob, &pg, &rows, &n, &next), 0);
	ck_assert_uint_eq(n, 0);
	ck_assert_int_eq(ticket_list_for_customer(&portal, arena, &ann, &pg, &rows, &n, &next), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(rows[0].number, number);

	/* Another account: nothing, whatever the code asks. */
	scope(&portal, cust_b);
	ck_assert_int_eq(ticket_get(&portal, arena, &eve, number, &t), CS_NOT_FOUND);
	ck_assert_int_eq(ticket_comments(&portal, arena, &eve, id, &c, &n), CS_NOT_FOUND);
	ck_assert_int_eq(ticket_reply(&portal, arena, &eve,
	    &(struct ticket_reply_in){ .ticket_id = id, .kind = "public", .body = "Hi" }, NULL,
	    &why), CS_NOT_FOUND);
	/* Even with the wrong customer claimed, row-level security holds. */
	{
		struct ticket_actor_ref liar = customer(user_b, cust_a, 1);

		ck_assert_int_eq(ticket_get(&portal, arena, &liar, number, &t), CS_NOT_FOUND);
	}
}
END_TEST

START_TEST(keyset_pages)
{
	struct ticket_actor_ref ann = customer(user_a, cust_a, 1);
	struct ticket_page pg = { NULL, 0, 2 };
	struct ticket_row *rows;
	size_t n, seen = 0;
	long long next;
	int i;

	for (i = 0; i < 5; i++)
		create_as(&portal, user_a, cust_a, "Paged", 0, NULL);
	scope(&portal, cust_a);
	do {
		ck_assert_int_eq(ticket_list_for_customer(&portal, arena, &ann, &pg, &rows, &n,
		    &next), 0);
		seen += n;
		pg.before_id = next;
	} while (next != 0);
	ck_assert_uint_eq(seen, 5);
	pg.before_id = 0;
	pg.status = "closed";
	ck_assert_int_eq(ticket_list_for_customer(&portal, arena, &ann, &pg, &rows, &n, &next), 0);
	ck_assert_uint_eq(n, 0);
	pg.status = "open";
	pg.limit = 10;
	ck_assert_int_eq(ticket_list_for_customer(&portal, arena, &ann, &pg, &rows, &n, &next), 0);
	ck_assert_uint_eq(n, 5);
}
END_TEST

/* Past the six padded digits the number grows instead of being cut. */
START_TEST(numbers_past_a_million)
{
	struct db_stmt st = DB_STMT("t_t_setval", "SELECT setval('ticket_number_seq', 999998)", 0);
	const char *first, *second;

	free(one(&owner, &st, NULL));
	create_as(&portal, user_a, cust_a, "Almost a million", 0, &first);
	create_as(&portal, user_a, cust_a, "A million", 0, &second);
	ck_assert_str_eq(first, "TKT-999999");
	ck_assert_str_eq(second, "TKT-1000000");
}
END_TEST

START_TEST(refuses_bad_input)
{
	struct ticket_actor_ref ann = customer(user_a, cust_a, 1);
	struct ticket_new t = { 0 };
	static const unsigned char exe[] = "MZ\x90\x00rest";
	struct ticket_file bad[] = {
		{ "setup.exe", "application/octet-stream", exe, 8 },
		{ "invoice.pdf", "application/pdf", exe, 8 },
		{ "notes.txt", "text/plain", (const unsigned char *)"", 0 },
	};
	struct ticket_opened op;
	const char *why;
	size_t i;

	t.customer_id = cust_a;
	t.requester_id = user_a;
	t.channel = "portal";
	t.subject = "Hello";
	t.description = "x";
	scope(&portal, cust_a);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why = NULL;
		t.files = &bad[i];
		t.nfiles = 1;
		ck_assert_int_eq(ticket_open(&portal, arena, &ann, &t, &op, &why),
		    CS_REFUSED);
		ck_assert_ptr_nonnull(why);
	}
	t.nfiles = 0;
	t.subject = " ";
	ck_assert_int_eq(ticket_open(&portal, arena, &ann, &t, &op, &why), CS_REFUSED);
	t.subject = "Fine";
	t.channel = "pigeon";
	ck_assert_int_eq(ticket_open(&portal, arena, &ann, &t, &op, &why), CS_REFUSED);
	t.channel = "portal";
	t.category_id = 1LL << 40;
	ck_assert_int_eq(ticket_open(&portal, arena, &ann, &t, &op, &why), CS_REFUSED);
	/* The connection is still usable after refusals. */
	t.category_id = 0;
	ck_assert_int_eq(ticket_open(&portal, arena, &ann, &t, &op, &why), 0);
}
END_TEST

/* The demo data loads, twice without duplicates, and is consistent. */
static struct db_stmt st_demo = DB_STMT("t_t_demo",
    "SELECT (SELECT count(*) FROM tickets) || ' ' ||"
    " (SELECT count(*) FROM ticket_comments) || ' ' ||"
    " (SELECT count(*) FROM routing_rules) || ' ' ||"
    " (SELECT coalesce(sum(n), 0) FROM ticket_counts) || ' ' ||"
    " (SELECT count(*) FROM tickets t WHERE NOT EXISTS (SELECT 1 FROM ticket_events e"
    "  WHERE e.ticket_id = t.id AND e.field = 'created'))", 0);

START_TEST(demo_data)
{
	char *first, *second;

	ck_assert_int_eq(th_sh("CSDESK_DB='%s' '%s/csdesk' demo >/dev/null", conninfo,
	    th_build_dir()), 0);
	first = one(&owner, &st_demo, NULL);
	ck_assert_int_eq(th_sh("CSDESK_DB='%s' '%s/csdesk' demo >/dev/null", conninfo,
	    th_build_dir()), 0);
	second = one(&owner, &st_demo, NULL);
	ck_assert_str_eq(first, second);
	/* 002's four requests, one in each of the five queues of 011,
	 * 017's complaint at a site and 020's request filed at the wrong one. */
	ck_assert_msg(strncmp(first, "11 ", 3) == 0 && strstr(first, " 11 0") != NULL, "%s",
	    first);
	free(first);
	free(second);
}
END_TEST

Suite *tickets_suite(void);

Suite *
tickets_suite(void)
{
	Suite *s = suite_create("tickets");
	TCase *tc = tcase_create("tickets");

	tcase_add_unchecked_fixture(tc, suite_setup, suite_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, routes_by_rule);
	tcase_add_test(tc, least_loaded_round_robin);
	tcase_add_test(tc, never_past_capacity);
	tcase_add_test(tc, workflow_and_version);
	tcase_add_test(tc, customer_sees_only_theirs);
	tcase_add_test(tc, keyset_pages);
	tcase_add_test(tc, numbers_past_a_million);
	tcase_add_test(tc, refuses_bad_input);
	tcase_add_test(tc, demo_data);
	suite_add_tcase(s, tc);
	return s;
}
