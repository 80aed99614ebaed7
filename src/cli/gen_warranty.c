/*
 * gen_warranty.c — registrations and claims for benchmarks (`csdesk gen
 * --registrations R [--claims C]`), over the customers and active
 * products the database already has.
 *
 * Set-based like the rest of gen: GEN_W_BATCH rows per INSERT … SELECT …
 * FROM generate_series, one transaction each. The registrations' statement
 * trigger stores each batch's coverage as it goes (the same function every
 * registration goes through), so the pages read what they will read in
 * production. Start dates spread over four years, so some units are
 * covered in full, some for parts only and some not at all; claims spread
 * over every state (a twentieth each awaiting a decision) and two years.
 */
#include "cli/gen_warranty.h"
#include "db/db.h"

#include <stdio.h>
#include <time.h>

#define GEN_W_BATCH 100000LL

#define RANGE_COLS(X) X(RG, first, "coalesce(min(id), 0)") X(RG, last, "coalesce(max(id), 0)") \
	X(RG, made, "count(*)")
enum { DB_COL_ENUM(RANGE_COLS) };
#define COUNT_COLS(X) X(CN, customers, "(SELECT count(*) FROM gen_w_customers)") \
	X(CN, products, "(SELECT count(*) FROM gen_w_products)")
enum { DB_COL_ENUM(COUNT_COLS) };

enum stmt {
	ST_TEMP_CUSTOMERS,
	ST_TEMP_PRODUCTS,
	ST_COUNTS,
	ST_REGISTRATIONS,
	ST_CLAIMS,
	ST_ANALYZE,
	ST__MAX
};

static struct db_stmt stmts[] = {
	/* What registrations are spread over, numbered 1..n to be drawn by number. */
	[ST_TEMP_CUSTOMERS] = DB_STMT("gen_w_temp_customers",
	    "CREATE TEMP TABLE gen_w_customers (rn, id) AS"
	    " SELECT row_number() OVER (ORDER BY id), id FROM customers WHERE active", 0),
	[ST_TEMP_PRODUCTS] = DB_STMT("gen_w_temp_products",
	    "CREATE TEMP TABLE gen_w_products (rn, id) AS"
	    " SELECT row_number() OVER (ORDER BY id), id FROM products WHERE active", 0),
	[ST_COUNTS] = DB_STMT("gen_w_counts", "SELECT " DB_COLS(COUNT_COLS), 0),
	/* $1..$2 the batch's numbers, $3 the run, $4 customers, $5 products. */
	[ST_REGISTRATIONS] = DB_STMT("gen_w_registrations",
	    "WITH n AS (INSERT INTO warranty_registrations (customer_id, product_id, serial,"
	    " start_date, source, created_at)"
	    " SELECT c.id, p.id, 'GW' || $3 || '-' || g, current_date - (g * 37 % 1460)::int,"
	    " CASE WHEN g % 5 = 0 THEN 'console' ELSE 'portal' END,"
	    " now() - make_interval(days => (g * 37 % 1460)::int)"
	    " FROM generate_series($1::bigint, $2::bigint) g"
	    " JOIN gen_w_customers c ON c.rn = 1 + (g * 7919) % $4::bigint"
	    " JOIN gen_w_products p ON p.rn = 1 + g % $5::bigint RETURNING id)"
	    " SELECT " DB_COLS(RANGE_COLS) " FROM n", 5),
	/* $1..$2 the batch's numbers, $3..$4 the registrations to draw from. */
	[ST_CLAIMS] = DB_STMT("gen_w_claims",
	    "WITH n AS (INSERT INTO warranty_claims (registration_id, customer_id, problem, state,"
	    " fulfilment, labour_cost, parts_cost, shipping_cost, labour_covered, parts_covered,"
	    " shipping_covered, created_at, updated_at)"
	    " SELECT r.id, r.customer_id, (ARRAY['Does not power on', 'Makes a grinding noise',"
	    " 'Leaks water', 'Display flickers', 'Stops after a few minutes'])[1 + g % 5],"
	    " s.state, CASE WHEN s.state IN ('fulfilled', 'closed') THEN (ARRAY['repair',"
	    " 'replacement', 'refund', 'credit'])[1 + g % 4] END,"
	    " (g * 13 % 200)::numeric, (g * 29 % 400)::numeric, (g % 3 * 15)::numeric,"
	    " g % 7 <> 0, g % 9 <> 0, g % 4 = 0,"
	    " now() - make_interval(days => (g * 11 % 730)::int),"
	    " now() - make_interval(days => (g * 11 % 730)::int) + interval '2 days'"
	    " FROM generate_series($1::bigint, $2::bigint) g"
	    " JOIN warranty_registrations r ON r.id = $3::bigint + (g * 104729) % ($4::bigint -"
	    " $3::bigint + 1)"
	    " CROSS JOIN LATERAL (SELECT (ARRAY['submitted', 'under_review', 'approved', 'rejected',"
	    " 'fulfilled', 'fulfilled', 'closed', 'closed', 'closed', 'closed', 'closed', 'closed',"
	    " 'closed', 'closed', 'closed', 'closed', 'closed', 'closed', 'closed', 'draft'])"
	    "[1 + g % 20] AS state) s RETURNING id)"
	    " SELECT " DB_COLS(RANGE_COLS) " FROM n", 4),
	[ST_ANALYZE] = DB_STMT("gen_w_analyze",
	    "VACUUM (ANALYZE) warranty_registrations, warranty_coverage, warranty_claims", 0),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

static double
seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * Runs st over 1..total in batches, each its own transaction, with the
 * parameters after the first two fixed (fixed[0..nfixed)); the first and
 * last ids made go to *first and *last. 0 or -1.
 */
static int
batches(struct db *db, enum stmt st, long long total, const char *const *fixed, int nfixed,
    long long *first, long long *last, long long *made, const char *what)
{
	char lo[24], hi[24];
	const char *p[5] = { lo, hi, NULL, NULL, NULL };
	long long off;
	int i;

	for (i = 0; i < nfixed && i < 3; i++)
		p[2 + i] = fixed[i];
	for (off = 0; off < total; off += GEN_W_BATCH) {
		long long end = off + GEN_W_BATCH < total ? off + GEN_W_BATCH : total;
		PGresult *r;

		snprintf(lo, sizeof(lo), "%lld", off + 1);
		snprintf(hi, sizeof(hi), "%lld", end);
		if (db_begin(db) < 0)
			return -1;
		if ((r = db_exec(db, &stmts[st], p)) == NULL || PQntuples(r) != 1) {
			PQclear(r);
			db_rollback(db);
			return -1;
		}
		if (*first == 0)
			*first = db_ll(r, 0, RG_first);
		if (db_ll(r, 0, RG_last) > 0)
			*last = db_ll(r, 0, RG_last);
		*made += db_ll(r, 0, RG_made);
		PQclear(r);
		if (db_commit(db) < 0)
			return -1;
		fprintf(stderr, "\rcsdesk gen: %lld / %lld %s", end, total, what);
	}
	if (total > 0)
		fputc('\n', stderr);
	return 0;
}

int
gen_warranty(struct db *db, long long registrations, long long claims)
{
	char run[24], nc[24], np[24], lo[24], hi[24];
	const char *rp[3] = { run, nc, np }, *cp[2] = { lo, hi };
	long long first = 0, last = 0, regs = 0, made = 0, cfirst = 0, clast = 0;
	double t0 = seconds(), t1;
	PGresult *r;

	if (db_run(db, &stmts[ST_TEMP_CUSTOMERS], NULL) < 0 ||
	    db_run(db, &stmts[ST_TEMP_PRODUCTS], NULL) < 0 ||
	    (r = db_exec(db, &stmts[ST_COUNTS], NULL)) == NULL)
		return -1;
	snprintf(nc, sizeof(nc), "%s", PQgetvalue(r, 0, CN_customers));
	snprintf(np, sizeof(np), "%s", PQgetvalue(r, 0, CN_products));
	PQclear(r);
	if (registrations > 0 && (nc[0] == '0' || np[0] == '0')) {
		fprintf(stderr, "csdesk gen: registrations need customers and active products:"
		    " run with --tickets (or load the demo) first\n");
		return -1;
	}
	snprintf(run, sizeof(run), "%lld", (long long)time(NULL));
	if (batches(db, ST_REGISTRATIONS, registrations, rp, 3, &first, &last, &regs,
	    "registrations") < 0) {
		fprintf(stderr, "csdesk gen: loading registrations failed (see above)\n");
		return -1;
	}
	t1 = seconds();
	if (claims > 0 && last == 0) {
		fprintf(stderr, "csdesk gen: claims are drawn from the registrations of the same"
		    " run: add --registrations\n");
		return -1;
	}
	snprintf(lo, sizeof(lo), "%lld", first);
	snprintf(hi, sizeof(hi), "%lld", last);
	if (batches(db, ST_CLAIMS, claims, cp, 2, &cfirst, &clast, &made, "claims") < 0 ||
	    db_run(db, &stmts[ST_ANALYZE], NULL) < 0) {
		fprintf(stderr, "csdesk gen: loading claims failed (see above)\n");
		return -1;
	}
	printf("gen: %lld registrations (with their coverage) in %.1f s, %lld claims in %.1f s\n",
	    regs, t1 - t0, made, seconds() - t1);
	return 0;
}
