/*
 * admin_api_keys.c — the admin pages for the API's keys: the list (who
 * made each, when it was last used, whether it is revoked), making a key
 * (shown once, on a page that is never stored) and revoking one. Making
 * and revoking are audited by api_keys.c. Routes and access (admin only)
 * are in cgi-bin/console.c.
 */
#include "web/fields.h"
#include "console/api.h"
#include "core/arena.h"
#include "domain/api_keys.h"
#include "domain/audit.h"
#include "tmpl/tval.h"

#include <string.h>

#define KEYS_URL "/agent/admin/api-keys"

static const struct field_rule key_rules[] = {
	{ "name", "Name", FIELD_TEXT, 1, 1, API_KEY_NAME_MAX, NULL },
};
enum { K_NAME, K__MAX };
_Static_assert(sizeof(key_rules) / sizeof(key_rules[0]) == K__MAX, "one rule per field");

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
		rc |= tval_set_str(a, row, "revoked_at", rows[i].revoked_at);
		rc |= tval_set_bool(a, row, "revoked", *rows[i].revoked_at != '\0');
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
	struct audit_entry by;
	struct field_form f;
	struct tval *ctx;
	enum cs_result st;
	long long id;
	int rc = 0;

	if (fields_init(&f, r->arena) < 0)
		return 500;
	if (fields_check(&f, r, key_rules, K__MAX, v, NULL) > 0 || f.failed)
		return f.failed ? 500 : list_render(app, r, w, &f, 422);
	web_audit_actor(r, &by);
	st = api_key_create(&app->db, r->arena, &by, v[K_NAME], r->who.id, &key, &id, &why);
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
