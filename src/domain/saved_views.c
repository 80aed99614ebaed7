/* saved_views.c — see saved_views.h. */
#include "domain/saved_views.h"
#include "core/arena.h"
#include "db/db.h"

#include <stdio.h>
#include <string.h>

/* The columns of a view, in the order fill() reads them; $1 is the asker. */
#define VIEW_COLS "v.id, v.name, v.query, v.staff_id = $1::bigint AS own, v.shared, s.name AS owner"
enum { V_ID, V_NAME, V_QUERY, V_OWN, V_SHARED, V_OWNER };

/*
 * Views $1 may open: their own (by the index on staff_id), and those their
 * team mates shared (a handful of staff rows, then the same index each).
 */
#define VISIBLE \
    "SELECT " VIEW_COLS " FROM saved_views v JOIN staff s ON s.id = v.staff_id" \
    " WHERE v.staff_id = $1::bigint" \
    " UNION ALL SELECT " VIEW_COLS " FROM staff s JOIN saved_views v ON v.staff_id = s.id" \
    " WHERE v.shared AND s.id <> $1::bigint" \
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
	    " RETURNING id", 5),
	[STMT_UPDATE] = DB_STMT("saved_view_update",
	    "UPDATE saved_views SET name = $3, shared = $4::boolean"
	    " WHERE staff_id = $1::bigint AND id = $2::bigint", 4),
	[STMT_DELETE] = DB_STMT("saved_view_delete",
	    "DELETE FROM saved_views WHERE staff_id = $1::bigint AND id = $2::bigint", 2),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == STMT__MAX, "one statement per enum stmt");

static void
fill(struct arena *a, const PGresult *r, int row, struct saved_view *v, int *failed)
{
	v->id = db_ll(r, row, V_ID);
	v->name = db_str(a, r, row, V_NAME, failed);
	v->query = db_str(a, r, row, V_QUERY, failed);
	v->own = db_bool(r, row, V_OWN);
	v->shared = db_bool(r, row, V_SHARED);
	v->owner = db_str(a, r, row, V_OWNER, failed);
}

int
saved_views_list(struct db *db, struct arena *a, long long staff_id, struct saved_view **out,
    size_t *n)
{
	char sid[24];
	const char *p[] = { sid };
	PGresult *r;
	int i, rows, failed = 0;

	*out = NULL;
	*n = 0;
	snprintf(sid, sizeof(sid), "%lld", staff_id);
	if ((r = db_exec(db, &stmts[STMT_LIST], p)) == NULL)
		return -1;
	rows = PQntuples(r);
	if ((*out = arena_calloc(a, (size_t)rows + 1, sizeof(**out))) == NULL)
		failed = 1;
	for (i = 0; i < rows && !failed; i++)
		fill(a, r, i, &(*out)[i], &failed);
	if (!failed)
		*n = (size_t)rows;
	PQclear(r);
	return failed ? -1 : 0;
}

int
saved_view_get(struct db *db, struct arena *a, long long staff_id, long long id,
    struct saved_view *v)
{
	char sid[24], vid[24];
	const char *p[] = { sid, vid };
	PGresult *r;
	int found, failed = 0;

	memset(v, 0, sizeof(*v));
	snprintf(sid, sizeof(sid), "%lld", staff_id);
	snprintf(vid, sizeof(vid), "%lld", id);
	if ((r = db_exec(db, &stmts[STMT_GET], p)) == NULL)
		return -1;
	found = PQntuples(r) == 1;
	if (found)
		fill(a, r, 0, v, &failed);
	PQclear(r);
	return failed ? -1 : found;
}

long long
saved_view_create(struct db *db, long long staff_id, const char *name, const char *query,
    int shared)
{
	char sid[24], max[24];
	const char *p[] = { sid, name, query, shared ? "t" : "f", max };
	PGresult *r;
	long long id;

	snprintf(sid, sizeof(sid), "%lld", staff_id);
	snprintf(max, sizeof(max), "%d", SAVED_VIEWS_MAX);
	if ((r = db_exec(db, &stmts[STMT_CREATE], p)) == NULL)
		return db_is(db, "23505") ? SAVED_VIEW_TAKEN : -1;
	id = PQntuples(r) == 1 ? db_ll(r, 0, 0) : SAVED_VIEW_FULL;
	PQclear(r);
	return id;
}

/* Runs an owner-scoped change; 0, SAVED_VIEW_NOT_FOUND, SAVED_VIEW_TAKEN or -1. */
static int
owned_change(struct db *db, struct db_stmt *st, const char *const *p)
{
	PGresult *r = db_exec(db, st, p);
	long long changed;

	if (r == NULL)
		return db_is(db, "23505") ? SAVED_VIEW_TAKEN : -1;
	changed = db_changed(r);
	PQclear(r);
	return changed == 1 ? 0 : SAVED_VIEW_NOT_FOUND;
}

int
saved_view_update(struct db *db, long long staff_id, long long id, const char *name, int shared)
{
	char sid[24], vid[24];
	const char *p[] = { sid, vid, name, shared ? "t" : "f" };

	snprintf(sid, sizeof(sid), "%lld", staff_id);
	snprintf(vid, sizeof(vid), "%lld", id);
	return owned_change(db, &stmts[STMT_UPDATE], p);
}

int
saved_view_delete(struct db *db, long long staff_id, long long id)
{
	char sid[24], vid[24];
	const char *p[] = { sid, vid };

	snprintf(sid, sizeof(sid), "%lld", staff_id);
	snprintf(vid, sizeof(vid), "%lld", id);
	return owned_change(db, &stmts[STMT_DELETE], p);
}
