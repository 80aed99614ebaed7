/*
 * returns_report_page.c — GET /agent/returns/report and
 * /agent/returns/report.csv: returns by reason, product or disposition with
 * the money refunded, credited and kept (returns_report.h), for
 * supervisors and admins. Query: from, to (YYYY-MM-DD, both included;
 * default the last 30 days, UTC) and by.
 */
#include "console/returns_pages.h"
#include "core/arena.h"
#include "core/buf.h"
#include "domain/returns_report.h"
#include "tmpl/tval.h"
#include "web/fields.h"
#include "web/result.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* Days back the report starts when no dates are given. */
#define DEFAULT_DAYS 30

/* A query value, or the UTC date days_ago days before now as a default. */
static const char *
date_or(struct req *r, const char *name, int days_ago)
{
	const char *v = req_query(r, name);
	time_t t = time(NULL) - (time_t)days_ago * 86400;
	struct tm tm;
	char buf[16];

	if (v != NULL && *v != '\0')
		return v;
	gmtime_r(&t, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%d", &tm);
	return arena_strdup(r->arena, buf);
}

static enum return_report_by
by_of(struct req *r)
{
	const char *v = req_query(r, "by");
	int i;

	for (i = 0; v != NULL && i < RR__MAX; i++)
		if (strcmp(v, return_report_by_names[i]) == 0)
			return (enum return_report_by)i;
	return RR_REASON;
}

int
console_returns_report(struct app *app, struct req *r, struct resp *w)
{
	struct arena *a = r->arena;
	struct return_report rep;
	struct tval *ctx = app_page(app, r, "Returns report"), *list;
	const char *from = date_or(r, "from", DEFAULT_DAYS), *to = date_or(r, "to", 0);
	const char *why = NULL;
	enum return_report_by by = by_of(r);
	enum cs_result rc;
	size_t i;
	int bad = ctx == NULL || from == NULL || to == NULL || (list = tval_list(a)) == NULL;

	if (bad)
		return 500;
	rc = returns_report(&app->db, a, from, to, by, &rep, &why);
	if (rc != CS_OK && rc != CS_REFUSED)
		return web_result_status(rc);
	for (i = 0; rc == CS_OK && i < rep.n; i++) {
		struct tval *m = tval_map(a);
		const struct return_report_row *x = &rep.rows[i];

		bad |= m == NULL;
		if (bad)
			break;
		bad |= tval_set_str(a, m, "label", x->label) | tval_set_int(a, m, "returns", x->returns) |
		    tval_set_int(a, m, "asked", x->asked) | tval_set_int(a, m, "received", x->received) |
		    tval_set_str(a, m, "refund", x->refund) | tval_set_str(a, m, "credit", x->credit) |
		    tval_set_str(a, m, "fee", x->fee) | tval_push(a, list, m);
	}
	bad |= tval_set_str(a, ctx, "from", from) | tval_set_str(a, ctx, "to", to);
	bad |= tval_set(a, ctx, "rows", list) | tval_set_bool(a, ctx, "has_rows", rc == CS_OK &&
	    rep.n > 0);
	bad |= tval_set(a, ctx, "by_options", fields_select(a, return_report_by_names,
	    return_report_by_labels, RR__MAX, return_report_by_names[by]));
	bad |= tval_set_str(a, ctx, "by_label", return_report_by_labels[by]);
	if (rc == CS_OK)
		bad |= tval_set_str(a, ctx, "csv_url", arena_printf(a,
		    "/agent/returns/report.csv?from=%s&to=%s&by=%s", from, to,
		    return_report_by_names[by]));
	else
		bad |= tval_set_str(a, ctx, "error", why);
	if (bad)
		return 500;
	w->status = rc == CS_OK ? 200 : 422;
	return app_render(app, r, w, "console/returns/report", ctx);
}

int
console_returns_report_csv(struct app *app, struct req *r, struct resp *w)
{
	struct return_report rep;
	const char *from = date_or(r, "from", DEFAULT_DAYS), *to = date_or(r, "to", 0);
	const char *why = NULL;
	enum return_report_by by = by_of(r);
	enum cs_result rc;

	if (from == NULL || to == NULL)
		return 500;
	rc = returns_report(&app->db, r->arena, from, to, by, &rep, &why);
	if (rc != CS_OK)
		return web_result_status(rc);
	buf_reset(&w->body);
	returns_report_csv(&rep, &w->body);
	if (buf_failed(&w->body))
		return 500;
	w->status = 200;
	w->content_type = "text/csv; charset=utf-8";
	resp_header(w, "Content-Disposition", arena_printf(r->arena,
	    "attachment; filename=\"returns-by-%s-%s-%s.csv\"", return_report_by_names[by],
	    rep.from, rep.to));
	return 0;
}
