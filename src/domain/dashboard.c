/* dashboard.c — see dashboard.h. */
#include "domain/dashboard.h"
#include "core/arena.h"
#include "db/db.h"

#include <stdio.h>
#include <string.h>

enum stmt {
	ST_DUE,
	ST_DUE_COUNT,
	ST_CRITICAL,
	ST_HEATMAP,
	ST__MAX
};

#define OPEN "t.status IN ('new', 'assigned', 'in_progress', 'pending_customer'," \
	" 'pending_parts', 'reopened')"
#define TICKET_COLS(X) \
	X(DT, number, "t.number") X(DT, subject, "t.subject") X(DT, priority, "t.priority") \
	X(DT, due, "coalesce(to_char(t.resolution_due_at AT TIME ZONE $1," \
	    " CASE WHEN (t.resolution_due_at AT TIME ZONE $1)::date = (now() AT TIME ZONE $1)::date" \
	    " THEN 'HH24:MI' ELSE 'YYYY-MM-DD HH24:MI' END), '')") \
	X(DT, breached, "t.resolution_stage = 'breached'")
enum { DB_COL_ENUM(TICKET_COLS) };
#define END_OF_TODAY "(((now() AT TIME ZONE $1)::date + 1)::timestamp AT TIME ZONE $1)"

static struct db_stmt stmts[] = {
	[ST_DUE] = DB_STMT("dashboard_due",
	    "SELECT " DB_COLS(TICKET_COLS) " FROM tickets t WHERE t.assignee_id = $2 AND " OPEN
	    " AND t.resolution_due_at < " END_OF_TODAY
	    " ORDER BY t.resolution_due_at, t.id LIMIT 10", 2),
	/* Counted up to DASHBOARD_COUNT_MAX + 1: past it, "more than" is enough. */
	[ST_DUE_COUNT] = DB_STMT("dashboard_due_count",
	    "SELECT count(*) FROM (SELECT 1 FROM tickets t WHERE t.assignee_id = $2 AND " OPEN
	    " AND t.resolution_due_at < " END_OF_TODAY " LIMIT 1000) x", 2),
	[ST_CRITICAL] = DB_STMT("dashboard_critical",
	    "SELECT " DB_COLS(TICKET_COLS) " FROM tickets t"
	    " WHERE t.priority IN ('critical', 'urgent') AND " OPEN
	    " ORDER BY t.resolution_due_at NULLS LAST, t.id LIMIT 10", 1),
	[ST_HEATMAP] = DB_STMT("dashboard_heatmap",
	    "SELECT extract(isodow FROM t.created_at AT TIME ZONE $1)::int - 1,"
	    " extract(hour FROM t.created_at AT TIME ZONE $1)::int, count(*)"
	    " FROM tickets t WHERE t.created_at >= now() - make_interval(days => $2::integer)"
	    " GROUP BY 1, 2", 2),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");
_Static_assert(DASHBOARD_LIST_MAX == 10, "the lists' LIMIT");
_Static_assert(DASHBOARD_COUNT_MAX == 999, "dashboard_due_count's LIMIT");

static enum cs_result
fill_ticket(struct arena *a, const PGresult *r, int i, void *elem)
{
	struct dashboard_ticket *t = elem;
	int failed = 0;

	t->number = db_str(a, r, i, DT_number, &failed);
	t->subject = db_str(a, r, i, DT_subject, &failed);
	t->priority = db_str(a, r, i, DT_priority, &failed);
	t->due = db_str(a, r, i, DT_due, &failed);
	t->breached = db_bool(r, i, DT_breached);
	return failed ? CS_FAILED : CS_OK;
}

static enum cs_result
list(struct db *db, struct arena *a, enum stmt st, const char *const *p,
    struct dashboard_ticket **out, size_t *n)
{
	void *got;
	enum cs_result rc = db_rows(db, a, &stmts[st], p, sizeof(**out), fill_ticket, &got, n);

	*out = got;
	return rc;
}

enum cs_result
dashboard_due_today(struct db *db, struct arena *a, long long staff_id, const char *zone,
    struct dashboard_ticket **out, size_t *n, long long *total)
{
	char sid[24];
	const char *p[] = { zone, sid };
	PGresult *r;
	enum cs_result rc;

	snprintf(sid, sizeof(sid), "%lld", staff_id);
	if ((rc = list(db, a, ST_DUE, p, out, n)) != CS_OK)
		return rc;
	if ((r = db_exec(db, &stmts[ST_DUE_COUNT], p)) == NULL)
		return db_result(db);
	*total = db_ll(r, 0, 0);
	PQclear(r);
	return CS_OK;
}

enum cs_result
dashboard_critical(struct db *db, struct arena *a, const char *zone,
    struct dashboard_ticket **out, size_t *n)
{
	const char *p[] = { zone };

	return list(db, a, ST_CRITICAL, p, out, n);
}

enum cs_result
dashboard_heatmap(struct db *db, const char *zone, int days, long long counts[7][24])
{
	char d[16];
	const char *p[] = { zone, d };
	PGresult *r;
	int i;

	memset(counts, 0, 7 * sizeof(counts[0]));
	snprintf(d, sizeof(d), "%d", days);
	if ((r = db_exec(db, &stmts[ST_HEATMAP], p)) == NULL)
		return db_result(db);
	for (i = 0; i < PQntuples(r); i++) {
		long long wd = db_ll(r, i, 0), h = db_ll(r, i, 1);

		if (wd >= 0 && wd < 7 && h >= 0 && h < 24)
			counts[wd][h] = db_ll(r, i, 2);
	}
	PQclear(r);
	return CS_OK;
}
