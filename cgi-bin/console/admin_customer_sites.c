/*
 * admin_customer_sites.c — a customer account's sites (customer_sites.h):
 * GET /agent/admin/customers/{id}/sites lists them, each in a form of its
 * own; POST …/sites adds one, POST …/sites/{site} changes or deactivates
 * one. A refused form comes back with the message at its field and what
 * was typed. Routes and access (admin only) are in cgi-bin/console.c.
 */
#include "web/fields.h"
#include "console/handlers.h"
#include "core/arena.h"
#include "domain/assign_customer.h"
#include "domain/audit.h"
#include "domain/customer_sites.h"
#include "tmpl/tval.h"
#include "web/result.h"

#include <string.h>

static const struct field_rule site_rules[] = {
	{ "name", "Name", FIELD_TEXT, 1, 1, CUSTOMER_SITE_NAME_MAX, NULL },
	{ "address", "Address", FIELD_LINES, 1, 1, CUSTOMER_SITE_ADDRESS_MAX, NULL },
	{ "active", "Active", FIELD_TEXT, 0, 0, 1, NULL },
};
enum { CS_NAME, CS_ADDRESS, CS_ACTIVE, CS__MAX };
_Static_assert(sizeof(site_rules) / sizeof(site_rules[0]) == CS__MAX, "one per field");

/* The form that was sent and refused: which one (0: the add form) and its messages. */
struct sent {
	long long site_id;
	struct field_form *f;
	const struct customer_site *typed;
};

/* {id, name, address, active, e} of one site's form. */
static struct tval *
site_ctx(struct arena *a, const struct customer_site *s, const struct sent *sent)
{
	struct tval *m = tval_map(a);
	int mine = sent != NULL && sent->site_id == s->id;
	const struct customer_site *v = mine ? sent->typed : s;

	if (m == NULL || tval_set_int(a, m, "id", s->id) || tval_set_str(a, m, "name", v->name) ||
	    tval_set_str(a, m, "address", v->address) ||
	    tval_set_bool(a, m, "active", v->active) ||
	    (mine && tval_set(a, m, "e", sent->f->errors)))
		return NULL;
	return m;
}

static int
sites_render(struct app *app, struct req *r, struct resp *w, const struct assign_customer *c,
    const struct sent *sent, int status)
{
	struct tval *ctx = app_page(app, r, "Sites"), *list = tval_list(r->arena);
	struct customer_site *rows, blank = { 0, "", "", 1 };
	struct arena *a = r->arena;
	enum cs_result res;
	size_t n, i;
	int rc = ctx == NULL || list == NULL;

	if (rc)
		return 500;
	if ((res = customer_sites_list(&app->db, a, c->customer_id, &rows, &n)) != CS_OK)
		return web_result_status(res);
	for (i = 0; i < n; i++)
		rc |= tval_push(a, list, site_ctx(a, &rows[i], sent));
	rc |= tval_set(a, ctx, "sites", list);
	rc |= tval_set(a, ctx, "add", site_ctx(a, &blank, sent));
	rc |= tval_set_int(a, ctx, "account_id", c->customer_id);
	rc |= tval_set_str(a, ctx, "account_name", c->name);
	rc |= tval_set_bool(a, ctx, "has_errors", sent != NULL);
	if (rc)
		return 500;
	w->status = status;
	return app_render(app, r, w, "console/admin/customer_sites", ctx);
}

int
console_admin_customer_sites(struct app *app, struct req *r, struct resp *w)
{
	long long id = web_path_id(r, "id");
	struct assign_customer c;
	enum cs_result res;

	if (id == 0)
		return 404;
	if ((res = assign_customer_get(&app->db, r->arena, id, &c)) != CS_OK)
		return web_result_status(res);
	return sites_render(app, r, w, &c, NULL, 200);
}

/* POST: add (no {site} in the path) or change a site. */
int
console_admin_customer_sites_post(struct app *app, struct req *r, struct resp *w)
{
	long long id = web_path_id(r, "id"), site_id = 0, added;
	const char *v[CS__MAX], *field = NULL, *why = NULL;
	struct customer_site s = { 0 };
	struct assign_customer c;
	struct audit_entry by;
	struct field_form f;
	struct sent sent;
	enum cs_result res;

	if (id == 0)
		return 404;
	if (req_param(r, "site") != NULL && (site_id = web_path_id(r, "site")) == 0)
		return 404;
	if ((res = assign_customer_get(&app->db, r->arena, id, &c)) != CS_OK)
		return web_result_status(res);
	if (fields_init(&f, r->arena) < 0)
		return 500;
	fields_check(&f, r, site_rules, CS__MAX, v, NULL);
	if (f.failed)
		return 500;
	s.id = site_id;
	s.name = v[CS_NAME];
	s.address = v[CS_ADDRESS];
	s.active = site_id == 0 || strcmp(v[CS_ACTIVE], "1") == 0;
	sent.site_id = site_id;
	sent.f = &f;
	sent.typed = &s;
	if (f.nerrors > 0)
		return sites_render(app, r, w, &c, &sent, 422);
	web_audit_actor(r, &by);
	res = site_id == 0 ? customer_sites_add(&app->db, &by, id, &s, &added, &field, &why) :
	    customer_sites_update(&app->db, &by, id, &s, &field, &why);
	if (res == CS_REFUSED) {
		fields_error(&f, field, why);
		return sites_render(app, r, w, &c, &sent, 422);
	}
	if (res != CS_OK)
		return web_result_status(res);
	web_flash(app, r, w, site_id == 0 ? "Site “%s” added." : "Site “%s” saved.",
	    utf8_short(r->arena, s.name, FLASH_NAME));
	resp_redirect(w, arena_printf(r->arena, "/agent/admin/customers/%lld/sites", id));
	return 0;
}
