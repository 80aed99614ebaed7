/* metrics.c — see metrics.h. */
#include "domain/metrics.h"
#include "core/arena.h"
#include "core/buf.h"
#include "db/db.h"
#include "domain/ticket_csv.h"

#include <stdio.h>
#include <string.h>

enum stmt {
	ST_ROLLUP,
	ST_RANGE,
	ST_DAYS,
	ST_TOTALS,
	ST__MAX
};

/* What people read for a key. */
#define KEY_NAME \
	"CASE m.dimension WHEN 'all' THEN 'All tickets' WHEN 'channel' THEN m.key" \
	" WHEN 'team' THEN coalesce(tm.name, 'No team')" \
	" ELSE coalesce(s.name, 'Unassigned') END"
#define FROM_METRICS \
	" FROM service_metrics_daily m" \
	" LEFT JOIN teams tm ON m.dimension = 'team' AND tm.id::text = m.key" \
	" LEFT JOIN staff s ON m.dimension = 'agent' AND s.id::text = m.key" \
	" WHERE m.dimension = $1 AND m.day BETWEEN $2::date AND $3::date"
/* A fraction of the resolved, 3 decimals. */
#define RATE(x, of) "round((" x ")::numeric / nullif(" of ", 0), 3)"

/*
 * The columns of struct metrics_row, read by fill_row. The daily rows and
 * the totals have the same columns made differently: S is DAY_ or TOT_,
 * whose names below give each column's expression.
 */
#define ROW_COLS(X, S) \
	X(MR, day, S##day) X(MR, key, "m.key") X(MR, name, KEY_NAME) \
	X(MR, created, S##created) X(MR, resolved, S##resolved) X(MR, closed, S##closed) \
	X(MR, backlog, S##backlog) X(MR, first_responses, S##first_responses) \
	X(MR, first_response_avg, S##first_response_avg) \
	X(MR, first_response_median, S##first_response_median) \
	X(MR, resolution_avg, S##resolution_avg) X(MR, resolution_median, S##resolution_median) \
	X(MR, first_contact, S##first_contact) X(MR, reopened, S##reopened) \
	X(MR, ratings, S##ratings) X(MR, first_contact_rate, S##first_contact_rate) \
	X(MR, reopen_rate, S##reopen_rate) X(MR, rating_avg, S##rating_avg)
#define DAY_day "to_char(m.day, 'YYYY-MM-DD')"
#define DAY_created "m.created"
#define DAY_resolved "m.resolved"
#define DAY_closed "m.closed"
#define DAY_backlog "m.backlog"
#define DAY_first_responses "m.first_responses"
#define DAY_first_response_avg "m.first_response_avg"
#define DAY_first_response_median "m.first_response_median"
#define DAY_resolution_avg "m.resolution_avg"
#define DAY_resolution_median "m.resolution_median"
#define DAY_first_contact "m.first_contact"
#define DAY_reopened "m.reopened"
#define DAY_ratings "m.ratings"
#define DAY_first_contact_rate RATE("m.first_contact", "m.resolved")
#define DAY_reopen_rate RATE("m.reopened", "m.resolved")
#define DAY_rating_avg "m.rating_avg"
/*
 * Over the range: counts add up, averages are weighted by what they
 * measured, the backlog is the last rolled-up day's; no medians.
 */
#define TOT_day "NULL"
#define TOT_created "sum(m.created)"
#define TOT_resolved "sum(m.resolved)"
#define TOT_closed "sum(m.closed)"
#define TOT_backlog "coalesce(sum(m.backlog) FILTER (WHERE m.day = (SELECT max(day)" \
	" FROM service_metrics_daily WHERE dimension = $1 AND day BETWEEN $2::date" \
	" AND $3::date)), 0)"
#define TOT_first_responses "sum(m.first_responses)"
#define TOT_first_response_avg "round(sum(m.first_response_avg * m.first_responses)::numeric" \
	" / nullif(sum(m.first_responses), 0))"
#define TOT_first_response_median "NULL"
#define TOT_resolution_avg "round(sum(m.resolution_avg * m.resolved)::numeric" \
	" / nullif(sum(m.resolved) FILTER (WHERE m.resolution_avg IS NOT NULL), 0))"
#define TOT_resolution_median "NULL"
#define TOT_first_contact "sum(m.first_contact)"
#define TOT_reopened "sum(m.reopened)"
#define TOT_ratings "sum(m.ratings)"
#define TOT_first_contact_rate RATE("sum(m.first_contact)", "sum(m.resolved)")
#define TOT_reopen_rate RATE("sum(m.reopened)", "sum(m.resolved)")
#define TOT_rating_avg "round(sum(m.rating_avg * m.ratings) / nullif(sum(m.ratings), 0), 2)"
#define DAY_COLS(X) ROW_COLS(X, DAY_)
#define TOT_COLS(X) ROW_COLS(X, TOT_)
enum { DB_COL_ENUM(DAY_COLS) };

#define ROLLUP_COLS(X) X(RU, changed, "coalesce(sum(metrics_rollup_day(v.day::date, $1)), 0)")
enum { DB_COL_ENUM(ROLLUP_COLS) };
#define RANGE_COLS(X) \
	X(RG, from, "to_char(f, 'YYYY-MM-DD')") X(RG, to, "to_char(t, 'YYYY-MM-DD')") \
	X(RG, span, "t - f")
enum { DB_COL_ENUM(RANGE_COLS) };

static struct db_stmt stmts[] = {
	/* Yesterday and today; the last $2 days when the table is empty. */
	[ST_ROLLUP] = DB_STMT("metrics_rollup",
	    "SELECT " DB_COLS(ROLLUP_COLS)
	    " FROM (SELECT (now() AT TIME ZONE $1)::date AS today) t,"
	    " LATERAL generate_series(t.today - CASE WHEN EXISTS (SELECT 1"
	    " FROM service_metrics_daily) THEN 1 ELSE $2::integer END, t.today,"
	    " interval '1 day') AS v (day)", 2),
	/* The range, defaults filled in, and its length in days. */
	[ST_RANGE] = DB_STMT("metrics_range",
	    "SELECT " DB_COLS(RANGE_COLS)
	    " FROM (SELECT coalesce($2::date, (now() AT TIME ZONE $3)::date) AS t) x,"
	    " LATERAL (SELECT coalesce($1::date, x.t - 6) AS f) y", 3),
	[ST_DAYS] = DB_STMT("metrics_days",
	    "SELECT " DB_COLS(DAY_COLS) FROM_METRICS
	    " ORDER BY m.day DESC, " KEY_NAME ", m.key", 3),
	[ST_TOTALS] = DB_STMT("metrics_totals",
	    "SELECT " DB_COLS(TOT_COLS) FROM_METRICS
	    " GROUP BY m.key, " KEY_NAME " ORDER BY " KEY_NAME ", m.key", 3),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

static const char *const dim_names[METRICS_DIM__MAX] = {
	[METRICS_ALL] = "all", [METRICS_CHANNEL] = "channel", [METRICS_TEAM] = "team",
	[METRICS_AGENT] = "agent",
};

enum metrics_dim
metrics_dim_parse(const char *name)
{
	int d;

	for (d = 0; name != NULL && d < METRICS_DIM__MAX; d++)
		if (strcmp(name, dim_names[d]) == 0)
			return (enum metrics_dim)d;
	return METRICS_DIM__MAX;
}

const char *
metrics_dim_name(enum metrics_dim d)
{
	return d < METRICS_DIM__MAX ? dim_names[d] : "";
}

enum cs_result
metrics_rollup(struct db *db, const char *zone, long *changed)
{
	char days[16];
	const char *p[] = { zone, days };
	enum cs_result rc;
	PGresult *r;

	*changed = 0;
	snprintf(days, sizeof(days), "%d", METRICS_BACKFILL_DAYS);
	/* Both days in one transaction: a report never shows one day new, one old. */
	if (db_begin(db) < 0)
		return db_result(db);
	if ((r = db_exec(db, &stmts[ST_ROLLUP], p)) == NULL) {
		rc = db_result(db);
		db_rollback(db);
		return rc;
	}
	*changed = PQntuples(r) == 1 ? (long)db_ll(r, 0, RU_changed) : 0;
	PQclear(r);
	return db_commit(db) < 0 ? db_result(db) : CS_OK;
}

int
metrics_date_ok(const char *s)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, m, d, i;

	if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !(s[i] >= '0' && s[i] <= '9'))
			return 0;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (y < 1970 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return 0;
	/* 29 February only in leap years. */
	return !(m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
}

/* A column as text in the arena, NULL for SQL NULL. */
static const char *
opt(struct arena *a, const PGresult *r, int i, int c, int *failed)
{
	return PQgetisnull(r, i, c) ? NULL : db_str(a, r, i, c, failed);
}

static enum cs_result
fill_row(struct arena *a, const PGresult *r, int i, void *elem)
{
	struct metrics_row *m = elem;
	int failed = 0;

	m->day = opt(a, r, i, MR_day, &failed);
	m->key = db_str(a, r, i, MR_key, &failed);
	m->name = db_str(a, r, i, MR_name, &failed);
	m->created = db_ll(r, i, MR_created);
	m->resolved = db_ll(r, i, MR_resolved);
	m->closed = db_ll(r, i, MR_closed);
	m->backlog = db_ll(r, i, MR_backlog);
	m->first_responses = db_ll(r, i, MR_first_responses);
	m->first_response_avg = opt(a, r, i, MR_first_response_avg, &failed);
	m->first_response_median = opt(a, r, i, MR_first_response_median, &failed);
	m->resolution_avg = opt(a, r, i, MR_resolution_avg, &failed);
	m->resolution_median = opt(a, r, i, MR_resolution_median, &failed);
	m->first_contact = db_ll(r, i, MR_first_contact);
	m->reopened = db_ll(r, i, MR_reopened);
	m->ratings = db_ll(r, i, MR_ratings);
	m->first_contact_rate = opt(a, r, i, MR_first_contact_rate, &failed);
	m->reopen_rate = opt(a, r, i, MR_reopen_rate, &failed);
	m->rating_avg = opt(a, r, i, MR_rating_avg, &failed);
	return failed ? CS_FAILED : CS_OK;
}

/* The rows of st into *out. CS_OK or the failure. */
static enum cs_result
rows(struct db *db, struct arena *a, enum stmt st, const char *const *p,
    struct metrics_row **out, size_t *n)
{
	void *got;
	enum cs_result rc = db_rows(db, a, &stmts[st], p, sizeof(**out), fill_row, &got, n);

	*out = got;
	return rc;
}

enum cs_result
metrics_report(struct db *db, struct arena *a, const char *zone, const char *from,
    const char *to, enum metrics_dim dim, struct metrics_report *out, const char **why)
{
	const char *p[3];
	PGresult *r;
	long long span;
	enum cs_result rc;
	int failed = 0;

	memset(out, 0, sizeof(*out));
	if (from != NULL && from[0] == '\0')
		from = NULL;
	if (to != NULL && to[0] == '\0')
		to = NULL;
	if (dim >= METRICS_DIM__MAX) {
		*why = "Choose overall, channel, team or agent.";
		return CS_REFUSED;
	}
	*why = "Give the dates as YYYY-MM-DD, the first no later than the last, "
	    "at most 366 days apart.";
	if ((from != NULL && !metrics_date_ok(from)) || (to != NULL && !metrics_date_ok(to)))
		return CS_REFUSED;
	p[0] = from;
	p[1] = to;
	p[2] = zone;
	if ((r = db_exec(db, &stmts[ST_RANGE], p)) == NULL)
		return db_result(db);
	out->from = db_str(a, r, 0, RG_from, &failed);
	out->to = db_str(a, r, 0, RG_to, &failed);
	span = db_ll(r, 0, RG_span);
	PQclear(r);
	if (failed)
		return CS_FAILED;
	out->dim = dim;
	if (span < 0 || span >= METRICS_RANGE_MAX)
		return CS_REFUSED;
	*why = NULL;
	p[0] = metrics_dim_name(dim);
	p[1] = out->from;
	p[2] = out->to;
	if ((rc = rows(db, a, ST_TOTALS, p, &out->totals, &out->ntotals)) != CS_OK)
		return rc;
	return rows(db, a, ST_DAYS, p, &out->days, &out->ndays);
}

/* A number column of the CSV. */
static void
csv_num(struct buf *out, long long v)
{
	buf_printf(out, ",%lld", v);
}

/* An optional column: empty when not measured. */
static void
csv_opt(struct buf *out, const char *s)
{
	buf_addch(out, ',');
	if (s != NULL)
		ticket_csv_field(out, s);
}

void
metrics_report_csv(const struct metrics_report *rep, struct buf *out)
{
	size_t i;

	buf_addstr(out, "day,dimension,key,name,created,resolved,closed,backlog,"
	    "first_responses,first_response_avg_s,first_response_median_s,resolution_avg_s,"
	    "resolution_median_s,first_contact,first_contact_rate,reopened,reopen_rate,"
	    "ratings,rating_avg\r\n");
	for (i = 0; i < rep->ndays; i++) {
		const struct metrics_row *m = &rep->days[i];

		buf_addstr(out, m->day);
		buf_addch(out, ',');
		buf_addstr(out, metrics_dim_name(rep->dim));
		buf_addch(out, ',');
		ticket_csv_field(out, m->key);
		buf_addch(out, ',');
		ticket_csv_field(out, m->name);
		csv_num(out, m->created);
		csv_num(out, m->resolved);
		csv_num(out, m->closed);
		csv_num(out, m->backlog);
		csv_num(out, m->first_responses);
		csv_opt(out, m->first_response_avg);
		csv_opt(out, m->first_response_median);
		csv_opt(out, m->resolution_avg);
		csv_opt(out, m->resolution_median);
		csv_num(out, m->first_contact);
		csv_opt(out, m->first_contact_rate);
		csv_num(out, m->reopened);
		csv_opt(out, m->reopen_rate);
		csv_num(out, m->ratings);
		csv_opt(out, m->rating_avg);
		buf_addstr(out, "\r\n");
	}
}
