/*
 * parts_reports.c — GET /agent/reports/field: the field service and parts
 * reports (per technician, parts usage by ticket, technician or customer,
 * slow movers, shortages that delayed jobs) over a period; GET
 * /agent/reports/field.csv the same report as CSV. Supervisors and admins
 * (cgi-bin/console.c). Query: report (its slug; default technicians),
 * from and to (YYYY-MM-DD, inclusive; default the last 30 days).
 */
#include "console/handlers.h"
#include "core/arena.h"
#include "core/buf.h"
#include "domain/parts_reports.h"
#include "tmpl/tval.h"
#include "web/result.h"

#include <string.h>
#include <time.h>

/* The report asked for, and its period (defaults filled in). 0 or 404. */
static int
ask_of(struct req *r, enum parts_report *k, const char **from, const char **to)
{
	const char *slug = req_query(r, "report");
	time_t now = time(NULL), then = now - 30 * 86400;
	struct tm tm;

	*k = slug == NULL || *slug == '\0' ? PARTS_REPORT_TECHNICIANS : parts_report_parse(slug);
	if (*k >= PARTS_REPORT__MAX)
		return 404;
	*from = req_query(r, "from");
	*to = req_query(r, "to");
	if (*from == NULL || **from == '\0') {
		gmtime_r(&then, &tm);
		*from = arena_printf(r->arena, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1,
		    tm.tm_mday);
	}
	if (*to == NULL || **to == '\0') {
		gmtime_r(&now, &tm);
		*to = arena_printf(r->arena, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1,
		    tm.tm_mday);
	}
	return 0;
}

static struct tval *
table_of(struct arena *a, const struct parts_table *t)
{
	struct tval *heads = tval_list(a), *rows = tval_list(a), *m = tval_map(a);
	size_t i, j;
	int rc = heads == NULL || rows == NULL || m == NULL;

	for (j = 0; !rc && j < t->ncols; j++)
		rc |= tval_push(a, heads, tval_str(a, j == 0 && t->key_head != NULL ? t->key_head :
		    t->heads[j]));
	for (i = 0; !rc && i < t->n; i++) {
		struct tval *cells = tval_list(a), *row = tval_map(a);

		for (j = 0; cells != NULL && j < t->ncols; j++)
			rc |= tval_push(a, cells, tval_str(a, t->rows[i][j] != NULL ? t->rows[i][j] : ""));
		rc |= cells == NULL || row == NULL || tval_set_str(a, row, "first", t->rows[i][0]) ||
		    tval_set(a, row, "cells", cells) || tval_push(a, rows, row);
	}
	rc |= tval_set(a, m, "heads", heads) | tval_set(a, m, "rows", rows) |
	    tval_set_bool(a, m, "empty", t->n == 0) | tval_set_str(a, m, "title", t->title);
	return rc ? NULL : m;
}

int
console_parts_reports(struct app *app, struct req *r, struct resp *w)
{
	struct tval *ctx = app_page(app, r, "Field service reports"), *list;
	struct arena *a = r->arena;
	struct parts_table t;
	enum parts_report k;
	const char *from, *to, *why = NULL;
	enum cs_result got;
	int rc, i;

	if (ctx == NULL || (list = tval_list(a)) == NULL)
		return 500;
	if ((rc = ask_of(r, &k, &from, &to)) != 0)
		return rc;
	got = parts_report(&app->db, a, k, from, to, &t, &why);
	if (got != CS_OK && got != CS_REFUSED)
		return web_result_status(got);
	for (i = 0; i < PARTS_REPORT__MAX; i++) {
		struct tval *m = tval_map(a);

		rc |= m == NULL || tval_set_str(a, m, "slug", parts_report_slug(i)) ||
		    tval_set_str(a, m, "title", parts_report_title(i)) ||
		    tval_set_bool(a, m, "selected", (int)k == i) || tval_push(a, list, m);
	}
	rc |= tval_set(a, ctx, "reports", list);
	rc |= tval_set_str(a, ctx, "from", from) | tval_set_str(a, ctx, "to", to);
	rc |= tval_set_str(a, ctx, "report", parts_report_slug(k));
	rc |= tval_set(a, ctx, "error", tval_str(a, why));
	if (got == CS_OK)
		rc |= tval_set(a, ctx, "table", table_of(a, &t)) |
		    tval_set_str(a, ctx, "csv", arena_printf(a,
		    "/agent/reports/field.csv?report=%s&from=%s&to=%s", parts_report_slug(k), from, to));
	if (rc)
		return 500;
	w->status = got == CS_OK ? 200 : 422;
	return app_render(app, r, w, "console/parts/reports", ctx);
}

int
console_parts_reports_csv(struct app *app, struct req *r, struct resp *w)
{
	struct parts_table t;
	enum parts_report k;
	const char *from, *to, *why = NULL;
	enum cs_result got;
	int st;

	if ((st = ask_of(r, &k, &from, &to)) != 0)
		return st;
	got = parts_report(&app->db, r->arena, k, from, to, &t, &why);
	if (got == CS_REFUSED)
		return 400;
	if (got != CS_OK)
		return web_result_status(got);
	buf_reset(&w->body);
	parts_report_csv(&t, &w->body);
	w->status = 200;
	w->content_type = "text/csv; charset=utf-8";
	resp_header(w, "Content-Disposition", arena_printf(r->arena,
	    "attachment; filename=\"field-%s-%s-%s.csv\"", parts_report_slug(k), from, to));
	resp_header(w, "Cache-Control", "private, no-store");
	return buf_failed(&w->body) ? 500 : 0;
}
