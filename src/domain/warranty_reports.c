/* warranty_reports.c — see warranty_reports.h. */
#include "domain/warranty_reports.h"
#include "core/arena.h"
#include "core/buf.h"
#include "db/db.h"
#include "domain/ticket_csv.h"
#include "domain/warranty_contracts.h"

#include <string.h>

#define FIG_COLS(X) \
	X(FG, product, "p.name") X(FG, sku, "p.sku") X(FG, month, "to_char(c.month, 'YYYY-MM')") \
	X(FG, claims, "c.claims") X(FG, units, "u.units") \
	X(FG, rate, "coalesce(round(100.0 * c.claims / nullif(u.units, 0), 2)::text, '')") \
	X(FG, cost, "c.cost::text") X(FG, covered, "c.covered::text")
enum { DB_COL_ENUM(FIG_COLS) };
/* The range asked for; empty: the last twelve months. */
#define CHECK_COLS(X) X(RC, verdict, "CASE WHEN t < f THEN 'order'" \
	" WHEN t - f > $3::int THEN 'long' ELSE 'ok' END") \
	X(RC, from, "f::text") X(RC, to, "t::text")
#define CHECK_FROM " FROM (SELECT coalesce(nullif($1, '')::date, current_date - 364) AS f," \
	" coalesce(nullif($2, '')::date, current_date) AS t) d"
enum { DB_COL_ENUM(CHECK_COLS) };

enum stmt {
	ST_CHECK,
	ST_CLAIMS,
	ST__MAX
};

static struct db_stmt stmts[] = {
	[ST_CHECK] = DB_STMT("warranty_report_check", "SELECT " DB_COLS(CHECK_COLS) CHECK_FROM, 3),
	/* Claims by the month they were opened (warranty_claims_created); the units
	 * of a product registered by the month's end (warranty_registrations_product). */
	[ST_CLAIMS] = DB_STMT("warranty_report_claims",
	    "WITH c AS (SELECT g.product_id, date_trunc('month', w.created_at)::date AS month,"
	    " count(*) AS claims, sum(w.labour_cost + w.parts_cost + w.shipping_cost) AS cost,"
	    " sum(CASE WHEN w.labour_covered THEN w.labour_cost ELSE 0 END"
	    " + CASE WHEN w.parts_covered THEN w.parts_cost ELSE 0 END"
	    " + CASE WHEN w.shipping_covered THEN w.shipping_cost ELSE 0 END) AS covered"
	    " FROM warranty_claims w JOIN warranty_registrations g ON g.id = w.registration_id"
	    " WHERE w.created_at >= $1::date AND w.created_at < $2::date + 1"
	    " AND ($3::bigint = 0 OR g.product_id = $3::bigint) GROUP BY 1, 2)"
	    " SELECT " DB_COLS(FIG_COLS) " FROM c JOIN products p ON p.id = c.product_id"
	    " CROSS JOIN LATERAL (SELECT count(*) AS units FROM warranty_registrations r"
	    " WHERE r.product_id = c.product_id AND r.created_at < c.month + interval '1 month') u"
	    " ORDER BY c.month, p.name, p.id LIMIT 5000", 3),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

static enum cs_result
fill(struct arena *a, const PGresult *r, int i, void *elem)
{
	struct warranty_claim_figures *f = elem;
	int failed = 0;

	f->product = db_str(a, r, i, FG_product, &failed);
	f->sku = db_str(a, r, i, FG_sku, &failed);
	f->month = db_str(a, r, i, FG_month, &failed);
	f->claims = db_ll(r, i, FG_claims);
	f->units = db_ll(r, i, FG_units);
	f->rate = db_str(a, r, i, FG_rate, &failed);
	f->cost = db_str(a, r, i, FG_cost, &failed);
	f->covered = db_str(a, r, i, FG_covered, &failed);
	return failed ? CS_FAILED : CS_OK;
}

enum cs_result
warranty_report_claims(struct db *db, struct arena *a, const char **from, const char **to,
    long long product_id, struct warranty_claim_figures **rows, size_t *n, const char **why)
{
	const char *p[] = { *from != NULL ? *from : "", *to != NULL ? *to : "",
		db_param_ll(a, WARRANTY_REPORT_DAYS_MAX) };
	const char *q[] = { NULL, NULL, db_param_ll(a, product_id) };
	PGresult *r;
	void *out;
	enum cs_result rc;
	int failed = 0;

	*rows = NULL;
	*n = 0;
	*why = NULL;
	if ((r = db_exec(db, &stmts[ST_CHECK], p)) == NULL) {
		if (db_is(db, "22007") || db_is(db, "22008")) {
			*why = "Enter dates as YYYY-MM-DD, e.g. 2026-03-14.";
			return CS_REFUSED;
		}
		return db_result(db);
	}
	if (PQntuples(r) == 1 && strcmp(PQgetvalue(r, 0, RC_verdict), "order") == 0)
		*why = "The first day comes after the last.";
	else if (PQntuples(r) == 1 && strcmp(PQgetvalue(r, 0, RC_verdict), "long") == 0)
		*why = "A report covers three years at most.";
	else if (PQntuples(r) == 1) {
		q[0] = *from = db_str(a, r, 0, RC_from, &failed);
		q[1] = *to = db_str(a, r, 0, RC_to, &failed);
	}
	PQclear(r);
	if (*why != NULL)
		return CS_REFUSED;
	if (failed || q[0] == NULL)
		return CS_FAILED;
	rc = db_rows(db, a, &stmts[ST_CLAIMS], q, sizeof(**rows), fill, &out, n);
	*rows = out;
	return rc;
}

void
warranty_report_claims_csv(const struct warranty_claim_figures *rows, size_t n, struct buf *out)
{
	size_t i;

	buf_addstr(out, "month,product,sku,claims,units_registered,claims_per_100_units,cost,"
	    "covered_cost\r\n");
	for (i = 0; i < n; i++) {
		ticket_csv_field(out, rows[i].month);
		buf_addch(out, ',');
		ticket_csv_field(out, rows[i].product);
		buf_addch(out, ',');
		ticket_csv_field(out, rows[i].sku);
		buf_printf(out, ",%lld,%lld,%s,%s,%s\r\n", rows[i].claims, rows[i].units,
		    rows[i].rate, rows[i].cost, rows[i].covered);
	}
}

void
warranty_report_renewals_csv(const struct warranty_contract *rows, size_t n, struct buf *out)
{
	size_t i;

	buf_addstr(out, "ends_on,customer,contract,covers,parts,labour,travel,visits,"
	    "response_tier\r\n");
	for (i = 0; i < n; i++) {
		buf_printf(out, "%s,", rows[i].ends_on);
		ticket_csv_field(out, rows[i].customer);
		buf_addch(out, ',');
		ticket_csv_field(out, rows[i].name);
		buf_addch(out, ',');
		ticket_csv_field(out, rows[i].covers);
		buf_printf(out, ",%s,%s,%s,%d,%s\r\n", rows[i].parts ? "yes" : "no",
		    rows[i].labour ? "yes" : "no", rows[i].travel ? "yes" : "no", rows[i].visits,
		    rows[i].response_tier);
	}
}
