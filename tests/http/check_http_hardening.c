/*
 * Hardening through nginx: a used or unknown confirmation or reset link
 * while signed in answers with the message (not a 500) and keeps the
 * session; registering with a staff member's address answers like any
 * taken address, creates nothing, tells the staff member and leaves an
 * audit row; the FastCGI sockets are 0660 and the web server's group's.
 */
#include "identity.h"
#include "../lib/fixtures.h"

#include <check.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static struct th_stack stack;
static char *db;

static void
setup(void)
{
	db = th_db_create("http_hardening");
	th_stack_start(&stack, db, 2, NULL);
}

static void
teardown(void)
{
	th_stack_stop(&stack);
	th_db_drop(db);
	free(db);
}

/* A new customer, signed in in j. */
static void
signed_in_customer(struct jar *j, struct fx_person *c)
{
	fx_customer(db, "Vera Link", NULL, "standard", c);
	web_customer_sign_in(&stack, j, c->email, FX_PASSWORD);
}

/* The session in j still works. */
static void
still_signed_in(struct jar *j, const struct fx_person *c)
{
	struct th_resp r = web_get(&stack, j, "/account");

	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_nonnull(strstr(r.body, c->email));
	th_resp_free(&r);
}

/* r is a 303 to location (not the 500 of a doomed transaction); frees r. */
static void
redirects(struct th_resp r, const char *location)
{
	ck_assert_msg(r.status == 303, "status %ld", r.status);
	ck_assert_str_eq(th_header(&r, "Location"), location);
	th_resp_free(&r);
}

START_TEST(used_verify_link_while_signed_in_is_a_message)
{
	struct jar j = { 0 };
	struct fx_person c;

	signed_in_customer(&j, &c);
	/* Unknown, used and expired links take the same path: no row. */
	redirects(web_get(&stack, &j, "/verify?token=bm90LWEtdmFsaWQtbGluaw"), "/login");
	still_signed_in(&j, &c);
}
END_TEST

START_TEST(used_reset_link_while_signed_in_is_a_message)
{
	struct jar j = { 0 };
	struct fx_person c;
	struct th_resp r;

	signed_in_customer(&j, &c);
	redirects(web_post(&stack, &j, "/password/reset", "/account", "token=bm90LWEtdmFsaWQtbGluaw"
	    "&password=violet+harbour+compass+19&password_again=violet+harbour+compass+19"),
	    "/password/forgot");
	r = web_get(&stack, &j, "/password/forgot");
	ck_assert_ptr_nonnull(strstr(r.body, "not valid any more"));
	th_resp_free(&r);
	still_signed_in(&j, &c);
}
END_TEST

START_TEST(staff_address_cannot_register)
{
	struct jar j = { 0 };
	struct fx_person s;
	struct th_resp r;
	char body[512], *v, *text;

	fx_staff(db, "Stan Staff", "agent", &s);
	snprintf(body, sizeof(body), "name=Mallory&email=%s&password=violet+harbour+compass+19",
	    s.email);
	r = web_post(&stack, &j, "/register", "/register", body);
	/* The same answer as for a new address: nothing to enumerate. */
	redirects(r, "/login");
	v = sql_owner(db, "SELECT count(*) FROM portal_users WHERE email = lower($1)", s.email);
	ck_assert_str_eq(v, "0");
	free(v);
	/* The staff member hears of it, pointed at the console. */
	text = mail_text(db, s.email, "staff_address");
	ck_assert_ptr_nonnull(text);
	ck_assert_ptr_nonnull(strstr(text, "/agent/login"));
	free(text);
	/* And the admins can review it. */
	v = sql_owner(db, "SELECT count(*) FROM audit_log WHERE action = 'register.staff_address'"
	    " AND detail->>'subject' = $1", s.email);
	ck_assert_str_eq(v, "1");
	free(v);
}
END_TEST

START_TEST(fastcgi_sockets_are_0660)
{
	const char *socks[] = { stack.portal_sock, stack.console_sock };
	struct group *g = getgrnam("nogroup");
	struct stat st;
	size_t i;

	for (i = 0; i < 2; i++) {
		ck_assert_int_eq(stat(socks[i], &st), 0);
		ck_assert_msg((st.st_mode & 0777) == 0660, "%s: mode %o", socks[i],
		    (unsigned)(st.st_mode & 0777));
		if (geteuid() == 0) {
			ck_assert_ptr_nonnull(g);
			ck_assert_int_eq(st.st_gid, g->gr_gid);
		}
	}
	/* And nginx, in that group and no other way, still gets through. */
	{
		struct jar j = { 0 };
		struct th_resp r = web_get(&stack, &j, "/login");

		ck_assert_int_eq(r.status, 200);
		th_resp_free(&r);
		r = web_get(&stack, &j, "/agent/login");
		ck_assert_int_eq(r.status, 200);
		th_resp_free(&r);
	}
}
END_TEST

Suite *http_hardening_suite(void);

Suite *
http_hardening_suite(void)
{
	Suite *s = suite_create("http_hardening");
	TCase *tc = tcase_create("hardening");

	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, used_verify_link_while_signed_in_is_a_message);
	tcase_add_test(tc, used_reset_link_while_signed_in_is_a_message);
	tcase_add_test(tc, staff_address_cannot_register);
	tcase_add_test(tc, fastcgi_sockets_are_0660);
	suite_add_tcase(s, tc);
	return s;
}
