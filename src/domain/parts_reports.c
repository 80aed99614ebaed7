/*
 * parts_reports.c — field service and parts reports over a period: per
 * technician (appointments, completed, first-time fix, on-time arrival,
 * average job and travel time, parts cost, revenue, covered cost), parts
 * usage by ticket, technician and customer, slow movers and the shortages
 * that delayed jobs; each as a table for the page and as CSV. See
 * parts_reports.h.
 */
#include "domain/parts_reports.h"
#include "core/arena.h"
#include "core/buf.h"
#include "db/db.h"
#include "domain/parts_int.h"
#include "domain/ticket_csv.h"

#include <string.h>

/*
 * Parts used and kept (a returned part is not used) in the period per
 * customer, technician or ticket, from the daily rollup (055; tickets
 * since 059): the period's sums per key, rolled-up days and the others
 * read from the usages (parts_usage_period() in 340_parts_rollup.sql).
 */
#define PERIOD(name, dimension, join) \
	"SELECT " name ", u.lines::text, u.qty::text, u.cost::text," \
	" coalesce(u.charged, 0)::text, coalesce(u.covered, 0)::text" \
	" FROM parts_usage_period($1::date, $2::date, '" dimension "') u " join \
	" ORDER BY u.cost DESC, 1 LIMIT 1000"

static const char *const usage_heads[] = { "", "Lines", "Quantity", "Cost", "Charged",
	"Covered", NULL };
static const char *const tech_heads[] = { "Technician", "Appointments", "Completed",
	"First-time fix %", "On time %", "Average job (min)", "Average travel (min)",
	"Parts cost", "Revenue", "Covered cost", NULL };
static const char *const slow_heads[] = { "Location", "Part", "Name", "On hand", "Value",
	"Last out", NULL };
static const char *const short_heads[] = { "Ticket", "Technician", "Part", "Quantity",
	"Requested", "Arrived", "Waited (h)", NULL };

static struct {
	const char *slug, *title, *key_head;
	const char *const *heads;
	struct db_stmt stmt;
} reports[PARTS_REPORT__MAX] = {
	/*
	 * Per technician, from the daily rollup (055, 340_parts_rollup.sql): the
	 * period's counts and sums, divided once; first-time fix and on time are
	 * defined in technician_facts().
	 */
	[PARTS_REPORT_TECHNICIANS] = { "technicians", "Technicians", NULL, tech_heads,
	    DB_STMT("parts_report_technicians",
	    "SELECT s.name, t.appointments::text, t.completed::text,"
	    " coalesce(round(100.0 * t.first_time_fixes / nullif(t.completed, 0), 1)::text, ''),"
	    " coalesce(round(100.0 * t.on_time / nullif(t.checked_in, 0), 1)::text, ''),"
	    " coalesce(round(t.job_min / nullif(t.jobs_timed, 0))::text, ''),"
	    " coalesce(round(t.travel_min / nullif(t.travels, 0))::text, ''),"
	    " coalesce(t.parts_cost, 0)::text, coalesce(t.revenue, 0)::text,"
	    " coalesce(t.covered, 0)::text"
	    " FROM technician_period($1::date, $2::date) t JOIN staff s ON s.id = t.technician_id"
	    " ORDER BY s.name LIMIT 1000", 2) },
	[PARTS_REPORT_BY_TICKET] = { "by-ticket", "Parts by ticket", "Ticket", usage_heads,
	    DB_STMT("parts_report_by_ticket",
	    PERIOD("t.number", "ticket", "JOIN tickets t ON t.id = u.key"), 2) },
	[PARTS_REPORT_BY_TECHNICIAN] = { "by-technician", "Parts by technician", "Technician",
	    usage_heads, DB_STMT("parts_report_by_technician",
	    PERIOD("coalesce(s.name, '')", "technician",
	    "LEFT JOIN staff s ON s.id = u.key"), 2) },
	[PARTS_REPORT_BY_CUSTOMER] = { "by-customer", "Parts by customer", "Customer",
	    usage_heads, DB_STMT("parts_report_by_customer",
	    PERIOD("c.name", "customer", "JOIN customers c ON c.id = u.key"), 2) },
	/* Stock that has not gone out since the period began. */
	[PARTS_REPORT_SLOW] = { "slow-movers", "Slow movers", NULL, slow_heads,
	    DB_STMT("parts_report_slow",
	    "SELECT l.name, p.number, p.name, v.on_hand::text, (v.on_hand * p.cost)::text,"
	    " coalesce(to_char(v.last_out_at, 'YYYY-MM-DD'), 'never')"
	    " FROM stock_levels v JOIN stock_locations l ON l.id = v.location_id"
	    " JOIN parts p ON p.id = v.part_id WHERE v.on_hand > 0"
	    " AND (v.last_out_at IS NULL OR v.last_out_at < $1::date) AND $2::date IS NOT NULL"
	    " ORDER BY v.on_hand * p.cost DESC, l.name, p.number LIMIT 1000", 2) },
	[PARTS_REPORT_SHORTAGES] = { "shortages", "Shortages that delayed jobs", NULL, short_heads,
	    DB_STMT("parts_report_shortages",
	    "SELECT t.number, coalesce(s.name, ''), p.number, r.qty::text,"
	    " to_char(r.created_at, 'YYYY-MM-DD HH24:MI'),"
	    " coalesce(to_char(r.received_at, 'YYYY-MM-DD HH24:MI'), 'not yet'),"
	    " round(extract(epoch FROM coalesce(r.received_at, now()) - r.created_at) / 3600, 1)::text"
	    " FROM part_requests r JOIN tickets t ON t.id = r.ticket_id JOIN parts p ON p.id = r.part_id"
	    " LEFT JOIN staff s ON s.id = r.requested_by WHERE r.created_at >= $1::date"
	    " AND r.created_at < $2::date + 1 ORDER BY r.created_at DESC LIMIT 1000", 2) },
};

enum parts_report
parts_report_parse(const char *slug)
{
	int k;

	for (k = 0; slug != NULL && k < PARTS_REPORT__MAX; k++)
		if (strcmp(slug, reports[k].slug) == 0)
			return (enum parts_report)k;
	return PARTS_REPORT__MAX;
}

const char *
parts_report_slug(enum parts_report k)
{
	return k < PARTS_REPORT__MAX ? reports[k].slug : "";
}

const char *
parts_report_title(enum parts_report k)
{
	return k < PARTS_REPORT__MAX ? reports[k].title : "";
}

enum cs_result
parts_report(struct db *db, struct arena *a, enum parts_report k, const char *from,
    const char *to, struct parts_table *out, const char **why)
{
	struct db_stmt *st;
	const char *p[2];
	PGresult *r;
	int i, j, cols;

	memset(out, 0, sizeof(*out));
	*why = NULL;
	if (k >= PARTS_REPORT__MAX)
		return CS_NOT_FOUND;
	if (!parts_is_date(from) || !parts_is_date(to) || strcmp(from, to) > 0) {
		*why = "Choose a period: from and to as dates, from no later than to.";
		return CS_REFUSED;
	}
	out->title = reports[k].title;
	out->heads = reports[k].heads;
	for (out->ncols = 0; out->heads[out->ncols] != NULL; out->ncols++)
		;
	out->key_head = reports[k].key_head;
	p[0] = from;
	p[1] = to;
	st = &reports[k].stmt;
	if ((r = db_exec(db, st, p)) == NULL)
		return db_result(db);
	cols = PQnfields(r) < (int)out->ncols ? PQnfields(r) : (int)out->ncols;
	out->n = (size_t)PQntuples(r);
	out->rows = arena_zalloc(a, (out->n + 1) * sizeof(*out->rows));
	for (i = 0; out->rows != NULL && i < PQntuples(r); i++) {
		if ((out->rows[i] = arena_zalloc(a, out->ncols * sizeof(char *))) == NULL)
			break;
		for (j = 0; j < cols; j++)
			out->rows[i][j] = arena_strdup(a, PQgetvalue(r, i, j));
	}
	PQclear(r);
	return out->rows != NULL && (out->n == 0 || out->rows[out->n - 1] != NULL) ? CS_OK :
	    CS_FAILED;
}

void
parts_report_csv(const struct parts_table *t, struct buf *out)
{
	size_t i, j;

	for (j = 0; j < t->ncols; j++) {
		if (j > 0)
			buf_addch(out, ',');
		ticket_csv_field(out, j == 0 && t->key_head != NULL ? t->key_head : t->heads[j]);
	}
	buf_addstr(out, "\r\n");
	for (i = 0; i < t->n; i++) {
		for (j = 0; j < t->ncols; j++) {
			if (j > 0)
				buf_addch(out, ',');
			ticket_csv_field(out, t->rows[i][j] != NULL ? t->rows[i][j] : "");
		}
		buf_addstr(out, "\r\n");
	}
}
