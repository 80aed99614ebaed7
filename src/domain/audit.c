/* audit.c — see audit.h. */
#include "domain/audit.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/log.h"
#include "db/db.h"

#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

static const char *const actor_names[AUDIT_ACTOR__MAX] = {
	[AUDIT_ACTOR_ANY] = NULL,
	[AUDIT_ACTOR_STAFF] = "staff",
	[AUDIT_ACTOR_CUSTOMER] = "customer",
	[AUDIT_ACTOR_SYSTEM] = "system",
	[AUDIT_ACTOR_CLI] = "cli",
	[AUDIT_ACTOR_API] = "api",
};
_Static_assert(sizeof(actor_names) / sizeof(actor_names[0]) == AUDIT_ACTOR__MAX,
    "one name per actor kind");

/* The database assigns id, at, prev_hash and hash (trigger audit_log_chain). */
static struct db_stmt st_insert = DB_STMT("audit_insert",
    "INSERT INTO audit_log (actor_kind, actor_id, action, object_type, object_id, detail, ip)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7)", 7);

/* Rows per page of audit_verify's walk. */
#define VERIFY_PAGE 1000
#define STR_(x) #x
#define STR(x) STR_(x)

/* Columns: id, prev_hash and hash in hex, and whether the hash covers the row. */
static struct db_stmt st_verify_page = DB_STMT("audit_verify_page",
    "SELECT id, encode(prev_hash, 'hex'), encode(hash, 'hex'),"
    " hash = audit_row_digest(prev_hash, id, at, actor_kind, actor_id, action,"
    "  object_type, object_id, detail, ip)"
    " FROM audit_log WHERE id > $1 ORDER BY id LIMIT " STR(VERIFY_PAGE), 1);

/*
 * The admin list: one statement per combination of filters, so that each
 * gets a plan that uses its index. The column list and fill_row() go
 * together.
 */
#define LIST_COLS \
	"id, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')," \
	" actor_kind, actor_id, action, object_type, object_id, detail::text, host(ip)"
enum { COL_ID, COL_AT, COL_KIND, COL_ACTOR, COL_ACTION, COL_OTYPE, COL_OID, COL_DETAIL,
	COL_IP, COL__MAX };
#define LIST_SQL(where) \
	"SELECT " LIST_COLS " FROM audit_log WHERE id < $1" where \
	" ORDER BY id DESC LIMIT $2"

/* By who: anyone, every actor of a kind, one actor. */
enum { BY_ANYONE, BY_KIND, BY_ACTOR, BY__MAX };

/* [who][action given]; $3… are the kind, the actor's id and the action, in that order. */
static struct db_stmt st_list[BY__MAX][2] = {
	[BY_ANYONE] = {
		DB_STMT("audit_list", LIST_SQL(""), 2),
		DB_STMT("audit_list_action", LIST_SQL(" AND action = $3"), 3),
	},
	[BY_KIND] = {
		DB_STMT("audit_list_kind", LIST_SQL(" AND actor_kind = $3"), 3),
		DB_STMT("audit_list_kind_action",
		    LIST_SQL(" AND actor_kind = $3 AND action = $4"), 4),
	},
	[BY_ACTOR] = {
		DB_STMT("audit_list_actor",
		    LIST_SQL(" AND actor_kind = $3 AND actor_id = $4"), 4),
		DB_STMT("audit_list_actor_action",
		    LIST_SQL(" AND actor_kind = $3 AND actor_id = $4 AND action = $5"), 5),
	},
};

const char *
audit_actor_name(enum audit_actor kind)
{
	if ((int)kind < 0 || kind >= AUDIT_ACTOR__MAX)
		return NULL;
	return actor_names[kind];
}

enum audit_actor
audit_actor_from_name(const char *name)
{
	int i;

	for (i = AUDIT_ACTOR_ANY + 1; name != NULL && i < AUDIT_ACTOR__MAX; i++)
		if (strcmp(name, actor_names[i]) == 0)
			return (enum audit_actor)i;
	return AUDIT_ACTOR_ANY;
}

/* json_dump_callback's sink: appends to a struct buf (which cannot fail loudly). */
static int
dump_to_buf(const char *s, size_t n, void *arg)
{
	struct buf *b = arg;

	buf_add(b, s, n);
	return buf_failed(b) || b->len > AUDIT_DETAIL_MAX ? -1 : 0;
}

int
audit_record(struct db *db, const struct audit_entry *e)
{
	const char *kind = audit_actor_name(e->actor_kind);
	char actor[24];
	const char *p[7];
	struct buf detail;
	int rc = -1;

	buf_init(&detail, NULL);
	if (kind == NULL || e->action == NULL || *e->action == '\0') {
		log_error("audit: entry without an actor kind or action");
		goto out;
	}
	if (e->detail == NULL) {
		buf_addstr(&detail, "{}");
	} else if (!json_is_object(e->detail) ||
	    json_dump_callback(e->detail, dump_to_buf, &detail, JSON_COMPACT) != 0) {
		log_error("audit: %s: detail is not an object of at most %d bytes", e->action,
		    AUDIT_DETAIL_MAX);
		goto out;
	}
	if (buf_failed(&detail)) {
		log_error("audit: %s: out of memory", e->action);
		goto out;
	}
	snprintf(actor, sizeof(actor), "%lld", e->actor_id);
	p[0] = kind;
	p[1] = e->actor_id != 0 ? actor : NULL;
	p[2] = e->action;
	p[3] = e->object_type;
	p[4] = e->object_id;
	p[5] = detail.buf;
	p[6] = e->ip != NULL && *e->ip != '\0' ? e->ip : NULL;
	rc = db_run(db, &st_insert, p);
out:
	buf_release(&detail);
	return rc;
}

/* A 64-hex-digit sha256, and the NUL. */
#define HEX_HASH 65

int
audit_verify_report(struct db *db, struct audit_verdict *v)
{
	char after[24] = "0", last_hash[HEX_HASH] = "";
	const char *p[] = { after };
	long long last_id = 0, id;
	PGresult *res = NULL;
	int i, n, rc = -1;

	memset(v, 0, sizeof(*v));
	do {
		res = db_exec(db, &st_verify_page, p);
		if (res == NULL)
			goto out;
		n = PQntuples(res);
		for (i = 0; i < n; i++) {
			const char *prev = PQgetisnull(res, i, 1) ? NULL : PQgetvalue(res, i, 1);
			const char *hash = PQgetvalue(res, i, 2);

			if (config_parse_long(PQgetvalue(res, i, 0), 1, LLONG_MAX, &id) < 0) {
				log_error("audit: verify: bad id from the database");
				goto out;
			}
			if (strcmp(PQgetvalue(res, i, 3), "t") != 0)
				v->flaw = AUDIT_FLAW_ALTERED;
			else if (last_id == 0 ? prev != NULL :
			    prev == NULL || strcmp(prev, last_hash) != 0)
				v->flaw = AUDIT_FLAW_UNLINKED;
			if (v->flaw != AUDIT_FLAW_NONE) {
				v->bad_id = id;
				v->prev_id = last_id;
				rc = 1;
				goto out;
			}
			/* Sound: its hash is audit_row_digest's, 64 hex digits. */
			snprintf(last_hash, sizeof(last_hash), "%s", hash);
			last_id = id;
			v->rows++;
		}
		snprintf(after, sizeof(after), "%lld", last_id);
		PQclear(res);
		res = NULL;
	} while (n == VERIFY_PAGE);
	rc = 0;
out:
	PQclear(res);
	return rc;
}

int
audit_verify(struct db *db, long long *rows, long long *first_bad_id)
{
	struct audit_verdict v;
	int rc = audit_verify_report(db, &v);

	*rows = v.rows;
	*first_bad_id = v.bad_id;
	return rc;
}

/* A copy of column c of row i in the arena, or NULL for SQL NULL; *ok = 0 on failure. */
static const char *
col(struct arena *a, const PGresult *res, int i, int c, int *ok)
{
	const char *s;

	if (PQgetisnull(res, i, c))
		return NULL;
	s = arena_strdup(a, PQgetvalue(res, i, c));
	if (s == NULL)
		*ok = 0;
	return s;
}

static int
fill_row(struct arena *a, const PGresult *res, int i, struct audit_row *r)
{
	int ok = 1;

	if (config_parse_long(PQgetvalue(res, i, COL_ID), 1, LLONG_MAX, &r->id) < 0)
		return -1;
	if (PQgetisnull(res, i, COL_ACTOR))
		r->actor_id = 0;
	else if (config_parse_long(PQgetvalue(res, i, COL_ACTOR), LLONG_MIN, LLONG_MAX,
	    &r->actor_id) < 0)
		return -1;
	r->at = col(a, res, i, COL_AT, &ok);
	r->actor_kind = col(a, res, i, COL_KIND, &ok);
	r->action = col(a, res, i, COL_ACTION, &ok);
	r->object_type = col(a, res, i, COL_OTYPE, &ok);
	r->object_id = col(a, res, i, COL_OID, &ok);
	r->detail = col(a, res, i, COL_DETAIL, &ok);
	r->ip = col(a, res, i, COL_IP, &ok);
	return ok ? 0 : -1;
}

int
audit_list_recent(struct db *db, struct arena *a, const struct audit_filter *f,
    struct audit_row **rows, size_t *n)
{
	static const struct audit_filter none = { 0 };
	char before[24], limit[16], actor[24];
	const char *p[5];
	struct db_stmt *st;
	PGresult *res = NULL;
	int by, np = 2, i, nt, rc = -1;

	*rows = NULL;
	*n = 0;
	if (f == NULL)
		f = &none;
	if (f->limit < 0 || f->limit > AUDIT_LIST_MAX || f->before_id < 0 ||
	    (int)f->actor_kind < 0 || f->actor_kind >= AUDIT_ACTOR__MAX) {
		log_error("audit: list: filter out of range");
		return -1;
	}
	by = f->actor_kind == AUDIT_ACTOR_ANY ? BY_ANYONE : f->actor_id != 0 ? BY_ACTOR : BY_KIND;
	st = &st_list[by][f->action != NULL];
	snprintf(before, sizeof(before), "%lld", f->before_id > 0 ? f->before_id : LLONG_MAX);
	snprintf(limit, sizeof(limit), "%d", f->limit > 0 ? f->limit : AUDIT_LIST_PAGE);
	snprintf(actor, sizeof(actor), "%lld", f->actor_id);
	p[0] = before;
	p[1] = limit;
	if (by != BY_ANYONE)
		p[np++] = actor_names[f->actor_kind];
	if (by == BY_ACTOR)
		p[np++] = actor;
	if (f->action != NULL)
		p[np++] = f->action;
	res = db_exec(db, st, p);
	if (res == NULL)
		return -1;
	if (PQnfields(res) != COL__MAX)
		goto out;
	nt = PQntuples(res);
	if (nt > 0 && (*rows = arena_calloc(a, (size_t)nt, sizeof(**rows))) == NULL)
		goto out;
	for (i = 0; i < nt; i++)
		if (fill_row(a, res, i, &(*rows)[i]) < 0)
			goto out;
	*n = (size_t)nt;
	rc = 0;
out:
	if (rc < 0) {
		log_error("audit: list: cannot read the rows");
		*rows = NULL;
		*n = 0;
	}
	PQclear(res);
	return rc;
}
