/*
 * The console's ticket pages through nginx: staff see and filter tickets,
 * page by keyset, search words, numbers and e-mails, reply publicly and
 * internally, change status only as the workflow allows (a resolve needs
 * a code), act on many tickets at once with an event each, export CSV
 * that a spreadsheet cannot turn into a formula, filter by SLA state and
 * sort by SLA due time, find a ticket by a word in an internal note; a
 * customer's session never reaches any of it.
 *
 * The tickets made in setup are only read; a test that replies, changes
 * a status or assigns makes its own tickets (tests/lib/fixtures.h).
 */
#include "identity.h"
#include "../lib/dispatch.h"
#include "../lib/fixtures.h"
#include "auth/password.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/tickets.h"

#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define AGENT_PW "copper lantern orchard 7"
#define CUSTOMER_PW "saffron kettle meadow 42"
#define NPAGED 60
/* What ends the list's link to its next page. */
#define NEXT_LINK "\" rel=\"next\">Next page</a>"

static struct th_stack stack;
static char *db;
static long long agent_id, other_id, customer_id;
static char word_ticket[32], csv_ticket[32], paged[NPAGED][32];
static char q1[24], q2[24], q3[24];
/* In queue q3: due two hours ago (breached), in an hour, in three days. */
static char sla_overdue[32], sla_soon[32], sla_later[32];

static const char csv_subject[] = "=HYPERLINK(\"http://x.test\"), with \"quotes\"";

/* Creates a ticket as the system; its number into out. */
static long long
create(struct db *d, const char *subject, const char *description, char *out, size_t size)
{
	struct arena *a = arena_new(4096);
	struct ticket_actor_ref by = { TA_SYSTEM, 0, 0, 0, 0 };
	struct ticket_new t = { 0 };
	struct ticket_opened op;
	const char *why = NULL;

	ck_assert_ptr_nonnull(a);
	t.customer_id = customer_id;
	t.channel = "phone";
	t.subject = subject;
	t.description = description;
	ck_assert_msg(ticket_open(d, a, &by, &t, &op, &why) == CS_OK, "create: %s",
	    why ? why : "error");
	snprintf(out, size, "%s", op.number);
	arena_free(a);
	return op.id;
}

static void
setup(void)
{
	struct db d;
	char hash[PASSWORD_HASH_MAX], sub[64], *v;
	long long uid;
	int i;

	ck_assert_int_ge(sodium_init(), 0);
	db = th_db_create("console_tickets");
	ck_assert_int_eq(db_open(&d, db, "console-tickets-setup"), 0);
	ck_assert_int_eq(password_hash(AGENT_PW, hash), 0);
	agent_id = staff_fixture(&d, "agent@acme.test", "Alex Agent", hash, "agent");
	ck_assert_int_gt(agent_id, 0);
	other_id = staff_fixture(&d, "bea@acme.test", "Bea Backup", hash, "agent");
	ck_assert_int_gt(other_id, 0);
	ck_assert_int_eq(password_hash(CUSTOMER_PW, hash), 0);
	customer_id = customer_fixture(&d, "Carla Customer", "person", "vip", "en",
	    "carla@cust.test", "Carla Customer", hash, 1, &uid);
	ck_assert_int_gt(customer_id, 0);
	db_close(&d);
	v = sql_owner(db, "INSERT INTO queues (name, auto_assign) VALUES ('Printers', false)"
	    " RETURNING id", NULL);
	snprintf(q1, sizeof(q1), "%s", v);
	free(v);
	v = sql_owner(db, "INSERT INTO queues (name, auto_assign) VALUES ('Bulk', false)"
	    " RETURNING id", NULL);
	snprintf(q2, sizeof(q2), "%s", v);
	free(v);
	v = sql_owner(db, "INSERT INTO queues (name, auto_assign) VALUES ('Boilers', false)"
	    " RETURNING id", NULL);
	snprintf(q3, sizeof(q3), "%s", v);
	free(v);
	free(sql_owner(db, "INSERT INTO resolution_codes (code, label) VALUES ($1, 'Fixed')",
	    "fixed"));
	ck_assert_int_eq(db_open(&d, db, "console-tickets-setup"), 0);
	create(&d, "Printer jams", "The zeppelin printer makes a grinding noise.", word_ticket,
	    sizeof(word_ticket));
	create(&d, csv_subject, "Line one,\r\nline two", csv_ticket, sizeof(csv_ticket));
	for (i = 0; i < NPAGED; i++) {
		snprintf(sub, sizeof(sub), "Paged ticket %d", i);
		create(&d, sub, "Nothing special.", paged[i], sizeof(paged[i]));
	}
	create(&d, "Boiler overdue", "Cold radiators.", sla_overdue, sizeof(sla_overdue));
	create(&d, "Boiler soon", "Odd smell.", sla_soon, sizeof(sla_soon));
	create(&d, "Boiler later", "Service visit.", sla_later, sizeof(sla_later));
	db_close(&d);
	free(sql_owner(db, "UPDATE tickets SET queue_id = $1::bigint WHERE subject LIKE 'Boiler%'",
	    q3));
	free(sql_owner(db, "UPDATE tickets SET sla_policy_id = (SELECT min(id) FROM sla_policies),"
	    " sla_paused_at = NULL, next_response_due_at = NULL, next_response_warn_at = NULL,"
	    " resolution_due_at = now() + interval '10 days',"
	    " resolution_warn_at = now() + interval '8 days',"
	    " first_response_due_at = now() + CASE subject WHEN 'Boiler overdue'"
	    "  THEN interval '-2 hours' WHEN 'Boiler soon' THEN interval '1 hour'"
	    "  ELSE interval '3 days' END,"
	    " first_response_warn_at = now() + CASE subject WHEN 'Boiler overdue'"
	    "  THEN interval '-3 hours' WHEN 'Boiler soon' THEN interval '50 minutes'"
	    "  ELSE interval '2 days' END"
	    " WHERE queue_id = $1::bigint", q3));
	free(sql_owner(db, "UPDATE tickets SET queue_id = $1::bigint WHERE subject = 'Printer jams'",
	    q1));
	free(sql_owner(db, "UPDATE tickets SET queue_id = $1::bigint WHERE subject LIKE 'Paged%'",
	    q2));
	th_stack_start(&stack, db, 2, NULL);
}

static void
teardown(void)
{
	th_stack_stop(&stack);
	th_db_drop(db);
	free(db);
}

static void
staff_sign_in(struct jar *j)
{
	web_staff_sign_in(&stack, j, "agent@acme.test", AGENT_PW);
}

START_TEST(staff_see_and_filter_tickets)
{
	struct jar j = { 0 };
	struct th_resp r;
	char path[128];

	staff_sign_in(&j);
	r = web_get_want(&stack, &j, "/agent/tickets?sort=age", 200);
	assert_has(&r, word_ticket);
	assert_has(&r, "Printer jams");
	assert_has(&r, "Carla Customer");
	th_resp_free(&r);

	r = web_get_want(&stack, &j, "/agent/tickets?status=new&sort=age", 200);
	assert_has(&r, word_ticket);
	th_resp_free(&r);
	r = web_get_want(&stack, &j, "/agent/tickets?status=closed", 200);
	assert_lacks(&r, word_ticket);
	th_resp_free(&r);

	snprintf(path, sizeof(path), "/agent/tickets?queue=%s", q1);
	r = web_get_want(&stack, &j, path, 200);
	assert_has(&r, word_ticket);
	assert_lacks(&r, paged[0]);
	th_resp_free(&r);

	/* Every filter at once. */
	r = web_get_want(&stack, &j,
	    "/agent/tickets?assignee=none&sla=on_track&sort=priority&priority=medium"
	    "&channel=phone&created_from=2000-01-01&updated_to=2999-12-31&q=printer", 200);
	assert_has(&r, word_ticket);
	th_resp_free(&r);
	r = web_get_want(&stack, &j, "/agent/tickets?assignee=me&sort=age", 200);
	assert_lacks(&r, word_ticket);
	th_resp_free(&r);

	r = web_get(&stack, &j, "/agent/tickets?status=bogus");
	ck_assert_int_eq(r.status, 400);
	th_resp_free(&r);
	r = web_get(&stack, &j, "/agent/tickets?after=x'--&after_id=1");
	ck_assert_int_eq(r.status, 400);
	th_resp_free(&r);

	/* The dashboard counts from ticket_counts, with links. */
	r = web_get_want(&stack, &j, "/agent/", 200);
	assert_has(&r, "Printers");
	assert_has(&r, "/agent/tickets?status=new");
	assert_has(&r, "My open tickets");
	th_resp_free(&r);
}
END_TEST

START_TEST(keyset_pages_through_sixty_tickets)
{
	struct jar j = { 0 };
	struct th_resp r;
	char path[512], next[512];
	int first, second, i;

	staff_sign_in(&j);
	snprintf(path, sizeof(path), "/agent/tickets?queue=%s", q2);
	r = web_get_want(&stack, &j, path, 200);
	first = web_occurrences(r.body, "name=\"ticket\"");
	ck_assert_int_eq(first, 50);
	web_href_before(r.body, NEXT_LINK, next, sizeof(next));
	ck_assert_msg(next[0] != '\0', "no next page link");
	th_resp_free(&r);

	r = web_get_want(&stack, &j, next, 200);
	second = web_occurrences(r.body, "name=\"ticket\"");
	ck_assert_int_eq(second, NPAGED - 50);
	web_href_before(r.body, NEXT_LINK, path, sizeof(path));
	ck_assert_str_eq(path, "");
	/* Newest update first: the oldest ten are on the second page. */
	for (i = 0; i < NPAGED - 50; i++) {
		char cell[96];

		snprintf(cell, sizeof(cell), "value=\"%.31s\"", paged[i]);
		assert_has(&r, cell);
	}
	th_resp_free(&r);

	/* The same by priority and by age: every ticket once. */
	snprintf(path, sizeof(path), "/agent/tickets?queue=%s&sort=age", q2);
	r = web_get_want(&stack, &j, path, 200);
	ck_assert_int_eq(web_occurrences(r.body, "name=\"ticket\""), 50);
	web_href_before(r.body, NEXT_LINK, next, sizeof(next));
	th_resp_free(&r);
	r = web_get_want(&stack, &j, next, 200);
	ck_assert_int_eq(web_occurrences(r.body, "name=\"ticket\""), 10);
	th_resp_free(&r);
	snprintf(path, sizeof(path), "/agent/tickets?queue=%s&sort=priority", q2);
	r = web_get_want(&stack, &j, path, 200);
	ck_assert_int_eq(web_occurrences(r.body, "name=\"ticket\""), 50);
	web_href_before(r.body, NEXT_LINK, next, sizeof(next));
	th_resp_free(&r);
	r = web_get_want(&stack, &j, next, 200);
	ck_assert_int_eq(web_occurrences(r.body, "name=\"ticket\""), 10);
	th_resp_free(&r);
}
END_TEST

START_TEST(search_words_numbers_and_emails)
{
	struct jar j = { 0 };
	struct th_resp r;
	char path[128];

	staff_sign_in(&j);
	r = web_get_want(&stack, &j, "/agent/tickets?q=zeppelin", 200);
	assert_has(&r, word_ticket);
	assert_has(&r, "<mark>zeppelin</mark>");
	assert_lacks(&r, paged[0]);
	th_resp_free(&r);

	snprintf(path, sizeof(path), "/agent/tickets?q=%s", paged[7]);
	r = web_get_want(&stack, &j, path, 200);
	ck_assert_int_eq(web_occurrences(r.body, "name=\"ticket\""), 1);
	assert_has(&r, paged[7]);
	th_resp_free(&r);

	r = web_get_want(&stack, &j, "/agent/tickets?q=Carla%40Cust.test&sort=age", 200);
	assert_has(&r, word_ticket);
	th_resp_free(&r);
	r = web_get_want(&stack, &j, "/agent/tickets?q=nobody%40cust.test", 200);
	assert_lacks(&r, word_ticket);
	th_resp_free(&r);
}
END_TEST

/* Where s first is in the page; fails when absent. */
static const char *
position(const struct th_resp *r, const char *s)
{
	const char *at = r->body != NULL ? strstr(r->body, s) : NULL;

	ck_assert_msg(at != NULL, "page lacks \"%s\"", s);
	return at;
}

START_TEST(sla_states_and_due_order)
{
	struct jar j = { 0 };
	struct th_resp r;
	char path[128];
	const char *a, *b, *c;

	staff_sign_in(&j);
	snprintf(path, sizeof(path), "/agent/tickets?queue=%s&sla=breached", q3);
	r = web_get_want(&stack, &j, path, 200);
	assert_has(&r, sla_overdue);
	assert_lacks(&r, sla_soon);
	assert_lacks(&r, sla_later);
	assert_has(&r, "<option value=\"breached\" selected>");
	th_resp_free(&r);
	snprintf(path, sizeof(path), "/agent/tickets?queue=%s&sla=on_track", q3);
	r = web_get_want(&stack, &j, path, 200);
	assert_lacks(&r, sla_overdue);
	assert_has(&r, sla_soon);
	assert_has(&r, sla_later);
	th_resp_free(&r);
	/* The soon one warned ten minutes ago: amber, not green. */
	free(sql_owner(db,
	    "UPDATE tickets SET first_response_warn_at = now() - interval '10 minutes'"
	    " WHERE number = $1", sla_soon));
	snprintf(path, sizeof(path), "/agent/tickets?queue=%s&sla=at_risk", q3);
	r = web_get_want(&stack, &j, path, 200);
	assert_has(&r, sla_soon);
	assert_lacks(&r, sla_overdue);
	assert_lacks(&r, sla_later);
	th_resp_free(&r);

	/* Soonest due first: overdue, in an hour, in three days. */
	snprintf(path, sizeof(path), "/agent/tickets?queue=%s&sort=sla", q3);
	r = web_get_want(&stack, &j, path, 200);
	a = position(&r, sla_overdue);
	b = position(&r, sla_soon);
	c = position(&r, sla_later);
	ck_assert_msg(a < b && b < c, "not in due order");
	assert_has(&r, "<option value=\"sla\" selected>");
	th_resp_free(&r);
	/* By last update the latest due comes first: the order came from the due times. */
	snprintf(path, sizeof(path), "/agent/tickets?queue=%s&sort=update", q3);
	free(sql_owner(db, "UPDATE tickets SET updated_at = now() + interval '1 minute'"
	    " WHERE number = $1", sla_later));
	r = web_get_want(&stack, &j, path, 200);
	ck_assert_msg(position(&r, sla_later) < position(&r, sla_overdue), "not by update");
	th_resp_free(&r);

	r = web_get(&stack, &j, "/agent/tickets?sla=late");
	ck_assert_int_eq(r.status, 400);
	th_resp_free(&r);
}
END_TEST

/* A word only an internal note has finds its ticket, with the note as snippet. */
START_TEST(search_finds_words_in_internal_notes)
{
	struct jar j = { 0 };
	struct th_resp r;
	struct fx_person cust;
	struct fx_ticket t;
	char path[128], page[128];

	fx_customer(db, "Nora Notes", NULL, "standard", &cust);
	fx_ticket(db, &cust, "Valve squeaks", &t);
	staff_sign_in(&j);
	r = web_get_want(&stack, &j, "/agent/tickets?q=quokkafeather", 200);
	assert_lacks(&r, t.number);
	th_resp_free(&r);
	snprintf(page, sizeof(page), "/agent/tickets/%s", t.number);
	snprintf(path, sizeof(path), "/agent/tickets/%s/replies", t.number);
	r = web_post(&stack, &j, path, page,
	    "body=The+quokkafeather+valve+is+on+back+order.&visibility=internal");
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
	r = web_get_want(&stack, &j, "/agent/tickets?q=quokkafeather", 200);
	assert_has(&r, t.number);
	assert_has(&r, "<mark>quokkafeather</mark>");
	assert_lacks(&r, sla_overdue);
	assert_lacks(&r, word_ticket);
	th_resp_free(&r);
}
END_TEST

START_TEST(public_reply_and_internal_note)
{
	struct jar j = { 0 };
	struct th_resp r;
	struct fx_person cust;
	struct fx_ticket t, other;
	char path[128], page[128];

	fx_customer(db, "Vera Vip", NULL, "vip", &cust);
	fx_ticket(db, &cust, "Roller worn", &other);
	fx_ticket(db, &cust, "Printer squeals", &t);
	staff_sign_in(&j);
	snprintf(page, sizeof(page), "/agent/tickets/%s", t.number);
	r = web_get_want(&stack, &j, page, 200);
	assert_has(&r, "Details of the problem.");
	assert_has(&r, "Vera Vip");
	assert_has(&r, "vip");
	assert_has(&r, other.number);	/* the customer's other tickets */
	th_resp_free(&r);

	snprintf(path, sizeof(path), "/agent/tickets/%s/replies", t.number);
	r = web_post(&stack, &j, path, page,
	    "body=Please+try+a+new+roller.&visibility=public&minutes=5");
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
	r = web_post(&stack, &j, path, page,
	    "body=Customer+sounds+annoyed.&visibility=internal&minutes=2");
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
	r = web_post(&stack, &j, path, page, "body=&visibility=public");
	ck_assert_int_eq(r.status, 422);
	th_resp_free(&r);
	/* Markdown is rendered, raw HTML is not passed through. */
	r = web_post(&stack, &j, path, page,
	    "body=**Roller**+ordered+%3Cscript%3Ealert(1)%3C%2Fscript%3E&visibility=internal");
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);

	r = web_get_want(&stack, &j, page, 200);
	assert_has(&r, "Please try a new roller.");
	assert_has(&r, "Customer sounds annoyed.");
	assert_has(&r, "<strong>Roller</strong>");
	assert_lacks(&r, "<script>alert(1)");
	ck_assert_int_eq(web_occurrences(r.body, "comment-internal"), 2);
	th_resp_free(&r);
	ck_assert_int_eq(sql_owner_ll(db, "SELECT count(*) FROM ticket_comments c JOIN tickets t"
	    " ON t.id = c.ticket_id WHERE t.number = $1 AND c.kind = 'internal'", t.number), 2);
	ck_assert_int_eq(sql_owner_ll(db, "SELECT count(*) FROM ticket_comments c JOIN tickets t"
	    " ON t.id = c.ticket_id WHERE t.number = $1 AND c.kind = 'public'", t.number), 1);
}
END_TEST

START_TEST(status_changes_follow_the_workflow)
{
	struct jar j = { 0 };
	struct th_resp r;
	char path[128], page[128];
	struct fx_person cust;
	struct fx_ticket t;
	char *st;

	fx_customer(db, "Walt Workflow", NULL, "standard", &cust);
	fx_ticket(db, &cust, "Workflow ticket", &t);
	staff_sign_in(&j);
	snprintf(page, sizeof(page), "/agent/tickets/%s", t.number);
	snprintf(path, sizeof(path), "/agent/tickets/%s/status", t.number);
	r = web_get_want(&stack, &j, page, 200);
	/* Only allowed moves are offered: new cannot be closed. */
	assert_lacks(&r, "<option value=\"closed\">");
	assert_has(&r, "<option value=\"in_progress\">");
	th_resp_free(&r);

	r = web_post(&stack, &j, path, page, "status=closed");
	ck_assert_int_eq(r.status, 422);
	th_resp_free(&r);
	st = sql_owner(db, "SELECT status || '/' || version FROM tickets WHERE number = $1",
	    t.number);
	ck_assert_str_eq(st, "new/1");
	free(st);

	r = web_post(&stack, &j, path, page, "status=resolved&resolution_code=");
	ck_assert_int_eq(r.status, 422);
	th_resp_free(&r);
	st = sql_owner(db, "SELECT status FROM tickets WHERE number = $1", t.number);
	ck_assert_str_eq(st, "new");
	free(st);

	r = web_post(&stack, &j, path, page,
	    "status=resolved&resolution_code=fixed&root_cause=Worn+roller");
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
	st = sql_owner(db, "SELECT status || '/' || coalesce(root_cause, '') FROM tickets"
	    " WHERE number = $1", t.number);
	ck_assert_str_eq(st, "resolved/Worn roller");
	free(st);
	r = web_get_want(&stack, &j, page, 200);
	assert_has(&r, "resolved");
	th_resp_free(&r);
}
END_TEST

/*
 * An assignment by hand mails the agent from its event: nothing before the
 * dispatcher runs, once after, however often it runs, even when the worker
 * that made it dies right after the commit.
 */
START_TEST(assignment_mails_the_agent_once_even_when_the_worker_dies)
{
	struct jar j = { 0 };
	struct th_resp r;
	struct fx_person cust, agent;
	struct fx_ticket t;
	char path[160], page[128], body[64];
	pid_t workers[8];
	int i, nw;

	fx_staff(db, "Ida Assigned", "agent", &agent);
	fx_customer(db, "Asa Assign", NULL, "standard", &cust);
	fx_ticket(db, &cust, "Assign me", &t);
	staff_sign_in(&j);
	snprintf(page, sizeof(page), "/agent/tickets/%s", t.number);
	snprintf(path, sizeof(path), "%s/assign", page);
	snprintf(body, sizeof(body), "team_id=&agent_id=%lld", agent.id);
	r = web_post(&stack, &j, path, page, body);
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
	ck_assert_int_eq(sql_owner_ll(db,
	    "SELECT count(*) FROM notifications WHERE kind = 'ticket_assigned'"
	    " AND recipient = $1", agent.email), 0);
	/* Nothing after the commit is needed: the workers die now. */
	nw = th_children(stack.console, workers, 8);
	for (i = 0; i < nw; i++)
		kill(workers[i], SIGKILL);
	th_dispatch(db);
	th_dispatch(db);
	ck_assert_int_eq(sql_owner_ll(db,
	    "SELECT count(*) FROM notifications WHERE kind = 'ticket_assigned'"
	    " AND recipient = $1", agent.email), 1);
}
END_TEST

/* Three fresh tickets of a fresh customer; their numbers into t. */
static void
three_tickets(const char *customer, struct fx_ticket t[3])
{
	struct fx_person cust;
	int i;

	fx_customer(db, customer, NULL, "standard", &cust);
	for (i = 0; i < 3; i++)
		fx_ticket(db, &cust, "Bulk ticket", &t[i]);
}

START_TEST(bulk_assign_records_an_event_per_ticket)
{
	struct jar j = { 0 };
	struct th_resp r;
	struct fx_person agent;
	struct fx_ticket t[3];
	char body[512], id[24], sql[256];

	/* An agent of their own, so that "mine" counts only these three. */
	fx_staff(db, "Bo Bulk", "agent", &agent);
	three_tickets("Bulk Assign", t);
	web_staff_sign_in(&stack, &j, agent.email, FX_PASSWORD);
	snprintf(id, sizeof(id), "%lld", agent.id);
	snprintf(body, sizeof(body), "ticket=%s&ticket=%s&ticket=%s&action=assign&value=agent%%3A%lld"
	    "&return=%%2Fagent%%2Ftickets%%3Fassignee%%3Dme", t[0].number, t[1].number,
	    t[2].number, agent.id);
	r = web_post(&stack, &j, "/agent/tickets/bulk", "/agent/tickets", body);
	ck_assert_int_eq(r.status, 303);
	ck_assert_str_eq(th_header(&r, "Location"), "/agent/tickets?assignee=me");
	th_resp_free(&r);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM ticket_events e JOIN tickets t ON"
	    " t.id = e.ticket_id WHERE e.field = 'assignee' AND e.actor_kind = 'staff'"
	    " AND t.number IN ('%s', '%s', '%s')", t[0].number, t[1].number, t[2].number);
	ck_assert_int_eq(sql_owner_ll(db, sql, NULL), 3);
	ck_assert_int_eq(sql_owner_ll(db,
	    "SELECT count(*) FROM tickets WHERE assignee_id = $1::bigint",
	    id), 3);
	ck_assert_int_eq(sql_owner_ll(db, "SELECT open_tickets FROM staff WHERE id = $1::bigint",
	    id), 3);
	r = web_get_want(&stack, &j, "/agent/tickets?assignee=me", 200);
	assert_has(&r, t[1].number);
	th_resp_free(&r);
	r = web_get_want(&stack, &j, "/agent/", 200);
	assert_has(&r, "<span class=\"count\" id=\"mine-open\">3</span>");
	th_resp_free(&r);
}
END_TEST

/* A status the workflow refuses for some is reported, the rest change. */
START_TEST(bulk_status_and_priority_change_what_the_workflow_allows)
{
	struct jar j = { 0 };
	struct th_resp r;
	struct fx_ticket t[3];
	char body[512];
	char *v;

	three_tickets("Bulk Status", t);
	staff_sign_in(&j);
	snprintf(body, sizeof(body), "ticket=%s&ticket=%s&action=status&value=closed",
	    t[0].number, t[1].number);
	r = web_post(&stack, &j, "/agent/tickets/bulk", "/agent/tickets", body);
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
	v = sql_owner(db,
	    "SELECT string_agg(DISTINCT status, ',') FROM tickets WHERE number IN ($1)",
	    t[0].number);
	ck_assert_str_eq(v, "new");
	free(v);
	snprintf(body, sizeof(body), "ticket=%s&ticket=%s&action=priority&value=urgent",
	    t[0].number, t[1].number);
	r = web_post(&stack, &j, "/agent/tickets/bulk", "/agent/tickets", body);
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
	ck_assert_int_eq(sql_owner_ll(db, "SELECT count(*) FROM ticket_events e JOIN tickets t ON"
	    " t.id = e.ticket_id WHERE e.field = 'priority' AND t.number = $1", t[1].number), 1);
}
END_TEST

/* Splits one CSV record at *p (RFC 4180) into fields; returns how many. */
static int
csv_record(const char **p, char fields[][256], int max)
{
	const char *s = *p;
	int n = 0;

	for (;;) {
		size_t k = 0;

		ck_assert_int_lt(n, max);
		if (*s == '"') {
			for (s++;; s++) {
				ck_assert_msg(*s != '\0', "unterminated quoted field");
				if (*s == '"' && s[1] == '"')
					s++;
				else if (*s == '"')
					break;
				if (k + 1 < 256)
					fields[n][k++] = *s;
			}
			s++;
		} else {
			while (*s != ',' && *s != '\r' && *s != '\0') {
				ck_assert_msg(*s != '"' && *s != '\n', "bare quote or LF");
				if (k + 1 < 256)
					fields[n][k++] = *s;
				s++;
			}
		}
		fields[n++][k] = '\0';
		if (*s == ',') {
			s++;
			continue;
		}
		ck_assert_msg(s[0] == '\r' && s[1] == '\n', "record does not end in CRLF");
		*p = s + 2;
		return n;
	}
}

START_TEST(csv_export_parses)
{
	struct jar j = { 0 };
	struct th_resp r;
	char fields[16][256], expect[128];
	const char *p, *ct, *cd;
	int n, rows = 0, found = 0;

	staff_sign_in(&j);
	r = web_get_want(&stack, &j, "/agent/tickets.csv?status=open", 200);
	/* th_header answers in one static buffer: check each before the next. */
	ct = th_header(&r, "Content-Type");
	ck_assert_ptr_nonnull(ct);
	ck_assert_msg(strncmp(ct, "text/csv", 8) == 0, "Content-Type %s", ct);
	cd = th_header(&r, "Content-Disposition");
	ck_assert_ptr_nonnull(cd);
	ck_assert_msg(strncmp(cd, "attachment", 10) == 0, "Content-Disposition %s", cd);
	p = r.body;
	n = csv_record(&p, fields, 16);
	ck_assert_int_eq(n, 11);
	ck_assert_str_eq(fields[0], "number");
	snprintf(expect, sizeof(expect), "'%s", csv_subject);
	while (*p != '\0') {
		n = csv_record(&p, fields, 16);
		ck_assert_int_eq(n, 11);
		rows++;
		if (strcmp(fields[0], csv_ticket) == 0) {
			found = 1;
			ck_assert_str_eq(fields[1], expect);
			ck_assert_str_eq(fields[2], "Carla Customer");
		}
	}
	ck_assert_int_ge(rows, NPAGED);
	ck_assert_msg(found, "the CSV lacks %s", csv_ticket);
	th_resp_free(&r);
}
END_TEST

START_TEST(customer_sessions_never_reach_console_tickets)
{
	struct jar c = { 0 };
	struct th_resp r;
	char path[128];
	const char *paths[4];
	int i;

	r = web_post(&stack, &c, "/login", "/login",
	    "email=carla@cust.test&password=saffron+kettle+meadow+42");
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
	snprintf(path, sizeof(path), "/agent/tickets/%s", word_ticket);
	paths[0] = "/agent/tickets";
	paths[1] = "/agent/tickets.csv";
	paths[2] = path;
	paths[3] = "/agent/";
	for (i = 0; i < 4; i++) {
		r = web_get(&stack, &c, paths[i]);
		ck_assert_msg(r.status == 303 || r.status == 403 || r.status == 401,
		    "%s answered %ld to a customer", paths[i], r.status);
		assert_lacks(&r, word_ticket);
		th_resp_free(&r);
	}
	snprintf(path, sizeof(path), "/agent/tickets/%s/replies", word_ticket);
	r = web_post(&stack, &c, path, NULL, "body=hi&visibility=internal");
	ck_assert_msg(r.status != 303 || strstr(th_header(&r, "Location"), "login") != NULL,
	    "a customer's post went through");
	th_resp_free(&r);
	ck_assert_int_eq(sql_owner_ll(db, "SELECT count(*) FROM ticket_comments WHERE body = 'hi'",
	    NULL),
	    0);
}
END_TEST

Suite *http_console_tickets_suite(void);

Suite *
http_console_tickets_suite(void)
{
	Suite *s = suite_create("http_console_tickets");
	TCase *tc = tcase_create("console_tickets");

	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, staff_see_and_filter_tickets);
	tcase_add_test(tc, keyset_pages_through_sixty_tickets);
	tcase_add_test(tc, search_words_numbers_and_emails);
	tcase_add_test(tc, sla_states_and_due_order);
	tcase_add_test(tc, search_finds_words_in_internal_notes);
	tcase_add_test(tc, public_reply_and_internal_note);
	tcase_add_test(tc, status_changes_follow_the_workflow);
	tcase_add_test(tc, assignment_mails_the_agent_once_even_when_the_worker_dies);
	tcase_add_test(tc, bulk_assign_records_an_event_per_ticket);
	tcase_add_test(tc, bulk_status_and_priority_change_what_the_workflow_allows);
	tcase_add_test(tc, csv_export_parses);
	tcase_add_test(tc, customer_sessions_never_reach_console_tickets);
	suite_add_tcase(s, tc);
	return s;
}
