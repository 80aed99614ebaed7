/* kb_insight.c — see kb_insight.h. */
#include "domain/kb_insight.h"
#include "core/arena.h"
#include "db/db.h"

#include <stdio.h>
#include <string.h>

/* Helpful share: yes / (yes + no), over articles with at least one vote. */
#define SHARE "round(100.0 * a.helpful_yes / nullif(a.helpful_yes + a.helpful_no, 0))"

static struct {
	const char *name, *title;
	const char *cols[KB_REPORT_COLS_MAX];
	struct db_stmt st;
} reports[] = {
	[KB_REPORT_VIEWED] = { "most-viewed", "Most viewed articles",
	    { "Article", "Views", "Helpful %", "Votes", "Used in tickets" },
	    DB_STMT("kb_report_viewed",
	    "SELECT a.title, a.view_count, coalesce(" SHARE "::text, ''),"
	    " a.helpful_yes + a.helpful_no, a.times_used_in_tickets FROM kb_articles a"
	    " WHERE a.original_id IS NULL AND a.status = 'published' AND $1::int > 0"
	    " ORDER BY a.view_count DESC, a.id LIMIT $2", 2) },
	[KB_REPORT_HELPFUL] = { "most-helpful", "Most helpful articles",
	    { "Article", "Helpful %", "Yes", "No", "Stars" },
	    DB_STMT("kb_report_helpful",
	    "SELECT a.title, " SHARE ", a.helpful_yes, a.helpful_no,"
	    " CASE WHEN a.stars_count > 0 THEN round(a.stars_sum::numeric / a.stars_count, 1)::text"
	    " ELSE '' END FROM kb_articles a"
	    " WHERE a.original_id IS NULL AND a.helpful_yes + a.helpful_no > 0 AND $1::int > 0"
	    " ORDER BY " SHARE " DESC, a.helpful_yes DESC, a.id LIMIT $2", 2) },
	[KB_REPORT_UNHELPFUL] = { "least-helpful", "Least helpful articles",
	    { "Article", "Helpful %", "Yes", "No", "Stars" },
	    DB_STMT("kb_report_unhelpful",
	    "SELECT a.title, " SHARE ", a.helpful_yes, a.helpful_no,"
	    " CASE WHEN a.stars_count > 0 THEN round(a.stars_sum::numeric / a.stars_count, 1)::text"
	    " ELSE '' END FROM kb_articles a"
	    " WHERE a.original_id IS NULL AND a.helpful_yes + a.helpful_no > 0 AND $1::int > 0"
	    " ORDER BY " SHARE ", a.helpful_no DESC, a.id LIMIT $2", 2) },
	[KB_REPORT_SEARCHES] = { "top-searches", "Top searches",
	    { "Search", "Times", "Results (average)", "Opened %" },
	    DB_STMT("kb_report_searches",
	    "SELECT lower(query), count(*), round(avg(result_count)),"
	    " round(100.0 * count(*) FILTER (WHERE opened) / count(*)) FROM kb_searches"
	    " WHERE created_at > now() - make_interval(days => $1::int) AND source <> 'console' AND query <> ''"
	    " GROUP BY lower(query) ORDER BY count(*) DESC, lower(query) LIMIT $2", 2) },
	[KB_REPORT_EMPTY_SEARCHES] = { "no-results", "Top searches without results",
	    { "Search", "Times", "Last searched" },
	    DB_STMT("kb_report_empty",
	    "SELECT lower(query), count(*),"
	    " to_char(max(created_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') FROM kb_searches"
	    " WHERE created_at > now() - make_interval(days => $1::int) AND result_count = 0"
	    " AND source <> 'console' AND query <> ''"
	    " GROUP BY lower(query) ORDER BY count(*) DESC, lower(query) LIMIT $2", 2) },
	/*
	 * A new-ticket form that showed suggestions is one chance; a
	 * suggestion opened and no ticket sent from that form is a deflection.
	 */
	[KB_REPORT_DEFLECTION] = { "deflection", "Deflection by the new-ticket form",
	    { "Forms with suggestions", "Suggestion opened", "Ticket sent anyway", "Deflected",
	    "Deflection rate %" },
	    DB_STMT("kb_report_deflection",
	    "SELECT count(*), count(*) FILTER (WHERE opened),"
	    " count(*) FILTER (WHERE opened AND ticket_id IS NOT NULL),"
	    " count(*) FILTER (WHERE opened AND ticket_id IS NULL),"
	    " coalesce(round(100.0 * count(*) FILTER (WHERE opened AND ticket_id IS NULL)"
	    " / nullif(count(*), 0), 1)::text, '')"
	    " FROM kb_searches WHERE source = 'ticket_form' AND result_count > 0"
	    " AND created_at > now() - make_interval(days => $1::int) AND $2::int > 0", 2) },
	/*
	 * A low-priority ticket's acknowledgement that carried articles
	 * (kb_auto_answer.h) is one chance; its "this solved it" link used
	 * is a deflection.
	 */
	[KB_REPORT_AUTO_ANSWERS] = { "auto-answers", "Deflection by automatic answers",
	    { "Answers sent", "Solved by the articles", "Deflection rate %" },
	    DB_STMT("kb_report_auto_answers",
	    "SELECT count(*), count(*) FILTER (WHERE solved_at IS NOT NULL),"
	    " coalesce(round(100.0 * count(*) FILTER (WHERE solved_at IS NOT NULL)"
	    " / nullif(count(*), 0), 1)::text, '')"
	    " FROM kb_auto_answers WHERE sent_at > now() - make_interval(days => $1::int)"
	    " AND $2::int > 0", 2) },
};
_Static_assert(sizeof(reports) / sizeof(reports[0]) == KB_REPORT__MAX, "a report per enum");

enum kb_report
kb_report_by_name(const char *name)
{
	int i;

	for (i = 0; name != NULL && i < KB_REPORT__MAX; i++)
		if (strcmp(name, reports[i].name) == 0)
			return (enum kb_report)i;
	return KB_REPORT__MAX;
}

/*
 * One row of a report: a table of strings under its headers, so column k
 * is cols[k] (each statement's SELECT list is its report's columns).
 */
static enum cs_result
fill_cells(struct arena *a, const PGresult *res, int i, void *elem)
{
	int k, n = PQnfields(res), failed = 0;
	const char **cells = arena_calloc(a, (size_t)n + 1, sizeof(*cells));

	if (cells == NULL)
		return CS_FAILED;
	for (k = 0; k < n; k++)
		cells[k] = db_str(a, res, i, k, &failed);
	*(const char ***)elem = cells;
	return failed ? CS_FAILED : CS_OK;
}

enum cs_result
kb_report_run(struct db *db, struct arena *a, enum kb_report report, int days, int limit,
    struct kb_report_table *out)
{
	char d[16], l[16];
	const char *p[] = { d, l };
	void *rows;
	enum cs_result rc;
	size_t k;

	memset(out, 0, sizeof(*out));
	if (report < 0 || report >= KB_REPORT__MAX)
		return CS_NOT_FOUND;
	out->name = reports[report].name;
	out->title = reports[report].title;
	for (k = 0; k < KB_REPORT_COLS_MAX && reports[report].cols[k] != NULL; k++)
		out->cols[k] = reports[report].cols[k];
	out->ncols = k;
	snprintf(d, sizeof(d), "%d", days);
	snprintf(l, sizeof(l), "%d", limit);
	rc = db_rows(db, a, &reports[report].st, p, sizeof(*out->rows), fill_cells, &rows,
	    &out->nrows);
	out->rows = rows;
	return rc;
}
