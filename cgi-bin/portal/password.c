/*
 * password.c — forgotten password: GET|POST /password/forgot,
 * GET|POST /password/reset?token=…
 *
 * The forgot form gives the same answer whether or not the address has an
 * account. The reset link is single-use, expires, and is stored hashed;
 * using it ends every session of the person and tells them by e-mail.
 */
#include "portal/handlers.h"
#include "web/fields.h"
#include "auth/password.h"
#include "core/arena.h"
#include "domain/portal_users.h"
#include "tmpl/tval.h"
#include "web/auth_origin.h"

#include <string.h>

/* Asking for a reset link: the address of the account. */
static const struct field_rule forgot_rules[] = {
	{ "email", "E-mail address", FIELD_LOGIN, 0, 0, PORTAL_USER_EMAIL_MAX, NULL },
};

/* Choosing the new password with the link's token. */
static const struct field_rule reset_rules[] = {
	{ "token", "Link", FIELD_TEXT, 0, 0, 0, NULL },
	{ "password", "New password", FIELD_PASSWORD, 0, 0, 0, NULL },
	{ "password_again", "New password again", FIELD_PASSWORD, 0, 0, 0, NULL },
};
enum { RS_TOKEN, RS_NEW, RS_AGAIN, RS__MAX };
_Static_assert(sizeof(reset_rules) / sizeof(reset_rules[0]) == RS__MAX, "one rule per field");

static int
forgot_form(struct app *app, struct req *r, struct resp *w, int status, const char *email,
    const char *error)
{
	struct tval *ctx = app_page(app, r, "Forgotten password");

	if (ctx == NULL)
		return 500;
	tval_set_str(r->arena, ctx, "email", email);
	if (error != NULL)
		tval_set_str(r->arena, ctx, "error", error);
	w->status = status;
	return app_render(app, r, w, "portal/password_forgot", ctx);
}

int
portal_forgot_form(struct app *app, struct req *r, struct resp *w)
{
	return forgot_form(app, r, w, 200, "", NULL);
}

int
portal_forgot(struct app *app, struct req *r, struct resp *w)
{
	const char *email;
	struct field_form f;

	if (fields_init(&f, r->arena) < 0)
		return 500;
	fields_check(&f, r, forgot_rules, 1, &email, NULL);
	if (f.failed)
		return 500;
	if (strchr(email, '@') == NULL)
		return forgot_form(app, r, w, 422, email,
		    "Enter the e-mail address of your account.");
	/*
	 * The mail goes even while sign-in is throttled for the address, so
	 * a person locked out by someone else's guessing can get back in; it
	 * is limited per address instead (portal_send_link).
	 */
	return portal_mail_link(app, r, w, "reset_password", email, "If an account exists for "
	    "that address, we sent it a link to choose a new password. The link works for 2 "
	    "hours.");
}

static int
reset_form(struct app *app, struct req *r, struct resp *w, int status, const char *token,
    const char *error)
{
	struct tval *ctx = app_page(app, r, "Choose a new password");

	if (ctx == NULL)
		return 500;
	tval_set_str(r->arena, ctx, "token", token ? token : "");
	if (error != NULL)
		tval_set_str(r->arena, ctx, "error", error);
	w->status = status;
	resp_header(w, "Cache-Control", "no-store");
	/* The token is in this page's URL: do not leak it to other sites. */
	resp_header(w, "Referrer-Policy", "no-referrer");
	return app_render(app, r, w, "portal/password_reset", ctx);
}

int
portal_reset_form(struct app *app, struct req *r, struct resp *w)
{
	return reset_form(app, r, w, 200, req_query(r, "token"), NULL);
}

/* Tells a person by e-mail that their password changed. */
int
portal_announce_password(struct app *app, struct req *r, long long user_id)
{
	struct auth_origin o;

	if (auth_origin_of(app, r, &o) < 0)
		return -1;
	return portal_password_mail(&app->db, r->arena, &o, user_id) == CS_OK ? 0 : -1;
}

int
portal_reset(struct app *app, struct req *r, struct resp *w)
{
	const char *v[RS__MAX], *token, *pw, *again, *weak;
	char hash[PASSWORD_HASH_MAX];
	struct auth_origin o;
	struct field_form f;
	enum cs_result rc;
	long long uid;

	if (fields_init(&f, r->arena) < 0)
		return 500;
	fields_check(&f, r, reset_rules, RS__MAX, v, NULL);
	if (f.failed)
		return 500;
	token = v[RS_TOKEN];
	pw = v[RS_NEW];
	again = v[RS_AGAIN];
	if (f.nerrors || strcmp(pw, again) != 0)
		return reset_form(app, r, w, 422, token, "The two passwords are not the same.");
	if ((weak = password_weakness(pw, NULL, NULL)) != NULL)
		return reset_form(app, r, w, 422, token, weak);
	if (password_hash(pw, hash) < 0)
		return 503;
	if (auth_origin_of(app, r, &o) < 0) {
		sodium_memzero(hash, sizeof(hash));
		return 500;
	}
	rc = portal_password_reset(&app->db, r->arena, &o, token, hash, &uid);
	sodium_memzero(hash, sizeof(hash));
	if (rc == CS_NOT_FOUND) {
		app_flash(app, r, w, 1, "This link is not valid any more (it was used, or it "
		    "expired). Ask for a new one below.");
		resp_redirect(w, "/password/forgot");
		return 0;
	}
	if (rc != CS_OK)
		return rc == CS_DB_LOST ? 503 : 500;
	app_flash(app, r, w, 0, "Your password is changed. Sign in with the new one.");
	resp_redirect(w, "/login");
	return 0;
}
