/*
 * admin_webhooks.c — webhooks (webhooks.h): GET /agent/admin/webhooks
 * lists them with an add form; POST …/webhooks registers one; POST
 * …/webhooks/{id}/active switches one on or off and …/{id}/delete removes
 * it; GET …/webhooks/{id} shows its signing secret and its delivery log,
 * newest first (?before= for older pages). A refused form comes back with
 * the message at its field and what was typed. Routes and access (admin
 * only) are in cgi-bin/console.c.
 */
#include "web/fields.h"
#include "console/handlers.h"
#include "core/arena.h"
#include "domain/audit.h"
#include "domain/webhook_send.h"
#include "domain/webhooks.h"
#include "tmpl/tval.h"
#include "web/result.h"

#include <string.h>

#define HOOKS_URL "/agent/admin/webhooks"

static const struct field_rule hook_rules[] = {
	{ "name", "Name", FIELD_TEXT, 1, 1, WEBHOOK_NAME_MAX, NULL },
	{ "url", "Address", FIELD_TEXT, 1, 1, WEBHOOK_URL_MAX, NULL },
};
enum { WH_NAME, WH_URL, WH__MAX };
_Static_assert(sizeof(hook_rules) / sizeof(hook_rules[0]) == WH__MAX, "one per field");

static const struct field_rule active_rules[] = {
	{ "active", "Active", FIELD_TEXT, 0, 0, 1, NULL },
};

/* The event checkboxes, the chosen ones ticked. */
static struct tval *
event_options(struct arena *a, const char *const *chosen, size_t n)
{
	struct tval *list = tval_list(a);
	size_t i, k;
	int rc = list == NULL;

	for (i = 0; !rc && webhook_events[i] != NULL; i++) {
		struct tval *m = tval_map(a);
		int on = 0;

		for (k = 0; k < n; k++)
			on |= strcmp(chosen[k], webhook_events[i]) == 0;
		rc |= tval_set_str(a, m, "value", webhook_events[i]) |
		    tval_set_bool(a, m, "checked", on) | tval_push(a, list, m);
	}
	return rc ? NULL : list;
}

static int
hooks_render(struct app *app, struct req *r, struct resp *w, struct field_form *f,
    const char *const *chosen, size_t nchosen, int status)
{
	struct tval *ctx = app_page(app, r, "Webhooks"), *list = tval_list(r->arena);
	struct arena *a = r->arena;
	struct webhook *rows;
	enum cs_result res;
	size_t n, i;
	int rc = ctx == NULL || list == NULL;

	if (rc)
		return 500;
	if ((res = webhook_list(&app->db, a, &rows, &n)) != CS_OK)
		return web_result_status(res);
	for (i = 0; i < n; i++) {
		struct tval *m = tval_map(a);

		rc |= tval_set_int(a, m, "id", rows[i].id) | tval_set_str(a, m, "name", rows[i].name) |
		    tval_set_str(a, m, "url", rows[i].url) |
		    tval_set_str(a, m, "events", rows[i].events) |
		    tval_set_bool(a, m, "active", rows[i].active) |
		    tval_set_int(a, m, "pending", rows[i].pending) |
		    tval_set_int(a, m, "failed", rows[i].failed) | tval_push(a, list, m);
	}
	rc |= tval_set(a, ctx, "hooks", list);
	rc |= tval_set(a, ctx, "event_options", event_options(a, chosen, nchosen));
	rc |= tval_set_bool(a, ctx, "has_errors", f->nerrors > 0);
	if (rc || fields_ctx(f, ctx) < 0)
		return 500;
	w->status = status;
	return app_render(app, r, w, "console/admin/webhooks", ctx);
}

int
console_admin_webhooks(struct app *app, struct req *r, struct resp *w)
{
	struct field_form f;

	if (fields_init(&f, r->arena) < 0)
		return 500;
	return hooks_render(app, r, w, &f, NULL, 0, 200);
}

int
console_admin_webhook_create(struct app *app, struct req *r, struct resp *w)
{
	const char *v[WH__MAX], *chosen[16], *field = NULL, *why = NULL;
	struct audit_entry by;
	struct field_form f;
	enum cs_result res;
	long long id;
	size_t n;

	if (fields_init(&f, r->arena) < 0)
		return 500;
	fields_check(&f, r, hook_rules, WH__MAX, v, NULL);
	if (f.failed)
		return 500;
	n = fields_all(r, "events", chosen, 16);
	if (f.nerrors > 0)
		return hooks_render(app, r, w, &f, chosen, n, 422);
	web_audit_actor(r, &by);
	res = webhook_create(&app->db, r->arena, &by, v[WH_NAME], v[WH_URL], chosen, n, &id,
	    &field, &why);
	if (res == CS_REFUSED) {
		fields_error(&f, field, why);
		return hooks_render(app, r, w, &f, chosen, n, 422);
	}
	if (res != CS_OK)
		return web_result_status(res);
	web_flash(app, r, w, "Webhook “%s” added: its deliveries are signed with the secret on "
	    "its page.", utf8_short(r->arena, v[WH_NAME], FLASH_NAME));
	resp_redirect(w, arena_printf(r->arena, HOOKS_URL "/%lld", id));
	return 0;
}

int
console_admin_webhook_active(struct app *app, struct req *r, struct resp *w)
{
	long long id = web_path_id(r, "id");
	const char *v[1];
	struct audit_entry by;
	struct field_form f;
	enum cs_result res;

	if (id == 0)
		return 404;
	if (fields_init(&f, r->arena) < 0)
		return 500;
	fields_check(&f, r, active_rules, 1, v, NULL);
	if (f.failed)
		return 500;
	web_audit_actor(r, &by);
	res = webhook_set_active(&app->db, &by, id, strcmp(v[0], "1") == 0);
	if (res != CS_OK)
		return web_result_status(res);
	web_flash(app, r, w, strcmp(v[0], "1") == 0 ? "The webhook is on." :
	    "The webhook is off: nothing more is queued for it.");
	resp_redirect(w, HOOKS_URL);
	return 0;
}

int
console_admin_webhook_delete(struct app *app, struct req *r, struct resp *w)
{
	long long id = web_path_id(r, "id");
	struct audit_entry by;
	enum cs_result res;

	if (id == 0)
		return 404;
	web_audit_actor(r, &by);
	if ((res = webhook_delete(&app->db, &by, id)) != CS_OK)
		return web_result_status(res);
	web_flash(app, r, w, "The webhook and its log were deleted.");
	resp_redirect(w, HOOKS_URL);
	return 0;
}

int
console_admin_webhook_log(struct app *app, struct req *r, struct resp *w)
{
	long long id = web_path_id(r, "id"), before = 0, next = 0;
	const char *b = req_query(r, "before");
	struct webhook_delivery *d;
	struct tval *ctx, *list, *pager;
	struct arena *a = r->arena;
	struct webhook h;
	enum cs_result res;
	size_t n, i;
	int rc;

	if (id == 0)
		return 404;
	if (b != NULL && (before = web_id(b)) <= 0)
		return 400;
	if ((res = webhook_get(&app->db, a, id, &h)) != CS_OK)
		return web_result_status(res);
	if ((res = webhook_deliveries(&app->db, a, id, before, &d, &n, &next)) != CS_OK)
		return web_result_status(res);
	ctx = app_page(app, r, h.name);
	list = tval_list(a);
	pager = tval_map(a);
	rc = ctx == NULL || list == NULL || pager == NULL;
	for (i = 0; !rc && i < n; i++) {
		struct tval *m = tval_map(a);

		rc |= tval_set_int(a, m, "id", d[i].id) | tval_set_str(a, m, "event", d[i].event) |
		    tval_set_str(a, m, "state", d[i].state) |
		    tval_set_int(a, m, "attempts", d[i].attempts) |
		    tval_set_str(a, m, "status", d[i].last_status > 0 ?
		    arena_printf(a, "%d", d[i].last_status) : "") |
		    tval_set_str(a, m, "error", d[i].last_error) |
		    tval_set_str(a, m, "created_at", d[i].created_at) |
		    tval_set_str(a, m, "delivered_at", d[i].delivered_at) |
		    tval_set_str(a, m, "next_at", d[i].next_attempt_at) | tval_push(a, list, m);
	}
	if (rc)
		return 500;
	rc |= tval_set_int(a, ctx, "hook_id", h.id) | tval_set_str(a, ctx, "hook_name", h.name) |
	    tval_set_str(a, ctx, "url", h.url) | tval_set_str(a, ctx, "events", h.events) |
	    tval_set_str(a, ctx, "secret", h.secret) | tval_set_bool(a, ctx, "active", h.active) |
	    tval_set(a, ctx, "deliveries", list) |
	    tval_set_int(a, ctx, "attempts_max", WEBHOOK_ATTEMPTS_MAX);
	if (next > 0)
		rc |= tval_set_str(a, pager, "next_url", arena_printf(a, HOOKS_URL "/%lld?before=%lld",
		    id, next)) | tval_set(a, ctx, "pager", pager);
	if (before > 0)
		rc |= tval_set_str(a, pager, "first_url", arena_printf(a, HOOKS_URL "/%lld", id)) |
		    tval_set(a, ctx, "pager", pager);
	if (rc)
		return 500;
	return app_render(app, r, w, "console/admin/webhook_log", ctx);
}
