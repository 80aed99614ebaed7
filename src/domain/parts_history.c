/*
 * parts_history.c — a part's movements a page at a time; see
 * parts_history.h. Two statements, the first page and the next ones, so
 * each has one plan that walks stock_movements_part_time backwards from
 * its key and stops at the page (a "$2 = 0 OR …" would plan for both);
 * either goes with the part's name in one pipeline.
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

#define PART_COLS(X) X(PP, number, "number") X(PP, name, "name")
enum { DB_COL_ENUM(PART_COLS) };

#define MOVE_FROM \
	" FROM stock_movements m LEFT JOIN stock_locations f ON f.id = m.from_id" \
	" LEFT JOIN stock_locations t ON t.id = m.to_id" \
	" LEFT JOIN part_usages u ON u.id = m.usage_id LEFT JOIN tickets tk ON tk.id = u.ticket_id" \
	" LEFT JOIN staff s ON s.id = m.staff_id WHERE m.part_id = $1::bigint"
#define MOVE_ORDER " ORDER BY m.created_at DESC, m.id DESC LIMIT $2::int"

enum stmt {
	ST_PART,
	ST_FIRST,
	ST_NEXT,
	ST__MAX
};

static struct db_stmt stmts[] = {
	[ST_PART] = DB_STMT("parts_history_part",
	    "SELECT " DB_COLS(PART_COLS) " FROM parts WHERE id = $1::bigint", 1),
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

static enum cs_result
fill_part(struct arena *a, const PGresult *r, int i, void *elem)
{
	struct parts_history_part *p = elem;
	int failed = 0;

	p->number = db_str(a, r, i, PP_number, &failed);
	p->name = db_str(a, r, i, PP_name, &failed);
	return failed ? CS_FAILED : CS_OK;
}

enum cs_result
parts_movements(struct db *db, struct arena *a, long long part_id, long long before,
    struct parts_history_part *part, struct parts_movement **rows, size_t *n, int *more)
{
	const char *p[] = { db_param_ll(a, part_id), db_param_ll(a, PARTS_PAGE + 1),
		db_param_ll(a, before) };
	struct db_pipe pipe;
	struct parts_history_part *head = NULL;
	void *out = NULL;
	size_t nh = 0;
	enum cs_result rc;
	int hi, mi;

	*rows = NULL;
	*n = 0;
	*more = 0;
	if (p[0] == NULL || p[1] == NULL || p[2] == NULL)
		return CS_FAILED;
	db_pipe_init(&pipe);
	hi = db_pipe_add(&pipe, &stmts[ST_PART], p);
	mi = db_pipe_add(&pipe, &stmts[before > 0 ? ST_NEXT : ST_FIRST], p);
	if ((rc = db_pipe_run(db, &pipe)) == CS_OK &&
	    (rc = db_pipe_rows(&pipe, hi, a, sizeof(*head), fill_part, (void **)&head, &nh)) ==
	    CS_OK && nh == 0)
		rc = CS_NOT_FOUND;
	if (rc == CS_OK) {
		*part = head[0];
		rc = db_pipe_rows(&pipe, mi, a, sizeof(**rows), fill_move, &out, n);
	}
	db_pipe_release(&pipe);
	if (rc != CS_OK) {
		*n = 0;
		return rc;
	}
	if (*n > PARTS_PAGE) {
		*more = 1;
		*n = PARTS_PAGE;
	}
	*rows = out;
	return CS_OK;
}
