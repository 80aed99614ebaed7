/* saved_views.c — see saved_views.h. */
#include "domain/saved_views.h"
#include "core/arena.h"
#include "core/utf8.h"
#include "db/db.h"

#include <stdio.h>
#include <string.h>

/* The columns of a view; $1 is the asker. */
#define VIEW_COLS(X) \
	X(V, id, "v.id") X(V, name, "v.name") X(V, query, "v.query") \
	X(V, own, "v.staff_id = $1::bigint AS own") X(V, shared, "v.shared") \
	X(V, owner, "s.name AS owner")
enum { DB_COL_ENUM(VIEW_COLS) };
#define NEW_COLS(X) X(NV, id, "id")
enum { DB_COL_ENUM(NEW_COLS) };

/*
 * Views $1 may open: their own (by the index on staff_id), and those their
 * team mates shared (a handful of staff rows, then the same index each).
 */
#define VISIBLE \
    "SELECT " DB_COLS(VIEW_COLS) " FROM saved_views v JOIN staff s ON s.id = v.staff_id" \
    " WHERE v.staff_id = $1::bigint" \
    " UNION ALL SELECT " DB_COLS(VIEW_COLS) " FROM staff s JOIN saved_views v" \
    " ON v.staff_id = s.id WHERE v.shared AND s.id <> $1::bigint" \
    " AND s.team_id = (SELECT team_id FROM staff WHERE id = $1::bigint)"

enum stmt { STMT_LIST, STMT_GET, STMT_CREATE, STMT_UPDATE, STMT_DELETE, STMT__MAX };

static struct db_stmt stmts[] = {
	[STMT_LIST] = DB_STMT("saved_views_list",
	    "SELECT * FROM (" VISIBLE ") x ORDER BY x.own DESC, lower(x.name), x.id", 1),
	[STMT_GET] = DB_STMT("saved_view_get",
	    "SELECT * FROM (" VISIBLE ") x WHERE x.id = $2::bigint", 2),
	/* Nothing is inserted (no row back) when the owner is at the limit. */
	[STMT_CREATE] = DB_STMT("saved_view_create",
	    "INSERT INTO saved_views (staff_id, name, query, shared)"
	    " SELECT $1::bigint, $2, $3, $4::boolean"
	    " WHERE (SELECT count(*) FROM saved_views WHERE staff_id = $1::bigint) < $5::integer"
	    " RETURNING " DB_COLS(NEW_COLS), 5),
	[STMT_UPDATE] = DB_STMT("saved_view_update",
	    "UPDATE saved_views SET name = $3, shared = $4::boolean"
	    " WHERE staff_id = $1::bigint AND id = $2::bigint", 4),
	[STMT_DELETE] = DB_STMT("saved_view_delete",
	    "DELETE FROM saved_views WHERE staff_id = $1::bigint AND id = $2::bigint", 2),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == STMT__MAX, "one statement per enum stmt");

static enum cs_result
fill(struct arena *a, const PGresult *r, int row, void *elem)
{
	struct saved_view *v = elem;
	int failed = 0;

	v->id = db_ll(r, row, V_id);
	v->name = db_str(a, r, row, V_name, &failed);
	v->query = db_str(a, r, row, V_query, &failed);
	v->own = db_bool(r, row, V_own);
	v->shared = db_bool(r, row, V_shared);
	v->owner = db_str(a, r, row, V_owner, &failed);
	return failed ? CS_FAILED : CS_OK;
}

/* Why name is not one a view may have; NULL when it is fine. */
static const char *
name_refused(const char *name)
{
	size_t n = utf8_chars(name);

	if (n == 0)
		return "Name is required.";
	if (n > SAVED_VIEW_NAME_MAX)
		return "Name must be at most 100 characters long.";
	return NULL;
}

enum cs_result
saved_views_list(struct db *db, struct arena *a, long long staff_id, struct saved_view **out,
    size_t *n)
{
	char sid[24];
	const char *p[] = { sid };
	void *rows;
	enum cs_result rc;

	snprintf(sid, sizeof(sid), "%lld", staff_id);
	rc = db_rows(db, a, &stmts[STMT_LIST], p, sizeof(**out), fill, &rows, n);
	*out = rows;
	return rc;
}

int
saved_views_list_send(struct db_pipe *pipe, struct arena *a, long long staff_id)
{
	const char **p = arena_alloc(a, sizeof(*p));

	if (p == NULL || (p[0] = db_param_ll(a, staff_id)) == NULL)
		return -1;
	return db_pipe_add(pipe, &stmts[STMT_LIST], p);
}

enum cs_result
saved_views_list_take(struct db_pipe *pipe, int slot, struct arena *a, struct saved_view **out,
    size_t *n)
{
	void *rows;
	enum cs_result rc = db_pipe_rows(pipe, slot, a, sizeof(**out), fill, &rows, n);

	*out = rows;
	return rc;
}

enum cs_result
saved_view_get(struct db *db, struct arena *a, long long staff_id, long long id,
    struct saved_view *v)
{
	char sid[24], vid[24];
	const char *p[] = { sid, vid };

	memset(v, 0, sizeof(*v));
	snprintf(sid, sizeof(sid), "%lld", staff_id);
	snprintf(vid, sizeof(vid), "%lld", id);
	return db_one(db, a, &stmts[STMT_GET], p, fill, v);
}

enum cs_result
saved_view_create(struct db *db, long long staff_id, const char *name, const char *query,
    int shared, long long *id, const char **why, const char **field)
{
	char sid[24], max[24];
	const char *p[] = { sid, name, query, shared ? "t" : "f", max };
	enum cs_result rc;

	*id = 0;
	*field = "name";
	if ((*why = name_refused(name)) != NULL)
		return CS_REFUSED;
	if (utf8_chars(query) > SAVED_VIEW_QUERY_MAX) {
		*field = "query";
		*why = "The filters are too long to save.";
		return CS_REFUSED;
	}
	snprintf(sid, sizeof(sid), "%lld", staff_id);
	snprintf(max, sizeof(max), "%d", SAVED_VIEWS_MAX);
	if ((rc = db_id(db, &stmts[STMT_CREATE], p, NV_id, id)) != CS_NOT_FOUND)
		return rc;
	*why = "You have as many saved views as one person may keep: delete one first.";
	return CS_REFUSED;
}

enum cs_result
saved_view_update(struct db *db, long long staff_id, long long id, const char *name, int shared,
    const char **why)
{
	char sid[24], vid[24];
	const char *p[] = { sid, vid, name, shared ? "t" : "f" };

	if ((*why = name_refused(name)) != NULL)
		return CS_REFUSED;
	snprintf(sid, sizeof(sid), "%lld", staff_id);
	snprintf(vid, sizeof(vid), "%lld", id);
	return db_update_one(db, &stmts[STMT_UPDATE], p);
}

enum cs_result
saved_view_delete(struct db *db, long long staff_id, long long id)
{
	char sid[24], vid[24];
	const char *p[] = { sid, vid };

	snprintf(sid, sizeof(sid), "%lld", staff_id);
	snprintf(vid, sizeof(vid), "%lld", id);
	return db_update_one(db, &stmts[STMT_DELETE], p);
}
