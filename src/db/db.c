/* db.c — see db.h. */
#include "db/db.h"
#include "db/db_int.h"
#include "core/arena.h"
#include "core/config.h"
#include "core/log.h"
#include "core/mem.h"

#include <errno.h>
#include <poll.h>
#include <string.h>

/* Slots are process-wide: a statement keeps its slot across connections. */
static int next_slot = 1;
/* Connections made by this process: each gets its own number. */
static unsigned long connects;

void
db_note_failure_(struct db *db, const PGresult *res, const char *what)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *msg = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;

	snprintf(db->sqlstate, sizeof(db->sqlstate), "%s", state ? state : "");
	/* 57014 is also a cancel request: either way, try again later. */
	if (db_is(db, "57014") || db_is(db, "55P03"))
		db->timed_out = 1;
	if (PQstatus(db->conn) != CONNECTION_OK) {
		db->lost = 1;
		log_error("db: %s: connection lost", what);
		return;
	}
	log_error("db: %s failed: SQLSTATE %s: %s", what, state ? state : "?",
	    msg ? msg : PQerrorMessage(db->conn));
}

/* Server notices ("already exists, skipping") are not errors: drop them. */
static void
quiet(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

static int
connect_now(struct db *db)
{
	/*
	 * gssencmode first, so that a conninfo naming one overrides it:
	 * csdesk never signs in with Kerberos, and libpq's default (prefer)
	 * loads and sets up the GSSAPI libraries on every connection, about
	 * 1 MB of each worker's resident memory for nothing.
	 */
	const char *keys[] = { "gssencmode", "dbname", "application_name", "connect_timeout",
	    NULL };
	const char *vals[] = { "disable", db->conninfo, db->application_name, "5", NULL };

	const char *why = config_conninfo_refused(db->conninfo);

	if (db->conn != NULL)
		PQfinish(db->conn);
	db->conn = NULL;
	if (why != NULL) {
		log_error("db: cannot connect: %s", why);
		db->lost = 1;
		return -1;
	}
	db->conn = PQconnectdbParams(keys, vals, 1);
	if (db->nprepared)
		memset(db->prepared, 0, db->nprepared);
	db->depth = 0;
	db->doomed = 0;
	if (db->conn == NULL || PQstatus(db->conn) != CONNECTION_OK) {
		log_error("db: cannot connect: %s",
		    db->conn ? PQerrorMessage(db->conn) : "out of memory");
		db->lost = 1;
		return -1;
	}
	PQsetNoticeProcessor(db->conn, quiet, NULL);
	db->lost = 0;
	db->limits_stale = db->limits_set;
	db->connects = ++connects;
	return 0;
}

int
db_open(struct db *db, const char *conninfo, const char *application_name)
{
	memset(db, 0, sizeof(*db));
	db->conninfo = conninfo;
	db->application_name = application_name;
	return connect_now(db);
}

void
db_close(struct db *db)
{
	if (db->conn != NULL)
		PQfinish(db->conn);
	mem_free(db->prepared);
	memset(db, 0, sizeof(*db));
}

/*
 * True when the server has closed our connection while it sat idle (a
 * restart sends a FATAL message and hangs up). One poll(2) with no wait.
 */
static int
hung_up(struct db *db)
{
	struct pollfd p = { .fd = PQsocket(db->conn), .events = POLLIN };
	int i;

	if (p.fd < 0)
		return 1;
	/* A goodbye message and the close may arrive apart: read both. */
	for (i = 0; i < 3 && poll(&p, 1, 0) > 0; i++)
		if (!PQconsumeInput(db->conn) || PQstatus(db->conn) != CONNECTION_OK)
			return 1;
	return 0;
}

static struct db_stmt st_limits = DB_STMT("db_limits",
    "SELECT set_config('statement_timeout', $1, false), set_config('lock_timeout', $2, false)",
    2);

/* Tells the server the limits asked for, outside any transaction. */
static void
apply_limits(struct db *db)
{
	char sms[16], lms[16];
	const char *p[] = { sms, lms };

	snprintf(sms, sizeof(sms), "%d", db->statement_ms);
	snprintf(lms, sizeof(lms), "%d", db->lock_ms);
	if (db_run(db, &st_limits, p) == 0)
		db->limits_stale = 0;
}

int
db_ensure(struct db *db)
{
	db->timed_out = 0;
	if ((db->conn == NULL || db->lost || PQstatus(db->conn) != CONNECTION_OK ||
	    hung_up(db)) && connect_now(db) < 0)
		return -1;
	if (PQtransactionStatus(db->conn) != PQTRANS_IDLE || db->depth) {
		db->depth = 1;
		db_rollback(db);
	}
	if (!db->lost && db->limits_stale)
		apply_limits(db);
	return db->lost ? -1 : 0;
}

void
db_set_limits(struct db *db, int statement_ms, int lock_ms)
{
	if (db->limits_set && db->statement_ms == statement_ms && db->lock_ms == lock_ms)
		return;
	db->statement_ms = statement_ms;
	db->lock_ms = lock_ms;
	db->limits_set = db->limits_stale = 1;
}

int
db_lost(const struct db *db)
{
	return db->lost || db->timed_out;
}

int
db_notified(struct db *db, const char *channel)
{
	PGnotify *n;
	int found = 0;

	if (db->conn == NULL || !PQconsumeInput(db->conn))
		return 0;
	while ((n = PQnotifies(db->conn)) != NULL) {
		if (strcmp(n->relname, channel) == 0)
			found = 1;
		PQfreemem(n);
	}
	return found;
}

int
db_wait_notify(struct db *db, const char *channel, int timeout_ms)
{
	struct pollfd p;
	int n;

	if (db->conn == NULL || db->lost)
		return -1;
	if (db_notified(db, channel))
		return 1;
	p.fd = PQsocket(db->conn);
	p.events = POLLIN;
	p.revents = 0;
	if (p.fd < 0)
		return -1;
	n = poll(&p, 1, timeout_ms < 0 ? 0 : timeout_ms);
	if (n < 0)
		return errno == EINTR ? 0 : -1;
	if (n == 0)
		return 0;
	if (!PQconsumeInput(db->conn) || PQstatus(db->conn) != CONNECTION_OK) {
		db->lost = 1;
		return -1;
	}
	return db_notified(db, channel);
}

int
db_is(const struct db *db, const char *code)
{
	return strcmp(db->sqlstate, code) == 0;
}

static struct db_stmt st_begin = DB_STMT("db_begin", "BEGIN", 0);
static struct db_stmt st_commit = DB_STMT("db_commit", "COMMIT", 0);
static struct db_stmt st_rollback = DB_STMT("db_rollback", "ROLLBACK", 0);

/* Prepares st on this connection unless it already is. */
int
db_prepare_(struct db *db, struct db_stmt *st)
{
	PGresult *res;

	if (st->slot == 0)
		st->slot = next_slot++;
	if ((size_t)st->slot >= db->nprepared) {
		size_t n = (size_t)st->slot * 2 + 16;
		unsigned char *p = mem_realloc(db->prepared, n);

		if (p == NULL)
			return log_fail("db: out of memory preparing %s", st->name);
		memset(p + db->nprepared, 0, n - db->nprepared);
		db->prepared = p;
		db->nprepared = n;
	}
	if (db->prepared[st->slot])
		return 0;
	res = PQprepare(db->conn, st->name, st->sql, st->nparams, NULL);
	if (res == NULL || PQresultStatus(res) != PGRES_COMMAND_OK) {
		db_note_failure_(db, res, st->name);
		PQclear(res);
		return -1;
	}
	PQclear(res);
	db->prepared[st->slot] = 1;
	return 0;
}

int
db_owed_(struct db *db, struct db_stmt *owed[DB_OWED_MAX])
{
	int n = 0;

	if (!db->begin_pending)
		return 0;
	if (db_prepare_(db, &st_begin) < 0 ||
	    (db->first_st != NULL && db_prepare_(db, db->first_st) < 0))
		return -1;
	owed[n++] = &st_begin;
	if (db->first_st != NULL)
		owed[n++] = db->first_st;
	db->begin_pending = 0;
	db->first_st = NULL;
	db->statements += (unsigned long)n;
	return n;
}

int
db_owed_send_(struct db *db, struct db_stmt *const owed[], int n)
{
	const char *const first[] = { db->first_param };
	int i;

	for (i = 0; i < n; i++)
		if (!PQsendQueryPrepared(db->conn, owed[i]->name, owed[i]->nparams,
		    owed[i]->nparams > 0 ? first : NULL, NULL, NULL, 0))
			return -1;
	return 0;
}

/*
 * The first statement of a transaction: what the transaction owes (BEGIN,
 * and db_begin_with's statement) and st in one round trip (pipeline
 * mode). st's result, or NULL after noting the failure; a failure before
 * st aborts it, and the caller's db_rollback cleans up.
 */
static PGresult *
exec_after_begin(struct db *db, struct db_stmt *st, const char *const *params,
    const int *lengths, const int *formats)
{
	struct db_stmt *owed[DB_OWED_MAX];
	int nowed = db_owed_(db, owed), i;
	PGresult *out = NULL, *sync;
	int failed = 0;

	if (nowed < 0)
		return NULL;
	if (!PQenterPipelineMode(db->conn)) {
		log_error("db: %s: cannot enter pipeline mode", st->name);
		return NULL;
	}
	db->statements++;
	db->round_trips++;
	if (db_owed_send_(db, owed, nowed) < 0 ||
	    !PQsendQueryPrepared(db->conn, st->name, st->nparams, params, lengths, formats, 0) ||
	    !PQpipelineSync(db->conn)) {
		db_note_failure_(db, NULL, st->name);
		PQexitPipelineMode(db->conn);
		db->lost = 1;	/* half a pipeline sent: do not trust the connection */
		return NULL;
	}
	for (i = 0; i < nowed; i++)
		if (db_pipeline_results_(db, owed[i], NULL, failed) < 0)
			failed = 1;
	if (db_pipeline_results_(db, st, &out, failed) < 0)
		failed = 1;
	sync = PQgetResult(db->conn);
	if (sync == NULL || PQresultStatus(sync) != PGRES_PIPELINE_SYNC)
		failed = db->lost = 1;
	PQclear(sync);
	if (!PQexitPipelineMode(db->conn) || PQstatus(db->conn) != CONNECTION_OK)
		failed = db->lost = 1;
	if (!failed && out != NULL)
		return out;
	PQclear(out);
	return NULL;
}

PGresult *
db_exec_bin(struct db *db, struct db_stmt *st, const char *const *params, const int *lengths,
    const int *formats)
{
	PGresult *res;
	ExecStatusType s;

	db->sqlstate[0] = '\0';
	if (db->conn == NULL || db->lost) {
		db->lost = 1;
		return NULL;
	}
	if (db_prepare_(db, st) < 0)
		return NULL;
	if (db->begin_pending)
		return exec_after_begin(db, st, params, lengths, formats);
	db->statements++;
	db->round_trips++;
	res = PQexecPrepared(db->conn, st->name, st->nparams, params, lengths, formats, 0);
	s = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
	if (s == PGRES_TUPLES_OK || s == PGRES_COMMAND_OK)
		return res;
	db_note_failure_(db, res, st->name);
	PQclear(res);
	return NULL;
}

PGresult *
db_exec(struct db *db, struct db_stmt *st, const char *const *params)
{
	return db_exec_bin(db, st, params, NULL, NULL);
}

int
db_run(struct db *db, struct db_stmt *st, const char *const *params)
{
	PGresult *res = db_exec(db, st, params);

	if (res == NULL)
		return -1;
	PQclear(res);
	return 0;
}


/*
 * Reads the results of one pipelined statement up to its end. Keeps a
 * good result in *keep when keep is not NULL; 0, or -1 when it failed
 * (the first failure is logged).
 */
int
db_pipeline_results_(struct db *db, struct db_stmt *st, PGresult **keep, int logged)
{
	PGresult *res;
	int rc = 0;

	while ((res = PQgetResult(db->conn)) != NULL) {
		ExecStatusType s = PQresultStatus(res);

		if ((s == PGRES_TUPLES_OK || s == PGRES_COMMAND_OK) && rc == 0) {
			if (keep != NULL && *keep == NULL) {
				*keep = res;
				continue;
			}
		} else {
			if (s != PGRES_PIPELINE_ABORTED && !logged)
				db_note_failure_(db, res, st->name);
			rc = -1;
		}
		PQclear(res);
	}
	return rc;
}

PGresult *
db_exec_with(struct db *db, struct db_stmt *set, struct db_stmt *st,
    const char *const *params)
{
	struct db_stmt *seq[] = { &st_begin, set, st, &st_commit };
	PGresult *out = NULL, *sync;
	size_t i, n = sizeof(seq) / sizeof(seq[0]);
	char state[sizeof(db->sqlstate)];
	int failed = 0;

	if (db->depth > 0)
		return db_run(db, set, NULL) < 0 ? NULL : db_exec(db, st, params);
	db->sqlstate[0] = '\0';
	if (db->conn == NULL || db->lost) {
		db->lost = 1;
		return NULL;
	}
	for (i = 0; i < n; i++)
		if (db_prepare_(db, seq[i]) < 0)
			return NULL;
	if (!PQenterPipelineMode(db->conn)) {
		log_error("db: %s: cannot enter pipeline mode", st->name);
		return NULL;
	}
	db->statements += n;
	db->round_trips++;
	for (i = 0; i < n && !failed; i++)
		if (!PQsendQueryPrepared(db->conn, seq[i]->name, seq[i] == st ? st->nparams : 0,
		    seq[i] == st ? params : NULL, NULL, NULL, 0))
			failed = 1;
	if (failed || !PQpipelineSync(db->conn)) {
		db_note_failure_(db, NULL, st->name);
		PQexitPipelineMode(db->conn);
		db->lost = 1;	/* half a pipeline sent: do not trust the connection */
		return NULL;
	}
	/* Every result up to the sync is read, also after a failure. */
	for (i = 0; i < n; i++)
		if (db_pipeline_results_(db, seq[i], seq[i] == st ? &out : NULL, failed) < 0)
			failed = 1;
	sync = PQgetResult(db->conn);
	if (sync == NULL || PQresultStatus(sync) != PGRES_PIPELINE_SYNC)
		failed = db->lost = 1;
	PQclear(sync);
	if (!PQexitPipelineMode(db->conn))
		failed = db->lost = 1;
	if (PQstatus(db->conn) != CONNECTION_OK)
		failed = db->lost = 1;
	if (!failed && out != NULL)
		return out;
	PQclear(out);
	/* A failed statement leaves the transaction aborted: end it, and keep
	 * the failure's SQLSTATE for the caller. */
	memcpy(state, db->sqlstate, sizeof(state));
	if (!db->lost && PQtransactionStatus(db->conn) != PQTRANS_IDLE &&
	    db_run(db, &st_rollback, NULL) < 0)
		db->lost = 1;
	memcpy(db->sqlstate, state, sizeof(state));
	return NULL;
}

enum cs_result
db_do(struct db *db, struct db_stmt *st, const char *const *params)
{
	return db_run(db, st, params) == 0 ? CS_OK : db_result(db);
}

int
db_begin(struct db *db)
{
	if (db->depth++ > 0)
		return db->doomed ? -1 : 0;
	db->doomed = 0;
	/* Sent with the first statement (db_exec_bin, db_pipe_run). */
	db->begin_pending = 1;
	return 0;
}

int
db_begin_with(struct db *db, struct db_stmt *st, const char *param)
{
	size_t n = param != NULL ? strlen(param) : 0;

	if (st->nparams != 1 || n >= sizeof(db->first_param) || db_begin(db) < 0)
		return -1;
	if (!db->begin_pending)		/* nested: the transaction is under way */
		return db_run(db, st, (const char *[]){ param });
	memcpy(db->first_param, param, n + 1);
	db->first_st = st;
	return 0;
}

int
db_send_begin(struct db *db)
{
	struct db_stmt *owed[DB_OWED_MAX];
	const char *const first[] = { db->first_param };
	int n = db_owed_(db, owed), i;

	if (n < 0)
		return -1;
	db->statements -= (unsigned long)n;	/* db_run counts them */
	for (i = 0; i < n; i++)
		if (db_run(db, owed[i], owed[i]->nparams > 0 ? first : NULL) < 0)
			return -1;
	return 0;
}

int
db_tx_healthy(const struct db *db)
{
	if (db->lost || db->timed_out || db->conn == NULL || db->depth == 0)
		return 0;
	return db->begin_pending || PQtransactionStatus(db->conn) == PQTRANS_INTRANS;
}

int
db_commit(struct db *db)
{
	if (db->depth > 1) {
		db->depth--;
		return db->doomed ? -1 : 0;
	}
	db->depth = 0;
	if (db->doomed) {
		db_rollback(db);
		return -1;
	}
	if (db->begin_pending) {	/* nothing was run: nothing to commit */
		db->begin_pending = 0;
		db->first_st = NULL;
		return 0;
	}
	if (db_run(db, &st_commit, NULL) < 0) {
		db_rollback(db);
		return -1;
	}
	return 0;
}

void
db_rollback(struct db *db)
{
	if (db->depth > 1) {
		db->depth--;
		db->doomed = 1;
		return;
	}
	db->depth = 0;
	db->doomed = 0;
	db->begin_pending = 0;
	db->first_st = NULL;
	if (db->conn == NULL || PQtransactionStatus(db->conn) == PQTRANS_IDLE)
		return;
	if (db_run(db, &st_rollback, NULL) < 0)
		db->lost = 1;	/* cannot trust this connection any more */
}

enum cs_result
db_end(struct db *db, enum cs_result rc)
{
	if (rc == CS_OK && db_commit(db) < 0)
		rc = db_result(db);
	if (rc != CS_OK)
		db_rollback(db);
	return rc;
}

int
db_script(struct db *db, const char *sql, const char *what)
{
	PGresult *res;
	int rc = 0;

	if (db_send_begin(db) < 0)
		return -1;
	/* The simple query protocol runs several statements in one message. */
	if (!PQsendQuery(db->conn, sql))
		return log_fail("db: %s: %s", what, PQerrorMessage(db->conn));
	while ((res = PQgetResult(db->conn)) != NULL) {
		ExecStatusType s = PQresultStatus(res);

		if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK && rc == 0) {
			db_note_failure_(db, res, what);
			rc = -1;
		}
		PQclear(res);
	}
	return rc;
}

long long
db_ll(const PGresult *r, int row, int col)
{
	long long v = 0;

	config_parse_long(PQgetvalue(r, row, col), -(1LL << 62), 1LL << 62, &v);
	return v;
}

int
db_bool(const PGresult *r, int row, int col)
{
	return PQgetvalue(r, row, col)[0] == 't';
}

const char *
db_str(struct arena *a, const PGresult *r, int row, int col, int *failed)
{
	const char *s = arena_strdup(a, PQgetvalue(r, row, col));

	if (s == NULL && failed != NULL)
		*failed = 1;
	return s;
}

long long
db_changed(const PGresult *r)
{
	long long v = 0;

	config_parse_long(PQcmdTuples((PGresult *)r), 0, 1LL << 62, &v);
	return v;
}

enum cs_result
db_result(const struct db *db)
{
	if (db_lost(db))
		return CS_DB_LOST;
	if (db_is(db, "23505"))
		return CS_TAKEN;
	if (db_is(db, "40001") || db_is(db, "40P01"))
		return CS_CONFLICT;
	return CS_FAILED;
}

/* Fills up to max rows of res into an arena array. */
enum cs_result
db_fill_rows_(struct arena *a, const PGresult *res, int max, size_t elem_size, db_fill_fn fill,
    void **out, size_t *n)
{
	char *arr;
	int i;

	*out = NULL;
	*n = 0;
	if (max <= 0)
		return CS_OK;
	arr = arena_calloc(a, (size_t)max, elem_size);
	if (arr == NULL)
		return CS_FAILED;
	for (i = 0; i < max; i++)
		if (fill(a, res, i, arr + (size_t)i * elem_size) != CS_OK)
			return CS_FAILED;
	*out = arr;
	*n = (size_t)max;
	return CS_OK;
}

enum cs_result
db_rows(struct db *db, struct arena *a, struct db_stmt *st, const char *const *params,
    size_t elem_size, db_fill_fn fill, void **out, size_t *n)
{
	PGresult *res = db_exec(db, st, params);
	enum cs_result rc;

	*out = NULL;
	*n = 0;
	if (res == NULL)
		return db_result(db);
	rc = db_fill_rows_(a, res, PQntuples(res), elem_size, fill, out, n);
	PQclear(res);
	return rc;
}

enum cs_result
db_page(struct db *db, struct arena *a, struct db_stmt *st, const char *const *params,
    int limit, size_t elem_size, db_fill_fn fill, void **out, size_t *n, int *more)
{
	return db_page_with(db, a, NULL, st, params, limit, elem_size, fill, out, n, more);
}

enum cs_result
db_page_with(struct db *db, struct arena *a, struct db_stmt *set, struct db_stmt *st,
    const char *const *params, int limit, size_t elem_size, db_fill_fn fill, void **out,
    size_t *n, int *more)
{
	PGresult *res = set != NULL ? db_exec_with(db, set, st, params) : db_exec(db, st, params);
	enum cs_result rc;
	int rows;

	*out = NULL;
	*n = 0;
	*more = 0;
	if (res == NULL)
		return db_result(db);
	rows = PQntuples(res);
	if (rows > limit) {
		*more = 1;
		rows = limit;
	}
	rc = db_fill_rows_(a, res, rows, elem_size, fill, out, n);
	PQclear(res);
	return rc;
}

enum cs_result
db_one(struct db *db, struct arena *a, struct db_stmt *st, const char *const *params,
    db_fill_fn fill, void *elem)
{
	PGresult *res = db_exec(db, st, params);
	enum cs_result rc;

	if (res == NULL)
		return db_result(db);
	rc = PQntuples(res) < 1 ? CS_NOT_FOUND : fill(a, res, 0, elem);
	PQclear(res);
	return rc;
}

enum cs_result
db_number(struct db *db, struct db_stmt *st, const char *const *params, int col, long long *n)
{
	PGresult *res = db_exec(db, st, params);

	*n = 0;
	if (res == NULL)
		return db_result(db);
	if (PQntuples(res) == 1)
		*n = db_ll(res, 0, col);
	PQclear(res);
	return CS_OK;
}

enum cs_result
db_id(struct db *db, struct db_stmt *st, const char *const *params, int col, long long *id)
{
	enum cs_result rc = db_number(db, st, params, col, id);

	if (rc == CS_OK && *id <= 0) {
		*id = 0;
		return CS_NOT_FOUND;
	}
	return rc;
}

enum cs_result
db_changed_one(struct db *db, PGresult *r)
{
	enum cs_result rc;

	if (r == NULL)
		return db_result(db);
	rc = db_changed(r) > 0 ? CS_OK : CS_NOT_FOUND;
	PQclear(r);
	return rc;
}

enum cs_result
db_update_one(struct db *db, struct db_stmt *st, const char *const *params)
{
	return db_changed_one(db, db_exec(db, st, params));
}

enum cs_result
db_fill_option(struct arena *a, const PGresult *r, int row, void *elem)
{
	struct db_option *o = elem;
	int failed = 0;

	o->id = db_ll(r, row, 0);
	o->name = db_str(a, r, row, 1, &failed);
	return failed ? CS_FAILED : CS_OK;
}

enum cs_result
db_options(struct db *db, struct arena *a, struct db_stmt *st, const char *const *params,
    struct db_option **out, size_t *n)
{
	void *arr;
	enum cs_result rc = db_rows(db, a, st, params, sizeof(**out), db_fill_option, &arr, n);

	*out = arr;
	return rc;
}

const char *
db_param_ll(struct arena *a, long long v)
{
	return arena_lld(a, v);
}

const char *
db_param_id(struct arena *a, long long v)
{
	return v == 0 ? NULL : db_param_ll(a, v);
}
