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
#include "auth/session.h"
#include "core/arena.h"
#include "domain/notify.h"
#include "domain/portal_users.h"
#include "tmpl/tval.h"

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
	const char *name, *to;
	struct tval *ctx, *user;

	ctx = app_page(app, r, "");
	user = tval_map(r->arena);
	if (ctx == NULL || user == NULL)
		return -1;
	if (portal_user_contact(&app->db, r->arena, user_id, &name, &to) != CS_OK)
		return -1;
	tval_set_str(r->arena, user, "name", name);
	tval_set(r->arena, ctx, "user", user);
	tval_set_str(r->arena, ctx, "link", app_url(app, r, "/password/forgot"));
	return notify_enqueue(&app->db, app->tmpl, r->arena, "password_changed", to,
	    "password_changed", ctx) == CS_OK ? 0 : -1;
}

int
portal_reset(struct app *app, struct req *r, struct resp *w)
{
	const char *v[RS__MAX], *token, *pw, *again, *weak;
	char hash[PASSWORD_HASH_MAX];
	struct field_form f;
	long long uid, cid;
	enum cs_result rc;

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
	if (db_begin(&app->db) < 0)
		return 503;
	rc = portal_link_redeem(&app->db, "reset_password", token, &uid, &cid);
	/* A contact made from a mail sets its first password the same way. */
	if (rc == CS_NOT_FOUND)
		rc = portal_link_redeem(&app->db, "invite", token, &uid, &cid);
	if (rc != CS_OK) {
		/* Nothing changed: a rollback would doom a signed-in customer's
		 * transaction, and the answer would be a 500. */
		if (rc != CS_NOT_FOUND)
			db_rollback(&app->db);
		else if (db_commit(&app->db) < 0)
			rc = CS_FAILED;
		if (rc != CS_NOT_FOUND)
			return 503;
		app_flash(app, r, w, 1, "This link is not valid any more (it was used, or it "
		    "expired). Ask for a new one below.");
		resp_redirect(w, "/password/forgot");
		return 0;
	}
	/* Proving control of the mailbox also confirms the address. */
	if (app_customer_scope(app, cid) < 0 ||
	    portal_user_set_password(&app->db, uid, hash) != CS_OK ||
	    portal_user_mark_verified(&app->db, uid) != CS_OK ||
	    session_customer_end_all(&app->db, uid, 0) < 0 ||
	    portal_announce_password(app, r, uid) < 0)
		goto fail;
	r->who.id = uid;
	app_audit(app, r, "password.reset", "portal_user", arena_printf(r->arena, "%lld", uid),
	    NULL);
	if (db_commit(&app->db) < 0)
		return 503;
	app_flash(app, r, w, 0, "Your password is changed. Sign in with the new one.");
	resp_redirect(w, "/login");
	return 0;
fail:
	db_rollback(&app->db);
	return 500;
}
