/* gen_returns.c — returns for benchmarks; see gen_returns.h. */
#include "cli/gen_returns.h"
#include "db/db.h"

#include <stdio.h>
#include <time.h>

#define GEN_RETURNS_BATCH 20000LL

#define TOTAL_COLS(X) X(GT, all, "count(*)") X(GT, users, "(SELECT count(*) FROM portal_users)") \
	X(GT, products, "(SELECT count(*) FROM products)")
enum { DB_COL_ENUM(TOTAL_COLS) };

enum stmt { ST_SESSION, ST_RETURNS, ST_ANALYZE, ST_TOTAL, ST__MAX };

static struct db_stmt stmts[] = {
	[ST_SESSION] = DB_STMT("gen_returns_session",
	    "SELECT set_config('synchronous_commit', 'off', false)", 0),
	/*
	 * Returns $1 + 1 … $2: requester, account, product and state by the
	 * number, spread over two years; one line each, and the step that
	 * opened it. States are weighted towards the settled ones, as a
	 * desk's history is.
	 */
	[ST_RETURNS] = DB_STMT("gen_returns_batch",
	    "WITH u AS (SELECT array_agg(id ORDER BY id) AS ids,"
	    "  array_agg(customer_id ORDER BY id) AS cs FROM portal_users),"
	    " p AS (SELECT array_agg(id ORDER BY id) AS ids FROM products),"
	    " v AS (SELECT g, (ARRAY['requested', 'approved', 'awaiting_shipment', 'received',"
	    "  'inspected', 'dispositioned', 'refunded', 'replaced', 'credited', 'closed',"
	    "  'closed', 'closed', 'closed', 'rejected', 'cancelled'])[1 + (g * 7) % 15] AS state,"
	    "  now() - ((g * 7919) % 730) * interval '1 day' - (g % 86400) * interval '1 second'"
	    "  AS at FROM generate_series($1::bigint + 1, $2::bigint) AS g),"
	    " r AS (INSERT INTO returns (customer_id, requester_id, state, created_at, updated_at)"
	    "  SELECT u.cs[1 + v.g % cardinality(u.ids)], u.ids[1 + v.g % cardinality(u.ids)],"
	    "  v.state, v.at, v.at + interval '3 days' FROM v, u ORDER BY v.g"
	    "  RETURNING id, state, created_at),"
	    " l AS (INSERT INTO return_lines (return_id, position, product_id, serial, quantity,"
	    "  order_ref, delivered_on, unit_price, reason, request_type, window_until,"
	    "  needs_inspection, received, refund, credit)"
	    "  SELECT r.id, 1, p.ids[1 + (r.id * 31) % cardinality(p.ids)], 'GS-' || r.id,"
	    "  1 + r.id % 3, 'SO-' || (r.id / 2), (r.created_at - interval '6 days')::date,"
	    "  5 + (r.id * 13) % 400,"
	    "  (ARRAY['defective', 'wrong_item', 'damaged_in_transit', 'not_needed'])[1 + r.id % 4],"
	    "  (ARRAY['return', 'repair', 'exchange', 'credit'])[1 + (r.id / 4) % 4],"
	    "  (r.created_at + interval '24 days')::date, r.id % 4 <> 1,"
	    "  CASE WHEN r.state IN ('requested', 'approved', 'awaiting_shipment', 'rejected',"
	    "   'cancelled') THEN 0 ELSE 1 + r.id % 3 END,"
	    "  CASE WHEN r.state = 'refunded' THEN (1 + r.id % 3) * (5 + (r.id * 13) % 400) ELSE 0"
	    "   END,"
	    "  CASE WHEN r.state = 'credited' THEN (1 + r.id % 3) * (5 + (r.id * 13) % 400) ELSE 0"
	    "   END FROM r, p RETURNING return_id)"
	    " INSERT INTO return_steps (return_id, to_state, actor_kind, created_at)"
	    " SELECT r.id, 'requested', 'customer', r.created_at FROM r", 2),
	[ST_ANALYZE] = DB_STMT("gen_returns_analyze",
	    "ANALYZE returns, return_lines, return_steps", 0),
	[ST_TOTAL] = DB_STMT("gen_returns_total", "SELECT " DB_COLS(TOTAL_COLS) " FROM returns", 0),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "a statement per enum");

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
gen_returns(struct db *db, long long n)
{
	char from[24], to[24];
	const char *p[] = { from, to };
	double t0 = now();
	long long done;
	PGresult *r;

	if ((r = db_exec(db, &stmts[ST_TOTAL], NULL)) == NULL)
		goto fail;
	if (db_ll(r, 0, GT_users) == 0 || db_ll(r, 0, GT_products) == 0) {
		PQclear(r);
		fprintf(stderr, "csdesk gen: returns need a product and a portal user"
		    " (load the demo, or generate tickets first)\n");
		return -1;
	}
	PQclear(r);
	if (db_run(db, &stmts[ST_SESSION], NULL) < 0)
		goto fail;
	for (done = 0; done < n; done += GEN_RETURNS_BATCH) {
		long long end = done + GEN_RETURNS_BATCH < n ? done + GEN_RETURNS_BATCH : n;

		snprintf(from, sizeof(from), "%lld", done);
		snprintf(to, sizeof(to), "%lld", end);
		if (db_begin(db) < 0 || db_run(db, &stmts[ST_RETURNS], p) < 0 || db_commit(db) < 0) {
			db_rollback(db);
			goto fail;
		}
		fprintf(stderr, "\rcsdesk gen: %lld / %lld returns", end, n);
	}
	fprintf(stderr, "\n");
	if (db_run(db, &stmts[ST_ANALYZE], NULL) < 0 || (r = db_exec(db, &stmts[ST_TOTAL], NULL)) ==
	    NULL)
		goto fail;
	printf("gen: %lld returns in %.1f s; the database now has %s\n", n, now() - t0,
	    PQgetvalue(r, 0, GT_all));
	PQclear(r);
	return 0;
fail:
	fprintf(stderr, "csdesk gen: loading returns failed (see above)\n");
	return -1;
}
