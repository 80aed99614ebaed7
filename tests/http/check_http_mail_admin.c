/*
 * The e-mail admin pages through nginx: an admin routes an address to a
 * queue (a wrong address or a taken one comes back at its field, with
 * what was typed), gives a team its address and signature, sets the
 * attachment and auto-reply settings (a template that does not compile
 * is refused); the mail log lists what `csdesk mail-in` received and
 * shows an original as text, never as markup; agents do not get in.
 */
#include "identity.h"
#include "../lib/dispatch.h"
#include "auth/password.h"
#include "db/db.h"

#include <check.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ADMIN_PW "granite pelican harbour 31"
#define AGENT_PW "copper walrus meadow 72"

static struct th_stack stack;
static char *db;

static void
setup(void)
{
	struct db d;
	char hash[PASSWORD_HASH_MAX];

	ck_assert_int_ge(sodium_init(), 0);
	db = th_db_create("mail_admin");
	ck_assert_int_eq(db_open(&d, db, "mail-admin-setup"), 0);
	ck_assert_int_eq(password_hash(ADMIN_PW, hash), 0);
	ck_assert_int_gt(staff_fixture(&d, "root@acme.test", "Ada Admin", hash,
	    "agent,admin"), 0);
	ck_assert_int_eq(password_hash(AGENT_PW, hash), 0);
	ck_assert_int_gt(staff_fixture(&d, "agent@acme.test", "Al Agent", hash, "agent"), 0);
	db_close(&d);
	free(sql_owner(db, "INSERT INTO queues (name) VALUES ('Returns')", NULL));
	free(sql_owner(db, "INSERT INTO teams (name) VALUES ('Returns desk')", NULL));
	th_stack_start(&stack, db, 2, NULL);
}

static void
teardown(void)
{
	th_stack_stop(&stack);
	th_db_drop(db);
	free(db);
}

START_TEST(admin_sets_addresses_teams_and_settings)
{
	struct jar j = { 0 };
	struct th_resp r;
	char body[512], *v, *q, *t;

	web_staff_sign_in(&stack, &j, "root@acme.test", ADMIN_PW);
	q = sql_owner(db, "SELECT id FROM queues WHERE name = 'Returns'", NULL);
	t = sql_owner(db, "SELECT id FROM teams WHERE name = 'Returns desk'", NULL);
	snprintf(body, sizeof(body), "address=Returns%%40example.com&queue_id=%s", q);
	r = web_post(&stack, &j, "/agent/admin/mail-in/addresses", "/agent/admin/mail-in", body);
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
	v = sql_owner(db, "SELECT q.name FROM mail_addresses a JOIN queues q ON q.id = a.queue_id"
	    " WHERE a.address = $1", "returns@example.com");
	ck_assert_str_eq(v, "Returns");
	free(v);
	/* Taken, and not an address: the message at the field, the typed value kept. */
	r = web_post(&stack, &j, "/agent/admin/mail-in/addresses", "/agent/admin/mail-in", body);
	ck_assert_int_eq(r.status, 422);
	ck_assert_msg(strstr(r.body, "That address is in use already.") != NULL, "%.300s", r.body);
	th_resp_free(&r);
	snprintf(body, sizeof(body), "address=not+an+address&queue_id=%s", q);
	r = web_post(&stack, &j, "/agent/admin/mail-in/addresses", "/agent/admin/mail-in", body);
	ck_assert_int_eq(r.status, 422);
	ck_assert_msg(strstr(r.body, "id=\"address-error\"") != NULL, "%.300s", r.body);
	ck_assert_msg(strstr(r.body, "value=\"not an address\"") != NULL, "%.300s", strstr(r.body, "id=\"address\""));
	th_resp_free(&r);
	/* A team's address and signature. */
	snprintf(body, sizeof(body), "team_id=%s&team_address=returns-desk%%40example.com"
	    "&signature=The+Returns+desk", t);
	r = web_post(&stack, &j, "/agent/admin/mail-in/teams", "/agent/admin/mail-in", body);
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
	v = sql_owner(db, "SELECT address || '|' || signature FROM team_mail WHERE team_id = $1",
	    t);
	ck_assert_str_eq(v, "returns-desk@example.com|The Returns desk");
	free(v);
	/* Settings: a template that does not compile is refused, and nothing saved. */
	r = web_post(&stack, &j, "/agent/admin/mail-in/settings", "/agent/admin/mail-in",
	    "file_max_kb=2048&types=image%2F*%2C+application%2Fpdf&per_hour=2"
	    "&autoreply_text=Ticket+%7B%7B%23ticket.number%7D%7D");
	ck_assert_int_eq(r.status, 422);
	ck_assert_msg(strstr(r.body, "not a valid template") != NULL, "%.300s", r.body);
	th_resp_free(&r);
	r = web_post(&stack, &j, "/agent/admin/mail-in/settings", "/agent/admin/mail-in",
	    "file_max_kb=20000&types=image%2F*&per_hour=2&autoreply_text=");
	ck_assert_int_eq(r.status, 422);
	ck_assert_msg(strstr(r.body, "id=\"file-max-error\"") != NULL, "%.300s", r.body);
	th_resp_free(&r);
	r = web_post(&stack, &j, "/agent/admin/mail-in/settings", "/agent/admin/mail-in",
	    "file_max_kb=2048&types=image%2F*%2C+application%2Fpdf&per_hour=2"
	    "&autoreply_text=Your+request+%7B%7Bticket.number%7D%7D+is+open.");
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
	v = sql_owner(db, "SELECT string_agg(value, '|' ORDER BY key) FROM settings"
	    " WHERE key LIKE $1", "mail\\_%");
	ck_assert_str_eq(v, "2097152|image/*, application/pdf|2|"
	    "Your request {{ticket.number}} is open.");
	free(v);
	free(q);
	free(t);
}
END_TEST

START_TEST(mail_log_shows_where_mail_went_and_the_original_as_text)
{
	struct jar j = { 0 };
	struct th_resp r;
	char path[256], *id;

	snprintf(path, sizeof(path), "/tmp/csdesk-mail-admin-%d.eml", (int)getpid());
	ck_assert_int_eq(th_sh("printf 'From: Eve <eve@example.net>\\r\\nTo: support@example.com\\r\\n"
	    "Subject: <b>Bold</b> claim\\r\\nMessage-ID: <log-1@example.net>\\r\\n"
	    "Content-Type: text/html\\r\\n\\r\\n<script>alert(1)</script><p>Hello</p>\\r\\n' > '%s'"
	    " && CSDESK_DB='%s' '%s/csdesk' mail-in < '%s' > /dev/null", path, db, th_build_dir(),
	    path), 0);
	remove(path);
	id = sql_owner(db, "SELECT id FROM mail_messages WHERE from_addr = $1", "eve@example.net");
	web_staff_sign_in(&stack, &j, "root@acme.test", ADMIN_PW);
	r = web_get(&stack, &j, "/agent/admin/mail-log?status=ticket");
	ck_assert_int_eq(r.status, 200);
	ck_assert_msg(strstr(r.body, "eve@example.net") != NULL, "%.300s", r.body);
	ck_assert_msg(strstr(r.body, "&lt;b&gt;Bold&lt;/b&gt; claim") != NULL, "%.300s", r.body);
	ck_assert_msg(strstr(r.body, "New ticket TKT-") != NULL, "%.300s", r.body);
	th_resp_free(&r);
	r = web_get(&stack, &j, "/agent/admin/mail-log?status=bounce");
	ck_assert_int_eq(r.status, 200);
	ck_assert_msg(strstr(r.body, "eve@example.net") == NULL, "%.300s", r.body);
	th_resp_free(&r);
	r = web_get(&stack, &j, "/agent/admin/mail-log?status=nonsense");
	ck_assert_int_eq(r.status, 400);
	th_resp_free(&r);
	snprintf(path, sizeof(path), "/agent/admin/mail-log/%s", id);
	r = web_get(&stack, &j, path);
	ck_assert_int_eq(r.status, 200);
	ck_assert_msg(strstr(r.body, "&lt;script&gt;alert(1)&lt;/script&gt;") != NULL, "%.300s",
	    r.body);
	ck_assert_msg(strstr(r.body, "<script>alert") == NULL, "%.300s", r.body);
	th_resp_free(&r);
	r = web_get(&stack, &j, "/agent/admin/mail-log/999999999");
	ck_assert_int_eq(r.status, 404);
	th_resp_free(&r);
	/* An agent who is not an admin does not see the log. */
	jar_clear(&j);
	web_staff_sign_in(&stack, &j, "agent@acme.test", AGENT_PW);
	r = web_get(&stack, &j, path);
	ck_assert_int_eq(r.status, 403);
	th_resp_free(&r);
	free(id);
}
END_TEST

/*
 * A contact made from a mail has no password: the password form, the
 * sign-in link and the reset link all refuse it, until its invitation
 * (in the confirmation of its request) sets one.
 */
START_TEST(passwordless_contact_signs_in_only_after_its_invitation)
{
	struct jar j = { 0 };
	struct th_resp r;
	char path[256], body[512], *text, *link, *n;

	snprintf(path, sizeof(path), "/tmp/csdesk-mail-contact-%d.eml", (int)getpid());
	ck_assert_int_eq(th_sh("printf 'From: Ivy <ivy@example.net>\\r\\nTo: support@example.com\\r\\n"
	    "Subject: Hinge broken\\r\\nMessage-ID: <ivy-1@example.net>\\r\\n\\r\\nIt broke.\\r\\n'"
	    " > '%s' && CSDESK_DB='%s' '%s/csdesk' mail-in < '%s' > /dev/null", path, db,
	    th_build_dir(), path), 0);
	remove(path);
	r = web_post(&stack, &j, "/login", "/login", "email=ivy%40example.net&password=orange+tiger+lamp+11");
	ck_assert_msg(strstr(r.body, "Incorrect e-mail address or password.") != NULL, "%.300s",
	    r.body);
	th_resp_free(&r);
	ck_assert_ptr_null(jar_get(&j, "csdesk_session"));
	r = web_post(&stack, &j, "/login/link", "/login/link", "email=ivy%40example.net");
	th_resp_free(&r);
	r = web_post(&stack, &j, "/password/forgot", "/password/forgot", "email=ivy%40example.net");
	th_resp_free(&r);
	n = sql_owner(db, "SELECT count(*) FROM notifications WHERE recipient = $1"
	    " AND kind IN ('signin_link', 'reset_password')", "ivy@example.net");
	ck_assert_str_eq(n, "0");
	free(n);
	/* The invitation, in the confirmation, sets the first password. */
	th_dispatch(db);
	text = mail_text(db, "ivy@example.net", "ticket_created");
	ck_assert_ptr_nonnull(text);
	link = link_path(text, "/password/reset?token=");
	ck_assert_ptr_nonnull(link);
	snprintf(body, sizeof(body), "token=%s&password=amber+falcon+river+93"
	    "&password_again=amber+falcon+river+93", strchr(link, '=') + 1);
	r = web_post(&stack, &j, "/password/reset", link, body);
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
	r = web_post(&stack, &j, "/login", "/login",
	    "email=ivy%40example.net&password=amber+falcon+river+93");
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
	free(text);
	free(link);
}
END_TEST

Suite *http_mail_admin_suite(void);

Suite *
http_mail_admin_suite(void)
{
	Suite *s = suite_create("http_mail_admin");
	TCase *tc = tcase_create("mail_admin");

	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, admin_sets_addresses_teams_and_settings);
	tcase_add_test(tc, mail_log_shows_where_mail_went_and_the_original_as_text);
	tcase_add_test(tc, passwordless_contact_signs_in_only_after_its_invitation);
	suite_add_tcase(s, tc);
	return s;
}
