/* events.c — see events.h. */
#include "domain/events.h"
#include "core/arena.h"
#include "core/log.h"
#include "db/db.h"

#include <jansson.h>
#include <string.h>

#define EV_COLS(X) \
	X(EV, id, "id") X(EV, tx, "tx::text") X(EV, aggregate, "aggregate") \
	X(EV, aggregate_id, "aggregate_id") X(EV, type, "type") \
	X(EV, actor_kind, "actor_kind") X(EV, actor_id, "coalesce(actor_id, 0)") \
	X(EV, payload, "payload::text") \
	X(EV, occurred_at, "to_char(occurred_at AT TIME ZONE 'UTC', " \
	    "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')")
enum { DB_COL_ENUM(EV_COLS) };
#define CU_COLS(X) X(CU, tx, "tx::text") X(CU, last_id, "last_id")
enum { DB_COL_ENUM(CU_COLS) };

enum stmt {
	ST_APPEND,
	ST_CURSOR_MAKE,
	ST_CURSOR_CLAIM,
	ST_READY,
	ST_CURSOR_MOVE,
	ST_NEWEST,
	ST__MAX
};

static struct db_stmt stmts[] = {
	/* No RETURNING: the portal's role may insert events but not read them. */
	[ST_APPEND] = DB_STMT("events_append",
	    "INSERT INTO domain_events "
	    "(aggregate, aggregate_id, type, actor_kind, actor_id, payload) "
	    "VALUES ($1, $2, $3, $4, nullif($5::bigint, 0), coalesce($6::jsonb, '{}'))", 6),
	/* Reads before inserting: an INSERT that meets the row while another
	 * dispatcher is moving it would wait for that one to commit. */
	[ST_CURSOR_MAKE] = DB_STMT("events_cursor_make",
	    "INSERT INTO event_cursors (consumer) SELECT $1::text WHERE NOT EXISTS "
	    "(SELECT FROM event_cursors WHERE consumer = $1::text) ON CONFLICT DO NOTHING", 1),
	/* SKIP LOCKED: a second dispatcher for the same consumer finds no
	 * row and leaves the work to the first. */
	[ST_CURSOR_CLAIM] = DB_STMT("events_cursor_claim",
	    "SELECT " DB_COLS(CU_COLS) " FROM event_cursors WHERE consumer = $1 "
	    "FOR UPDATE SKIP LOCKED", 1),
	/* Only transactions older than every running one: they have all
	 * ended, so no event can appear behind the cursor later. The ORDER
	 * BY names the table's column: a bare "tx" is the output column
	 * tx::text, which sorts "1000" before "995" and moved the cursor back
	 * whenever the transaction ids of one batch gained a digit. */
	[ST_READY] = DB_STMT("events_ready",
	    "SELECT " DB_COLS(EV_COLS) " FROM domain_events "
	    "WHERE (tx, id) > ($1::xid8, $2::bigint) "
	    "AND tx < pg_snapshot_xmin(pg_current_snapshot()) "
	    "ORDER BY domain_events.tx, domain_events.id LIMIT $3", 3),
	[ST_CURSOR_MOVE] = DB_STMT("events_cursor_move",
	    "UPDATE event_cursors SET tx = $2::xid8, last_id = $3, "
	    "processed = processed + $4, updated_at = now() WHERE consumer = $1", 4),
	/* The primary key's last entry: a probe, however many events there are. */
	[ST_NEWEST] = DB_STMT("events_newest",
	    "SELECT coalesce(max(id), 0) FROM domain_events", 0),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "a statement per enum entry");

enum cs_result
events_append(struct db *db, const char *aggregate, long long aggregate_id, const char *type,
    const struct event_actor *actor, const char *payload)
{
	char idbuf[24], actorbuf[24];
	const char *params[6];
	PGresult *r;

	snprintf(idbuf, sizeof(idbuf), "%lld", aggregate_id);
	snprintf(actorbuf, sizeof(actorbuf), "%lld", actor ? actor->id : 0);
	params[0] = aggregate;
	params[1] = idbuf;
	params[2] = type;
	params[3] = actor && actor->kind ? actor->kind : "system";
	params[4] = actorbuf;
	params[5] = payload;
	r = db_exec(db, &stmts[ST_APPEND], params);
	if (r == NULL)
		return db_result(db);
	PQclear(r);
	return CS_OK;
}

enum cs_result
events_newest(struct db *db, long long *id)
{
	return db_number(db, &stmts[ST_NEWEST], NULL, 0, id);
}

static enum cs_result
fill_event(struct arena *a, const PGresult *r, int row, struct event *e)
{
	int failed = 0;

	e->id = db_ll(r, row, EV_id);
	e->aggregate = db_str(a, r, row, EV_aggregate, &failed);
	e->aggregate_id = db_ll(r, row, EV_aggregate_id);
	e->type = db_str(a, r, row, EV_type, &failed);
	e->actor.kind = db_str(a, r, row, EV_actor_kind, &failed);
	e->actor.id = db_ll(r, row, EV_actor_id);
	e->payload = db_str(a, r, row, EV_payload, &failed);
	e->occurred_at = db_str(a, r, row, EV_occurred_at, &failed);
	return failed ? CS_FAILED : CS_OK;
}

/* Handles the rows of ready; sets the new cursor. CS_OK or the failure. */
static enum cs_result
handle_ready(struct db *db, struct arena *a, const struct event_consumer *c,
    const PGresult *ready, char *tx, size_t txsize, long long *last_id, long *done)
{
	int i, n = PQntuples(ready);

	for (i = 0; i < n; i++) {
		struct event e;
		enum cs_result rc;

		if (fill_event(a, ready, i, &e) != CS_OK)
			return CS_FAILED;
		rc = c->handle(db, a, &e, c->ctx);
		if (rc != CS_OK) {
			log_error("events: consumer %s: event %lld (%s): %s", c->name, e.id,
			    e.type, cs_result_str(rc));
			return rc == CS_DB_LOST ? rc : CS_FAILED;
		}
		snprintf(tx, txsize, "%s", PQgetvalue(ready, i, EV_tx));
		*last_id = e.id;
		(*done)++;
	}
	return CS_OK;
}

enum cs_result
events_dispatch(struct db *db, struct arena *a, const struct event_consumer *c, int limit,
    long *done)
{
	char tx[32], last[24], lim[16], count[24];
	const char *name[1] = { c->name };
	const char *ready_p[3] = { tx, last, lim };
	const char *move_p[4] = { c->name, tx, last, count };
	PGresult *cur = NULL, *ready = NULL;
	long long last_id;
	enum cs_result rc;

	*done = 0;
	if (limit < 1 || limit > EVENTS_BATCH_MAX)
		limit = EVENTS_BATCH_MAX;
	if (db_run(db, &stmts[ST_CURSOR_MAKE], name) < 0 || db_begin(db) < 0)
		return db_result(db);
	cur = db_exec(db, &stmts[ST_CURSOR_CLAIM], name);
	if (cur == NULL) {
		rc = db_result(db);
		goto out;
	}
	rc = CS_OK;
	if (PQntuples(cur) == 0)	/* another dispatcher has it: its work */
		goto out;
	snprintf(tx, sizeof(tx), "%s", PQgetvalue(cur, 0, CU_tx));
	last_id = db_ll(cur, 0, CU_last_id);
	snprintf(last, sizeof(last), "%lld", last_id);
	snprintf(lim, sizeof(lim), "%d", limit);
	ready = db_exec(db, &stmts[ST_READY], ready_p);
	if (ready == NULL) {
		rc = db_result(db);
		goto out;
	}
	rc = handle_ready(db, a, c, ready, tx, sizeof(tx), &last_id, done);
	if (rc == CS_OK && *done > 0) {
		snprintf(last, sizeof(last), "%lld", last_id);
		snprintf(count, sizeof(count), "%ld", *done);
		if (db_run(db, &stmts[ST_CURSOR_MOVE], move_p) < 0)
			rc = db_result(db);
	}
out:
	PQclear(cur);
	PQclear(ready);
	if ((rc = db_end(db, rc)) != CS_OK)
		*done = 0;
	return rc;
}

enum cs_result
events_skip_or_fail(struct db *db, const char *consumer, const struct event *e)
{
	if (db_lost(db))
		return CS_DB_LOST;
	if (!db_tx_healthy(db))
		return CS_FAILED;
	log_warn("%s: event %lld (%s) of %s %lld: nothing made; skipped", consumer, e->id,
	    e->type, e->aggregate, e->aggregate_id);
	return CS_OK;
}

enum cs_result
events_drain(struct db *db, const struct event_consumer *c, int max_batches, long *done)
{
	enum cs_result rc = CS_OK;
	int i;

	for (i = 0; i < max_batches && rc == CS_OK; i++) {
		struct arena *a = arena_new(64 * 1024);
		long n = 0;

		if (a == NULL) {
			log_error("events: %s: out of memory", c->name);
			return CS_FAILED;
		}
		rc = events_dispatch(db, a, c, EVENTS_BATCH_MAX, &n);
		arena_free(a);
		*done += n;
		if (n < EVENTS_BATCH_MAX)
			break;
	}
	return rc;
}

enum cs_result
events_drain_all(struct db *db, const struct event_consumer *consumers, size_t n,
    const struct event_consumer *skip, int max_batches, long *done)
{
	enum cs_result first = CS_OK, rc;
	size_t i;

	for (i = 0; i < n; i++) {
		if (&consumers[i] == skip)
			continue;
		rc = events_drain(db, &consumers[i], max_batches, done);
		if (first == CS_OK)
			first = rc;
	}
	return first;
}

json_t *
events_payload(const struct event *e)
{
	json_error_t err;
	json_t *o = json_loads(e->payload != NULL ? e->payload : "{}", 0, &err);

	if (o == NULL)
		log_error("events: event %lld (%s): payload: %s", e->id, e->type, err.text);
	return o;
}
