/* notify_admin.c — see notify_admin.h. */
#include "domain/notify_admin.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/admin_audit.h"

#include <jansson.h>
#include <stdio.h>

#define UTC(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
#define ROW_COLS(X) \
	X(N, id, "id") X(N, kind, "kind") X(N, recipient, "recipient") X(N, subject, "subject") \
	X(N, status, "status") X(N, attempts, "attempts") X(N, last_error, "last_error") \
	X(N, created, UTC("created_at")) X(N, sent, UTC("sent_at"))
enum { DB_COL_ENUM(ROW_COLS) };

#define REQ_COLS(X) X(REQ, kind, "kind")
enum { DB_COL_ENUM(REQ_COLS) };

enum stmt {
	ST_RECENT,
	ST_DEAD,
	ST_REQUEUE,
	ST__MAX
};

static struct db_stmt stmts[] = {
	[ST_RECENT] = DB_STMT("notify_recent",
	    "SELECT " DB_COLS(ROW_COLS) " FROM notifications ORDER BY created_at DESC LIMIT $1", 1),
	[ST_DEAD] = DB_STMT("notify_admin_dead",
	    "SELECT " DB_COLS(ROW_COLS) " FROM notifications WHERE status = 'dead'"
	    " ORDER BY created_at DESC, id DESC LIMIT $1", 1),
	[ST_REQUEUE] = DB_STMT("notify_admin_requeue",
	    "UPDATE notifications SET status = 'queued', attempts = 0, next_attempt_at = now()"
	    " WHERE id = $1 AND status = 'dead' RETURNING " DB_COLS(REQ_COLS), 1),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

/* Column col of row i in a; NULL for SQL NULL. */
static const char *
col(struct arena *a, const PGresult *res, int i, int col, int *failed)
{
	return PQgetisnull(res, i, col) ? NULL : db_str(a, res, i, col, failed);
}

static enum cs_result
fill_row(struct arena *a, const PGresult *res, int i, void *elem)
{
	struct notify_row *r = elem;
	int failed = 0;

	r->id = col(a, res, i, N_id, &failed);
	r->kind = col(a, res, i, N_kind, &failed);
	r->recipient = col(a, res, i, N_recipient, &failed);
	r->subject = col(a, res, i, N_subject, &failed);
	r->status = col(a, res, i, N_status, &failed);
	r->attempts = col(a, res, i, N_attempts, &failed);
	r->last_error = col(a, res, i, N_last_error, &failed);
	r->created_at = col(a, res, i, N_created, &failed);
	r->sent_at = col(a, res, i, N_sent, &failed);
	return failed ? CS_FAILED : CS_OK;
}

/* Runs a list statement for at most limit rows. */
static enum cs_result
list(struct db *db, struct arena *a, enum stmt st, int limit, struct notify_row **rows,
    size_t *n)
{
	char lim[16];
	const char *p[] = { lim };
	enum cs_result rc;
	void *arr;

	snprintf(lim, sizeof(lim), "%d", limit < 1 ? 1 : limit > NOTIFY_LIST_MAX ?
	    NOTIFY_LIST_MAX : limit);
	rc = db_rows(db, a, &stmts[st], p, sizeof(**rows), fill_row, &arr, n);
	*rows = arr;
	return rc;
}

enum cs_result
notify_list_recent(struct db *db, struct arena *a, int limit, struct notify_row **rows,
    size_t *n)
{
	return list(db, a, ST_RECENT, limit, rows, n);
}

enum cs_result
notify_list_dead(struct db *db, struct arena *a, int limit, struct notify_row **rows,
    size_t *n)
{
	return list(db, a, ST_DEAD, limit, rows, n);
}

enum cs_result
notify_requeue(struct db *db, const struct audit_entry *by, long long id)
{
	char ids[24];
	const char *p[] = { ids };
	enum cs_result rc;
	PGresult *r;

	snprintf(ids, sizeof(ids), "%lld", id);
	if (db_begin(db) < 0)
		return db_result(db);
	if ((r = db_exec(db, &stmts[ST_REQUEUE], p)) == NULL)
		goto fail;
	rc = PQntuples(r) == 1 ? CS_OK : CS_NOT_FOUND;
	if (rc == CS_OK && admin_audit(db, by, "mail.requeue", "notification", id,
	    json_pack("{s:s}", "kind", PQgetvalue(r, 0, REQ_kind))) != CS_OK) {
		PQclear(r);
		goto fail;
	}
	PQclear(r);
	if (db_commit(db) < 0)
		goto fail;
	return rc;
fail:
	rc = db_result(db);
	db_rollback(db);
	return rc;
}
