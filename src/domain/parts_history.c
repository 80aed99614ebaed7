/*
 * parts_history.c — a part's movements a page at a time; see
 * parts_history.h. Two statements, the first page and the next ones, so
 * each has one plan that walks stock_movements_part_time backwards from
 * its key and stops at the page (a "$2 = 0 OR …" would plan for both).
 */
#include "domain/parts_history.h"
#include "db/db.h"
#include "domain/parts.h"

#define MOVE_COLS(X) \
	X(MV, id, "m.id") \
	X(MV, at, "to_char(m.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI')") \
	X(MV, kind, "m.kind") X(MV, qty, "m.qty") X(MV, from, "coalesce(f.name, '')") \
	X(MV, to, "coalesce(t.name, '')") X(MV, ticket, "coalesce(tk.number, '')") \
	X(MV, transfer_id, "coalesce(m.transfer_id, 0)") X(MV, by, "coalesce(s.name, '')")
enum { DB_COL_ENUM(MOVE_COLS) };

#define MOVE_FROM \
	" FROM stock_movements m LEFT JOIN stock_locations f ON f.id = m.from_id" \
	" LEFT JOIN stock_locations t ON t.id = m.to_id" \
	" LEFT JOIN part_usages u ON u.id = m.usage_id LEFT JOIN tickets tk ON tk.id = u.ticket_id" \
	" LEFT JOIN staff s ON s.id = m.staff_id WHERE m.part_id = $1::bigint"
#define MOVE_ORDER " ORDER BY m.created_at DESC, m.id DESC LIMIT $2::int"

enum stmt {
	ST_FIRST,
	ST_NEXT,
	ST__MAX
};

static struct db_stmt stmts[] = {
	[ST_FIRST] = DB_STMT("parts_movements_first",
	    "SELECT " DB_COLS(MOVE_COLS) MOVE_FROM MOVE_ORDER, 2),
	[ST_NEXT] = DB_STMT("parts_movements_next",
	    "SELECT " DB_COLS(MOVE_COLS) MOVE_FROM " AND (m.created_at, m.id) < (SELECT c.created_at,"
	    " c.id FROM stock_movements c WHERE c.id = $3::bigint AND c.part_id = $1::bigint)"
	    MOVE_ORDER, 3),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

static enum cs_result
fill_move(struct arena *a, const PGresult *r, int i, void *elem)
{
	struct parts_movement *m = elem;
	int failed = 0;

	m->id = db_ll(r, i, MV_id);
	m->at = db_str(a, r, i, MV_at, &failed);
	m->kind = db_str(a, r, i, MV_kind, &failed);
	m->qty = (int)db_ll(r, i, MV_qty);
	m->from = db_str(a, r, i, MV_from, &failed);
	m->to = db_str(a, r, i, MV_to, &failed);
	m->ticket = db_str(a, r, i, MV_ticket, &failed);
	m->transfer_id = db_ll(r, i, MV_transfer_id);
	m->by = db_str(a, r, i, MV_by, &failed);
	return failed ? CS_FAILED : CS_OK;
}

enum cs_result
parts_movements(struct db *db, struct arena *a, long long part_id, long long before,
    struct parts_movement **rows, size_t *n, int *more)
{
	const char *p[] = { db_param_ll(a, part_id), db_param_ll(a, PARTS_PAGE + 1),
		db_param_ll(a, before) };
	void *out = NULL;
	enum cs_result rc;

	*rows = NULL;
	*n = 0;
	*more = 0;
	if (p[0] == NULL || p[1] == NULL || p[2] == NULL)
		return CS_FAILED;
	rc = db_page(db, a, &stmts[before > 0 ? ST_NEXT : ST_FIRST], p, PARTS_PAGE, sizeof(**rows),
	    fill_move, &out, n, more);
	*rows = out;
	return rc;
}
