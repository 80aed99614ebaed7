/*
 * account.c — a customer's own account: GET /account,
 * POST /account/password, POST /account/email,
 * POST /account/sessions/{id}/end, POST /account/sessions/end-others.
 *
 * Password and e-mail changes ask for the current password and are
 * announced to the address on file before the change.
 */
#include "portal/handlers.h"
#include "web/fields.h"
#include "auth/password.h"
#include "auth/session.h"
#include "core/arena.h"
#include "domain/notify.h"
#include "domain/portal_users.h"
#include "tmpl/tval.h"
#include "web/signin.h"

#include <string.h>

/* A new password: the current one, and the new one twice. */
static const struct field_rule password_rules[] = {
	{ "current_password", "Current password", FIELD_PASSWORD, 0, 0, 0, NULL },
	{ "password", "New password", FIELD_PASSWORD, 0, 0, 0, NULL },
	{ "password_again", "New password again", FIELD_PASSWORD, 0, 0, 0, NULL },
};
enum { PW_CURRENT, PW_NEW, PW_AGAIN, PW__MAX };
_Static_assert(sizeof(password_rules) / sizeof(password_rules[0]) == PW__MAX,
    "one rule per field");

/* A new address: the current password, and the address. */
static const struct field_rule email_rules[] = {
	{ "current_password", "Current password", FIELD_PASSWORD, 0, 0, 0, NULL },
	{ "email", "E-mail address", FIELD_LOGIN, 0, 0, PORTAL_USER_EMAIL_MAX, NULL },
};
enum { EM_CURRENT, EM_EMAIL, EM__MAX };
_Static_assert(sizeof(email_rules) / sizeof(email_rules[0]) == EM__MAX, "one rule per field");

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

/*
 * Re-checks the signed-in person's current password, throttled like
 * sign-in (web/signin.h): 0 when right, else 422, 429 or 503 with *why.
 */
static int
recheck(struct app *app, struct req *r, struct resp *w, const char *pw, const char **why)
{
	const char *hash = NULL;

	if (*pw != '\0' && portal_user_hash(&app->db, r->arena, r->who.id, &hash, NULL) != CS_OK)
		hash = NULL;
	return signin_recheck(app, r, w, hash, pw, why);
}

/* Reads the n fields of rules into v. 0, or -1 when memory ran out (500). */
static int
read_form(struct req *r, const struct field_rule *rules, size_t n, const char **v)
{
	struct field_form f;

	if (fields_init(&f, r->arena) < 0)
		return -1;
	fields_check(&f, r, rules, n, v, NULL);
	return f.failed ? -1 : 0;
}

int
portal_account_password(struct app *app, struct req *r, struct resp *w)
{
	const char *v[PW__MAX], *pw, *again, *weak, *why;
	char hash[PASSWORD_HASH_MAX];
	int st;

	if (read_form(r, password_rules, PW__MAX, v) < 0)
		return 500;
	pw = v[PW_NEW];
	again = v[PW_AGAIN];
	if ((st = recheck(app, r, w, v[PW_CURRENT], &why)) != 0)
		return st == 503 ? 503 : page(app, r, w, st, why);
	if (strcmp(pw, again) != 0)
		return page(app, r, w, 422, "The two new passwords are not the same.");
	if ((weak = password_weakness(pw, r->who.email, r->who.name)) != NULL)
		return page(app, r, w, 422, weak);
	if (password_hash(pw, hash) < 0)
		return 503;
	/* The request already runs in one transaction (customer scope). */
	if (portal_user_set_password(&app->db, r->who.id, hash) != CS_OK ||
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
	const char *v[EM__MAX], *email, *why;
	struct tval *ctx, *user;
	enum cs_result rc;
	int st;

	if (read_form(r, email_rules, EM__MAX, v) < 0)
		return 500;
	email = v[EM_EMAIL];
	if ((st = recheck(app, r, w, v[EM_CURRENT], &why)) != 0)
		return st == 503 ? 503 : page(app, r, w, st, why);
	if (!notify_address_ok(email))
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
	    "email_changed", ctx) != CS_OK)
		return 500;
	rc = portal_user_set_email(&app->db, r->who.id, email, &why);
	if (rc == CS_TAKEN)
		/* Said plainly: the person proved who they are with their password. */
		return page(app, r, w, 422, "Another account uses that address.");
	if (rc == CS_REFUSED)
		return page(app, r, w, 422, why);
	if (rc != CS_OK || portal_send_link(app, r, "verify_email", NULL, r->who.id) != CS_OK)
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
	long long id = web_path_id(r, "id");
	int rc;

	if (id == 0)
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
