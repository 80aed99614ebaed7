/*
 * account.c — a customer's own account: GET /account,
 * POST /account/password, POST /account/email,
 * POST /account/sessions/{id}/end, POST /account/sessions/end-others.
 *
 * Password and e-mail changes ask for the current password and are
 * announced to the address on file before the change.
 */
#include "portal/handlers.h"
#include "auth/password.h"
#include "auth/session.h"
#include "core/arena.h"
#include "core/config.h"
#include "domain/accounts.h"
#include "domain/notify.h"
#include "tmpl/tval.h"

#include <string.h>

static int
page(struct app *app, struct req *r, struct resp *w, int status, const char *error)
{
	struct tval *ctx = app_page(app, r, "Your account"), *list;
	struct session_row *rows;
	size_t n, i;

	if (ctx == NULL || (list = tval_list(r->arena)) == NULL)
		return 500;
	if (session_customer_list(&app->db, r->arena, r->who.id, r->who.session_id, &rows, &n) < 0)
		return 503;
	for (i = 0; i < n; i++) {
		struct tval *s = tval_map(r->arena);

		tval_set_int(r->arena, s, "id", rows[i].id);
		tval_set_str(r->arena, s, "created_at", rows[i].created_at);
		tval_set_str(r->arena, s, "last_seen_at", rows[i].last_seen_at);
		tval_set_str(r->arena, s, "user_agent", rows[i].user_agent);
		tval_set_str(r->arena, s, "ip", rows[i].ip);
		tval_set_bool(r->arena, s, "current", rows[i].current);
		tval_push(r->arena, list, s);
	}
	tval_set(r->arena, ctx, "sessions", list);
	tval_set_bool(r->arena, ctx, "other_sessions", n > 1);
	if (error != NULL)
		tval_set_str(r->arena, ctx, "error", error);
	w->status = status;
	return app_render(app, r, w, "portal/account", ctx);
}

int
portal_account(struct app *app, struct req *r, struct resp *w)
{
	return page(app, r, w, 200, NULL);
}

static int
current_password_ok(struct app *app, struct req *r)
{
	const char *pw = req_field(r, "current_password");

	return pw != NULL &&
	    password_verify(accounts_user_hash(&app->db, r->arena, r->who.id, NULL), pw, NULL);
}

int
portal_account_password(struct app *app, struct req *r, struct resp *w)
{
	const char *pw = req_field(r, "password"), *again = req_field(r, "password_again"), *weak;
	char hash[PASSWORD_HASH_MAX];

	if (!current_password_ok(app, r))
		return page(app, r, w, 422, "Your current password is not correct.");
	if (pw == NULL || again == NULL || strcmp(pw, again) != 0)
		return page(app, r, w, 422, "The two new passwords are not the same.");
	if ((weak = password_weakness(pw, r->who.email, r->who.name)) != NULL)
		return page(app, r, w, 422, weak);
	if (password_hash(pw, hash) < 0)
		return 503;
	/* The request already runs in one transaction (customer scope). */
	if (accounts_user_set_password(&app->db, r->who.id, hash) < 0 ||
	    session_customer_end_all(&app->db, r->who.id, r->who.session_id) < 0 ||
	    portal_announce_password(app, r, r->who.id) < 0)
		return 500;
	app_audit(app, r, "password.change", "portal_user",
	    arena_printf(r->arena, "%lld", r->who.id), NULL);
	app_flash(app, r, w, 0, "Your password is changed. Your other sessions were signed out.");
	resp_redirect(w, "/account");
	return 0;
}

int
portal_account_email(struct app *app, struct req *r, struct resp *w)
{
	const char *email = app_email_field(r, "email");
	struct tval *ctx, *user;
	int rc;

	if (!current_password_ok(app, r))
		return page(app, r, w, 422, "Your current password is not correct.");
	if (strchr(email, '@') == NULL || email[0] == '@' || strpbrk(email, " <>,;\"") != NULL)
		return page(app, r, w, 422, "Enter a valid e-mail address.");
	if (strcmp(email, r->who.email) == 0)
		return page(app, r, w, 422, "That is already your address.");
	/* Tell the old address first, so a hijack does not go unnoticed. */
	ctx = app_page(app, r, "");
	user = tval_map(r->arena);
	if (ctx == NULL || user == NULL)
		return 500;
	tval_set_str(r->arena, user, "name", r->who.name);
	tval_set(r->arena, ctx, "user", user);
	tval_set_str(r->arena, ctx, "new_email", email);
	tval_set_str(r->arena, ctx, "link", app_url(app, r, "/password/forgot"));
	if (notify_enqueue(&app->db, app->tmpl, r->arena, "email_changed", r->who.email,
	    "email_changed", ctx) < 0)
		return 500;
	rc = accounts_user_set_email(&app->db, r->who.id, email);
	if (rc == ACCOUNTS_TAKEN)
		/* Said plainly: the person proved who they are with their password. */
		return page(app, r, w, 422, "Another account uses that address.");
	if (rc < 0 || portal_send_link(app, r, "verify_email", NULL, r->who.id) < 0)
		return 500;
	app_audit(app, r, "email.change", "portal_user", arena_printf(r->arena, "%lld", r->who.id),
	    NULL);
	app_flash(app, r, w, 0, "Your address is changed. We sent a link to the new address: "
	    "open it to confirm it.");
	resp_redirect(w, "/account");
	return 0;
}

int
portal_session_end(struct app *app, struct req *r, struct resp *w)
{
	long long id;
	int rc;

	if (config_parse_long(req_param(r, "id"), 1, 1LL << 62, &id) < 0)
		return 404;
	rc = session_customer_end_one(&app->db, r->who.id, id);
	if (rc < 0)
		return 503;
	if (rc == 0)
		return 404;	/* not one of yours, or already gone: the same */
	app_flash(app, r, w, 0, "That session is signed out.");
	resp_redirect(w, "/account");
	return 0;
}

int
portal_sessions_end_others(struct app *app, struct req *r, struct resp *w)
{
	if (session_customer_end_all(&app->db, r->who.id, r->who.session_id) < 0)
		return 503;
	app_flash(app, r, w, 0, "Your other sessions are signed out.");
	resp_redirect(w, "/account");
	return 0;
}
