/* ticket_live.c — see ticket_live.h. */
#include "domain/ticket_live.h"
#include "db/db.h"


#define QUEUE_COLS(X) \
	X(Q, ticket, "(SELECT coalesce(max(id), 0) FROM tickets)") \
	X(Q, event, "(SELECT coalesce(max(id), 0) FROM ticket_events)")
enum { DB_COL_ENUM(QUEUE_COLS) };
#define ONE_COLS(X) X(O, version, "t.version") \
	X(O, comment, "(SELECT coalesce(max(c.id), 0) FROM ticket_comments c" \
	    " WHERE c.ticket_id = t.id)")
enum { DB_COL_ENUM(ONE_COLS) };

enum stmt { STMT_QUEUE, STMT_ONE, STMT__MAX };

static struct db_stmt stmts[] = {
	/* max(id) of a primary key is one probe at its end. */
	[STMT_QUEUE] = DB_STMT("ticket_live_queue", "SELECT " DB_COLS(QUEUE_COLS), 0),
	/* By the unique number, and the comments' (ticket_id, …) index. */
	[STMT_ONE] = DB_STMT("ticket_live_one",
	    "SELECT " DB_COLS(ONE_COLS) " FROM tickets t WHERE t.number = $1", 1),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == STMT__MAX, "one statement per enum stmt");

enum cs_result
ticket_live_queue(struct db *db, struct ticket_live_queue *q)
{
	PGresult *r = db_exec(db, &stmts[STMT_QUEUE], NULL);

	q->last_ticket = q->last_event = 0;
	if (r == NULL)
		return db_result(db);
	if (PQntuples(r) == 1) {
		q->last_ticket = db_ll(r, 0, Q_ticket);
		q->last_event = db_ll(r, 0, Q_event);
	}
	PQclear(r);
	return CS_OK;
}

enum cs_result
ticket_live_ticket(struct db *db, const char *number, int *version, long long *last_comment)
{
	const char *p[] = { number };
	PGresult *r = db_exec(db, &stmts[STMT_ONE], p);
	enum cs_result rc = CS_OK;

	*version = 0;
	*last_comment = 0;
	if (r == NULL)
		return db_result(db);
	if (PQntuples(r) != 1) {
		rc = CS_NOT_FOUND;
	} else {
		*version = (int)db_ll(r, 0, O_version);
		*last_comment = db_ll(r, 0, O_comment);
	}
	PQclear(r);
	return rc;
}
