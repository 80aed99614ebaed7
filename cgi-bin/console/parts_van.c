/*
 * parts_van.c — the technician's van, on a phone: GET /agent/field/van
 * lists what the van holds (keyset pages: ?after=NUMBER) with a box to
 * count each part, and its recent counts with their variance; POST
 * /agent/field/van/audit records a count (an audit): expected and counted
 * per part, the variance kept and the stock set to what was counted.
 * Technicians only, and only their own van (they have one or are told).
 */
#include "console/handlers.h"
#include "console/parts_pages.h"
#include "core/arena.h"
#include "domain/parts.h"
#include "tmpl/tval.h"
#include "web/fields.h"
#include "web/result.h"

#include <string.h>

static int
van_page(struct app *app, struct req *r, struct resp *w, int status, const char *error)
{
	struct arena *a = r->arena;
	struct tval *ctx = app_page(app, r, "My van"), *levels = tval_list(a),
	    *audits = tval_list(a);
	const char *after = req_query(r, "after");
	struct parts_level *lv;
	struct parts_audit_line *au;
	struct parts_location loc;
	long long van = 0;
	size_t n = 0, nau = 0, i;
	int more = 0, rc = 0;
	enum cs_result got;

	if (ctx == NULL || levels == NULL || audits == NULL)
		return 500;
	if (after != NULL && strlen(after) > PARTS_NUMBER_MAX * 4)
		return 404;
	got = parts_van_of(&app->db, a, r->who.id, &van);
	if (got == CS_OK && ((got = parts_location(&app->db, a, van, &loc)) != CS_OK ||
	    (got = parts_levels(&app->db, a, van, after, &lv, &n, &more)) != CS_OK ||
	    (got = parts_audit_lines(&app->db, a, van, &au, &nau)) != CS_OK))
		return web_result_status(got);
	if (got != CS_OK && got != CS_NOT_FOUND)
		return web_result_status(got);
	for (i = 0; i < n; i++) {
		struct tval *m = tval_map(a);

		rc |= m == NULL || tval_set_int(a, m, "part_id", lv[i].part_id) ||
		    tval_set_str(a, m, "number", lv[i].number) ||
		    tval_set_str(a, m, "name", lv[i].name) ||
		    tval_set_int(a, m, "on_hand", lv[i].on_hand) ||
		    tval_set_bool(a, m, "below_min", lv[i].below_min) || tval_push(a, levels, m);
	}
	for (i = 0; i < nau; i++) {
		struct tval *m = tval_map(a);

		rc |= m == NULL || tval_set_str(a, m, "at", au[i].at) ||
		    tval_set_str(a, m, "number", au[i].number) ||
		    tval_set_int(a, m, "expected", au[i].expected) ||
		    tval_set_int(a, m, "counted", au[i].counted) ||
		    tval_set_str(a, m, "variance", arena_printf(a, "%+d", au[i].variance)) ||
		    tval_push(a, audits, m);
	}
	rc |= tval_set_bool(a, ctx, "has_van", van > 0) | tval_set(a, ctx, "levels", levels) |
	    tval_set_bool(a, ctx, "empty", n == 0) | tval_set(a, ctx, "audits", audits) |
	    tval_set_bool(a, ctx, "has_audits", nau > 0) |
	    tval_set_str(a, ctx, "after", after != NULL ? after : "") |
	    tval_set(a, ctx, "error", tval_str(a, error));
	if (van > 0)
		rc |= tval_set_str(a, ctx, "name", loc.name);
	if (more && n > 0)
		rc |= tval_set_str(a, ctx, "next", lv[n - 1].number);
	if (rc)
		return 500;
	w->status = status;
	return app_render(app, r, w, "console/parts/van", ctx);
}

int
console_parts_van(struct app *app, struct req *r, struct resp *w)
{
	return van_page(app, r, w, 200, NULL);
}

int
console_parts_van_audit(struct app *app, struct req *r, struct resp *w)
{
	struct field_actor by = { .staff_id = r->who.id };
	struct parts_count c[PARTS_PAGE];
	const char *why = NULL;
	long long van = 0, audit = 0;
	size_t k = 0;
	int st;
	enum cs_result got = parts_van_of(&app->db, r->arena, r->who.id, &van);

	if (got != CS_OK)
		return got == CS_NOT_FOUND ? 404 : web_result_status(got);
	if ((st = console_parts_counts(app, r, van, c, &k, &why)) > 0)
		return st;
	got = st < 0 ? CS_REFUSED : parts_audit(&app->db, r->arena, &by, van, c, k, &audit, &why);
	if (got == CS_REFUSED)
		return van_page(app, r, w, 422, why);
	if (got != CS_OK)
		return web_result_status(got);
	web_flash(app, r, w, "Count recorded.");
	resp_redirect(w, "/agent/field/van");
	return 0;
}
