/* assign_waiting.c — see assign_waiting.h. */
#include "domain/assign_waiting.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/events.h"

#include <jansson.h>
#include <stdlib.h>

#define WAIT_COLS(X) X(WT, ticket_id, "w.ticket_id") X(WT, agent_id, "w.agent_id") \
	X(WT, number, "w.number")
enum { DB_COL_ENUM(WAIT_COLS) };

enum stmt { ST_ASSIGN, ST__MAX };

static struct db_stmt stmts[] = {
	[ST_ASSIGN] = DB_STMT("assign_waiting",
	    "SELECT " DB_COLS(WAIT_COLS) " FROM ticket_assign_waiting($1::integer, $2::integer) w",
	    2),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

/* "ticket.assigned" for row i of r, by the system. CS_OK or the failure. */
static enum cs_result
assigned_event(struct db *db, const PGresult *r, int i)
{
	static const struct event_actor system_actor = { "system", 0 };
	json_t *o = json_pack("{s:s, s:I, s:b, s:b}", "number", PQgetvalue(r, i, WT_number),
	    "assignee_id", (json_int_t)db_ll(r, i, WT_agent_id), "auto", 1, "waited", 1);
	char *text = o != NULL ? json_dumps(o, JSON_COMPACT) : NULL;
	enum cs_result rc = CS_FAILED;

	if (text != NULL)
		rc = events_append(db, "ticket", db_ll(r, i, WT_ticket_id), "ticket.assigned",
		    &system_actor, text);
	free(text);
	json_decref(o);
	return rc;
}

/* One transaction: assigns up to a batch and records the events. */
static enum cs_result
round_run(struct db *db, const char *const *p, int *rows)
{
	enum cs_result rc = CS_OK;
	PGresult *r;
	int i;

	*rows = 0;
	if (db_begin(db) < 0)
		return db_result(db);
	if ((r = db_exec(db, &stmts[ST_ASSIGN], p)) == NULL)
		return db_end(db, db_result(db));
	for (i = 0; i < PQntuples(r) && rc == CS_OK; i++)
		rc = assigned_event(db, r, i);
	if (rc == CS_OK)
		*rows = PQntuples(r);
	PQclear(r);
	if ((rc = db_end(db, rc)) != CS_OK)
		*rows = 0;
	return rc;
}

enum cs_result
assign_waiting_run(struct db *db, struct arena *a, int max_rounds, long *assigned)
{
	const char *p[] = { db_param_ll(a, ASSIGN_WAITING_BATCH),
		db_param_ll(a, ASSIGN_WAITING_MISSES) };
	enum cs_result rc = CS_OK;
	int round, rows;

	*assigned = 0;
	if (p[0] == NULL || p[1] == NULL)
		return CS_FAILED;
	for (round = 0; round < max_rounds; round++) {
		if ((rc = round_run(db, p, &rows)) != CS_OK)
			break;
		*assigned += rows;
		/* Fewer than a batch: every queue ran out of tickets or of agents. */
		if (rows < ASSIGN_WAITING_BATCH)
			break;
	}
	return rc;
}
