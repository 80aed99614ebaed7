/* ticket_live.c — see ticket_live.h. */
#include "domain/ticket_live.h"
#include "core/arena.h"
#include "db/db.h"

#include <string.h>


#define QUEUE_COLS(X) \
	X(Q, ticket, "(SELECT coalesce(max(id), 0) FROM tickets)") \
	X(Q, event, "(SELECT coalesce(max(id), 0) FROM ticket_events)")
enum { DB_COL_ENUM(QUEUE_COLS) };
#define ONE_COLS(X) X(O, version, "t.version") \
	X(O, comment, "(SELECT coalesce(max(c.id), 0) FROM ticket_comments c" \
	    " WHERE c.ticket_id = t.id)")
enum { DB_COL_ENUM(ONE_COLS) };

/* The newest comment, else the description: one row either way. */
#define PREVIEW_COLS(X) X(P, author, "x.author") X(P, kind, "x.kind") \
	X(P, body, "left(x.body, 280)") \
	X(P, created_at, "to_char(x.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI')")
enum { DB_COL_ENUM(PREVIEW_COLS) };
_Static_assert(TICKET_PREVIEW_CHARS == 280, "the statement's left() says the same");

enum stmt { STMT_QUEUE, STMT_ONE, STMT_PREVIEW, STMT__MAX };

static struct db_stmt stmts[] = {
	/* max(id) of a primary key is one probe at its end. */
	[STMT_QUEUE] = DB_STMT("ticket_live_queue", "SELECT " DB_COLS(QUEUE_COLS), 0),
	/* By the unique number, and the comments' (ticket_id, …) index. */
	[STMT_ONE] = DB_STMT("ticket_live_one",
	    "SELECT " DB_COLS(ONE_COLS) " FROM tickets t WHERE t.number = $1", 1),
	[STMT_PREVIEW] = DB_STMT("ticket_live_preview",
	    "SELECT " DB_COLS(PREVIEW_COLS) " FROM tickets t CROSS JOIN LATERAL ("
	    " (SELECT coalesce(s.name, u.name, 'System') AS author, m.kind, m.body, m.created_at,"
	    "  1 AS o FROM ticket_comments m LEFT JOIN staff s ON s.id = m.author_staff_id"
	    "  LEFT JOIN portal_users u ON u.id = m.author_user_id"
	    "  WHERE m.ticket_id = t.id ORDER BY m.id DESC LIMIT 1)"
	    " UNION ALL (SELECT coalesce((SELECT name FROM portal_users WHERE id = t.requester_id),"
	    "  'Customer'), 'description', t.description, t.created_at, 2)"
	    " ORDER BY o LIMIT 1) x WHERE t.number = $1", 1),
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

static enum cs_result
preview_fill(struct arena *a, const PGresult *r, int row, void *elem)
{
	struct ticket_preview *p = elem;
	int failed = 0;

	p->author = db_str(a, r, row, P_author, &failed);
	p->kind = db_str(a, r, row, P_kind, &failed);
	p->body = db_str(a, r, row, P_body, &failed);
	p->created_at = db_str(a, r, row, P_created_at, &failed);
	return failed ? CS_FAILED : CS_OK;
}

enum cs_result
ticket_live_preview(struct db *db, struct arena *a, const char *number,
    struct ticket_preview *p)
{
	const char *params[] = { number };

	memset(p, 0, sizeof(*p));
	return db_one(db, a, &stmts[STMT_PREVIEW], params, preview_fill, p);
}
