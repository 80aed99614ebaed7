/*
 * account.c — a staff member's own account: GET /agent/account,
 * POST /agent/account/password, GET|POST /agent/account/2fa,
 * POST /agent/account/2fa/disable.
 *
 * Every change here asks for the current password again. A new password
 * ends the person's other sessions; the second factor is enrolled by
 * proving a code from the app, and the recovery codes are shown once.
 */
#include "console/handlers.h"
#include "web/fields.h"
#include "auth/password.h"
#include "auth/qr.h"
#include "auth/totp.h"
#include "core/arena.h"
#include "domain/staff_auth.h"
#include "tmpl/tval.h"
#include "web/auth_origin.h"
#include "web/signin.h"

#include <string.h>
#include <time.h>

/* The password change form. */
static const struct field_rule password_rules[] = {
	{ "current_password", "Current password", FIELD_PASSWORD, 1, 0, 0, NULL },
	{ "password", "New password", FIELD_PASSWORD, 1, 0, 0, NULL },
	{ "password_again", "New password again", FIELD_PASSWORD, 1, 0, 0, NULL },
};
enum { PW_CURRENT, PW_NEW, PW_AGAIN, PW__MAX };
_Static_assert(sizeof(password_rules) / sizeof(password_rules[0]) == PW__MAX,
    "one rule per field");

/* Enrolling the second factor: the password again and a code from the app. */
static const struct field_rule enrol_rules[] = {
	{ "current_password", "Current password", FIELD_PASSWORD, 0, 0, 0, NULL },
	{ "code", "Code", FIELD_TEXT, 0, 0, 0, NULL },
};
enum { EN_CURRENT, EN_CODE, EN__MAX };
_Static_assert(sizeof(enrol_rules) / sizeof(enrol_rules[0]) == EN__MAX, "one rule per field");

/* Turning it off: the password again. */
static const struct field_rule disable_rules[] = {
	{ "current_password", "Current password", FIELD_PASSWORD, 0, 0, 0, NULL },
};

static int
account_page(struct app *app, struct req *r, struct resp *w, int status, const char *error)
{
	struct tval *ctx = app_page(app, r, "Your account");

	if (ctx == NULL)
		return 500;
	tval_set_bool(r->arena, ctx, "totp_enabled", r->who.totp_enabled);
	if (error != NULL)
		tval_set_str(r->arena, ctx, "error", error);
	w->status = status;
	return app_render(app, r, w, "console/account", ctx);
}

int
console_account(struct app *app, struct req *r, struct resp *w)
{
	return account_page(app, r, w, 200, NULL);
}

/*
 * Re-checks the signed-in person's current password, throttled like
 * sign-in (web/signin.h): 0 when right, else 422, 429 or 503 with *why.
 */
static int
recheck(struct app *app, struct req *r, struct resp *w, const char *pw, const char **why)
{
	const char *hash = NULL;

	if (*pw != '\0' && staff_auth_hash(&app->db, r->arena, r->who.id, &hash) != CS_OK)
		hash = NULL;
	return signin_recheck(app, r, w, hash, pw, why);
}

/*
 * Reads the n fields of rules into v. Returns 0, or -1 when memory ran out
 * (answer 500); *bad says whether any field failed its rule.
 */
static int
read_form(struct req *r, const struct field_rule *rules, size_t n, const char **v, int *bad)
{
	struct field_form f;

	if (fields_init(&f, r->arena) < 0)
		return -1;
	*bad = fields_check(&f, r, rules, n, v, NULL) > 0;
	return f.failed ? -1 : 0;
}

int
console_account_password(struct app *app, struct req *r, struct resp *w)
{
	const char *v[PW__MAX], *cur, *pw, *again, *weak, *why;
	char hash[PASSWORD_HASH_MAX];
	struct auth_origin o;
	enum cs_result rc;
	int bad, st;

	if (read_form(r, password_rules, PW__MAX, v, &bad) < 0)
		return 500;
	if (bad)
		return account_page(app, r, w, 422, "Fill in all three password fields.");
	cur = v[PW_CURRENT];
	pw = v[PW_NEW];
	again = v[PW_AGAIN];
	if ((st = recheck(app, r, w, cur, &why)) != 0)
		return st == 503 ? 503 : account_page(app, r, w, st, why);
	if (strcmp(pw, again) != 0)
		return account_page(app, r, w, 422, "The two new passwords are not the same.");
	if ((weak = password_weakness(pw, r->who.email, r->who.name)) != NULL)
		return account_page(app, r, w, 422, weak);
	if (password_hash(pw, hash) < 0)
		return 503;
	if (auth_origin_of(app, r, &o) < 0) {
		sodium_memzero(hash, sizeof(hash));
		return 500;
	}
	rc = staff_password_change(&app->db, r->arena, &o, r->who.session_id, hash, r->who.name,
	    r->who.email);
	sodium_memzero(hash, sizeof(hash));
	if (rc != CS_OK)
		return rc == CS_DB_LOST ? 503 : 500;
	app_flash(app, r, w, 0, "Your password is changed. Your other sessions were signed out.");
	resp_redirect(w, "/agent/account");
	return 0;
}

/* The enrolment page: a fresh pending secret as a QR code and as text. */
static int
enrol_page(struct app *app, struct req *r, struct resp *w, int status, const char *error)
{
	unsigned char secret[TOTP_SECRET_LEN];
	struct tval *ctx = app_page(app, r, "Two-factor authentication");
	const char *uri, *svg, *text;

	if (ctx == NULL)
		return 500;
	resp_header(w, "Cache-Control", "no-store");
	w->status = status;
	if (r->who.totp_enabled) {
		tval_set_bool(r->arena, ctx, "enabled", 1);
		return app_render(app, r, w, "console/totp", ctx);
	}
	totp_secret_new(secret);
	if (staff_totp_set_pending(&app->db, r->who.id, secret, sizeof(secret)) != CS_OK)
		return 503;
	uri = totp_uri(r->arena, app->cfg.site_name, r->who.email, secret, sizeof(secret));
	text = totp_base32(r->arena, secret, sizeof(secret));
	svg = uri ? qr_svg(r->arena, uri, "QR code to scan with your authenticator app") : NULL;
	if (svg == NULL || text == NULL)
		return 500;
	/* The SVG is markup this program drew; everything in it is escaped. */
	tval_set_str(r->arena, ctx, "qr_svg", svg);
	tval_set_str(r->arena, ctx, "secret", text);
	if (error != NULL)
		tval_set_str(r->arena, ctx, "error", error);
	return app_render(app, r, w, "console/totp", ctx);
}

int
console_totp_form(struct app *app, struct req *r, struct resp *w)
{
	return enrol_page(app, r, w, 200, NULL);
}

int
console_totp_enable(struct app *app, struct req *r, struct resp *w)
{
	const char *v[EN__MAX], *pw, *code, *why;
	unsigned char hashes[TOTP_RECOVERY_COUNT][32];
	char *codes[TOTP_RECOVERY_COUNT];
	struct staff_login l;
	struct tval *ctx, *list;
	long long step;
	size_t i;
	int bad, st;

	if (r->who.totp_enabled) {
		resp_redirect(w, "/agent/account/2fa");
		return 0;
	}
	if (read_form(r, enrol_rules, EN__MAX, v, &bad) < 0)
		return 500;
	pw = v[EN_CURRENT];
	code = v[EN_CODE];
	if ((st = recheck(app, r, w, pw, &why)) != 0)
		return st == 503 ? 503 : enrol_page(app, r, w, st, arena_printf(r->arena,
		    "%s Scan the new code below and try again.", why));
	if (staff_auth_lookup(&app->db, r->arena, r->who.email, &l) != CS_OK)
		return 503;
	if (l.totp_secret_len == 0 ||
	    totp_verify(l.totp_secret, l.totp_secret_len, code, time(NULL), 0, &step) != 1)
		return enrol_page(app, r, w, 422, "That code is not right. Check the clock of your "
		    "phone, scan the new code below and try again.");
	if (totp_recovery_codes(r->arena, codes) < 0)
		return 500;
	for (i = 0; i < TOTP_RECOVERY_COUNT; i++)
		totp_recovery_hash(codes[i], hashes[i]);
	if (staff_totp_enable(&app->db, r->who.id, step, hashes, TOTP_RECOVERY_COUNT) != CS_OK)
		return 503;
	app_audit(app, r, "totp.enable", "staff", arena_printf(r->arena, "%lld", r->who.id), NULL);
	ctx = app_page(app, r, "Recovery codes");
	list = tval_list(r->arena);
	if (ctx == NULL || list == NULL)
		return 500;
	for (i = 0; i < TOTP_RECOVERY_COUNT; i++)
		tval_push(r->arena, list, tval_str(r->arena, codes[i]));
	tval_set(r->arena, ctx, "codes", list);
	resp_header(w, "Cache-Control", "no-store");
	return app_render(app, r, w, "console/totp_codes", ctx);
}

int
console_totp_disable(struct app *app, struct req *r, struct resp *w)
{
	const char *pw, *why;
	int bad, st;

	if (read_form(r, disable_rules, 1, &pw, &bad) < 0)
		return 500;
	if ((st = recheck(app, r, w, pw, &why)) != 0)
		return st == 503 ? 503 : account_page(app, r, w, st, why);
	if (staff_totp_disable(&app->db, r->who.id) != CS_OK)
		return 503;
	app_audit(app, r, "totp.disable", "staff", arena_printf(r->arena, "%lld", r->who.id), NULL);
	app_flash(app, r, w, 0, "Two-factor authentication is off.");
	resp_redirect(w, "/agent/account");
	return 0;
}
