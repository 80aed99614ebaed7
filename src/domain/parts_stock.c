/* parts_stock.c — stock locations, levels and the movements every change of stock writes; see parts.h. */
#include "domain/parts.h"
#include "core/arena.h"
#include "core/utf8.h"
#include "db/db.h"
#include "domain/parts_int.h"

#include <string.h>

#define LOC_COLS(X) \
	X(PL, id, "l.id") X(PL, name, "l.name") X(PL, kind, "l.kind") \
	X(PL, technician, "coalesce(s.name, '')") X(PL, source, "coalesce(src.name, '')") \
	X(PL, technician_id, "coalesce(l.technician_id, 0)") X(PL, source_id, "coalesce(l.source_id, 0)")
enum { DB_COL_ENUM(LOC_COLS) };
#define LOC_FROM " FROM stock_locations l LEFT JOIN staff s ON s.id = l.technician_id" \
	" LEFT JOIN stock_locations src ON src.id = l.source_id"

#define LEVEL_COLS(X) \
	X(LV, part_id, "p.id") X(LV, number, "p.number") X(LV, name, "p.name") \
	X(LV, on_hand, "v.on_hand") X(LV, reserved, "v.reserved") X(LV, min, "v.min_qty") \
	X(LV, max, "v.max_qty") X(LV, multiple, "v.order_multiple")
enum { DB_COL_ENUM(LEVEL_COLS) };

#define SHORT_COLS(X) X(SH, location, "l.name") X(SH, number, "p.number") \
	X(SH, free, "coalesce((SELECT v.on_hand - v.reserved FROM stock_levels v" \
	    " WHERE v.location_id = l.id AND v.part_id = p.id), 0)")
enum { DB_COL_ENUM(SHORT_COLS) };

#define ID_COLS(X) X(ID, id, "id")
enum { DB_COL_ENUM(ID_COLS) };

enum stmt {
	ST_TAKE,
	ST_TAKE_RESERVED,
	ST_SHORTAGE,
	ST_PUT,
	ST_MOVEMENT,
	ST_LOCATION_ADD,
	ST_LOCATIONS,
	ST_LOCATION,
	ST_VAN_OF,
	ST_LEVELS,
	ST_LEVEL_SET,
	ST_PART_EXISTS,
	ST_TECHNICIANS,
	ST_IN_STOCK,
	ST__MAX
};

static struct db_stmt stmts[] = {
	[ST_TAKE] = DB_STMT("parts_take",
	    "UPDATE stock_levels SET on_hand = on_hand - $3::int, last_out_at = now()"
	    " WHERE location_id = $1::bigint AND part_id = $2::bigint"
	    " AND on_hand - reserved >= $3::int", 3),
	[ST_TAKE_RESERVED] = DB_STMT("parts_take_reserved",
	    "UPDATE stock_levels SET on_hand = on_hand - $3::int, reserved = reserved - $3::int,"
	    " last_out_at = now() WHERE location_id = $1::bigint AND part_id = $2::bigint"
	    " AND reserved >= $3::int", 3),
	[ST_SHORTAGE] = DB_STMT("parts_shortage",
	    "SELECT " DB_COLS(SHORT_COLS) " FROM stock_locations l, parts p"
	    " WHERE l.id = $1::bigint AND p.id = $2::bigint", 2),
	[ST_PUT] = DB_STMT("parts_put",
	    "INSERT INTO stock_levels (location_id, part_id, on_hand)"
	    " VALUES ($1::bigint, $2::bigint, $3::int) ON CONFLICT (location_id, part_id)"
	    " DO UPDATE SET on_hand = stock_levels.on_hand + EXCLUDED.on_hand", 3),
	[ST_MOVEMENT] = DB_STMT("parts_movement",
	    "INSERT INTO stock_movements (kind, part_id, from_id, to_id, qty, usage_id,"
	    " transfer_id, audit_id, staff_id) VALUES ($1, $2::bigint, $3::bigint, $4::bigint,"
	    " $5::int, $6::bigint, $7::bigint, $8::bigint, $9::bigint)", 9),
	[ST_LOCATION_ADD] = DB_STMT("parts_location_add",
	    "INSERT INTO stock_locations (name, kind, technician_id, source_id)"
	    " SELECT $1, CASE WHEN $2::bigint IS NULL THEN 'warehouse' ELSE 'van' END,"
	    " $2::bigint, $3::bigint"
	    " WHERE ($2::bigint IS NULL OR EXISTS (SELECT 1 FROM technicians WHERE staff_id = $2::bigint))"
	    " AND ($3::bigint IS NULL OR EXISTS (SELECT 1 FROM stock_locations WHERE id = $3::bigint))"
	    " RETURNING " DB_COLS(ID_COLS), 3),
	[ST_LOCATIONS] = DB_STMT("parts_locations",
	    "SELECT " DB_COLS(LOC_COLS) LOC_FROM " WHERE l.active"
	    " ORDER BY l.kind DESC, l.name LIMIT 500", 0),
	[ST_LOCATION] = DB_STMT("parts_location",
	    "SELECT " DB_COLS(LOC_COLS) LOC_FROM " WHERE l.id = $1::bigint", 1),
	[ST_VAN_OF] = DB_STMT("parts_van_of",
	    "SELECT " DB_COLS(ID_COLS) " FROM stock_locations WHERE technician_id = $1::bigint"
	    " AND active", 1),
	[ST_LEVELS] = DB_STMT("parts_levels",
	    "SELECT " DB_COLS(LEVEL_COLS) " FROM stock_levels v JOIN parts p ON p.id = v.part_id"
	    " WHERE v.location_id = $1::bigint AND p.number > $2 ORDER BY p.number LIMIT $3::int", 3),
	[ST_LEVEL_SET] = DB_STMT("parts_level_set",
	    "INSERT INTO stock_levels (location_id, part_id, min_qty, max_qty, order_multiple)"
	    " SELECT $1::bigint, $2::bigint, $3::int, $4::int, $5::int"
	    " WHERE EXISTS (SELECT 1 FROM stock_locations WHERE id = $1::bigint)"
	    " AND EXISTS (SELECT 1 FROM parts WHERE id = $2::bigint)"
	    " ON CONFLICT (location_id, part_id) DO UPDATE SET min_qty = EXCLUDED.min_qty,"
	    " max_qty = EXCLUDED.max_qty, order_multiple = EXCLUDED.order_multiple", 5),
	[ST_PART_EXISTS] = DB_STMT("parts_exists",
	    "SELECT " DB_COLS(ID_COLS) " FROM parts WHERE id = $1::bigint AND active", 1),
	[ST_IN_STOCK] = DB_STMT("parts_in_stock",
	    "SELECT " DB_COLS(LEVEL_COLS) " FROM stock_levels v JOIN parts p ON p.id = v.part_id"
	    " WHERE v.location_id = $1::bigint AND v.on_hand > v.reserved ORDER BY p.number"
	    " LIMIT 1000", 1),
	[ST_TECHNICIANS] = DB_STMT("parts_technicians",
	    "SELECT s.id, s.name FROM technicians t JOIN staff s ON s.id = t.staff_id"
	    " WHERE t.active ORDER BY s.name LIMIT 1000", 0),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

enum cs_result
parts_refuse(const char **why, const char *s)
{
	*why = s;
	return CS_REFUSED;
}

int
parts_is_date(const char *s)
{
	int i;

	if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return 0;
	return strncmp(s + 5, "01", 2) >= 0 && strncmp(s + 5, "12", 2) <= 0 &&
	    strncmp(s + 8, "01", 2) >= 0 && strncmp(s + 8, "31", 2) <= 0;
}

enum cs_result
parts_qty_ok(int qty, const char **why)
{
	if (qty < 1 || qty > PARTS_QTY_MAX)
		return parts_refuse(why, "A quantity is a whole number from 1 to 1000.");
	return CS_OK;
}

enum cs_result
parts_take(struct db *db, struct arena *a, long long location_id, long long part_id, int qty,
    int reserved, const char **why)
{
	const char *p[] = { db_param_ll(a, location_id), db_param_ll(a, part_id),
		db_param_ll(a, qty) };
	enum cs_result rc;

	rc = db_update_one(db, &stmts[reserved ? ST_TAKE_RESERVED : ST_TAKE], p);
	return rc == CS_NOT_FOUND ? parts_shortage(db, a, location_id, part_id, qty, why) : rc;
}

enum cs_result
parts_shortage(struct db *db, struct arena *a, long long location_id, long long part_id,
    int qty, const char **why)
{
	const char *p[] = { db_param_ll(a, location_id), db_param_ll(a, part_id) };
	PGresult *r;

	if ((r = db_exec(db, &stmts[ST_SHORTAGE], p)) == NULL)
		return db_result(db);
	if (PQntuples(r) != 1) {
		PQclear(r);
		return CS_NOT_FOUND;
	}
	*why = arena_printf(a, "%s has %lld of %s, %d needed.", PQgetvalue(r, 0, SH_location),
	    db_ll(r, 0, SH_free), PQgetvalue(r, 0, SH_number), qty);
	PQclear(r);
	return *why != NULL ? CS_REFUSED : CS_FAILED;
}

enum cs_result
parts_put(struct db *db, struct arena *a, long long location_id, long long part_id, int qty)
{
	const char *p[] = { db_param_ll(a, location_id), db_param_ll(a, part_id),
		db_param_ll(a, qty) };

	return db_do(db, &stmts[ST_PUT], p);
}

enum cs_result
parts_movement(struct db *db, struct arena *a, const char *kind, long long part_id,
    long long from_id, long long to_id, int qty, const struct parts_cause *cause,
    long long staff_id)
{
	static const struct parts_cause none;
	const struct parts_cause *c = cause != NULL ? cause : &none;
	const char *p[] = { kind, db_param_ll(a, part_id), db_param_id(a, from_id),
		db_param_id(a, to_id), db_param_ll(a, qty), db_param_id(a, c->usage_id),
		db_param_id(a, c->transfer_id), db_param_id(a, c->audit_id), db_param_id(a, staff_id) };

	return db_do(db, &stmts[ST_MOVEMENT], p);
}

enum cs_result
parts_location_add(struct db *db, struct arena *a, const char *name, long long technician_id,
    long long source_id, long long *id, const char **why)
{
	const char *p[] = { name, db_param_id(a, technician_id), db_param_id(a, source_id) };
	enum cs_result rc;

	*why = NULL;
	*id = 0;
	if (name == NULL || utf8_chars(name) < 1 || utf8_chars(name) > 100)
		return parts_refuse(why, "A location's name has 1 to 100 characters.");
	rc = db_id(db, &stmts[ST_LOCATION_ADD], p, ID_id, id);
	if (rc == CS_NOT_FOUND)
		return parts_refuse(why, "Choose a technician and a source that exist.");
	if (rc == CS_TAKEN)
		return parts_refuse(why, db_is(db, "23505") && technician_id > 0 ?
		    "That name is taken, or the technician has a van already." :
		    "A location of that name exists already.");
	return rc;
}

static enum cs_result
fill_location(struct arena *a, const PGresult *r, int i, void *elem)
{
	struct parts_location *l = elem;
	int failed = 0;

	l->id = db_ll(r, i, PL_id);
	l->name = db_str(a, r, i, PL_name, &failed);
	l->kind = db_str(a, r, i, PL_kind, &failed);
	l->technician = db_str(a, r, i, PL_technician, &failed);
	l->source = db_str(a, r, i, PL_source, &failed);
	l->technician_id = db_ll(r, i, PL_technician_id);
	l->source_id = db_ll(r, i, PL_source_id);
	return failed ? CS_FAILED : CS_OK;
}

enum cs_result
parts_locations(struct db *db, struct arena *a, struct parts_location **rows, size_t *n)
{
	void *out = NULL;
	enum cs_result rc = db_rows(db, a, &stmts[ST_LOCATIONS], NULL, sizeof(**rows),
	    fill_location, &out, n);

	*rows = out;
	return rc;
}

enum cs_result
parts_location(struct db *db, struct arena *a, long long id, struct parts_location *out)
{
	const char *p[] = { db_param_ll(a, id) };

	return db_one(db, a, &stmts[ST_LOCATION], p, fill_location, out);
}

enum cs_result
parts_van_of(struct db *db, struct arena *a, long long staff_id, long long *id)
{
	const char *p[] = { db_param_ll(a, staff_id) };

	return db_id(db, &stmts[ST_VAN_OF], p, ID_id, id);
}

static enum cs_result
fill_level(struct arena *a, const PGresult *r, int i, void *elem)
{
	struct parts_level *l = elem;
	int failed = 0;

	l->part_id = db_ll(r, i, LV_part_id);
	l->number = db_str(a, r, i, LV_number, &failed);
	l->name = db_str(a, r, i, LV_name, &failed);
	l->on_hand = (int)db_ll(r, i, LV_on_hand);
	l->reserved = (int)db_ll(r, i, LV_reserved);
	l->min = (int)db_ll(r, i, LV_min);
	l->max = (int)db_ll(r, i, LV_max);
	l->multiple = (int)db_ll(r, i, LV_multiple);
	l->below_min = l->on_hand - l->reserved < l->min;
	return failed ? CS_FAILED : CS_OK;
}

enum cs_result
parts_levels(struct db *db, struct arena *a, long long location_id, const char *after,
    struct parts_level **rows, size_t *n, int *more)
{
	const char *p[] = { db_param_ll(a, location_id), after != NULL ? after : "",
		db_param_ll(a, PARTS_PAGE + 1) };
	void *out = NULL;
	enum cs_result rc = db_page(db, a, &stmts[ST_LEVELS], p, PARTS_PAGE, sizeof(**rows),
	    fill_level, &out, n, more);

	*rows = out;
	return rc;
}

enum cs_result
parts_level_set(struct db *db, struct arena *a, long long location_id, long long part_id,
    int min, int max, int multiple, const char **why)
{
	const char *p[] = { db_param_ll(a, location_id), db_param_ll(a, part_id),
		db_param_ll(a, min), db_param_ll(a, max), db_param_ll(a, multiple) };
	PGresult *r;
	long long changed;

	*why = NULL;
	if (min < 0 || max < min || multiple < 1 || max > 100000 || multiple > 10000)
		return parts_refuse(why, "Min from 0, max at least min, and a multiple of at least 1.");
	if ((r = db_exec(db, &stmts[ST_LEVEL_SET], p)) == NULL)
		return db_result(db);
	changed = db_changed(r);
	PQclear(r);
	return changed == 1 ? CS_OK : CS_NOT_FOUND;
}

/* The part exists and is active: CS_OK, else CS_REFUSED. */
static enum cs_result
part_ok(struct db *db, struct arena *a, long long part_id, const char **why)
{
	const char *p[] = { db_param_ll(a, part_id) };
	long long id;
	enum cs_result rc = db_id(db, &stmts[ST_PART_EXISTS], p, ID_id, &id);

	return rc == CS_NOT_FOUND ? parts_refuse(why, "Choose a part from the catalogue.") : rc;
}

enum cs_result
parts_receive(struct db *db, struct arena *a, const struct field_actor *by,
    long long location_id, long long part_id, int qty, const char **why)
{
	enum cs_result rc;

	*why = NULL;
	if ((rc = parts_qty_ok(qty, why)) != CS_OK || (rc = part_ok(db, a, part_id, why)) != CS_OK)
		return rc;
	if (db_begin(db) != 0)
		return db_result(db);
	rc = parts_put(db, a, location_id, part_id, qty);
	if (rc == CS_OK)
		rc = parts_movement(db, a, "receipt", part_id, 0, location_id, qty, NULL, by->staff_id);
	return db_end(db, rc);
}

enum cs_result
parts_move(struct db *db, struct arena *a, const struct field_actor *by, long long from_id,
    long long to_id, long long part_id, int qty, const char **why)
{
	enum cs_result rc;

	*why = NULL;
	if ((rc = parts_qty_ok(qty, why)) != CS_OK || (rc = part_ok(db, a, part_id, why)) != CS_OK)
		return rc;
	if (from_id == to_id)
		return parts_refuse(why, "Choose another location to move the stock to.");
	if (db_begin(db) != 0)
		return db_result(db);
	rc = parts_take(db, a, from_id, part_id, qty, 0, why);
	if (rc == CS_OK)
		rc = parts_put(db, a, to_id, part_id, qty);
	if (rc == CS_OK)
		rc = parts_movement(db, a, "transfer", part_id, from_id, to_id, qty, NULL,
		    by->staff_id);
	return db_end(db, rc);
}

enum cs_result
parts_technicians(struct db *db, struct arena *a, struct db_option **rows, size_t *n)
{
	return db_options(db, a, &stmts[ST_TECHNICIANS], NULL, rows, n);
}

enum cs_result
parts_in_stock(struct db *db, struct arena *a, long long location_id, struct parts_level **rows,
    size_t *n)
{
	const char *p[] = { db_param_ll(a, location_id) };
	void *out = NULL;
	enum cs_result rc = db_rows(db, a, &stmts[ST_IN_STOCK], p, sizeof(**rows), fill_level,
	    &out, n);

	*rows = out;
	return rc;
}
