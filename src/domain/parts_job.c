/*
 * parts_job.c — the charges of a completed job (labour, travel, parts),
 * with what cover paid charged at 0 and counted as warranty or contract
 * cost, for the printable job report; and the same figures stored in
 * job_charges when the job completes, for the reports. See parts_job.h.
 */
#include "domain/parts_job.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/field_photos.h"
#include "domain/warranty.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JOB_COLS(X) \
	X(JR, id, "ap.id") X(JR, number, "t.number") X(JR, customer_id, "ap.customer_id") \
	X(JR, customer, "c.name") X(JR, technician, "coalesce(parts_technician_name(ap.technician_id), '')") \
	X(JR, address, "ap.address") X(JR, postcode, "ap.postcode") X(JR, summary, "ap.summary") \
	X(JR, day, "to_char(ap.starts_at AT TIME ZONE coalesce(c.time_zone, 'UTC'), 'YYYY-MM-DD')") \
	X(JR, checkin, "coalesce(to_char(ap.checkin_at AT TIME ZONE coalesce(c.time_zone, 'UTC')," \
	    " 'HH24:MI'), '')") \
	X(JR, checkout, "coalesce(to_char(ap.checkout_at AT TIME ZONE coalesce(c.time_zone," \
	    " 'UTC'), 'HH24:MI'), '')") \
	X(JR, notes, "ap.work_notes") X(JR, labour_min, "coalesce(ap.labour_min, 0)") \
	X(JR, travel_min, "coalesce(ap.travel_min, 0)") \
	X(JR, completed_at, "to_char(ap.completed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')") \
	X(JR, product_id, "coalesce(t.product_id, 0)") X(JR, serial, "coalesce(t.serial, '')") \
	X(JR, sha256, "coalesce(ap.signature_sha256, '')") X(JR, png, "ap.signature_png") \
	X(JR, labour_rate, "coalesce((SELECT value FROM settings WHERE key = 'field_labour_rate'), '0')") \
	X(JR, travel_rate, "coalesce((SELECT value FROM settings WHERE key = 'field_travel_rate'), '0')")
enum { DB_COL_ENUM(JOB_COLS) };
#define LINE_COLS(X) \
	X(JL, number, "p.number") X(JL, name, "p.name") X(JL, kind, "u.kind") X(JL, qty, "sum(u.qty)") \
	X(JL, cost, "u.unit_cost::text") X(JL, price, "u.unit_price::text") \
	X(JL, covered_by, "u.covered_by")
enum { DB_COL_ENUM(LINE_COLS) };

enum stmt {
	ST_JOB,
	ST_LINES,
	ST_STORE,
	ST__MAX
};

static struct db_stmt stmts[] = {
	/* A completed job; $2 names the customer asking (NULL: staff). */
	[ST_JOB] = DB_STMT("parts_job_report",
	    "SELECT " DB_COLS(JOB_COLS) " FROM appointments ap JOIN tickets t ON t.id = ap.ticket_id"
	    " JOIN customers c ON c.id = ap.customer_id"
	    " WHERE ap.id = $1::bigint AND ap.status = 'completed'"
	    " AND ($2::bigint IS NULL OR ap.customer_id = $2::bigint)", 2),
	/* What was used and kept (a part returned to stock is not charged), a line
	 * per part, way and price. */
	[ST_LINES] = DB_STMT("parts_job_lines",
	    "SELECT " DB_COLS(LINE_COLS) " FROM part_usages u JOIN parts p ON p.id = u.part_id"
	    " WHERE u.appointment_id = $1::bigint AND u.returned_at IS NULL"
	    " GROUP BY p.id, p.number, p.name, u.kind, u.unit_cost, u.unit_price, u.covered_by"
	    " ORDER BY min(u.id) LIMIT 200", 1),
	[ST_STORE] = DB_STMT("parts_job_store",
	    "INSERT INTO job_charges (appointment_id, labour, travel, parts, parts_cost, covered,"
	    " covered_warranty, covered_contract) VALUES ($1::bigint, $2::numeric, $3::numeric,"
	    " $4::numeric, $5::numeric, $6::numeric, $7::numeric, $8::numeric)"
	    " ON CONFLICT (appointment_id) DO NOTHING", 8),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

/* "12.5" or "12.50" as cents; 0 for anything else. */
static long long
cents(const char *s)
{
	char *end;
	long long whole = strtoll(s != NULL ? s : "0", &end, 10), frac = 0;

	if (*end == '.') {
		frac = (end[1] >= '0' && end[1] <= '9') ? (end[1] - '0') * 10 : 0;
		if (frac > 0 || end[1] == '0')
			frac += (end[2] >= '0' && end[2] <= '9') ? end[2] - '0' : 0;
	}
	return whole * 100 + frac;
}

const char *
parts_money(struct arena *a, long long c)
{
	return arena_printf(a, "%s%lld.%02lld", c < 0 ? "-" : "", llabs(c) / 100, llabs(c) % 100);
}

/* A line: what it is, and how it is paid. */
static void
charge(struct parts_job_report *r, struct parts_charge *l, long long amount,
    const char *covered_by)
{
	l->amount = amount;
	l->covered_by = covered_by != NULL ? covered_by : "";
	l->charged = *l->covered_by != '\0' ? 0 : amount;
	r->total += amount;
	r->charged += l->charged;
	if (strcmp(l->covered_by, "warranty") == 0)
		r->covered_warranty += amount;
	else if (strcmp(l->covered_by, "contract") == 0)
		r->covered_contract += amount;
}

static const char *
cover_by(const struct warranty_coverage *c, int have, int part)
{
	return have && c->part[part].covered ? c->part[part].by : "";
}

/* The labour and travel lines, covered as the serial was on the day of the job. */
static enum cs_result
time_lines(struct db *db, struct arena *a, const PGresult *r, struct parts_job_report *out)
{
	struct warranty_coverage c;
	const char *why = NULL, *serial = PQgetvalue(r, 0, JR_serial);
	int have = 0, i;
	enum cs_result rc;

	memset(&c, 0, sizeof(c));
	if (*serial != '\0') {
		rc = warranty_coverage_for(db, a, db_ll(r, 0, JR_customer_id),
		    db_ll(r, 0, JR_product_id), serial, PQgetvalue(r, 0, JR_completed_at), &c, &why);
		if (rc != CS_OK && rc != CS_NOT_FOUND)
			return rc;
		have = rc == CS_OK;
		out->coverage = have ? c.words : "";
	}
	for (i = 0; i < 2; i++) {
		struct parts_charge *l = &out->lines[out->n++];
		int minutes = (int)db_ll(r, 0, i == 0 ? JR_labour_min : JR_travel_min);
		long long rate = cents(PQgetvalue(r, 0, i == 0 ? JR_labour_rate : JR_travel_rate));

		l->what = i == 0 ? "Labour" : "Travel";
		l->number = "";
		l->qty = arena_printf(a, "%d min", minutes);
		l->unit = rate;
		charge(out, l, (minutes * rate + 30) / 60, cover_by(&c, have, i == 0 ?
		    WARRANTY_LABOUR : WARRANTY_TRAVEL));
	}
	return CS_OK;
}

static enum cs_result
part_lines(struct arena *a, const PGresult *r, struct parts_job_report *out)
{
	int i, failed = 0;

	out->lines = arena_realloc(a, out->lines, 2 * sizeof(*out->lines),
	    (size_t)(PQntuples(r) + 2) * sizeof(*out->lines));
	for (i = 0; out->lines != NULL && i < PQntuples(r); i++) {
		struct parts_charge *l = &out->lines[out->n++];
		int qty = (int)db_ll(r, i, JL_qty);
		int loaner = strcmp(PQgetvalue(r, i, JL_kind), "loaner") == 0;

		l->what = loaner ? arena_printf(a, "%s (loaner)", PQgetvalue(r, i, JL_name)) :
		    db_str(a, r, i, JL_name, &failed);
		l->number = db_str(a, r, i, JL_number, &failed);
		l->qty = arena_printf(a, "%d", qty);
		/* A loaner is lent, not sold: shown, charged nothing, costing nothing. */
		l->unit = loaner ? 0 : cents(PQgetvalue(r, i, JL_price));
		charge(out, l, l->unit * qty, loaner ? "" : PQgetvalue(r, i, JL_covered_by));
		out->parts += l->amount;
		out->parts_cost += loaner ? 0 : cents(PQgetvalue(r, i, JL_cost)) * qty;
		if (l->what == NULL || l->qty == NULL)
			failed = 1;
	}
	return out->lines == NULL || failed ? CS_FAILED : CS_OK;
}

static enum cs_result
signature(struct arena *a, const PGresult *r, struct parts_job_report *out)
{
	const void *png;
	size_t size, cap;
	char *b64;

	out->signature_sha256 = arena_strdup(a, PQgetvalue(r, 0, JR_sha256));
	out->signature_url = "";
	if (PQgetisnull(r, 0, JR_png))
		return out->signature_sha256 != NULL ? CS_OK : CS_FAILED;
	if (db_bytes(a, r, 0, JR_png, &png, &size) != CS_OK)
		return CS_FAILED;
	cap = sodium_base64_ENCODED_LEN(size, sodium_base64_VARIANT_ORIGINAL);
	if ((b64 = arena_alloc(a, cap)) == NULL)
		return CS_FAILED;
	sodium_bin2base64(b64, cap, png, size, sodium_base64_VARIANT_ORIGINAL);
	out->signature_url = arena_printf(a, "data:image/png;base64,%s", b64);
	return out->signature_url != NULL ? CS_OK : CS_FAILED;
}

/* The job's row into out: its words, signature, labour and travel lines. */
static enum cs_result
job_row(struct db *db, struct arena *a, long long id, const PGresult *r,
    struct parts_job_report *out)
{
	int failed = 0;

	out->id = id;
	out->ticket_number = db_str(a, r, 0, JR_number, &failed);
	out->customer = db_str(a, r, 0, JR_customer, &failed);
	out->technician = db_str(a, r, 0, JR_technician, &failed);
	out->address = db_str(a, r, 0, JR_address, &failed);
	out->postcode = db_str(a, r, 0, JR_postcode, &failed);
	out->summary = db_str(a, r, 0, JR_summary, &failed);
	out->day = db_str(a, r, 0, JR_day, &failed);
	out->checkin = db_str(a, r, 0, JR_checkin, &failed);
	out->checkout = db_str(a, r, 0, JR_checkout, &failed);
	out->notes = db_str(a, r, 0, JR_notes, &failed);
	out->lines = arena_zalloc(a, 2 * sizeof(*out->lines));
	if (failed || out->lines == NULL || signature(a, r, out) != CS_OK)
		return CS_FAILED;
	return time_lines(db, a, r, out);
}

/*
 * The job, its part lines and (v given) its photos in one round trip: the
 * lines and photos of a job the reader may not see are read and dropped
 * (the portal's row-level security keeps its own to its customer).
 */
enum cs_result
parts_job_report_with_photos(struct db *db, struct arena *a, long long id, long long customer_id,
    const struct field_photo_viewer *v, struct parts_job_report *out)
{
	const char *p[] = { db_param_ll(a, id), db_param_id(a, customer_id) };
	struct db_pipe pipe;
	const PGresult *job;
	enum cs_result rc;
	int photos = -1;

	memset(out, 0, sizeof(*out));
	out->coverage = "";
	db_pipe_init(&pipe);
	db_pipe_add(&pipe, &stmts[ST_JOB], p);
	db_pipe_add(&pipe, &stmts[ST_LINES], p);
	if (v != NULL && (photos = field_photos_send(&pipe, a, v, id)) < 0)
		return CS_FAILED;
	if ((rc = db_pipe_run(db, &pipe)) != CS_OK)
		return rc;
	job = db_pipe_result(&pipe, 0);
	if (PQntuples(job) != 1)
		rc = CS_NOT_FOUND;
	else if ((rc = job_row(db, a, id, job, out)) == CS_OK)
		rc = part_lines(a, db_pipe_result(&pipe, 1), out);
	if (rc == CS_OK && photos >= 0)
		rc = field_photos_rows(&pipe, photos, a, &out->photos, &out->nphotos);
	db_pipe_release(&pipe);
	return rc;
}

enum cs_result
parts_job_report(struct db *db, struct arena *a, long long id, long long customer_id,
    struct parts_job_report *out)
{
	return parts_job_report_with_photos(db, a, id, customer_id, NULL, out);
}

enum cs_result
parts_job_store(struct db *db, struct arena *a, long long id)
{
	struct parts_job_report r;
	const char *p[8];
	enum cs_result rc = parts_job_report(db, a, id, 0, &r);

	if (rc != CS_OK)
		return rc;
	p[0] = db_param_ll(a, id);
	p[1] = parts_money(a, r.lines[0].amount);
	p[2] = parts_money(a, r.lines[1].amount);
	p[3] = parts_money(a, r.parts);
	p[4] = parts_money(a, r.parts_cost);
	p[5] = parts_money(a, r.covered_warranty + r.covered_contract);
	p[6] = parts_money(a, r.covered_warranty);
	p[7] = parts_money(a, r.covered_contract);
	return db_do(db, &stmts[ST_STORE], p);
}
