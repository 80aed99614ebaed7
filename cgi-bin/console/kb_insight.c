/*
 * kb_insight.c — how the knowledge base is doing: GET /agent/kb/insight
 * (every report on one page) and GET /agent/kb/insight/{name}.csv (one
 * report as CSV). ?days= sets the window for searches (default 30).
 */
#include "console/handlers.h"
#include "core/arena.h"
#include "core/buf.h"
#include "domain/kb_insight.h"
#include "domain/ticket_csv.h"
#include "tmpl/tval.h"
#include "web/fields.h"
#include "web/result.h"

#include <stdio.h>
#include <string.h>

#define INSIGHT_ROWS 20
#define INSIGHT_CSV_ROWS 10000
#define INSIGHT_DAYS 30
#define INSIGHT_DAYS_MAX 3650

/* ?days=, 1 .. INSIGHT_DAYS_MAX (absent: INSIGHT_DAYS). 0, or -1 when it is not one. */
static int
days_of(const struct req *r, long long *days)
{
	const char *s = req_query(r, "days");

	if (web_query_key(r, "days", days) < 0 || *days > INSIGHT_DAYS_MAX ||
	    (*days == 0 && s != NULL && s[0] != '\0'))
		return -1;
	if (*days == 0)
		*days = INSIGHT_DAYS;
	return 0;
}

int
console_kb_insight(struct app *app, struct req *r, struct resp *w)
{
	struct tval *ctx = app_page(app, r, "Knowledge-base insight"), *reports;
	struct kb_report_table t;
	long long days;
	enum cs_result rc;
	int k;
	size_t i, c;

	if (ctx == NULL || (reports = tval_list(r->arena)) == NULL)
		return 500;
	if (days_of(r, &days) < 0)
		return app_bad_query(app, r, w, "days", NULL, NULL);
	for (k = 0; k < KB_REPORT__MAX; k++) {
		struct tval *m = tval_map(r->arena), *cols = tval_list(r->arena),
		    *rows = tval_list(r->arena);

		rc = kb_report_run(&app->db, r->arena, (enum kb_report)k, (int)days, INSIGHT_ROWS,
		    &t);
		if (rc != CS_OK)
			return web_result_status(rc);
		for (c = 0; c < t.ncols; c++)
			tval_push(r->arena, cols, tval_str(r->arena, t.cols[c]));
		for (i = 0; i < t.nrows; i++) {
			struct tval *cells = tval_list(r->arena);

			for (c = 0; c < t.ncols; c++)
				tval_push(r->arena, cells, tval_str(r->arena, t.rows[i][c]));
			tval_push(r->arena, rows, cells);
		}
		tval_set_str(r->arena, m, "name", t.name);
		tval_set_str(r->arena, m, "title", t.title);
		tval_set(r->arena, m, "cols", cols);
		tval_set(r->arena, m, "rows", rows);
		tval_set_bool(r->arena, m, "empty", t.nrows == 0);
		tval_set_str(r->arena, m, "csv", arena_printf(r->arena,
		    "/agent/kb/insight/%s.csv?days=%lld", t.name, days));
		tval_push(r->arena, reports, m);
	}
	tval_set(r->arena, ctx, "reports", reports);
	tval_set_int(r->arena, ctx, "days", days);
	return app_render(app, r, w, "console/kb/insight", ctx);
}

int
console_kb_insight_csv(struct app *app, struct req *r, struct resp *w)
{
	const char *file = req_param(r, "name"), *dot;
	struct kb_report_table t;
	enum kb_report k;
	long long days;
	enum cs_result rc;
	size_t i, c;

	if (file == NULL || (dot = strrchr(file, '.')) == NULL || strcmp(dot, ".csv") != 0)
		return 404;
	k = kb_report_by_name(arena_strndup(r->arena, file, (size_t)(dot - file)));
	if (k == KB_REPORT__MAX)
		return 404;
	if (days_of(r, &days) < 0)
		return app_bad_query(app, r, w, "days", NULL, NULL);
	if ((rc = kb_report_run(&app->db, r->arena, k, (int)days, INSIGHT_CSV_ROWS, &t)) != CS_OK)
		return web_result_status(rc);
	w->content_type = "text/csv; charset=utf-8";
	resp_header(w, "Content-Disposition", arena_printf(r->arena,
	    "attachment; filename=\"kb-%s.csv\"", t.name));
	for (c = 0; c < t.ncols; c++) {
		if (c > 0)
			buf_addch(&w->body, ',');
		ticket_csv_field(&w->body, t.cols[c]);
	}
	buf_addstr(&w->body, "\r\n");
	for (i = 0; i < t.nrows; i++) {
		for (c = 0; c < t.ncols; c++) {
			if (c > 0)
				buf_addch(&w->body, ',');
			ticket_csv_field(&w->body, t.rows[i][c]);
		}
		buf_addstr(&w->body, "\r\n");
	}
	return 0;
}
