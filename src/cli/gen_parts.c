/*
 * gen_parts.c — service parts for benchmarks (`csdesk gen --movements M`):
 * a catalogue of 500 parts (GP-00001…), four warehouses, a van for every
 * technician without one (each replenished from a warehouse, min 2 / max
 * 6 / multiple 2 for every part it carries), and M stock movements over
 * two years: receipts into the warehouses, transfers to the vans, and
 * parts used on the appointments the database has (each with its usage).
 *
 * Set-based like the rest of gen: GEN_P_BATCH movements per statement, one
 * transaction each. At the end every level is set to what its movements
 * add up to; where random draws took more out of a location than came in,
 * a receipt dated before everything makes up the difference, so stock is
 * never negative and always the sum of its movements.
 */
#include "cli/gen_parts.h"
#include "cli/batch_steps.h"
#include "db/db.h"

#include <stdio.h>
#include <time.h>

#define GEN_P_BATCH 100000LL

#define COUNT_COLS(X) X(CN, parts, "(SELECT count(*) FROM gen_p_parts)") \
	X(CN, warehouses, "(SELECT count(*) FROM gen_p_warehouses)") \
	X(CN, vans, "(SELECT count(*) FROM gen_p_vans)") \
	X(CN, jobs, "(SELECT count(*) FROM gen_p_jobs)")
enum { DB_COL_ENUM(COUNT_COLS) };

enum stmt {
	ST_PARTS,
	ST_WAREHOUSES,
	ST_VANS,
	ST_TEMP_PARTS,
	ST_TEMP_WAREHOUSES,
	ST_TEMP_VANS,
	ST_TEMP_JOBS,
	ST_COUNTS,
	ST_MOVES,
	ST_USES,
	ST_MAKE_UP,
	ST_LEVELS,
	ST_ANALYZE,
	ST__MAX
};

static struct db_stmt stmts[] = {
	[ST_PARTS] = DB_STMT("gen_p_parts",
	    "INSERT INTO parts (number, name, cost, price, serial_tracked)"
	    " SELECT 'GP-' || lpad(g::text, 5, '0'), (ARRAY['Ignition board', 'Drain pump',"
	    " 'Door seal', 'Fan motor', 'Thermostat', 'Heating element', 'Control panel',"
	    " 'Water valve'])[1 + g % 8] || ' ' || g, 5 + g % 90, 12 + g % 90 * 2.5, g % 25 = 0"
	    " FROM generate_series(1, 500) g ON CONFLICT DO NOTHING", 0),
	[ST_WAREHOUSES] = DB_STMT("gen_p_warehouses",
	    "INSERT INTO stock_locations (name, kind) SELECT 'Gen warehouse ' || g, 'warehouse'"
	    " FROM generate_series(1, 4) g ON CONFLICT (name) DO NOTHING", 0),
	[ST_VANS] = DB_STMT("gen_p_vans",
	    "INSERT INTO stock_locations (name, kind, technician_id, source_id)"
	    " SELECT 'Van ' || s.name || ' ' || s.id, 'van', t.staff_id, (SELECT id FROM"
	    " stock_locations WHERE name = 'Gen warehouse ' || (1 + t.staff_id % 4))"
	    " FROM technicians t JOIN staff s ON s.id = t.staff_id WHERE NOT EXISTS"
	    " (SELECT 1 FROM stock_locations l WHERE l.technician_id = t.staff_id)"
	    " ON CONFLICT DO NOTHING", 0),
	[ST_TEMP_PARTS] = DB_STMT("gen_p_temp_parts",
	    "CREATE TEMP TABLE gen_p_parts (rn, id, cost, price) AS SELECT row_number() OVER"
	    " (ORDER BY id), id, cost, price FROM parts WHERE number LIKE 'GP-%' AND active", 0),
	[ST_TEMP_WAREHOUSES] = DB_STMT("gen_p_temp_warehouses",
	    "CREATE TEMP TABLE gen_p_warehouses (rn, id) AS SELECT row_number() OVER"
	    " (ORDER BY id), id FROM stock_locations WHERE kind = 'warehouse' AND active", 0),
	[ST_TEMP_VANS] = DB_STMT("gen_p_temp_vans",
	    "CREATE TEMP TABLE gen_p_vans (rn, id, source_id) AS SELECT row_number() OVER"
	    " (ORDER BY id), id, source_id FROM stock_locations WHERE kind = 'van' AND active"
	    " AND source_id IS NOT NULL", 0),
	/* The appointments parts are used on, with their technician's van. */
	[ST_TEMP_JOBS] = DB_STMT("gen_p_temp_jobs",
	    "CREATE TEMP TABLE gen_p_jobs (rn, id, ticket_id, customer_id, technician_id, van,"
	    " at) AS SELECT row_number() OVER (ORDER BY ap.id), ap.id, ap.ticket_id,"
	    " ap.customer_id, ap.technician_id, l.id, ap.starts_at FROM appointments ap"
	    " JOIN stock_locations l ON l.technician_id = ap.technician_id"
	    " WHERE ap.status <> 'cancelled'", 0),
	[ST_COUNTS] = DB_STMT("gen_p_counts", "SELECT " DB_COLS(COUNT_COLS), 0),
	/*
	 * Receipts (g % 10 < 2: 50 into a warehouse) and transfers (2..5: 5
	 * from a van's warehouse to the van) of the batch $1..$2; $3 parts,
	 * $4 warehouses, $5 vans.
	 */
	[ST_MOVES] = DB_STMT("gen_p_moves",
	    "INSERT INTO stock_movements (kind, part_id, from_id, to_id, qty, created_at)"
	    " SELECT CASE WHEN g % 10 < 2 THEN 'receipt' ELSE 'transfer' END, p.id,"
	    " CASE WHEN g % 10 < 2 THEN NULL ELSE v.source_id END,"
	    " CASE WHEN g % 10 < 2 THEN w.id ELSE v.id END, CASE WHEN g % 10 < 2 THEN 50 ELSE 5 END,"
	    " now() - make_interval(days => (g * 17 % 730)::int, mins => (g % 1440)::int)"
	    " FROM generate_series($1::bigint, $2::bigint) g"
	    " JOIN gen_p_parts p ON p.rn = 1 + (g * 7919) % $3::bigint"
	    " JOIN gen_p_warehouses w ON w.rn = 1 + g % $4::bigint"
	    " JOIN gen_p_vans v ON v.rn = 1 + (g * 104729) % $5::bigint WHERE g % 10 < 6", 5),
	/* Parts used on jobs (g % 10 >= 6), each a usage and its movement; $3 run, $4 parts, $5 jobs. */
	[ST_USES] = DB_STMT("gen_p_uses",
	    "WITH u AS (INSERT INTO part_usages (ticket_id, appointment_id, customer_id,"
	    " technician_id, part_id, location_id, kind, qty, unit_cost, unit_price, covered_by,"
	    " token, created_at) SELECT j.ticket_id, j.id, j.customer_id, j.technician_id, p.id,"
	    " j.van, CASE WHEN g % 7 = 0 THEN 'consumed' ELSE 'installed' END, 1, p.cost, p.price,"
	    " CASE g % 5 WHEN 0 THEN 'warranty' WHEN 1 THEN 'contract' ELSE '' END,"
	    " 'gen-' || $3 || '-' || g, j.at FROM generate_series($1::bigint, $2::bigint) g"
	    " JOIN gen_p_parts p ON p.rn = 1 + (g * 7919) % $4::bigint"
	    " JOIN gen_p_jobs j ON j.rn = 1 + (g * 15485863) % $5::bigint WHERE g % 10 >= 6"
	    " RETURNING id, part_id, location_id, qty, created_at)"
	    " INSERT INTO stock_movements (kind, part_id, from_id, qty, usage_id, created_at)"
	    " SELECT 'use', part_id, location_id, qty, id, created_at FROM u", 5),
	/* Where more went out than came in: a receipt before everything makes it up. */
	[ST_MAKE_UP] = DB_STMT("gen_p_make_up",
	    "INSERT INTO stock_movements (kind, part_id, to_id, qty, created_at)"
	    " SELECT 'receipt', part_id, loc, -q, now() - interval '800 days' FROM (SELECT loc,"
	    " part_id, sum(q) AS q FROM (SELECT to_id AS loc, part_id, qty AS q FROM stock_movements"
	    " WHERE to_id IS NOT NULL UNION ALL SELECT from_id, part_id, -qty FROM stock_movements"
	    " WHERE from_id IS NOT NULL) s GROUP BY 1, 2) t WHERE q < 0", 0),
	/* Every level what its movements add up to; vans get the rule 2 / 6 / 2. */
	[ST_LEVELS] = DB_STMT("gen_p_levels",
	    "INSERT INTO stock_levels (location_id, part_id, on_hand, min_qty, max_qty,"
	    " order_multiple, last_out_at) SELECT t.loc, t.part_id, t.q,"
	    " CASE WHEN l.kind = 'van' THEN 2 ELSE 0 END, CASE WHEN l.kind = 'van' THEN 6 ELSE 0 END,"
	    " CASE WHEN l.kind = 'van' THEN 2 ELSE 1 END, t.last_out FROM (SELECT loc, part_id,"
	    " sum(q)::int AS q, max(out_at) AS last_out FROM (SELECT to_id AS loc, part_id, qty AS q,"
	    " NULL::timestamptz AS out_at FROM stock_movements WHERE to_id IS NOT NULL UNION ALL"
	    " SELECT from_id, part_id, -qty, created_at FROM stock_movements WHERE from_id IS NOT NULL)"
	    " s GROUP BY 1, 2) t JOIN stock_locations l ON l.id = t.loc"
	    " ON CONFLICT (location_id, part_id) DO UPDATE SET on_hand = EXCLUDED.on_hand,"
	    " reserved = least(stock_levels.reserved, EXCLUDED.on_hand),"
	    " last_out_at = EXCLUDED.last_out_at", 0),
	[ST_ANALYZE] = DB_STMT("gen_p_analyze",
	    "VACUUM (ANALYZE) parts, stock_locations, stock_levels, stock_movements, part_usages", 0),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

/* Statement st, in its own transaction. 0 or -1. */
static int
step(struct db *db, enum stmt st, const char *const *p)
{
	if (db_begin(db) < 0)
		return -1;
	if (db_run(db, &stmts[st], p) < 0) {
		db_rollback(db);
		return -1;
	}
	return db_commit(db);
}

int
gen_parts(struct db *db, long long movements)
{
	char lo[24], hi[24], run[24], n[4][24];
	const char *mp[5] = { lo, hi, n[0], n[1], n[2] }, *up[5] = { lo, hi, run, n[0], n[3] };
	long long off;
	double t0 = batch_now_ms() / 1000;
	PGresult *r;
	int i;

	if (step(db, ST_PARTS, NULL) < 0 || step(db, ST_WAREHOUSES, NULL) < 0 ||
	    step(db, ST_VANS, NULL) < 0 || db_run(db, &stmts[ST_TEMP_PARTS], NULL) < 0 ||
	    db_run(db, &stmts[ST_TEMP_WAREHOUSES], NULL) < 0 ||
	    db_run(db, &stmts[ST_TEMP_VANS], NULL) < 0 ||
	    db_run(db, &stmts[ST_TEMP_JOBS], NULL) < 0 ||
	    (r = db_exec(db, &stmts[ST_COUNTS], NULL)) == NULL) {
		fprintf(stderr, "csdesk gen: setting up parts failed (see above)\n");
		return -1;
	}
	for (i = 0; i < 4; i++)
		snprintf(n[i], sizeof(n[i]), "%s", PQgetvalue(r, 0, i + 1));
	PQclear(r);
	if (n[2][0] == '0') {
		fprintf(stderr, "csdesk gen: movements need technicians (their vans): load the demo"
		    " or generate technicians first\n");
		return -1;
	}
	snprintf(run, sizeof(run), "%lld", (long long)time(NULL));
	for (off = 0; off < movements; off += GEN_P_BATCH) {
		long long end = off + GEN_P_BATCH < movements ? off + GEN_P_BATCH : movements;

		snprintf(lo, sizeof(lo), "%lld", off + 1);
		snprintf(hi, sizeof(hi), "%lld", end);
		if (step(db, ST_MOVES, mp) < 0 || (n[3][0] != '0' && step(db, ST_USES, up) < 0)) {
			fprintf(stderr, "csdesk gen: loading movements failed (see above)\n");
			return -1;
		}
		fprintf(stderr, "\rcsdesk gen: %lld / %lld movements", end, movements);
	}
	if (movements > 0)
		fputc('\n', stderr);
	if (step(db, ST_MAKE_UP, NULL) < 0 || step(db, ST_LEVELS, NULL) < 0 ||
	    db_run(db, &stmts[ST_ANALYZE], NULL) < 0) {
		fprintf(stderr, "csdesk gen: stock levels failed (see above)\n");
		return -1;
	}
	printf("gen: %lld movements over %s parts, %s warehouses, %s vans and %s jobs in %.1f s\n",
	    movements, n[0], n[1], n[2], n[3], batch_now_ms() / 1000 - t0);
	return 0;
}
