/* ticket_autoclose.c — see ticket_autoclose.h. */
#include "domain/ticket_autoclose.h"
#include "core/arena.h"
#include "core/log.h"
#include "db/db.h"
#include "domain/events.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

/* TICKET_AUTOCLOSE_QUIET_AFTER as SQL text. */
#define STR(x) #x
#define XSTR(x) STR(x)
#define TICKET_AUTOCLOSE_QUIET_AFTER_S XSTR(TICKET_AUTOCLOSE_QUIET_AFTER)

#define CANDIDATE_COLS(X) X(CD, id, "id")
enum { DB_COL_ENUM(CANDIDATE_COLS) };

/* Whether the customer is still to be told, and the number for the event. */
#define CLOSED_COLS(X) \
	X(CL, tell, "resolved_at >= now() - make_interval(days => $1::integer + " \
	    TICKET_AUTOCLOSE_QUIET_AFTER_S ")") \
	X(CL, number, "number")
enum { DB_COL_ENUM(CLOSED_COLS) };

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
	    "SELECT " DB_COLS(CANDIDATE_COLS) " FROM tickets WHERE status = 'resolved' AND "
	    OLD_ENOUGH
	    " ORDER BY resolved_at, id LIMIT $2", 2),
	/* Returns whether the customer is still to be told (see ticket_autoclose.h). */
	[ST_CLOSE] = DB_STMT("autoclose_close",
	    "UPDATE tickets SET status = 'closed', closed_at = now(), updated_at = now(),"
	    " version = version + 1 WHERE id = $2 AND status = 'resolved' AND " OLD_ENOUGH
	    " RETURNING " DB_COLS(CLOSED_COLS), 2),
	[ST_EVENT] = DB_STMT("autoclose_event",
	    "INSERT INTO ticket_events (ticket_id, actor_kind, field, old_value, new_value)"
	    " VALUES ($1, 'system', 'status', 'resolved', 'closed')", 1),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

/* Closes one ticket if it still qualifies, with its history row and event. */
static enum cs_result
close_one(struct db *db, struct arena *a, int ndays, const char *days, long long id, int *closed)
{
	struct event_actor system = { "system", 0 };
	char ids[24], *payload = NULL;
	const char *p[] = { days, ids };
	const char *number = NULL;
	enum cs_result rc = CS_OK;
	PGresult *r;
	int tell = 0, failed = 0;

	*closed = 0;
	snprintf(ids, sizeof(ids), "%lld", id);
	if (db_begin(db) < 0)
		return db_result(db);
	if ((r = db_exec(db, &stmts[ST_CLOSE], p)) == NULL) {
		rc = db_result(db);
		goto out;
	}
	if (PQntuples(r) == 1) {
		*closed = 1;
		tell = db_bool(r, 0, CL_tell);
		number = db_str(a, r, 0, CL_number, &failed);
	}
	PQclear(r);
	if (!*closed)
		goto out;
	if (failed || db_run(db, &stmts[ST_EVENT], p + 1) < 0) {
		rc = failed ? CS_FAILED : db_result(db);
		goto out;
	}
	{
		json_t *o = json_pack("{s:s, s:s, s:s, s:i, s:b}", "number", number, "from",
		    "resolved", "to", "closed", "auto_close_days", ndays, "tell", tell);

		payload = o != NULL ? json_dumps(o, JSON_COMPACT) : NULL;
		json_decref(o);
	}
	rc = payload == NULL ? CS_FAILED : events_append(db, "ticket", id,
	    "ticket.status_changed", &system, payload);
	free(payload);
out:
	if ((rc = db_end(db, rc)) != CS_OK)
		*closed = 0;
	return rc;
}

static enum cs_result
fill_id(struct arena *a, const PGresult *r, int row, void *elem)
{
	(void)a;
	*(long long *)elem = db_ll(r, row, CD_id);
	return CS_OK;
}

enum cs_result
ticket_autoclose_run(struct db *db, int days, long *closed)
{
	char d[16], lim[16];
	const char *p[] = { d, lim };
	struct arena *a = arena_new(4096);
	enum cs_result rc;
	long long *ids;
	void *rows;
	size_t i, n;

	if (a == NULL) {
		log_error("autoclose: out of memory");
		return CS_FAILED;
	}
	snprintf(d, sizeof(d), "%d", days);
	snprintf(lim, sizeof(lim), "%d", TICKET_AUTOCLOSE_BATCH);
	rc = db_rows(db, a, &stmts[ST_CANDIDATES], p, sizeof(*ids), fill_id, &rows, &n);
	ids = rows;
	for (i = 0; rc == CS_OK && i < n; i++) {
		int one;

		rc = close_one(db, a, days, d, ids[i], &one);
		*closed += one;
	}
	arena_free(a);
	return rc;
}
