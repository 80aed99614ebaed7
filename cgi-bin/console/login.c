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

static int
form(struct app *app, struct req *r, struct resp *w, int status, const char *email,
    const char *error, int ask_totp)
{
	struct tval *ctx = app_page(app, r, "Staff sign-in");

	if (ctx == NULL)
		return 500;
	tval_set_str(r->arena, ctx, "email", email);
	tval_set_str(r->arena, ctx, "next", app_safe_next(app, req_query(r, "next") ?
	    req_query(r, "next") : req_field(r, "next")));
	if (error != NULL)
		tval_set_str(r->arena, ctx, "error", error);
	tval_set_bool(r->arena, ctx, "ask_totp", ask_totp);
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

int
console_login(struct app *app, struct req *r, struct resp *w)
{
	const char *v[LG__MAX], *email, *pw, *code, *ip = r->remote_addr, *token, *csrf;
	struct throttle_key k;
	struct staff_login l;
	struct field_form f;
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
		return form(app, r, w, 429, email, signin_wait_message(r, w, wait), 0);
	if (staff_auth_lookup(&app->db, r->arena, email, &l) != CS_OK)
		return 503;
	ok = password_verify(l.password_hash, pw, &rehash) && l.active;
	if (ok && l.totp_enabled) {
		if (*code == '\0')
			return form(app, r, w, 200, email,
			    "Enter the code from your authenticator app (or a recovery code).", 1);
		ok = second_factor_ok(app, &l, code);
	}
	if (!ok) {
		throttle_record(&app->db, &k, 0);
		app_audit(app, r, "login.failure", "staff", NULL, email);
		return form(app, r, w, 401, email, l.totp_enabled && l.active && *code ?
		    "Incorrect e-mail address, password or code." : BAD_LOGIN, l.totp_enabled);
	}
	if (rehash) {
		char fresh[PASSWORD_HASH_MAX];

		if (password_hash(pw, fresh) == 0)
			staff_auth_set_password(&app->db, l.id, fresh);
	}
	/* A new session id at every sign-in; any old one ends. */
	if (r->session_token != NULL)
		session_staff_end(&app->db, r->session_token);
	if (session_staff_start(&app->db, r->arena, l.id, req_env(r, "HTTP_USER_AGENT"), ip,
	    &token, &csrf) < 0)
		return 503;
	throttle_record(&app->db, &k, 1);
	signin_remember_device(app, r, w, email);
	r->who.kind = WHO_STAFF;
	r->who.id = l.id;
	app_audit(app, r, "login.success", "staff", arena_printf(r->arena, "%lld", l.id), NULL);
	app_session_cookie(app, r, w, token, 0);
	resp_redirect(w, app_safe_next(app, req_field(r, "next")));
	return 0;
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
