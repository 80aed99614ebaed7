/*
 * analytics.h — the analytics rollup (analytics_daily, 037) and the one
 * query every report, export, mailed report and KPI reads it through.
 *
 * The batch rolls up yesterday and today every minute (and fills in the
 * ANALYTICS_BACKFILL_DAYS before, a few days a run). A table is the metrics of
 * metric_defs.h for one dimension (everything, channel, team, agent,
 * queue, category, product, customer tier, priority, ticket type), per period (day,
 * ISO week, month) and over the whole range, computed by PostgreSQL from
 * the same formulas; values are text with fixed decimals (NULL: not
 * measured).
 *
 * Functions return an enum cs_result: CS_OK, CS_REFUSED (with a sentence
 * in *why), or CS_DB_LOST / CS_FAILED (logged). Strings live in the arena.
 */
#ifndef CSDESK_ANALYTICS_H
#define CSDESK_ANALYTICS_H

#include <stddef.h>

#include "core/result.h"
#include "domain/metric_defs.h"

struct arena;
struct db;

/* Days before today the rollup fills when they were never rolled up … */
#define ANALYTICS_BACKFILL_DAYS 60
/* … at most this many per run, so that a first run stays short. */
#define ANALYTICS_BACKFILL_STEP 7

/*
 * The day this many days ago is rolled up again every run: the survey
 * invitations sent on it have all expired (14 days), so its response
 * rate is final from then on (until then it counts the answers given by
 * the time the day was last rolled up).
 */
#define ANALYTICS_SETTLED_AGO 15
#define ANALYTICS_SETTLED_AGO_SQL "15"

/* Longest range a table covers, in days. */
#define ANALYTICS_RANGE_MAX 731

enum analytics_dim {
	AD_ALL,
	AD_CHANNEL,
	AD_TEAM,
	AD_AGENT,
	AD_QUEUE,
	AD_CATEGORY,
	AD_PRODUCT,
	AD_TIER,
	AD_PRIORITY,
	AD_TYPE,	/* the ticket type (046) */
	AD__MAX
};

enum analytics_grain {
	AG_DAY,
	AG_WEEK,
	AG_MONTH,
	AG__MAX
};

/* Names ("team", "week") ↔ values; __MAX when unknown. */
enum analytics_dim analytics_dim_parse(const char *name);
const char *analytics_dim_name(enum analytics_dim d);
const char *analytics_dim_label(enum analytics_dim d);
enum analytics_grain analytics_grain_parse(const char *name);
const char *analytics_grain_name(enum analytics_grain g);

/*
 * Rolls up yesterday and today in zone, and up to ANALYTICS_BACKFILL_STEP
 * days of the last ANALYTICS_BACKFILL_DAYS never rolled up, in one
 * transaction. *changed: rows inserted, updated or removed.
 */
enum cs_result analytics_rollup(struct db *db, const char *zone, long *changed);

/*
 * Whether the batch should roll up now: at most once every
 * ANALYTICS_EVERY_MINUTES (today's figures, the backlog snapshot among
 * them, read every open ticket: at a million tickets that is seconds of
 * work, not something to repeat every minute). Claims the turn when it
 * says yes (*due 1). CS_OK or the failure.
 */
#define ANALYTICS_EVERY_MINUTES 5
enum cs_result analytics_rollup_due(struct db *db, int *due);

/*
 * What a table is asked for. from/to "YYYY-MM-DD" or NULL/"": to defaults
 * to today, from to days days up to to (days 0: 7).
 */
struct analytics_filter {
	enum analytics_dim dim;
	enum analytics_grain grain;
	const char *from, *to;
	int days;
};

struct analytics_row {
	const char *period;	/* first day of the period; NULL in totals */
	const char *key;	/* the stored key ("12", "email", "") */
	const char *name;	/* what people read ("Service Desk", "No team") */
	const char *v[METRIC__MAX];	/* NULL: not measured */
};

struct analytics_table {
	struct analytics_filter f;	/* as asked, dates filled in */
	struct analytics_row *totals;	/* per key over the range, by name */
	size_t ntotals;
	struct analytics_row *rows;	/* per period and key, newest first */
	size_t nrows;
};

/*
 * The table for f, dates read in zone. CS_REFUSED with *why: an unknown
 * dimension or grain, a date that is not one, from after to, or a range
 * longer than ANALYTICS_RANGE_MAX days.
 */
enum cs_result analytics_table(struct db *db, struct arena *a, const char *zone,
    const struct analytics_filter *f, struct analytics_table *out, const char **why);

/*
 * The dates from and to ("YYYY-MM-DD", NULL or "": to is today in zone,
 * from days days before it) checked and filled in as analytics_table
 * reads them, for reports over the same range that do not read the
 * rollup. CS_REFUSED with *why as analytics_table's.
 */
enum cs_result analytics_dates(struct db *db, struct arena *a, const char *zone,
    const char *from, const char *to, int days, const char **from_out, const char **to_out,
    const char **why);

/* analytics_table without the rows per period (nrows 0): what tiles and panels read. */
enum cs_result analytics_totals(struct db *db, struct arena *a, const char *zone,
    const struct analytics_filter *f, struct analytics_table *out, const char **why);

#endif
