/*
 * login.c — customer sign-in and sign-out: GET|POST /login, POST /logout,
 * and "continue by e-mail link": POST /login/link asks for a single-use
 * sign-in link, GET /login/link?token=… shows it, POST /login/link/use
 * spends it.
 *
 * One answer for a wrong password and an unknown e-mail, each costing one
 * Argon2id verification; throttled so that guessing slows the guesser
 * (auth/throttle.h): a browser that signed in before carries a device
 * cookie and is judged by its own attempts only, and a new device facing a
 * throttled account can sign in with a link mailed to the address.
 */
#include "portal/handlers.h"
#include "web/fields.h"
#include "auth/password.h"
#include "auth/session.h"
#include "core/arena.h"
#include "domain/portal_users.h"
#include "tmpl/tval.h"
#include "web/auth_origin.h"
#include "web/signin.h"

/* The sign-in form; next is checked by app_safe_next. */
static const struct field_rule login_rules[] = {
	{ "email", "E-mail address", FIELD_LOGIN, 1, 0, PORTAL_USER_EMAIL_MAX, NULL },
	{ "password", "Password", FIELD_PASSWORD, 1, 0, 0, NULL },
	{ "remember", "Keep me signed in", FIELD_TEXT, 0, 0, 0, NULL },
};
enum { LG_EMAIL, LG_PASSWORD, LG_REMEMBER, LG__MAX };
_Static_assert(sizeof(login_rules) / sizeof(login_rules[0]) == LG__MAX, "one rule per field");

/* Asking for a sign-in link: the address of the account. */
static const struct field_rule link_rules[] = {
	{ "email", "E-mail address", FIELD_LOGIN, 1, 0, PORTAL_USER_EMAIL_MAX, NULL },
};

/* Spending a sign-in link. */
static const struct field_rule use_rules[] = {
	{ "token", "Link", FIELD_TEXT, 0, 0, 0, NULL },
};

/* The sign-in page; offer_link adds the form that mails a sign-in link. */
static int
form_link(struct app *app, struct req *r, struct resp *w, int status, const char *email,
    const char *error, int offer_link)
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
	tval_set_bool(r->arena, ctx, "offer_link", offer_link);
	w->status = status;
	resp_header(w, "Cache-Control", "no-store");
	return app_render(app, r, w, "portal/login", ctx);
}

static int
form(struct app *app, struct req *r, struct resp *w, int status, const char *email,
    const char *error)
{
	return form_link(app, r, w, status, email, error, 0);
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
	const char *v[LG__MAX], *email, *pw, *token, *csrf, *why;
	const struct session_policy *pol = session_policy();
	char fresh[PASSWORD_HASH_MAX];
	struct portal_login l;
	struct throttle_key k;
	struct auth_origin o;
	struct field_form f;
	struct sign_in s;
	enum cs_result rc;
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
	if (signin_key(app, r, email, &k) < 0 || (wait = throttle_wait(&app->db, &k)) < 0)
		return 503;
	if (wait > 0)
		return form_link(app, r, w, 429, email, arena_printf(r->arena, "%s If this is "
		    "your account, we can e-mail you a link to sign in instead.",
		    signin_wait_message(r, w, wait)), 1);
	if (portal_user_lookup(&app->db, r->arena, email, &l) != CS_OK)
		return 503;
	ok = password_verify(l.password_hash, pw, &rehash) && l.active;
	if (ok && !l.verified)
		return form(app, r, w, 403, email, "Please confirm your e-mail address first: "
		    "open the link we sent you. No e-mail? Use \"Forgotten your password?\" "
		    "to get a new link.");
	sign_in_of(r, &s, &k, email, ok ? l.user_id : 0, pw, rehash, fresh);
	s.remember = keep;
	if (auth_origin_of(app, r, &o) < 0)
		return 500;
	rc = portal_sign_in(&app->db, r->arena, &o, &s, &token, &csrf, &why);
	if (rc == CS_REFUSED)
		return form(app, r, w, 401, email, why);
	if (rc != CS_OK)
		return 503;
	signin_remember_device(app, r, w, email);
	r->who.kind = WHO_CUSTOMER;
	r->who.id = l.user_id;
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

int
portal_login_link_ask(struct app *app, struct req *r, struct resp *w)
{
	struct field_form f;
	const char *email;

	if (fields_init(&f, r->arena) < 0)
		return 500;
	fields_check(&f, r, link_rules, 1, &email, NULL);
	if (f.failed)
		return 500;
	if (f.nerrors)
		return form(app, r, w, 422, email, "Enter the e-mail address of your account.");
	return portal_mail_link(app, r, w, "signin_link", email, "If an account exists for "
	    "that address, we sent it a link to sign in. The link works once, for 15 minutes.");
}

int
portal_login_link_form(struct app *app, struct req *r, struct resp *w)
{
	return signin_link_page(app, r, w, 200, "portal/login_link", req_query(r, "token"), NULL);
}

int
portal_login_link_use(struct app *app, struct req *r, struct resp *w)
{
	const char *token, *email, *session, *csrf;
	struct auth_origin o;
	struct field_form f;
	enum cs_result rc;
	long long uid;

	if (fields_init(&f, r->arena) < 0)
		return 500;
	fields_check(&f, r, use_rules, 1, &token, NULL);
	if (f.failed)
		return 500;
	/* Signed in already: the link stays unspent for whoever it was for. */
	if (r->who.kind == WHO_CUSTOMER) {
		resp_redirect(w, "/");
		return 0;
	}
	if (auth_origin_of(app, r, &o) < 0)
		return 500;
	rc = portal_signin_link_redeem(&app->db, r->arena, &o, token,
	    req_env(r, "HTTP_USER_AGENT"), &uid, &email, &session, &csrf);
	if (rc == CS_NOT_FOUND) {
		app_flash(app, r, w, 1, "This sign-in link is not valid any more (it was used, or "
		    "it expired). Ask for a new one.");
		resp_redirect(w, "/login");
		return 0;
	}
	if (rc != CS_OK)
		return 503;
	r->who.kind = WHO_CUSTOMER;
	r->who.id = uid;
	app_session_cookie(app, r, w, session, 0);
	/* This browser is now a known device: the next sign-in needs no link. */
	signin_remember_device(app, r, w, email);
	resp_redirect(w, "/");
	return 0;
}
