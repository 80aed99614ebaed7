/*
 * Sign-in and API key hardening through nginx: an API key stops with its
 * maker's admin role, keeps to its scope and expires; guessing someone's
 * password slows the guesser, not the owner (a known device signs in
 * during the attack, a new one by a mailed link, customers and staff); reset mail still goes
 * while sign-in is throttled and is limited per address, as is the
 * "someone tried to register your address" mail; re-checks of the current
 * password are throttled like sign-in.
 */
#include "identity.h"
#include "../lib/fixtures.h"
#include "auth/throttle.h"
#include "domain/api_keys.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct th_stack stack;
static char *db;

static void
setup(void)
{
	db = th_db_create("hardening_auth");
	th_stack_start(&stack, db, 2, NULL);
}

static void
teardown(void)
{
	th_stack_stop(&stack);
	th_db_drop(db);
	free(db);
}

/* "email=<address with @ encoded>&<rest>" into out. */
static void
form_with(char *out, size_t size, const char *email, const char *rest)
{
	const char *at = strchr(email, '@');

	snprintf(out, size, "email=%.*s%%40%s%s%s", (int)(at - email), email, at + 1,
	    *rest ? "&" : "", rest);
}

/* Makes a key on the admin page with extra form fields; copies it into key. */
static void
make_key(struct jar *j, const char *fields, char key[API_KEY_LEN + 1])
{
	struct th_resp r = web_post(&stack, j, "/agent/admin/api-keys", "/agent/admin/api-keys",
	    fields);
	const char *p = strstr(r.body, "id=\"api-key\">");

	ck_assert_msg(r.status == 200 && p != NULL, "making a key answered %ld", r.status);
	p += strlen("id=\"api-key\">");
	memcpy(key, p, API_KEY_LEN);
	key[API_KEY_LEN] = '\0';
	th_resp_free(&r);
}

static long
api_status(const char *method, const char *path, const char *key, const char *body,
    char **out)
{
	char url[256], auth[160];
	const char *h[3] = { auth, "Content-Type: application/json", NULL };
	struct th_resp r;
	long st;

	snprintf(url, sizeof(url), "%s%s", stack.url, path);
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", key);
	ck_assert_int_eq(th_http(method, url, body, body ? strlen(body) : 0, h, &r), 0);
	st = r.status;
	if (out != NULL)
		*out = strdup(r.body ? r.body : "");
	th_resp_free(&r);
	return st;
}

START_TEST(key_stops_with_its_makers_admin_role)
{
	struct fx_person demoted, gone;
	char key1[API_KEY_LEN + 1], key2[API_KEY_LEN + 1], id[24];
	struct jar j = { 0 }, k = { 0 };

	fx_staff(db, "Dana Demoted", "agent,admin", &demoted);
	fx_staff(db, "Gil Gone", "agent,admin", &gone);
	web_staff_sign_in(&stack, &j, demoted.email, FX_PASSWORD);
	make_key(&j, "name=Chat", key1);
	web_staff_sign_in(&stack, &k, gone.email, FX_PASSWORD);
	make_key(&k, "name=Phone", key2);
	ck_assert_int_eq(api_status("GET", "/api/v1/tickets", key1, NULL, NULL), 200);
	ck_assert_int_eq(api_status("GET", "/api/v1/tickets", key2, NULL, NULL), 200);

	/* Checked at use: no revocation happened. */
	snprintf(id, sizeof(id), "%lld", demoted.id);
	free(sql_owner(db, "UPDATE staff SET roles = '{agent}' WHERE id = $1::bigint", id));
	snprintf(id, sizeof(id), "%lld", gone.id);
	free(sql_owner(db, "UPDATE staff SET active = false WHERE id = $1::bigint", id));
	ck_assert_int_eq(api_status("GET", "/api/v1/tickets", key1, NULL, NULL), 401);
	ck_assert_int_eq(api_status("POST", "/api/v1/tickets", key2, "{}", NULL), 401);
}
END_TEST

START_TEST(read_only_key_cannot_write_and_shows_its_last_use)
{
	struct fx_person admin;
	char key[API_KEY_LEN + 1], *body = NULL;
	struct jar j = { 0 };
	struct th_resp r;

	fx_staff(db, "Rita Readonly", "agent,admin", &admin);
	web_staff_sign_in(&stack, &j, admin.email, FX_PASSWORD);
	make_key(&j, "name=Dashboard&scope=read-only&days=30", key);
	ck_assert_int_eq(api_status("GET", "/api/v1/tickets", key, NULL, NULL), 200);
	ck_assert_int_eq(api_status("POST", "/api/v1/tickets", key,
	    "{\"subject\":\"x\",\"body\":\"y\",\"customer_email\":\"a@b.test\"}", &body), 403);
	ck_assert_msg(strstr(body, "\"status\":403") && strstr(body, "scope"), "%s", body);
	free(body);

	/* The list says what it may do, until when, and when and whence it was used. */
	r = web_get(&stack, &j, "/agent/admin/api-keys");
	ck_assert_ptr_nonnull(strstr(r.body, "Read only: list and read tickets"));
	ck_assert_ptr_nonnull(strstr(r.body, " from <span class=\"mono\">127.0.0.1</span>"));
	th_resp_free(&r);
	ck_assert_int_eq(sql_owner_ll(db, "SELECT count(*) FROM api_keys WHERE prefix = $1 AND"
	    " expires_at BETWEEN now() + interval '29 days' AND now() + interval '31 days'"
	    " AND host(last_used_ip) = '127.0.0.1'", strndup(key + 4, API_KEY_PREFIX_LEN)), 1);
}
END_TEST

START_TEST(expired_key_refused)
{
	struct fx_person admin;
	char key[API_KEY_LEN + 1], prefix[API_KEY_PREFIX_LEN + 1];
	struct jar j = { 0 };

	fx_staff(db, "Eve Expiry", "agent,admin", &admin);
	web_staff_sign_in(&stack, &j, admin.email, FX_PASSWORD);
	make_key(&j, "name=Old", key);
	ck_assert_int_eq(api_status("GET", "/api/v1/tickets", key, NULL, NULL), 200);
	memcpy(prefix, key + 4, API_KEY_PREFIX_LEN);
	prefix[API_KEY_PREFIX_LEN] = '\0';
	free(sql_owner(db, "UPDATE api_keys SET expires_at = now() - interval '1 second'"
	    " WHERE prefix = $1", prefix));
	ck_assert_int_eq(api_status("GET", "/api/v1/tickets", key, NULL, NULL), 401);
}
END_TEST

/* Wrong passwords for email on area's login from a client without a device cookie. */
static void
attack(const char *login, const char *email, int n)
{
	char body[256];
	int i;

	form_with(body, sizeof(body), email, "password=wrong+guess+every+time");
	for (i = 0; i < n; i++) {
		struct jar a = { 0 };

		ck_assert_int_eq(web_post_status(&stack, &a, login, login, body), 401);
	}
}

/* Keeps only the device cookie called name in j: the same browser, signed out. */
static void
device_only(struct jar *j, const char *name)
{
	char value[1024];

	snprintf(value, sizeof(value), "%s", jar_get(j, name));
	jar_clear(j);
	snprintf(j->name[0], sizeof(j->name[0]), "%s", name);
	snprintf(j->value[0], sizeof(j->value[0]), "%s", value);
	j->n = 1;
}

START_TEST(known_device_signs_in_during_an_attack)
{
	struct fx_person c, s;
	struct jar owner = { 0 }, stranger = { 0 }, staff = { 0 };
	char good[256];

	fx_customer(db, "Kim Known", NULL, "standard", &c);
	form_with(good, sizeof(good), c.email, FX_PASSWORD_FORM);
	ck_assert_int_eq(web_post_status(&stack, &owner, "/login", "/login", good), 303);
	ck_assert_ptr_nonnull(jar_get(&owner, "csdesk_portal_device"));
	/* The attacker is behind the same address (127.0.0.1) as the owner. */
	attack("/login", c.email, THROTTLE_PAIR_FREE);
	ck_assert_int_eq(web_post_status(&stack, &stranger, "/login", "/login", good), 429);
	device_only(&owner, "csdesk_portal_device");
	ck_assert_int_eq(web_post_status(&stack, &owner, "/login", "/login", good), 303);

	/* Staff alike. */
	fx_staff(db, "Stan Known", "agent", &s);
	web_staff_sign_in(&stack, &staff, s.email, FX_PASSWORD);
	ck_assert_ptr_nonnull(jar_get(&staff, "csdesk_console_device"));
	attack("/agent/login", s.email, THROTTLE_PAIR_FREE);
	device_only(&staff, "csdesk_console_device");
	web_staff_sign_in(&stack, &staff, s.email, FX_PASSWORD);
}
END_TEST

START_TEST(new_device_signs_in_by_mailed_link)
{
	struct fx_person c;
	struct jar fresh = { 0 }, other = { 0 };
	char good[256], body[512], *text, *link;
	struct th_resp r;

	fx_customer(db, "Nia New", NULL, "standard", &c);
	attack("/login", c.email, THROTTLE_PAIR_FREE);
	form_with(good, sizeof(good), c.email, FX_PASSWORD_FORM);
	r = web_post(&stack, &fresh, "/login", "/login", good);
	ck_assert_int_eq(r.status, 429);
	ck_assert_ptr_nonnull(th_header(&r, "Retry-After"));
	ck_assert_ptr_nonnull(strstr(r.body, "action=\"/login/link\""));
	th_resp_free(&r);

	form_with(body, sizeof(body), c.email, "");
	ck_assert_int_eq(web_post_status(&stack, &fresh, "/login/link", "/login", body), 303);
	text = mail_text(db, c.email, "signin_link");
	link = link_path(text, "/login/link?token=");
	ck_assert_msg(link != NULL, "no link in %s", text ? text : "(no mail)");
	snprintf(body, sizeof(body), "token=%s", link + strlen("/login/link?token="));
	ck_assert_int_eq(web_post_status(&stack, &fresh, "/login/link/use", link, body), 303);
	ck_assert_ptr_nonnull(jar_get(&fresh, "csdesk_session"));
	/* Spent: the same link again, from another browser, signs nobody in. */
	ck_assert_int_eq(web_post_status(&stack, &other, "/login/link/use", link, body), 303);
	ck_assert_ptr_null(jar_get(&other, "csdesk_session"));
	r = web_get(&stack, &fresh, "/account");
	ck_assert_int_eq(r.status, 200);
	th_resp_free(&r);
	/* And the browser is a known device now: the password is enough. */
	device_only(&fresh, "csdesk_portal_device");
	ck_assert_int_eq(web_post_status(&stack, &fresh, "/login", "/login", good), 303);
	free(text);
	free(link);
}
END_TEST

START_TEST(staff_new_device_signs_in_by_mailed_link)
{
	struct fx_person s;
	struct jar fresh = { 0 };
	char good[256], body[512], *text, *link;
	struct th_resp r;

	fx_staff(db, "Lia Link", "agent", &s);
	attack("/agent/login", s.email, THROTTLE_PAIR_FREE);
	form_with(good, sizeof(good), s.email, FX_PASSWORD_FORM);
	r = web_post(&stack, &fresh, "/agent/login", "/agent/login", good);
	ck_assert_int_eq(r.status, 429);
	ck_assert_ptr_nonnull(strstr(r.body, "action=\"/agent/login/link\""));
	th_resp_free(&r);

	form_with(body, sizeof(body), s.email, "");
	ck_assert_int_eq(web_post_status(&stack, &fresh, "/agent/login/link", "/agent/login", body),
	    303);
	text = mail_text(db, s.email, "staff_signin_link");
	link = link_path(text, "/agent/login/link?token=");
	ck_assert_msg(link != NULL, "no link in %s", text ? text : "(no mail)");
	snprintf(body, sizeof(body), "token=%s", link + strlen("/agent/login/link?token="));
	ck_assert_int_eq(web_post_status(&stack, &fresh, "/agent/login/link/use", link, body), 303);
	ck_assert_ptr_nonnull(jar_get(&fresh, "csdesk_staff"));
	r = web_get(&stack, &fresh, "/agent/account");
	ck_assert_int_eq(r.status, 200);
	th_resp_free(&r);
	free(text);
	free(link);
}
END_TEST

START_TEST(reset_mail_goes_while_throttled_and_is_limited)
{
	struct fx_person c;
	struct jar j = { 0 };
	char body[256];
	int i;

	fx_customer(db, "Rae Reset", NULL, "standard", &c);
	attack("/login", c.email, THROTTLE_PAIR_FREE);
	form_with(body, sizeof(body), c.email, "");
	for (i = 0; i < 6; i++)
		ck_assert_int_eq(web_post_status(&stack, &j, "/password/forgot", "/password/forgot",
		    body), 303);
	ck_assert_int_eq(sql_owner_ll(db, "SELECT count(*) FROM notifications WHERE kind ="
	    " 'reset_password' AND recipient = $1", c.email), 3);
}
END_TEST

START_TEST(registration_mail_limited_and_without_the_registrants_name)
{
	struct fx_person c;
	struct jar j = { 0 };
	char body[256], *text;
	int i;

	fx_customer(db, "Vic Victim", NULL, "standard", &c);
	form_with(body, sizeof(body), c.email,
	    "name=Mallory+Spam&password=quartz+meadow+falcon+93");
	for (i = 0; i < 5; i++)
		ck_assert_int_eq(web_post_status(&stack, &j, "/register", "/register", body), 303);
	ck_assert_int_eq(sql_owner_ll(db, "SELECT count(*) FROM notifications WHERE kind ="
	    " 'account_exists' AND recipient = $1", c.email), 1);

	/* The verification mail goes to an address nobody proved: no chosen name in it. */
	ck_assert_int_eq(web_post_status(&stack, &j, "/register", "/register",
	    "email=target%40elsewhere.test&name=Click+evil.test+now"
	    "&password=quartz+meadow+falcon+93"), 303);
	text = mail_text(db, "target@elsewhere.test", "verify_email");
	ck_assert_ptr_nonnull(text);
	ck_assert_ptr_null(strstr(text, "evil"));
	free(text);
}
END_TEST

START_TEST(current_password_recheck_throttled)
{
	struct fx_person c, s;
	struct jar j = { 0 }, k = { 0 };
	char good[256], wrong[256];
	int i;

	fx_customer(db, "Pat Recheck", NULL, "standard", &c);
	form_with(good, sizeof(good), c.email, FX_PASSWORD_FORM);
	ck_assert_int_eq(web_post_status(&stack, &j, "/login", "/login", good), 303);
	snprintf(wrong, sizeof(wrong), "current_password=nope&password=quartz+meadow+falcon+93"
	    "&password_again=quartz+meadow+falcon+93");
	for (i = 0; i < THROTTLE_PAIR_FREE; i++)
		ck_assert_int_eq(web_post_status(&stack, &j, "/account/password", "/account",
		    wrong), 422);
	snprintf(good, sizeof(good), "current_password=fixture+kestrel+ledger+58"
	    "&password=quartz+meadow+falcon+93&password_again=quartz+meadow+falcon+93");
	ck_assert_int_eq(web_post_status(&stack, &j, "/account/password", "/account", good), 429);

	/* The console's second-factor switch and password change alike. */
	fx_staff(db, "Sol Recheck", "agent", &s);
	web_staff_sign_in(&stack, &k, s.email, FX_PASSWORD);
	for (i = 0; i < THROTTLE_PAIR_FREE; i++)
		ck_assert_int_eq(web_post_status(&stack, &k, "/agent/account/2fa/disable",
		    "/agent/account",
		    "current_password=nope"), 422);
	ck_assert_int_eq(web_post_status(&stack, &k, "/agent/account/password", "/agent/account",
	    "current_password=fixture+kestrel+ledger+58&password=quartz+meadow+falcon+93"
	    "&password_again=quartz+meadow+falcon+93"), 429);
}
END_TEST

Suite *http_hardening_auth_suite(void);

Suite *
http_hardening_auth_suite(void)
{
	Suite *s = suite_create("http_hardening_auth");
	TCase *tc = tcase_create("hardening_auth");

	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, key_stops_with_its_makers_admin_role);
	tcase_add_test(tc, read_only_key_cannot_write_and_shows_its_last_use);
	tcase_add_test(tc, expired_key_refused);
	tcase_add_test(tc, known_device_signs_in_during_an_attack);
	tcase_add_test(tc, new_device_signs_in_by_mailed_link);
	tcase_add_test(tc, staff_new_device_signs_in_by_mailed_link);
	tcase_add_test(tc, reset_mail_goes_while_throttled_and_is_limited);
	tcase_add_test(tc, registration_mail_limited_and_without_the_registrants_name);
	tcase_add_test(tc, current_password_recheck_throttled);
	suite_add_tcase(s, tc);
	return s;
}
