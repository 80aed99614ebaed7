/* ticket_drafts.c — see ticket_drafts.h. */
#include "domain/ticket_drafts.h"
#include "domain/tickets.h"
#include "core/arena.h"
#include "core/utf8.h"
#include "db/db.h"

#include <stdio.h>
#include <string.h>

#define DRAFT_COLS(X) X(D, body, "body") X(D, internal, "internal") \
	X(D, updated_at, "to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI')")
enum { DB_COL_ENUM(DRAFT_COLS) };

enum stmt { STMT_GET, STMT_SAVE, STMT_DROP, STMT__MAX };

static struct db_stmt stmts[] = {
	[STMT_GET] = DB_STMT("ticket_draft_get",
	    "SELECT " DB_COLS(DRAFT_COLS) " FROM ticket_drafts"
	    " WHERE staff_id = $1::bigint AND ticket_id = $2::bigint", 2),
	/* The ticket must exist: a draft for a ticket number typed by hand
	 * that names nothing inserts nothing. */
	[STMT_SAVE] = DB_STMT("ticket_draft_save",
	    "INSERT INTO ticket_drafts (staff_id, ticket_id, body, internal)"
	    " SELECT $1::bigint, t.id, $3, $4::boolean FROM tickets t WHERE t.id = $2::bigint"
	    " ON CONFLICT (staff_id, ticket_id) DO UPDATE SET body = excluded.body,"
	    " internal = excluded.internal, updated_at = now()", 4),
	[STMT_DROP] = DB_STMT("ticket_draft_drop",
	    "DELETE FROM ticket_drafts WHERE staff_id = $1::bigint AND ticket_id = $2::bigint", 2),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == STMT__MAX, "one statement per enum stmt");

static enum cs_result
fill(struct arena *a, const PGresult *r, int row, void *elem)
{
	struct ticket_draft *d = elem;
	int failed = 0;

	d->body = db_str(a, r, row, D_body, &failed);
	d->internal = db_bool(r, row, D_internal);
	d->updated_at = db_str(a, r, row, D_updated_at, &failed);
	return failed ? CS_FAILED : CS_OK;
}

enum cs_result
ticket_draft_get(struct db *db, struct arena *a, long long staff_id, long long ticket_id,
    struct ticket_draft *d)
{
	char sid[24], tid[24];
	const char *p[] = { sid, tid };
	enum cs_result rc;

	d->body = "";
	d->internal = 0;
	d->updated_at = "";
	snprintf(sid, sizeof(sid), "%lld", staff_id);
	snprintf(tid, sizeof(tid), "%lld", ticket_id);
	rc = db_one(db, a, &stmts[STMT_GET], p, fill, d);
	return rc == CS_NOT_FOUND ? CS_OK : rc;
}

/* Whether s holds anything but white space. */
static int
blank(const char *s)
{
	return s == NULL || s[strspn(s, " \t\r\n")] == '\0';
}

enum cs_result
ticket_draft_save(struct db *db, long long staff_id, long long ticket_id, const char *body,
    int internal, const char **why)
{
	char sid[24], tid[24];
	const char *p[] = { sid, tid, body, internal ? "t" : "f" };

	*why = NULL;
	if (blank(body))
		return ticket_draft_drop(db, staff_id, ticket_id);
	if (utf8_chars(body) > TICKET_BODY_MAX) {
		*why = "The message is longer than 50,000 characters.";
		return CS_REFUSED;
	}
	snprintf(sid, sizeof(sid), "%lld", staff_id);
	snprintf(tid, sizeof(tid), "%lld", ticket_id);
	return db_do(db, &stmts[STMT_SAVE], p);
}

enum cs_result
ticket_draft_drop(struct db *db, long long staff_id, long long ticket_id)
{
	char sid[24], tid[24];
	const char *p[] = { sid, tid };

	snprintf(sid, sizeof(sid), "%lld", staff_id);
	snprintf(tid, sizeof(tid), "%lld", ticket_id);
	return db_do(db, &stmts[STMT_DROP], p);
}
