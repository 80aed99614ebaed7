/*
 * The agent's ticket page through nginx: field changes recorded in the
 * history, resolving only with a resolution code, canned responses (the
 * admin pages, and inserting one with its placeholders filled and
 * escaped), merging a duplicate (and refusing another customer's
 * ticket), links, the notice that a colleague has the ticket open or is
 * writing, a reply held back when the ticket changed meanwhile, @mentions
 * that mail the right colleague, time worked per ticket and per agent,
 * and the customer panel. Each test opens its own tickets; one that
 * merges also has its own customer (tests/lib/fixtures.h).
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

#define PW "copper lantern orchard 7"

static struct th_stack stack;
static char *db;
static long long customer_id, other_customer_id, carla_id, olga_id;
static char product_id[24], team_id[24];

/* A customer's ticket, as the portal makes it; its number into out. */
static long long
create(long long customer, long long requester, const char *subject, char *out, size_t size)
{
	struct db d;
	struct arena *a = arena_new(4096);
	struct ticket_actor_ref by = { TA_CUSTOMER, requester, customer, 1, 0 };
	struct ticket_new t = { 0 };
	struct ticket_opened op;
	const char *why = NULL;

	ck_assert_ptr_nonnull(a);
	ck_assert_int_eq(db_open(&d, db, "ticket-page-setup"), 0);
	t.customer_id = customer;
	t.requester_id = requester;
	t.channel = "portal";
	t.subject = subject;
	t.description = "Details of the problem.";
	ck_assert_msg(ticket_open(&d, a, &by, &t, &op, &why) == CS_OK, "create: %s",
	    why ? why : "error");
	snprintf(out, size, "%s", op.number);
	db_close(&d);
	arena_free(a);
	return op.id;
}

static void
setup(void)
{
	struct db d;
	char hash[PASSWORD_HASH_MAX], *v;

	ck_assert_int_ge(sodium_init(), 0);
	db = th_db_create("ticket_page");
	ck_assert_int_eq(db_open(&d, db, "ticket-page-setup"), 0);
	ck_assert_int_eq(password_hash(PW, hash), 0);
	ck_assert_int_gt(staff_fixture(&d, "agent@acme.test", "Alex Agent", hash,
	    "agent"), 0);
	ck_assert_int_gt(staff_fixture(&d, "bea@acme.test", "Bea Backup", hash, "agent"),
	    0);
	ck_assert_int_gt(staff_fixture(&d, "root@acme.test", "Ada Admin", hash,
	    "agent,admin"), 0);
	/* A name that is markup: it must reach every page escaped. */
	customer_id = customer_fixture(&d, "<b>x</b>", "company", "premium", "de",
	    "carla@cust.test", "Carla Contact", hash, 1, &carla_id);
	ck_assert_int_gt(customer_id, 0);
	other_customer_id = customer_fixture(&d, "Other Co", "company", "standard", "en",
	    "olga@other.test", "Olga Other", hash, 1, &olga_id);
	ck_assert_int_gt(other_customer_id, 0);
	db_close(&d);
	/* These tests open tickets in bursts: no rate limit (customer_limits.h). */
	free(sql_owner(db, "UPDATE settings SET value = '1000000' WHERE key ~ $1",
	    "^customer_(tickets|replies)_per_"));
	free(sql_owner(db, "INSERT INTO resolution_codes (code, label) VALUES ($1, 'Fixed')",
	    "fixed"));
	v = sql_owner(db, "INSERT INTO products (sku, name) VALUES ('P-100', $1) RETURNING id",
	    "Laser Printer 100");
	snprintf(product_id, sizeof(product_id), "%s", v);
	free(v);
	v = sql_owner(db, "INSERT INTO teams (name) VALUES ($1) RETURNING id", "Hardware");
	snprintf(team_id, sizeof(team_id), "%s", v);
	free(v);
	th_stack_start(&stack, db, 2, NULL);
}

static void
teardown(void)
{
	th_stack_stop(&stack);
	th_db_drop(db);
	free(db);
}

START_TEST(field_changes_are_recorded_in_the_history)
{
	struct jar j = { 0 };
	struct th_resp r;
	char number[32], page[64], path[96], body[512];

	create(customer_id, carla_id, "Fields ticket", number, sizeof(number));
	web_staff_sign_in(&stack, &j, "agent@acme.test", PW);
	snprintf(page, sizeof(page), "/agent/tickets/%s", number);
	snprintf(path, sizeof(path), "%s/fields", page);
	snprintf(body, sizeof(body), "priority=urgent&type=incident&category_id=&product_id=%s"
	    "&serial=SN-42&queue_id=&team_id=%s&tags=Printer%%2C+warranty+printer", product_id,
	    team_id);
	web_expect(web_post(&stack, &j, path, page, body), 303, NULL);
	sql_owner_is(db,
	    "SELECT old_value || '>' || new_value || '/' || actor_kind FROM ticket_events e"
	    " JOIN tickets t ON t.id = e.ticket_id WHERE t.number = $1 AND e.field = 'priority'",
	    number, "medium>urgent/staff");
	sql_owner_is(db,
	    "SELECT new_value FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id"
	    " WHERE t.number = $1 AND e.field = 'tags'", number, "printer, warranty");
	sql_owner_is(db,
	    "SELECT new_value FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id"
	    " WHERE t.number = $1 AND e.field = 'product'", number, "Laser Printer 100");
	sql_owner_is(db,
	    "SELECT type || '/' || serial || '/' || array_to_string(tags, ',') FROM tickets"
	    " WHERE number = $1", number, "incident/SN-42/printer,warranty");
	r = web_get_want(&stack, &j, page, 200);
	/* The history in words: who, what, before, after. */
	assert_has(&r, "<strong>Alex Agent</strong> changed the priority from medium to urgent");
	assert_has(&r, "set the serial number to SN-42");
	assert_has(&r, "set the team to Hardware");
	th_resp_free(&r);

	/* Saving the same values changes nothing and records nothing. */
	web_expect(web_post(&stack, &j, path, page, body), 303, NULL);
	ck_assert_int_eq(sql_owner_ll(db, "SELECT count(*) FROM ticket_events e JOIN tickets t"
	    " ON t.id = e.ticket_id WHERE t.number = $1 AND e.field = 'priority'", number), 1);

	/* A refused value changes nothing, and says which. */
	r = web_post_want(&stack, &j, path, page, "priority=low&tags=no+spaces%3F%21", 422);
	assert_has(&r, "Tags are up to 20 words");
	th_resp_free(&r);
	r = web_post_want(&stack, &j, path, page, "priority=extreme", 422);
	assert_has(&r, "Choose a priority from the list.");
	th_resp_free(&r);
	sql_owner_is(db, "SELECT priority FROM tickets WHERE number = $1", number, "urgent");
}
END_TEST

START_TEST(resolving_needs_a_code)
{
	struct jar j = { 0 };
	struct th_resp r;
	char number[32], page[64], path[96];

	create(customer_id, carla_id, "Resolve ticket", number, sizeof(number));
	web_staff_sign_in(&stack, &j, "agent@acme.test", PW);
	snprintf(page, sizeof(page), "/agent/tickets/%s", number);
	snprintf(path, sizeof(path), "%s/status", page);
	r = web_get_want(&stack, &j, page, 200);
	/* Resolving is its own form; the status list holds only the other moves. */
	assert_has(&r, "<input type=\"hidden\" name=\"status\" value=\"resolved\">");
	{
		const char *list = strstr(r.body, "id=\"s-status\"");
		const char *end = list != NULL ? strstr(list, "</select>") : NULL;
		const char *res = list != NULL ? strstr(list, "<option value=\"resolved\">") : NULL;

		ck_assert_ptr_nonnull(end);
		ck_assert_msg(res == NULL || res > end, "the status list offers resolving");
	}
	assert_lacks(&r, "<option value=\"closed\">");
	th_resp_free(&r);

	r = web_post_want(&stack, &j, path, page,
	    "status=resolved&resolution_code=&root_cause=Worn+roller", 422);
	assert_has(&r, "Choose a resolution code");
	assert_has(&r, "Worn roller</textarea>");	/* what was typed stays */
	th_resp_free(&r);
	r = web_post_want(&stack, &j, path, page, "status=resolved&resolution_code=bogus", 422);
	assert_has(&r, "Unknown resolution code.");
	th_resp_free(&r);
	r = web_post_want(&stack, &j, path, page, "status=in_progress&root_cause=Not+now", 422);
	th_resp_free(&r);
	sql_owner_is(db, "SELECT status FROM tickets WHERE number = $1", number, "new");

	web_expect(web_post(&stack, &j, path, page,
	    "status=resolved&resolution_code=fixed&root_cause=Worn+roller"), 303, NULL);
	sql_owner_is(db, "SELECT t.status || '/' || rc.code || '/' || t.root_cause FROM tickets t"
	    " JOIN resolution_codes rc ON rc.id = t.resolution_code_id WHERE t.number = $1",
	    number, "resolved/fixed/Worn roller");
	r = web_get_want(&stack, &j, page, 200);
	assert_has(&r, "set the root cause to Worn roller");
	/* Resolved: only close or reopen; no resolve form any more. */
	assert_lacks(&r, "name=\"status\" value=\"resolved\"");
	assert_has(&r, "<option value=\"closed\">");
	th_resp_free(&r);
}
END_TEST

START_TEST(canned_responses)
{
	struct jar adm = { 0 }, j = { 0 };
	struct th_resp r;
	char number[32], page[128], id[24], path[96];

	create(customer_id, carla_id, "Canned <i>subject</i>", number, sizeof(number));
	web_staff_sign_in(&stack, &adm, "root@acme.test", PW);
	r = web_post_want(&stack, &adm, "/agent/admin/canned", "/agent/admin/canned",
	    "title=Broken&body=Hello+%7B%7B%23customer%7D%7D&team_id=", 422);
	assert_has(&r, "not written right");
	th_resp_free(&r);
	r = web_post_want(&stack, &adm, "/agent/admin/canned", "/agent/admin/canned",
	    "title=&body=", 422);
	assert_has(&r, "Title is required.");
	th_resp_free(&r);
	web_expect(web_post(&stack, &adm, "/agent/admin/canned", "/agent/admin/canned",
	    "title=Greeting&body=Hello+%7B%7Bcustomer.name%7D%7D%2C%0Aabout+%7B%7Bticket.number"
	    "%7D%7D+%28%7B%7Bticket.subject%7D%7D%29.%0A%7B%7Bagent.name%7D%7D&team_id="), 303,
	    NULL);
	{
		char *v = sql_owner(db, "SELECT id FROM canned_responses WHERE title = $1",
		    "Greeting");

		snprintf(id, sizeof(id), "%s", v);
		free(v);
	}
	ck_assert_int_eq(sql_owner_ll(db, "SELECT count(*) FROM audit_log WHERE action = $1",
	    "canned.create"), 1);
	r = web_get_want(&stack, &adm, "/agent/admin/canned", 200);
	assert_has(&r, "Greeting");
	th_resp_free(&r);

	/* An agent may use it, not manage it. */
	web_staff_sign_in(&stack, &j, "agent@acme.test", PW);
	r = web_get(&stack, &j, "/agent/admin/canned");
	ck_assert_int_eq(r.status, 403);
	th_resp_free(&r);
	snprintf(page, sizeof(page), "/agent/tickets/%s?canned=%s", number, id);
	r = web_get_want(&stack, &j, page, 200);
	/* Filled in by the template engine, escaped once by the page. */
	assert_has(&r, "Hello &lt;b&gt;x&lt;/b&gt;,\nabout ");
	assert_has(&r, "(Canned &lt;i&gt;subject&lt;/i&gt;).\nAlex Agent</textarea>");
	assert_lacks(&r, "<b>x</b>");
	assert_lacks(&r, "&amp;lt;");
	assert_has(&r, "selected>Greeting");
	th_resp_free(&r);
	r = web_get(&stack, &j, "/agent/tickets/TKT-000001?canned=999999");
	ck_assert_int_eq(r.status, 404);
	th_resp_free(&r);

	/* Edit, then delete; both audited. */
	snprintf(path, sizeof(path), "/agent/admin/canned/%s", id);
	r = web_get_want(&stack, &adm, path, 200);
	assert_has(&r, "{{customer.name}}");
	th_resp_free(&r);
	web_expect(web_post(&stack, &adm, path, path,
	    "title=Greeting+2&body=Hi+%7B%7Bagent.name%7D%7D&team_id="), 303, NULL);
	sql_owner_is(db, "SELECT title || '|' || body FROM canned_responses WHERE id = $1::bigint",
	    id,
	    "Greeting 2|Hi {{agent.name}}");
	snprintf(path, sizeof(path), "/agent/admin/canned/%s/delete", id);
	web_expect(web_post(&stack, &adm, path, "/agent/admin/canned", ""), 303, NULL);
	ck_assert_int_eq(sql_owner_ll(db,
	    "SELECT count(*) FROM canned_responses WHERE id = $1::bigint",
	    id), 0);
	ck_assert_int_eq(sql_owner_ll(db, "SELECT count(*) FROM audit_log WHERE action IN"
	    " ('canned.update', 'canned.delete')", NULL), 2);
}
END_TEST

/*
 * A duplicate src and its target dst of a fresh customer; the customer
 * wrote on the duplicate, with a file. Signs j in as the agent.
 */
static void
duplicate_pair(struct jar *j, struct fx_person *cust, struct fx_ticket *src,
    struct fx_ticket *dst)
{
	struct ticket_actor_ref by = { TA_CUSTOMER, 0, 0, 1, 0 };
	struct ticket_file f = { "log.txt", "text/plain", (const unsigned char *)"boot log", 8 };
	const char *why = NULL;
	struct arena *a;
	struct db d;

	fx_customer(db, "Mia Merge", "Merge Co", "standard", cust);
	fx_ticket(db, cust, "Printer broken again", src);
	fx_ticket(db, cust, "Printer broken", dst);
	by.id = cust->id;
	by.customer_id = cust->customer_id;
	a = arena_new(1024);
	ck_assert_int_eq(db_open(&d, db, "ticket-page-merge"), 0);
	ck_assert_int_eq(ticket_reply(&d, a, &by,
	    &(struct ticket_reply_in){ .ticket_id = src->id, .kind = "public",
	    .body = "Here is the log.", .files = &f, .nfiles = 1 }, NULL, &why), 0);
	db_close(&d);
	arena_free(a);
	web_staff_sign_in(&stack, j, "agent@acme.test", PW);
}

/* Merges src into dst on the agent's ticket page; asserts it went there. */
static void
merge(struct jar *j, const struct fx_ticket *src, const struct fx_ticket *dst)
{
	struct th_resp r;
	char page[64], path[96], body[96];

	snprintf(page, sizeof(page), "/agent/tickets/%s", src->number);
	snprintf(path, sizeof(path), "%s/merge", page);
	snprintf(body, sizeof(body), "target=%s", dst->number);
	r = web_post_want(&stack, j, path, page, body, 303);
	ck_assert_msg(strstr(th_header(&r, "Location"), dst->number) != NULL,
	    "not sent to the target");
	th_resp_free(&r);
}

START_TEST(merge_refuses_foreign_closed_and_itself)
{
	struct jar j = { 0 };
	struct th_resp r;
	struct fx_person cust;
	struct fx_ticket src, dst, closed;
	char foreign[32], page[64], path[96], body[96];

	duplicate_pair(&j, &cust, &src, &dst);
	create(other_customer_id, olga_id, "Someone else's", foreign, sizeof(foreign));
	fx_ticket(db, &cust, "Old closed one", &closed);
	free(sql_owner(db, "UPDATE tickets SET status = 'closed' WHERE number = $1",
	    closed.number));
	snprintf(page, sizeof(page), "/agent/tickets/%s", src.number);
	snprintf(path, sizeof(path), "%s/merge", page);
	/* Refused: another customer's ticket, itself, a closed one, nonsense. */
	snprintf(body, sizeof(body), "target=%s", foreign);
	r = web_post_want(&stack, &j, path, page, body, 422);
	assert_has(&r, "belongs to another customer");
	th_resp_free(&r);
	snprintf(body, sizeof(body), "target=%s", src.number);
	r = web_post_want(&stack, &j, path, page, body, 422);
	assert_has(&r, "cannot be merged into itself");
	th_resp_free(&r);
	snprintf(body, sizeof(body), "target=%s", closed.number);
	r = web_post_want(&stack, &j, path, page, body, 422);
	assert_has(&r, "closed or cancelled");
	th_resp_free(&r);
	r = web_post_want(&stack, &j, path, page, "target=nonsense", 422);
	th_resp_free(&r);
	sql_owner_is(db, "SELECT status FROM tickets WHERE number = $1", src.number, "new");
	ck_assert_int_eq(sql_owner_ll(db, "SELECT count(*) FROM ticket_comments c JOIN tickets t"
	    " ON t.id = c.ticket_id WHERE t.number = $1", src.number), 1);
}
END_TEST

START_TEST(merge_moves_the_conversation)
{
	struct jar j = { 0 };
	struct fx_person cust;
	struct fx_ticket src, dst;
	char want[96];

	duplicate_pair(&j, &cust, &src, &dst);
	merge(&j, &src, &dst);
	/* The conversation and the file moved; the source is a cancelled duplicate. */
	ck_assert_int_eq(sql_owner_ll(db, "SELECT count(*) FROM ticket_comments c JOIN tickets t"
	    " ON t.id = c.ticket_id WHERE t.number = $1 AND c.kind <> 'system'", src.number), 0);
	ck_assert_int_eq(sql_owner_ll(db, "SELECT count(*) FROM ticket_attachments f JOIN tickets t"
	    " ON t.id = f.ticket_id WHERE t.number = $1", dst.number), 1);
	snprintf(want, sizeof(want), "cancelled/duplicate_of/%s", dst.number);
	sql_owner_is(db, "SELECT t.status || '/' || l.kind || '/' || o.number FROM tickets t"
	    " JOIN ticket_links l ON l.ticket_id = t.id JOIN tickets o ON o.id = l.other_id"
	    " WHERE t.number = $1", src.number, want);
	sql_owner_is(db, "SELECT count(*) FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id"
	    " WHERE t.number = $1 AND e.field = 'merged_into'", src.number, "1");
	ck_assert_int_eq(sql_owner_ll(db, "SELECT count(*) FROM ticket_comments c JOIN tickets t"
	    " ON t.id = c.ticket_id WHERE t.number = $1 AND c.kind = 'system'", dst.number), 1);
}
END_TEST

START_TEST(merge_is_told_on_both_pages_by_mail_and_in_the_portal)
{
	struct jar j = { 0 }, c = { 0 };
	struct th_resp r;
	struct fx_person cust;
	struct fx_ticket src, dst;
	char page[64], body[256], *mail;

	duplicate_pair(&j, &cust, &src, &dst);
	merge(&j, &src, &dst);
	snprintf(page, sizeof(page), "/agent/tickets/%s", src.number);
	r = web_get_want(&stack, &j, page, 200);
	assert_has(&r, "this ticket was merged into it");
	assert_has(&r, "This request was merged into");
	assert_lacks(&r, "id=\"merge-title\"");	/* cancelled: nothing more to merge */
	th_resp_free(&r);
	snprintf(page, sizeof(page), "/agent/tickets/%s", dst.number);
	r = web_get_want(&stack, &j, page, 200);
	assert_has(&r, "Here is the log.");
	assert_has(&r, "log.txt");
	assert_has(&r, "has been merged into it");
	assert_has(&r, "</strong> merged " );
	assert_has(&r, " into this ticket</li>");
	th_resp_free(&r);
	/* The customer is told: a public comment on the target and a mail. */
	mail = mail_text(db, cust.email, "ticket_merged");
	ck_assert_ptr_nonnull(mail);
	th_dispatch(db);
	ck_assert_int_eq(sql_owner_ll(db, "SELECT count(*) FROM notifications"
	    " WHERE kind = 'ticket_merged' AND recipient = $1", cust.email), 1);
	ck_assert_msg(strstr(mail, src.number) != NULL && strstr(mail, dst.number) != NULL,
	    "the mail names both tickets: %s", mail);
	free(mail);
	/* In the portal, the customer sees both notes. */
	snprintf(body, sizeof(body), "email=%s&" FX_PASSWORD_FORM, cust.email);
	r = web_post_want(&stack, &c, "/login", "/login", body, 303);
	th_resp_free(&r);
	snprintf(page, sizeof(page), "/tickets/%s", dst.number);
	r = web_get_want(&stack, &c, page, 200);
	assert_has(&r, "Here is the log.");
	assert_has(&r, "has been merged into it");
	th_resp_free(&r);
	snprintf(page, sizeof(page), "/tickets/%s", src.number);
	r = web_get_want(&stack, &c, page, 200);
	assert_has(&r, "This request was merged into");
	th_resp_free(&r);
}
END_TEST

START_TEST(link_and_unlink)
{
	struct jar j = { 0 };
	struct th_resp r;
	char one[32], two[32], page[64], path[96], body[64];
	long long two_id;

	create(customer_id, carla_id, "Link one", one, sizeof(one));
	two_id = create(other_customer_id, olga_id, "Link two", two, sizeof(two));
	web_staff_sign_in(&stack, &j, "agent@acme.test", PW);
	snprintf(page, sizeof(page), "/agent/tickets/%s", one);
	snprintf(path, sizeof(path), "%s/links", page);
	snprintf(body, sizeof(body), "number=%s", two);
	web_expect(web_post(&stack, &j, path, page, body), 303, NULL);
	r = web_post_want(&stack, &j, path, page, body, 422);
	assert_has(&r, "already linked");
	th_resp_free(&r);
	r = web_post_want(&stack, &j, path, page, "number=TKT-999999", 422);
	assert_has(&r, "no ticket with that number");
	th_resp_free(&r);
	snprintf(body, sizeof(body), "number=%s", one);
	r = web_post_want(&stack, &j, path, page, body, 422);
	th_resp_free(&r);
	r = web_get_want(&stack, &j, page, 200);
	assert_has(&r, "Link two");
	th_resp_free(&r);
	/* Seen from the other end too. */
	snprintf(path, sizeof(path), "/agent/tickets/%s", two);
	r = web_get_want(&stack, &j, path, 200);
	assert_has(&r, "Link one");
	th_resp_free(&r);
	ck_assert_int_eq(sql_owner_ll(db, "SELECT count(*) FROM ticket_events WHERE field = 'link'"
	    " AND new_value IS NOT NULL AND ticket_id = $1::bigint", (snprintf(body, sizeof(body),
	    "%lld", two_id), body)), 1);

	snprintf(path, sizeof(path), "/agent/tickets/%s/links/%lld/delete", one, two_id);
	web_expect(web_post(&stack, &j, path, page, ""), 303, NULL);
	snprintf(body, sizeof(body), "%lld", two_id);
	ck_assert_int_eq(sql_owner_ll(db,
	    "SELECT count(*) FROM ticket_links WHERE ticket_id = $1::bigint"
	    " OR other_id = $1::bigint", body), 0);
	r = web_get_want(&stack, &j, page, 200);
	assert_lacks(&r, "Link two");
	assert_has(&r, "No linked tickets.");
	th_resp_free(&r);
	r = web_post_want(&stack, &j, path, page, "", 404);
	th_resp_free(&r);
}
END_TEST

START_TEST(collision_notice)
{
	struct jar alex = { 0 }, bea = { 0 };
	struct th_resp r;
	char number[32], page[64], path[96], *before, *after;

	create(customer_id, carla_id, "Busy ticket", number, sizeof(number));
	web_staff_sign_in(&stack, &alex, "agent@acme.test", PW);
	web_staff_sign_in(&stack, &bea, "bea@acme.test", PW);
	snprintf(page, sizeof(page), "/agent/tickets/%s", number);
	r = web_get_want(&stack, &alex, page, 200);
	assert_lacks(&r, "has this ticket open");
	th_resp_free(&r);
	r = web_get_want(&stack, &bea, page, 200);
	assert_has(&r, "<strong>Alex Agent</strong> has this ticket open (since ");
	th_resp_free(&r);
	r = web_get_want(&stack, &alex, page, 200);
	assert_has(&r, "<strong>Bea Backup</strong> has this ticket open");
	th_resp_free(&r);

	/* A fresh row is not written again on every view. */
	before = sql_owner(db, "SELECT p.seen_at::text FROM ticket_presence p JOIN staff s"
	    " ON s.id = p.staff_id WHERE s.email = $1", "agent@acme.test");
	r = web_get_want(&stack, &alex, page, 200);
	th_resp_free(&r);
	after = sql_owner(db, "SELECT p.seen_at::text FROM ticket_presence p JOIN staff s"
	    " ON s.id = p.staff_id WHERE s.email = $1", "agent@acme.test");
	ck_assert_str_eq(before, after);
	free(before);
	free(after);

	/* Bea writes: the heartbeat (CSRF-checked) says so. */
	snprintf(path, sizeof(path), "%s/presence", page);
	r = web_post_want(&stack, &bea, path, NULL, "typing=1", 403);
	th_resp_free(&r);
	r = web_post_want(&stack, &bea, path, page, "typing=1", 204);
	th_resp_free(&r);
	r = web_get_want(&stack, &alex, page, 200);
	assert_has(&r, "<strong>Bea Backup</strong> is writing a reply (since ");
	th_resp_free(&r);

	/* Presence older than two minutes means nothing. */
	free(sql_owner(db, "UPDATE ticket_presence SET seen_at = now() - interval '3 minutes',"
	    " typing_at = now() - interval '3 minutes' WHERE staff_id ="
	    " (SELECT id FROM staff WHERE email = $1)", "bea@acme.test"));
	r = web_get_want(&stack, &alex, page, 200);
	assert_lacks(&r, "Bea Backup</strong>");
	th_resp_free(&r);
}
END_TEST

START_TEST(stale_reply_is_held_back)
{
	struct jar alex = { 0 }, bea = { 0 };
	struct th_resp r;
	char number[32], page[64], path[96], body[512], version[16], ev[24], cm[24];

	create(customer_id, carla_id, "Stale ticket", number, sizeof(number));
	web_staff_sign_in(&stack, &alex, "agent@acme.test", PW);
	web_staff_sign_in(&stack, &bea, "bea@acme.test", PW);
	snprintf(page, sizeof(page), "/agent/tickets/%s", number);
	snprintf(path, sizeof(path), "%s/replies", page);
	r = web_get_want(&stack, &alex, page, 200);
	web_field_value(r.body, "version", version, sizeof(version));
	web_field_value(r.body, "seen_event", ev, sizeof(ev));
	web_field_value(r.body, "seen_comment", cm, sizeof(cm));
	th_resp_free(&r);

	/* Meanwhile Bea answers and raises the priority. */
	web_expect(web_post(&stack, &bea, path, page, "body=Bea+was+here+first.&visibility=public"),
	    303, NULL);
	snprintf(body, sizeof(body), "%s/fields", page);
	web_expect(web_post(&stack, &bea, body, page, "priority=high"), 303, NULL);

	snprintf(body, sizeof(body), "body=Alex+typed+this+carefully.&visibility=internal"
	    "&minutes=7&version=%s&seen_event=%s&seen_comment=%s", version, ev, cm);
	r = web_post_want(&stack, &alex, path, NULL, body,
	    403);	/* no token: refused before anything */
	th_resp_free(&r);
	r = web_post_want(&stack, &alex, path, page, body, 409);
	assert_has(&r, "The ticket changed while you were writing");
	assert_has(&r, "Bea was here first.");
	assert_has(&r, "priority “medium” → “high”");
	assert_has(&r, ">Alex typed this carefully.</textarea>");
	assert_has(&r, "value=\"internal\" checked");
	assert_has(&r, "value=\"7\"");
	assert_has(&r, "Send anyway");
	ck_assert_int_eq(sql_owner_ll(db, "SELECT count(*) FROM ticket_comments WHERE body LIKE $1",
	    "Alex typed%"), 0);
	/* Send anyway: the form carries the version it now shows. */
	web_field_value(r.body, "version", version, sizeof(version));
	web_field_value(r.body, "seen_event", ev, sizeof(ev));
	web_field_value(r.body, "seen_comment", cm, sizeof(cm));
	th_resp_free(&r);
	snprintf(body, sizeof(body), "body=Alex+typed+this+carefully.&visibility=internal"
	    "&minutes=7&version=%s&seen_event=%s&seen_comment=%s", version, ev, cm);
	web_expect(web_post(&stack, &alex, path, page, body), 303, NULL);
	ck_assert_int_eq(sql_owner_ll(db, "SELECT count(*) FROM ticket_comments WHERE body LIKE $1",
	    "Alex typed%"), 1);
}
END_TEST

/* The workers of the console's pool die now, as after a crash (the master starts others). */
static void
kill_console_workers(void)
{
	pid_t workers[8];
	int i, n = th_children(stack.console, workers, 8);

	for (i = 0; i < n; i++)
		kill(workers[i], SIGKILL);
}

/*
 * An internal note's @mention is recorded with the note and mailed from
 * its event: none before the dispatcher runs, once after, however often it
 * runs, even when the worker that took the note dies right after the
 * commit.
 */
START_TEST(mentions_mail_the_right_colleague)
{
	struct jar j = { 0 };
	char number[32], page[64], path[96];
	char *mail;

	create(customer_id, carla_id, "Mention ticket", number, sizeof(number));
	web_staff_sign_in(&stack, &j, "agent@acme.test", PW);
	snprintf(page, sizeof(page), "/agent/tickets/%s", number);
	snprintf(path, sizeof(path), "%s/replies", page);
	/* A public reply mentions nobody. */
	web_expect(web_post(&stack, &j, path, page, "body=Thanks+%40bea&visibility=public"), 303,
	    NULL);
	th_dispatch(db);
	ck_assert_int_eq(sql_owner_ll(db, "SELECT count(*) FROM notifications WHERE kind = $1",
	    "ticket_mention"), 0);
	web_expect(web_post(&stack, &j, path, page,
	    "body=%40Bea+please+check+the+roller%2C+and+%40nobody+too."
	    "+Mail+bea%40acme.test+is+not+a+mention.&visibility=internal"), 303, NULL);
	/* The history has the mention at once; the mail waits for the dispatcher. */
	sql_owner_is(db,
	    "SELECT new_value FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id"
	    " WHERE t.number = $1 AND e.field = 'mention'", number, "Bea Backup");
	ck_assert_int_eq(sql_owner_ll(db, "SELECT count(*) FROM notifications WHERE kind = $1",
	    "ticket_mention"), 0);
	kill_console_workers();
	th_dispatch(db);
	th_dispatch(db);
	ck_assert_int_eq(sql_owner_ll(db, "SELECT count(*) FROM notifications WHERE kind = $1",
	    "ticket_mention"), 1);
	mail = mail_text(db, "bea@acme.test", "ticket_mention");
	ck_assert_ptr_nonnull(mail);
	ck_assert_msg(strstr(mail, "Alex Agent mentioned you") != NULL, "mail: %s", mail);
	ck_assert_msg(strstr(mail, number) != NULL, "mail lacks the ticket: %s", mail);
	ck_assert_msg(strstr(mail, "please check the roller") != NULL, "mail: %s", mail);
	free(mail);
	ck_assert_int_eq(sql_owner_ll(db,
	    "SELECT count(*) FROM notifications WHERE kind = 'ticket_mention'"
	    " AND recipient <> $1", "bea@acme.test"), 0);
}
END_TEST

START_TEST(time_worked_is_summed)
{
	struct jar alex = { 0 }, bea = { 0 };
	struct th_resp r;
	char number[32], page[64], path[96];

	create(customer_id, carla_id, "Time ticket", number, sizeof(number));
	web_staff_sign_in(&stack, &alex, "agent@acme.test", PW);
	web_staff_sign_in(&stack, &bea, "bea@acme.test", PW);
	snprintf(page, sizeof(page), "/agent/tickets/%s", number);
	snprintf(path, sizeof(path), "%s/replies", page);
	web_expect(web_post(&stack, &alex, path, page,
	    "body=Looked+at+it.&visibility=internal&minutes=15"), 303, NULL);
	web_expect(web_post(&stack, &alex, path, page,
	    "body=Called+them.&visibility=public&minutes=10"), 303, NULL);
	web_expect(web_post(&stack, &bea, path, page,
	    "body=Ordered+a+part.&visibility=internal&minutes=20"), 303, NULL);
	r = web_post_want(&stack, &alex, path, page,
	    "body=Too+long.&visibility=internal&minutes=10001", 422);
	assert_has(&r, "from 0 to 10,000");
	assert_has(&r, "Too long.</textarea>");
	th_resp_free(&r);
	r = web_post_want(&stack, &alex, path, page,
	    "body=Negative.&visibility=internal&minutes=-5", 422);
	th_resp_free(&r);
	r = web_get_want(&stack, &alex, page, 200);
	assert_has(&r, "<dd id=\"time-total\">45 min</dd>");
	assert_has(&r, "<li>Alex Agent: <span class=\"mono\">25 min</span></li>");
	assert_has(&r, "<li>Bea Backup: <span class=\"mono\">20 min</span></li>");
	th_resp_free(&r);
}
END_TEST

START_TEST(customer_panel)
{
	struct jar j = { 0 };
	struct th_resp r;
	char number[32], other[32], page[64], path[96], body[128];

	create(customer_id, carla_id, "Panel ticket", number, sizeof(number));
	create(customer_id, carla_id, "Panel other", other, sizeof(other));
	web_staff_sign_in(&stack, &j, "agent@acme.test", PW);
	snprintf(page, sizeof(page), "/agent/tickets/%s", other);
	snprintf(path, sizeof(path), "%s/fields", page);
	snprintf(body, sizeof(body), "product_id=%s&serial=SER-9", product_id);
	web_expect(web_post(&stack, &j, path, page, body), 303, NULL);
	snprintf(page, sizeof(page), "/agent/tickets/%s", number);
	r = web_get_want(&stack, &j, page, 200);
	assert_has(&r, "<dd>&lt;b&gt;x&lt;/b&gt;</dd>");
	assert_has(&r, "<span class=\"badge\">premium</span>");
	assert_has(&r, "<dt>Language</dt><dd>de</dd>");
	assert_has(&r, "carla@cust.test");
	assert_has(&r, "account admin");
	assert_has(&r, other);
	assert_has(&r, "Laser Printer 100");
	assert_has(&r, "serial SER-9");
	assert_lacks(&r, "<b>x</b>");
	th_resp_free(&r);
}
END_TEST

Suite *http_ticket_page_suite(void);

Suite *
http_ticket_page_suite(void)
{
	Suite *s = suite_create("http_ticket_page");
	TCase *tc = tcase_create("ticket_page");

	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, field_changes_are_recorded_in_the_history);
	tcase_add_test(tc, resolving_needs_a_code);
	tcase_add_test(tc, canned_responses);
	tcase_add_test(tc, merge_refuses_foreign_closed_and_itself);
	tcase_add_test(tc, merge_moves_the_conversation);
	tcase_add_test(tc, merge_is_told_on_both_pages_by_mail_and_in_the_portal);
	tcase_add_test(tc, link_and_unlink);
	tcase_add_test(tc, collision_notice);
	tcase_add_test(tc, stale_reply_is_held_back);
	tcase_add_test(tc, mentions_mail_the_right_colleague);
	tcase_add_test(tc, time_worked_is_summed);
	tcase_add_test(tc, customer_panel);
	suite_add_tcase(s, tc);
	return s;
}
