/* analytics.c — see analytics.h. */
#include "domain/analytics.h"
#include "domain/surveys.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/metrics.h"

#include <stdio.h>
#include <string.h>

enum stmt {
	ST_ROLLUP,
	ST_DUE,
	ST_RANGE,
	ST_ROWS,
	ST_TOTALS,
	ST__MAX
};

/* The first day of the period a day is in; $4 is the grain. */
#define PERIOD "CASE $4 WHEN 'week' THEN date_trunc('week', d.day)::date" \
	" WHEN 'month' THEN date_trunc('month', d.day)::date ELSE d.day END"
/* What people read for a key of dimension $1. */
#define KEY_NAME "CASE $1 WHEN 'all' THEN 'All tickets'" \
	" WHEN 'team' THEN coalesce((SELECT name FROM teams WHERE id::text = g.key), 'No team')" \
	" WHEN 'agent' THEN coalesce((SELECT name FROM staff WHERE id::text = g.key)," \
	" 'Unassigned')" \
	" WHEN 'queue' THEN coalesce((SELECT name FROM queues WHERE id::text = g.key)," \
	" 'No queue')" \
	" WHEN 'category' THEN coalesce((SELECT coalesce(p.name || ' › ', '') || c.name" \
	" FROM categories c LEFT JOIN categories p ON p.id = c.parent_id" \
	" WHERE c.id::text = g.key), 'No category')" \
	" WHEN 'type' THEN coalesce((SELECT label FROM ticket_types WHERE code = g.key), g.key)" \
	" WHEN 'product' THEN coalesce((SELECT name FROM products WHERE id::text = g.key)," \
	" 'No product')" \
	" ELSE initcap(g.key) END"
/* Columns: 1 period, 2 key, 3 name, then one per metric in enum order. */
enum { COL_PERIOD = 1, COL_KEY, COL_NAME, COL_METRIC0 };
#define METRIC_COL_(id, label, unit, good, sql, def) ", " sql " AS " #id
#define METRIC_COLS METRIC_LIST(METRIC_COL_)
#define DAYS " FROM analytics_daily d WHERE d.dimension = $1" \
	" AND d.day BETWEEN $2::date AND $3::date"

static struct db_stmt stmts[] = {
	/*
	 * Today and yesterday, and the ANALYTICS_BACKFILL_STEP most recent days
	 * of the last $2 that were never rolled up (no overall row): a first
	 * run does not hold up the batch's other steps, and the history fills
	 * in over the next runs.
	 */
	/* The last turn's time in settings; a row comes back when this is a new one. */
	[ST_DUE] = DB_STMT("analytics_rollup_due",
	    "INSERT INTO settings AS s (key, value) VALUES ('analytics_rolled_at', now()::text)"
	    " ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()"
	    " WHERE s.updated_at <= now() - make_interval(mins => $1::integer) RETURNING 1", 1),
	[ST_ROLLUP] = DB_STMT("analytics_rollup",
	    "SELECT coalesce(sum(analytics_rollup_day(v.day, $1)), 0)"
	    " FROM (SELECT (now() AT TIME ZONE $1)::date AS today) t,"
	    " LATERAL (SELECT t.today AS day UNION SELECT t.today - 1"
	    " UNION SELECT t.today - " ANALYTICS_SETTLED_AGO_SQL
	    " UNION (SELECT d::date FROM generate_series(t.today - $2::integer, t.today - 2,"
	    " interval '1 day') d WHERE NOT EXISTS (SELECT 1 FROM analytics_daily a"
	    " WHERE a.dimension = 'all' AND a.key = '' AND a.day = d::date)"
	    " ORDER BY 1 DESC LIMIT $3::integer)) v", 3),
	/* The range with its defaults ($4 days to today in zone $3), and its length. */
	[ST_RANGE] = DB_STMT("analytics_range",
	    "SELECT NULL, to_char(f, 'YYYY-MM-DD'), to_char(t, 'YYYY-MM-DD'), t - f"
	    " FROM (SELECT coalesce($2::date, (now() AT TIME ZONE $3)::date) AS t) x,"
	    " LATERAL (SELECT coalesce($1::date, x.t - ($4::integer - 1)) AS f) y", 4),
	[ST_ROWS] = DB_STMT("analytics_rows",
	    "SELECT NULL, to_char(g.period, 'YYYY-MM-DD'), g.key, " KEY_NAME ", g.*"
	    " FROM (SELECT y.period, y.key" METRIC_COLS
	    " FROM (SELECT d.*, " PERIOD " AS period, d.day = max(d.day) OVER"
	    " (PARTITION BY " PERIOD ") AS last" DAYS ") y GROUP BY y.period, y.key) g"
	    " ORDER BY g.period DESC, 4, g.key", 4),
	[ST_TOTALS] = DB_STMT("analytics_totals",
	    "SELECT NULL, NULL, g.key, " KEY_NAME ", g.*"
	    " FROM (SELECT NULL AS period, y.key" METRIC_COLS
	    " FROM (SELECT d.*, d.day = max(d.day) OVER () AS last" DAYS ") y"
	    " GROUP BY y.key) g ORDER BY 4, g.key", 3),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");
_Static_assert(ANALYTICS_SETTLED_AGO == 15 && ANALYTICS_SETTLED_AGO > SURVEY_LINK_DAYS,
    "ANALYTICS_SETTLED_AGO_SQL, and after every link of the day has expired");

/* ", g.*" repeats period and key before the metrics. */
#define FIRST_METRIC (COL_METRIC0 + 2)

static const char *const dim_names[AD__MAX] = {
	"all", "channel", "team", "agent", "queue", "category", "product", "tier", "priority",
	"type",
};
static const char *const dim_labels[AD__MAX] = {
	"Overall", "Channel", "Team", "Agent", "Queue", "Category", "Product", "Customer tier",
	"Priority", "Ticket type",
};
static const char *const grain_names[AG__MAX] = { "day", "week", "month" };

enum analytics_dim
analytics_dim_parse(const char *name)
{
	int d;

	for (d = 0; name != NULL && d < AD__MAX; d++)
		if (strcmp(name, dim_names[d]) == 0)
			return (enum analytics_dim)d;
	return AD__MAX;
}

const char *
analytics_dim_name(enum analytics_dim d)
{
	return d < AD__MAX ? dim_names[d] : "";
}

const char *
analytics_dim_label(enum analytics_dim d)
{
	return d < AD__MAX ? dim_labels[d] : "";
}

enum analytics_grain
analytics_grain_parse(const char *name)
{
	int g;

	for (g = 0; name != NULL && g < AG__MAX; g++)
		if (strcmp(name, grain_names[g]) == 0)
			return (enum analytics_grain)g;
	return AG__MAX;
}

const char *
analytics_grain_name(enum analytics_grain g)
{
	return g < AG__MAX ? grain_names[g] : "";
}

enum cs_result
analytics_rollup_due(struct db *db, int *due)
{
	char every[16];
	const char *p[] = { every };
	PGresult *r;

	snprintf(every, sizeof(every), "%d", ANALYTICS_EVERY_MINUTES);
	*due = 0;
	if ((r = db_exec(db, &stmts[ST_DUE], p)) == NULL)
		return db_result(db);
	*due = PQntuples(r) == 1;
	PQclear(r);
	return CS_OK;
}

enum cs_result
analytics_rollup(struct db *db, const char *zone, long *changed)
{
	char days[16], step[16];
	const char *p[] = { zone, days, step };
	PGresult *r;

	*changed = 0;
	snprintf(days, sizeof(days), "%d", ANALYTICS_BACKFILL_DAYS);
	snprintf(step, sizeof(step), "%d", ANALYTICS_BACKFILL_STEP);
	/* Both days at once: a report never shows one day new and one old. */
	if (db_begin(db) < 0)
		return db_result(db);
	if ((r = db_exec(db, &stmts[ST_ROLLUP], p)) == NULL)
		return db_end(db, db_result(db));
	*changed = PQntuples(r) == 1 ? (long)db_ll(r, 0, 0) : 0;
	PQclear(r);
	return db_end(db, CS_OK);
}

static enum cs_result
fill_row(struct arena *a, const PGresult *r, int i, void *elem)
{
	struct analytics_row *row = elem;
	int failed = 0, m;

	row->period = PQgetisnull(r, i, COL_PERIOD) ? NULL : db_str(a, r, i, COL_PERIOD, &failed);
	row->key = db_str(a, r, i, COL_KEY, &failed);
	row->name = db_str(a, r, i, COL_NAME, &failed);
	for (m = 0; m < METRIC__MAX; m++)
		row->v[m] = PQgetisnull(r, i, FIRST_METRIC + m) ? NULL :
		    db_str(a, r, i, FIRST_METRIC + m, &failed);
	return failed ? CS_FAILED : CS_OK;
}

static enum cs_result
rows(struct db *db, struct arena *a, enum stmt st, const char *const *p,
    struct analytics_row **out, size_t *n)
{
	void *got;
	enum cs_result rc = db_rows(db, a, &stmts[st], p, sizeof(**out), fill_row, &got, n);

	*out = got;
	return rc;
}

/* The range of f (defaults: span days to today) into out; CS_REFUSED when too long. */
static enum cs_result
range(struct db *db, struct arena *a, const char *zone, const struct analytics_filter *f,
    int span, struct analytics_filter *out)
{
	char sp[16];
	const char *p[4];
	PGresult *r;
	long long days;
	int failed = 0;

	snprintf(sp, sizeof(sp), "%d", span);
	p[0] = f->from != NULL && *f->from != '\0' ? f->from : NULL;
	p[1] = f->to != NULL && *f->to != '\0' ? f->to : NULL;
	p[2] = zone;
	p[3] = sp;
	if ((r = db_exec(db, &stmts[ST_RANGE], p)) == NULL)
		return db_result(db);
	out->from = db_str(a, r, 0, 1, &failed);
	out->to = db_str(a, r, 0, 2, &failed);
	days = db_ll(r, 0, 3);
	PQclear(r);
	if (failed)
		return CS_FAILED;
	return days < 0 || days >= ANALYTICS_RANGE_MAX ? CS_REFUSED : CS_OK;
}

/* Checks f and fills out's range: CS_OK, CS_REFUSED (with *why) or the failure. */
static enum cs_result
prepare(struct db *db, struct arena *a, const char *zone, const struct analytics_filter *f,
    int span, struct analytics_table *out, const char **why)
{
	enum cs_result rc;

	memset(out, 0, sizeof(*out));
	out->f = *f;
	*why = "Choose a dimension and a grain from the lists.";
	if (f->dim >= AD__MAX || f->grain >= AG__MAX)
		return CS_REFUSED;
	*why = "Give the dates as YYYY-MM-DD, the first no later than the last, "
	    "at most two years apart.";
	if ((f->from != NULL && *f->from != '\0' && !metrics_date_ok(f->from)) ||
	    (f->to != NULL && *f->to != '\0' && !metrics_date_ok(f->to)))
		return CS_REFUSED;
	if ((rc = range(db, a, zone, f, span, &out->f)) != CS_OK)
		return rc;
	*why = NULL;
	return CS_OK;
}

enum cs_result
analytics_dates(struct db *db, struct arena *a, const char *zone, const char *from,
    const char *to, int days, const char **from_out, const char **to_out, const char **why)
{
	struct analytics_filter f = { AD_ALL, AG_DAY, from, to, days };
	struct analytics_table t;
	enum cs_result rc = prepare(db, a, zone, &f, days > 0 ? days : 7, &t, why);

	*from_out = t.f.from;
	*to_out = t.f.to;
	return rc;
}

/* The totals of f and, with periods set, its rows per period. */
static enum cs_result
table(struct db *db, struct arena *a, const char *zone, const struct analytics_filter *f,
    int periods, struct analytics_table *out, const char **why)
{
	const char *p[4];
	enum cs_result rc;

	if ((rc = prepare(db, a, zone, f, f->days > 0 ? f->days : 7, out, why)) != CS_OK)
		return rc;
	p[0] = analytics_dim_name(f->dim);
	p[1] = out->f.from;
	p[2] = out->f.to;
	p[3] = analytics_grain_name(f->grain);
	if ((rc = rows(db, a, ST_TOTALS, p, &out->totals, &out->ntotals)) != CS_OK || !periods)
		return rc;
	return rows(db, a, ST_ROWS, p, &out->rows, &out->nrows);
}

enum cs_result
analytics_table(struct db *db, struct arena *a, const char *zone,
    const struct analytics_filter *f, struct analytics_table *out, const char **why)
{
	return table(db, a, zone, f, 1, out, why);
}

enum cs_result
analytics_totals(struct db *db, struct arena *a, const char *zone,
    const struct analytics_filter *f, struct analytics_table *out, const char **why)
{
	return table(db, a, zone, f, 0, out, why);
}
