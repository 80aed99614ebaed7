/*
 * parts_reports.h — field service and parts reports over a period of days
 * (from and to inclusive, "YYYY-MM-DD"): one table each, for the page and
 * for CSV. See docs/parts.md for what each figure means.
 */
#ifndef CSDESK_PARTS_REPORTS_H
#define CSDESK_PARTS_REPORTS_H

#include <stddef.h>

#include "core/result.h"

struct arena;
struct buf;
struct db;

enum parts_report {
	PARTS_REPORT_TECHNICIANS,	/* per technician: visits, fixes, times, money */
	PARTS_REPORT_BY_TICKET,		/* parts used, per ticket */
	PARTS_REPORT_BY_TECHNICIAN,
	PARTS_REPORT_BY_CUSTOMER,
	PARTS_REPORT_SLOW,		/* stock that has not gone out since from */
	PARTS_REPORT_SHORTAGES,		/* part requests: how long the jobs waited */
	PARTS_REPORT__MAX
};

/* "technicians", "by-ticket", … ↔ enum; PARTS_REPORT__MAX when unknown. */
enum parts_report parts_report_parse(const char *slug);
const char *parts_report_slug(enum parts_report k);
const char *parts_report_title(enum parts_report k);

struct parts_table {
	const char *title;
	const char *const *heads;	/* ncols column heads */
	const char *key_head;		/* the first column's head when heads[0] is "" */
	size_t ncols, n;
	const char ***rows;		/* n rows of ncols texts */
};

/*
 * Report k from from to to (inclusive). CS_REFUSED with *why for a period
 * that is not one; CS_NOT_FOUND for an unknown k. At most 1000 rows.
 */
enum cs_result parts_report(struct db *db, struct arena *a, enum parts_report k,
    const char *from, const char *to, struct parts_table *out, const char **why);

/* t as CSV (a head line, then a line per row) appended to out. */
void parts_report_csv(const struct parts_table *t, struct buf *out);

#endif
