/*
 * Tickets through nginx: a customer sends a request with a file
 * (multipart), it is routed and given to the on-shift agent, the agent's
 * public reply shows and the internal note does not, the customer reopens,
 * the agent resolves with a code, the customer confirms with a rating,
 * and the history holds every step. Another account's customer gets 404
 * for the page, a reply and the file; downloads are attachments with
 * nosniff; markdown is rendered without script.
 */
#include "identity.h"
#include "../lib/dispatch.h"
#include "auth/password.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/tickets.h"

#include <check.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PW "blue kettle marathon 42"
#define BOUNDARY "csdeskTestBoundary7MA4YWxk"

static struct th_stack stack;
static char *db;

static const char fixture[] =
    "INSERT INTO teams (name) VALUES ('Service Desk');"
    "UPDATE staff SET team_id = (SELECT id FROM teams WHERE name = 'Service Desk'),"
    " capacity = 5, work_days = '{1,2,3,4,5,6,7}', work_start = '00:00', work_end = '23:59:59',"
    " time_zone = 'UTC' WHERE email = 'agent@acme.test';"
    "INSERT INTO queues (name, team_id, auto_assign) SELECT 'General', id, true FROM teams;"
    "INSERT INTO categories (name) VALUES ('Product troubleshooting');"
    "INSERT INTO resolution_codes (code, label) VALUES ('fixed', 'Fixed');"
    "INSERT INTO routing_rules (position, name, set_queue_id)"
    " SELECT 100, 'Everything to General', id FROM queues;";

static void
setup(void)
{
	struct db d;
	char hash[PASSWORD_HASH_MAX];
	long long uid;

	ck_assert_int_ge(sodium_init(), 0);
	db = th_db_create("http_tickets");
	ck_assert_int_eq(db_open(&d, db, "tickets-setup"), 0);
	ck_assert_int_eq(password_hash(PW, hash), 0);
	ck_assert_int_gt(staff_fixture(&d, "agent@acme.test", "Alex Agent", hash, "agent"),
	    0);
	ck_assert_int_gt(customer_fixture(&d, "Alpha Ltd", "company", "standard", "en",
	    "ann@alpha.test", "Ann Alpha", hash, 1, &uid), 0);
	ck_assert_int_gt(customer_fixture(&d, "Beta Ltd", "company", "standard", "en",
	    "eve@beta.test", "Eve Beta", hash, 1, &uid), 0);
	ck_assert_int_eq(db_script(&d, fixture, "fixture"), 0);
	db_close(&d);
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
add(char **buf, size_t *len, const void *data, size_t n)
{
	*buf = realloc(*buf, *len + n + 1);
	ck_assert_ptr_nonnull(*buf);
	memcpy(*buf + *len, data, n);
	*len += n;
	(*buf)[*len] = '\0';
}

/*
 * POSTs multipart/form-data to path: fields (name, value pairs, NULL
 * ended), the token from token_page, and one file under "attachment"
 * when fname is not NULL.
 */
static struct th_resp
post_multipart(struct jar *j, const char *path, const char *token_page,
    const char *const *fields, const char *fname, const char *ftype,
    const unsigned char *data, size_t n)
{
	char url[512], cookie[4096], head[512];
	const char *h[] = { "Content-Type: multipart/form-data; boundary=" BOUNDARY, cookie, NULL };
	struct th_resp page = web_get(&stack, j, token_page), r;
	char *body = NULL;
	size_t len = 0;
	int i;

	snprintf(head, sizeof(head), "--" BOUNDARY "\r\nContent-Disposition: form-data; "
	    "name=\"csrf_token\"\r\n\r\n%s\r\n", csrf_in(page.body));
	add(&body, &len, head, strlen(head));
	th_resp_free(&page);
	for (i = 0; fields[i] != NULL; i += 2) {
		snprintf(head, sizeof(head), "--" BOUNDARY "\r\nContent-Disposition: form-data; "
		    "name=\"%s\"\r\n\r\n", fields[i]);
		add(&body, &len, head, strlen(head));
		add(&body, &len, fields[i + 1], strlen(fields[i + 1]));
		add(&body, &len, "\r\n", 2);
	}
	if (fname != NULL) {
		snprintf(head, sizeof(head), "--" BOUNDARY "\r\nContent-Disposition: form-data; "
		    "name=\"attachment\"; filename=\"%s\"\r\nContent-Type: %s\r\n\r\n", fname, ftype);
		add(&body, &len, head, strlen(head));
		add(&body, &len, data, n);
		add(&body, &len, "\r\n", 2);
	}
	add(&body, &len, "--" BOUNDARY "--\r\n", strlen("--" BOUNDARY "--\r\n"));
	snprintf(url, sizeof(url), "%s%s", stack.url, path);
	jar_cookie_header(j, cookie, sizeof(cookie));
	ck_assert_int_eq(th_http("POST", url, body, len, h, &r), 0);
	jar_take(j, &r);
	free(body);
	return r;
}

/* Acts as the agent through the domain, on the console's role. */
struct agent {
	struct db d;
	struct arena *a;
	struct ticket_actor_ref by;
};

static void
agent_open(struct agent *ag)
{
	char *ci = th_db_as(db, "csdesk_console"), *id;

	memset(ag, 0, sizeof(*ag));
	ck_assert_int_eq(db_open(&ag->d, ci, "tickets-agent"), 0);
	free(ci);
	ag->a = arena_new(1 << 16);
	id = sql_owner(db, "SELECT id FROM staff WHERE email = $1", "agent@acme.test");
	ag->by.kind = TA_STAFF;
	ag->by.id = atoll(id);
	free(id);
}

static void
agent_close(struct agent *ag)
{
	db_close(&ag->d);
	arena_free(ag->a);
}

static const unsigned char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR fake image bytes";

/* Creates a ticket as ann through the form; returns its number (malloc'd). */
static char *
create_ticket(struct jar *ann, const char *subject)
{
	const char *fields[] = { "subject", subject,
		"description", "My **router** drops.\n\n<script>alert(1)</script>\n\n"
		    "[click](javascript:alert(2))",
		"category", "", "product", "", "serial", "SN-1", "urgency", "high", NULL };
	struct th_resp r;
	const char *loc;
	char *number;

	r = post_multipart(ann, "/tickets", "/tickets/new", fields, "shot.png", "image/png", png,
	    sizeof(png) - 1);
	ck_assert_int_eq(r.status, 303);
	loc = th_header(&r, "Location");
	ck_assert_ptr_nonnull(loc);
	ck_assert_int_eq(strncmp(loc, "/tickets/TKT-", 13), 0);
	number = strdup(loc + strlen("/tickets/"));
	th_resp_free(&r);
	return number;
}

static char *
ticket_sql(const char *sql, const char *number)
{
	return sql_owner(db, sql, number);
}

START_TEST(ticket_life)
{
	struct jar ann = { 0 };
	struct agent ag;
	struct ticket t;
	struct th_resp r;
	char path[256], *number, *v, *mail, *att;
	const char *why = NULL;

	web_customer_sign_in(&stack, &ann, "ann@alpha.test", PW);
	r = web_get(&stack, &ann, "/tickets/new");
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_nonnull(strstr(r.body, "Product troubleshooting"));
	ck_assert_ptr_nonnull(strstr(r.body, "enctype=\"multipart/form-data\""));
	th_resp_free(&r);

	number = create_ticket(&ann, "Router drops Wi-Fi");
	snprintf(path, sizeof(path), "/tickets/%s", number);
	r = web_get(&stack, &ann, path);
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_nonnull(strstr(r.body, "Router drops Wi-Fi"));
	ck_assert_ptr_nonnull(strstr(r.body, number));	/* the flash and the title */
	ck_assert_ptr_nonnull(strstr(r.body, "<strong>router</strong>"));
	ck_assert_ptr_null(strstr(r.body, "<script>alert"));
	ck_assert_ptr_null(strstr(r.body, "javascript:"));
	ck_assert_ptr_nonnull(strstr(r.body, "shot.png"));
	ck_assert_ptr_nonnull(strstr(r.body, "Received"));
	th_resp_free(&r);

	/* Routed and given to the on-shift agent; mail queued. */
	v = ticket_sql("SELECT q.name || ' ' || s.email || ' ' || t.status || ' ' || t.priority"
	    " FROM tickets t JOIN queues q ON q.id = t.queue_id JOIN staff s ON s.id = t.assignee_id"
	    " WHERE t.number = $1", number);
	ck_assert_str_eq(v, "General agent@acme.test assigned high");
	free(v);
	mail = mail_text(db, "ann@alpha.test", "ticket_created");
	ck_assert_ptr_nonnull(mail);
	ck_assert_ptr_nonnull(strstr(mail, number));
	ck_assert_ptr_nonnull(strstr(mail, path));
	free(mail);
	/* Once, however often the dispatcher runs. */
	th_dispatch(db);
	v = sql_owner(db, "SELECT count(*) FROM notifications WHERE kind = 'ticket_created'"
	    " AND body_text LIKE '%' || $1 || '%'", number);
	ck_assert_str_eq(v, "1");
	free(v);

	/* The agent answers in public and notes something internal. */
	agent_open(&ag);
	ck_assert_int_eq(ticket_get(&ag.d, ag.a, &ag.by, number, &t), 0);
	ck_assert_int_eq(ticket_reply(&ag.d, ag.a, &ag.by,
	    &(struct ticket_reply_in){ .ticket_id = t.id, .kind = "public",
	    .body = "Please update the firmware.", .minutes_spent = 5,
	    .expected_version = t.version }, NULL, &why), 0);
	ck_assert_int_eq(ticket_reply(&ag.d, ag.a, &ag.by,
	    &(struct ticket_reply_in){ .ticket_id = t.id, .kind = "internal",
	    .body = "Known bug KB-17, do not tell yet.", .minutes_spent = 2 }, NULL, &why), 0);
	ck_assert_int_eq(ticket_change_status(&ag.d, ag.a, &ag.by,
	    &(struct ticket_status_in){ .ticket_id = t.id, .to = TS_IN_PROGRESS }, &why), 0);
	ck_assert_int_eq(ticket_change_status(&ag.d, ag.a, &ag.by,
	    &(struct ticket_status_in){ .ticket_id = t.id, .to = TS_RESOLVED,
	    .resolution_code = "fixed", .root_cause = "Firmware 2.4.1" }, &why), 0);

	r = web_get(&stack, &ann, path);
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_nonnull(strstr(r.body, "Please update the firmware."));
	ck_assert_ptr_null(strstr(r.body, "KB-17"));
	ck_assert_ptr_nonnull(strstr(r.body, "/confirm"));
	ck_assert_ptr_nonnull(strstr(r.body, "/reopen"));
	th_resp_free(&r);

	/* Reopen with a message; the agent resolves again; the customer confirms. */
	snprintf(path, sizeof(path), "/tickets/%s/reopen", number);
	{
		char page[256];

		snprintf(page, sizeof(page), "/tickets/%s", number);
		r = web_post(&stack, &ann, path, page, "body=Still+drops+at+night.");
		ck_assert_int_eq(r.status, 303);
		th_resp_free(&r);
		v = ticket_sql("SELECT status || ' ' || reopen_count FROM tickets WHERE number = $1",
		    number);
		ck_assert_str_eq(v, "reopened 1");
		free(v);
		ck_assert_int_eq(ticket_change_status(&ag.d, ag.a, &ag.by,
		    &(struct ticket_status_in){ .ticket_id = t.id, .to = TS_RESOLVED,
		    .resolution_code = "fixed" }, &why), 0);
		snprintf(path, sizeof(path), "/tickets/%s/confirm", number);
		r = web_post(&stack, &ann, path, page, "rating=5&comment=Great+help");
		ck_assert_int_eq(r.status, 303);
		th_resp_free(&r);
		v = ticket_sql("SELECT status || ' ' || rating || ' ' || rating_comment FROM tickets"
		    " WHERE number = $1", number);
		ck_assert_str_eq(v, "closed 5 Great help");
		free(v);
		/* Closed: a reply is refused with a message, not an error page. */
		snprintf(path, sizeof(path), "/tickets/%s/replies", number);
		r = web_post(&stack, &ann, path, page, "body=Hello");
		ck_assert_int_eq(r.status, 303);
		th_resp_free(&r);
		r = web_get(&stack, &ann, page);
		ck_assert_msg(strstr(r.body, "reopen it") != NULL, "%s", r.body);
		ck_assert_ptr_nonnull(strstr(r.body, "Still drops at night."));
		th_resp_free(&r);
	}

	/* The history holds every step. */
	v = ticket_sql("SELECT string_agg(e.field || ':' || coalesce(e.new_value, ''), ','"
	    " ORDER BY e.id) FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id"
	    " WHERE t.number = $1", number);
	ck_assert_msg(strstr(v, "created:portal,routing:Everything to General,assignee:") == v &&
	    strstr(v, ",attachment:shot.png,comment:public,") != NULL, "%s", v);
	ck_assert_msg(strstr(v, ",comment:public,first_response:now,comment:internal,"
	    "status:in_progress,status:resolved,resolution_code:fixed,root_cause:Firmware 2.4.1,"
	    "status:reopened,comment:public,status:resolved,resolution_code:fixed,status:closed,"
	    "rating:5") != NULL,
	    "%s", v);
	free(v);

	/* The file comes back as an attachment, byte for byte. */
	att = ticket_sql("SELECT a.id FROM ticket_attachments a JOIN tickets t ON t.id = a.ticket_id"
	    " WHERE t.number = $1", number);
	snprintf(path, sizeof(path), "/tickets/%s/attachments/%s", number, att);
	r = web_get(&stack, &ann, path);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(th_header(&r, "Content-Disposition"), "attachment; filename=\"shot.png\"");
	ck_assert_str_eq(th_header(&r, "X-Content-Type-Options"), "nosniff");
	ck_assert_str_eq(th_header(&r, "Content-Type"), "image/png");
	ck_assert_uint_eq(r.body_len, sizeof(png) - 1);
	ck_assert_int_eq(memcmp(r.body, png, r.body_len), 0);
	th_resp_free(&r);

	/* The list shows it. */
	r = web_get(&stack, &ann, "/tickets");
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_nonnull(strstr(r.body, number));
	th_resp_free(&r);
	r = web_get(&stack, &ann, "/tickets?status=open");
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_null(strstr(r.body, number));
	th_resp_free(&r);

	/* Another account: 404 for the page, a reply and the file. */
	{
		struct jar eve = { 0 };
		char page[256];

		web_customer_sign_in(&stack, &eve, "eve@beta.test", PW);
		snprintf(page, sizeof(page), "/tickets/%s", number);
		r = web_get(&stack, &eve, page);
		ck_assert_int_eq(r.status, 404);
		th_resp_free(&r);
		r = web_get(&stack, &eve, path);
		ck_assert_int_eq(r.status, 404);
		th_resp_free(&r);
		snprintf(page, sizeof(page), "/tickets/%s/replies", number);
		r = web_post(&stack, &eve, page, "/tickets", "body=Mine+now");
		ck_assert_int_eq(r.status, 404);
		th_resp_free(&r);
		r = web_get(&stack, &eve, "/tickets");
		ck_assert_int_eq(r.status, 200);
		ck_assert_ptr_null(strstr(r.body, number));
		th_resp_free(&r);
	}
	v = ticket_sql("SELECT count(*) FROM ticket_comments c JOIN tickets t ON t.id = c.ticket_id"
	    " WHERE t.number = $1 AND c.body = 'Mine now'", number);
	ck_assert_str_eq(v, "0");
	free(v);
	free(att);
	free(number);
	agent_close(&ag);
}
END_TEST

START_TEST(form_errors_keep_values)
{
	struct jar ann = { 0 };
	const char *fields[] = { "subject", "", "description", "Kept description text",
		"urgency", "low", NULL };
	const char *exe_fields[] = { "subject", "Tool", "description", "See file", NULL };
	struct th_resp r;

	web_customer_sign_in(&stack, &ann, "ann@alpha.test", PW);
	r = post_multipart(&ann, "/tickets", "/tickets/new", fields, NULL, NULL, NULL, 0);
	ck_assert_int_eq(r.status, 422);
	ck_assert_ptr_nonnull(strstr(r.body, "Kept description text"));
	ck_assert_ptr_nonnull(strstr(r.body, "Enter a subject."));
	th_resp_free(&r);
	r = post_multipart(&ann, "/tickets", "/tickets/new", exe_fields, "tool.exe",
	    "application/octet-stream", (const unsigned char *)"MZ\x90\0", 4);
	ck_assert_int_eq(r.status, 422);
	ck_assert_ptr_nonnull(strstr(r.body, "not accepted"));
	th_resp_free(&r);
	/* Signed out: the pages are not there for you. */
	{
		struct jar nobody = { 0 };

		r = web_get(&stack, &nobody, "/tickets");
		ck_assert_int_ne(r.status, 200);
		th_resp_free(&r);
	}
}
END_TEST

Suite *http_tickets_suite(void);

Suite *
http_tickets_suite(void)
{
	Suite *s = suite_create("http_tickets");
	TCase *tc = tcase_create("tickets");

	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, ticket_life);
	tcase_add_test(tc, form_errors_keep_values);
	suite_add_tcase(s, tc);
	return s;
}
