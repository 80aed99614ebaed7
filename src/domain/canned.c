/* canned.c — see canned.h. */
#include "domain/canned.h"
#include "core/arena.h"
#include "core/buf.h"
#include "db/db.h"
#include "domain/admin_audit.h"
#include "domain/audit.h"
#include "domain/notify.h"
#include "tmpl/tmpl.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

/* Work allowed for rendering one response: a few pages of text. */
#define RENDER_STEPS 100000UL

#define TS(x) "to_char(" x " AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI')"
#define COLS "c.id, c.title, c.body, coalesce(c.team_id, 0), coalesce(t.name, '')," \
	" coalesce(s.name, ''), " TS("c.created_at") \
	" FROM canned_responses c LEFT JOIN teams t ON t.id = c.team_id" \
	" LEFT JOIN staff s ON s.id = c.created_by"
/* $1: 0 for all, else the staff member who may use them. */
#define USABLE " ($1::bigint = 0 OR c.team_id IS NULL" \
	" OR c.team_id = (SELECT team_id FROM staff WHERE id = $1::bigint))"

enum stmt {
	STMT_LIST,
	STMT_GET,
	STMT_INSERT,
	STMT_UPDATE,
	STMT_DELETE,
	STMT__MAX
};

static struct db_stmt stmts[] = {
	[STMT_LIST] = DB_STMT("canned_list",
	    "SELECT " COLS " WHERE" USABLE " ORDER BY lower(c.title), c.id", 1),
	[STMT_GET] = DB_STMT("canned_get",
	    "SELECT " COLS " WHERE" USABLE " AND c.id = $2::bigint", 2),
	[STMT_INSERT] = DB_STMT("canned_insert",
	    "INSERT INTO canned_responses (title, body, team_id, created_by)"
	    " VALUES ($1, $2, $3::bigint, $4::bigint) RETURNING id", 4),
	[STMT_UPDATE] = DB_STMT("canned_update",
	    "UPDATE canned_responses SET title = $2, body = $3, team_id = $4::bigint"
	    " WHERE id = $1::bigint RETURNING id", 4),
	[STMT_DELETE] = DB_STMT("canned_delete",
	    "DELETE FROM canned_responses WHERE id = $1::bigint RETURNING title", 1),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == STMT__MAX, "one statement per enum stmt");

static int
fill(struct arena *a, PGresult *r, int i, struct canned *c)
{
	int failed = 0;

	c->id = db_ll(r, i, 0);
	c->title = db_str(a, r, i, 1, &failed);
	c->body = db_str(a, r, i, 2, &failed);
	c->team_id = db_ll(r, i, 3);
	c->team = db_str(a, r, i, 4, &failed);
	c->created_by = db_str(a, r, i, 5, &failed);
	c->created_at = db_str(a, r, i, 6, &failed);
	return failed ? -1 : 0;
}

int
canned_list(struct db *db, struct arena *a, long long for_staff, struct canned **out, size_t *n)
{
	char sb[24];
	const char *p[] = { sb };
	PGresult *r;
	int i, rows, rc = 0;

	*out = NULL;
	*n = 0;
	snprintf(sb, sizeof(sb), "%lld", for_staff);
	if ((r = db_exec(db, &stmts[STMT_LIST], p)) == NULL)
		return -1;
	rows = PQntuples(r);
	if (rows > 0 && (*out = arena_calloc(a, (size_t)rows, sizeof(**out))) == NULL)
		rc = -1;
	for (i = 0; i < rows && rc == 0; i++)
		rc = fill(a, r, i, &(*out)[i]);
	if (rc == 0)
		*n = (size_t)rows;
	PQclear(r);
	return rc;
}

int
canned_get(struct db *db, struct arena *a, long long id, long long for_staff, struct canned *c)
{
	char sb[24], ib[24];
	const char *p[] = { sb, ib };
	PGresult *r;
	int rc;

	memset(c, 0, sizeof(*c));
	snprintf(sb, sizeof(sb), "%lld", for_staff);
	snprintf(ib, sizeof(ib), "%lld", id);
	if ((r = db_exec(db, &stmts[STMT_GET], p)) == NULL)
		return -1;
	rc = PQntuples(r) == 1 ? fill(a, r, 0, c) : CANNED_NOT_FOUND;
	PQclear(r);
	return rc;
}

/* A set holding body alone as "canned", compiled; NULL with err set. */
static struct tmpl_set *
compile(const char *body, char *err, size_t errlen)
{
	struct tmpl_set *set = tmpl_set_new();

	if (set == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	tmpl_set_max_steps(set, RENDER_STEPS);
	/* Not strict: {{>name}} names nothing here and renders as nothing, so a
	 * response can never pull in one of the program's own templates. */
	if (tmpl_set_add(set, "canned", body, strlen(body)) < 0 ||
	    tmpl_set_compile(set, 0, err, errlen) < 0) {
		tmpl_set_free(set);
		return NULL;
	}
	return set;
}

const char *
canned_body_error(struct arena *a, const char *body)
{
	char err[256];
	struct tmpl_set *set = compile(body, err, sizeof(err));

	if (set != NULL) {
		tmpl_set_free(set);
		return NULL;
	}
	return arena_printf(a, "The text has a placeholder that is not written right (%s).", err);
}

const char *
canned_render(struct arena *a, const char *body, const struct tval *ctx)
{
	char err[256];
	struct tmpl_set *set = compile(body, err, sizeof(err));
	struct buf b;
	int rc;

	if (set == NULL)
		return NULL;
	buf_init(&b, a);
	rc = tmpl_render(set, "canned", ctx, &b);
	tmpl_set_free(set);
	if (rc < 0 || buf_failed(&b))
		return NULL;
	if (b.len > 0)
		b.len = notify_unescape(b.buf, b.len);
	return b.buf;
}

static json_t *
detail(const char *title, long long team_id)
{
	return json_pack("{s:s, s:I}", "title", title, "team_id", (json_int_t)team_id);
}

int
canned_create(struct db *db, const struct audit_entry *by, long long staff_id,
    const char *title, const char *body, long long team_id, long long *id)
{
	char tb[24], sb[24];
	const char *p[] = { title, body, team_id > 0 ? tb : NULL, sb };
	PGresult *r;

	*id = 0;
	snprintf(tb, sizeof(tb), "%lld", team_id);
	snprintf(sb, sizeof(sb), "%lld", staff_id);
	if (db_begin(db) < 0)
		return -1;
	if ((r = db_exec(db, &stmts[STMT_INSERT], p)) == NULL)
		goto fail;
	*id = PQntuples(r) == 1 ? db_ll(r, 0, 0) : 0;
	PQclear(r);
	if (*id <= 0 || admin_audit(db, by, "canned.create", "canned_response", *id,
	    detail(title, team_id)) < 0)
		goto fail;
	return db_commit(db);
fail:
	db_rollback(db);
	*id = 0;
	return -1;
}

int
canned_update(struct db *db, const struct audit_entry *by, long long id, const char *title,
    const char *body, long long team_id)
{
	char ib[24], tb[24];
	const char *p[] = { ib, title, body, team_id > 0 ? tb : NULL };
	PGresult *r;
	int found;

	snprintf(ib, sizeof(ib), "%lld", id);
	snprintf(tb, sizeof(tb), "%lld", team_id);
	if (db_begin(db) < 0)
		return -1;
	if ((r = db_exec(db, &stmts[STMT_UPDATE], p)) == NULL)
		goto fail;
	found = PQntuples(r) == 1;
	PQclear(r);
	if (!found) {
		db_rollback(db);
		return CANNED_NOT_FOUND;
	}
	if (admin_audit(db, by, "canned.update", "canned_response", id, detail(title, team_id)) < 0)
		goto fail;
	return db_commit(db);
fail:
	db_rollback(db);
	return -1;
}

int
canned_delete(struct db *db, struct arena *a, const struct audit_entry *by, long long id,
    const char **title)
{
	char ib[24];
	const char *p[] = { ib };
	PGresult *r;
	int failed = 0;

	*title = NULL;
	snprintf(ib, sizeof(ib), "%lld", id);
	if (db_begin(db) < 0)
		return -1;
	if ((r = db_exec(db, &stmts[STMT_DELETE], p)) == NULL)
		goto fail;
	if (PQntuples(r) != 1) {
		PQclear(r);
		db_rollback(db);
		return CANNED_NOT_FOUND;
	}
	*title = db_str(a, r, 0, 0, &failed);
	PQclear(r);
	if (failed || admin_audit(db, by, "canned.delete", "canned_response", id,
	    detail(*title, 0)) < 0)
		goto fail;
	return db_commit(db);
fail:
	db_rollback(db);
	return -1;
}
