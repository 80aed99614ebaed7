/*
 * admin_security.c — the admin pages about security and mail: who is
 * locked out of signing in, the mail outbox, the audit log and the
 * site-wide settings. Routes and access (admin only) are in
 * cgi-bin/console.c.
 */
#include "web/fields.h"
#include "web/result.h"
#include "console/admin_ops.h"
#include "console/handlers.h"
#include "core/arena.h"
#include "domain/audit.h"
#include "domain/mailer.h"
#include "domain/notify_admin.h"
#include "domain/ops_settings.h"
#include "domain/security_admin.h"
#include "tmpl/tval.h"

#include <string.h>

#define AUDIT_URL "/agent/admin/audit"
#define SETTINGS_URL "/agent/admin/settings"

/* Messages shown on the outbox page. */
#define MAIL_LIST 100

static const char *const yes_no[] = { "yes", "no", NULL };

/* The settings form: one yes/no field per setting, in security_setting order. */
static const struct field_rule settings_rules[] = {
	[SECURITY_REQUIRE_ADMIN_TOTP] = { "require_admin_totp",
		"Require a second factor for admins", FIELD_CHOICE, 1, 0, 0, yes_no },
	[SECURITY_PUBLIC_REGISTRATION] = { "public_registration",
		"Public registration", FIELD_CHOICE, 1, 0, 0, yes_no },
};
_Static_assert(sizeof(settings_rules) / sizeof(settings_rules[0]) == SECURITY_SETTING__MAX,
    "one field per setting");

static int
render(struct app *app, struct req *r, struct resp *w, const char *name, struct tval *ctx,
    int status)
{
	w->status = status;
	return app_render(app, r, w, name, ctx);
}

/* "4 min 10 s", "35 s". */
static const char *
duration(struct arena *a, long long s)
{
	if (s < 60)
		return arena_printf(a, "%lld s", s);
	return arena_printf(a, "%lld min %lld s", s / 60, s % 60);
}

int
console_admin_lockouts(struct app *app, struct req *r, struct resp *w)
{
	struct tval *ctx = app_page(app, r, "Sign-in lock-outs"), *list;
	struct arena *a = r->arena;
	struct security_lockout *rows;
	size_t n, i;
	int rc = 0;

	if (ctx == NULL || (list = tval_list(a)) == NULL)
		return 500;
	if (security_admin_lockouts(&app->db, a, &rows, &n) != CS_OK)
		return web_db_error(app);
	for (i = 0; i < n; i++) {
		struct tval *row = tval_map(a);

		rc |= tval_set_bool(a, row, "address", rows[i].address);
		rc |= tval_set_str(a, row, "area", rows[i].area);
		rc |= tval_set_str(a, row, "who", rows[i].who);
		rc |= tval_set_int(a, row, "failures", rows[i].failures);
		rc |= tval_set_str(a, row, "last_failure", rows[i].last_failure);
		rc |= tval_set_str(a, row, "locked_until", rows[i].locked_until);
		rc |= tval_set_str(a, row, "left", duration(a, rows[i].seconds_left));
		rc |= tval_push(a, list, row);
	}
	rc |= tval_set(a, ctx, "lockouts", list);
	if (rc)
		return 500;
	return app_render(app, r, w, "console/admin/lockouts", ctx);
}

int
console_admin_mail(struct app *app, struct req *r, struct resp *w)
{
	struct tval *ctx = app_page(app, r, "Mail outbox"), *list;
	struct arena *a = r->arena;
	struct mailer_config mc;
	struct notify_row *rows;
	size_t n, i;
	int rc = 0;

	if (ctx == NULL || (list = tval_list(a)) == NULL)
		return 500;
	if (mailer_config_env(&mc, a, app->cfg.datadir) != CS_OK)
		return 500;
	if (notify_list_recent(&app->db, a, MAIL_LIST, &rows, &n) != CS_OK)
		return web_db_error(app);
	for (i = 0; i < n; i++) {
		struct tval *row = tval_map(a);
		const char *st = rows[i].status;

		rc |= tval_set_str(a, row, "id", rows[i].id);
		rc |= tval_set_str(a, row, "kind", rows[i].kind);
		rc |= tval_set_str(a, row, "recipient", rows[i].recipient);
		rc |= tval_set_str(a, row, "subject", rows[i].subject);
		rc |= tval_set_str(a, row, "status", st);
		rc |= tval_set_bool(a, row, "sent", strcmp(st, "sent") == 0);
		rc |= tval_set_bool(a, row, "dead", strcmp(st, "dead") == 0);
		rc |= tval_set_str(a, row, "attempts", rows[i].attempts);
		rc |= tval_set(a, row, "last_error", tval_str(a, rows[i].last_error));
		rc |= tval_set_str(a, row, "created_at", rows[i].created_at);
		rc |= tval_set(a, row, "sent_at", tval_str(a, rows[i].sent_at));
		rc |= tval_push(a, list, row);
	}
	rc |= tval_set(a, ctx, "messages", list);
	rc |= tval_set_int(a, ctx, "limit", MAIL_LIST);
	/* Never the URL itself: it may carry a password. */
	rc |= tval_set_bool(a, ctx, "smtp", mc.smtp_url != NULL && *mc.smtp_url != '\0');
	rc |= tval_set_str(a, ctx, "mail_dir", mc.dir);
	rc |= tval_set_str(a, ctx, "mail_from", mc.from);
	if (rc)
		return 500;
	if ((rc = admin_ops_mail_dead(app, r, ctx)) != 0)
		return rc;
	return app_render(app, r, w, "console/admin/mail", ctx);
}

/* --- the audit log --------------------------------------------------------- */

static const char *const actor_values[] = { "", "staff", "customer", "system", "cli", "api" };
static const char *const actor_labels[] = { "Anyone", "Staff", "Customers", "System",
	"Command line", "API keys" };
#define NACTORS (sizeof(actor_values) / sizeof(actor_values[0]))

/* Action names as the audit table allows them: [a-z0-9_.], at most 64. */
static int
action_ok(const char *s)
{
	size_t n = 0;

	for (; *s; s++, n++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_' ||
		    *s == '.'))
			return 0;
	return n <= 64;
}

static const char *
audit_url(struct arena *a, const char *actor, const char *action, long long before)
{
	struct buf b;

	buf_init(&b, a);
	buf_addstr(&b, AUDIT_URL "?actor=");
	url_encode(&b, actor);
	buf_addstr(&b, "&action=");
	url_encode(&b, action);
	if (before > 0)
		buf_printf(&b, "&before=%lld", before);
	return buf_failed(&b) ? NULL : b.buf;
}

int
console_admin_audit(struct app *app, struct req *r, struct resp *w)
{
	struct tval *ctx = app_page(app, r, "Audit log"), *list;
	struct arena *a = r->arena;
	struct audit_filter flt = { 0 };
	struct audit_row *rows;
	const char *actor = req_query(r, "actor"), *action = req_query(r, "action");
	size_t n, i;
	int rc = 0;

	if (ctx == NULL || (list = tval_list(a)) == NULL)
		return 500;
	if (web_query_key(r, "before", &flt.before_id) < 0)
		return app_bad_query(app, r, w, "before", NULL, NULL);
	if (actor == NULL || !fields_in(actor, actor_values, NACTORS))
		actor = "";
	action = fields_trim(a, action ? action : "");
	if (action == NULL)
		return 500;
	if (!action_ok(action)) {
		rc |= tval_set_str(a, ctx, "action_error", "An action is lower-case words joined "
		    "by dots, like staff.update.");
		action = "";
	}
	flt.actor_kind = audit_actor_from_name(actor);
	flt.action = *action ? action : NULL;
	flt.limit = AUDIT_LIST_PAGE + 1;
	if (audit_list_recent(&app->db, a, &flt, &rows, &n) != CS_OK)
		return web_db_error(app);
	for (i = 0; i < n && i < AUDIT_LIST_PAGE; i++) {
		struct tval *row = tval_map(a);

		rc |= tval_set_int(a, row, "id", rows[i].id);
		rc |= tval_set_str(a, row, "at", rows[i].at);
		rc |= tval_set_str(a, row, "actor_kind", rows[i].actor_kind);
		if (rows[i].actor_id > 0)
			rc |= tval_set_int(a, row, "actor_id", rows[i].actor_id);
		rc |= tval_set_bool(a, row, "staff_actor", rows[i].actor_id > 0 &&
		    strcmp(rows[i].actor_kind, "staff") == 0);
		rc |= tval_set_str(a, row, "action", rows[i].action);
		rc |= tval_set(a, row, "object_type", tval_str(a, rows[i].object_type));
		rc |= tval_set(a, row, "object_id", tval_str(a, rows[i].object_id));
		rc |= tval_set_str(a, row, "detail", strcmp(rows[i].detail, "{}") == 0 ? "" :
		    rows[i].detail);
		rc |= tval_set(a, row, "ip", tval_str(a, rows[i].ip));
		rc |= tval_push(a, list, row);
	}
	rc |= tval_set(a, ctx, "rows", list);
	rc |= tval_set(a, ctx, "actor_options", fields_select(a, actor_values, actor_labels, NACTORS,
	    actor));
	rc |= tval_set_str(a, ctx, "action", action);
	rc |= tval_set_bool(a, ctx, "pager", n > AUDIT_LIST_PAGE || flt.before_id > 0);
	if (n > AUDIT_LIST_PAGE)
		rc |= tval_set_str(a, ctx, "next_url", audit_url(a, actor, action,
		    rows[AUDIT_LIST_PAGE - 1].id));
	if (flt.before_id > 0)
		rc |= tval_set_str(a, ctx, "first_url", audit_url(a, actor, action, 0));
	if (rc)
		return 500;
	return app_render(app, r, w, "console/admin/audit", ctx);
}

/* --- settings ---------------------------------------------------------------- */

static int
settings_render(struct app *app, struct req *r, struct resp *w, struct field_form *f, int status)
{
	struct tval *ctx = app_page(app, r, "Settings");
	int rc;

	if (ctx == NULL)
		return 500;
	rc = fields_ctx(f, ctx);
	rc |= tval_set_bool(r->arena, ctx, "own_totp", r->who.totp_enabled);
	if (rc)
		return 500;
	return render(app, r, w, "console/admin/settings", ctx, status);
}

/* Shows each setting as the template's f.<key>_yes / f.<key>_no flags. */
static void
settings_values(struct field_form *f, const int on[SECURITY_SETTING__MAX])
{
	int k;

	for (k = 0; k < SECURITY_SETTING__MAX; k++) {
		const char *key = security_setting_keys[k];

		fields_value(f, key, on[k] ? "yes" : "no");
		if (tval_set_bool(f->a, f->values, arena_printf(f->a, "%s_yes", key), on[k]) < 0)
			f->failed = 1;
	}
}

int
console_admin_settings(struct app *app, struct req *r, struct resp *w)
{
	int on[SECURITY_SETTING__MAX], st;
	struct field_form f;

	if (fields_init(&f, r->arena) < 0)
		return 500;
	if (security_admin_settings(&app->db, on) != CS_OK)
		return web_db_error(app);
	settings_values(&f, on);
	if ((st = admin_ops_settings_show(app, r, &f)) != 0)
		return st;
	if (f.failed)
		return 500;
	return settings_render(app, r, w, &f, 200);
}

int
console_admin_settings_save(struct app *app, struct req *r, struct resp *w)
{
	const char *v[SECURITY_SETTING__MAX], *why, *field;
	int on[SECURITY_SETTING__MAX], k, st;
	enum cs_result rc;
	struct ops_settings ops;
	struct audit_entry by;
	struct field_form f;

	if (fields_init(&f, r->arena) < 0)
		return 500;
	fields_check(&f, r, settings_rules, SECURITY_SETTING__MAX, v, NULL);
	if ((st = admin_ops_settings_check(app, r, &f, &ops)) != 0)
		return st;
	for (k = 0; k < SECURITY_SETTING__MAX; k++)
		on[k] = strcmp(v[k], "yes") == 0;
	/* Requiring what the admin acting has not got would lock them out of this page. */
	if (on[SECURITY_REQUIRE_ADMIN_TOTP] && !r->who.totp_enabled)
		fields_error(&f, "require_admin_totp", "Set up a second factor for your own account "
		    "first (Account page): without one you would lose admin access at once.");
	if (f.nerrors) {
		/* Show what was chosen, even where it was refused. */
		settings_values(&f, on);
		return f.failed ? 500 : settings_render(app, r, w, &f, 422);
	}
	web_audit_actor(r, &by);
	rc = security_admin_settings_save_all(&app->db, &by, on, &ops, &field, &why);
	if (rc == CS_REFUSED) {
		fields_error(&f, field, why);
		settings_values(&f, on);
		return f.failed ? 500 : settings_render(app, r, w, &f, 422);
	}
	if (rc != CS_OK)
		return web_result_status(rc);
	web_flash(app, r, w, "Settings saved.");
	resp_redirect(w, SETTINGS_URL);
	return 0;
}
