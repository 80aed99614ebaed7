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
#include "domain/portal_users.h"
#include "domain/security_admin.h"
#include "tmpl/tval.h"
#include "web/auth_origin.h"

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

enum cs_result
portal_send_link(struct app *app, struct req *r, const char *purpose, const char *email,
    long long user_id)
{
	struct auth_origin o;

	if (auth_origin_of(app, r, &o) < 0)
		return CS_FAILED;
	return portal_link_send(&app->db, r->arena, &o, purpose, email, user_id);
}

int
portal_mail_link(struct app *app, struct req *r, struct resp *w, const char *purpose,
    const char *email, const char *said)
{
	struct auth_origin o;

	if (auth_origin_of(app, r, &o) < 0)
		return 500;
	if (portal_link_ask(&app->db, r->arena, &o, purpose, email) != CS_OK)
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

int
portal_register(struct app *app, struct req *r, struct resp *w)
{
	const char *v[RG__MAX], *pw, *why;
	char hash[PASSWORD_HASH_MAX];
	struct portal_signup in;
	struct auth_origin o;
	struct field_form f;
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
	if (auth_origin_of(app, r, &o) < 0) {
		sodium_memzero(hash, sizeof(hash));
		return 500;
	}
	rc = portal_sign_up(&app->db, r->arena, &o, &in, &why);
	sodium_memzero(hash, sizeof(hash));
	if (rc == CS_REFUSED)
		return form(app, r, w, 422, in.name, in.email, why);
	if (rc != CS_OK)
		return rc == CS_DB_LOST ? 503 : 500;
	app_flash(app, r, w, 0, "Almost done: we sent you an e-mail. Open the link in it to "
	    "confirm your address, then sign in.");
	resp_redirect(w, "/login");
	return 0;
}

int
portal_verify(struct app *app, struct req *r, struct resp *w)
{
	enum cs_result rc = portal_email_verify(&app->db, req_query(r, "token"));

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
