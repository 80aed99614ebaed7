/*
 * The sign-in and account use cases (domain/auth_cases.h), on the roles
 * the programs use: a refused sign-in counts an attempt and writes its
 * audit row and nothing else; a sign-in that succeeds counts, starts a
 * session and writes its row; a link spent once changes nothing the
 * second time (no session, no password, no mail), and, inside the
 * transaction a signed-in customer's request already runs in, leaves
 * that transaction usable.
 */
#include "../lib/dispatch.h"
#include "../lib/fixtures.h"
#include "../lib/harness.h"
#include "auth/password.h"
#include "auth/session.h"
#include "auth/throttle.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/auth_cases.h"
#include "domain/portal_users.h"
#include "domain/staff_auth.h"
#include "tmpl/tval.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *conninfo, *as_portal, *as_console;
static struct db owner, portal, console;
static struct arena *arena;

/* How many rows of a kind name a person (by e-mail, or by id as text). */
static struct db_stmt st_attempts = DB_STMT("t_ac_attempts",
    "SELECT count(*) FROM login_attempts WHERE who = $1 AND success = $2::boolean", 2);
static struct db_stmt st_audit = DB_STMT("t_ac_audit",
    "SELECT count(*) FROM audit_log WHERE action = $2"
    " AND (detail->>'subject' = $1 OR object_id = $1)", 2);
static struct db_stmt st_staff_sessions = DB_STMT("t_ac_staff_sessions",
    "SELECT count(*) FROM staff_sessions WHERE staff_id = $1::bigint", 1);
static struct db_stmt st_portal_sessions = DB_STMT("t_ac_portal_sessions",
    "SELECT count(*) FROM portal_sessions WHERE portal_user_id = $1::bigint", 1);
static struct db_stmt st_mail = DB_STMT("t_ac_mail",
    "SELECT count(*) FROM notifications WHERE recipient = $1 AND kind = $2", 2);
static struct db_stmt st_seen_back = DB_STMT("t_ac_seen_back",
    "UPDATE staff_sessions SET last_seen_at = now() - make_interval(secs => $2::int)"
    " WHERE staff_id = $1::bigint", 2);
static struct db_stmt st_seen_age = DB_STMT("t_ac_seen_age",
    "SELECT round(extract(epoch FROM now() - last_seen_at))::int FROM staff_sessions"
    " WHERE staff_id = $1::bigint", 1);
static struct db_stmt st_hash = DB_STMT("t_ac_hash",
    "SELECT password_hash FROM portal_users WHERE id = $1::bigint", 1);

static long long
count(struct db_stmt *st, const char *a, const char *b)
{
	const char *p[] = { a, b };
	PGresult *r = db_exec(&owner, st, p);
	long long v;

	ck_assert_ptr_nonnull(r);
	v = atoll(PQgetvalue(r, 0, 0));
	PQclear(r);
	return v;
}

static const char *
id_text(long long id)
{
	return arena_printf(arena, "%lld", id);
}

/* What the programs hand the use cases: here, no site context in the mail. */
static void
origin(struct auth_origin *o, const char *program)
{
	memset(o, 0, sizeof(*o));
	o->ip = "192.0.2.44";
	o->program = program;
	o->request_id = "test";
	o->tmpl = th_templates();
	o->mail = tval_map(arena);
	o->base_url = "https://help.example.com";
	ck_assert_ptr_nonnull(o->mail);
}

static void
suite_setup(void)
{
	conninfo = th_db_create("auth_cases");
	as_portal = th_db_as(conninfo, "csdesk_portal");
	as_console = th_db_as(conninfo, "csdesk_console");
}

static void
suite_teardown(void)
{
	th_db_drop(conninfo);
	free(as_console);
	free(as_portal);
	free(conninfo);
}

static void
setup(void)
{
	ck_assert_int_eq(db_open(&owner, conninfo, "check_auth_cases"), 0);
	ck_assert_int_eq(db_open(&portal, as_portal, "check_auth_cases_portal"), 0);
	ck_assert_int_eq(db_open(&console, as_console, "check_auth_cases_console"), 0);
	arena = arena_new(1 << 16);
}

static void
teardown(void)
{
	db_close(&console);
	db_close(&portal);
	db_close(&owner);
	arena_free(arena);
}

/* Sets p's one session's last_seen_at that many seconds back (owner). */
static void
seen_back(long long staff_id, int seconds)
{
	const char *p[] = { id_text(staff_id), arena_printf(arena, "%d", seconds) };

	ck_assert_int_eq(db_run(&owner, &st_seen_back, p), 0);
}

/*
 * A staff session's idle clock: a request within a minute of the last
 * one leaves it (most requests write nothing); a later one moves it to
 * now, so an agent at work is not signed out; past the idle limit the
 * session is gone.
 */
START_TEST(a_staff_session_moves_its_idle_clock_at_most_once_a_minute)
{
	const char *token = NULL, *csrf = NULL, *seen_csrf = NULL;
	struct principal who;
	struct fx_person p;

	fx_staff(conninfo, "Ida Idle", "agent", &p);
	ck_assert_int_eq(session_staff_start(&console, arena, p.id, "check", "192.0.2.44", &token,
	    &csrf), 0);
	seen_back(p.id, 30);
	ck_assert_int_eq(session_staff_lookup(&console, arena, token, &who, &seen_csrf), 1);
	ck_assert_int_eq(who.id, p.id);
	ck_assert_str_eq(seen_csrf, csrf);
	ck_assert_int_ge(count(&st_seen_age, id_text(p.id), NULL), 29);
	seen_back(p.id, 90);
	ck_assert_int_eq(session_staff_lookup(&console, arena, token, &who, &seen_csrf), 1);
	ck_assert_int_le(count(&st_seen_age, id_text(p.id), NULL), 1);
	seen_back(p.id, session_policy()->staff_idle + 10);
	ck_assert_int_eq(session_staff_lookup(&console, arena, token, &who, &seen_csrf), 0);
}
END_TEST

START_TEST(a_refused_staff_sign_in_counts_an_attempt_and_nothing_else)
{
	struct throttle_key k = { "console", NULL, "192.0.2.44", NULL };
	const char *token = NULL, *csrf = NULL, *why = NULL;
	struct sign_in s = { 0 };
	struct auth_origin o;
	struct fx_person p;
	long long id = -1;

	fx_staff(conninfo, "Rita Refused", "agent", &p);
	origin(&o, "console");
	k.who = p.email;
	s.key = &k;
	s.email = p.email;
	s.action = "login.success";
	ck_assert_int_eq(staff_sign_in(&console, arena, &o, &s, &id, &token, &csrf, &why),
	    CS_REFUSED);
	ck_assert_ptr_nonnull(why);
	ck_assert_ptr_null(token);
	ck_assert_int_eq(count(&st_attempts, p.email, "false"), 1);
	ck_assert_int_eq(count(&st_attempts, p.email, "true"), 0);
	ck_assert_int_eq(count(&st_audit, p.email, "login.failure"), 1);
	ck_assert_int_eq(count(&st_staff_sessions, id_text(p.id), NULL), 0);
	/* Counted where the throttle reads: past the free ones, the next must wait. */
	ck_assert_int_eq(throttle_wait(&console, &k), 0);
	while (count(&st_attempts, p.email, "false") <= THROTTLE_PAIR_FREE)
		ck_assert_int_eq(staff_sign_in(&console, arena, &o, &s, &id, &token, &csrf, &why),
		    CS_REFUSED);
	ck_assert_int_gt(throttle_wait(&console, &k), 0);
}
END_TEST

START_TEST(a_staff_sign_in_counts_starts_a_session_and_is_audited)
{
	struct throttle_key k = { "console", NULL, "192.0.2.44", NULL };
	const char *token = NULL, *csrf = NULL, *why = NULL;
	struct sign_in s = { 0 };
	struct auth_origin o;
	struct fx_person p;
	long long id = 0;

	fx_staff(conninfo, "Sam Success", "agent", &p);
	origin(&o, "console");
	k.who = p.email;
	s.key = &k;
	s.email = p.email;
	s.id = p.id;
	s.ua = "check";
	s.action = "login.success";
	ck_assert_int_eq(staff_sign_in(&console, arena, &o, &s, &id, &token, &csrf, &why), CS_OK);
	ck_assert_int_eq(id, p.id);
	ck_assert_ptr_nonnull(token);
	ck_assert_ptr_nonnull(csrf);
	ck_assert_int_eq(count(&st_attempts, p.email, "true"), 1);
	ck_assert_int_eq(count(&st_staff_sessions, id_text(p.id), NULL), 1);
	ck_assert_int_eq(count(&st_audit, id_text(p.id), "login.success"), 1);
}
END_TEST

START_TEST(a_spent_staff_link_changes_nothing)
{
	const char *token = NULL, *session = NULL, *csrf = NULL, *why = NULL, *to;
	struct sign_in s = { 0 };
	struct auth_origin o;
	struct fx_person p;
	long long id = 0;

	fx_staff(conninfo, "Lena Link", "agent", &p);
	origin(&o, "console");
	ck_assert_int_eq(db_begin(&console), 0);
	ck_assert_int_eq(staff_link_issue(&console, arena, p.email, &token, &to), CS_OK);
	ck_assert_int_eq(db_commit(&console), 0);
	s.email = p.email;
	s.link = token;
	s.action = "login.link";
	ck_assert_int_eq(staff_sign_in(&console, arena, &o, &s, &id, &session, &csrf, &why),
	    CS_OK);
	ck_assert_int_eq(id, p.id);
	ck_assert_int_eq(count(&st_staff_sessions, id_text(p.id), NULL), 1);
	/* Again: the link is spent. */
	session = NULL;
	ck_assert_int_eq(staff_sign_in(&console, arena, &o, &s, &id, &session, &csrf, &why),
	    CS_NOT_FOUND);
	ck_assert_ptr_null(session);
	ck_assert_int_eq(count(&st_staff_sessions, id_text(p.id), NULL), 1);
	ck_assert_int_eq(count(&st_audit, id_text(p.id), "login.link"), 1);
}
END_TEST

/* A portal link for p as the mail would carry it (the token). */
static const char *
portal_link(const struct fx_person *p, const char *purpose)
{
	const char *token, *name, *to;

	ck_assert_int_eq(db_begin(&portal), 0);
	ck_assert_int_eq(portal_link_issue(&portal, arena, purpose, p->email, 0, 600, &token,
	    &name, &to), CS_OK);
	ck_assert_int_eq(db_commit(&portal), 0);
	return token;
}

START_TEST(a_spent_sign_in_link_changes_nothing)
{
	const char *token, *email = NULL, *session = NULL, *csrf = NULL;
	struct auth_origin o;
	struct fx_person p;
	long long uid = 0;

	fx_customer(conninfo, "Lars Link", NULL, "standard", &p);
	origin(&o, "portal");
	token = portal_link(&p, "signin_link");
	ck_assert_int_eq(portal_signin_link_redeem(&portal, arena, &o, token, "check", &uid,
	    &email, &session, &csrf), CS_OK);
	ck_assert_int_eq(uid, p.id);
	ck_assert_str_eq(email, p.email);
	ck_assert_int_eq(count(&st_portal_sessions, id_text(p.id), NULL), 1);
	session = NULL;
	ck_assert_int_eq(portal_signin_link_redeem(&portal, arena, &o, token, "check", &uid,
	    &email, &session, &csrf), CS_NOT_FOUND);
	ck_assert_ptr_null(session);
	ck_assert_int_eq(count(&st_portal_sessions, id_text(p.id), NULL), 1);
	ck_assert_int_eq(count(&st_audit, id_text(p.id), "login.link"), 1);
}
END_TEST

START_TEST(a_spent_reset_link_changes_nothing_and_keeps_the_request_going)
{
	char first[PASSWORD_HASH_MAX], second[PASSWORD_HASH_MAX];
	const char *token, *before;
	struct auth_origin o;
	struct fx_person p;
	long long uid = 0;
	PGresult *r;
	const char *q[] = { NULL };

	fx_customer(conninfo, "Rosa Reset", NULL, "standard", &p);
	origin(&o, "portal");
	ck_assert_int_eq(password_hash("first new passphrase 71", first), 0);
	ck_assert_int_eq(password_hash("second new passphrase 72", second), 0);
	token = portal_link(&p, "reset_password");
	ck_assert_int_eq(portal_password_reset(&portal, arena, &o, token, first, &uid), CS_OK);
	ck_assert_int_eq(uid, p.id);
	ck_assert_int_eq(count(&st_mail, p.email, "password_changed"), 1);
	ck_assert_int_eq(count(&st_audit, id_text(p.id), "password.reset"), 1);
	q[0] = id_text(p.id);
	r = db_exec(&owner, &st_hash, q);
	ck_assert_ptr_nonnull(r);
	before = arena_printf(arena, "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
	/*
	 * The same link again, inside the transaction a signed-in customer's
	 * request runs in: refused, nothing written, and that transaction
	 * still commits (a rollback would have doomed it).
	 */
	ck_assert_int_eq(db_begin(&portal), 0);
	ck_assert_int_eq(portal_password_reset(&portal, arena, &o, token, second, &uid),
	    CS_NOT_FOUND);
	ck_assert_int_eq(portal_email_verify(&portal, token), CS_NOT_FOUND);
	ck_assert(db_tx_healthy(&portal));
	ck_assert_int_eq(db_commit(&portal), 0);
	r = db_exec(&owner, &st_hash, q);
	ck_assert_ptr_nonnull(r);
	ck_assert_str_eq(PQgetvalue(r, 0, 0), before);
	PQclear(r);
	ck_assert_int_eq(count(&st_mail, p.email, "password_changed"), 1);
	ck_assert_int_eq(count(&st_audit, id_text(p.id), "password.reset"), 1);
}
END_TEST

START_TEST(a_refused_portal_sign_in_counts_an_attempt)
{
	struct throttle_key k = { "portal", NULL, "192.0.2.44", NULL };
	const char *token = NULL, *csrf = NULL, *why = NULL;
	struct sign_in s = { 0 };
	struct auth_origin o;
	struct fx_person p;

	fx_customer(conninfo, "Pia Portal", NULL, "standard", &p);
	origin(&o, "portal");
	k.who = p.email;
	s.key = &k;
	s.email = p.email;
	s.action = "login.success";
	ck_assert_int_eq(portal_sign_in(&portal, arena, &o, &s, &token, &csrf, &why), CS_REFUSED);
	ck_assert_ptr_nonnull(why);
	ck_assert_int_eq(count(&st_attempts, p.email, "false"), 1);
	ck_assert_int_eq(count(&st_audit, p.email, "login.failure"), 1);
	ck_assert_int_eq(count(&st_portal_sessions, id_text(p.id), NULL), 0);
}
END_TEST

Suite *auth_cases_suite(void);

Suite *
auth_cases_suite(void)
{
	Suite *s = suite_create("auth_cases");
	TCase *tc = tcase_create("auth_cases");

	tcase_add_unchecked_fixture(tc, suite_setup, suite_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, a_refused_staff_sign_in_counts_an_attempt_and_nothing_else);
	tcase_add_test(tc, a_staff_sign_in_counts_starts_a_session_and_is_audited);
	tcase_add_test(tc, a_spent_staff_link_changes_nothing);
	tcase_add_test(tc, a_spent_sign_in_link_changes_nothing);
	tcase_add_test(tc, a_spent_reset_link_changes_nothing_and_keeps_the_request_going);
	tcase_add_test(tc, a_refused_portal_sign_in_counts_an_attempt);
	tcase_add_test(tc, a_staff_session_moves_its_idle_clock_at_most_once_a_minute);
	suite_add_tcase(s, tc);
	return s;
}
