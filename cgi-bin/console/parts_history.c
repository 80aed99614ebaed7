/*
 * parts_history.c — GET /agent/stock/parts/{id}/movements: every receipt,
 * transfer, use, return and count adjustment of one part, newest first,
 * 50 a page (?before=<the last movement's id> for older ones), with where
 * it went from and to, the ticket it was used on and who moved it.
 * Supervisors and admins, as the stock pages.
 */
#include "console/handlers.h"
#include "core/arena.h"
#include "domain/parts_history.h"
#include "tmpl/tval.h"
#include "web/fields.h"
#include "web/result.h"

static struct tval *
moves_of(struct arena *a, const struct parts_movement *m, size_t n)
{
	struct tval *list = tval_list(a);
	size_t i;
	int rc = list == NULL;

	for (i = 0; !rc && i < n; i++) {
		struct tval *x = tval_map(a);

		rc |= x == NULL || tval_set_str(a, x, "at", m[i].at) ||
		    tval_set_str(a, x, "kind", m[i].kind) || tval_set_int(a, x, "qty", m[i].qty) ||
		    tval_set_str(a, x, "from", m[i].from) || tval_set_str(a, x, "to", m[i].to) ||
		    tval_set_str(a, x, "ticket", m[i].ticket) ||
		    (m[i].transfer_id > 0 && tval_set_int(a, x, "transfer", m[i].transfer_id)) ||
		    tval_set_str(a, x, "by", m[i].by) || tval_push(a, list, x);
	}
	return rc ? NULL : list;
}

int
console_parts_movements(struct app *app, struct req *r, struct resp *w)
{
	struct arena *a = r->arena;
	struct tval *ctx = app_page(app, r, "Part movements");
	struct parts_movement *m;
	struct parts_history_part part;
	long long id = web_path_id(r, "id"), before = 0;
	size_t n;
	int more, rc;
	enum cs_result got;

	if (ctx == NULL)
		return 500;
	if (id <= 0 || web_query_key(r, "before", &before) < 0)
		return 404;
	if ((got = parts_movements(&app->db, a, id, before, &part, &m, &n, &more)) != CS_OK)
		return web_result_status(got);
	rc = tval_set_int(a, ctx, "id", id) | tval_set_str(a, ctx, "number", part.number) |
	    tval_set_str(a, ctx, "name", part.name) | tval_set(a, ctx, "moves", moves_of(a, m, n)) |
	    tval_set_bool(a, ctx, "older", before > 0);
	if (more && n > 0)
		rc |= tval_set_int(a, ctx, "next", m[n - 1].id);
	if (rc)
		return 500;
	return app_render(app, r, w, "console/parts/movements", ctx);
}
