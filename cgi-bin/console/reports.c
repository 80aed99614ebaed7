/*
 * reports.c — GET /agent/reports and /agent/reports.csv: the daily service
 * metrics (metrics.h) for a range of days, by channel, team or agent.
 * Supervisors and admins (cgi-bin/console.c). Query: from, to
 * (YYYY-MM-DD, inclusive; default the last 7 days) and by (all, channel,
 * team, agent).
 */
#include "console/handlers.h"
#include "core/config.h"
#include "core/arena.h"
#include "core/buf.h"
#include "domain/metrics.h"
#include "domain/ops_settings.h"
#include "tmpl/tval.h"
#include "web/fields.h"
#include "web/result.h"

#include <stdlib.h>
#include <string.h>

static const char *const by_values[METRICS_DIM__MAX] = { "all", "channel", "team", "agent" };
static const char *const by_labels[METRICS_DIM__MAX] = { "Overall", "Channel", "Team",
	"Agent" };

/* A query parameter, "" when absent. */
static const char *
query(const struct req *r, const char *name)
{
	const char *v = req_query(r, name);

	return v != NULL ? v : "";
}

/*
 * Runs the report the query asks for. Returns CS_OK, CS_REFUSED with *why
 * set, or the failure.
 */
static enum cs_result
run(struct app *app, struct req *r, struct metrics_report *rep, const char **why)
{
	const char *by = query(r, "by");
	enum metrics_dim dim = *by == '\0' ? METRICS_ALL : metrics_dim_parse(by);
	struct ops_settings s;
	enum cs_result rc;

	memset(rep, 0, sizeof(*rep));
	*why = NULL;
	if ((rc = ops_settings_load(&app->db, r->arena, &s)) != CS_OK)
		return rc;
	return metrics_report(&app->db, r->arena, s.time_zone, query(r, "from"), query(r, "to"),
	    dim, rep, why);
}

/* Seconds as people read them: "45 s", "12 min", "3 h 05 min", "2 d 4 h". */
static const char *
duration(struct arena *a, const char *secs)
{
	long long s;

	if (secs == NULL || config_parse_long(secs, -(1LL << 62), 1LL << 62, &s) < 0)
		return "–";
	if (s < 60)
		return arena_printf(a, "%lld s", s);
	if (s < 3600)
		return arena_printf(a, "%lld min", s / 60);
	if (s < 86400)
		return arena_printf(a, "%lld h %02lld min", s / 3600, s % 3600 / 60);
	return arena_printf(a, "%lld d %lld h", s / 86400, s % 86400 / 3600);
}

/* A fraction ("0.667") as a percentage ("66.7 %"). */
static const char *
percent(struct arena *a, const char *frac)
{
	return frac == NULL ? "–" : arena_printf(a, "%.1f %%", strtod(frac, NULL) * 100.0);
}

static struct tval *
row_map(struct arena *a, const struct metrics_row *m, int *rc)
{
	struct tval *o = tval_map(a);

	*rc |= tval_set(a, o, "day", tval_str(a, m->day));
	*rc |= tval_set_str(a, o, "name", m->name);
	*rc |= tval_set_int(a, o, "created", m->created);
	*rc |= tval_set_int(a, o, "resolved", m->resolved);
	*rc |= tval_set_int(a, o, "closed", m->closed);
	*rc |= tval_set_int(a, o, "backlog", m->backlog);
	*rc |= tval_set_int(a, o, "first_responses", m->first_responses);
	*rc |= tval_set_str(a, o, "frt_avg", duration(a, m->first_response_avg));
	*rc |= tval_set_str(a, o, "frt_median", duration(a, m->first_response_median));
	*rc |= tval_set_str(a, o, "rt_avg", duration(a, m->resolution_avg));
	*rc |= tval_set_str(a, o, "rt_median", duration(a, m->resolution_median));
	*rc |= tval_set_str(a, o, "fcr", percent(a, m->first_contact_rate));
	*rc |= tval_set_str(a, o, "reopen", percent(a, m->reopen_rate));
	*rc |= tval_set_str(a, o, "rating", m->rating_avg != NULL ? m->rating_avg : "–");
	*rc |= tval_set_int(a, o, "ratings", m->ratings);
	return o;
}

int
console_reports(struct app *app, struct req *r, struct resp *w)
{
	struct tval *ctx = app_page(app, r, "Reports"), *totals, *days;
	struct arena *a = r->arena;
	struct metrics_report rep;
	const char *why;
	size_t i;
	enum cs_result got = run(app, r, &rep, &why);
	int rc, bad = got == CS_REFUSED;

	if (got != CS_OK && !bad)
		return web_result_status(got);
	if (ctx == NULL || (totals = tval_list(a)) == NULL || (days = tval_list(a)) == NULL)
		return 500;
	rc = 0;
	for (i = 0; i < rep.ntotals; i++)
		rc |= tval_push(a, totals, row_map(a, &rep.totals[i], &rc));
	for (i = 0; i < rep.ndays; i++)
		rc |= tval_push(a, days, row_map(a, &rep.days[i], &rc));
	rc |= tval_set(a, ctx, "totals", totals);
	rc |= tval_set(a, ctx, "days", days);
	/* Refused input is shown back as typed, next to the message. */
	rc |= tval_set_str(a, ctx, "from", bad ? query(r, "from") : rep.from);
	rc |= tval_set_str(a, ctx, "to", bad ? query(r, "to") : rep.to);
	rc |= tval_set(a, ctx, "error", tval_str(a, why));
	rc |= tval_set(a, ctx, "by_options", fields_select(a, by_values, by_labels, METRICS_DIM__MAX,
	    bad ? query(r, "by") : metrics_dim_name(rep.dim)));
	rc |= tval_set_str(a, ctx, "by_label", by_labels[bad ? METRICS_ALL : rep.dim]);
	if (!bad)
		rc |= tval_set_str(a, ctx, "csv_url", arena_printf(a,
		    "/agent/reports.csv?from=%s&to=%s&by=%s", rep.from, rep.to,
		    metrics_dim_name(rep.dim)));
	if (rc)
		return 500;
	w->status = bad ? 422 : 200;
	return app_render(app, r, w, "console/reports", ctx);
}

int
console_reports_csv(struct app *app, struct req *r, struct resp *w)
{
	struct metrics_report rep;
	const char *why;
	enum cs_result rc = run(app, r, &rep, &why);

	if (rc == CS_REFUSED)
		return app_bad_query(app, r, w, NULL, why, NULL);
	if (rc != CS_OK)
		return web_result_status(rc);
	buf_reset(&w->body);
	metrics_report_csv(&rep, &w->body);
	if (buf_failed(&w->body))
		return 500;
	w->status = 200;
	w->content_type = "text/csv; charset=utf-8";
	resp_header(w, "Content-Disposition", arena_printf(r->arena,
	    "attachment; filename=\"metrics-%s-%s-%s.csv\"", metrics_dim_name(rep.dim),
	    rep.from, rep.to));
	resp_header(w, "X-Content-Type-Options", "nosniff");
	return 0;
}
