/* notify_admin.c — see notify_admin.h. */
#include "domain/notify_admin.h"
#include "core/arena.h"
#include "core/log.h"
#include "db/db.h"
#include "domain/admin_audit.h"
#include "domain/notify.h"

#include <jansson.h>
#include <stdio.h>

enum stmt {
	ST_DEAD,
	ST_REQUEUE,
	ST__MAX
};

static struct db_stmt stmts[] = {
	[ST_DEAD] = DB_STMT("notify_admin_dead",
	    "SELECT id, kind, recipient, subject, status, attempts, last_error,"
	    " to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), NULL"
	    " FROM notifications WHERE status = 'dead' ORDER BY created_at DESC, id DESC"
	    " LIMIT $1", 1),
	[ST_REQUEUE] = DB_STMT("notify_admin_requeue",
	    "UPDATE notifications SET status = 'queued', attempts = 0, next_attempt_at = now()"
	    " WHERE id = $1 AND status = 'dead' RETURNING kind", 1),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

int
notify_list_dead(struct db *db, struct arena *a, int limit, struct notify_row **rows,
    size_t *n)
{
	char lim[16];
	const char *p[] = { lim };
	struct notify_row *out = NULL;
	PGresult *r;
	int i, count, failed = 0;

	*rows = NULL;
	*n = 0;
	snprintf(lim, sizeof(lim), "%d", limit < 1 ? 1 : limit > NOTIFY_LIST_MAX ?
	    NOTIFY_LIST_MAX : limit);
	if ((r = db_exec(db, &stmts[ST_DEAD], p)) == NULL)
		return -1;
	count = PQntuples(r);
	if (count > 0 && (out = arena_calloc(a, (size_t)count, sizeof(*out))) == NULL)
		failed = 1;
	for (i = 0; i < count && !failed; i++) {
		out[i].id = db_str(a, r, i, 0, &failed);
		out[i].kind = db_str(a, r, i, 1, &failed);
		out[i].recipient = db_str(a, r, i, 2, &failed);
		out[i].subject = db_str(a, r, i, 3, &failed);
		out[i].status = db_str(a, r, i, 4, &failed);
		out[i].attempts = db_str(a, r, i, 5, &failed);
		out[i].last_error = PQgetisnull(r, i, 6) ? NULL : db_str(a, r, i, 6, &failed);
		out[i].created_at = db_str(a, r, i, 7, &failed);
	}
	PQclear(r);
	if (failed)
		return log_fail("notify: listing given-up mail: out of memory");
	*rows = out;
	*n = (size_t)count;
	return 0;
}

int
notify_requeue(struct db *db, const struct audit_entry *by, long long id)
{
	char ids[24];
	const char *p[] = { ids };
	PGresult *r;
	int found;

	snprintf(ids, sizeof(ids), "%lld", id);
	if (db_begin(db) < 0)
		return -1;
	if ((r = db_exec(db, &stmts[ST_REQUEUE], p)) == NULL)
		goto fail;
	found = PQntuples(r) == 1;
	if (found && admin_audit(db, by, "mail.requeue", "notification", id,
	    json_pack("{s:s}", "kind", PQgetvalue(r, 0, 0))) < 0) {
		PQclear(r);
		goto fail;
	}
	PQclear(r);
	return db_commit(db) < 0 ? -1 : found;
fail:
	db_rollback(db);
	return -1;
}
