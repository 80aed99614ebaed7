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
#include "web/fields.h"
#include "auth/password.h"
#include "core/arena.h"
#include "domain/notify.h"
#include "domain/portal_users.h"
#include "domain/security_admin.h"
#include "tmpl/tval.h"

#include <string.h>

/* The registration form; the name and address are the domain's to judge. */
static const struct field_rule register_rules[] = {
	{ "name", "Name", FIELD_TEXT, 0, 0, 0, NULL },
	{ "email", "E-mail address", FIELD_LOGIN, 0, 0, PORTAL_USER_EMAIL_MAX, NULL },
	{ "password", "Password", FIELD_PASSWORD, 0, 0, 0, NULL },
};
enum { RG_NAME, RG_EMAIL, RG_PASSWORD, RG__MAX };
_Static_assert(sizeof(register_rules) / sizeof(register_rules[0]) == RG__MAX,
    "one rule per field");

int
portal_registration_open(struct app *app)
{
	/* Open unless an admin closed it. */
	return security_setting(&app->db, SECURITY_PUBLIC_REGISTRATION, 1);
}

/*
 * The single-use links the portal mails: the mail's template, where the
 * link leads, how long it works and, for links anyone may ask for by
 * typing an address, how many may go to one address in a window.
 */
static const struct link_kind {
	const char *purpose, *mail, *path, *expires_in;
	int seconds, max, window;
} link_kinds[] = {
	{ "verify_email", "verify_email", "/verify", "2 days", PORTAL_LINK_VERIFY_SECONDS, 0, 0 },
	{ "reset_password", "password_reset", "/password/reset", "2 hours",
	    PORTAL_LINK_RESET_SECONDS, PORTAL_MAIL_RESET_MAX, PORTAL_MAIL_RESET_WINDOW },
	{ "signin_link", "signin_link", "/login/link", "15 minutes", PORTAL_LINK_SIGNIN_SECONDS,
	    PORTAL_MAIL_SIGNIN_MAX, PORTAL_MAIL_SIGNIN_WINDOW },
};

enum cs_result
portal_send_link(struct app *app, struct req *r, const char *purpose, const char *email,
    long long user_id)
{
	const struct link_kind *k = NULL;
	const char *token, *name, *to;
	struct tval *ctx;
	enum cs_result rc;
	size_t i;

	for (i = 0; i < sizeof(link_kinds) / sizeof(link_kinds[0]); i++)
		if (strcmp(link_kinds[i].purpose, purpose) == 0)
			k = &link_kinds[i];
	if (k == NULL)
		return CS_FAILED;
	/* Before the link is made: a new link voids the last one. */
	if (email != NULL && k->max > 0 &&
	    (rc = portal_mail_allowed(&app->db, purpose, email, k->max, k->window)) != CS_OK)
		return rc;
	rc = portal_link_issue(&app->db, r->arena, purpose, email, user_id, k->seconds, &token,
	    &name, &to);
	if (rc != CS_OK)
		return rc;
	/*
	 * No name in these mails (the templates greet without one): a
	 * verification goes to an address nobody has proved yet, under a name
	 * whoever registered chose, and a reset may go to such an address too.
	 */
	(void)name;
	if ((ctx = app_page(app, r, "")) == NULL)
		return CS_FAILED;
	tval_set_str(r->arena, ctx, "link", app_url(app, r, arena_printf(r->arena, "%s?token=%s",
	    k->path, token)));
	tval_set_str(r->arena, ctx, "expires_in", k->expires_in);
	return notify_enqueue(&app->db, app->tmpl, r->arena, purpose, to, k->mail, ctx);
}

int
portal_mail_link(struct app *app, struct req *r, struct resp *w, const char *purpose,
    const char *email, const char *said)
{
	enum cs_result rc;

	/* One transaction: the per-address limit holds its lock until the mail is queued. */
	if (db_begin(&app->db) < 0)
		return 503;
	rc = portal_send_link(app, r, purpose, email, 0);
	if (rc != CS_OK && rc != CS_NOT_FOUND && rc != CS_REFUSED) {
		db_rollback(&app->db);
		return 503;
	}
	if (db_commit(&app->db) < 0)
		return 503;
	app_flash(app, r, w, 0, said);
	resp_redirect(w, "/login");
	return 0;
}

static int
form(struct app *app, struct req *r, struct resp *w, int status, const char *name,
    const char *email, const char *error)
{
	struct tval *ctx = app_page(app, r, "Create an account");

	if (ctx == NULL)
		return 500;
	tval_set_str(r->arena, ctx, "name", name);
	tval_set_str(r->arena, ctx, "email", email);
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
	return form(app, r, w, 200, "", "", NULL);
}

/*
 * Tells the owner of an address that someone tried to register it again,
 * at most PORTAL_MAIL_EXISTS_MAX times a day, so the form cannot flood
 * a mailbox. Nothing the registrant typed goes into this mail. A staff
 * member's address gets a mail of its own and an audit row for the admins
 * to review (limited the same way); the person registering sees the same
 * answer either way.
 */
static int
tell_existing(struct app *app, struct req *r, const char *email)
{
	struct tval *ctx = app_page(app, r, "");
	const char *name = "account_exists";
	enum cs_result rc;
	int staff;

	if (ctx == NULL || portal_address_staff(&app->db, email, &staff) != CS_OK)
		return -1;
	if (staff)
		name = "staff_address";
	rc = portal_mail_allowed(&app->db, name, email, PORTAL_MAIL_EXISTS_MAX,
	    PORTAL_MAIL_EXISTS_WINDOW);
	if (rc != CS_OK)
		return rc == CS_REFUSED ? 0 : -1;
	if (staff)
		app_audit(app, r, "register.staff_address", "portal_user", NULL, email);
	tval_set_str(r->arena, ctx, "link", app_url(app, r, "/password/forgot"));
	tval_set_str(r->arena, ctx, "login_link", app_url(app, r, staff ? "/agent/login" :
	    "/login"));
	return notify_enqueue(&app->db, app->tmpl, r->arena, name, email, name, ctx) == CS_OK ?
	    0 : -1;
}

int
portal_register(struct app *app, struct req *r, struct resp *w)
{
	const char *v[RG__MAX], *pw, *why;
	char hash[PASSWORD_HASH_MAX];
	struct portal_signup in;
	struct field_form f;
	long long uid, cid;
	enum cs_result rc;

	if (fields_init(&f, r->arena) < 0)
		return 500;
	fields_check(&f, r, register_rules, RG__MAX, v, NULL);
	if (f.failed)
		return 500;
	in.name = v[RG_NAME];
	in.email = v[RG_EMAIL];
	in.language = "en";
	pw = v[RG_PASSWORD];
	if (!portal_registration_open(app))
		return form(app, r, w, 403, in.name, in.email,
		    "New accounts are opened by our team. Please contact us.");
	/* Before the slow hash: the domain checks the same again. */
	if (portal_signup_check(&in, &why) != CS_OK)
		return form(app, r, w, 422, in.name, in.email, why);
	if (*pw == '\0' || (why = password_weakness(pw, in.email, in.name)) != NULL)
		return form(app, r, w, 422, in.name, in.email, *pw == '\0' ? "Choose a password." :
		    why);
	if (password_hash(pw, hash) < 0)
		return 503;
	in.password_hash = hash;
	if (db_begin(&app->db) < 0)
		return 503;
	rc = portal_user_register(&app->db, &in, &uid, &cid, &why);
	sodium_memzero(hash, sizeof(hash));
	if (rc == CS_TAKEN) {
		if (tell_existing(app, r, in.email) < 0)
			goto fail;
	} else if (rc != CS_OK || portal_send_link(app, r, "verify_email", NULL, uid) != CS_OK) {
		goto fail;
	} else {
		r->who.id = uid;
		app_audit(app, r, "register", "portal_user", arena_printf(r->arena, "%lld", uid),
		    in.email);
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
	enum cs_result rc;

	if (db_begin(&app->db) < 0)
		return 503;
	rc = portal_link_redeem(&app->db, "verify_email", token, &uid, &cid);
	if (rc == CS_OK && (app_customer_scope(app, cid) < 0 ||
	    portal_user_mark_verified(&app->db, uid) != CS_OK))
		rc = CS_FAILED;
	/* A link not valid any more changed nothing: end the transaction
	 * normally, since a rollback would doom the one a signed-in
	 * customer's request already runs in (a 500 instead of the message). */
	if (rc != CS_OK && rc != CS_NOT_FOUND)
		db_rollback(&app->db);
	else if (db_commit(&app->db) < 0)
		rc = CS_FAILED;
	if (rc != CS_OK && rc != CS_NOT_FOUND)
		return 503;
	if (rc == CS_NOT_FOUND) {
		app_flash(app, r, w, 1, "This confirmation link is not valid any more. Sign in, or "
		    "use \"Forgotten your password?\" to get a new link.");
		resp_redirect(w, "/login");
		return 0;
	}
	app_flash(app, r, w, 0, "Your e-mail address is confirmed. You can sign in now.");
	resp_redirect(w, "/login");
	return 0;
}
