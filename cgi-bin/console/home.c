/*
 * home.c — the console's dashboards: GET /agent/ (everyone's own queue,
 * due list and week; for supervisors and admins the KPI tiles and the
 * team's live panels), GET /agent/dashboard/manager (trends, KPIs, volume
 * by weekday and hour) and GET /agent/tv (the supervisor's panels for a
 * wall screen, refreshing itself). Panels: dashboard_panels.c.
 */
#include "console/handlers.h"
#include "console/saved_views.h"
#include "core/arena.h"
#include "console/dashboard_panels.h"
#include "domain/ops_settings.h"
#include "domain/ticket_counts.h"
#include "domain/ticket_rules.h"
#include "tmpl/tval.h"
#include "web/result.h"

#include <string.h>

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

/* The metrics time zone, for the panels' days. NULL when it could not be read. */
static const char *
zone(struct app *app, struct req *r)
{
	struct ops_settings s;

	return ops_settings_load(&app->db, r->arena, &s) == CS_OK ? s.time_zone : NULL;
}

/* Supervisors and admins see the team's panels and the KPIs. */
static int
leads(const struct req *r)
{
	return (r->who.access & (ACCESS_SUPERVISOR | ACCESS_ADMIN)) != 0;
}

int
console_home(struct app *app, struct req *r, struct resp *w)
{
	struct tval *ctx;
	const char *z;
	int rc;

	/* Warehouse staff work on returns only: their start is the warehouse's. */
	if (!(r->who.access & ACCESS_STAFF)) {
		resp_redirect(w, "/agent/returns/warehouse");
		return 0;
	}
	if ((ctx = app_page(app, r, "Dashboard")) == NULL)
		return 500;
	if ((z = zone(app, r)) == NULL)
		return db_lost(&app->db) ? 503 : 500;
	if ((rc = add_counts(app, r, ctx)) != 0 || (rc = console_saved_views_ctx(app, r, ctx)) != 0 ||
	    (rc = dashboard_agent_ctx(app, r, z, ctx)) != 0)
		return rc;
	if (leads(r) && ((rc = dashboard_kpis_ctx(app, r, z, ctx)) != 0 ||
	    (rc = dashboard_supervisor_ctx(app, r, z, ctx)) != 0))
		return rc;
	if (tval_set_bool(r->arena, ctx, "leads", leads(r)))
		return 500;
	return app_render(app, r, w, "console/home", ctx);
}

/*
 * A page of the KPI tiles and one more set of panels (panels), rendered
 * with template tmpl: the manager's trends, the TV's live panels.
 */
static int
kpi_page(struct app *app, struct req *r, struct resp *w, const char *title, const char *tmpl,
    int (*panels)(struct app *, struct req *, const char *, struct tval *))
{
	struct tval *ctx = app_page(app, r, title);
	const char *z = zone(app, r);
	int rc;

	if (ctx == NULL)
		return 500;
	if (z == NULL)
		return db_lost(&app->db) ? 503 : 500;
	if ((rc = dashboard_kpis_ctx(app, r, z, ctx)) != 0 || (rc = panels(app, r, z, ctx)) != 0)
		return rc;
	return app_render(app, r, w, tmpl, ctx);
}

int
console_dashboard_manager(struct app *app, struct req *r, struct resp *w)
{
	return kpi_page(app, r, w, "Trends and KPIs", "console/analytics/manager",
	    dashboard_manager_ctx);
}

/*
 * The wall screen's panels; it reloads itself every minute once the
 * person asks for it (?reload=1): a page that reloads on its own must be
 * something one starts and can stop (WCAG 2.2.1), not what every visit
 * gets.
 */
static int
tv_ctx(struct app *app, struct req *r, const char *zone, struct tval *ctx)
{
	const char *reload = req_query(r, "reload");
	int rc = dashboard_supervisor_ctx(app, r, zone, ctx);

	if (rc != 0)
		return rc;
	return tval_set_bool(r->arena, ctx, "reloading", reload != NULL &&
	    strcmp(reload, "1") == 0) ? 500 : 0;
}

int
console_tv(struct app *app, struct req *r, struct resp *w)
{
	return kpi_page(app, r, w, "Service desk now", "console/analytics/tv", tv_ctx);
}
