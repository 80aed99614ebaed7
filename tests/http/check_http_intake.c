/*
 * Ticket intake through nginx: an agent saves a view of the ticket list
 * and opens it again, a team mate sees it only when shared and can never
 * change or delete it, nobody else even learns it exists (404); quick
 * create finds a caller by phone and by e-mail or opens a new customer,
 * and the ticket is routed by a rule an admin made in the routing form
 * (channel phone), mailed to the customer and shown to the agent; bad
 * input comes back with 422 and what was typed; the setup lists (queues,
 * categories, products, resolution codes) are kept through one form
 * each; agents get 403 on every admin page; no POST works without its
 * CSRF token.
 */
#include "identity.h"
#include "../lib/dispatch.h"
#include "auth/password.h"
#include "db/db.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ADMIN_PW "granite pelican harbour 31"
#define AGENT_PW "copper lantern orchard 7"

static struct th_stack stack;
static char *db;
static long long web_id, ann_id, ben_id, cat_id, phoebe_cust, phoebe_user;
static char queue_id[24];

static void
setup(void)
{
	struct db d;
	char hash[PASSWORD_HASH_MAX], *v;
	long long other;

	ck_assert_int_ge(sodium_init(), 0);
	db = th_db_create("http_intake");
	ck_assert_int_eq(db_open(&d, db, "intake-setup"), 0);
	ck_assert_int_eq(password_hash(ADMIN_PW, hash), 0);
	web_id = staff_fixture(&d, "root@intake.test", "Ada Admin", hash, "agent,admin");
	ck_assert_int_gt(web_id, 0);
	ck_assert_int_eq(password_hash(AGENT_PW, hash), 0);
	ann_id = staff_fixture(&d, "ann@intake.test", "Ann Agent", hash, "agent");
	ben_id = staff_fixture(&d, "ben@intake.test", "Ben Backup", hash, "agent");
	other = staff_fixture(&d, "oli@intake.test", "Oli Other", hash, "agent");
	ck_assert_int_gt(ann_id, 0);
	ck_assert_int_gt(ben_id, 0);
	ck_assert_int_gt(other, 0);
	phoebe_cust = customer_fixture(&d, "Phoebe Phone", "person", "premium", "en",
	    "phoebe@cust.test", "Phoebe Phone", hash, 1, &phoebe_user);
	ck_assert_int_gt(phoebe_cust, 0);
	db_close(&d);
	free(sql_owner(db, "UPDATE customers SET phone = '+1 (555) 0100-200' WHERE id = $1::bigint",
	    (snprintf(queue_id, sizeof(queue_id), "%lld", phoebe_cust), queue_id)));
	/* Ann and Ben work in one team, Oli in another. */
	free(sql_owner(db, "INSERT INTO teams (name) VALUES ('Front desk'), ('Back office')",
	    NULL));
	free(sql_owner(db, "UPDATE staff SET team_id = (SELECT id FROM teams"
	    " WHERE name = 'Front desk') WHERE email IN ('ann@intake.test', 'ben@intake.test')",
	    NULL));
	free(sql_owner(db, "UPDATE staff SET team_id = (SELECT id FROM teams"
	    " WHERE name = 'Back office') WHERE email = $1", "oli@intake.test"));
	v = sql_owner(db, "INSERT INTO queues (name, auto_assign) VALUES ('Phone desk', false)"
	    " RETURNING id", NULL);
	snprintf(queue_id, sizeof(queue_id), "%s", v);
	free(v);
	v = sql_owner(db, "INSERT INTO categories (name) VALUES ('Repairs') RETURNING id", NULL);
	cat_id = atoll(v);
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

START_TEST(saved_views_belong_to_their_agent)
{
	struct jar ann = { 0 }, ben = { 0 }, oli = { 0 };
	struct th_resp r;
	char path[64], *id;

	web_staff_sign_in(&stack, &ann, "ann@intake.test", AGENT_PW);
	web_staff_sign_in(&stack, &ben, "ben@intake.test", AGENT_PW);
	web_staff_sign_in(&stack, &oli, "oli@intake.test", AGENT_PW);
	/* The list offers to save what it shows, page position left out. */
	r = web_get(&stack, &ann, "/agent/tickets?status=open&priority=high&after=x&after_id=3");
	ck_assert_int_eq(r.status, 400);
	th_resp_free(&r);
	r = web_get(&stack, &ann, "/agent/tickets?status=open&priority=high");
	ck_assert_int_eq(r.status, 200);
	assert_has(&r, "name=\"query\" value=\"status=open&amp;priority=high\"");
	assert_has(&r, "Save this view");
	th_resp_free(&r);
	r = web_post(&stack, &ann, "/agent/views", "/agent/tickets",
	    "name=Hot+ones&query=status%3Dopen%26priority%3Dhigh%26after%3Dx");
	ck_assert_int_eq(r.status, 303);
	web_location_is(&r, "/agent/tickets?status=open&priority=high");
	th_resp_free(&r);
	id = sql_owner(db,
	    "SELECT id FROM saved_views WHERE name = 'Hot ones' AND staff_id = $1::bigint",
	    (snprintf(path, sizeof(path), "%lld", ann_id), path));
	ck_assert_str_ne(id, "");
	snprintf(path, sizeof(path), "/agent/views/%s", id);
	/* Listed on the list page and the dashboard; opening it is the list with its filters. */
	r = web_get(&stack, &ann, "/agent/tickets");
	assert_has(&r, "Hot ones");
	assert_has(&r, path);
	th_resp_free(&r);
	r = web_get(&stack, &ann, "/agent/");
	assert_has(&r, path);
	th_resp_free(&r);
	r = web_get(&stack, &ann, path);
	ck_assert_int_eq(r.status, 303);
	web_location_is(&r, "/agent/tickets?status=open&priority=high");
	th_resp_free(&r);
	/* There, the view is marked as the one shown. */
	r = web_get(&stack, &ann, "/agent/tickets?status=open&priority=high");
	assert_has(&r, "aria-current=\"page\">Hot ones</a>");
	th_resp_free(&r);
	/* A team mate and a stranger: not shared, so not there at all. */
	r = web_get(&stack, &ben, "/agent/tickets");
	assert_lacks(&r, "Hot ones");
	th_resp_free(&r);
	web_expect(web_get(&stack, &ben, path), 404, NULL);
	web_expect(web_get(&stack, &oli, path), 404, NULL);
	{
		char del[80];

		snprintf(del, sizeof(del), "%s/delete", path);
		web_expect(web_post(&stack, &oli, del, "/agent/views", ""), 404, NULL);
		web_expect(web_post(&stack, &ben, del, "/agent/views", ""), 404, NULL);
		web_expect(web_post(&stack, &ben, path, "/agent/views", "name=Mine+now&shared=1"),
		    404, NULL);
	}
	ck_assert_int_eq(sql_owner_ll(db, "SELECT count(*) FROM saved_views WHERE name = 'Hot ones'"
	    " AND NOT shared", NULL), 1);
	/* Shared with the team: Ben may open it, still not change or delete it; Oli, no. */
	r = web_post(&stack, &ann, path, "/agent/views", "name=Hot+ones&shared=1");
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
	r = web_get(&stack, &ben, "/agent/tickets");
	assert_has(&r, "Hot ones");
	assert_has(&r, "(Ann Agent)");
	th_resp_free(&r);
	web_expect(web_get(&stack, &ben, path), 303, NULL);
	web_expect(web_get(&stack, &oli, path), 404, NULL);
	{
		char del[80];

		snprintf(del, sizeof(del), "%s/delete", path);
		web_expect(web_post(&stack, &ben, del, "/agent/views", ""), 404, NULL);
		ck_assert_int_eq(sql_owner_ll(db,
		    "SELECT count(*) FROM saved_views WHERE id = $1::bigint", id),
		    1);
		/* Its owner renames, then deletes it. */
		r = web_post(&stack, &ann, path, "/agent/views", "name=Hotter");
		ck_assert_int_eq(r.status, 303);
		th_resp_free(&r);
		ck_assert_int_eq(sql_owner_ll(db,
		    "SELECT count(*) FROM saved_views WHERE name = 'Hotter'"
		    " AND NOT shared", NULL), 1);
		web_expect(web_post(&stack, &ann, del, "/agent/views", ""), 303, NULL);
	}
	ck_assert_int_eq(sql_owner_ll(db, "SELECT count(*) FROM saved_views WHERE id = $1::bigint",
	    id), 0);
	web_expect(web_get(&stack, &ann, path), 404, NULL);
	free(id);
}
END_TEST

START_TEST(bad_views_come_back_with_what_was_typed)
{
	struct jar ann = { 0 };
	struct th_resp r;

	web_staff_sign_in(&stack, &ann, "ann@intake.test", AGENT_PW);
	/* Filters the list does not know. */
	r = web_post(&stack, &ann, "/agent/views", "/agent/views",
	    "name=Broken+view&query=status%3Dsleeping");
	ck_assert_int_eq(r.status, 422);
	assert_has(&r, "Unknown status");
	assert_has(&r, "value=\"Broken view\"");
	th_resp_free(&r);
	r = web_post(&stack, &ann, "/agent/views", "/agent/views",
	    "name=Broken+view&query=queue%3Dabc");
	ck_assert_int_eq(r.status, 422);
	assert_has(&r, "not filters of the ticket list");
	th_resp_free(&r);
	r = web_post(&stack, &ann, "/agent/views", "/agent/views",
	    "name=Dated&query=created_from%3Dyesterday");
	ck_assert_int_eq(r.status, 422);
	th_resp_free(&r);
	r = web_post(&stack, &ann, "/agent/views", "/agent/views", "name=&query=status%3Dopen");
	ck_assert_int_eq(r.status, 422);
	assert_has(&r, "Name is required");
	th_resp_free(&r);
	/* The same name twice. */
	web_expect(web_post(&stack, &ann, "/agent/views", "/agent/views",
	    "name=Mine&query=assignee%3Dme"), 303, NULL);
	r = web_post(&stack, &ann, "/agent/views", "/agent/views", "name=Mine&query=");
	ck_assert_int_eq(r.status, 422);
	assert_has(&r, "already have a view");
	th_resp_free(&r);
	ck_assert_int_eq(sql_owner_ll(db,
	    "SELECT count(*) FROM saved_views WHERE query = 'assignee=me'",
	    NULL), 1);
	/* Renaming onto another of one's own names: the row comes back with the message. */
	web_expect(web_post(&stack, &ann, "/agent/views", "/agent/views", "name=Other&query="), 303,
	    NULL);
	{
		char *id = sql_owner(db, "SELECT id FROM saved_views WHERE name = 'Other'", NULL);
		char path[64];

		snprintf(path, sizeof(path), "/agent/views/%s", id);
		r = web_post(&stack, &ann, path, "/agent/views", "name=Mine");
		ck_assert_int_eq(r.status, 422);
		assert_has(&r, "already have a view");
		assert_has(&r, "value=\"Mine\" maxlength");
		th_resp_free(&r);
		free(id);
	}
	ck_assert_int_eq(sql_owner_ll(db,
	    "SELECT count(*) FROM saved_views WHERE name LIKE 'Broken%'"
	    " OR name = 'Dated'", NULL), 0);
}
END_TEST

/* The routing rule an admin makes in the form: phone calls go to Phone desk. */
static void
phone_rule(void)
{
	struct jar admin = { 0 };
	struct th_resp r;
	char body[256];

	if (sql_owner_ll(db, "SELECT count(*) FROM routing_rules WHERE name = 'Phone calls'",
	    NULL) > 0)
		return;
	web_staff_sign_in(&stack, &admin, "root@intake.test", ADMIN_PW);
	snprintf(body, sizeof(body), "name=Phone+calls&active=1&if_channel=phone"
	    "&set_queue_id=%s&set_tags=phone,%%20Callback", queue_id);
	r = web_post(&stack, &admin, "/agent/admin/routing/new", "/agent/admin/routing/new",
	    body);
	ck_assert_int_eq(r.status, 303);
	web_location_is(&r, "/agent/admin/routing");
	th_resp_free(&r);
	r = web_get(&stack, &admin, "/agent/admin/routing");
	assert_has(&r, "Phone calls");
	assert_has(&r, "channel phone");
	assert_has(&r, "queue Phone desk; tags phone,callback");
	th_resp_free(&r);
}

/* The number of the ticket a create answered with (its Location), into out. */
static void
created(const struct th_resp *r, char *out, size_t size)
{
	const char *loc = th_header(r, "Location");

	ck_assert_msg(r->status == 303, "create answered %ld: %.300s", r->status,
	    r->body ? r->body : "");
	ck_assert_ptr_nonnull(loc);
	ck_assert_int_eq(strncmp(loc, "/agent/tickets/TKT-", 19), 0);
	snprintf(out, size, "%s", loc + strlen("/agent/tickets/"));
}

START_TEST(quick_create_finds_a_caller_by_phone)
{
	struct jar ann = { 0 };
	struct th_resp r;
	char number[32], body[512], radio[64], *v, *mail;

	phone_rule();
	web_staff_sign_in(&stack, &ann, "ann@intake.test", AGENT_PW);
	r = web_get(&stack, &ann, "/agent/tickets/new");
	ck_assert_int_eq(r.status, 200);
	assert_has(&r, "Find by e-mail or phone");
	th_resp_free(&r);
	/* Written another way than stored: still found, and picked as the only match. */
	r = web_post(&stack, &ann, "/agent/tickets/new", "/agent/tickets/new",
	    "op=search&find=555+0100+200&subject=Kettle+leaks&description=Water+everywhere");
	ck_assert_int_eq(r.status, 200);
	assert_has(&r, "Phoebe Phone");
	snprintf(radio, sizeof(radio), "value=\"u:%lld\" checked", phoebe_user);
	assert_has(&r, radio);
	assert_has(&r, "value=\"Kettle leaks\"");
	assert_has(&r, ">Water everywhere</textarea>");
	/* Nothing chosen yet: a phone call of medium priority. */
	assert_has(&r, "<option value=\"medium\" selected>");
	assert_has(&r, "<option value=\"phone\" selected>");
	th_resp_free(&r);
	snprintf(body, sizeof(body), "op=create&find=555+0100+200&contact=u:%lld"
	    "&subject=Kettle+leaks&description=Water+everywhere&category=%lld"
	    "&channel=phone&priority=high&serial=SN-1", phoebe_user, cat_id);
	r = web_post(&stack, &ann, "/agent/tickets/new", "/agent/tickets/new", body);
	created(&r, number, sizeof(number));
	th_resp_free(&r);
	/* Routed by the admin's rule, for Phoebe, by phone; she has the mail. */
	v = sql_owner(db,
	    "SELECT t.channel || ' ' || q.name || ' ' || array_to_string(t.tags, ',') || ' '"
	    " || t.priority || ' ' || t.requester_id || ' ' || t.serial FROM tickets t"
	    " JOIN queues q ON q.id = t.queue_id WHERE t.number = $1", number);
	snprintf(body, sizeof(body), "phone Phone desk callback,phone high %lld SN-1", phoebe_user);
	ck_assert_str_eq(v, body);
	free(v);
	mail = mail_text(db, "phoebe@cust.test", "ticket_created");
	ck_assert_ptr_nonnull(mail);
	ck_assert_ptr_nonnull(strstr(mail, number));
	free(mail);
	/* Once, however often the dispatcher runs. */
	th_dispatch(db);
	v = sql_owner(db, "SELECT count(*) FROM notifications WHERE kind = 'ticket_created'"
	    " AND body_text LIKE '%' || $1 || '%'", number);
	ck_assert_str_eq(v, "1");
	free(v);
	/* The agent lands on the new ticket. */
	snprintf(body, sizeof(body), "/agent/tickets/%s", number);
	r = web_get(&stack, &ann, body);
	ck_assert_int_eq(r.status, 200);
	assert_has(&r, "Kettle leaks");
	th_resp_free(&r);
}
END_TEST

START_TEST(quick_create_by_email_and_for_a_new_customer)
{
	struct jar ann = { 0 };
	struct th_resp r;
	char number[32], body[512], *v, *mail;

	phone_rule();
	web_staff_sign_in(&stack, &ann, "ann@intake.test", AGENT_PW);
	/* By e-mail, any case. */
	r = web_post(&stack, &ann, "/agent/tickets/new", "/agent/tickets/new",
	    "op=search&find=PHOEBE%40Cust.test");
	ck_assert_int_eq(r.status, 200);
	assert_has(&r, "&lt;phoebe@cust.test&gt;");
	th_resp_free(&r);
	snprintf(body, sizeof(body), "op=create&contact=u:%lld&subject=Chat+question"
	    "&description=How%%3F&channel=chat&priority=low", phoebe_user);
	r = web_post(&stack, &ann, "/agent/tickets/new", "/agent/tickets/new", body);
	created(&r, number, sizeof(number));
	th_resp_free(&r);
	/* Not a phone call: the rule does not take it. */
	v = sql_owner(db, "SELECT channel || ' ' || coalesce(queue_id::text, 'none') FROM tickets"
	    " WHERE number = $1", number);
	ck_assert_str_eq(v, "chat none");
	free(v);
	/* Nobody with that address: the form offers a new customer with it filled in. */
	r = web_post(&stack, &ann, "/agent/tickets/new", "/agent/tickets/new",
	    "op=search&find=walter%40new.test&subject=Screen+cracked");
	ck_assert_int_eq(r.status, 200);
	assert_has(&r, "Nobody matches");
	assert_has(&r, "value=\"walter@new.test\"");
	assert_has(&r, "value=\"new\" checked");
	assert_has(&r, "value=\"Screen cracked\"");
	th_resp_free(&r);
	r = web_post(&stack, &ann, "/agent/tickets/new", "/agent/tickets/new",
	    "op=create&contact=new&new_name=Walter+Walkin&new_email=walter%40new.test"
	    "&new_phone=%2B49+30+555+777&subject=Screen+cracked&description=Dropped+it."
	    "&channel=phone&priority=medium");
	created(&r, number, sizeof(number));
	th_resp_free(&r);
	v = sql_owner(db,
	    "SELECT c.name || ' ' || c.phone || ' ' || u.email || ' ' || t.channel || ' '"
	    " || q.name FROM tickets t JOIN customers c ON c.id = t.customer_id"
	    " JOIN portal_users u ON u.id = t.requester_id JOIN queues q ON q.id = t.queue_id"
	    " WHERE t.number = $1", number);
	ck_assert_str_eq(v, "Walter Walkin +49 30 555 777 walter@new.test phone Phone desk");
	free(v);
	mail = mail_text(db, "walter@new.test", "ticket_created");
	ck_assert_ptr_nonnull(mail);
	ck_assert_ptr_nonnull(strstr(mail, number));
	free(mail);
	/* And next time Walter calls, his number finds him. */
	r = web_post(&stack, &ann, "/agent/tickets/new", "/agent/tickets/new",
	    "op=search&find=30-555-777");
	assert_has(&r, "Walter Walkin");
	th_resp_free(&r);
	ck_assert_int_eq(sql_owner_ll(db,
	    "SELECT count(*) FROM audit_log WHERE action = 'customer.create'"
	    " AND detail->>'via' = 'quick_create'", NULL), 1);
	/* An account without a portal login: the ticket is theirs, no mail goes out. */
	{
		char *cid = sql_owner(db, "INSERT INTO customers (name, phone) VALUES ('Desk Only',"
		    " '0800 123 456') RETURNING id", NULL);

		r = web_post(&stack, &ann, "/agent/tickets/new", "/agent/tickets/new",
		    "op=search&find=0800123456");
		snprintf(body, sizeof(body), "value=\"c:%s\" checked", cid);
		assert_has(&r, body);
		assert_has(&r, "no e-mail will be sent");
		th_resp_free(&r);
		snprintf(body, sizeof(body), "op=create&contact=c:%s&subject=Walk-in+repair"
		    "&description=At+the+counter.&channel=walk-in&priority=medium", cid);
		r = web_post(&stack, &ann, "/agent/tickets/new", "/agent/tickets/new", body);
		created(&r, number, sizeof(number));
		th_resp_free(&r);
		ck_assert_int_eq(sql_owner_ll(db, "SELECT count(*) FROM tickets WHERE number = $1"
		    " AND requester_id IS NULL AND channel = 'walk-in'", number), 1);
		free(cid);
	}
}
END_TEST

START_TEST(quick_create_refuses_bad_input_and_keeps_it)
{
	struct jar ann = { 0 };
	struct th_resp r;
	long long before = sql_owner_ll(db, "SELECT count(*) FROM tickets", NULL);

	web_staff_sign_in(&stack, &ann, "ann@intake.test", AGENT_PW);
	r = web_post(&stack, &ann, "/agent/tickets/new", "/agent/tickets/new",
	    "op=create&contact=new&new_name=Nina+New&new_email=not-an-address"
	    "&subject=&description=Kept+text&channel=phone&priority=medium");
	ck_assert_int_eq(r.status, 422);
	assert_has(&r, "Subject is required");
	assert_has(&r, "e-mail address like");
	assert_has(&r, "value=\"Nina New\"");
	assert_has(&r, "value=\"not-an-address\"");
	assert_has(&r, ">Kept text</textarea>");
	th_resp_free(&r);
	/* A customer e-mail already in use, a channel the desk does not take, no contact. */
	r = web_post(&stack, &ann, "/agent/tickets/new", "/agent/tickets/new",
	    "op=create&contact=new&new_name=Copy&new_email=phoebe%40cust.test"
	    "&subject=S&description=D&channel=phone&priority=medium");
	ck_assert_int_eq(r.status, 422);
	assert_has(&r, "already signs in with that address");
	th_resp_free(&r);
	r = web_post(&stack, &ann, "/agent/tickets/new", "/agent/tickets/new",
	    "op=create&contact=u:999999&subject=S&description=D&channel=portal&priority=medium");
	ck_assert_int_eq(r.status, 422);
	assert_has(&r, "no longer active");
	assert_has(&r, "Choose one of the listed values for Channel");
	th_resp_free(&r);
	r = web_post(&stack, &ann, "/agent/tickets/new", "/agent/tickets/new",
	    "op=search&find=12345");
	ck_assert_int_eq(r.status, 422);
	assert_has(&r, "at least 6 digits");
	th_resp_free(&r);
	ck_assert_int_eq(sql_owner_ll(db, "SELECT count(*) FROM tickets", NULL), before);
	ck_assert_int_eq(sql_owner_ll(db,
	    "SELECT count(*) FROM customers WHERE name IN ('Nina New', 'Copy')",
	    NULL), 0);
}
END_TEST

START_TEST(routing_form_refuses_bad_rules)
{
	struct jar admin = { 0 };
	struct th_resp r;
	char body[256], *id, path[64];

	web_staff_sign_in(&stack, &admin, "root@intake.test", ADMIN_PW);
	/* An unknown queue. */
	r = web_post(&stack, &admin, "/agent/admin/routing/new", "/agent/admin/routing/new",
	    "name=Ghost+queue&if_keyword=ghost&set_queue_id=999999");
	ck_assert_int_eq(r.status, 422);
	assert_has(&r, "Choose one of the listed queues");
	assert_has(&r, "value=\"Ghost queue\"");
	assert_has(&r, "value=\"ghost\"");
	th_resp_free(&r);
	/* No action: it would only hide the rules below it. */
	r = web_post(&stack, &admin, "/agent/admin/routing/new", "/agent/admin/routing/new",
	    "name=Does+nothing&if_keyword=x");
	ck_assert_int_eq(r.status, 422);
	assert_has(&r, "at least one action");
	th_resp_free(&r);
	/* Words and tags outside what tickets can have. */
	r = web_post(&stack, &admin, "/agent/admin/routing/new", "/agent/admin/routing/new",
	    "name=Odd&if_tier=gold&if_language=english&set_tags=no+spaces+please&set_priority=low");
	ck_assert_int_eq(r.status, 422);
	assert_has(&r, "Language must be a code");
	assert_has(&r, "Tags are up to 10 words");
	th_resp_free(&r);
	ck_assert_int_eq(sql_owner_ll(db,
	    "SELECT count(*) FROM routing_rules WHERE name IN ('Ghost queue',"
	    " 'Does nothing', 'Odd')", NULL), 0);
	/* A blank keyword is no condition: a rule without conditions is a catch-all. */
	snprintf(body, sizeof(body), "name=Catch+all&active=1&if_keyword=+++&set_priority=low");
	web_expect(web_post(&stack, &admin, "/agent/admin/routing/new", "/agent/admin/routing/new",
	    body), 303, NULL);
	id = sql_owner(db,
	    "SELECT id FROM routing_rules WHERE name = 'Catch all' AND if_keyword IS NULL",
	    NULL);
	ck_assert_str_ne(id, "");
	/* Edit, move, delete, each audited. */
	snprintf(path, sizeof(path), "/agent/admin/routing/%s", id);
	r = web_get(&stack, &admin, path);
	ck_assert_int_eq(r.status, 200);
	assert_has(&r, "value=\"Catch all\"");
	th_resp_free(&r);
	web_expect(web_post(&stack, &admin, path, path, "name=Catch+all+renamed&set_priority=low"),
	    303, NULL);
	ck_assert_int_eq(sql_owner_ll(db, "SELECT count(*) FROM routing_rules WHERE name ="
	    " 'Catch all renamed' AND NOT active", NULL), 1);
	snprintf(path, sizeof(path), "/agent/admin/routing/%s/move", id);
	web_expect(web_post(&stack, &admin, path, "/agent/admin/routing", "direction=up"), 303,
	    NULL);
	web_expect(web_post(&stack, &admin, path, "/agent/admin/routing", "direction=sideways"),
	    400, NULL);
	snprintf(path, sizeof(path), "/agent/admin/routing/%s/delete", id);
	web_expect(web_post(&stack, &admin, path, "/agent/admin/routing", ""), 303, NULL);
	web_expect(web_post(&stack, &admin, path, "/agent/admin/routing", ""), 404, NULL);
	ck_assert_int_eq(sql_owner_ll(db,
	    "SELECT count(*) FROM audit_log WHERE object_type = 'routing_rule'"
	    " AND object_id = $1 AND action IN ('routing_rule.create', 'routing_rule.update',"
	    " 'routing_rule.delete')", id), 3);
	free(id);
	/* A category deactivated after the rule was made: editing the rule keeps it. */
	{
		char *cat = sql_owner(db,
		    "INSERT INTO categories (name) VALUES ('Old stuff') RETURNING id",
		    NULL);

		snprintf(body, sizeof(body), "name=Old+stuff&active=1&if_category_id=%s"
		    "&set_priority=low", cat);
		web_expect(web_post(&stack, &admin, "/agent/admin/routing/new",
		    "/agent/admin/routing/new", body), 303, NULL);
		free(sql_owner(db, "UPDATE categories SET active = false WHERE id = $1::bigint",
		    cat));
		id = sql_owner(db, "SELECT id FROM routing_rules WHERE name = 'Old stuff'", NULL);
		snprintf(path, sizeof(path), "/agent/admin/routing/%s", id);
		r = web_get(&stack, &admin, path);
		assert_has(&r, "selected>Old stuff (inactive)</option>");
		th_resp_free(&r);
		snprintf(body, sizeof(body), "name=Old+stuff+kept&active=1&if_category_id=%s"
		    "&set_priority=low", cat);
		web_expect(web_post(&stack, &admin, path, path, body), 303, NULL);
		ck_assert_int_eq(sql_owner_ll(db, "SELECT count(*) FROM routing_rules"
		    " WHERE name = 'Old stuff kept' AND if_category_id = $1::bigint", cat), 1);
		/* A new rule may not pick it. */
		r = web_post(&stack, &admin, "/agent/admin/routing/new", "/agent/admin/routing/new",
		    body);
		ck_assert_int_eq(r.status, 422);
		assert_has(&r, "Choose one of the listed categories");
		th_resp_free(&r);
		snprintf(path, sizeof(path), "/agent/admin/routing/%s/delete", id);
		web_expect(web_post(&stack, &admin, path, "/agent/admin/routing", ""), 303, NULL);
		free(id);
		free(cat);
	}
}
END_TEST

START_TEST(setup_lists_add_change_deactivate)
{
	struct jar admin = { 0 };
	struct th_resp r;
	char body[256], *id, *team;

	web_staff_sign_in(&stack, &admin, "root@intake.test", ADMIN_PW);
	team = sql_owner(db, "SELECT id FROM teams WHERE name = 'Front desk'", NULL);
	snprintf(body, sizeof(body), "name=Returns&team_id=%s&auto_assign=1", team);
	web_expect(web_post(&stack, &admin, "/agent/admin/queues", "/agent/admin/queues", body),
	    303, NULL);
	id = sql_owner(db, "SELECT id FROM queues WHERE name = 'Returns' AND auto_assign AND active"
	    " AND team_id = $1::bigint", team);
	ck_assert_str_ne(id, "");
	/* Unknown team, duplicate name: back with a message and what was typed. */
	r = web_post(&stack, &admin, "/agent/admin/queues", "/agent/admin/queues",
	    "name=Elsewhere&team_id=999999");
	ck_assert_int_eq(r.status, 422);
	assert_has(&r, "Choose one of the listed teams");
	assert_has(&r, "value=\"Elsewhere\"");
	th_resp_free(&r);
	r = web_post(&stack, &admin, "/agent/admin/queues", "/agent/admin/queues",
	    "name=Returns");
	ck_assert_int_eq(r.status, 422);
	assert_has(&r, "already in use");
	th_resp_free(&r);
	/* Change: no team, no automatic assignment, inactive (no active=1 sent). */
	snprintf(body, sizeof(body), "id=%s&name=Returns+desk&team_id=", id);
	web_expect(web_post(&stack, &admin, "/agent/admin/queues", "/agent/admin/queues", body),
	    303, NULL);
	ck_assert_int_eq(sql_owner_ll(db,
	    "SELECT count(*) FROM queues WHERE id = $1::bigint AND name ="
	    " 'Returns desk' AND NOT auto_assign AND NOT active AND team_id IS NULL", id), 1);
	web_expect(web_post(&stack, &admin, "/agent/admin/queues", "/agent/admin/queues",
	    "id=999999&name=Nope"), 404, NULL);
	/* An inactive queue is not offered to routing rules any more. */
	r = web_get(&stack, &admin, "/agent/admin/routing/new");
	assert_lacks(&r, "Returns desk");
	th_resp_free(&r);
	free(id);
	/* Categories, products and resolution codes: the same page. */
	web_expect(web_post(&stack, &admin, "/agent/admin/categories", "/agent/admin/categories",
	    "name=Warranty&position=5"), 303, NULL);
	r = web_post(&stack, &admin, "/agent/admin/categories", "/agent/admin/categories",
	    "name=Negative&position=-1");
	ck_assert_int_eq(r.status, 422);
	assert_has(&r, "whole number from 0 to 10000");
	th_resp_free(&r);
	web_expect(web_post(&stack, &admin, "/agent/admin/products", "/agent/admin/products",
	    "sku=KT-100&name=Kettle+%3Cdeluxe%3E"), 303, NULL);
	r = web_get(&stack, &admin, "/agent/admin/products");
	assert_has(&r, "Kettle &lt;deluxe&gt;");
	assert_lacks(&r, "Kettle <deluxe>");
	th_resp_free(&r);
	web_expect(web_post(&stack, &admin, "/agent/admin/resolution-codes",
	    "/agent/admin/resolution-codes", "code=replaced_part&label=Replaced+a+part"), 303,
	    NULL);
	r = web_post(&stack, &admin, "/agent/admin/resolution-codes",
	    "/agent/admin/resolution-codes", "code=Bad+Code&label=Bad");
	ck_assert_int_eq(r.status, 422);
	assert_has(&r, "lower-case letters, digits and _ only");
	th_resp_free(&r);
	ck_assert_int_eq(sql_owner_ll(db, "SELECT count(*) FROM categories WHERE name = 'Warranty'"
	    " AND position = 5", NULL), 1);
	ck_assert_int_eq(sql_owner_ll(db,
	    "SELECT count(*) FROM resolution_codes WHERE code = 'replaced_part'",
	    NULL), 1);
	ck_assert_int_eq(sql_owner_ll(db,
	    "SELECT count(*) FROM audit_log WHERE action IN ('queue.create',"
	    " 'queue.update', 'category.create', 'product.create', 'resolution_code.create')",
	    NULL), 5);
	free(team);
}
END_TEST

/* Every POST of this area. */
static const char *const posts[] = {
	"/agent/views", "/agent/views/1", "/agent/views/1/delete", "/agent/tickets/new",
	"/agent/admin/routing/new", "/agent/admin/routing/1", "/agent/admin/routing/1/delete",
	"/agent/admin/routing/1/move", "/agent/admin/queues", "/agent/admin/categories",
	"/agent/admin/products", "/agent/admin/resolution-codes",
};

static const char *const admin_gets[] = {
	"/agent/admin/routing", "/agent/admin/routing/new", "/agent/admin/queues",
	"/agent/admin/categories", "/agent/admin/products", "/agent/admin/resolution-codes",
};

START_TEST(agents_get_403_and_posts_need_csrf)
{
	struct jar ann = { 0 }, admin = { 0 };
	long long rules = sql_owner_ll(db, "SELECT count(*) FROM routing_rules", NULL);
	long long queues = sql_owner_ll(db, "SELECT count(*) FROM queues", NULL);
	size_t i;

	web_staff_sign_in(&stack, &ann, "ann@intake.test", AGENT_PW);
	web_staff_sign_in(&stack, &admin, "root@intake.test", ADMIN_PW);
	for (i = 0; i < sizeof(admin_gets) / sizeof(admin_gets[0]); i++) {
		web_expect(web_get(&stack, &ann, admin_gets[i]), 403, NULL);
		web_expect(web_get(&stack, &admin, admin_gets[i]), 200, NULL);
	}
	web_expect(web_post(&stack, &ann, "/agent/admin/queues", "/agent/", "name=Sneaky"), 403,
	    NULL);
	web_expect(web_post(&stack, &ann, "/agent/admin/routing/new", "/agent/",
	    "name=Sneaky&set_priority=low"), 403, NULL);
	for (i = 0; i < sizeof(posts) / sizeof(posts[0]); i++) {
		struct th_resp r = web_post(&stack, &admin, posts[i], NULL,
		    "name=Forged&set_priority=low&query=&op=create&direction=up");

		ck_assert_msg(r.status == 403, "POST %s without a token: %ld", posts[i], r.status);
		th_resp_free(&r);
		r = web_post(&stack, &admin, posts[i], NULL,
		    "csrf_token=forged&name=Forged&set_priority=low&direction=up");
		ck_assert_msg(r.status == 403, "POST %s with a forged token: %ld", posts[i],
		    r.status);
		th_resp_free(&r);
	}
	ck_assert_int_eq(sql_owner_ll(db, "SELECT count(*) FROM routing_rules", NULL), rules);
	ck_assert_int_eq(sql_owner_ll(db, "SELECT count(*) FROM queues", NULL), queues);
	ck_assert_int_eq(sql_owner_ll(db, "SELECT count(*) FROM saved_views WHERE name = 'Forged'",
	    NULL), 0);
	/* The way in: admins see the new admin links, every agent the new console links. */
	{
		struct th_resp r = web_get(&stack, &admin, "/agent/admin/");

		assert_has(&r, "href=\"/agent/admin/routing\"");
		assert_has(&r, "href=\"/agent/admin/resolution-codes\"");
		th_resp_free(&r);
		r = web_get(&stack, &ann, "/agent/");
		assert_has(&r, "href=\"/agent/tickets/new\"");
		assert_has(&r, "href=\"/agent/views\"");
		th_resp_free(&r);
	}
}
END_TEST

Suite *http_intake_suite(void);

Suite *
http_intake_suite(void)
{
	Suite *s = suite_create("http_intake");
	TCase *tc = tcase_create("intake");

	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, saved_views_belong_to_their_agent);
	tcase_add_test(tc, bad_views_come_back_with_what_was_typed);
	tcase_add_test(tc, quick_create_finds_a_caller_by_phone);
	tcase_add_test(tc, quick_create_by_email_and_for_a_new_customer);
	tcase_add_test(tc, quick_create_refuses_bad_input_and_keeps_it);
	tcase_add_test(tc, routing_form_refuses_bad_rules);
	tcase_add_test(tc, setup_lists_add_change_deactivate);
	tcase_add_test(tc, agents_get_403_and_posts_need_csrf);
	suite_add_tcase(s, tc);
	return s;
}
