/* returns_report.c — returns by reason, product or disposition; see returns_report.h. */
#include "domain/returns_report.h"
#include "domain/returns_int.h"
#include "core/arena.h"
#include "core/buf.h"
#include "db/db.h"
#include "domain/ticket_csv.h"

#include <stdio.h>
#include <string.h>

const char *const return_report_by_names[RR__MAX + 1] = {
	"reason", "product", "disposition", NULL,
};
const char *const return_report_by_labels[RR__MAX] = { "Reason", "Product", "Disposition" };

#define REP_COLS(X) \
	X(RP, key, "key") X(RP, returns, "returns") X(RP, asked, "asked") \
	X(RP, received, "received") X(RP, refund, "refund::text") \
	X(RP, credit, "credit::text") X(RP, fee, "fee::text")
enum { DB_COL_ENUM(REP_COLS) };
#define DAYS_COLS(X) X(DY, days, "$2::date - $1::date")
enum { DB_COL_ENUM(DAYS_COLS) };

/* Returns asked for from $1 to $2, both days included, UTC. */
#define PERIOD " r.created_at >= ($1::date AT TIME ZONE 'UTC')" \
	" AND r.created_at < (($2::date + 1) AT TIME ZONE 'UTC')"
#define LINE_SUMS " count(DISTINCT l.return_id) AS returns, sum(l.quantity) AS asked," \
	" sum(l.received) AS received, sum(l.refund) AS refund, sum(l.credit) AS credit," \
	" sum(l.fee) AS fee"

enum stmt {
	ST_DAYS,
	ST_BY_REASON,
	ST_BY_PRODUCT,
	ST_BY_DISPOSITION,
	ST__MAX
};

static struct db_stmt stmts[] = {
	[ST_DAYS] = DB_STMT("returns_report_days", "SELECT " DB_COLS(DAYS_COLS), 2),
	[ST_BY_REASON] = DB_STMT("returns_report_reason",
	    "SELECT " DB_COLS(REP_COLS) " FROM (SELECT l.reason AS key," LINE_SUMS
	    " FROM returns r JOIN return_lines l ON l.return_id = r.id WHERE" PERIOD
	    " GROUP BY l.reason) s ORDER BY key", 2),
	[ST_BY_PRODUCT] = DB_STMT("returns_report_product",
	    "SELECT " DB_COLS(REP_COLS) " FROM (SELECT p.name AS key," LINE_SUMS
	    " FROM returns r JOIN return_lines l ON l.return_id = r.id"
	    " JOIN products p ON p.id = l.product_id WHERE" PERIOD
	    " GROUP BY p.name) s ORDER BY key", 2),
	[ST_BY_DISPOSITION] = DB_STMT("returns_report_disposition",
	    "SELECT " DB_COLS(REP_COLS) " FROM (SELECT coalesce(u.disposition, '') AS key,"
	    " count(DISTINCT u.return_id) AS returns, count(*) AS asked, count(*) AS received,"
	    " round(sum(CASE WHEN u.outcome = 'refund' THEN u.refund / u.nr ELSE 0 END), 2)"
	    " AS refund,"
	    " round(sum(CASE WHEN u.outcome = 'credit' THEN u.credit / u.nc ELSE 0 END), 2)"
	    " AS credit, round(sum(u.fee / u.n), 2) AS fee"
	    " FROM (SELECT x.disposition, x.outcome, l.return_id, l.refund, l.credit, l.fee,"
	    " count(*) FILTER (WHERE x.outcome = 'refund') OVER w AS nr,"
	    " count(*) FILTER (WHERE x.outcome = 'credit') OVER w AS nc, count(*) OVER w AS n"
	    " FROM returns r JOIN return_lines l ON l.return_id = r.id"
	    " JOIN return_units x ON x.line_id = l.id WHERE" PERIOD
	    " WINDOW w AS (PARTITION BY x.line_id)) u GROUP BY 1) s ORDER BY key", 2),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

/* A key's words: a reason's or a disposition's label, a product's name. */
static const char *
label_of(enum return_report_by by, const char *key)
{
	if (by == RR_REASON)
		return return_label(return_reason_names, return_reason_labels, key);
	if (by == RR_DISPOSITION)
		return *key == '\0' ? "Not yet decided" :
		    return_label(return_disposition_names, return_disposition_labels, key);
	return key;
}

/* Checks the period. CS_OK, CS_REFUSED with *why, or the failure. */
static enum cs_result
check_period(struct db *db, const char *from, const char *to, const char **why)
{
	const char *p[] = { from, to };
	PGresult *r;
	long long days;

	if (!returns_date_ok(from) || !returns_date_ok(to)) {
		*why = "Give both dates as YYYY-MM-DD.";
		return CS_REFUSED;
	}
	if ((r = db_exec(db, &stmts[ST_DAYS], p)) == NULL)
		return db_result(db);
	days = db_ll(r, 0, DY_days);
	PQclear(r);
	if (days < 0)
		*why = "The end date is before the start date.";
	else if (days >= RETURN_REPORT_DAYS_MAX)
		*why = "Choose a period of at most ten years.";
	return *why != NULL ? CS_REFUSED : CS_OK;
}

enum cs_result
returns_report(struct db *db, struct arena *a, const char *from, const char *to,
    enum return_report_by by, struct return_report *rep, const char **why)
{
	static const enum stmt of[RR__MAX] = { ST_BY_REASON, ST_BY_PRODUCT, ST_BY_DISPOSITION };
	const char *p[] = { from, to };
	PGresult *r;
	enum cs_result rc;
	int i, failed = 0;

	memset(rep, 0, sizeof(*rep));
	*why = NULL;
	rep->from = from;
	rep->to = to;
	rep->by = by < RR__MAX ? by : RR_REASON;
	if ((rc = check_period(db, from, to, why)) != CS_OK)
		return rc;
	if ((r = db_exec(db, &stmts[of[rep->by]], p)) == NULL)
		return db_result(db);
	rep->n = (size_t)PQntuples(r);
	if (rep->n > 0 && (rep->rows = arena_calloc(a, rep->n, sizeof(*rep->rows))) == NULL)
		failed = 1;
	for (i = 0; !failed && i < PQntuples(r); i++) {
		struct return_report_row *x = &rep->rows[i];

		x->label = label_of(rep->by, db_str(a, r, i, RP_key, &failed));
		x->returns = db_ll(r, i, RP_returns);
		x->asked = db_ll(r, i, RP_asked);
		x->received = db_ll(r, i, RP_received);
		x->refund = db_str(a, r, i, RP_refund, &failed);
		x->credit = db_str(a, r, i, RP_credit, &failed);
		x->fee = db_str(a, r, i, RP_fee, &failed);
	}
	PQclear(r);
	return failed ? CS_FAILED : CS_OK;
}

void
returns_report_csv(const struct return_report *rep, struct buf *out)
{
	size_t i;

	buf_printf(out, "%s,returns,units_asked,units_received,refunded,credited,"
	    "restocking_fees\r\n", return_report_by_names[rep->by]);
	for (i = 0; i < rep->n; i++) {
		const struct return_report_row *x = &rep->rows[i];

		ticket_csv_field(out, x->label);
		buf_printf(out, ",%lld,%lld,%lld,%s,%s,%s\r\n", x->returns, x->asked, x->received,
		    x->refund, x->credit, x->fee);
	}
}
