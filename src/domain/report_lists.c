/* report_lists.c — see report_lists.h. */
#include "domain/report_lists.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/analytics.h"
#include "domain/warranty_reports.h"

#include <string.h>

/* The range's bounds: $1 and $2 the first and last day, $3 the zone. */
#define LO "($1::date)::timestamp AT TIME ZONE $3"
#define HI "($2::date + 1)::timestamp AT TIME ZONE $3"
#define OPEN "('new', 'assigned', 'in_progress', 'pending_customer', 'pending_parts', 'reopened')"
#define LIMIT " LIMIT 100"

#define COLS_MAX 8

static struct {
	struct report_list_def def;
	const char *cols[COLS_MAX];
	unsigned char numeric[COLS_MAX];
	struct db_stmt st;	/* unused for the warranty's, which warranty_reports.h runs */
} lists[RL__MAX] = {
	[RL_TOP_CUSTOMERS] = { { "top_customers", "Top customers",
	    "The customers who opened the most tickets in the range: how many are still open, "
	    "were reopened, or were critical or urgent." },
	    { "Customer", "Tier", "Tickets", "Open now", "Reopened", "Critical or urgent" },
	    { 0, 0, 1, 1, 1, 1 },
	    DB_STMT("report_list_top_customers",
	    "SELECT c.name, c.tier, count(*), count(*) FILTER (WHERE t.status IN " OPEN "),"
	    " count(*) FILTER (WHERE t.reopen_count > 0),"
	    " count(*) FILTER (WHERE t.priority IN ('critical', 'urgent'))"
	    " FROM tickets t JOIN customers c ON c.id = t.customer_id"
	    " WHERE t.created_at >= " LO " AND t.created_at < " HI
	    " GROUP BY c.id, c.name, c.tier ORDER BY count(*) DESC, c.name, c.id" LIMIT, 3) },
	/* An issue is a product and category: the same customer asking again about the same. */
	[RL_REPEAT_ISSUES] = { { "repeat_issues", "Repeat issues",
	    "Customers who opened two or more tickets about the same product and category in "
	    "the range: the issue that keeps coming back, and the latest ticket about it." },
	    { "Customer", "Product", "Category", "Tickets", "First", "Latest", "Latest ticket" },
	    { 0, 0, 0, 1, 0, 0, 0 },
	    DB_STMT("report_list_repeat_issues",
	    "SELECT c.name, coalesce(p.name, '–'), coalesce(k.name, '–'), count(*),"
	    " to_char(min(t.created_at) AT TIME ZONE $3, 'YYYY-MM-DD'),"
	    " to_char(max(t.created_at) AT TIME ZONE $3, 'YYYY-MM-DD'),"
	    " (array_agg(t.number ORDER BY t.created_at DESC, t.id DESC))[1]"
	    " FROM tickets t JOIN customers c ON c.id = t.customer_id"
	    " LEFT JOIN products p ON p.id = t.product_id"
	    " LEFT JOIN categories k ON k.id = t.category_id"
	    " WHERE t.created_at >= " LO " AND t.created_at < " HI
	    " AND (t.product_id IS NOT NULL OR t.category_id IS NOT NULL)"
	    " GROUP BY c.id, c.name, t.product_id, p.name, t.category_id, k.name"
	    " HAVING count(*) >= 2 ORDER BY count(*) DESC, max(t.created_at) DESC, c.name" LIMIT,
	    3) },
	/* As the KB's own insight page counts them (kb_insight.h), week by week. */
	[RL_KB] = { { "kb", "KB effectiveness",
	    "What people searched in the help centre and whether the new-ticket form's "
	    "suggestions answered them: a suggestion opened and no ticket sent is a "
	    "deflection. The range's total first, then each week." },
	    { "Week", "Searches", "Without results", "Forms with suggestions",
	    "Suggestion opened", "Deflected", "Deflection rate (%)" },
	    { 0, 1, 1, 1, 1, 1, 1 },
	    DB_STMT("report_list_kb",
	    "SELECT coalesce(to_char(w.week, 'YYYY-MM-DD'), 'Total'),"
	    " count(*) FILTER (WHERE w.searched), count(*) FILTER (WHERE w.searched"
	    " AND w.result_count = 0), count(*) FILTER (WHERE w.form),"
	    " count(*) FILTER (WHERE w.form AND w.opened),"
	    " count(*) FILTER (WHERE w.form AND w.opened AND w.ticket_id IS NULL),"
	    " round(100.0 * count(*) FILTER (WHERE w.form AND w.opened AND w.ticket_id IS NULL)"
	    " / nullif(count(*) FILTER (WHERE w.form), 0), 1)"
	    " FROM (SELECT date_trunc('week', s.created_at AT TIME ZONE $3)::date AS week,"
	    " s.source <> 'console' AND s.query <> '' AS searched,"
	    " s.source = 'ticket_form' AND s.result_count > 0 AS form, s.opened, s.ticket_id,"
	    " s.result_count FROM kb_searches s"
	    " WHERE s.created_at >= " LO " AND s.created_at < " HI ") w"
	    " GROUP BY ROLLUP (w.week) ORDER BY GROUPING(w.week) DESC, w.week DESC", 3) },
	[RL_WARRANTY] = { { "warranty", "Warranty claims by product",
	    "Claims opened in the range by product and month, with the claim rate per 100 units "
	    "registered, their cost and the share the warranty covered (as on the warranty's "
	    "report page)." },
	    { "Product", "SKU", "Month", "Claims", "Units registered", "Claims per 100 units",
	    "Cost", "Covered" },
	    { 0, 0, 0, 1, 1, 1, 1, 1 }, { NULL, NULL, 0, 0 } },
	[RL_FIELD] = { { "field", "Field service performance",
	    "Each technician's visits planned in the range: completed, cancelled, arrived "
	    "within the promised window, the mean labour and travel of the completed ones, and "
	    "the share the customer signed." },
	    { "Technician", "Visits", "Completed", "Cancelled", "Arrived in the window (%)",
	    "Labour (min, mean)", "Travel (min, mean)", "Signed (%)" },
	    { 0, 1, 1, 1, 1, 1, 1, 1 },
	    DB_STMT("report_list_field",
	    "SELECT s.name, count(*), count(*) FILTER (WHERE a.status = 'completed'),"
	    " count(*) FILTER (WHERE a.status = 'cancelled'),"
	    " round(100.0 * count(*) FILTER (WHERE a.checkin_at <= a.ends_at)"
	    " / nullif(count(a.checkin_at), 0), 1),"
	    " round(avg(a.labour_min) FILTER (WHERE a.status = 'completed'), 1),"
	    " round(avg(a.travel_min) FILTER (WHERE a.status = 'completed'), 1),"
	    " round(100.0 * count(*) FILTER (WHERE a.status = 'completed'"
	    " AND a.signature_sha256 IS NOT NULL)"
	    " / nullif(count(*) FILTER (WHERE a.status = 'completed'), 0), 1)"
	    " FROM appointments a JOIN staff s ON s.id = a.technician_id"
	    " WHERE a.starts_at >= " LO " AND a.starts_at < " HI
	    " GROUP BY s.id, s.name ORDER BY s.name, s.id" LIMIT, 3) },
};
_Static_assert(REPORT_LIST_ROWS == 100, "LIMIT");

const struct report_list_def *
report_list_def(enum report_list l)
{
	return l < RL__MAX ? &lists[l].def : NULL;
}

enum report_list
report_list_parse(const char *id)
{
	int l;

	for (l = 0; id != NULL && l < RL__MAX; l++)
		if (strcmp(id, lists[l].def.id) == 0)
			return (enum report_list)l;
	return RL__MAX;
}

/* The warranty's claims (warranty_reports.h) as cells. */
static enum cs_result
warranty_cells(struct db *db, struct arena *a, const char *from, const char *to,
    const char ***cells, size_t *n, const char **why)
{
	struct warranty_claim_figures *w;
	const char *f = from, *t = to;
	size_t i;
	enum cs_result rc = warranty_report_claims(db, a, &f, &t, 0, &w, n, why);

	if (rc != CS_OK)
		return rc;
	if (*n > REPORT_LIST_ROWS)
		*n = REPORT_LIST_ROWS;
	if ((*cells = arena_alloc(a, (*n * 8 + 1) * sizeof(**cells))) == NULL)
		return CS_FAILED;
	for (i = 0; i < *n; i++) {
		const char **c = *cells + i * 8;

		c[0] = w[i].product;
		c[1] = w[i].sku;
		c[2] = w[i].month;
		c[3] = arena_printf(a, "%lld", w[i].claims);
		c[4] = arena_printf(a, "%lld", w[i].units);
		c[5] = *w[i].rate != '\0' ? w[i].rate : NULL;
		c[6] = w[i].cost;
		c[7] = w[i].covered;
		if (c[3] == NULL || c[4] == NULL)
			return CS_FAILED;
	}
	return CS_OK;
}

/* Row by row, the statement's result as cells (NULL: not measured). */
static enum cs_result
sql_cells(struct db *db, struct arena *a, const struct db_stmt *st, const char *const *p,
    size_t ncols, const char ***cells, size_t *n)
{
	PGresult *r = db_exec(db, (struct db_stmt *)st, p);
	size_t i, c;
	int failed = 0;

	if (r == NULL)
		return db_result(db);
	*n = (size_t)PQntuples(r);
	if ((*cells = arena_alloc(a, (*n * ncols + 1) * sizeof(**cells))) == NULL)
		failed = 1;
	for (i = 0; i < *n && !failed; i++)
		for (c = 0; c < ncols; c++)
			(*cells)[i * ncols + c] = PQgetisnull(r, (int)i, (int)c) ? NULL :
			    db_str(a, r, (int)i, (int)c, &failed);
	PQclear(r);
	return failed ? CS_FAILED : CS_OK;
}

enum cs_result
report_list_run(struct db *db, struct arena *a, const char *zone, enum report_list l,
    const char *from, const char *to, struct report_grid *g, const char **from_out,
    const char **to_out, const char **why)
{
	const char **cells = NULL, *p[3];
	size_t ncols, n = 0;
	enum cs_result rc;

	memset(g, 0, sizeof(*g));
	*why = "Choose a report from the list.";
	if (l >= RL__MAX)
		return CS_REFUSED;
	if ((rc = analytics_dates(db, a, zone, from, to, REPORT_LIST_DAYS, from_out, to_out,
	    why)) != CS_OK)
		return rc;
	*why = NULL;
	for (ncols = 0; ncols < COLS_MAX && lists[l].cols[ncols] != NULL; ncols++)
		;
	p[0] = *from_out;
	p[1] = *to_out;
	p[2] = zone;
	rc = l == RL_WARRANTY ? warranty_cells(db, a, *from_out, *to_out, &cells, &n, why) :
	    sql_cells(db, a, &lists[l].st, p, ncols, &cells, &n);
	if (rc != CS_OK)
		return rc;
	g->title = lists[l].def.title;
	g->subtitle = arena_printf(a, "%s to %s", *from_out, *to_out);
	g->ncols = ncols;
	g->nrows = n;
	g->cols = lists[l].cols;
	g->numeric = lists[l].numeric;
	g->cells = cells;
	return g->subtitle != NULL ? CS_OK : CS_FAILED;
}
