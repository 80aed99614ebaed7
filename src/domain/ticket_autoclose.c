/* ticket_autoclose.c — see ticket_autoclose.h. */
#include "domain/ticket_autoclose.h"
#include "core/arena.h"
#include "core/log.h"
#include "db/db.h"
#include "domain/ticket_notify.h"

#include <stdio.h>

/* TICKET_AUTOCLOSE_QUIET_AFTER as SQL text. */
#define STR(x) #x
#define XSTR(x) STR(x)
#define TICKET_AUTOCLOSE_QUIET_AFTER_S XSTR(TICKET_AUTOCLOSE_QUIET_AFTER)

enum stmt {
	ST_CANDIDATES,
	ST_CLOSE,
	ST_EVENT,
	ST__MAX
};

#define OLD_ENOUGH "resolved_at < now() - make_interval(days => $1::integer)"

static struct db_stmt stmts[] = {
	/* tickets_resolved_waiting (010): a range of resolved tickets only. */
	[ST_CANDIDATES] = DB_STMT("autoclose_candidates",
	    "SELECT id FROM tickets WHERE status = 'resolved' AND " OLD_ENOUGH
	    " ORDER BY resolved_at, id LIMIT $2", 2),
	/* Returns whether the customer is still to be told (see ticket_autoclose.h). */
	[ST_CLOSE] = DB_STMT("autoclose_close",
	    "UPDATE tickets SET status = 'closed', closed_at = now(), updated_at = now(),"
	    " version = version + 1 WHERE id = $2 AND status = 'resolved' AND " OLD_ENOUGH
	    " RETURNING resolved_at >= now() - make_interval(days => $1::integer + "
	    TICKET_AUTOCLOSE_QUIET_AFTER_S ")", 2),
	[ST_EVENT] = DB_STMT("autoclose_event",
	    "INSERT INTO ticket_events (ticket_id, actor_kind, field, old_value, new_value)"
	    " VALUES ($1, 'system', 'status', 'resolved', 'closed')", 1),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

/* Closes one ticket if it still qualifies: 1 closed, 0 not, -1 error. */
static int
close_one(struct db *db, struct arena *a, int ndays, const char *days, long long id)
{
	char ids[24];
	const char *p[] = { days, ids };
	PGresult *r;
	int closed, tell;

	snprintf(ids, sizeof(ids), "%lld", id);
	if (db_begin(db) < 0)
		return -1;
	if ((r = db_exec(db, &stmts[ST_CLOSE], p)) == NULL)
		goto fail;
	closed = PQntuples(r) == 1;
	tell = closed && db_bool(r, 0, 0);
	PQclear(r);
	if (closed && (db_run(db, &stmts[ST_EVENT], p + 1) < 0 ||
	    (tell && ticket_notify_auto_closed(db, a, id, ndays) < 0)))
		goto fail;
	return db_commit(db) < 0 ? -1 : closed;
fail:
	db_rollback(db);
	return -1;
}

int
ticket_autoclose_run(struct db *db, int days, long *closed)
{
	char d[16], lim[16];
	const char *p[] = { d, lim };
	struct arena *a;
	PGresult *r;
	int i, rc = 0;

	snprintf(d, sizeof(d), "%d", days);
	snprintf(lim, sizeof(lim), "%d", TICKET_AUTOCLOSE_BATCH);
	if ((r = db_exec(db, &stmts[ST_CANDIDATES], p)) == NULL)
		return -1;
	for (i = 0; i < PQntuples(r) && rc == 0; i++) {
		/* An arena per ticket: a long run does not pile up rendered mail. */
		if ((a = arena_new(8192)) == NULL) {
			rc = log_fail("autoclose: out of memory");
			break;
		}
		switch (close_one(db, a, days, d, db_ll(r, i, 0))) {
		case 1:
			(*closed)++;
			break;
		case 0:
			break;
		default:
			rc = -1;
		}
		arena_free(a);
	}
	PQclear(r);
	return rc;
}
