/*
 * login.c — customer sign-in and sign-out: GET|POST /login, POST /logout.
 *
 * One answer for a wrong password and an unknown e-mail, each costing one
 * Argon2id verification; throttled per e-mail and per address.
 */
#include "portal/handlers.h"
#include "web/fields.h"
#include "auth/password.h"
#include "auth/session.h"
#include "auth/throttle.h"
#include "core/arena.h"
#include "domain/portal_users.h"
#include "tmpl/tval.h"

#include <stdio.h>

/* The sign-in form; next is checked by app_safe_next. */
static const struct field_rule login_rules[] = {
	{ "email", "E-mail address", FIELD_LOGIN, 1, 0, PORTAL_USER_EMAIL_MAX, NULL },
	{ "password", "Password", FIELD_PASSWORD, 1, 0, 0, NULL },
	{ "remember", "Keep me signed in", FIELD_TEXT, 0, 0, 0, NULL },
};
enum { LG_EMAIL, LG_PASSWORD, LG_REMEMBER, LG__MAX };
_Static_assert(sizeof(login_rules) / sizeof(login_rules[0]) == LG__MAX, "one rule per field");

static int
form(struct app *app, struct req *r, struct resp *w, int status, const char *email,
    const char *error)
{
	struct tval *ctx = app_page(app, r, "Sign in");
	const char *next = req_query(r, "next") ? req_query(r, "next") : req_field(r, "next");

	if (ctx == NULL)
		return 500;
	tval_set_str(r->arena, ctx, "next", app_safe_next(app, next));
	tval_set_str(r->arena, ctx, "email", email);
	if (error != NULL)
		tval_set_str(r->arena, ctx, "error", error);
	tval_set_bool(r->arena, ctx, "registration", portal_registration_open(app));
	w->status = status;
	resp_header(w, "Cache-Control", "no-store");
	return app_render(app, r, w, "portal/login", ctx);
}

int
portal_login_form(struct app *app, struct req *r, struct resp *w)
{
	if (r->who.kind == WHO_CUSTOMER) {
		resp_redirect(w, "/");
		return 0;
	}
	return form(app, r, w, 200, "", NULL);
}

int
portal_login(struct app *app, struct req *r, struct resp *w)
{
	const char *v[LG__MAX], *email, *pw, *ip = r->remote_addr, *token, *csrf;
	const struct session_policy *pol = session_policy();
	struct portal_login l;
	struct field_form f;
	int wait, ok, rehash, keep;

	if (fields_init(&f, r->arena) < 0)
		return 500;
	fields_check(&f, r, login_rules, LG__MAX, v, NULL);
	if (f.failed)
		return 500;
	email = v[LG_EMAIL];
	pw = v[LG_PASSWORD];
	keep = *v[LG_REMEMBER] != '\0';
	if (*email == '\0' || *pw == '\0')
		return form(app, r, w, 422, email, "Enter your e-mail address and password.");
	wait = throttle_wait(&app->db, "portal", email, ip);
	if (wait < 0)
		return 503;
	if (wait > 0) {
		char msg[160];

		snprintf(msg, sizeof(msg), "Too many failed attempts. Try again in %d minute%s.",
		    (wait + 59) / 60, (wait + 59) / 60 == 1 ? "" : "s");
		resp_header(w, "Retry-After", arena_printf(r->arena, "%d", wait));
		return form(app, r, w, 429, email, msg);
	}
	if (portal_user_lookup(&app->db, r->arena, email, &l) != CS_OK)
		return 503;
	ok = password_verify(l.password_hash, pw, &rehash) && l.active;
	if (!ok) {
		throttle_record(&app->db, "portal", email, ip, 0);
		app_audit(app, r, "login.failure", "portal_user", NULL, email);
		return form(app, r, w, 401, email, "Incorrect e-mail address or password.");
	}
	if (!l.verified)
		return form(app, r, w, 403, email, "Please confirm your e-mail address first: "
		    "open the link we sent you. No e-mail? Use \"Forgotten your password?\" "
		    "to get a new link.");
	if (rehash) {
		char fresh[PASSWORD_HASH_MAX];

		if (password_hash(pw, fresh) == 0)
			portal_user_set_password(&app->db, l.user_id, fresh);
	}
	if (r->session_token != NULL)
		session_customer_end(&app->db, r->session_token);
	if (session_customer_start(&app->db, r->arena, l.user_id, keep,
	    req_env(r, "HTTP_USER_AGENT"), ip, &token, &csrf) < 0)
		return 503;
	throttle_record(&app->db, "portal", email, ip, 1);
	r->who.kind = WHO_CUSTOMER;
	r->who.id = l.user_id;
	app_audit(app, r, "login.success", "portal_user",
	    arena_printf(r->arena, "%lld", l.user_id), NULL);
	app_session_cookie(app, r, w, token, keep ? pol->customer_remember : 0);
	resp_redirect(w, app_safe_next(app, req_field(r, "next")));
	return 0;
}

int
portal_logout(struct app *app, struct req *r, struct resp *w)
{
	if (r->session_token != NULL && session_customer_end(&app->db, r->session_token) < 0)
		return 503;
	app_audit(app, r, "logout", "portal_user", arena_printf(r->arena, "%lld", r->who.id),
	    NULL);
	app_session_cookie(app, r, w, NULL, 0);
	app_flash(app, r, w, 0, "You are signed out.");
	resp_redirect(w, "/");
	return 0;
}
