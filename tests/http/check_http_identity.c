/*
 * Identity and access through nginx: registration, verification, sign-in
 * and out, throttling, session lifetimes, CSRF, the access of every
 * console route, second factor, and what the portal's database role can
 * see.
 */
#include "identity.h"
#include "auth/password.h"
#include "db/db.h"

#include <check.h>
#include <liboath/oath.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define GOOD_PW "blue kettle marathon 42"
#define STAFF_PW "copper lantern orchard 7"

static struct th_stack stack;
static char *db;

static void
setup(void)
{
	const char *env[] = { "CSDESK_SESSION_CUSTOMER_IDLE=3", NULL };
	struct db d;
	char hash[PASSWORD_HASH_MAX];
	long long uid;

	ck_assert_int_ge(sodium_init(), 0);
	db = th_db_create("identity");
	ck_assert_int_eq(db_open(&d, db, "identity-setup"), 0);
	ck_assert_int_eq(password_hash(STAFF_PW, hash), 0);
	ck_assert_int_gt(staff_fixture(&d, "agent@acme.test", "Alex Agent", hash, "agent"), 0);
	ck_assert_int_eq(password_hash(GOOD_PW, hash), 0);
	ck_assert_int_gt(customer_fixture(&d, "Other Ltd", "company", "standard", "en",
	    "other@other.test", "Olga Other", hash, 1, &uid), 0);
	db_close(&d);
	th_stack_start(&stack, db, 2, env);
}

static void
teardown(void)
{
	th_stack_stop(&stack);
	th_db_drop(db);
	free(db);
}

/* Signs in with the form's token taken from token_page. */
static long
sign_in_from(struct jar *j, const char *email, const char *pw, const char *token_page)
{
	char body[512];
	struct th_resp r;
	long st;

	snprintf(body, sizeof(body), "email=%s&password=%s", email, pw);
	for (char *p = body; *p; p++)
		if (*p == ' ')
			*p = '+';
	r = web_post(&stack, j, "/login", token_page, body);
	st = r.status;
	th_resp_free(&r);
	return st;
}

static long
sign_in(struct jar *j, const char *email, const char *pw)
{
	return sign_in_from(j, email, pw, "/login");
}

/* Registers ann@acme.test and follows the link in the mail. */
static void
register_and_verify(const char *email)
{
	struct jar j = { 0 };
	char body[512], *text, *link;
	struct th_resp r;

	snprintf(body, sizeof(body), "name=Ann+Smith&email=%s&password=blue+kettle+marathon+42",
	    email);
	r = web_post(&stack, &j, "/register", "/register", body);
	ck_assert_int_eq(r.status, 303);
	ck_assert_str_eq(th_header(&r, "Location"), "/login");
	th_resp_free(&r);
	/* Not verified yet: signing in is refused with a hint. */
	ck_assert_int_eq(sign_in(&j, email, GOOD_PW), 403);
	text = mail_text(db, email, "verify_email");
	ck_assert_ptr_nonnull(text);
	link = link_path(text, "/verify?token=");
	ck_assert_ptr_nonnull(link);
	r = web_get(&stack, &j, link);
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
	/* The link is single-use. */
	r = web_get(&stack, &j, link);
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
	r = web_get(&stack, &j, "/login");
	ck_assert_ptr_nonnull(strstr(r.body, "not valid any more"));
	th_resp_free(&r);
	free(link);
	free(text);
}

START_TEST(register_verify_login_logout)
{
	struct jar j = { 0 };
	struct th_resp r;
	char *hash, old[128];

	register_and_verify("ann@acme.test");
	ck_assert_int_eq(sign_in(&j, "ann@acme.test", GOOD_PW), 303);
	ck_assert_ptr_nonnull(jar_get(&j, "csdesk_session"));
	snprintf(old, sizeof(old), "%s", jar_get(&j, "csdesk_session"));
	r = web_get(&stack, &j, "/account");
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_nonnull(strstr(r.body, "ann@acme.test"));
	ck_assert_str_eq(th_header(&r, "Cache-Control"), "no-store");
	th_resp_free(&r);
	/* Stored passwords are Argon2id. */
	hash = sql_owner(db, "SELECT password_hash FROM portal_users WHERE email = $1",
	    "ann@acme.test");
	ck_assert_int_eq(strncmp(hash, "$argon2id$", 10), 0);
	free(hash);
	/* Signing in again gives a new session id, and the old one ends. */
	ck_assert_int_eq(sign_in_from(&j, "ann@acme.test", GOOD_PW, "/account"), 303);
	ck_assert_str_ne(jar_get(&j, "csdesk_session"), old);
	hash = sql_owner(db, "SELECT count(*) FROM portal_sessions s JOIN portal_users u"
	    " ON u.id = s.portal_user_id WHERE u.email = $1", "ann@acme.test");
	ck_assert_str_eq(hash, "1");
	free(hash);
	r = web_post(&stack, &j, "/logout", "/account", "");
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
	ck_assert_ptr_null(jar_get(&j, "csdesk_session"));
	r = web_get(&stack, &j, "/account");
	ck_assert_int_eq(r.status, 303);
	ck_assert_ptr_nonnull(strstr(th_header(&r, "Location"), "/login"));
	th_resp_free(&r);
}
END_TEST

START_TEST(session_ends_after_logout_idle_and_deactivation)
{
	struct jar j = { 0 }, stolen;
	struct th_resp r;
	char *v;

	register_and_verify("ben@acme.test");
	ck_assert_int_eq(sign_in(&j, "ben@acme.test", GOOD_PW), 303);
	stolen = j;
	r = web_post(&stack, &j, "/logout", "/account", "");
	th_resp_free(&r);
	/* The old cookie is dead server-side, not just deleted in the browser. */
	r = web_get(&stack, &stolen, "/account");
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
	/* Idle timeout (3 s in this stack). */
	jar_clear(&j);
	ck_assert_int_eq(sign_in(&j, "ben@acme.test", GOOD_PW), 303);
	sleep(4);
	r = web_get(&stack, &j, "/account");
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
	/* Deactivation ends it at once. */
	jar_clear(&j);
	ck_assert_int_eq(sign_in(&j, "ben@acme.test", GOOD_PW), 303);
	v = sql_owner(db, "UPDATE portal_users SET active = false WHERE email = $1", "ben@acme.test");
	free(v);
	r = web_get(&stack, &j, "/account");
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
}
END_TEST

static double
timed_login(const char *email, const char *pw, long *status)
{
	struct jar j = { 0 };
	struct timespec a, b;

	clock_gettime(CLOCK_MONOTONIC, &a);
	*status = sign_in(&j, email, pw);
	clock_gettime(CLOCK_MONOTONIC, &b);
	return (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
}

START_TEST(wrong_password_and_unknown_account_look_alike)
{
	struct jar j = { 0 };
	struct th_resp r1, r2;
	double t_wrong, t_unknown;
	long s1, s2;

	t_wrong = timed_login("other@other.test", "not+the+password+at+all", &s1);
	t_unknown = timed_login("nobody@nowhere.test", "not+the+password+at+all", &s2);
	ck_assert_int_eq(s1, 401);
	ck_assert_int_eq(s2, 401);
	/* Both pay for one Argon2id verification: same order of magnitude. */
	ck_assert_msg(t_unknown > t_wrong / 3 && t_unknown < t_wrong * 3,
	    "wrong password %.3fs, unknown account %.3fs", t_wrong, t_unknown);
	r1 = web_post(&stack, &j, "/login", "/login", "email=other@other.test&password=xxxxxxxxxxxx");
	r2 = web_post(&stack, &j, "/login", "/login", "email=nobody@nowhere.test&password=xxxxxxxxxxxx");
	ck_assert_ptr_nonnull(strstr(r1.body, "Incorrect e-mail address or password."));
	ck_assert_ptr_nonnull(strstr(r2.body, "Incorrect e-mail address or password."));
	th_resp_free(&r1);
	th_resp_free(&r2);
	/* The forgotten-password form answers the same either way. */
	r1 = web_post(&stack, &j, "/password/forgot", "/password/forgot", "email=other@other.test");
	r2 = web_post(&stack, &j, "/password/forgot", "/password/forgot", "email=nobody@nowhere.test");
	ck_assert_int_eq(r1.status, r2.status);
	ck_assert_str_eq(th_header(&r1, "Location"), "/login");
	th_resp_free(&r1);
	th_resp_free(&r2);
}
END_TEST

START_TEST(throttling_engages_and_releases)
{
	struct jar j = { 0 };
	char *v;
	int i;

	register_and_verify("cat@acme.test");
	for (i = 0; i < 5; i++)
		ck_assert_int_eq(sign_in(&j, "cat@acme.test", "wrong+password+here"), 401);
	/* Now even the right password waits. */
	ck_assert_int_eq(sign_in(&j, "cat@acme.test", GOOD_PW), 429);
	/* Fifteen minutes later (moved in the database) it is over. */
	v = sql_owner(db, "UPDATE login_attempts SET at = at - interval '16 minutes' WHERE who = $1",
	    "cat@acme.test");
	free(v);
	ck_assert_int_eq(sign_in(&j, "cat@acme.test", GOOD_PW), 303);
}
END_TEST

START_TEST(csrf_is_required_and_changes_nothing)
{
	struct jar j = { 0 };
	struct th_resp r;
	char *before, *after;

	register_and_verify("dan@acme.test");
	ck_assert_int_eq(sign_in(&j, "dan@acme.test", GOOD_PW), 303);
	before = sql_owner(db, "SELECT password_hash FROM portal_users WHERE email = $1",
	    "dan@acme.test");
	r = web_post(&stack, &j, "/account/password", NULL,
	    "current_password=blue+kettle+marathon+42&password=green+teapot+harbour+9"
	    "&password_again=green+teapot+harbour+9");
	ck_assert_int_eq(r.status, 403);
	th_resp_free(&r);
	r = web_post(&stack, &j, "/account/password", NULL,
	    "csrf_token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA&current_password=blue+kettle+marathon+42"
	    "&password=green+teapot+harbour+9&password_again=green+teapot+harbour+9");
	ck_assert_int_eq(r.status, 403);
	th_resp_free(&r);
	/* A pre-session form needs its token too. */
	jar_clear(&j);
	r = web_post(&stack, &j, "/login", NULL, "email=dan@acme.test&password=blue+kettle+marathon+42");
	ck_assert_int_eq(r.status, 403);
	th_resp_free(&r);
	after = sql_owner(db, "SELECT password_hash FROM portal_users WHERE email = $1",
	    "dan@acme.test");
	ck_assert_str_eq(before, after);
	free(before);
	free(after);
}
END_TEST

START_TEST(customer_cannot_use_any_console_route)
{
	char cmd[1024], line[512];
	struct jar j = { 0 };
	FILE *f;
	int checked = 0;

	register_and_verify("eve@acme.test");
	ck_assert_int_eq(sign_in(&j, "eve@acme.test", GOOD_PW), 303);
	/* The console's own route table, so a new route is covered too. */
	snprintf(cmd, sizeof(cmd), "'%s/console.fcgi' --routes", th_build_dir());
	f = popen(cmd, "r");
	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f) != NULL) {
		char method[16], pattern[400], path[400];
		struct th_resp r;
		size_t i, k = 0;
		int in = 0;

		if (sscanf(line, "%15s %399s", method, pattern) != 2)
			continue;
		for (i = 0; pattern[i] && k < sizeof(path) - 2; i++) {
			if (pattern[i] == '{')
				in = 1, path[k++] = '1';
			else if (pattern[i] == '}')
				in = 0;
			else if (!in)
				path[k++] = pattern[i];
		}
		path[k] = '\0';
		/* Public by design: signing in, health, a technician's calendar feed (its
		 * secret URL is the access: field_day.c). */
		if (strstr(path, "login") != NULL || strstr(path, "healthz") != NULL ||
		    strncmp(path, "/agent/field/calendar/", 22) == 0)
			continue;
		if (strcmp(method, "GET") == 0)
			r = web_get(&stack, &j, path);
		else
			r = web_post(&stack, &j, path, "/account", "x=1");
		/* The API answers 401 JSON: it knows keys, not browser sessions. */
		if (strncmp(path, "/api/", 5) == 0)
			ck_assert_msg(r.status == 401, "%s %s answered %ld", method, path, r.status);
		else
			ck_assert_msg(r.status == 303 || r.status == 403, "%s %s answered %ld", method,
			    path, r.status);
		if (r.status == 303)
			ck_assert_ptr_nonnull(strstr(th_header(&r, "Location"), "/agent/login"));
		th_resp_free(&r);
		checked++;
	}
	pclose(f);
	ck_assert_int_gt(checked, 5);
}
END_TEST

START_TEST(other_accounts_sessions_are_not_found)
{
	struct jar a = { 0 }, b = { 0 };
	struct th_resp r;
	char *sid, path[128];

	register_and_verify("fay@acme.test");
	ck_assert_int_eq(sign_in(&a, "other@other.test", GOOD_PW), 303);
	ck_assert_int_eq(sign_in(&b, "fay@acme.test", GOOD_PW), 303);
	sid = sql_owner(db, "SELECT s.id FROM portal_sessions s JOIN portal_users u"
	    " ON u.id = s.portal_user_id WHERE u.email = $1", "other@other.test");
	snprintf(path, sizeof(path), "/account/sessions/%s/end", sid);
	r = web_post(&stack, &b, path, "/account", "");
	ck_assert_int_eq(r.status, 404);
	th_resp_free(&r);
	/* And Olga is still signed in. */
	r = web_get(&stack, &a, "/account");
	ck_assert_int_eq(r.status, 200);
	th_resp_free(&r);
	free(sid);
}
END_TEST

START_TEST(portal_role_sees_only_its_customer)
{
	char *as_portal = th_db_as(db, "csdesk_portal"), *other, *n;
	PGconn *c = PQconnectdb(as_portal);
	const char *p[1];
	PGresult *r;

	other = sql_owner(db, "SELECT customer_id FROM portal_users WHERE email = $1",
	    "other@other.test");
	ck_assert_int_eq(PQstatus(c), CONNECTION_OK);
	/* No customer named: nothing at all. */
	r = PQexecParams(c, "SELECT count(*) FROM portal_users", 0, NULL, NULL, NULL, NULL, 0);
	ck_assert_str_eq(PQgetvalue(r, 0, 0), "0");
	PQclear(r);
	/* Named as Olga's account, in a transaction: only that account. */
	PQclear(PQexecParams(c, "BEGIN", 0, NULL, NULL, NULL, NULL, 0));
	p[0] = other;
	PQclear(PQexecParams(c, "SELECT set_config('csdesk.customer_id', $1, true)", 1, NULL, p,
	    NULL, NULL, 0));
	r = PQexecParams(c, "SELECT count(*), count(*) FILTER (WHERE customer_id <> $1::bigint)"
	    " FROM portal_users", 1, NULL, p, NULL, NULL, 0);
	ck_assert_str_eq(PQgetvalue(r, 0, 0), "1");
	ck_assert_str_eq(PQgetvalue(r, 0, 1), "0");
	PQclear(r);
	r = PQexecParams(c, "SELECT count(*) FROM customers", 0, NULL, NULL, NULL, NULL, 0);
	ck_assert_str_eq(PQgetvalue(r, 0, 0), "1");
	PQclear(r);
	PQclear(PQexecParams(c, "COMMIT", 0, NULL, NULL, NULL, NULL, 0));
	/* Staff and their sessions are out of reach entirely. */
	r = PQexecParams(c, "SELECT count(*) FROM staff", 0, NULL, NULL, NULL, NULL, 0);
	ck_assert_int_eq(PQresultStatus(r), PGRES_FATAL_ERROR);
	PQclear(r);
	r = PQexecParams(c, "SELECT count(*) FROM staff_sessions", 0, NULL, NULL, NULL, NULL, 0);
	ck_assert_int_eq(PQresultStatus(r), PGRES_FATAL_ERROR);
	PQclear(r);
	PQfinish(c);
	n = sql_owner(db, "SELECT count(*) FROM portal_users", NULL);
	ck_assert_int_gt(atoi(n), 1);
	free(n);
	free(other);
	free(as_portal);
}
END_TEST

/* The current TOTP code for the staff member's stored secret, at t. */
static void
code_for(const char *email, time_t t, char out[7])
{
	char *hex = sql_owner(db, "SELECT encode(totp_secret, 'hex') FROM staff WHERE email = $1",
	    email);
	char secret[64];
	size_t len = strlen(hex) / 2, i;

	for (i = 0; i < len; i++)
		sscanf(hex + 2 * i, "%2hhx", (unsigned char *)&secret[i]);
	ck_assert_int_eq(oath_init(), OATH_OK);
	ck_assert_int_eq(oath_totp_generate(secret, len, t, 30, 0, 6, out), OATH_OK);
	free(hex);
}

START_TEST(totp_enrolment_and_login)
{
	struct jar j = { 0 };
	struct th_resp r;
	char code[7], body[256], recovery[32] = "";
	const char *p;

	r = web_post(&stack, &j, "/agent/login", "/agent/login",
	    "email=agent@acme.test&password=copper+lantern+orchard+7");
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
	r = web_get(&stack, &j, "/agent/account/2fa");
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_nonnull(strstr(r.body, "<svg"));
	th_resp_free(&r);
	code_for("agent@acme.test", time(NULL), code);
	snprintf(body, sizeof(body), "code=%s&current_password=copper+lantern+orchard+7", code);
	r = web_post(&stack, &j, "/agent/account/2fa", "/agent/account", body);
	ck_assert_int_eq(r.status, 200);
	p = strstr(r.body, "<li><code>");
	ck_assert_ptr_nonnull(p);
	sscanf(p + 10, "%31[^<]", recovery);
	th_resp_free(&r);
	r = web_post(&stack, &j, "/agent/logout", "/agent/account", "");
	th_resp_free(&r);
	/* Password alone is not enough now. */
	jar_clear(&j);
	r = web_post(&stack, &j, "/agent/login", "/agent/login",
	    "email=agent@acme.test&password=copper+lantern+orchard+7");
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_nonnull(strstr(r.body, "name=\"totp\""));
	ck_assert_ptr_null(jar_get(&j, "csdesk_staff"));
	th_resp_free(&r);
	/* The next time step's code (the current one was spent enrolling). */
	code_for("agent@acme.test", time(NULL) + 30, code);
	snprintf(body, sizeof(body), "email=agent@acme.test&password=copper+lantern+orchard+7"
	    "&totp=%s", code);
	r = web_post(&stack, &j, "/agent/login", "/agent/login", body);
	ck_assert_int_eq(r.status, 303);
	ck_assert_ptr_nonnull(jar_get(&j, "csdesk_staff"));
	th_resp_free(&r);
	/* The same code again is a replay. */
	jar_clear(&j);
	r = web_post(&stack, &j, "/agent/login", "/agent/login", body);
	ck_assert_int_eq(r.status, 401);
	th_resp_free(&r);
	/* A recovery code works once. */
	snprintf(body, sizeof(body), "email=agent@acme.test&password=copper+lantern+orchard+7"
	    "&totp=%s", recovery);
	r = web_post(&stack, &j, "/agent/login", "/agent/login", body);
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
	jar_clear(&j);
	r = web_post(&stack, &j, "/agent/login", "/agent/login", body);
	ck_assert_int_eq(r.status, 401);
	th_resp_free(&r);
}
END_TEST

Suite *http_identity_suite(void);

Suite *
http_identity_suite(void)
{
	Suite *s = suite_create("http_identity");
	TCase *tc = tcase_create("identity");

	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, register_verify_login_logout);
	tcase_add_test(tc, session_ends_after_logout_idle_and_deactivation);
	tcase_add_test(tc, wrong_password_and_unknown_account_look_alike);
	tcase_add_test(tc, throttling_engages_and_releases);
	tcase_add_test(tc, csrf_is_required_and_changes_nothing);
	tcase_add_test(tc, customer_cannot_use_any_console_route);
	tcase_add_test(tc, other_accounts_sessions_are_not_found);
	tcase_add_test(tc, portal_role_sees_only_its_customer);
	tcase_add_test(tc, totp_enrolment_and_login);
	suite_add_tcase(s, tc);
	return s;
}
