/*
 * parts_replenish.c — transfers between locations: the nightly proposals,
 * a supervisor's approval (with the quantity edited) or rejection, the
 * transfer received (and the tickets it held back to work), and counts of
 * a location's stock with their variance; see parts.h.
 */
#include "domain/parts.h"
#include "core/arena.h"
#include "core/utf8.h"
#include "db/db.h"
#include "domain/events.h"
#include "domain/parts_int.h"
#include "domain/ticket_rules.h"
#include "domain/tickets.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define XFER_COLS(X) \
	X(XF, id, "x.id") X(XF, kind, "x.kind") X(XF, status, "x.status") \
	X(XF, number, "p.number") X(XF, name, "p.name") \
	X(XF, from, "coalesce(f.name, 'Supplier')") X(XF, to, "t.name") X(XF, reason, "x.reason") \
	X(XF, created_at, "to_char(x.created_at, 'YYYY-MM-DD HH24:MI')") \
	X(XF, proposed_qty, "x.proposed_qty") X(XF, qty, "x.qty") \
	X(XF, available, "CASE WHEN x.from_id IS NULL THEN -1 ELSE coalesce((SELECT" \
	    " v.on_hand - v.reserved FROM stock_levels v WHERE v.location_id = x.from_id" \
	    " AND v.part_id = x.part_id), 0) END")
enum { DB_COL_ENUM(XFER_COLS) };
#define MOVE_COLS(X) X(MV, part_id, "part_id") X(MV, from_id, "coalesce(from_id, 0)") \
	X(MV, to_id, "to_id") X(MV, qty, "qty")
enum { DB_COL_ENUM(MOVE_COLS) };
#define ID_COLS(X) X(ID, id, "id")
enum { DB_COL_ENUM(ID_COLS) };
#define EXPECT_COLS(X) X(EX, on_hand, "on_hand")
enum { DB_COL_ENUM(EXPECT_COLS) };
#define LINE_COLS(X) X(AL, number, "p.number") X(AL, name, "p.name") \
	X(AL, at, "to_char(s.created_at, 'YYYY-MM-DD HH24:MI')") X(AL, expected, "l.expected") \
	X(AL, counted, "l.counted") X(AL, variance, "l.variance")
enum { DB_COL_ENUM(LINE_COLS) };

enum stmt {
	ST_PROPOSE,
	ST_LIST,
	ST_LOCK,
	ST_RESERVE,
	ST_APPROVE,
	ST_REJECT,
	ST_RECEIVE,
	ST_REQUESTS_DONE,
	ST_AUDIT,
	ST_EXPECTED,
	ST_AUDIT_LINE,
	ST_RECOUNT,
	ST_AUDIT_LINES,
	ST__MAX
};

/* What is on its way to a level: open transfers to it. */
#define INCOMING "coalesce((SELECT sum(x.qty) FROM stock_transfers x WHERE x.to_id = v.location_id" \
	" AND x.part_id = v.part_id AND x.status IN ('proposed', 'approved')), 0)::int"

static struct db_stmt stmts[] = {
	[ST_PROPOSE] = DB_STMT("parts_propose",
	    "WITH due AS (SELECT v.location_id, v.part_id, l.source_id, stock_order_qty("
	    " v.on_hand - v.reserved + " INCOMING ", v.min_qty, v.max_qty, v.order_multiple) AS n"
	    " FROM stock_levels v JOIN stock_locations l ON l.id = v.location_id AND l.active"
	    " WHERE v.max_qty > 0)"
	    " INSERT INTO stock_transfers (kind, part_id, from_id, to_id, proposed_qty, qty)"
	    " SELECT 'replenishment', part_id, source_id, location_id, n, n FROM due WHERE n > 0"
	    " ON CONFLICT (to_id, part_id) WHERE kind = 'replenishment'"
	    " AND status IN ('proposed', 'approved') DO NOTHING", 0),
	[ST_LIST] = DB_STMT("parts_transfers",
	    "SELECT " DB_COLS(XFER_COLS) " FROM stock_transfers x JOIN parts p ON p.id = x.part_id"
	    " LEFT JOIN stock_locations f ON f.id = x.from_id JOIN stock_locations t ON t.id = x.to_id"
	    " WHERE x.status = $1 AND x.id > $2::bigint ORDER BY x.id LIMIT $3::int", 3),
	[ST_LOCK] = DB_STMT("parts_transfer_lock",
	    "SELECT " DB_COLS(MOVE_COLS) " FROM stock_transfers WHERE id = $1::bigint"
	    " AND status = $2 FOR UPDATE", 2),
	[ST_RESERVE] = DB_STMT("parts_transfer_reserve",
	    "UPDATE stock_levels SET reserved = reserved + $3::int WHERE location_id = $1::bigint"
	    " AND part_id = $2::bigint AND on_hand - reserved >= $3::int", 3),
	[ST_APPROVE] = DB_STMT("parts_transfer_approve",
	    "UPDATE stock_transfers SET status = 'approved', qty = $2::int, decided_by = $3::bigint,"
	    " decided_at = now() WHERE id = $1::bigint", 3),
	[ST_REJECT] = DB_STMT("parts_transfer_reject",
	    "UPDATE stock_transfers SET status = 'rejected', reason = $2, decided_by = $3::bigint,"
	    " decided_at = now() WHERE id = $1::bigint AND status = 'proposed'", 3),
	[ST_RECEIVE] = DB_STMT("parts_transfer_receive",
	    "UPDATE stock_transfers SET status = 'received', received_at = now()"
	    " WHERE id = $1::bigint", 1),
	/* The tickets this transfer held that wait for nothing else now. */
	[ST_REQUESTS_DONE] = DB_STMT("parts_requests_done",
	    "WITH done AS (UPDATE part_requests SET received_at = now() WHERE transfer_id = $1::bigint"
	    " AND received_at IS NULL RETURNING ticket_id)"
	    " SELECT DISTINCT t.id FROM tickets t JOIN done d ON d.ticket_id = t.id"
	    " WHERE t.status = 'pending_parts' AND NOT EXISTS (SELECT 1 FROM part_requests r"
	    " WHERE r.ticket_id = t.id AND r.received_at IS NULL AND r.transfer_id <> $1::bigint)", 1),
	[ST_AUDIT] = DB_STMT("parts_audit",
	    "INSERT INTO stock_audits (location_id, counted_by) VALUES ($1::bigint, $2::bigint)"
	    " RETURNING " DB_COLS(ID_COLS), 2),
	[ST_EXPECTED] = DB_STMT("parts_audit_expected",
	    "SELECT " DB_COLS(EXPECT_COLS) " FROM stock_levels WHERE location_id = $1::bigint"
	    " AND part_id = $2::bigint FOR UPDATE", 2),
	[ST_AUDIT_LINE] = DB_STMT("parts_audit_line",
	    "INSERT INTO stock_audit_lines (audit_id, part_id, expected, counted)"
	    " VALUES ($1::bigint, $2::bigint, $3::int, $4::int)", 4),
	/* What was counted is what there is; reservations shrink to it. */
	[ST_RECOUNT] = DB_STMT("parts_recount",
	    "INSERT INTO stock_levels (location_id, part_id, on_hand) VALUES ($1::bigint, $2::bigint,"
	    " $3::int) ON CONFLICT (location_id, part_id) DO UPDATE SET on_hand = EXCLUDED.on_hand,"
	    " reserved = least(stock_levels.reserved, EXCLUDED.on_hand)", 3),
	[ST_AUDIT_LINES] = DB_STMT("parts_audit_lines",
	    "SELECT " DB_COLS(LINE_COLS) " FROM stock_audits s JOIN stock_audit_lines l"
	    " ON l.audit_id = s.id JOIN parts p ON p.id = l.part_id WHERE s.location_id = $1::bigint"
	    " ORDER BY s.id DESC, p.number LIMIT 100", 1),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

enum cs_result
parts_propose(struct db *db, long *proposed)
{
	PGresult *r;

	*proposed = 0;
	if ((r = db_exec(db, &stmts[ST_PROPOSE], NULL)) == NULL)
		return db_result(db);
	*proposed = (long)db_changed(r);
	PQclear(r);
	return CS_OK;
}

static enum cs_result
fill_transfer(struct arena *a, const PGresult *r, int i, void *elem)
{
	struct parts_transfer *t = elem;
	int failed = 0;

	t->id = db_ll(r, i, XF_id);
	t->kind = db_str(a, r, i, XF_kind, &failed);
	t->status = db_str(a, r, i, XF_status, &failed);
	t->number = db_str(a, r, i, XF_number, &failed);
	t->name = db_str(a, r, i, XF_name, &failed);
	t->from = db_str(a, r, i, XF_from, &failed);
	t->to = db_str(a, r, i, XF_to, &failed);
	t->reason = db_str(a, r, i, XF_reason, &failed);
	t->created_at = db_str(a, r, i, XF_created_at, &failed);
	t->proposed_qty = (int)db_ll(r, i, XF_proposed_qty);
	t->qty = (int)db_ll(r, i, XF_qty);
	t->available = (int)db_ll(r, i, XF_available);
	return failed ? CS_FAILED : CS_OK;
}

enum cs_result
parts_transfers(struct db *db, struct arena *a, const char *status, long long after,
    struct parts_transfer **rows, size_t *n, int *more)
{
	const char *p[] = { status, db_param_ll(a, after), db_param_ll(a, PARTS_PAGE + 1) };
	void *out = NULL;
	enum cs_result rc = db_page(db, a, &stmts[ST_LIST], p, PARTS_PAGE, sizeof(**rows),
	    fill_transfer, &out, n, more);

	*rows = out;
	return rc;
}

struct move {
	long long part_id, from_id, to_id;
	int qty;
};

static enum cs_result
fill_move(struct arena *a, const PGresult *r, int i, void *elem)
{
	struct move *m = elem;

	(void)a;
	m->part_id = db_ll(r, i, MV_part_id);
	m->from_id = db_ll(r, i, MV_from_id);
	m->to_id = db_ll(r, i, MV_to_id);
	m->qty = (int)db_ll(r, i, MV_qty);
	return CS_OK;
}

/* Transfer id, locked, when it is in status; else CS_REFUSED with what to say. */
static enum cs_result
lock(struct db *db, struct arena *a, long long id, const char *status, struct move *m,
    const char **why)
{
	const char *p[] = { db_param_ll(a, id), status };
	enum cs_result rc = db_one(db, a, &stmts[ST_LOCK], p, fill_move, m);

	if (rc == CS_NOT_FOUND)
		return parts_refuse(why, strcmp(status, "proposed") == 0 ?
		    "This transfer was decided already." : "This transfer is not on its way.");
	return rc;
}

static enum cs_result
transfer_event(struct db *db, const struct field_actor *by, long long id, const char *type,
    int qty)
{
	struct event_actor e = { "staff", by->staff_id };
	char *text = json_dumps(json_pack("{s:i}", "qty", qty), JSON_COMPACT);
	enum cs_result rc;

	if (text == NULL)
		return CS_FAILED;
	rc = events_append(db, "stock_transfer", id, type, &e, text);
	free(text);
	return rc;
}

enum cs_result
parts_transfer_approve(struct db *db, struct arena *a, const struct field_actor *by,
    long long id, int qty, const char **why)
{
	const char *p[3];
	struct move m;
	enum cs_result rc;

	*why = NULL;
	if ((rc = parts_qty_ok(qty, why)) != CS_OK)
		return rc;
	if (db_begin(db) != 0)
		return db_result(db);
	if ((rc = lock(db, a, id, "proposed", &m, why)) != CS_OK)
		return db_end(db, rc);
	if (m.from_id > 0) {
		p[0] = db_param_ll(a, m.from_id);
		p[1] = db_param_ll(a, m.part_id);
		p[2] = db_param_ll(a, qty);
		rc = db_update_one(db, &stmts[ST_RESERVE], p);
		if (rc == CS_NOT_FOUND)
			rc = parts_shortage(db, a, m.from_id, m.part_id, qty, why);
	}
	p[0] = db_param_ll(a, id);
	p[1] = db_param_ll(a, qty);
	p[2] = db_param_ll(a, by->staff_id);
	if (rc == CS_OK)
		rc = db_do(db, &stmts[ST_APPROVE], p);
	if (rc == CS_OK)
		rc = transfer_event(db, by, id, "stock_transfer.approved", qty);
	return db_end(db, rc);
}

enum cs_result
parts_transfer_reject(struct db *db, struct arena *a, const struct field_actor *by,
    long long id, const char *reason, const char **why)
{
	const char *p[] = { db_param_ll(a, id), reason != NULL ? reason : "",
		db_param_ll(a, by->staff_id) };
	enum cs_result rc;

	*why = NULL;
	if (reason != NULL && utf8_chars(reason) > PARTS_REASON_MAX)
		return parts_refuse(why, "A reason has at most 500 characters.");
	if (db_begin(db) != 0)
		return db_result(db);
	rc = db_update_one(db, &stmts[ST_REJECT], p);
	if (rc == CS_NOT_FOUND)
		rc = parts_refuse(why, "This transfer was decided already.");
	if (rc == CS_OK)
		rc = transfer_event(db, by, id, "stock_transfer.rejected", 0);
	return db_end(db, rc);
}

/* The tickets that waited for this transfer only, back to in progress. */
static enum cs_result
release_tickets(struct db *db, struct arena *a, const struct field_actor *by, long long id)
{
	struct ticket_actor_ref who = { TA_STAFF, by->staff_id, 0, 0, 0 };
	const char *p[] = { db_param_ll(a, id) }, *why = NULL;
	PGresult *r;
	enum cs_result rc = CS_OK;
	int i;

	if ((r = db_exec(db, &stmts[ST_REQUESTS_DONE], p)) == NULL)
		return db_result(db);
	for (i = 0; i < PQntuples(r) && rc == CS_OK; i++) {
		struct ticket_status_in s;

		memset(&s, 0, sizeof(s));
		s.ticket_id = db_ll(r, i, 0);
		s.to = TS_IN_PROGRESS;
		rc = ticket_change_status(db, a, &who, &s, &why);
	}
	PQclear(r);
	return rc;
}

enum cs_result
parts_transfer_receive(struct db *db, struct arena *a, const struct field_actor *by,
    long long id, const char **why)
{
	const char *p[] = { db_param_ll(a, id) };
	struct parts_cause cause = { 0, id, 0 };
	struct move m;
	enum cs_result rc;

	*why = NULL;
	if (db_begin(db) != 0)
		return db_result(db);
	if ((rc = lock(db, a, id, "approved", &m, why)) != CS_OK)
		return db_end(db, rc);
	rc = db_do(db, &stmts[ST_RECEIVE], p);
	if (rc == CS_OK && m.from_id > 0)
		rc = parts_take(db, a, m.from_id, m.part_id, m.qty, 1, why);
	if (rc == CS_OK)
		rc = parts_put(db, a, m.to_id, m.part_id, m.qty);
	if (rc == CS_OK)
		rc = parts_movement(db, a, m.from_id > 0 ? "transfer" : "receipt", m.part_id,
		    m.from_id, m.to_id, m.qty, &cause, by->staff_id);
	if (rc == CS_OK)
		rc = release_tickets(db, a, by, id);
	if (rc == CS_OK)
		rc = transfer_event(db, by, id, "stock_transfer.received", m.qty);
	return db_end(db, rc);
}

/* One counted line: its expected quantity, the line, and the adjustment. */
static enum cs_result
count_line(struct db *db, struct arena *a, const struct field_actor *by, long long location,
    long long audit, const struct parts_count *c)
{
	const char *p[] = { db_param_ll(a, location), db_param_ll(a, c->part_id), NULL, NULL };
	const char *q[4];
	struct parts_cause cause = { 0, 0, audit };
	PGresult *r;
	int expected, variance;
	enum cs_result rc;

	if ((r = db_exec(db, &stmts[ST_EXPECTED], p)) == NULL)
		return db_result(db);
	expected = PQntuples(r) == 1 ? (int)db_ll(r, 0, EX_on_hand) : 0;
	PQclear(r);
	q[0] = db_param_ll(a, audit);
	q[1] = p[1];
	q[2] = db_param_ll(a, expected);
	q[3] = db_param_ll(a, c->counted);
	if ((rc = db_do(db, &stmts[ST_AUDIT_LINE], q)) != CS_OK)
		return rc;
	if ((variance = c->counted - expected) == 0)
		return CS_OK;
	p[2] = q[3];
	if ((rc = db_do(db, &stmts[ST_RECOUNT], p)) != CS_OK)
		return rc;
	return parts_movement(db, a, "adjustment", c->part_id, variance < 0 ? location : 0,
	    variance > 0 ? location : 0, abs(variance), &cause, by->staff_id);
}

enum cs_result
parts_audit(struct db *db, struct arena *a, const struct field_actor *by,
    long long location_id, const struct parts_count *lines, size_t n, long long *audit_id,
    const char **why)
{
	const char *p[] = { db_param_ll(a, location_id), db_param_id(a, by->staff_id) };
	size_t i;
	enum cs_result rc;

	*why = NULL;
	*audit_id = 0;
	if (n == 0)
		return parts_refuse(why, "Count at least one part.");
	for (i = 0; i < n; i++)
		if (lines[i].counted < 0 || lines[i].counted > 100000)
			return parts_refuse(why, "A count is a whole number from 0.");
	if (db_begin(db) != 0)
		return db_result(db);
	rc = db_id(db, &stmts[ST_AUDIT], p, ID_id, audit_id);
	for (i = 0; rc == CS_OK && i < n; i++)
		rc = count_line(db, a, by, location_id, *audit_id, &lines[i]);
	if (rc == CS_TAKEN)
		rc = parts_refuse(why, "A part was counted twice; count each part once.");
	return db_end(db, rc);
}

static enum cs_result
fill_line(struct arena *a, const PGresult *r, int i, void *elem)
{
	struct parts_audit_line *l = elem;
	int failed = 0;

	l->number = db_str(a, r, i, AL_number, &failed);
	l->name = db_str(a, r, i, AL_name, &failed);
	l->at = db_str(a, r, i, AL_at, &failed);
	l->expected = (int)db_ll(r, i, AL_expected);
	l->counted = (int)db_ll(r, i, AL_counted);
	l->variance = (int)db_ll(r, i, AL_variance);
	return failed ? CS_FAILED : CS_OK;
}

enum cs_result
parts_audit_lines(struct db *db, struct arena *a, long long location_id,
    struct parts_audit_line **rows, size_t *n)
{
	const char *p[] = { db_param_ll(a, location_id) };
	void *out = NULL;
	enum cs_result rc = db_rows(db, a, &stmts[ST_AUDIT_LINES], p, sizeof(**rows), fill_line,
	    &out, n);

	*rows = out;
	return rc;
}
