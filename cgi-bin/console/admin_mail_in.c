/*
 * admin_mail_in.c — the admin page for e-mail (/agent/admin/mail-in): the
 * addresses mail arrives at and the queue each routes to, each team's
 * address and signature for agents' replies, and the attachments and
 * automatic replies mail intake allows. Three forms on one page; a form
 * that fails comes back with what was typed and the message at its field.
 * mail_admin.h checks and audits. Routes (admin only): cgi-bin/console.c.
 */
#include "web/fields.h"
#include "console/handlers.h"
#include "console/tickets.h"
#include "core/arena.h"
#include "domain/audit.h"
#include "domain/mail_admin.h"
#include "domain/ticket_choices.h"
#include "tmpl/tval.h"
#include "web/result.h"

#include <string.h>

#define MAIL_IN_URL "/agent/admin/mail-in"

static const struct field_rule address_rules[] = {
	{ "address", "Address", FIELD_TEXT, 1, 0, 0, NULL },
	{ "queue_id", "Queue", FIELD_INT, 1, 1, 1LL << 62, NULL },
};
enum { AD_ADDRESS, AD_QUEUE, AD__MAX };
_Static_assert(sizeof(address_rules) / sizeof(address_rules[0]) == AD__MAX, "one per field");

static const struct field_rule team_rules[] = {
	{ "team_id", "Team", FIELD_INT, 1, 1, 1LL << 62, NULL },
	{ "team_address", "Address", FIELD_TEXT, 0, 0, 0, NULL },
	{ "signature", "Signature", FIELD_LINES, 0, 0, 0, NULL },
};
enum { TE_TEAM, TE_ADDRESS, TE_SIGNATURE, TE__MAX };
_Static_assert(sizeof(team_rules) / sizeof(team_rules[0]) == TE__MAX, "one per field");

/* The numbers' ranges and the texts' lengths are mail_admin.h's to check. */
static const struct field_rule settings_rules[] = {
	{ "file_max_kb", "Largest attachment", FIELD_INT, 1, 0, 1LL << 40, NULL },
	{ "types", "Accepted types", FIELD_LINES, 1, 0, 0, NULL },
	{ "per_hour", "Automatic replies an hour", FIELD_INT, 1, 0, 1LL << 40, NULL },
	{ "autoreply_text", "Automatic reply", FIELD_LINES, 0, 0, 0, NULL },
};
enum { SE_FILE_MAX, SE_TYPES, SE_PER_HOUR, SE_TEXT, SE__MAX };
_Static_assert(sizeof(settings_rules) / sizeof(settings_rules[0]) == SE__MAX, "one per field");

/* The three lists: addresses, teams, and the choices for the selects. */
static int
lists(struct app *app, struct arena *a, struct tval *ctx, const struct req *r)
{
	struct ticket_choices c;
	struct mail_address *ad;
	struct team_mail *tm;
	struct tval *addresses = tval_list(a), *teams = tval_list(a);
	size_t n, i;
	enum cs_result res;
	int rc = addresses == NULL || teams == NULL;

	if ((res = ticket_choices_get(&app->db, a, &c)) != CS_OK ||
	    (res = mail_address_list(&app->db, a, &ad, &n)) != CS_OK)
		return web_result_status(res);
	for (i = 0; i < n && !rc; i++) {
		struct tval *m = tval_map(a);

		rc |= tval_set_int(a, m, "id", ad[i].id);
		rc |= tval_set_str(a, m, "address", ad[i].address);
		rc |= tval_set_str(a, m, "queue", ad[i].queue);
		rc |= tval_push(a, addresses, m);
	}
	if ((res = team_mail_list(&app->db, a, &tm, &n)) != CS_OK)
		return web_result_status(res);
	for (i = 0; i < n && !rc; i++) {
		struct tval *m = tval_map(a);

		rc |= tval_set_str(a, m, "team", tm[i].team);
		rc |= tval_set_str(a, m, "address", tm[i].address);
		rc |= tval_set_str(a, m, "signature", tm[i].signature);
		rc |= tval_push(a, teams, m);
	}
	rc |= tval_set(a, ctx, "addresses", addresses);
	rc |= tval_set(a, ctx, "teams", teams);
	rc |= tval_set(a, ctx, "queue_options", console_tickets_choices(a, c.queues, c.nqueues,
	    web_id(req_field(r, "queue_id")), ""));
	rc |= tval_set(a, ctx, "team_options", console_tickets_choices(a, c.teams, c.nteams,
	    web_id(req_field(r, "team_id")), ""));
	return rc ? 500 : 0;
}

/* The page, with f's values and messages; the settings form filled from the rows when fresh. */
static int
page(struct app *app, struct req *r, struct resp *w, struct field_form *f, int fresh, int status)
{
	struct tval *ctx = app_page(app, r, "E-mail");
	struct mail_settings s;
	enum cs_result res;
	int st;

	if (ctx == NULL)
		return 500;
	if (fresh) {
		if ((res = mail_settings_get(&app->db, r->arena, &s)) != CS_OK)
			return web_result_status(res);
		fields_value(f, "file_max_kb", arena_printf(r->arena, "%lld", s.file_max / 1024));
		fields_value(f, "types", s.types);
		fields_value(f, "per_hour", arena_printf(r->arena, "%lld", s.per_hour));
		fields_value(f, "autoreply_text", s.autoreply_text);
	}
	if ((st = lists(app, r->arena, ctx, r)) != 0)
		return st;
	if (fields_ctx(f, ctx) < 0)
		return 500;
	w->status = status;
	return app_render(app, r, w, "console/admin/mail_in", ctx);
}

int
console_admin_mail_in(struct app *app, struct req *r, struct resp *w)
{
	struct field_form f;

	if (fields_init(&f, r->arena) < 0)
		return 500;
	return page(app, r, w, &f, 1, 200);
}

/* After a change: the flash, back to the page; or the page again with the refusal. */
static int
done(struct app *app, struct req *r, struct resp *w, struct field_form *f, enum cs_result rc,
    const char *why, const char *field, const char *said)
{
	if (rc == CS_REFUSED || rc == CS_TAKEN) {
		fields_error(f, field, rc == CS_TAKEN ? "That address is in use already." : why);
		return page(app, r, w, f, 0, 422);
	}
	if (rc != CS_OK)
		return web_result_status(rc);
	web_flash(app, r, w, "%s", said);
	resp_redirect(w, MAIL_IN_URL);
	return 0;
}

int
console_admin_mail_address_add(struct app *app, struct req *r, struct resp *w)
{
	const char *v[AD__MAX], *why = NULL, *field = "address";
	long long nums[AD__MAX];
	struct audit_entry by;
	struct field_form f;
	enum cs_result rc;

	if (fields_init(&f, r->arena) < 0)
		return 500;
	if (fields_check(&f, r, address_rules, AD__MAX, v, nums) > 0 || f.failed)
		return f.failed ? 500 : page(app, r, w, &f, 0, 422);
	web_audit_actor(r, &by);
	rc = mail_address_add(&app->db, &by, v[AD_ADDRESS], nums[AD_QUEUE], &why, &field);
	return done(app, r, w, &f, rc, why, field, "Address added.");
}

int
console_admin_mail_address_delete(struct app *app, struct req *r, struct resp *w)
{
	long long id = web_path_id(r, "id");
	struct audit_entry by;
	enum cs_result rc;

	if (id <= 0)
		return 404;
	web_audit_actor(r, &by);
	if ((rc = mail_address_delete(&app->db, &by, id)) != CS_OK)
		return web_result_status(rc);
	web_flash(app, r, w, "Address removed.");
	resp_redirect(w, MAIL_IN_URL);
	return 0;
}

int
console_admin_mail_team(struct app *app, struct req *r, struct resp *w)
{
	const char *v[TE__MAX], *why = NULL, *field = "team_address";
	long long nums[TE__MAX];
	struct audit_entry by;
	struct field_form f;
	enum cs_result rc;

	if (fields_init(&f, r->arena) < 0)
		return 500;
	if (fields_check(&f, r, team_rules, TE__MAX, v, nums) > 0 || f.failed)
		return f.failed ? 500 : page(app, r, w, &f, 0, 422);
	web_audit_actor(r, &by);
	rc = team_mail_set(&app->db, &by, nums[TE_TEAM], v[TE_ADDRESS], v[TE_SIGNATURE], &why,
	    &field);
	if (field != NULL && strcmp(field, "address") == 0)
		field = "team_address";
	return done(app, r, w, &f, rc, why, field, "Team address saved.");
}

int
console_admin_mail_settings(struct app *app, struct req *r, struct resp *w)
{
	const char *v[SE__MAX], *why = NULL, *field = "types";
	long long nums[SE__MAX];
	struct audit_entry by;
	struct mail_settings s;
	struct field_form f;
	enum cs_result rc;

	if (fields_init(&f, r->arena) < 0)
		return 500;
	if (fields_check(&f, r, settings_rules, SE__MAX, v, nums) > 0 || f.failed)
		return f.failed ? 500 : page(app, r, w, &f, 0, 422);
	s.file_max = nums[SE_FILE_MAX] * 1024;
	s.types = v[SE_TYPES];
	s.per_hour = nums[SE_PER_HOUR];
	s.autoreply_text = v[SE_TEXT];
	web_audit_actor(r, &by);
	rc = mail_settings_save(&app->db, r->arena, &by, &s, &why, &field);
	if (field != NULL && strcmp(field, "file_max") == 0)
		field = "file_max_kb";
	return done(app, r, w, &f, rc, why, field, "Mail settings saved.");
}
