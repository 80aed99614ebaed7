/*
 * report_export.h — a report's table (analytics_table for a report_def)
 * as CSV, XLSX and PDF. All three write the same cells in the same order:
 * the totals over the range first (period "Total"), then each period,
 * newest first; a column per metric of the report, headed with its label
 * and unit. Values are the text PostgreSQL made (analytics.h), written as
 * numbers in XLSX (with as many decimals), so every export, the page and
 * the mail show one number for one filter.
 */
#ifndef CSDESK_REPORT_EXPORT_H
#define CSDESK_REPORT_EXPORT_H

#include <stddef.h>

#include "core/result.h"

struct analytics_table;
struct buf;
struct report_def;

/* The formats a report exports to. */
enum report_format {
	RF_CSV,
	RF_XLSX,
	RF_PDF,
	RF__MAX
};

/* "csv", "xlsx", "pdf" ↔ enum; RF__MAX when unknown. */
enum report_format report_format_parse(const char *name);
const char *report_format_name(enum report_format f);
/* The Content-Type of format f. */
const char *report_format_type(enum report_format f);

/*
 * A table to export: what every report becomes before it is written, so
 * the three formats write the same cells. Strings point into the
 * caller's data.
 */
struct report_grid {
	const char *title;	/* the PDF's heading, the XLSX sheet's name */
	const char *subtitle;	/* the PDF's line under it: the filter */
	size_t ncols, nrows;
	const char *const *cols;	/* ncols headings */
	const unsigned char *numeric;	/* per column: numbers made by PostgreSQL */
	const char *const *cells;	/* nrows × ncols, row by row; NULL: not measured */
};

/*
 * Appends g in format f to out: CSV (RFC 4180, a text cell quoted as
 * needed and kept from being read as a formula, a numeric one as it is,
 * not measured empty), XLSX (numeric cells as numbers with as many
 * decimals as their text), PDF (A4 landscape, "–" for not measured).
 * An XLSX or PDF is made by a child process, which alone opens
 * libxlsxwriter or cairo (and fontconfig, the fonts): the caller's memory
 * stays as it was. CS_OK, or CS_FAILED (logged: out of memory, no
 * temporary file for the workbook, cairo's error, no process or pipe).
 */
enum cs_result report_grid_export(const struct report_grid *g, enum report_format f,
    struct buf *out);

/* The report d over t as a grid, then report_grid_export. Same results. */
enum cs_result report_export(const struct report_def *d, const struct analytics_table *t,
    enum report_format f, struct buf *out);

#endif
