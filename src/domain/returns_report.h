/*
 * returns_report.h — returns by reason, by product or by disposition over
 * the days returns were asked for: how many returns, units asked and
 * received, and the money refunded, credited and kept as restocking fees;
 * on the console's returns report page and as CSV.
 *
 * By disposition the unit is the row: a line's refund and credit are
 * shared among its units refunded or credited, its fee among all its
 * units. Money is text ("68.00") summed in PostgreSQL.
 */
#ifndef CSDESK_RETURNS_REPORT_H
#define CSDESK_RETURNS_REPORT_H

#include <stddef.h>

#include "core/result.h"

struct arena;
struct buf;
struct db;

enum return_report_by { RR_REASON, RR_PRODUCT, RR_DISPOSITION, RR__MAX };
/* As the form sends them ("reason") and as people read them ("Reason"); NULL-ended. */
extern const char *const return_report_by_names[RR__MAX + 1];
extern const char *const return_report_by_labels[RR__MAX];

/* Longest period one report covers, in days. */
#define RETURN_REPORT_DAYS_MAX 3660

struct return_report_row {
	const char *label;		/* a reason's, product's or disposition's words */
	long long returns, asked, received;
	const char *refund, *credit, *fee;
};

struct return_report {
	const char *from, *to;		/* YYYY-MM-DD, both days included (UTC) */
	enum return_report_by by;
	struct return_report_row *rows;
	size_t n;
};

/*
 * The report of from..to by by. CS_OK; CS_REFUSED (a date that is not one,
 * to before from, a period over RETURN_REPORT_DAYS_MAX: *why); or the
 * failure.
 */
enum cs_result returns_report(struct db *db, struct arena *a, const char *from, const char *to,
    enum return_report_by by, struct return_report *rep, const char **why);

/* rep as CSV (RFC 4180, a header row, CRLF) appended to out. Cannot fail (out records it). */
void returns_report_csv(const struct return_report *rep, struct buf *out);

#endif
