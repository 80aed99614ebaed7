/*
 * db.h — one PostgreSQL connection with its prepared statements.
 *
 * Every query is a struct db_stmt: a name, static SQL with $1… placeholders,
 * prepared on first use on each connection and again after a reconnect.
 * Values always travel as parameters, never inside the SQL text. Each
 * domain module keeps its statements in one table next to its rules.
 *
 * Errors are logged with the statement name and SQLSTATE (never parameter
 * values); db->sqlstate keeps the last one so callers can tell a conflict
 * (23505) from a lost connection (db_lost()).
 */
#ifndef CSDESK_DB_H
#define CSDESK_DB_H

#include <libpq-fe.h>
#include <stddef.h>

#include "core/result.h"

struct arena;

/*
 * Fills one element of an array from row `row` of r, in the arena.
 * Returns CS_OK, or CS_FAILED when out of memory.
 */
typedef enum cs_result (*db_fill_fn)(struct arena *a, const PGresult *r, int row, void *elem);

struct db_stmt {
	const char *name;	/* unique across the program */
	const char *sql;
	int nparams;
	int slot;		/* assigned on first use; 0 until then */
};

#define DB_STMT(name_, sql_, nparams_) { (name_), (sql_), (nparams_), 0 }

/*
 * A statement made at run time for one shape of a query (which optional
 * filters are given), kept for the life of the process and prepared per
 * connection like the static ones (db_shapes.c says why). name is unique
 * per shape (at most 39 bytes); sql is copied. db_stmt_shape_find() looks
 * a shape up without making it, so a caller builds the SQL only once.
 * NULL: not known (find), or too many shapes / out of memory (make) — the
 * caller then uses its general statement.
 */
struct db_stmt *db_stmt_shape_find(const char *name);
struct db_stmt *db_stmt_shape(const char *name, const char *sql, int nparams);

struct db {
	PGconn *conn;
	const char *conninfo;
	const char *application_name;
	unsigned char *prepared;	/* per slot: prepared on this connection */
	size_t nprepared;
	char sqlstate[6];
	int lost;			/* the connection broke; reconnect before use */
	/* A statement ran out of time (statement_timeout, SQLSTATE 57014) or
	 * waited too long for a lock (lock_timeout, 55P03) since the last
	 * db_ensure: the connection is fine, the work was not done. */
	int timed_out;
	/* The limits db_set_limits asked for, in ms, and whether this
	 * connection has yet to be told them. */
	int statement_ms, lock_ms;
	int limits_set, limits_stale;
	int depth;			/* nested db_begin calls */
	/* db_begin sent nothing yet: BEGIN goes out in the round trip of the
	 * transaction's first statement (a transaction costs a trip less). */
	int begin_pending;
	/* db_begin_with's statement and its one parameter, owed with the BEGIN. */
	struct db_stmt *first_st;
	char first_param[40];
	int doomed;			/* an inner level rolled back: the outer commit fails */
	/* This connection's number, unique in the process: a per-connection
	 * state (a LISTEN, a cache kept fresh by one) is remade when it
	 * changes. */
	unsigned long connects;
	/* Statements run and round trips made on this db since it was opened
	 * (a pipeline of N statements is N and 1): what a page costs. */
	unsigned long statements, round_trips;
};

/*
 * Connects with conninfo (a libpq connection string, expanded by libpq)
 * and names the session application_name. Returns 0, or -1 after logging
 * why; db is usable with db_ensure() either way.
 */
int db_open(struct db *db, const char *conninfo, const char *application_name);

/* Closes the connection and frees what db holds. */
void db_close(struct db *db);

/*
 * Makes sure the connection is up, reconnecting (and forgetting prepared
 * statements) when it was lost. Rolls back a transaction a previous request
 * left open, forgets an earlier timeout and applies the limits of
 * db_set_limits when they changed. Returns 0, or -1 when the server cannot
 * be reached.
 */
int db_ensure(struct db *db);

/*
 * How long one statement may run (statement_timeout) and wait for a lock
 * (lock_timeout), in milliseconds, 0 for no limit: told to the server at the
 * next db_ensure when they differ from what this connection has, and again
 * after every reconnect. A statement over its limit fails with db_lost()
 * true and db_result() CS_DB_LOST: answer 503, try again later. Without a
 * call, the server's defaults stay.
 */
void db_set_limits(struct db *db, int statement_ms, int lock_ms);

/*
 * Non-zero when the database cannot do the work now: the connection was
 * lost, or since the last db_ensure a statement ran out of time or waited
 * too long for a lock (answer 503 with Retry-After).
 */
int db_lost(const struct db *db);

/*
 * Executes st with params (text format; a NULL entry is SQL NULL).
 * Returns the result (PGRES_TUPLES_OK or PGRES_COMMAND_OK), which the
 * caller PQclear()s, or NULL after logging the failure.
 */
PGresult *db_exec(struct db *db, struct db_stmt *st, const char *const *params);

/*
 * Like db_exec with binary-safe parameters: lengths and formats per
 * parameter (format 1 = binary, e.g. bytea); lengths may be NULL.
 */
PGresult *db_exec_bin(struct db *db, struct db_stmt *st, const char *const *params,
    const int *lengths, const int *formats);

/*
 * Executes st with params in a transaction of its own that first runs set
 * (a statement without parameters that changes settings for the
 * transaction only: set_config(…, true)). BEGIN, set, st and COMMIT travel
 * in one round trip. Inside a transaction already open, set and st run in
 * it, and the settings last to its end. Returns st's result (the caller
 * PQclear()s it), or NULL after logging the failure; nothing stays open.
 */
PGresult *db_exec_with(struct db *db, struct db_stmt *set, struct db_stmt *st,
    const char *const *params);

/*
 * A pipeline: up to DB_PIPE_MAX prepared statements sent at once and their
 * results read back in one round trip, for a page that shows the rows of
 * several statements. db_pipe_add() queues st with params (which must
 * stay valid until db_pipe_run) and returns its index, or -1 when the
 * pipe is full (db_pipe_run then fails with CS_FAILED). db_pipe_run()
 * sends them all, in one implicit transaction unless one is open (so they
 * read one snapshot), and keeps each result: CS_OK, or the first
 * failure (db_result()), after which no result is kept.
 * db_pipe_rows() turns result i into an arena array as db_rows does;
 * db_pipe_result() lends result i (NULL before a good run). Every
 * result is freed by db_pipe_release(), safe to call twice.
 */
#define DB_PIPE_MAX 16
struct db_pipe {
	struct db_stmt *st[DB_PIPE_MAX];
	const char *const *params[DB_PIPE_MAX];
	PGresult *res[DB_PIPE_MAX];
	size_t n;
	int full;
};

void db_pipe_init(struct db_pipe *p);
int db_pipe_add(struct db_pipe *p, struct db_stmt *st, const char *const *params);
enum cs_result db_pipe_run(struct db *db, struct db_pipe *p);
const PGresult *db_pipe_result(const struct db_pipe *p, int i);
enum cs_result db_pipe_rows(struct db_pipe *p, int i, struct arena *a, size_t elem_size,
    db_fill_fn fill, void **out, size_t *n);
void db_pipe_release(struct db_pipe *p);

/* Executes st and discards the result. Returns 0 or -1. */
int db_run(struct db *db, struct db_stmt *st, const char *const *params);

/* db_run for a domain function: CS_OK, or the failure as db_result() names it. */
enum cs_result db_do(struct db *db, struct db_stmt *st, const char *const *params);

/*
 * Transactions: 0 or -1. They nest: only the outermost db_begin/db_commit
 * talk to the server, so a domain function can open its own transaction
 * inside the one the request already runs in. A db_rollback at any level
 * rolls back everything, and the outer db_commit then fails. db_rollback
 * is safe to call when none is open. db_begin sends nothing: BEGIN goes
 * with the transaction's first statement, and a transaction that ran
 * nothing commits without a word to the server.
 */
int db_begin(struct db *db);
/*
 * db_begin, and st (one parameter, copied) as the transaction's first
 * statement, sent in the same round trip as the next one: for a setting
 * every transaction of a request starts with (the portal's customer for
 * row-level security). param at most 39 bytes. 0 or -1.
 */
int db_begin_with(struct db *db, struct db_stmt *st, const char *param);

/*
 * Inside a transaction that has not failed: begun (even if nothing was
 * sent yet) and not aborted by an error. What a step that failed before
 * reaching the database asks to tell "skip this one" from "the
 * transaction is lost".
 */
int db_tx_healthy(const struct db *db);

/*
 * Sends a pending BEGIN now: for what talks to the connection without a
 * prepared statement (db_script, a test's libpq call). 0 or -1.
 */
int db_send_begin(struct db *db);
int db_commit(struct db *db);
void db_rollback(struct db *db);

/*
 * Ends a change the caller began with db_begin, given how it went: commits
 * when rc is CS_OK (a failed commit becomes db_result()), else rolls back.
 * Returns the outcome: `return db_end(db, rc);`.
 */
enum cs_result db_end(struct db *db, enum cs_result rc);

/*
 * Runs a script of several SQL statements (a migration file: trusted text
 * from disk, never user input) in the current transaction. 0 or -1.
 */
int db_script(struct db *db, const char *sql, const char *what);

/*
 * Reading results. db_ll: a number column (0 when NULL or not a number);
 * db_bool: a boolean column; db_str: a copy in the arena (sets *failed
 * when out of memory, so a row can be read and checked once).
 */
long long db_ll(const PGresult *r, int row, int col);
int db_bool(const PGresult *r, int row, int col);
const char *db_str(struct arena *a, const PGresult *r, int row, int col, int *failed);
/* A bytea column (text format) as its bytes, copied into a (db_bytes.c). CS_OK or CS_FAILED. */
enum cs_result db_bytes(struct arena *a, const PGresult *r, int row, int col,
    const void **data, size_t *size);

/* The number of rows a command changed (UPDATE, DELETE). */
long long db_changed(const PGresult *r);

/*
 * Whether a NOTIFY on channel (LISTENed to on this connection) has arrived
 * since the last call. Reads what the socket already holds and never waits;
 * notifications on other channels are dropped. 1 or 0.
 */
int db_notified(struct db *db, const char *channel);

/*
 * Waits up to timeout_ms for a NOTIFY on channel (LISTENed to on this
 * connection), returning as soon as one arrives; one already received
 * counts at once. Outside a transaction. 1 notified, 0 not (the time ran
 * out, or a signal came), -1 the connection broke (marked lost: db_ensure
 * reconnects, and the LISTEN must be made again).
 */
int db_wait_notify(struct db *db, const char *channel, int timeout_ms);

/* True when the last error's SQLSTATE equals code ("23505"). */
int db_is(const struct db *db, const char *code);

/*
 * What the last failure means for the caller: CS_DB_LOST (connection
 * gone, or a statement or lock timeout, 57014/55P03: db_lost()), CS_TAKEN
 * (unique violation 23505), CS_CONFLICT (serialization failure or
 * deadlock, 40001/40P01: try again), else CS_FAILED. The one place a
 * SQLSTATE becomes a domain result.
 */
enum cs_result db_result(const struct db *db);

/*
 * Rows by name. A query's columns are written once, as a list macro of
 * X(prefix, name, "sql expression") entries:
 *
 *   #define TL_COLS(X) X(TL, id, "t.id") X(TL, number, "t.number")
 *   enum { DB_COL_ENUM(TL_COLS) };            TL_id = 1, TL_number = 2, …
 *   "SELECT " DB_COLS(TL_COLS) " FROM tickets t"
 *
 * and read with db_ll(r, i, TL_id). The SELECT list and the positions come
 * from the same list, so a column's position is never typed. Position 0 is
 * a NULL placeholder, so every entry expands the same way (", expr").
 */
#define DB_COL_POS_(prefix, name, expr) prefix##_##name,
#define DB_COL_SQL_(prefix, name, expr) ", " expr
#define DB_COL_ENUM(cols) DB_COL_PLACEHOLDER_##cols = 0, cols(DB_COL_POS_)
#define DB_COLS(cols) "NULL" cols(DB_COL_SQL_)


/*
 * Runs st and turns its rows into an arena array of elem_size elements
 * filled by fill: *out (NULL when there are none) and *n. Returns CS_OK or
 * the failure (db_result(); out of memory is CS_FAILED).
 */
enum cs_result db_rows(struct db *db, struct arena *a, struct db_stmt *st,
    const char *const *params, size_t elem_size, db_fill_fn fill, void **out, size_t *n);

/*
 * A keyset page: like db_rows, for a statement asked for limit + 1 rows.
 * At most limit come back; *more is set when there was another (the
 * caller takes the next key from the last element).
 */
enum cs_result db_page(struct db *db, struct arena *a, struct db_stmt *st,
    const char *const *params, int limit, size_t elem_size, db_fill_fn fill,
    void **out, size_t *n, int *more);

/*
 * db_page with the settings statement set run first, in one round trip
 * (as db_exec_with; set NULL: as db_page).
 */
enum cs_result db_page_with(struct db *db, struct arena *a, struct db_stmt *set,
    struct db_stmt *st, const char *const *params, int limit, size_t elem_size,
    db_fill_fn fill, void **out, size_t *n, int *more);

/*
 * One row by its key: runs st (which returns at most one row) and fills
 * elem from the row with fill. CS_OK, CS_NOT_FOUND when there is no row, or
 * the failure (db_result(); out of memory is CS_FAILED).
 */
enum cs_result db_one(struct db *db, struct arena *a, struct db_stmt *st,
    const char *const *params, db_fill_fn fill, void *elem);

/*
 * An id from one row: runs st (an INSERT … RETURNING id, or a lookup) and
 * reads column col of its row into *id. CS_OK; CS_NOT_FOUND when no row
 * (or no positive id) came back; or the failure (db_result(), with
 * db->sqlstate kept for the caller to read). *id is 0 unless CS_OK.
 */
enum cs_result db_id(struct db *db, struct db_stmt *st, const char *const *params, int col,
    long long *id);

/*
 * A number from one row (a count, a sum, what a function returns): runs
 * st and reads column col of its row into *n, 0 when no row came back.
 * CS_OK or the failure (db_result()).
 */
enum cs_result db_number(struct db *db, struct db_stmt *st, const char *const *params, int col,
    long long *n);

/*
 * Whether a change found its row. Consumes r: the result of a db_exec*
 * of an UPDATE or DELETE (with or without RETURNING), or NULL after its
 * failure. CS_OK when a row changed, CS_NOT_FOUND when none did, or the
 * failure (db_result()).
 */
enum cs_result db_changed_one(struct db *db, PGresult *r);

/* Runs st, an UPDATE or DELETE of one row by its key: db_changed_one's answer. */
enum cs_result db_update_one(struct db *db, struct db_stmt *st, const char *const *params);

/* A choice for a form: an id and what it is called. */
struct db_option {
	long long id;
	const char *name;
};

/*
 * Runs st, whose first two columns are an id and a name, into an array of
 * options. Returns CS_OK or the failure.
 */
enum cs_result db_options(struct db *db, struct arena *a, struct db_stmt *st,
    const char *const *params, struct db_option **out, size_t *n);

/*
 * A list kept in one column: row `row`, column `col` of r holds a JSON
 * array of rows, each an array of ncols values (json_agg(json_build_array
 * (...)) in SQL). *cells gets *nrows * ncols strings in a's arena, row
 * after row, as PostgreSQL prints them (null: ""). CS_OK, or CS_FAILED
 * (not such an array, or out of memory). Lets a page read several short
 * lists of one object in that object's statement (db_json.c says why).
 */
enum cs_result db_json_table(struct arena *a, const PGresult *r, int row, int col, size_t ncols,
    const char ***cells, size_t *nrows);

/* db_options' fill: an option from row's first two columns (db_pipe_rows). */
enum cs_result db_fill_option(struct arena *a, const PGresult *r, int row, void *elem);

/* v as a parameter's text, in the arena; NULL when out of memory. */
const char *db_param_ll(struct arena *a, long long v);

/* v as a parameter, or SQL NULL when v is 0 (an optional id). */
const char *db_param_id(struct arena *a, long long v);

#endif
