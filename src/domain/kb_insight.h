/*
 * kb_insight.h — how the knowledge base is doing: most viewed, most and
 * least helpful articles, top searches, top searches that found nothing,
 * and the deflection rate of the new-ticket form's suggestions. Each
 * report is a small table of strings, the same for the page and its CSV.
 */
#ifndef CSDESK_KB_INSIGHT_H
#define CSDESK_KB_INSIGHT_H

#include <stddef.h>

#include "core/result.h"

struct arena;
struct db;

enum kb_report {
	KB_REPORT_VIEWED,
	KB_REPORT_HELPFUL,
	KB_REPORT_UNHELPFUL,
	KB_REPORT_SEARCHES,
	KB_REPORT_EMPTY_SEARCHES,
	KB_REPORT_DEFLECTION,
	KB_REPORT_AUTO_ANSWERS,		/* low-priority acknowledgements with articles */
	KB_REPORT__MAX
};

#define KB_REPORT_COLS_MAX 6

struct kb_report_table {
	const char *name;		/* "most-viewed": the CSV's file name */
	const char *title;		/* "Most viewed articles" */
	size_t ncols, nrows;
	const char *cols[KB_REPORT_COLS_MAX];
	const char ***rows;		/* nrows rows of ncols cells */
};

/* The report for a CSV name ("most-viewed"); KB_REPORT__MAX if none. */
enum kb_report kb_report_by_name(const char *name);

/*
 * Runs report over the last days days (searches and deflection; article
 * counters are totals), at most limit rows. CS_OK, CS_NOT_FOUND (no such
 * report), or the failure (logged).
 */
enum cs_result kb_report_run(struct db *db, struct arena *a, enum kb_report report, int days, int limit,
    struct kb_report_table *out);

#endif
