/*
 * admin_api_keys.c — the admin pages for the API's keys: the list (who
 * made each, what it may do, until when, when and from where it was last
 * used, whether it still works), making a key (shown once, on a page that
 * is never stored) and revoking one. Making and revoking are audited by
 * api_keys.c. Routes and access (admin only) are in cgi-bin/console.c.
 */
#include "web/fields.h"
#include "console/api.h"
#include "core/arena.h"
#include "domain/api_keys.h"
#include "domain/audit.h"
#include "tmpl/tval.h"

#include <string.h>

#define KEYS_URL "/agent/admin/api-keys"

/*
 * The scopes offered, as presets: read-write (the default, as keys were
 * before scopes), read-only, and tickets or comments only.
 */
static const char *const scope_names[] = { "read-write", "read-only", "tickets", "comments",
    NULL };
static const char *const scope_labels[] = {
	"Read and write: read tickets, create and change them, add comments",
	"Read only: list and read tickets and their comments",
	"Tickets: read, create and change tickets (no comments)",
	"Comments: read tickets and add comments",
};
static const unsigned scope_bits[] = {
	API_SCOPE_ALL,
	API_SCOPE_TICKETS_READ,
	API_SCOPE_TICKETS_READ | API_SCOPE_TICKETS_WRITE,
	API_SCOPE_TICKETS_READ | API_SCOPE_COMMENTS_WRITE,
};
#define NSCOPES (sizeof(scope_bits) / sizeof(scope_bits[0]))
_Static_assert(sizeof(scope_names) / sizeof(scope_names[0]) == NSCOPES + 1, "one name per scope");
_Static_assert(sizeof(scope_labels) / sizeof(scope_labels[0]) == NSCOPES, "one label per scope");

static const struct field_rule key_rules[] = {
	{ "name", "Name", FIELD_TEXT, 1, 1, API_KEY_NAME_MAX, NULL },
	{ "scope", "What it may do", FIELD_CHOICE, 0, 0, 0, scope_names },
	{ "days", "Days it works", FIELD_INT, 0, 1, API_KEY_DAYS_MAX, NULL },
};
enum { K_NAME, K_SCOPE, K_DAYS, K__MAX };
_Static_assert(sizeof(key_rules) / sizeof(key_rules[0]) == K__MAX, "one rule per field");

/* What a key may do, in words for the list. */
static const char *
scope_text(unsigned scopes)
{
	size_t i;

	for (i = 0; i < NSCOPES; i++)
		if (scope_bits[i] == scopes)
			return scope_labels[i];
	return "Read tickets only, with some writes";
}

/* The list page, with the form f (its values and messages) under it. */
static int
list_render(struct app *app, struct req *r, struct resp *w, struct field_form *f, int status)
{
	struct tval *ctx = app_page(app, r, "API keys"), *list;
	struct arena *a = r->arena;
	struct api_key_row *rows;
	size_t n, i;
	int rc = 0;

	if (ctx == NULL || (list = tval_list(a)) == NULL)
		return 500;
	rc |= tval_set(a, ctx, "scopes", fields_select(a, scope_names, scope_labels, NSCOPES,
	    req_field(r, "scope") ? req_field(r, "scope") : scope_names[0]));
	rc |= tval_set_int(a, ctx, "days_default", API_KEY_DAYS_DEFAULT);
	rc |= tval_set_int(a, ctx, "days_max", API_KEY_DAYS_MAX);
	if (api_key_list(&app->db, a, &rows, &n) != CS_OK)
		return web_db_error(app);
	for (i = 0; i < n; i++) {
		struct tval *row = tval_map(a);

		rc |= tval_set_int(a, row, "id", rows[i].id);
		rc |= tval_set_str(a, row, "name", rows[i].name);
		rc |= tval_set_str(a, row, "prefix", rows[i].prefix);
		rc |= tval_set_str(a, row, "created_by", rows[i].created_by);
		rc |= tval_set_str(a, row, "created_at", rows[i].created_at);
		rc |= tval_set_str(a, row, "last_used_at", rows[i].last_used_at);
		rc |= tval_set_str(a, row, "last_used_ip", rows[i].last_used_ip);
		rc |= tval_set_str(a, row, "revoked_at", rows[i].revoked_at);
		rc |= tval_set_bool(a, row, "revoked", *rows[i].revoked_at != '\0');
		rc |= tval_set_str(a, row, "expires_at", rows[i].expires_at);
		rc |= tval_set_bool(a, row, "expired", rows[i].expired);
		rc |= tval_set_bool(a, row, "owner_gone", !rows[i].owner_ok);
		rc |= tval_set_str(a, row, "scope", scope_text(rows[i].scopes));
		rc |= tval_push(a, list, row);
	}
	rc |= tval_set(a, ctx, "keys", list);
	rc |= fields_ctx(f, ctx);
	if (rc)
		return 500;
	w->status = status;
	return app_render(app, r, w, "console/admin/api_keys", ctx);
}

int
console_admin_api_keys(struct app *app, struct req *r, struct resp *w)
{
	struct field_form f;

	if (fields_init(&f, r->arena) < 0)
		return 500;
	return list_render(app, r, w, &f, 200);
}

int
console_admin_api_key_create(struct app *app, struct req *r, struct resp *w)
{
	const char *v[K__MAX], *key, *why;
	struct api_key_new in = { NULL, API_SCOPE_ALL, API_KEY_DAYS_DEFAULT };
	long long nums[K__MAX];
	struct audit_entry by;
	struct field_form f;
	struct tval *ctx;
	enum cs_result st;
	long long id;
	size_t i;
	int rc = 0;

	if (fields_init(&f, r->arena) < 0)
		return 500;
	if (fields_check(&f, r, key_rules, K__MAX, v, nums) > 0 || f.failed)
		return f.failed ? 500 : list_render(app, r, w, &f, 422);
	in.name = v[K_NAME];
	/* Not given: read and write for API_KEY_DAYS_DEFAULT days. */
	for (i = 0; i < NSCOPES; i++)
		if (strcmp(v[K_SCOPE], scope_names[i]) == 0)
			in.scopes = scope_bits[i];
	if (nums[K_DAYS] > 0)
		in.days = (int)nums[K_DAYS];
	web_audit_actor(r, &by);
	st = api_key_create(&app->db, r->arena, &by, &in, r->who.id, &key, &id, &why);
	if (st == CS_REFUSED) {
		fields_error(&f, "name", why);
		return list_render(app, r, w, &f, 422);
	}
	if (st != CS_OK)
		return web_db_error(app);
	/* The only time the key is shown: no cache may keep this page. */
	resp_header(w, "Cache-Control", "no-store");
	ctx = app_page(app, r, "API key created");
	if (ctx == NULL)
		return 500;
	rc |= tval_set_str(r->arena, ctx, "name", v[K_NAME]);
	rc |= tval_set_str(r->arena, ctx, "key", key);
	rc |= tval_set_str(r->arena, ctx, "scope", scope_text(in.scopes));
	rc |= tval_set_int(r->arena, ctx, "days", in.days);
	if (rc)
		return 500;
	return app_render(app, r, w, "console/admin/api_key_created", ctx);
}

int
console_admin_api_key_revoke(struct app *app, struct req *r, struct resp *w)
{
	long long id = web_path_id(r, "id");
	struct audit_entry by;
	const char *name;
	enum cs_result rc;

	if (id <= 0)
		return 404;
	web_audit_actor(r, &by);
	rc = api_key_revoke(&app->db, r->arena, &by, id, &name);
	if (rc != CS_OK)
		return rc == CS_NOT_FOUND ? 404 : web_db_error(app);
	web_flash(app, r, w, "The key %s was revoked.", utf8_short(r->arena, name, FLASH_NAME));
	resp_redirect(w, KEYS_URL);
	return 0;
}
