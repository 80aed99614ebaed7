/*
 * metrics.h — the daily service metrics (service_metrics_daily, 010): the
 * batch job's rollup and the reports that read it.
 *
 * What each number means is defined once, in metrics_rollup_day() of
 * 010_notifications_metrics.sql: per calendar day of the metrics time zone
 * (ops_settings.h) and per dimension — everything ('all'), per channel,
 * per team, per agent — tickets created, resolved and closed that day, the
 * backlog open at its end, first-response and resolution times (average
 * and median, seconds), first-contact resolutions (resolved with exactly
 * one public staff reply and never reopened), reopened resolutions, and
 * the ratings given. A ticket counts for its current channel, team and
 * agent.
 *
 * Functions return an enum cs_result: CS_OK, CS_REFUSED (with a sentence
 * for the person in *why), or CS_DB_LOST / CS_FAILED (logged). Strings
 * come back in the arena given.
 */
#ifndef CSDESK_METRICS_H
#define CSDESK_METRICS_H

#include <stddef.h>

#include "core/result.h"

struct arena;
struct buf;
struct db;

/* Longest report, in days. */
#define METRICS_RANGE_MAX 366

/* Days rolled up by the first run on an empty table, so reports start with history. */
#define METRICS_BACKFILL_DAYS 30

/*
 * Rolls up yesterday and today (in zone) again — or, while the table is
 * empty, the METRICS_BACKFILL_DAYS days before today too: an upsert that
 * changes only what differs, so a second run changes nothing. Sets
 * *changed to the rows it inserted, updated or removed. Its cost follows
 * those days' tickets and the open backlog, not the size of the ticket
 * table.
 */
enum cs_result metrics_rollup(struct db *db, const char *zone, long *changed);

enum metrics_dim {
	METRICS_ALL,
	METRICS_CHANNEL,
	METRICS_TEAM,
	METRICS_AGENT,
	METRICS_DIM__MAX
};

/* "all", "channel", "team", "agent" → enum; METRICS_DIM__MAX when unknown. */
enum metrics_dim metrics_dim_parse(const char *name);
const char *metrics_dim_name(enum metrics_dim d);

/*
 * One row of a report: one key of the dimension, for one day (the daily
 * rows) or the whole range (the totals). Numbers that could not be
 * measured (no first response, nothing resolved, no rating) are NULL
 * strings; times are whole seconds, rates fractions with 3 decimals.
 */
struct metrics_row {
	const char *day;		/* "2026-01-31"; NULL in totals */
	const char *key;		/* stored key: channel name, team id, staff id, "" */
	const char *name;		/* what people read: "Service Desk", "Unassigned" */
	long long created, resolved, closed, backlog, first_responses;
	const char *first_response_avg, *first_response_median;
	const char *resolution_avg, *resolution_median;
	long long first_contact, reopened, ratings;
	const char *first_contact_rate, *reopen_rate, *rating_avg;
};

struct metrics_report {
	const char *from, *to;		/* the range, inclusive, "YYYY-MM-DD" */
	enum metrics_dim dim;
	struct metrics_row *totals;	/* per key over the range, by name */
	size_t ntotals;
	struct metrics_row *days;	/* per day and key, newest day first */
	size_t ndays;
};

/*
 * The report for days from … to (inclusive; "YYYY-MM-DD", NULL or "":
 * the 7 days up to today in zone) and dimension dim. Totals add the
 * counts up, weight the averages by what they measured and take the
 * backlog of the last day; medians are only in the daily rows (a median
 * of medians means nothing). CS_REFUSED, with *why: dim unknown
 * (METRICS_DIM__MAX), a date that is not one, from after to, or more than
 * METRICS_RANGE_MAX days.
 */
enum cs_result metrics_report(struct db *db, struct arena *a, const char *zone,
    const char *from, const char *to, enum metrics_dim dim, struct metrics_report *out,
    const char **why);

/*
 * The daily rows of rep as CSV (RFC 4180: CRLF line ends, a header line,
 * fields quoted where needed) appended to out. Check buf_failed(out).
 */
void metrics_report_csv(const struct metrics_report *rep, struct buf *out);

/* Non-zero when s is a real calendar date written YYYY-MM-DD. */
int metrics_date_ok(const char *s);

#endif
