/*
 * The agent's workspace through nginx: the one reply form that also
 * takes, prioritises and moves the ticket (and changes nothing when one
 * part is refused), the next ticket of the view the agent came from,
 * the live stamps (ETag, 304 while nothing changed), reply drafts that
 * are the writer's own, personal settings applied to every page, the
 * list's open-work default and a 400 that names the parameter. Each test
 * opens its own tickets (tests/lib/fixtures.h).
 */
#include "identity.h"
#include "../lib/fixtures.h"

#include <check.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct th_stack stack;
static char *db;
static struct fx_person alex, bea, ada, carla;

/* A customer's ticket, as the portal makes it; its number into out. */
static void
create(const char *subject, char *out, size_t size)
{
	struct fx_ticket t;

	fx_ticket(db, &carla, subject, &t);
	snprintf(out, size, "%s", t.number);
}

static void
setup(void)
{
	ck_assert_int_ge(sodium_init(), 0);
	db = th_db_create("workspace");
	fx_staff(db, "Alex Agent", "agent", &alex);
	fx_staff(db, "Bea Backup", "agent", &bea);
	fx_staff(db, "Ada Admin", "agent,admin", &ada);
	fx_customer(db, "Carla Contact", "Acme Customer", "standard", &carla);
	free(sql_owner(db, "UPDATE settings SET value = '1000000' WHERE key ~ $1",
	    "^customer_(tickets|replies)_per_"));
	free(sql_owner(db, "INSERT INTO resolution_codes (code, label) VALUES ($1, 'Fixed')",
	    "fixed"));
	th_stack_start(&stack, db, 2, NULL);
}

static void
teardown(void)
{
	th_stack_stop(&stack);
	th_db_drop(db);
	free(db);
}

/* GET path with the jar's cookies and If-None-Match: etag (may be NULL). */
static struct th_resp
get_if(struct jar *j, const char *path, const char *etag)
{
	char url[512], cookie[2048], inm[128];
	const char *h[3] = { cookie, NULL, NULL };
	struct th_resp r;
	size_t off = 0;
	int i;

	off += (size_t)snprintf(cookie, sizeof(cookie), "Cookie: ");
	for (i = 0; i < j->n && off < sizeof(cookie); i++)
		off += (size_t)snprintf(cookie + off, sizeof(cookie) - off, "%s%s=%s",
		    i ? "; " : "", j->name[i], j->value[i]);
	if (etag != NULL) {
		snprintf(inm, sizeof(inm), "If-None-Match: %s", etag);
		h[1] = inm;
	}
	snprintf(url, sizeof(url), "%s%s", stack.url, path);
	ck_assert_int_eq(th_http("GET", url, NULL, 0, h, &r), 0);
	return r;
}

START_TEST(one_form_replies_takes_and_resolves_or_changes_nothing)
{
	struct jar j = { 0 };
	struct th_resp r;
	char number[32], page[64], path[96];

	create("Submit as", number, sizeof(number));
	web_staff_sign_in(&stack, &j, alex.email, FX_PASSWORD);
	snprintf(page, sizeof(page), "/agent/tickets/%s", number);
	snprintf(path, sizeof(path), "%s/replies", page);
	r = web_get_want(&stack, &j, page, 200);
	assert_has(&r, "Send and resolve");
	assert_has(&r, "Send and set pending");
	assert_has(&r, "name=\"take\" value=\"1\" checked");
	/* A new ticket someone answers is in progress unless told otherwise. */
	assert_has(&r, "<option value=\"in_progress\" selected>");
	th_resp_free(&r);

	/* Resolving needs a code: refused, and the reply is not sent either. */
	r = web_post_want(&stack, &j, path, page,
	    "body=Fixed+it.&visibility=public&take=1&submit_as=resolved",
	    422);
	assert_has(&r, "Choose a resolution code.");
	assert_has(&r, ">Fixed it.</textarea>");
	th_resp_free(&r);
	sql_owner_is(db,
	    "SELECT count(*) FROM ticket_comments c JOIN tickets t ON t.id = c.ticket_id"
	    " WHERE t.number = $1", number, "0");
	sql_owner_is(db,
	    "SELECT status || '/' || coalesce(assignee_id::text, 'nobody') FROM tickets"
	    " WHERE number = $1", number, "new/nobody");

	r = web_post_want(&stack, &j, path, page,
	    "body=Fixed+it.&visibility=public&take=1&submit_as=resolved"
	    "&resolution_code=fixed&then=in_progress", 303);
	web_location_starts(&r, page);
	th_resp_free(&r);
	sql_owner_is(db,
	    "SELECT t.status || '/' || s.name || '/' || (SELECT count(*) FROM ticket_comments"
	    " c WHERE c.ticket_id = t.id) FROM tickets t JOIN staff s ON s.id = t.assignee_id"
	    " WHERE t.number = $1", number, "resolved/Alex Agent/1");
	r = web_get_want(&stack, &j, page, 200);
	assert_has(&r, "Reply sent. Assigned to you. Status: Resolved.");
	assert_has(&r, "<strong>Alex Agent</strong> changed the status from Assigned to Resolved");
	th_resp_free(&r);
}
END_TEST

START_TEST(one_form_changes_without_text_and_asks_for_something)
{
	struct jar j = { 0 };
	struct th_resp r;
	char number[32], page[64], path[96];

	create("Only a status", number, sizeof(number));
	web_staff_sign_in(&stack, &j, alex.email, FX_PASSWORD);
	snprintf(page, sizeof(page), "/agent/tickets/%s", number);
	snprintf(path, sizeof(path), "%s/replies", page);
	r = web_post_want(&stack, &j, path, page, "body=&visibility=public", 422);
	assert_has(&r, "Write a message.");
	th_resp_free(&r);
	r = web_post_want(&stack, &j, path, page,
	    "body=&visibility=public&then=pending_customer&priority=high",
	    303);
	th_resp_free(&r);
	sql_owner_is(db,
	    "SELECT status || '/' || priority || '/' || coalesce(assignee_id::text, 'nobody')"
	    " FROM tickets WHERE number = $1", number, "pending_customer/high/nobody");
	r = web_post_want(&stack, &j, path, page, "body=x&visibility=public&then=flying", 422);
	assert_has(&r, "Choose a status and a priority from the lists.");
	th_resp_free(&r);
}
END_TEST

START_TEST(next_ticket_follows_the_view)
{
	struct jar j = { 0 };
	struct th_resp r;
	char a[32], b[32], c[32], path[512];
	const char *href, *end;

	create("Next one", a, sizeof(a));
	create("Next two", b, sizeof(b));
	create("Next three", c, sizeof(c));
	web_staff_sign_in(&stack, &j, alex.email, FX_PASSWORD);
	free(sql_owner(db, "UPDATE tickets SET status = 'closed' WHERE number = $1", c));

	/* The list's links carry the view and the row's place in it. */
	r = web_get_want(&stack, &j, "/agent/tickets?status=new&sort=age", 200);
	snprintf(path, sizeof(path), "href=\"/agent/tickets/%s?status=new&amp;sort=age&amp;after=", a);
	href = strstr(r.body, path);
	ck_assert_msg(href != NULL, "no link with the view for %s", a);
	href += strlen("href=\"");
	end = strchr(href, '"');
	snprintf(path, sizeof(path), "%.*s", (int)(end - href), href);
	th_resp_free(&r);
	/* &amp; in the page is & in the address. */
	{
		char *p;

		while ((p = strstr(path, "&amp;")) != NULL)
			memmove(p + 1, p + 5, strlen(p + 5) + 1);
	}
	r = web_get_want(&stack, &j, path, 200);
	assert_has(&r, "/agent/next?status=new&amp;sort=age&amp;after=");
	assert_has(&r, "href=\"/agent/tickets?status=new&amp;sort=age\"");
	th_resp_free(&r);

	/* From a's place, the next of the view is b (c is closed: not in it). */
	snprintf(path, sizeof(path), "/agent/next%s&skip=%s", strchr(path, '?'), a);
	r = web_get_want(&stack, &j, path, 303);
	snprintf(path, sizeof(path), "/agent/tickets/%s?status=new&sort=age&after=", b);
	web_location_starts(&r, path);
	th_resp_free(&r);

	/* After the last one, the list with a note. */
	r = web_get_want(&stack, &j, "/agent/next?status=closed&skip=TKT-999999", 303);
	web_location_starts(&r, "/agent/tickets/");
	th_resp_free(&r);
	snprintf(path, sizeof(path), "/agent/next?q=Next+three&status=all&skip=%s", c);
	r = web_get_want(&stack, &j, path, 303);
	web_location_starts(&r, "/agent/tickets?status=all&q=Next");
	th_resp_free(&r);
	r = web_get_want(&stack, &j, "/agent/tickets", 200);
	assert_has(&r, "That was the last ticket in this view.");
	th_resp_free(&r);

	/* The reply form goes there too when asked. */
	snprintf(path, sizeof(path), "/agent/tickets/%s/replies", b);
	r = web_post_want(&stack, &j, path, "/agent/tickets", "body=On+it.&visibility=public&next=1"
	    "&view=status%3Dnew%26sort%3Dage", 303);
	snprintf(path, sizeof(path), "/agent/next?status=new&sort=age&skip=%s", b);
	web_location_starts(&r, path);
	th_resp_free(&r);
	/* A view that is not one this console wrote is dropped, not followed. */
	snprintf(path, sizeof(path), "/agent/tickets/%s/replies", b);
	r = web_post_want(&stack, &j, path, "/agent/tickets",
	    "body=Again.&visibility=public&next=1&view=%0d%0aSet-Cookie:x", 303);
	snprintf(path, sizeof(path), "/agent/next?skip=%s", b);
	web_location_starts(&r, path);
	th_resp_free(&r);
}
END_TEST

START_TEST(live_stamps_answer_304_until_something_changes)
{
	struct jar j = { 0 };
	struct th_resp r;
	char number[32], etag[64], tag[64], path[96], page[64];

	create("Live", number, sizeof(number));
	web_staff_sign_in(&stack, &j, alex.email, FX_PASSWORD);
	r = get_if(&j, "/agent/live", NULL);
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_nonnull(th_header(&r, "ETag"));
	snprintf(etag, sizeof(etag), "%s", th_header(&r, "ETag"));
	assert_has(&r, "\"ticket\":");
	/* The views' counts come with a changed stamp: two open tickets by now. */
	assert_has(&r, "\"open\":");
	assert_has(&r, "\"all\":");
	th_resp_free(&r);
	r = get_if(&j, "/agent/live", etag);
	ck_assert_int_eq(r.status, 304);
	ck_assert_uint_eq(r.body_len, 0);
	th_resp_free(&r);
	create("Live two", number, sizeof(number));
	r = get_if(&j, "/agent/live", etag);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_ne(th_header(&r, "ETag"), etag);
	th_resp_free(&r);

	snprintf(path, sizeof(path), "/agent/tickets/%s/live", number);
	r = get_if(&j, path, NULL);
	ck_assert_int_eq(r.status, 200);
	snprintf(tag, sizeof(tag), "%s", th_header(&r, "ETag"));
	th_resp_free(&r);
	r = get_if(&j, path, tag);
	ck_assert_int_eq(r.status, 304);
	th_resp_free(&r);
	snprintf(page, sizeof(page), "/agent/tickets/%s", number);
	snprintf(path, sizeof(path), "%s/replies", page);
	r = web_post_want(&stack, &j, path, page, "body=Hello.&visibility=public", 303);
	th_resp_free(&r);
	snprintf(path, sizeof(path), "/agent/tickets/%s/live", number);
	r = get_if(&j, path, tag);
	ck_assert_int_eq(r.status, 200);
	th_resp_free(&r);
	r = get_if(&j, "/agent/tickets/TKT-999999/live", NULL);
	ck_assert_int_eq(r.status, 404);
	th_resp_free(&r);

	/* Not for someone signed out. */
	jar_clear(&j);
	r = get_if(&j, "/agent/live", NULL);
	ck_assert_int_ne(r.status, 200);
	th_resp_free(&r);
}
END_TEST

START_TEST(drafts_are_the_writers_own_and_go_when_sent)
{
	struct jar alex_jar = { 0 }, bea_jar = { 0 };
	struct th_resp r;
	char number[32], page[64], path[96];

	create("Draft", number, sizeof(number));
	web_staff_sign_in(&stack, &alex_jar, alex.email, FX_PASSWORD);
	web_staff_sign_in(&stack, &bea_jar, bea.email, FX_PASSWORD);
	snprintf(page, sizeof(page), "/agent/tickets/%s", number);
	snprintf(path, sizeof(path), "%s/draft", page);
	r = web_post_want(&stack, &alex_jar, path, page,
	    "body=Half+a+%3Cb%3Ethought%3C%2Fb%3E&visibility=internal", 204);
	th_resp_free(&r);
	r = web_get_want(&stack, &alex_jar, path, 200);
	assert_has(&r, "\"body\":\"Half a <b>thought</b>\"");
	assert_has(&r, "\"internal\":true");
	th_resp_free(&r);
	r = web_get_want(&stack, &bea_jar, path, 200);
	assert_has(&r, "\"body\":\"\"");
	th_resp_free(&r);
	r = web_post_want(&stack, &alex_jar, path, page, "body=x&visibility=sideways", 400);
	th_resp_free(&r);

	snprintf(path, sizeof(path), "%s/replies", page);
	r = web_post_want(&stack, &alex_jar, path, page,
	    "body=The+whole+thought.&visibility=public", 303);
	th_resp_free(&r);
	sql_owner_is(db, "SELECT count(*) FROM ticket_drafts d JOIN tickets t ON t.id = d.ticket_id"
	    " WHERE t.number = $1", number, "0");
	snprintf(path, sizeof(path), "%s/draft", page);
	r = web_get_want(&stack, &alex_jar, path, 200);
	assert_has(&r, "\"body\":\"\"");
	th_resp_free(&r);
	r = web_get_want(&stack, &alex_jar, "/agent/tickets/TKT-999999/draft", 404);
	th_resp_free(&r);
}
END_TEST

START_TEST(settings_apply_to_every_page)
{
	struct jar j = { 0 };
	struct th_resp r;

	web_staff_sign_in(&stack, &j, bea.email, FX_PASSWORD);
	r = web_get_want(&stack, &j, "/agent/tickets", 200);
	assert_has(&r, "data-theme=\"system\"");
	assert_has(&r, "data-shortcuts=\"on\"");
	assert_has(&r, "id=\"shortcut-help\"");
	th_resp_free(&r);

	r = web_post_want(&stack, &j, "/agent/settings", "/agent/settings",
	    "theme=dark&time_zone=Mars%2FOlympus&shortcuts=off&after_action=next", 422);
	assert_has(&r, "That time zone is not known");
	assert_has(&r, "value=\"Mars/Olympus\"");
	assert_has(&r, "value=\"dark\" checked");
	th_resp_free(&r);
	r = web_post_want(&stack, &j, "/agent/settings", "/agent/settings",
	    "theme=sepia&time_zone=UTC&shortcuts=off&after_action=next", 422);
	th_resp_free(&r);

	r = web_post_want(&stack, &j, "/agent/settings", "/agent/settings",
	    "theme=dark&time_zone=Europe%2FParis&shortcuts=off&after_action=next", 303);
	th_resp_free(&r);
	sql_owner_is(db, "SELECT p.theme || '/' || p.shortcuts || '/' || p.after_action || '/' ||"
	    " s.time_zone FROM staff s JOIN staff_prefs p ON p.staff_id = s.id WHERE s.email = $1",
	    bea.email, "dark/false/next/Europe/Paris");
	r = web_get_want(&stack, &j, "/agent/tickets", 200);
	assert_has(&r, "data-theme=\"dark\"");
	assert_lacks(&r, "data-shortcuts");
	assert_lacks(&r, "shortcuts.js");
	th_resp_free(&r);
	r = web_get_want(&stack, &j, "/agent/shortcuts", 200);
	assert_has(&r, "Shortcuts are off.");
	th_resp_free(&r);
	/* The ticket page's "then open the next ticket" follows the setting. */
	r = web_get_want(&stack, &j, "/agent/tickets/TKT-000001", 200);
	assert_has(&r, "name=\"next\" value=\"1\" checked");
	th_resp_free(&r);
}
END_TEST

START_TEST(list_shows_open_work_and_marks_the_page)
{
	struct jar j = { 0 };
	struct th_resp r;
	char open[32], closed[32];

	create("Still open work", open, sizeof(open));
	create("Long closed", closed, sizeof(closed));
	free(sql_owner(db, "UPDATE tickets SET status = 'closed' WHERE number = $1", closed));
	web_staff_sign_in(&stack, &j, alex.email, FX_PASSWORD);
	r = web_get_want(&stack, &j, "/agent/tickets", 200);
	assert_has(&r, open);
	assert_lacks(&r, closed);
	assert_has(&r, "href=\"/agent/tickets\" aria-current=\"page\">Tickets</a>");
	assert_has(&r, "href=\"/agent/tickets\" aria-current=\"page\">Open work <span "
	    "class=\"view-count\" data-count=\"open\"></span></a>");
	assert_has(&r, "pill-status status-new");
	th_resp_free(&r);
	r = web_get_want(&stack, &j, "/agent/tickets?status=all", 200);
	assert_has(&r, closed);
	assert_has(&r, "aria-current=\"page\">All tickets <span");
	th_resp_free(&r);
	r = web_get_want(&stack, &j, "/agent/tickets/new", 200);
	assert_has(&r, "href=\"/agent/tickets/new\" aria-current=\"page\"");
	assert_lacks(&r, "href=\"/agent/tickets\" aria-current");
	th_resp_free(&r);
}
END_TEST

START_TEST(a_bad_list_address_names_the_parameter)
{
	struct jar j = { 0 };
	struct th_resp r;

	web_staff_sign_in(&stack, &j, alex.email, FX_PASSWORD);
	r = web_get_want(&stack, &j, "/agent/tickets?sort=updated", 400);
	assert_has(&r, "The value of “sort” in the address");
	assert_has(&r, "href=\"/agent/tickets\">Back to the list</a>");
	th_resp_free(&r);
	r = web_get_want(&stack, &j, "/agent/tickets?queue=seven", 400);
	assert_has(&r, "“queue”");
	th_resp_free(&r);
	r = web_get_want(&stack, &j, "/agent/tickets?status=bogus", 400);
	assert_has(&r, "Back to the list");
	th_resp_free(&r);
	r = web_get_want(&stack, &j, "/agent/next?skip=%3Cscript%3E", 400);
	assert_has(&r, "“skip”");
	assert_lacks(&r, "<script>");
	th_resp_free(&r);
}
END_TEST

START_TEST(a_macro_sets_the_ticket_when_sent)
{
	struct jar admin = { 0 }, j = { 0 };
	struct th_resp r;
	char number[32], page[96], path[128], *id;

	create("Macro", number, sizeof(number));
	web_staff_sign_in(&stack, &admin, ada.email, FX_PASSWORD);
	r = web_post_want(&stack, &admin, "/agent/admin/canned", "/agent/admin/canned",
	    "title=Ask+for+the+serial"
	    "&body=Please+send+the+serial+number.&team_id=&set_status=closed&set_priority=high"
	    "&add_tags=serial&take=1", 422);
	assert_has(&r, "Choose a status from the list.");
	assert_has(&r, "value=\"high\" selected");
	th_resp_free(&r);
	r = web_post_want(&stack, &admin, "/agent/admin/canned", "/agent/admin/canned",
	    "title=Ask+for+the+serial"
	    "&body=Please+send+the+serial+number.&team_id=&set_status=pending_customer"
	    "&set_priority=high&add_tags=needs-serial&take=1", 303);
	th_resp_free(&r);
	id = sql_owner(db, "SELECT id FROM canned_responses WHERE title = $1",
	    "Ask for the serial");

	web_staff_sign_in(&stack, &j, bea.email, FX_PASSWORD);
	snprintf(page, sizeof(page), "/agent/tickets/%s?canned=%s", number, id);
	free(id);
	r = web_get_want(&stack, &j, page, 200);
	assert_has(&r, "This canned response also sets the status to Waiting for customer, the "
	    "priority to high, adds the tags needs-serial, takes the ticket");
	assert_has(&r, "<option value=\"pending_customer\" selected>");
	assert_has(&r, "<option value=\"high\" selected>high</option>");
	assert_has(&r, "name=\"tags\" value=\"needs-serial\"");
	assert_has(&r, ">Please send the serial number.</textarea>");
	th_resp_free(&r);

	snprintf(page, sizeof(page), "/agent/tickets/%s", number);
	snprintf(path, sizeof(path), "%s/replies", page);
	r = web_post_want(&stack, &j, path, page,
	    "body=Please+send+the+serial+number.&visibility=public"
	    "&then=pending_customer&priority=high&tags=needs-serial&take=1", 303);
	th_resp_free(&r);
	sql_owner_is(db,
	    "SELECT t.status || '/' || t.priority || '/' || array_to_string(t.tags, ',')"
	    " || '/' || s.name FROM tickets t JOIN staff s ON s.id = t.assignee_id"
	    " WHERE t.number = $1", number, "pending_customer/high/needs-serial/Bea Backup");
}
END_TEST

Suite *http_workspace_suite(void);

Suite *
http_workspace_suite(void)
{
	Suite *s = suite_create("http_workspace");
	TCase *tc = tcase_create("workspace");

	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, one_form_replies_takes_and_resolves_or_changes_nothing);
	tcase_add_test(tc, one_form_changes_without_text_and_asks_for_something);
	tcase_add_test(tc, next_ticket_follows_the_view);
	tcase_add_test(tc, live_stamps_answer_304_until_something_changes);
	tcase_add_test(tc, drafts_are_the_writers_own_and_go_when_sent);
	tcase_add_test(tc, settings_apply_to_every_page);
	tcase_add_test(tc, list_shows_open_work_and_marks_the_page);
	tcase_add_test(tc, a_bad_list_address_names_the_parameter);
	tcase_add_test(tc, a_macro_sets_the_ticket_when_sent);
	suite_add_tcase(s, tc);
	return s;
}
