/* home.c — GET /agent/: the console dashboard. */
#include "console/handlers.h"
#include "console/saved_views.h"
#include "core/arena.h"
#include "domain/system.h"
#include "domain/ticket_counts.h"
#include "domain/ticket_rules.h"
#include "tmpl/tval.h"
#include "web/result.h"

static int
add_row(struct arena *a, struct tval *list, const char *label, const char *value)
{
	struct tval *row = tval_map(a);

	if (row == NULL)
		return -1;
	return tval_set_str(a, row, "label", label) | tval_set_str(a, row, "value", value) |
	    tval_push(a, list, row);
}

/*
 * Ticket counts per queue and per status, each a link to its list view.
 * 0, or the status to answer.
 */
static int
add_counts(struct app *app, struct req *r, struct tval *ctx)
{
	struct arena *a = r->arena;
	struct ticket_counts c;
	struct tval *queues = tval_list(a), *statuses = tval_list(a);
	enum cs_result res = ticket_counts_read(&app->db, a, r->who.id, &c);
	size_t i;
	int rc = queues == NULL || statuses == NULL;

	if (res != CS_OK)
		return web_result_status(res);
	for (i = 0; i < c.nqueues; i++) {
		struct tval *row = tval_map(a);

		rc |= tval_set_str(a, row, "name", c.queues[i].queue_id > 0 ? c.queues[i].name :
		    "No queue");
		rc |= tval_set_int(a, row, "open", c.queues[i].open);
		rc |= tval_set_int(a, row, "total", c.queues[i].total);
		if (c.queues[i].queue_id > 0)
			rc |= tval_set_str(a, row, "url", arena_printf(a,
			    "/agent/tickets?queue=%lld&status=open", c.queues[i].queue_id));
		rc |= tval_push(a, queues, row);
	}
	for (i = 0; i < c.nstatuses; i++) {
		struct tval *row = tval_map(a);

		rc |= tval_set_str(a, row, "name", ticket_status_label(
		    ticket_status_parse(c.statuses[i].name), 0));
		rc |= tval_set_int(a, row, "total", c.statuses[i].total);
		rc |= tval_set_str(a, row, "url", arena_printf(a, "/agent/tickets?status=%s",
		    c.statuses[i].name));
		rc |= tval_push(a, statuses, row);
	}
	rc |= tval_set(a, ctx, "queue_counts", queues);
	rc |= tval_set(a, ctx, "status_counts", statuses);
	rc |= tval_set_int(a, ctx, "mine_open", c.mine_open);
	return rc ? 500 : 0;
}

int
console_home(struct app *app, struct req *r, struct resp *w)
{
	struct tval *ctx = app_page(app, r, "Dashboard"), *sys;
	struct system_status st;
	struct arena *a = r->arena;
	int rc = 0;

	/* Warehouse staff work on returns only: their start is the warehouse's. */
	if (!(r->who.access & ACCESS_STAFF)) {
		resp_redirect(w, "/agent/returns/warehouse");
		return 0;
	}
	if (ctx == NULL || (sys = tval_list(a)) == NULL)
		return 500;
	if (system_status_read(&app->db, a, &st) != CS_OK)
		return db_lost(&app->db) ? 503 : 500;
	rc |= add_row(a, sys, "Database", st.db_version);
	rc |= add_row(a, sys, "Database name", st.db_name);
	rc |= add_row(a, sys, "Migrations applied", arena_printf(a, "%lld", st.migrations));
	rc |= add_row(a, sys, "Latest migration", st.last_migration);
	rc |= add_row(a, sys, "Workers in this pool", arena_printf(a, "%d", app->cfg.workers));
	rc |= tval_set(a, ctx, "system", sys);
	if (rc)
		return 500;
	if ((rc = add_counts(app, r, ctx)) != 0)
		return rc;
	if ((rc = console_saved_views_ctx(app, r, ctx)) != 0)
		return rc;
	return app_render(app, r, w, "console/home", ctx);
}
