/*
 * reports_analytics.c — the reports of report_defs.h (GET /agent/analytics
 * and its exports, /agent/analytics/export) for supervisors and admins, and
 * the metric definitions every tile and column links to (GET /agent/metrics,
 * all staff). Query: report, by (dimension), grain (day, week, month),
 * from, to (YYYY-MM-DD, inclusive; default the last 7 days in the metrics
 * time zone), format (csv, xlsx, pdf).
 */
#include "console/handlers.h"
#include "console/reports_analytics.h"
#include "core/arena.h"
#include "core/buf.h"
#include "domain/analytics.h"
#include "domain/ops_settings.h"
#include "domain/report_defs.h"
#include "domain/report_export.h"
#include "tmpl/tval.h"
#include "web/fields.h"
#include "web/result.h"
#include "web/svg_chart.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A query parameter, "" when absent. */
static const char *
query(const struct req *r, const char *name)
{
	const char *v = req_query(r, name);

	return v != NULL ? v : "";
}

enum cs_result
reports_analytics_run(struct app *app, struct req *r, const struct report_def **d,
    struct analytics_table *t, const char **why)
{
	const char *by = query(r, "by"), *grain = query(r, "grain");
	enum report_id id = *query(r, "report") == '\0' ? REPORT_SLA :
	    report_parse(query(r, "report"));
	struct analytics_filter f;
	struct ops_settings s;
	enum cs_result rc;

	memset(t, 0, sizeof(*t));
	if ((*d = report_def(id)) == NULL) {
		*d = report_def(REPORT_SLA);
		*why = "Choose a report from the list.";
		return CS_REFUSED;
	}
	f.dim = *by == '\0' ? (*d)->dim : analytics_dim_parse(by);
	f.grain = *grain == '\0' ? (*d)->grain : analytics_grain_parse(grain);
	f.from = query(r, "from");
	f.to = query(r, "to");
	if ((rc = ops_settings_load(&app->db, r->arena, &s)) != CS_OK)
		return rc;
	return analytics_table(&app->db, r->arena, s.time_zone, &f, t, why);
}

/* The query string of t's filter, for links (values are checked names and dates). */
static const char *
filter_query(struct arena *a, const struct report_def *d, const struct analytics_table *t)
{
	return arena_printf(a, "report=%s&by=%s&grain=%s&from=%s&to=%s", d->id,
	    analytics_dim_name(t->f.dim), analytics_grain_name(t->f.grain), t->f.from, t->f.to);
}

/* The chart of the report's chart metric: over the periods, or across the keys. */
static const char *
chart(struct arena *a, const struct report_def *d, const struct analytics_table *t)
{
	const struct metric_def *m = metric_def(d->chart);
	int over_time = t->f.dim == AD_ALL;
	size_t n = over_time ? t->nrows : t->ntotals, i;
	const char **labels = arena_alloc(a, (n + 1) * sizeof(*labels));
	double *v = arena_alloc(a, (n + 1) * sizeof(*v));
	struct svg_series s = { m->label, v };
	struct svg_chart c = { over_time ? SVG_LINE : SVG_BAR, "report-chart", m->label, NULL,
		metric_unit_suffix(m->unit), labels, n, &s, 1, 0 };
	struct buf b;

	if (n == 0 || labels == NULL || v == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		/* Oldest period first, left to right. */
		const struct analytics_row *row = over_time ? &t->rows[n - 1 - i] : &t->totals[i];
		const char *x = row->v[d->chart];

		labels[i] = over_time ? row->period : row->name;
		v[i] = x != NULL ? strtod(x, NULL) : NAN;
	}
	c.desc = arena_printf(a, "%s %s, %s to %s; the numbers are in the table below.",
	    m->label, over_time ? "per period" : arena_printf(a, "by %s",
	    analytics_dim_label(t->f.dim)), t->f.from, t->f.to);
	buf_init(&b, a);
	if (c.desc == NULL || svg_chart(&b, &c) < 0 || buf_failed(&b))
		return NULL;
	return b.buf;
}

static struct tval *
row_map(struct arena *a, const struct report_def *d, const struct analytics_row *row, int *rc)
{
	struct tval *o = tval_map(a), *vals = tval_list(a);
	size_t m;

	*rc |= o == NULL || vals == NULL;
	*rc |= tval_set_str(a, o, "period", row->period != NULL ? row->period : "Total");
	*rc |= tval_set_str(a, o, "name", row->name);
	for (m = 0; m < d->nmetrics; m++) {
		const char *v = row->v[d->metrics[m]];

		*rc |= tval_push(a, vals, tval_str(a, v != NULL ? v : "–"));
	}
	*rc |= tval_set(a, o, "values", vals);
	return o;
}

/* The column heads: label, unit and the anchor of the metric's definition. */
static struct tval *
columns(struct arena *a, const struct report_def *d, int *rc)
{
	struct tval *cols = tval_list(a);
	size_t m;

	*rc |= cols == NULL;
	for (m = 0; m < d->nmetrics; m++) {
		const struct metric_def *md = metric_def(d->metrics[m]);
		struct tval *c = tval_map(a);

		*rc |= tval_set_str(a, c, "label", md->label);
		*rc |= tval_set_str(a, c, "unit", metric_unit_suffix(md->unit));
		*rc |= tval_set_str(a, c, "id", md->id);
		*rc |= tval_push(a, cols, c);
	}
	return cols;
}

int
reports_nav_link(struct arena *a, struct tval *list, const char *id, const char *title,
    const char *current)
{
	struct tval *o = tval_map(a);

	return tval_set_str(a, o, "id", id) | tval_set_str(a, o, "title", title) |
	    tval_set_bool(a, o, "current", current != NULL && strcmp(current, id) == 0) |
	    tval_push(a, list, o);
}

int
reports_analytics_links(struct arena *a, struct tval *list, const char *current)
{
	int i, rc = 0;

	for (i = 0; i < REPORT__MAX; i++)
		rc |= reports_nav_link(a, list, report_def((enum report_id)i)->id,
		    report_def((enum report_id)i)->title, current);
	return rc;
}

static const char *const grain_labels[AG__MAX] = { "Day", "Week", "Month" };

/* The dimension and grain <select>s, showing what was asked for. */
static int
selects(struct arena *a, struct req *r, struct tval *ctx, const struct analytics_table *t,
    int bad)
{
	const char *dims[AD__MAX], *dim_labels[AD__MAX], *grains[AG__MAX];
	int i;

	for (i = 0; i < AD__MAX; i++) {
		dims[i] = analytics_dim_name((enum analytics_dim)i);
		dim_labels[i] = analytics_dim_label((enum analytics_dim)i);
	}
	for (i = 0; i < AG__MAX; i++)
		grains[i] = analytics_grain_name((enum analytics_grain)i);
	return tval_set(a, ctx, "by_options", fields_select(a, dims, dim_labels, AD__MAX,
	    bad ? query(r, "by") : analytics_dim_name(t->f.dim))) |
	    tval_set(a, ctx, "grain_options", fields_select(a, grains, grain_labels, AG__MAX,
	    bad ? query(r, "grain") : analytics_grain_name(t->f.grain)));
}

int
console_analytics(struct app *app, struct req *r, struct resp *w)
{
	struct tval *ctx, *rows, *nav;
	struct arena *a = r->arena;
	const struct report_def *d;
	struct analytics_table t;
	const char *why = NULL, *svg;
	size_t i;
	enum cs_result got;
	int rc = 0, bad;

	if (reports_lists_asked(r))
		return reports_lists_page(app, r, w);
	ctx = app_page(app, r, "Reports");
	got = reports_analytics_run(app, r, &d, &t, &why);
	bad = got == CS_REFUSED;
	if (got != CS_OK && !bad)
		return web_result_status(got);
	if (ctx == NULL || (rows = tval_list(a)) == NULL || (nav = tval_list(a)) == NULL)
		return 500;
	for (i = 0; i < t.ntotals; i++)
		rc |= tval_push(a, rows, row_map(a, d, &t.totals[i], &rc));
	for (i = 0; i < t.nrows; i++)
		rc |= tval_push(a, rows, row_map(a, d, &t.rows[i], &rc));
	rc |= tval_set(a, ctx, "rows", rows);
	rc |= tval_set(a, ctx, "columns", columns(a, d, &rc));
	rc |= tval_set(a, ctx, "reports", nav);
	rc |= reports_analytics_links(a, nav, d->id);
	rc |= reports_lists_links(a, nav, NULL);
	rc |= tval_set_str(a, ctx, "report_id", d->id);
	rc |= tval_set_str(a, ctx, "report_title", d->title);
	rc |= tval_set_str(a, ctx, "report_about", d->about);
	rc |= tval_set_str(a, ctx, "by_label", analytics_dim_label(t.f.dim));
	rc |= tval_set_str(a, ctx, "from", bad ? query(r, "from") : t.f.from);
	rc |= tval_set_str(a, ctx, "to", bad ? query(r, "to") : t.f.to);
	rc |= tval_set(a, ctx, "error", tval_str(a, why));
	rc |= selects(a, r, ctx, &t, bad);
	if (!bad) {
		rc |= tval_set_str(a, ctx, "query", filter_query(a, d, &t));
		if ((svg = chart(a, d, &t)) != NULL)
			rc |= tval_set_str(a, ctx, "chart", svg);
	}
	if (rc)
		return 500;
	w->status = bad ? 422 : 200;
	return app_render(app, r, w, "console/analytics/report", ctx);
}

int
console_analytics_export(struct app *app, struct req *r, struct resp *w)
{
	enum report_format f = report_format_parse(query(r, "format"));
	const struct report_def *d;
	struct analytics_table t;
	const char *why;
	enum cs_result rc;

	if (reports_lists_asked(r))
		return reports_lists_export(app, r, w);
	if (f == RF__MAX)
		return app_bad_query(app, r, w, "format", NULL, NULL);
	if ((rc = reports_analytics_run(app, r, &d, &t, &why)) == CS_REFUSED)
		return app_bad_query(app, r, w, NULL, why, NULL);
	if (rc != CS_OK)
		return web_result_status(rc);
	buf_reset(&w->body);
	if (report_export(d, &t, f, &w->body) != CS_OK)
		return 500;
	w->status = 200;
	w->content_type = report_format_type(f);
	resp_header(w, "Content-Disposition", arena_printf(r->arena,
	    "attachment; filename=\"%s-%s-%s-%s.%s\"", d->id, analytics_dim_name(t.f.dim),
	    t.f.from, t.f.to, report_format_name(f)));
	resp_header(w, "X-Content-Type-Options", "nosniff");
	return 0;
}

int
console_metrics(struct app *app, struct req *r, struct resp *w)
{
	struct tval *ctx = app_page(app, r, "What each number means"), *list;
	struct arena *a = r->arena;
	int m, rc = 0;

	if (ctx == NULL || (list = tval_list(a)) == NULL)
		return 500;
	for (m = 0; m < METRIC__MAX; m++) {
		const struct metric_def *d = metric_def((enum metric_id)m);
		struct tval *o = tval_map(a);
		static const char *const good[MG__MAX] = { "Higher is better", "Lower is better",
			"Neither: it shows the load" };

		rc |= tval_set_str(a, o, "id", d->id);
		rc |= tval_set_str(a, o, "label", d->label);
		rc |= tval_set_str(a, o, "unit", metric_unit_suffix(d->unit));
		rc |= tval_set_str(a, o, "good", good[d->good]);
		rc |= tval_set_str(a, o, "definition", d->definition);
		rc |= tval_push(a, list, o);
	}
	rc |= tval_set(a, ctx, "metrics", list);
	if (rc)
		return 500;
	return app_render(app, r, w, "console/analytics/metrics", ctx);
}
