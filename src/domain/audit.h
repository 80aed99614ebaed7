/*
 * audit.h — the audit trail: who did what, when and from where
 * (sql/migrations/003_audit.sql). Rows are only added; the database
 * chains each to the one before it by a hash, which audit_verify checks.
 *
 * Writing: audit_record adds one row with one INSERT, inside the caller's
 * transaction if one is open, so the record and the change it describes
 * commit or vanish together. Audit writers are serialised by the table's
 * trigger until their transaction ends: make the audit row the last
 * statement before COMMIT, and write it under READ COMMITTED (in
 * REPEATABLE READ or SERIALIZABLE a concurrent audit write makes it fail
 * with 23505 on audit_log_prev_hash_key; retry the transaction).
 *
 * Both programs' roles may add rows; only the console's role may read them.
 */
#ifndef CSDESK_AUDIT_H
#define CSDESK_AUDIT_H

#include <stddef.h>

#include "core/result.h"

struct arena;
struct db;
struct json_t;

/* SQLSTATE of the trigger that refuses UPDATE, DELETE and TRUNCATE. */
#define AUDIT_SQLSTATE_APPEND_ONLY "UA001"

/* Largest detail object accepted, serialised (bytes). */
#define AUDIT_DETAIL_MAX 65536

/*
 * Who acted. The names are audit_log.actor_kind's values. ANY is 0, so a
 * zeroed filter matches everyone and a zeroed entry is refused.
 */
enum audit_actor {
	AUDIT_ACTOR_ANY,		/* in a filter only */
	AUDIT_ACTOR_STAFF,
	AUDIT_ACTOR_CUSTOMER,		/* a portal user */
	AUDIT_ACTOR_SYSTEM,		/* batch jobs, timers */
	AUDIT_ACTOR_CLI,		/* the csdesk command */
	AUDIT_ACTOR_API,		/* an API key */
	AUDIT_ACTOR__MAX
};

/* "staff", "customer", …; NULL for ANY or a value out of range. */
const char *audit_actor_name(enum audit_actor kind);

/* The kind called name, or AUDIT_ACTOR_ANY when there is none. */
enum audit_actor audit_actor_from_name(const char *name);

struct audit_entry {
	enum audit_actor actor_kind;
	long long actor_id;		/* staff / portal user / key id; 0: none */
	const char *action;		/* "login.failure": [a-z0-9_] words joined by dots */
	const char *object_type;	/* "ticket", or NULL */
	const char *object_id;		/* "TKT-000123", or NULL */
	/*
	 * A JSON object, or NULL for {}. Build it with jansson (json_pack),
	 * never by pasting text. Strings must not hold U+0000: PostgreSQL's
	 * jsonb refuses it (SQLSTATE 22P05).
	 */
	const struct json_t *detail;
	const char *ip;			/* "192.0.2.1", "2001:db8::1"; NULL or "": none */
};

/*
 * Adds e to the audit log. The database assigns id, time and hashes.
 * Returns CS_OK; CS_FAILED after logging why for an invalid entry (kind out
 * of range, no action, detail not an object or over AUDIT_DETAIL_MAX); or
 * the database's failure as db_result() names it (db->sqlstate: 23514 for
 * an action, object type or address the table's checks refuse, 22P02 for
 * an ip that is not an address, 23505 → CS_TAKEN when a concurrent audit
 * write forked the chain in REPEATABLE READ). Nothing is owned by the callee.
 */
enum cs_result audit_record(struct db *db, const struct audit_entry *e);

/* Why the chain is broken. */
enum audit_flaw {
	AUDIT_FLAW_NONE,
	AUDIT_FLAW_ALTERED,	/* the row's hash does not cover its contents */
	AUDIT_FLAW_UNLINKED	/* its prev_hash is not the hash of the row before */
};

struct audit_verdict {
	long long rows;		/* rows found sound, in id order */
	long long bad_id;	/* the first row that breaks the chain; 0: none */
	long long prev_id;	/* the row before bad_id; 0 when bad_id is the first */
	enum audit_flaw flaw;
};

/*
 * Walks the whole log in id order, a page at a time, recomputing each
 * row's hash with the database's audit_row_digest() and checking that
 * each row's prev_hash is the hash of the row before it (NULL for the
 * first). Fills v: v->bad_id is 0 when the chain is intact, else the row
 * where it breaks. CS_OK, or the failure of the database (logged).
 *
 * Catches a row altered, removed or inserted out of turn. It cannot catch
 * rows cut from the end, or a chain recomputed from some row on: keep a
 * copy of the newest hash elsewhere for that.
 */
enum cs_result audit_verify_report(struct db *db, struct audit_verdict *v);

/*
 * audit_verify_report, reduced to the row count (rows sound before the
 * first bad one, or all) and the first bad row's id (0 when intact).
 * CS_OK or the failure.
 */
enum cs_result audit_verify(struct db *db, long long *rows, long long *first_bad_id);

/* Rows per page of the admin list, and the most one call returns. */
#define AUDIT_LIST_PAGE 50
#define AUDIT_LIST_MAX 500

struct audit_filter {
	enum audit_actor actor_kind;	/* AUDIT_ACTOR_ANY: anyone */
	long long actor_id;		/* with a kind: that one actor; 0: all of the kind */
	const char *action;		/* exactly this action; NULL: any */
	long long before_id;		/* rows older than this id; 0: from the newest */
	int limit;			/* 1..AUDIT_LIST_MAX; 0: AUDIT_LIST_PAGE */
};

struct audit_row {
	long long id;
	const char *at;			/* "2024-05-01T12:00:00.123456Z" (UTC) */
	const char *actor_kind;		/* "staff", … */
	long long actor_id;		/* 0: none */
	const char *action;
	const char *object_type;	/* NULL: none */
	const char *object_id;		/* NULL: none */
	const char *detail;		/* the JSON object, as text */
	const char *ip;			/* NULL: none */
};

/*
 * The newest rows matching f (NULL: no filter), newest first: *rows (an
 * array of *n) and every string in it live in the arena a. For the next
 * page, pass the last row's id as before_id. CS_OK, or the failure (a
 * filter out of range, the database, out of memory: logged; *rows NULL
 * and *n 0).
 */
enum cs_result audit_list_recent(struct db *db, struct arena *a, const struct audit_filter *f,
    struct audit_row **rows, size_t *n);

#endif
