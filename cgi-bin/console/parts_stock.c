/*
 * parts_stock.c — stock locations for supervisors and admins:
 * GET /agent/stock lists the warehouses and vans (POST adds one; a van is
 * a technician's stock location); GET /agent/stock/locations/{id} shows
 * a location's stock with each part's min / max / order multiple (keyset
 * pages: ?after=NUMBER), its recent audits with their variance, and forms
 * to set a rule, receive stock, move stock to another location and record
 * a count (an audit). A refused form comes back with its message and what
 * was typed; a shortage is named ("Van 3 has 1 of P-100, 2 needed.").
 */
#include "console/handlers.h"
#include "console/parts_pages.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/parts.h"
#include "tmpl/tval.h"
#include "web/fields.h"
#include "web/result.h"

#include <stdio.h>
#include <string.h>

static struct tval *
options(struct arena *a, const struct db_option *o, size_t n, long long skip)
{
	struct tval *list = tval_list(a);
	size_t i;
	int rc = list == NULL;

	for (i = 0; !rc && i < n; i++) {
		struct tval *m = tval_map(a);

		if (o[i].id == skip)
			continue;
		rc |= m == NULL || tval_set_int(a, m, "id", o[i].id) ||
		    tval_set_str(a, m, "name", o[i].name) || tval_push(a, list, m);
	}
	return rc ? NULL : list;
}

static struct tval *
locations_of(struct arena *a, const struct parts_location *l, size_t n, long long skip)
{
	struct db_option *o = arena_alloc(a, (n + 1) * sizeof(*o));
	size_t i;

	for (i = 0; o != NULL && i < n; i++) {
		o[i].id = l[i].id;
		o[i].name = l[i].name;
	}
	return o != NULL ? options(a, o, n, skip) : NULL;
}

/* The locations and the form to add one (f: a refused one, or NULL). */
static int
stock_page(struct app *app, struct req *r, struct resp *w, struct field_form *f, int status)
{
	struct arena *a = r->arena;
	struct tval *ctx = app_page(app, r, "Stock and vans"), *list = tval_list(a);
	struct parts_location *l;
	struct db_option *techs;
	size_t n, nt, i;
	enum cs_result got;
	int rc = 0;

	if (ctx == NULL || list == NULL)
		return 500;
	if ((got = parts_locations(&app->db, a, &l, &n)) != CS_OK ||
	    (got = parts_technicians(&app->db, a, &techs, &nt)) != CS_OK)
		return web_result_status(got);
	for (i = 0; i < n; i++) {
		struct tval *m = tval_map(a);

		rc |= m == NULL || tval_set_int(a, m, "id", l[i].id) ||
		    tval_set_str(a, m, "name", l[i].name) ||
		    tval_set_bool(a, m, "van", strcmp(l[i].kind, "van") == 0) ||
		    tval_set_str(a, m, "technician", l[i].technician) ||
		    tval_set_str(a, m, "source", l[i].source) || tval_push(a, list, m);
	}
	rc |= tval_set(a, ctx, "locations", list) | tval_set_bool(a, ctx, "empty", n == 0) |
	    tval_set(a, ctx, "technicians", options(a, techs, nt, 0)) |
	    tval_set(a, ctx, "sources", locations_of(a, l, n, 0));
	if (f != NULL)
		rc |= fields_ctx(f, ctx);
	if (rc)
		return 500;
	w->status = status;
	return app_render(app, r, w, "console/parts/stock", ctx);
}

int
console_parts_stock(struct app *app, struct req *r, struct resp *w)
{
	return stock_page(app, r, w, NULL, 200);
}

static const struct field_rule location_rules[] = {
	{ "name", "Name", FIELD_TEXT, 1, 1, 100, NULL },
	{ "technician", "Technician", FIELD_INT, 0, 0, 1LL << 53, NULL },
	{ "source", "Replenished from", FIELD_INT, 0, 0, 1LL << 53, NULL },
};

int
console_parts_stock_add(struct app *app, struct req *r, struct resp *w)
{
	struct field_form f;
	const char *v[3], *why = NULL;
	long long nums[3], id = 0;
	enum cs_result got;

	if (fields_init(&f, r->arena) < 0)
		return 500;
	fields_check(&f, r, location_rules, 3, v, nums);
	if (f.failed)
		return 500;
	if (f.nerrors == 0) {
		got = parts_location_add(&app->db, r->arena, v[0], nums[1], nums[2], &id, &why);
		if (got == CS_REFUSED)
			fields_error(&f, "name", why);
		else if (got != CS_OK)
			return web_result_status(got);
	}
	if (f.nerrors > 0)
		return stock_page(app, r, w, &f, 422);
	web_flash(app, r, w, "%s added.", v[0]);
	resp_redirect(w, arena_printf(r->arena, "/agent/stock/locations/%lld", id));
	return 0;
}

/* A refused form of the location page: which, why, what was typed. */
struct typed {
	const char *form;	/* "rule", "receive", "move", "audit" */
	const char *error;
	struct field_form *f;
};

static struct tval *
levels_of(struct arena *a, const struct parts_level *l, size_t n)
{
	struct tval *list = tval_list(a);
	size_t i;
	int rc = list == NULL;

	for (i = 0; !rc && i < n; i++) {
		struct tval *m = tval_map(a);

		rc |= m == NULL || tval_set_int(a, m, "part_id", l[i].part_id) ||
		    tval_set_str(a, m, "number", l[i].number) || tval_set_str(a, m, "name", l[i].name) ||
		    tval_set_int(a, m, "on_hand", l[i].on_hand) ||
		    tval_set_int(a, m, "reserved", l[i].reserved) || tval_set_int(a, m, "min", l[i].min) ||
		    tval_set_int(a, m, "max", l[i].max) || tval_set_int(a, m, "multiple", l[i].multiple) ||
		    tval_set_bool(a, m, "below_min", l[i].below_min) || tval_push(a, list, m);
	}
	return rc ? NULL : list;
}

static struct tval *
audits_of(struct arena *a, const struct parts_audit_line *l, size_t n)
{
	struct tval *list = tval_list(a);
	size_t i;
	int rc = list == NULL;

	for (i = 0; !rc && i < n; i++) {
		struct tval *m = tval_map(a);

		rc |= m == NULL || tval_set_str(a, m, "at", l[i].at) ||
		    tval_set_str(a, m, "number", l[i].number) || tval_set_str(a, m, "name", l[i].name) ||
		    tval_set_int(a, m, "expected", l[i].expected) ||
		    tval_set_int(a, m, "counted", l[i].counted) ||
		    tval_set_str(a, m, "variance", arena_printf(a, "%+d", l[i].variance)) ||
		    tval_set_bool(a, m, "off", l[i].variance != 0) || tval_push(a, list, m);
	}
	return rc ? NULL : list;
}

static int
location_page(struct app *app, struct req *r, struct resp *w, long long id, int status,
    const struct typed *t)
{
	struct arena *a = r->arena;
	struct tval *ctx = app_page(app, r, "Stock");
	struct parts_location loc, *all;
	struct parts_level *lv;
	struct parts_audit_line *au;
	struct db_option *parts;
	const char *after = req_query(r, "after");
	size_t n, nall, nau, np;
	int more = 0, rc;
	enum cs_result got;

	if (ctx == NULL)
		return 500;
	if (after != NULL && strlen(after) > PARTS_NUMBER_MAX * 4)
		return 404;
	if ((got = parts_location(&app->db, a, id, &loc)) != CS_OK ||
	    (got = parts_levels(&app->db, a, id, after, &lv, &n, &more)) != CS_OK ||
	    (got = parts_locations(&app->db, a, &all, &nall)) != CS_OK ||
	    (got = parts_audit_lines(&app->db, a, id, &au, &nau)) != CS_OK ||
	    (got = parts_choices(&app->db, a, &parts, &np)) != CS_OK)
		return web_result_status(got);
	rc = tval_set_int(a, ctx, "id", id) | tval_set_str(a, ctx, "name", loc.name) |
	    tval_set_str(a, ctx, "after", after != NULL ? after : "") |
	    tval_set_bool(a, ctx, "van", strcmp(loc.kind, "van") == 0) |
	    tval_set_str(a, ctx, "technician", loc.technician) |
	    tval_set_str(a, ctx, "source", loc.source) |
	    tval_set(a, ctx, "levels", levels_of(a, lv, n)) | tval_set_bool(a, ctx, "empty", n == 0) |
	    tval_set(a, ctx, "audits", audits_of(a, au, nau)) |
	    tval_set_bool(a, ctx, "has_audits", nau > 0) |
	    tval_set(a, ctx, "parts", options(a, parts, np, 0)) |
	    tval_set(a, ctx, "others", locations_of(a, all, nall, id));
	if (more && n > 0)
		rc |= tval_set_str(a, ctx, "next", lv[n - 1].number);
	if (t != NULL)
		rc |= tval_set_str(a, ctx, arena_printf(a, "%s_error", t->form), t->error) |
		    fields_ctx(t->f, ctx);
	if (rc)
		return 500;
	w->status = status;
	return app_render(app, r, w, "console/parts/location", ctx);
}

int
console_parts_location(struct app *app, struct req *r, struct resp *w)
{
	long long id = web_path_id(r, "id");

	return id > 0 ? location_page(app, r, w, id, 200, NULL) : 404;
}

static const struct field_rule step_rules[] = {
	{ "part", "Part", FIELD_INT, 1, 1, 1LL << 53, NULL },
	{ "qty", "Quantity", FIELD_INT, 0, 0, PARTS_QTY_MAX, NULL },
	{ "to", "To", FIELD_INT, 0, 0, 1LL << 53, NULL },
	{ "min", "Min", FIELD_INT, 0, 0, 100000, NULL },
	{ "max", "Max", FIELD_INT, 0, 0, 100000, NULL },
	{ "multiple", "Order multiple", FIELD_INT, 0, 0, 10000, NULL },
};

/* One of the location page's forms: rule, receive or move. */
static int
step(struct app *app, struct req *r, struct resp *w, const char *form)
{
	struct field_actor by = { .staff_id = r->who.id };
	struct field_form f;
	struct typed t = { form, NULL, &f };
	const char *v[6], *why = NULL;
	long long nums[6], id = web_path_id(r, "id");
	enum cs_result got = CS_OK;

	if (id <= 0)
		return 404;
	if (fields_init(&f, r->arena) < 0)
		return 500;
	fields_check(&f, r, step_rules, 6, v, nums);
	if (f.failed)
		return 500;
	if (f.nerrors > 0) {
		t.error = fields_first_error(&f);
		return location_page(app, r, w, id, 422, &t);
	}
	if (strcmp(form, "rule") == 0)
		got = parts_level_set(&app->db, r->arena, id, nums[0], (int)nums[3], (int)nums[4],
		    (int)nums[5], &why);
	else if (strcmp(form, "receive") == 0)
		got = parts_receive(&app->db, r->arena, &by, id, nums[0], (int)nums[1], &why);
	else if (nums[2] <= 0) {
		why = "Choose where the stock goes.";
		got = CS_REFUSED;
	} else
		got = parts_move(&app->db, r->arena, &by, id, nums[2], nums[0], (int)nums[1], &why);
	if (got == CS_REFUSED) {
		t.error = why;
		return location_page(app, r, w, id, 422, &t);
	}
	if (got != CS_OK)
		return web_result_status(got);
	web_flash(app, r, w, "%s", strcmp(form, "rule") == 0 ? "Rule saved." :
	    strcmp(form, "receive") == 0 ? "Stock received." : "Stock moved.");
	resp_redirect(w, arena_printf(r->arena, "/agent/stock/locations/%lld", id));
	return 0;
}

int
console_parts_location_rule(struct app *app, struct req *r, struct resp *w)
{
	return step(app, r, w, "rule");
}

int
console_parts_location_receive(struct app *app, struct req *r, struct resp *w)
{
	return step(app, r, w, "receive");
}

int
console_parts_location_move(struct app *app, struct req *r, struct resp *w)
{
	return step(app, r, w, "move");
}

/*
 * The counts a stock form sent for the page of levels it showed (after:
 * the page's key): count_<part id> = the number counted, blank = not
 * counted. 0 with *k lines in c, or the refusal in *why (-1), or 500.
 */
int
console_parts_counts(struct app *app, struct req *r, long long location, struct parts_count *c,
    size_t *k, const char **why)
{
	const char *after = req_field(r, "after");
	struct parts_level *lv;
	size_t n, i;
	int more;

	*k = 0;
	if (parts_levels(&app->db, r->arena, location, after != NULL ? after : "", &lv, &n,
	    &more) != CS_OK)
		return 500;
	for (i = 0; i < n && i < PARTS_PAGE; i++) {
		const char *s = req_field(r, arena_printf(r->arena, "count_%lld", lv[i].part_id));
		long long v;

		if (s == NULL || *s == '\0')
			continue;
		if (((v = web_id(s)) == 0 && strcmp(s, "0") != 0) || v > 100000) {
			*why = "A count is a whole number from 0.";
			return -1;
		}
		c[*k].part_id = lv[i].part_id;
		c[(*k)++].counted = (int)v;
	}
	return 0;
}

/* POST …/audit: the counts of the page's parts; the variance recorded. */
int
console_parts_location_audit(struct app *app, struct req *r, struct resp *w)
{
	struct field_actor by = { .staff_id = r->who.id };
	struct parts_count c[PARTS_PAGE];
	struct field_form f;
	struct typed t = { "audit", NULL, &f };
	const char *why = NULL;
	long long id = web_path_id(r, "id"), audit = 0;
	size_t k = 0;
	int st;
	enum cs_result got;

	if (id <= 0)
		return 404;
	if (fields_init(&f, r->arena) < 0)
		return 500;
	if ((st = console_parts_counts(app, r, id, c, &k, &why)) > 0)
		return st;
	got = st < 0 ? CS_REFUSED : parts_audit(&app->db, r->arena, &by, id, c, k, &audit, &why);
	if (got == CS_REFUSED) {
		t.error = why;
		return location_page(app, r, w, id, 422, &t);
	}
	if (got != CS_OK)
		return web_result_status(got);
	web_flash(app, r, w, "Count recorded.");
	resp_redirect(w, arena_printf(r->arena, "/agent/stock/locations/%lld", id));
	return 0;
}
