/*
 * login.c — staff sign-in and sign-out: GET|POST /agent/login,
 * POST /agent/logout.
 *
 * One answer for a wrong password, an unknown e-mail and a deactivated
 * person, each costing one Argon2id verification. Attempts are throttled
 * before the password is even looked at, so that guessing slows the
 * guesser (auth/throttle.h): a browser where the person signed in before
 * (password and second factor) carries a device cookie and is judged by
 * its own attempts only.
 */
#include "console/handlers.h"
#include "web/fields.h"
#include "auth/password.h"
#include "auth/session.h"
#include "auth/totp.h"
#include "core/arena.h"
#include "domain/staff.h"
#include "domain/staff_auth.h"
#include "tmpl/tval.h"
#include "web/auth_origin.h"
#include "web/signin.h"

#include <string.h>
#include <time.h>

#define BAD_LOGIN "Incorrect e-mail address or password."

/* The sign-in form; next is checked by app_safe_next. */
static const struct field_rule login_rules[] = {
	{ "email", "E-mail address", FIELD_LOGIN, 1, 0, STAFF_EMAIL_MAX, NULL },
	{ "password", "Password", FIELD_PASSWORD, 1, 0, 0, NULL },
	{ "totp", "Code", FIELD_TEXT, 0, 0, 0, NULL },
};
enum { LG_EMAIL, LG_PASSWORD, LG_TOTP, LG__MAX };
_Static_assert(sizeof(login_rules) / sizeof(login_rules[0]) == LG__MAX, "one rule per field");

/* Asking for a sign-in link; spending one (with the second factor). */
static const struct field_rule link_rules[] = {
	{ "email", "E-mail address", FIELD_LOGIN, 1, 0, STAFF_EMAIL_MAX, NULL },
};
static const struct field_rule use_rules[] = {
	{ "token", "Link", FIELD_TEXT, 0, 0, 0, NULL },
	{ "totp", "Code", FIELD_TEXT, 0, 0, 0, NULL },
};
enum { US_TOKEN, US_TOTP, US__MAX };
_Static_assert(sizeof(use_rules) / sizeof(use_rules[0]) == US__MAX, "one rule per field");

/* What the sign-in page adds: the code field, the form that mails a link. */
enum { ASK_TOTP = 1, OFFER_LINK = 2 };

static int
form(struct app *app, struct req *r, struct resp *w, int status, const char *email,
    const char *error, int ask)
{
	struct tval *ctx = app_page(app, r, "Staff sign-in");

	if (ctx == NULL)
		return 500;
	tval_set_str(r->arena, ctx, "email", email);
	tval_set_str(r->arena, ctx, "next", app_safe_next(app, req_query(r, "next") ?
	    req_query(r, "next") : req_field(r, "next")));
	if (error != NULL)
		tval_set_str(r->arena, ctx, "error", error);
	tval_set_bool(r->arena, ctx, "ask_totp", (ask & ASK_TOTP) != 0);
	tval_set_bool(r->arena, ctx, "offer_link", (ask & OFFER_LINK) != 0);
	w->status = status;
	resp_header(w, "Cache-Control", "no-store");
	return app_render(app, r, w, "console/login", ctx);
}

int
console_login_form(struct app *app, struct req *r, struct resp *w)
{
	if (r->who.kind == WHO_STAFF) {
		resp_redirect(w, app->def->home_path);
		return 0;
	}
	return form(app, r, w, 200, "", NULL, 0);
}

/* Checks the second factor: a current TOTP code or an unused recovery code. */
static int
second_factor_ok(struct app *app, const struct staff_login *l, const char *code)
{
	char norm[64];
	long long step;

	if (totp_verify(l->totp_secret, l->totp_secret_len, code, time(NULL), l->totp_last_step,
	    &step) == 1)
		/* Recorded atomically: the same code twice fails the second time. */
		return staff_totp_use_step(&app->db, l->id, step) == CS_OK;
	if (totp_recovery_normalise(code, norm, sizeof(norm)) == 0) {
		unsigned char hash[TOTP_RECOVERY_HASH_LEN];

		totp_recovery_hash(norm, hash);
		return staff_totp_use_recovery(&app->db, l->id, hash) == CS_OK;
	}
	return 0;
}

/*
 * Signs in as s says (the use case: the session, the attempt counted, the
 * audit row) and, when that is done, remembers the browser as a known
 * device and sends them on. Refused: the sign-in form's 401 with refusal
 * (NULL: the use case's sentence) and ask. 0, or 503.
 */
static int
sign_in(struct app *app, struct req *r, struct resp *w, struct sign_in *s,
    const char *refusal, int ask)
{
	const char *token, *csrf, *why;
	struct auth_origin o;
	enum cs_result rc;
	long long id;

	if (auth_origin_of(app, r, &o) < 0)
		return 500;
	rc = staff_sign_in(&app->db, r->arena, &o, s, &id, &token, &csrf, &why);
	if (rc == CS_REFUSED)
		return form(app, r, w, 401, s->email, refusal != NULL ? refusal : why, ask);
	if (rc == CS_NOT_FOUND) {
		/* The link was spent meanwhile (by another click). */
		resp_redirect(w, app->def->login_path);
		return 0;
	}
	if (rc != CS_OK)
		return 503;
	signin_remember_device(app, r, w, s->email);
	r->who.kind = WHO_STAFF;
	r->who.id = id;
	app_session_cookie(app, r, w, token, 0);
	resp_redirect(w, app_safe_next(app, req_field(r, "next")));
	return 0;
}

int
console_login(struct app *app, struct req *r, struct resp *w)
{
	const char *v[LG__MAX], *email, *pw, *code;
	char fresh[PASSWORD_HASH_MAX];
	struct throttle_key k;
	struct staff_login l;
	struct field_form f;
	struct sign_in s;
	int wait, ok, rehash;

	if (fields_init(&f, r->arena) < 0)
		return 500;
	fields_check(&f, r, login_rules, LG__MAX, v, NULL);
	if (f.failed)
		return 500;
	email = v[LG_EMAIL];
	pw = v[LG_PASSWORD];
	code = v[LG_TOTP];
	if (*email == '\0' || *pw == '\0')
		return form(app, r, w, 422, email, "Enter your e-mail address and password.", 0);
	if (signin_key(app, r, email, &k) < 0 || (wait = throttle_wait(&app->db, &k)) < 0)
		return 503;
	if (wait > 0)
		return form(app, r, w, 429, email, arena_printf(r->arena, "%s If this is your "
		    "account, we can e-mail you a link to sign in instead.",
		    signin_wait_message(r, w, wait)), OFFER_LINK);
	if (staff_auth_lookup(&app->db, r->arena, email, &l) != CS_OK)
		return 503;
	ok = password_verify(l.password_hash, pw, &rehash) && l.active;
	if (ok && l.totp_enabled) {
		if (*code == '\0')
			return form(app, r, w, 200, email,
			    "Enter the code from your authenticator app (or a recovery code).", ASK_TOTP);
		ok = second_factor_ok(app, &l, code);
	}
	sign_in_of(r, &s, &k, email, ok ? l.id : 0, pw, rehash, fresh);
	return sign_in(app, r, w, &s, l.totp_enabled && l.active && *code ?
	    "Incorrect e-mail address, password or code." : BAD_LOGIN,
	    l.totp_enabled ? ASK_TOTP : 0);
}

int
console_logout(struct app *app, struct req *r, struct resp *w)
{
	if (r->session_token != NULL && session_staff_end(&app->db, r->session_token) < 0)
		return 503;
	app_audit(app, r, "logout", "staff", arena_printf(r->arena, "%lld", r->who.id), NULL);
	app_session_cookie(app, r, w, NULL, 0);
	app_flash(app, r, w, 0, "You are signed out.");
	resp_redirect(w, app->def->login_path);
	return 0;
}

int
console_login_link_ask(struct app *app, struct req *r, struct resp *w)
{
	struct auth_origin o;
	struct field_form f;
	const char *email;

	if (fields_init(&f, r->arena) < 0)
		return 500;
	fields_check(&f, r, link_rules, 1, &email, NULL);
	if (f.failed)
		return 500;
	if (f.nerrors)
		return form(app, r, w, 422, email, "Enter the e-mail address of your account.", 0);
	if (auth_origin_of(app, r, &o) < 0)
		return 500;
	if (staff_signin_link_ask(&app->db, r->arena, &o, email) != CS_OK)
		return 503;
	/* The same answer in every case. */
	app_flash(app, r, w, 0, "If a staff account exists for that address, we sent it a link "
	    "to sign in. The link works once, for 15 minutes.");
	resp_redirect(w, app->def->login_path);
	return 0;
}

static int
link_page(struct app *app, struct req *r, struct resp *w, int status, const char *token,
    const char *error)
{
	return signin_link_page(app, r, w, status, "console/login_link", token, error);
}

int
console_login_link_form(struct app *app, struct req *r, struct resp *w)
{
	return link_page(app, r, w, 200, req_query(r, "token"), NULL);
}

int
console_login_link_use(struct app *app, struct req *r, struct resp *w)
{
	const char *v[US__MAX], *email;
	struct throttle_key k;
	struct staff_login l;
	struct field_form f;
	struct sign_in s;
	enum cs_result rc;
	int wait;

	if (fields_init(&f, r->arena) < 0)
		return 500;
	fields_check(&f, r, use_rules, US__MAX, v, NULL);
	if (f.failed)
		return 500;
	rc = staff_link_check(&app->db, r->arena, v[US_TOKEN], &email);
	if (rc == CS_NOT_FOUND) {
		app_flash(app, r, w, 1, "This sign-in link is not valid any more (it was used, or "
		    "it expired). Ask for a new one.");
		resp_redirect(w, app->def->login_path);
		return 0;
	}
	if (rc != CS_OK || staff_auth_lookup(&app->db, r->arena, email, &l) != CS_OK)
		return 503;
	/* The link stands in for the password only: the second factor is still asked. */
	if (l.totp_enabled) {
		if (signin_key(app, r, email, &k) < 0 || (wait = throttle_wait(&app->db, &k)) < 0)
			return 503;
		if (wait > 0)
			return link_page(app, r, w, 429, v[US_TOKEN], signin_wait_message(r, w, wait));
		if (*v[US_TOTP] == '\0')
			return link_page(app, r, w, 200, v[US_TOKEN],
			    "Enter the code from your authenticator app (or a recovery code).");
		if (!second_factor_ok(app, &l, v[US_TOTP])) {
			throttle_record(&app->db, &k, 0);
			return link_page(app, r, w, 401, v[US_TOKEN], "That code is not right.");
		}
	}
	/* The link proves the person: no password to check, no attempt to count. */
	sign_in_of(r, &s, NULL, email, 0, NULL, 0, NULL);
	s.link = v[US_TOKEN];
	s.action = "login.link";
	return sign_in(app, r, w, &s, NULL, 0);
}
