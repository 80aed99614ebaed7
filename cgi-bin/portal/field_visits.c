/*
 * field_visits.c — GET /visits: the customer's technician visits, with the
 * window in their time zone and where each stands. The query names the
 * customer and row-level security keeps the session to its own rows.
 */
#include "portal/handlers.h"
#include "core/arena.h"
#include "domain/field.h"
#include "tmpl/tval.h"
#include "web/result.h"

#include <string.h>

int
portal_visits(struct app *app, struct req *r, struct resp *w)
{
	struct tval *ctx = app_page(app, r, "My visits"), *list = tval_list(r->arena);
	struct field_visit *v;
	size_t n, i;
	enum cs_result rc;

	if (ctx == NULL || list == NULL)
		return 500;
	if ((rc = field_visits_of(&app->db, r->arena, r->who.customer_id, &v, &n)) != CS_OK)
		return web_result_status(rc);
	for (i = 0; i < n; i++) {
		struct tval *m = tval_map(r->arena);

		if (m == NULL || tval_set_int(r->arena, m, "id", v[i].id) < 0 ||
		    tval_set_str(r->arena, m, "number", v[i].ticket_number) < 0 ||
		    tval_set_str(r->arena, m, "summary", v[i].summary) < 0 ||
		    tval_set_str(r->arena, m, "address", v[i].address) < 0 ||
		    tval_set_str(r->arena, m, "window", v[i].window) < 0 ||
		    tval_set_str(r->arena, m, "status", v[i].status) < 0 ||
		    tval_set_bool(r->arena, m, "cancelled", strcmp(v[i].status, "cancelled") == 0) < 0 ||
		    tval_set_bool(r->arena, m, "assigned", v[i].assigned) < 0 ||
		    tval_set_int(r->arena, m, "id", v[i].id) < 0 ||
		    tval_set_bool(r->arena, m, "completed", strcmp(v[i].status, "completed") == 0) < 0 ||
		    tval_push(r->arena, list, m) < 0)
			return 500;
	}
	if (tval_set(r->arena, ctx, "visits", list) < 0)
		return 500;
	return app_render(app, r, w, "portal/visits", ctx);
}
