/*
 * reports_lists.c — the list reports of report_lists.h on the reports
 * page (GET /agent/analytics?report=top_customers&from=…&to=…) and its
 * exports (GET /agent/analytics/export?…&format=csv|xlsx|pdf), for the
 * same people as the metric reports (cgi-bin/console.c). The page shows
 * the grid the exports write.
 */
#include "console/handlers.h"
#include "console/reports_analytics.h"
#include "core/arena.h"
#include "domain/ops_settings.h"
#include "domain/report_lists.h"
#include "tmpl/tval.h"
#include "web/result.h"

#include <string.h>

static const char *
query(const struct req *r, const char *name)
{
	const char *v = req_query(r, name);

	return v != NULL ? v : "";
}

int
reports_lists_asked(struct req *r)
{
	return report_list_parse(query(r, "report")) != RL__MAX;
}

int
reports_lists_links(struct arena *a, struct tval *list, const char *current)
{
	int l, rc = 0;

	for (l = 0; l < RL__MAX; l++)
		rc |= reports_nav_link(a, list, report_list_def((enum report_list)l)->id,
		    report_list_def((enum report_list)l)->title, current);
	return rc;
}

/* The list the query asks for over its dates: CS_OK, CS_REFUSED (*why) or the failure. */
static enum cs_result
run(struct app *app, struct req *r, enum report_list *l, struct report_grid *g,
    const char **from, const char **to, const char **why)
{
	struct ops_settings s;
	enum cs_result rc;

	*l = report_list_parse(query(r, "report"));
	if ((rc = ops_settings_load(&app->db, r->arena, &s)) != CS_OK)
		return rc;
	return report_list_run(&app->db, r->arena, s.time_zone, *l, query(r, "from"),
	    query(r, "to"), g, from, to, why);
}

/* The grid's rows for the template: each a list of cells, numeric ones marked. */
static struct tval *
rows_of(struct arena *a, const struct report_grid *g, int *rc)
{
	struct tval *rows = tval_list(a);
	size_t i, c;

	*rc |= rows == NULL;
	for (i = 0; i < g->nrows; i++) {
		struct tval *cells = tval_list(a), *row = tval_map(a);

		for (c = 0; c < g->ncols; c++) {
			struct tval *o = tval_map(a);
			const char *v = g->cells[i * g->ncols + c];

			*rc |= tval_set_str(a, o, "v", v != NULL ? v : "–");
			*rc |= tval_set_bool(a, o, "num", g->numeric[c]);
			*rc |= tval_set_bool(a, o, "head", c == 0);
			*rc |= tval_push(a, cells, o);
		}
		*rc |= tval_set(a, row, "cells", cells);
		*rc |= tval_push(a, rows, row);
	}
	return rows;
}

int
reports_lists_page(struct app *app, struct req *r, struct resp *w)
{
	struct tval *ctx = app_page(app, r, "Reports"), *cols, *nav;
	struct arena *a = r->arena;
	const struct report_list_def *d;
	struct report_grid g;
	enum report_list l;
	const char *from = NULL, *to = NULL, *why = NULL;
	size_t c;
	enum cs_result got = run(app, r, &l, &g, &from, &to, &why);
	int rc = 0, bad = got == CS_REFUSED;

	if (got != CS_OK && !bad)
		return web_result_status(got);
	if (ctx == NULL || (cols = tval_list(a)) == NULL || (nav = tval_list(a)) == NULL)
		return 500;
	d = report_list_def(l);
	for (c = 0; c < g.ncols; c++) {
		struct tval *o = tval_map(a);

		rc |= tval_set_str(a, o, "label", g.cols[c]);
		rc |= tval_set_bool(a, o, "num", g.numeric[c]);
		rc |= tval_push(a, cols, o);
	}
	rc |= reports_analytics_links(a, nav, NULL);
	rc |= reports_lists_links(a, nav, d->id);
	rc |= tval_set(a, ctx, "reports", nav);
	rc |= tval_set(a, ctx, "columns", cols);
	rc |= tval_set(a, ctx, "rows", rows_of(a, &g, &rc));
	rc |= tval_set_str(a, ctx, "report_id", d->id);
	rc |= tval_set_str(a, ctx, "report_title", d->title);
	rc |= tval_set_str(a, ctx, "report_about", d->about);
	rc |= tval_set_str(a, ctx, "from", bad || from == NULL ? query(r, "from") : from);
	rc |= tval_set_str(a, ctx, "to", bad || to == NULL ? query(r, "to") : to);
	rc |= tval_set(a, ctx, "error", tval_str(a, why));
	if (!bad)
		rc |= tval_set_str(a, ctx, "query", arena_printf(a, "report=%s&from=%s&to=%s",
		    d->id, from, to));
	if (rc)
		return 500;
	w->status = bad ? 422 : 200;
	return app_render(app, r, w, "console/analytics/list", ctx);
}

int
reports_lists_export(struct app *app, struct req *r, struct resp *w)
{
	enum report_format f = report_format_parse(query(r, "format"));
	struct report_grid g;
	enum report_list l;
	const char *from, *to, *why;
	enum cs_result rc;

	if (f == RF__MAX)
		return 400;
	if ((rc = run(app, r, &l, &g, &from, &to, &why)) == CS_REFUSED)
		return 400;
	if (rc != CS_OK)
		return web_result_status(rc);
	buf_reset(&w->body);
	if (report_grid_export(&g, f, &w->body) != CS_OK)
		return 500;
	w->status = 200;
	w->content_type = report_format_type(f);
	resp_header(w, "Content-Disposition", arena_printf(r->arena,
	    "attachment; filename=\"%s-%s-%s.%s\"", report_list_def(l)->id, from, to,
	    report_format_name(f)));
	resp_header(w, "X-Content-Type-Options", "nosniff");
	return 0;
}
