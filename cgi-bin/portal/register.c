/*
 * register.c — self-registration and e-mail verification:
 * GET|POST /register, GET /verify?token=…
 *
 * Registering an address that already has an account answers exactly
 * like a new registration ("check your e-mail"), and the mail sent to the
 * address says what happened, so the form cannot be used to find out who
 * has an account.
 */
#include "portal/handlers.h"
#include "auth/password.h"
#include "core/arena.h"
#include "domain/accounts.h"
#include "domain/notify.h"
#include "tmpl/tval.h"

#include <string.h>

/* Verification links live two days; reset links two hours. */
#define VERIFY_SECONDS (48 * 3600)
#define RESET_SECONDS (2 * 3600)

int
portal_registration_open(struct app *app)
{
	struct arena *a = app->arena;

	return strcmp(accounts_setting(&app->db, a, "public_registration", "true"), "true") == 0;
}

int
portal_send_link(struct app *app, struct req *r, const char *purpose, const char *email,
    long long user_id)
{
	int verify = strcmp(purpose, "verify_email") == 0;
	const char *token, *name, *to;
	struct tval *ctx, *user;
	int found;

	found = accounts_link_issue(&app->db, r->arena, purpose, email, user_id,
	    verify ? VERIFY_SECONDS : RESET_SECONDS, &token, &name, &to);
	if (found <= 0)
		return found;
	ctx = app_page(app, r, "");
	user = tval_map(r->arena);
	if (ctx == NULL || user == NULL)
		return -1;
	tval_set_str(r->arena, user, "name", name);
	tval_set(r->arena, ctx, "user", user);
	tval_set_str(r->arena, ctx, "link", app_url(app, r, arena_printf(r->arena, "%s?token=%s",
	    verify ? "/verify" : "/password/reset", token)));
	tval_set_str(r->arena, ctx, "expires_in", verify ? "2 days" : "2 hours");
	return notify_enqueue(&app->db, app->tmpl, r->arena, purpose, to,
	    verify ? "verify_email" : "password_reset", ctx) < 0 ? -1 : 1;
}

static int
form(struct app *app, struct req *r, struct resp *w, int status, const char *error)
{
	struct tval *ctx = app_page(app, r, "Create an account");
	const char *name = req_field(r, "name");

	if (ctx == NULL)
		return 500;
	tval_set_str(r->arena, ctx, "name", name ? name : "");
	tval_set_str(r->arena, ctx, "email", app_email_field(r, "email"));
	if (error != NULL)
		tval_set_str(r->arena, ctx, "error", error);
	tval_set_bool(r->arena, ctx, "open", portal_registration_open(app));
	w->status = status;
	resp_header(w, "Cache-Control", "no-store");
	return app_render(app, r, w, "portal/register", ctx);
}

int
portal_register_form(struct app *app, struct req *r, struct resp *w)
{
	return form(app, r, w, 200, NULL);
}

/* Tells the owner of an address that someone tried to register it again. */
static int
tell_existing(struct app *app, struct req *r, const char *email)
{
	struct tval *ctx = app_page(app, r, "");

	if (ctx == NULL)
		return -1;
	tval_set_str(r->arena, ctx, "link", app_url(app, r, "/password/forgot"));
	tval_set_str(r->arena, ctx, "login_link", app_url(app, r, "/login"));
	return notify_enqueue(&app->db, app->tmpl, r->arena, "account_exists", email,
	    "account_exists", ctx);
}

int
portal_register(struct app *app, struct req *r, struct resp *w)
{
	const char *name = req_field(r, "name"), *email = app_email_field(r, "email");
	const char *pw = req_field(r, "password"), *weak;
	char hash[PASSWORD_HASH_MAX];
	long long uid, cid;
	size_t nlen;

	if (!portal_registration_open(app))
		return form(app, r, w, 403, "New accounts are opened by our team. Please contact us.");
	nlen = name ? strlen(name) : 0;
	if (nlen == 0 || nlen > 200)
		return form(app, r, w, 422, "Enter your name (up to 200 characters).");
	if (strchr(email, '@') == NULL || email[0] == '@' || strchr(email, '@')[1] == '\0' ||
	    strpbrk(email, " <>,;\"") != NULL)
		return form(app, r, w, 422, "Enter a valid e-mail address.");
	if (pw == NULL || (weak = password_weakness(pw, email, name)) != NULL)
		return form(app, r, w, 422, pw == NULL ? "Choose a password." : weak);
	if (password_hash(pw, hash) < 0)
		return 503;
	if (db_begin(&app->db) < 0)
		return 503;
	uid = accounts_register(&app->db, name, email, hash, "en", &cid);
	if (uid == ACCOUNTS_TAKEN) {
		if (tell_existing(app, r, email) < 0)
			goto fail;
	} else if (uid < 0 || portal_send_link(app, r, "verify_email", NULL, uid) < 0) {
		goto fail;
	} else {
		r->who.id = uid;
		app_audit(app, r, "register", "portal_user", arena_printf(r->arena, "%lld", uid),
		    email);
	}
	if (db_commit(&app->db) < 0)
		return 503;
	app_flash(app, r, w, 0, "Almost done: we sent you an e-mail. Open the link in it to "
	    "confirm your address, then sign in.");
	resp_redirect(w, "/login");
	return 0;
fail:
	db_rollback(&app->db);
	return 500;
}

int
portal_verify(struct app *app, struct req *r, struct resp *w)
{
	const char *token = req_query(r, "token");
	long long uid, cid;
	int found;

	if (db_begin(&app->db) < 0)
		return 503;
	found = token ? accounts_link_redeem(&app->db, "verify_email", token, &uid, &cid) : 0;
	if (found > 0 && (app_customer_scope(app, cid) < 0 ||
	    accounts_user_mark_verified(&app->db, uid) < 0))
		found = -1;
	if (found <= 0)
		db_rollback(&app->db);
	else if (db_commit(&app->db) < 0)
		found = -1;
	if (found < 0)
		return 503;
	if (found == 0) {
		app_flash(app, r, w, 1, "This confirmation link is not valid any more. Sign in, or "
		    "use \"Forgotten your password?\" to get a new link.");
		resp_redirect(w, "/login");
		return 0;
	}
	app_flash(app, r, w, 0, "Your e-mail address is confirmed. You can sign in now.");
	resp_redirect(w, "/login");
	return 0;
}
