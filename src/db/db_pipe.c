/* db_pipe.c — a pipeline of prepared statements in one round trip; see db.h. */
#include "db/db.h"
#include "db/db_int.h"
#include "core/log.h"

#include <string.h>

void
db_pipe_init(struct db_pipe *p)
{
	memset(p, 0, sizeof(*p));
}

int
db_pipe_add(struct db_pipe *p, struct db_stmt *st, const char *const *params)
{
	if (p->n >= DB_PIPE_MAX) {
		p->full = 1;
		return -1;
	}
	p->st[p->n] = st;
	p->params[p->n] = params;
	p->res[p->n] = NULL;
	return (int)p->n++;
}

void
db_pipe_release(struct db_pipe *p)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		PQclear(p->res[i]);
		p->res[i] = NULL;
	}
}

const PGresult *
db_pipe_result(const struct db_pipe *p, int i)
{
	return i >= 0 && (size_t)i < p->n ? p->res[i] : NULL;
}

/*
 * Sends every statement of p and a sync, then reads each one's results
 * (also after a failure, up to the sync). 0, or -1 with the first failure
 * noted; a broken exchange marks the connection lost.
 */
static int
pipe_exchange(struct db *db, struct db_pipe *p)
{
	struct db_stmt *owed[DB_OWED_MAX];
	PGresult *sync;
	size_t i;
	int failed = 0, nowed = db_owed_(db, owed), k;

	if (nowed < 0)
		return -1;

	if (!PQenterPipelineMode(db->conn)) {
		log_error("db: %s: cannot enter pipeline mode", p->st[0]->name);
		return -1;
	}
	db->statements += p->n;
	db->round_trips++;
	/* A transaction's first round trip carries its BEGIN. */
	if (db_owed_send_(db, owed, nowed) < 0)
		failed = 1;
	for (i = 0; i < p->n && !failed; i++)
		if (!PQsendQueryPrepared(db->conn, p->st[i]->name, p->st[i]->nparams, p->params[i],
		    NULL, NULL, 0))
			failed = 1;
	if (failed || !PQpipelineSync(db->conn)) {
		db_note_failure_(db, NULL, p->st[0]->name);
		PQexitPipelineMode(db->conn);
		db->lost = 1;	/* half a pipeline sent: do not trust the connection */
		return -1;
	}
	for (k = 0; k < nowed; k++)
		if (db_pipeline_results_(db, owed[k], NULL, failed) < 0)
			failed = 1;
	for (i = 0; i < p->n; i++)
		if (db_pipeline_results_(db, p->st[i], &p->res[i], failed) < 0)
			failed = 1;
	sync = PQgetResult(db->conn);
	if (sync == NULL || PQresultStatus(sync) != PGRES_PIPELINE_SYNC)
		failed = db->lost = 1;
	PQclear(sync);
	if (!PQexitPipelineMode(db->conn) || PQstatus(db->conn) != CONNECTION_OK)
		failed = db->lost = 1;
	return failed ? -1 : 0;
}

enum cs_result
db_pipe_run(struct db *db, struct db_pipe *p)
{
	size_t i;

	db->sqlstate[0] = '\0';
	if (p->full || p->n == 0)
		return p->full ? CS_FAILED : CS_OK;
	if (db->conn == NULL || db->lost) {
		db->lost = 1;
		return CS_DB_LOST;
	}
	for (i = 0; i < p->n; i++)
		if (db_prepare_(db, p->st[i]) < 0)
			return db_result(db);
	if (pipe_exchange(db, p) == 0)
		return CS_OK;
	db_pipe_release(p);
	/* Inside a transaction of the caller's, a failed statement aborted it:
	 * the caller's rollback ends it, as after a failed db_exec. */
	return db_result(db);
}

enum cs_result
db_pipe_rows(struct db_pipe *p, int i, struct arena *a, size_t elem_size, db_fill_fn fill,
    void **out, size_t *n)
{
	const PGresult *res = db_pipe_result(p, i);

	*out = NULL;
	*n = 0;
	if (res == NULL)
		return CS_FAILED;
	return db_fill_rows_(a, res, PQntuples(res), elem_size, fill, out, n);
}
