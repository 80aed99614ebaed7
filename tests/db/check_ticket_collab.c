/*
 * Working together on tickets, in the database and through the console's
 * role: ticket_merge (what moves, what each refusal leaves untouched, the
 * histories), presence (written at most every 30 seconds per agent,
 * ignored after two minutes), and links (both directions, no duplicates).
 */
#include "../lib/console_suite.h"
#include "../lib/harness.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/collab_panel.h"
#include "domain/ticket_assign.h"
#include "domain/ticket_collab.h"
#include "domain/ticket_fields.h"
#include "domain/tickets.h"
#include "tmpl/tval.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *conninfo, *as_console;
static struct db owner, console;
static struct arena *arena;

static const char fixture[] =
    "INSERT INTO customers (name) VALUES ('Alpha Ltd'), ('Beta Ltd');"
    "INSERT INTO products (sku, name) VALUES ('P-1', 'Kettle');"
    "INSERT INTO staff (email, name, password_hash, roles) VALUES"
    " ('a1@t.test', 'Agent One', 'x', ARRAY['agent']),"
    " ('a2@t.test', 'Agent Two', 'x', ARRAY['agent']);"
    "INSERT INTO tickets (number, customer_id, channel, subject, description, status)"
    " SELECT v.n, c.id, 'phone', v.s, 'd', v.st FROM (VALUES"
    " ('T-SRC', 'Alpha Ltd', 'Source', 'in_progress'),"
    " ('T-DST', 'Alpha Ltd', 'Target', 'new'),"
    " ('T-RES', 'Alpha Ltd', 'Resolved one', 'resolved'),"
    " ('T-CLO', 'Alpha Ltd', 'Closed one', 'closed'),"
    " ('T-BETA', 'Beta Ltd', 'Other customer', 'new'))"
    " AS v (n, c, s, st) JOIN customers c ON c.name = v.c;"
    "INSERT INTO ticket_comments (ticket_id, kind, body)"
    " SELECT id, k, 'comment ' || k FROM tickets, unnest(ARRAY['public', 'internal']) k"
    " WHERE number = 'T-SRC';"
    "INSERT INTO ticket_attachments (ticket_id, comment_id, filename, content_type, size,"
    " sha256, data) SELECT t.id, c.id, 'a.txt', 'text/plain', 1, '\\x00', '\\x41'"
    " FROM tickets t JOIN ticket_comments c ON c.ticket_id = t.id WHERE t.number = 'T-SRC';";

static struct db_stmt st_id = DB_STMT("t_c_id",
    "SELECT coalesce((SELECT id FROM tickets WHERE number = $1),"
    " (SELECT id FROM staff WHERE email = $1), (SELECT id FROM customers WHERE name = $1))", 1);
static struct db_stmt st_merge = DB_STMT("t_c_merge",
    "SELECT ticket_merge($1::bigint, $2::bigint, $3::bigint)", 3);
static struct db_stmt st_state = DB_STMT("t_c_state",
    "SELECT t.status || ' v' || t.version || ' c' ||"
    " (SELECT count(*) FROM ticket_comments WHERE ticket_id = t.id) || ' f' ||"
    " (SELECT count(*) FROM ticket_attachments WHERE ticket_id = t.id)"
    " FROM tickets t WHERE t.number = $1", 1);
static struct db_stmt st_events = DB_STMT("t_c_events",
    "SELECT string_agg(e.field || ':' || coalesce(e.old_value, '') || '>' ||"
    " coalesce(e.new_value, ''), ',' ORDER BY e.id) FROM ticket_events e"
    " JOIN tickets t ON t.id = e.ticket_id WHERE t.number = $1", 1);
static struct db_stmt st_seen = DB_STMT("t_c_seen",
    "SELECT seen_at::text FROM ticket_presence WHERE ticket_id = $1::bigint"
    " AND staff_id = $2::bigint", 2);
static struct db_stmt st_age = DB_STMT("t_c_age",
    "UPDATE ticket_presence SET seen_at = now() - $3::interval, since = now() - $3::interval"
    " WHERE ticket_id = $1::bigint AND staff_id = $2::bigint", 3);

static char *
text(struct db *d, struct db_stmt *st, const char *const *p)
{
	PGresult *r = db_exec(d, st, p);
	char *v;

	ck_assert_ptr_nonnull(r);
	v = strdup(PQntuples(r) > 0 && !PQgetisnull(r, 0, 0) ? PQgetvalue(r, 0, 0) : "");
	PQclear(r);
	return v;
}

static void
is(struct db *d, struct db_stmt *st, const char *const *p, const char *want)
{
	char *v = text(d, st, p);

	ck_assert_msg(strcmp(v, want) == 0, "%s: got \"%s\", want \"%s\"", st->name, v, want);
	free(v);
}

static long long
id_of(const char *name)
{
	const char *p[] = { name };
	char *v = text(&owner, &st_id, p);
	long long id = atoll(v);

	free(v);
	return id;
}

static const char *
merge(const char *src, const char *dst)
{
	static char out[32];
	char a[24], b[24], s[24];
	const char *p[] = { a, b, s };
	char *v;

	snprintf(a, sizeof(a), "%lld", id_of(src));
	snprintf(b, sizeof(b), "%lld", id_of(dst));
	snprintf(s, sizeof(s), "%lld", id_of("a1@t.test"));
	v = text(&console, &st_merge, p);
	snprintf(out, sizeof(out), "%s", v);
	free(v);
	return out;
}

/* The database, once per suite. */
/* The page's panel for the ticket numbered number as staff member s. */
static int
view(const char *number, long long s, struct collab_panel *p)
{
	return collab_panel(&console, arena, number, s, p);
}

static void
setup_db(void)
{
	console_suite_create("ticket_collab", fixture, &conninfo, &as_console);
}

static void
teardown_db(void)
{
	console_suite_drop(conninfo, as_console);
}

static void
setup(void)
{
	console_suite_open("collab", conninfo, as_console, &owner, &console, &arena);
}

static void
teardown(void)
{
	console_suite_close(&owner, &console, arena);
}

START_TEST(merge_refusals_change_nothing)
{
	const char *src[] = { "T-SRC" };

	ck_assert_str_eq(merge("T-SRC", "T-SRC"), "self");
	ck_assert_str_eq(merge("T-SRC", "T-BETA"), "other_customer");
	ck_assert_str_eq(merge("T-SRC", "T-CLO"), "target_closed");
	ck_assert_str_eq(merge("T-CLO", "T-DST"), "source_closed");
	is(&console, &st_state, src, "in_progress v1 c2 f2");
}
END_TEST

START_TEST(merge_moves_everything_and_says_so)
{
	const char *src[] = { "T-SRC" }, *dst[] = { "T-DST" }, *res[] = { "T-RES" };

	ck_assert_str_eq(merge("T-SRC", "T-DST"), "merged");
	/* Left with only the note saying where it went. */
	is(&console, &st_state, src, "cancelled v2 c1 f0");
	/* Two comments moved and one system comment for the customer. */
	is(&console, &st_state, dst, "new v2 c3 f2");
	is(&console, &st_events, src, "status:in_progress>cancelled,merged_into:>T-DST");
	is(&console, &st_events, dst, "merged_from:>T-SRC (2 messages, 2 files)");
	/* A resolved duplicate may not be cancelled: it is closed. */
	ck_assert_str_eq(merge("T-RES", "T-DST"), "merged");
	is(&console, &st_state, res, "closed v2 c1 f0");
	/* Once merged, the source cannot be merged again. */
	ck_assert_str_eq(merge("T-SRC", "T-DST"), "source_closed");
}
END_TEST

START_TEST(presence_writes_rarely_and_expires)
{
	struct collab_panel pn;
	char t[24], s1[24], s2[24];
	const char *p1[] = { t, s1, "40 seconds" }, *p2[] = { t, s2, "3 minutes" };
	long long ticket = id_of("T-DST"), a1 = id_of("a1@t.test"), a2 = id_of("a2@t.test");
	char *first, *again;

	snprintf(t, sizeof(t), "%lld", ticket);
	snprintf(s1, sizeof(s1), "%lld", a1);
	snprintf(s2, sizeof(s2), "%lld", a2);
	ck_assert_int_eq(view("T-DST", a1, &pn), 0);
	ck_assert_uint_eq(pn.npresence, 0);
	ck_assert_int_eq(view("T-DST", a2, &pn), 0);
	ck_assert_uint_eq(pn.npresence, 1);
	ck_assert_str_eq(pn.presence[0].name, "Agent One");
	ck_assert_int_eq(pn.presence[0].typing, 0);
	/* Within 30 seconds a view writes nothing. */
	first = text(&owner, &st_seen, p1);
	ck_assert_int_eq(view("T-DST", a1, &pn), 0);
	again = text(&owner, &st_seen, p1);
	ck_assert_str_eq(first, again);
	free(first);
	free(again);
	/* Older than that, it does. */
	ck_assert_int_eq(db_run(&owner, &st_age, p1), 0);
	first = text(&owner, &st_seen, p1);
	ck_assert_int_eq(view("T-DST", a1, &pn), 0);
	again = text(&owner, &st_seen, p1);
	ck_assert_str_ne(first, again);
	free(first);
	free(again);
	ck_assert_uint_eq(pn.npresence, 1);	/* Agent Two */
	/* Writing, then gone for three minutes: no longer shown. */
	ck_assert_int_eq(collab_presence_typing(&console, "T-DST", a2, 1), 0);
	ck_assert_int_eq(view("T-DST", a1, &pn), 0);
	ck_assert_uint_eq(pn.npresence, 1);
	ck_assert_int_eq(pn.presence[0].typing, 1);
	ck_assert_int_eq(db_run(&owner, &st_age, p2), 0);
	ck_assert_int_eq(view("T-DST", a1, &pn), 0);
	ck_assert_uint_eq(pn.npresence, 0);
	ck_assert_int_eq(collab_presence_typing(&console, "T-NONE", a2, 1), CS_NOT_FOUND);
}
END_TEST

START_TEST(links_both_ways_once)
{
	struct collab_panel pn;
	long long a = id_of("T-DST"), b = id_of("T-BETA"), s = id_of("a1@t.test");
	const char *why = NULL;

	ck_assert_int_eq(collab_link_add(&console, s, a, "T-BETA", &why), 0);
	ck_assert_int_eq(collab_link_add(&console, s, b, "T-DST", &why), CS_REFUSED);
	ck_assert_int_eq(collab_link_add(&console, s, a, "T-DST", &why), CS_REFUSED);
	ck_assert_int_eq(collab_link_add(&console, s, a, "T-NONE", &why), CS_REFUSED);
	ck_assert_int_eq(view("T-BETA", s, &pn), 0);
	ck_assert_uint_eq(pn.nlinks, 1);
	ck_assert_str_eq(pn.links[0].number, "T-DST");
	ck_assert_str_eq(pn.links[0].kind, "related");
	ck_assert_int_eq(pn.links[0].outgoing, 0);
	ck_assert_int_eq(collab_link_remove(&console, s, b, a), 0);
	ck_assert_int_eq(collab_link_remove(&console, s, b, a), CS_NOT_FOUND);
	ck_assert_int_eq(view("T-BETA", s, &pn), 0);
	ck_assert_uint_eq(pn.nlinks, 0);
}
END_TEST

static struct db_stmt st_ev_tickets = DB_STMT("t_c_ev_tickets",
    "WITH c AS (INSERT INTO customers (name) VALUES ('Gamma Ltd') RETURNING id)"
    " INSERT INTO tickets (number, customer_id, channel, subject, description, status)"
    " SELECT v.n, c.id, 'phone', 'Events', 'd', v.st FROM (VALUES ('T-EV1', 'in_progress'),"
    " ('T-EV2', 'new')) AS v (n, st), c", 0);
/* The events of a ticket, oldest first: "type", and a payload field when $2 names one. */
static struct db_stmt st_ev = DB_STMT("t_c_ev",
    "SELECT string_agg(e.type || coalesce(' ' || (e.payload #>> $2::text[]), ''), ','"
    " ORDER BY e.id) FROM domain_events e JOIN tickets t ON t.id = e.aggregate_id"
    " WHERE e.aggregate = 'ticket' AND t.number = $1", 2);

/* Each use case appends its event in its own transaction, next to the history rows. */
START_TEST(changes_append_their_events)
{
	long long s = id_of("a1@t.test"), one, two;
	const char *why = NULL, *target = NULL, *values[TF__MAX] = { 0 };
	const char *ev1[] = { "T-EV1", "{other_number}" }, *ev2[] = { "T-EV2", "{other_number}" };
	const char *merged[] = { "T-EV1", "{target_number}" };
	const char *fields[] = { "T-EV2", "{fields,priority,to}" };
	const char *assigned[] = { "T-EV2", "{assignee_id}" };
	enum ticket_field bad;
	char want[128];
	int changed;

	ck_assert_int_eq(db_run(&owner, &st_ev_tickets, NULL), 0);
	one = id_of("T-EV1");
	two = id_of("T-EV2");
	ck_assert_int_eq(collab_link_add(&console, s, one, "T-EV2", &why), CS_OK);
	is(&owner, &st_ev, ev1, "ticket.linked T-EV2");
	is(&owner, &st_ev, ev2, "ticket.linked T-EV1");
	/* A refusal appends nothing. */
	values[TF_PRIORITY] = "extreme";
	ck_assert_int_eq(ticket_fields_set(&console, s, two, values, &bad, &changed, &why),
	    CS_REFUSED);
	ck_assert_int_eq(bad, TF_PRIORITY);
	values[TF_PRIORITY] = "high";
	values[TF_TAGS] = "b a";
	ck_assert_int_eq(ticket_fields_set(&console, s, two, values, &bad, &changed, &why),
	    CS_OK);
	ck_assert_int_eq(changed, 2);
	is(&owner, &st_ev, fields, "ticket.linked,ticket.fields_changed high");
	ck_assert_int_eq(ticket_assign(&console, s, two, 0, s, &why), CS_OK);
	/* A new ticket given to an agent is also assigned by status (tickets.h). */
	snprintf(want, sizeof(want), "ticket.linked,ticket.fields_changed,ticket.assigned %lld,"
	    "ticket.status_changed", s);
	is(&owner, &st_ev, assigned, want);
	ck_assert_int_eq(collab_merge(&console, arena, s, one, "T-EV2", &target, &why), CS_OK);
	ck_assert_str_eq(target, "T-EV2");
	is(&owner, &st_ev, merged, "ticket.linked,ticket.merged T-EV2");
}
END_TEST

static struct db_stmt st_many = DB_STMT("t_c_many",
    "INSERT INTO tickets (customer_id, channel, subject, description, product_id, serial)"
    " SELECT c.id, 'phone', 'bulk', 'd', p.id, 'S-' || (g % 3) FROM customers c, products p,"
    " generate_series(1, $1::integer) g WHERE c.name = 'Beta Ltd' AND p.sku = 'P-1'", 1);

START_TEST(customer_panel_looks_at_recent_tickets_only)
{
	struct collab_panel pn;
	const char *n[] = { "1001" };

	ck_assert_int_eq(collab_panel(&console, arena, "T-DST", id_of("a1@t.test"), &pn), 0);
	ck_assert_str_eq(pn.customer.name, "Alpha Ltd");
	ck_assert_int_eq(pn.customer.tickets, 4);
	ck_assert_int_eq(pn.customer.open_tickets, 1);
	ck_assert_int_eq(pn.customer.tickets_more, 0);
	ck_assert_uint_eq(pn.customer.nproducts, 0);
	/* A customer with a long history: counted up to the cap, said so. */
	ck_assert_int_eq(db_run(&owner, &st_many, n), 0);
	ck_assert_int_eq(collab_panel(&console, arena, "T-BETA", id_of("a1@t.test"), &pn), 0);
	ck_assert_int_eq(pn.customer.tickets, 1000);
	ck_assert_int_eq(pn.customer.tickets_more, 1);
	ck_assert_uint_eq(pn.customer.nproducts, 1);
	ck_assert_str_eq(pn.customer.products[0].name, "Kettle");
	ck_assert_str_eq(pn.customer.products[0].serials, "S-0, S-1, S-2");
}
END_TEST

static struct db_stmt st_old_presence = DB_STMT("t_c_old_presence",
    "INSERT INTO ticket_presence (ticket_id, staff_id, since, seen_at)"
    " SELECT t.id, s.id, now() - interval '2 days', now() - interval '2 days'"
    " FROM tickets t, staff s WHERE t.number = 'T-CLO'", 0);
static struct db_stmt st_presence_left = DB_STMT("t_c_presence_left",
    "SELECT count(*) FILTER (WHERE seen_at < now() - interval '1 day') || ' old, ' ||"
    " (count(*) FILTER (WHERE seen_at >= now() - interval '1 day') > 0) || ' recent'"
    " FROM ticket_presence", 0);

START_TEST(batch_prunes_old_presence)
{
	char dir[] = "/tmp/csdesk-collab-XXXXXX", out[64];
	FILE *f;
	char line[512];
	int found = 0;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(db_run(&owner, &st_old_presence, NULL), 0);
	ck_assert_int_eq(th_sh("env -u CSDESK_SMTP_URL CSDESK_DB='%s' CSDESK_MAIL_DIR='%s'"
	    " '%s/csdesk' batch > '%s/o' 2>&1", conninfo, dir, th_build_dir(), dir), 0);
	snprintf(out, sizeof(out), "%s/o", dir);
	f = fopen(out, "r");
	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f) != NULL)
		found |= strstr(line, "; 2 ticket presence rows older than a day deleted") != NULL;
	fclose(f);
	ck_assert_msg(found, "the housekeeping line does not count the presence rows");
	/* The recent rows of the other tests stay. */
	is(&owner, &st_presence_left, NULL, "0 old, true recent");
	th_sh("rm -rf '%s'", dir);
}
END_TEST

Suite *ticket_collab_suite(void);

Suite *
ticket_collab_suite(void)
{
	Suite *s = suite_create("ticket_collab");
	TCase *tc = tcase_create("ticket_collab");

	tcase_add_unchecked_fixture(tc, setup_db, teardown_db);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, merge_refusals_change_nothing);
	tcase_add_test(tc, merge_moves_everything_and_says_so);
	tcase_add_test(tc, presence_writes_rarely_and_expires);
	tcase_add_test(tc, links_both_ways_once);
	tcase_add_test(tc, changes_append_their_events);
	tcase_add_test(tc, customer_panel_looks_at_recent_tickets_only);
	tcase_add_test(tc, batch_prunes_old_presence);
	suite_add_tcase(s, tc);
	return s;
}
