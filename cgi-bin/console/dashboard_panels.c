/*
 * dashboard_panels.c — see dashboard_panels.h. The numbers come from the
 * rollup through analytics_table() (the same as every report) and from
 * the live queries of dashboard.h; the charts are drawn by svg_chart.h.
 */
#include "console/dashboard_panels.h"
#include "console/handlers.h"
#include "core/arena.h"
#include "core/buf.h"
#include "domain/analytics.h"
#include "domain/dashboard.h"
#include "domain/kpi.h"
#include "tmpl/tval.h"
#include "web/result.h"
#include "web/svg_chart.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A chart's markup in the arena, or NULL when there is nothing to draw. */
static const char *
draw(struct arena *a, const struct svg_chart *c)
{
	struct buf b;

	buf_init(&b, a);
	if (c->nlabels == 0 || svg_chart(&b, c) < 0 || buf_failed(&b))
		return NULL;
	return b.buf;
}

static double
num(const char *v)
{
	return v != NULL ? strtod(v, NULL) : NAN;
}

/* analytics_table of dim over the last days days (today: 1); 0 or the failure's status. */
static int
table(struct app *app, struct req *r, const char *zone, enum analytics_dim dim, int days,
    struct analytics_table *t)
{
	struct analytics_filter f = { dim, AG_DAY, NULL, NULL, days };
	const char *why;
	enum cs_result rc = analytics_totals(&app->db, r->arena, zone, &f, t, &why);

	return rc == CS_OK ? 0 : web_result_status(rc == CS_REFUSED ? CS_FAILED : rc);
}

static struct tval *
metric_tile(struct arena *a, enum metric_id m, const char *value, int *rc)
{
	const struct metric_def *d = metric_def(m);
	struct tval *o = tval_map(a);

	*rc |= tval_set_str(a, o, "id", d->id);
	*rc |= tval_set_str(a, o, "label", d->label);
	*rc |= tval_set_str(a, o, "value", value != NULL ? value : "–");
	*rc |= tval_set_str(a, o, "unit", value != NULL ? metric_unit_suffix(d->unit) : "");
	return o;
}

int
dashboard_kpis_ctx(struct app *app, struct req *r, const char *zone, struct tval *ctx)
{
	struct arena *a = r->arena;
	struct tval *list = tval_list(a);
	struct kpi_tile *t;
	size_t n, i;
	enum cs_result got = kpi_tiles(&app->db, a, zone, &t, &n);
	int rc = list == NULL;

	if (got != CS_OK)
		return web_result_status(got);
	for (i = 0; i < n; i++) {
		struct tval *o = metric_tile(a, t[i].metric, t[i].value, &rc);
		const char *u = metric_unit_suffix(metric_def(t[i].metric)->unit);

		rc |= tval_set_str(a, o, "target", arena_printf(a, "%s%s", t[i].target, u));
		rc |= tval_set_str(a, o, "alert", arena_printf(a, "%s%s", t[i].alert, u));
		rc |= tval_set_str(a, o, "standing", t[i].standing);
		rc |= tval_set_bool(a, o, "lower", metric_def(t[i].metric)->good == MG_LOWER);
		rc |= tval_push(a, list, o);
	}
	rc |= tval_set(a, ctx, "kpis", list);
	rc |= tval_set_int(a, ctx, "kpi_days", KPI_DAYS);
	return rc ? 500 : 0;
}

static struct tval *
ticket_list(struct arena *a, const struct dashboard_ticket *t, size_t n, int *rc)
{
	struct tval *list = tval_list(a);
	size_t i;

	*rc |= list == NULL;
	for (i = 0; i < n; i++) {
		struct tval *o = tval_map(a);

		*rc |= tval_set_str(a, o, "number", t[i].number);
		*rc |= tval_set_str(a, o, "subject", t[i].subject);
		*rc |= tval_set_str(a, o, "priority", t[i].priority);
		*rc |= tval_set_str(a, o, "due", t[i].due);
		*rc |= tval_set_bool(a, o, "breached", t[i].breached);
		*rc |= tval_push(a, list, o);
	}
	return list;
}

int
dashboard_agent_ctx(struct app *app, struct req *r, const char *zone, struct tval *ctx)
{
	static const enum metric_id mine[] = { METRIC_resolved, METRIC_first_response_avg,
		METRIC_sla_compliance, METRIC_fcr, METRIC_csat, METRIC_qa_score };
	struct arena *a = r->arena;
	struct dashboard_ticket *due;
	struct analytics_table t;
	struct tval *week = tval_list(a);
	const struct analytics_row *me = NULL;
	const char *key = arena_printf(a, "%lld", r->who.id);
	size_t n, i;
	long long total;
	enum cs_result got = dashboard_due_today(&app->db, a, r->who.id, zone, &due, &n, &total);
	int rc = week == NULL || key == NULL, st;

	if (got != CS_OK)
		return web_result_status(got);
	if ((st = table(app, r, zone, AD_AGENT, 7, &t)) != 0)
		return st;
	for (i = 0; i < t.ntotals; i++)
		if (strcmp(t.totals[i].key, key) == 0)
			me = &t.totals[i];
	for (i = 0; i < sizeof(mine) / sizeof(mine[0]); i++)
		rc |= tval_push(a, week, metric_tile(a, mine[i], me != NULL ? me->v[mine[i]] : NULL,
		    &rc));
	rc |= tval_set(a, ctx, "due", ticket_list(a, due, n, &rc));
	rc |= tval_set_bool(a, ctx, "due_any", n > 0);
	rc |= tval_set_str(a, ctx, "due_total", total > DASHBOARD_COUNT_MAX ?
	    arena_printf(a, "More than %d", DASHBOARD_COUNT_MAX) : arena_printf(a, "%lld", total));
	rc |= tval_set(a, ctx, "my_week", week);
	return rc ? 500 : 0;
}

/* Today's backlog by priority, as a bar chart. */
static const char *
priority_chart(struct arena *a, const struct analytics_table *t)
{
	const char **labels = arena_alloc(a, (t->ntotals + 1) * sizeof(*labels));
	double *v = arena_alloc(a, (t->ntotals + 1) * sizeof(*v)), *late;
	struct svg_series s[2];
	struct svg_chart c = { SVG_STACKED, "priority-chart", "Open tickets by priority",
		"Tickets open now by priority, split into on time and past due; the numbers are in "
		"the table.", "", labels, t->ntotals, s, 2, 0 };
	size_t i;

	late = arena_alloc(a, (t->ntotals + 1) * sizeof(*late));
	if (labels == NULL || v == NULL || late == NULL)
		return NULL;
	for (i = 0; i < t->ntotals; i++) {
		labels[i] = t->totals[i].name;
		late[i] = num(t->totals[i].v[METRIC_backlog_breached]);
		v[i] = num(t->totals[i].v[METRIC_backlog]) - (isnan(late[i]) ? 0 : late[i]);
	}
	s[0] = (struct svg_series){ "On time", v };
	s[1] = (struct svg_series){ "Past due", late };
	return draw(a, &c);
}

int
dashboard_supervisor_ctx(struct app *app, struct req *r, const char *zone, struct tval *ctx)
{
	struct arena *a = r->arena;
	struct dashboard_ticket *crit;
	struct analytics_table prio, agents;
	struct tval *trouble = tval_map(a), *list = tval_list(a);
	const char *svg;
	size_t n, i;
	enum cs_result got;
	long long at_risk = 0, breached = 0;
	int rc = trouble == NULL || list == NULL, st;

	if ((got = dashboard_critical(&app->db, a, zone, &crit, &n)) != CS_OK)
		return web_result_status(got);
	/* Today only: the rollup's row of today, refreshed by every batch run. */
	if ((st = table(app, r, zone, AD_PRIORITY, 1, &prio)) != 0 ||
	    (st = table(app, r, zone, AD_AGENT, 1, &agents)) != 0)
		return st;
	/* Now: today's rollup, at most a minute old; every open ticket has one priority. */
	for (i = 0; i < prio.ntotals; i++) {
		at_risk += atoll(prio.totals[i].v[METRIC_backlog_at_risk] ?
		    prio.totals[i].v[METRIC_backlog_at_risk] : "0");
		breached += atoll(prio.totals[i].v[METRIC_backlog_breached] ?
		    prio.totals[i].v[METRIC_backlog_breached] : "0");
	}
	rc |= tval_set_int(a, trouble, "at_risk", at_risk);
	rc |= tval_set_int(a, trouble, "breached", breached);
	rc |= tval_set(a, ctx, "trouble", trouble);
	rc |= tval_set(a, ctx, "critical", ticket_list(a, crit, n, &rc));
	rc |= tval_set_bool(a, ctx, "critical_any", n > 0);
	if ((svg = priority_chart(a, &prio)) != NULL)
		rc |= tval_set_str(a, ctx, "priority_chart", svg);
	for (i = 0; i < agents.ntotals; i++) {
		const struct analytics_row *g = &agents.totals[i];
		struct tval *o = tval_map(a);

		rc |= tval_set_str(a, o, "name", g->name);
		rc |= tval_set_str(a, o, "backlog", g->v[METRIC_backlog] ? g->v[METRIC_backlog] : "0");
		rc |= tval_set_str(a, o, "resolved", g->v[METRIC_resolved]);
		rc |= tval_set_str(a, o, "frt", g->v[METRIC_first_response_avg] ?
		    g->v[METRIC_first_response_avg] : "–");
		rc |= tval_set_str(a, o, "sla", g->v[METRIC_sla_compliance] ?
		    g->v[METRIC_sla_compliance] : "–");
		rc |= tval_push(a, list, o);
	}
	rc |= tval_set(a, ctx, "agents", list);
	return rc ? 500 : 0;
}

/* Created and resolved per day over the table's days, oldest first. */
static const char *
trend_chart(struct arena *a, const struct analytics_table *t)
{
	size_t n = t->nrows, i;
	const char **labels = arena_alloc(a, (n + 1) * sizeof(*labels));
	double *cr = arena_alloc(a, (n + 1) * sizeof(*cr)), *rs = arena_alloc(a, (n + 1) * sizeof(*rs));
	struct svg_series s[2] = { { "Created", cr }, { "Resolved", rs } };
	struct svg_chart c = { SVG_LINE, "trend-chart", "Created and resolved per day",
		"Tickets created and resolved each day over the last 30 days; the numbers are in "
		"the table.", "", labels, n, s, 2, 0 };

	if (labels == NULL || cr == NULL || rs == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		const struct analytics_row *row = &t->rows[n - 1 - i];

		labels[i] = row->period + 5;	/* "03-10" */
		cr[i] = num(row->v[METRIC_created]);
		rs[i] = num(row->v[METRIC_resolved]);
	}
	return draw(a, &c);
}

static const char *
heatmap(struct arena *a, long long counts[7][24])
{
	static const char *const days[7] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
	static const char *const hours[24] = { "0", "1", "2", "3", "4", "5", "6", "7", "8", "9",
		"10", "11", "12", "13", "14", "15", "16", "17", "18", "19", "20", "21", "22", "23" };
	struct svg_series s[7];
	struct svg_chart c = { SVG_HEATMAP, "volume-heatmap", "Tickets created by weekday and hour",
		"Tickets created over the last 28 days by weekday and local hour: darker is more; "
		"the numbers are in the table.", "", hours, 24, s, 7, 0 };
	int d, h;

	for (d = 0; d < 7; d++) {
		double *v = arena_alloc(a, 24 * sizeof(*v));

		if (v == NULL)
			return NULL;
		for (h = 0; h < 24; h++)
			v[h] = (double)counts[d][h];
		s[d] = (struct svg_series){ days[d], v };
	}
	return draw(a, &c);
}

int
dashboard_manager_ctx(struct app *app, struct req *r, const char *zone, struct tval *ctx)
{
	struct arena *a = r->arena;
	struct analytics_filter f = { AD_ALL, AG_DAY, NULL, NULL, 30 };
	struct analytics_table t;
	long long counts[7][24];
	const char *why, *svg;
	enum cs_result got;
	int rc = 0;

	if ((got = analytics_table(&app->db, a, zone, &f, &t, &why)) != CS_OK)
		return web_result_status(got == CS_REFUSED ? CS_FAILED : got);
	if ((svg = trend_chart(a, &t)) != NULL)
		rc |= tval_set_str(a, ctx, "trend_chart", svg);
	if ((got = dashboard_heatmap(&app->db, zone, 28, counts)) != CS_OK)
		return web_result_status(got);
	if ((svg = heatmap(a, counts)) != NULL)
		rc |= tval_set_str(a, ctx, "heatmap", svg);
	return rc ? 500 : 0;
}
