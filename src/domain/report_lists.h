/*
 * report_lists.h — the reports that are lists rather than metrics over
 * the rollup: top customers, repeat issues, KB effectiveness, warranty
 * claims by product and field service performance. Each is a table of
 * text cells for a range of days (in the metrics time zone, as every
 * report's), shown on /agent/analytics beside the metric reports and
 * exported through the same grid (report_export.h), so the page, the CSV,
 * the XLSX and the PDF hold the same cells.
 *
 * Functions return an enum cs_result: CS_OK, CS_REFUSED (with *why), or
 * CS_DB_LOST / CS_FAILED (logged). Strings live in the arena.
 */
#ifndef CSDESK_REPORT_LISTS_H
#define CSDESK_REPORT_LISTS_H

#include "core/result.h"
#include "domain/report_export.h"

struct arena;
struct db;

enum report_list {
	RL_TOP_CUSTOMERS,
	RL_REPEAT_ISSUES,
	RL_KB,
	RL_WARRANTY,
	RL_FIELD,
	RL__MAX
};

/* Most rows a list shows (its first, by its own order). */
#define REPORT_LIST_ROWS 100

/* Days a list covers when no dates are given (up to today). */
#define REPORT_LIST_DAYS 30

struct report_list_def {
	const char *id;		/* "top_customers": in URLs */
	const char *title;
	const char *about;	/* the sentence under the title: what is counted */
};

/* The list l; NULL when out of range. */
const struct report_list_def *report_list_def(enum report_list l);

/* The list called id; RL__MAX when there is none. */
enum report_list report_list_parse(const char *id);

/*
 * Runs list l over from … to (analytics_dates: "YYYY-MM-DD", empty for the
 * last REPORT_LIST_DAYS days) into *g, its subtitle the range used
 * (*from_out, *to_out). CS_REFUSED with *why for dates that are not
 * dates, in the wrong order or over two years apart.
 */
enum cs_result report_list_run(struct db *db, struct arena *a, const char *zone,
    enum report_list l, const char *from, const char *to, struct report_grid *g,
    const char **from_out, const char **to_out, const char **why);

#endif
