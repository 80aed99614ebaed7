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

/* A row's id, prev_hash and hash in hex, and whether the hash covers the row. */
#define VERIFY_COLS(X) \
	X(V, id, "id") X(V, prev, "encode(prev_hash, 'hex')") X(V, hash, "encode(hash, 'hex')") \
	X(V, sound, "hash = audit_row_digest(prev_hash, id, at, actor_kind, actor_id, action," \
	    " object_type, object_id, detail, ip)")
enum { DB_COL_ENUM(VERIFY_COLS) };
static struct db_stmt st_verify_page = DB_STMT("audit_verify_page",
    "SELECT " DB_COLS(VERIFY_COLS)
    " FROM audit_log WHERE id > $1 ORDER BY id LIMIT " STR(VERIFY_PAGE), 1);

/*
 * The admin list: one statement per combination of filters, so that each
 * gets a plan that uses its index. The column list and fill_row() go
 * together.
 */
#define LIST_COLS(X) \
	X(COL, id, "id") \
	X(COL, at, "to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')") \
	X(COL, kind, "actor_kind") X(COL, actor, "actor_id") X(COL, action, "action") \
	X(COL, otype, "object_type") X(COL, oid, "object_id") X(COL, detail, "detail::text") \
	X(COL, ip, "host(ip)")
enum { DB_COL_ENUM(LIST_COLS) };
#define LIST_SQL(where) \
	"SELECT " DB_COLS(LIST_COLS) " FROM audit_log WHERE id < $1" where \
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

/*
 * json_dump_callback's sink: appends to a struct buf (which cannot fail
 * loudly). jansson's contract, not ours: 0, or -1 to stop the dump.
 */
static int
dump_to_buf(const char *s, size_t n, void *arg)
{
	struct buf *b = arg;

	buf_add(b, s, n);
	return buf_failed(b) || b->len > AUDIT_DETAIL_MAX ? -1 : 0;
}

enum cs_result
audit_record(struct db *db, const struct audit_entry *e)
{
	const char *kind = audit_actor_name(e->actor_kind);
	char actor[24];
	const char *p[7];
	struct buf detail;
	enum cs_result rc = CS_FAILED;

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
	rc = db_do(db, &st_insert, p);
out:
	buf_release(&detail);
	return rc;
}

/* A 64-hex-digit sha256, and the NUL. */
#define HEX_HASH 65

enum cs_result
audit_verify_report(struct db *db, struct audit_verdict *v)
{
	char after[24] = "0", last_hash[HEX_HASH] = "";
	const char *p[] = { after };
	long long last_id = 0, id;
	PGresult *res = NULL;
	enum cs_result rc = CS_FAILED;
	int i, n;

	memset(v, 0, sizeof(*v));
	do {
		res = db_exec(db, &st_verify_page, p);
		if (res == NULL) {
			rc = db_result(db);
			goto out;
		}
		n = PQntuples(res);
		for (i = 0; i < n; i++) {
			const char *prev = PQgetisnull(res, i, V_prev) ? NULL :
			    PQgetvalue(res, i, V_prev);
			const char *hash = PQgetvalue(res, i, V_hash);

			if (config_parse_long(PQgetvalue(res, i, V_id), 1, LLONG_MAX, &id) < 0) {
				log_error("audit: verify: bad id from the database");
				goto out;
			}
			if (!db_bool(res, i, V_sound))
				v->flaw = AUDIT_FLAW_ALTERED;
			else if (last_id == 0 ? prev != NULL :
			    prev == NULL || strcmp(prev, last_hash) != 0)
				v->flaw = AUDIT_FLAW_UNLINKED;
			if (v->flaw != AUDIT_FLAW_NONE) {
				v->bad_id = id;
				v->prev_id = last_id;
				rc = CS_OK;
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
	rc = CS_OK;
out:
	PQclear(res);
	return rc;
}

enum cs_result
audit_verify(struct db *db, long long *rows, long long *first_bad_id)
{
	struct audit_verdict v;
	enum cs_result rc = audit_verify_report(db, &v);

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

static enum cs_result
fill_row(struct arena *a, const PGresult *res, int i, void *elem)
{
	struct audit_row *r = elem;
	int ok = 1;

	if (config_parse_long(PQgetvalue(res, i, COL_id), 1, LLONG_MAX, &r->id) < 0)
		return CS_FAILED;
	if (PQgetisnull(res, i, COL_actor))
		r->actor_id = 0;
	else if (config_parse_long(PQgetvalue(res, i, COL_actor), LLONG_MIN, LLONG_MAX,
	    &r->actor_id) < 0)
		return CS_FAILED;
	r->at = col(a, res, i, COL_at, &ok);
	r->actor_kind = col(a, res, i, COL_kind, &ok);
	r->action = col(a, res, i, COL_action, &ok);
	r->object_type = col(a, res, i, COL_otype, &ok);
	r->object_id = col(a, res, i, COL_oid, &ok);
	r->detail = col(a, res, i, COL_detail, &ok);
	r->ip = col(a, res, i, COL_ip, &ok);
	return ok ? CS_OK : CS_FAILED;
}

enum cs_result
audit_list_recent(struct db *db, struct arena *a, const struct audit_filter *f,
    struct audit_row **rows, size_t *n)
{
	static const struct audit_filter none = { 0 };
	char before[24], limit[16], actor[24];
	const char *p[5];
	struct db_stmt *st;
	enum cs_result rc;
	void *arr;
	int by, np = 2;

	*rows = NULL;
	*n = 0;
	if (f == NULL)
		f = &none;
	if (f->limit < 0 || f->limit > AUDIT_LIST_MAX || f->before_id < 0 ||
	    (int)f->actor_kind < 0 || f->actor_kind >= AUDIT_ACTOR__MAX) {
		log_error("audit: list: filter out of range");
		return CS_FAILED;
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
	rc = db_rows(db, a, st, p, sizeof(**rows), fill_row, &arr, n);
	*rows = arr;
	if (rc != CS_OK)
		log_error("audit: list: cannot read the rows");
	return rc;
}
