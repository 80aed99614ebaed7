/*
 * parts_usage.c — parts used on a job from the technician's van (installed,
 * consumed, loaned), returned to stock, and requested when the van lacks
 * them (the ticket waits for parts until the transfer arrives); see parts.h.
 */
#include "domain/parts.h"
#include "core/arena.h"
#include "core/utf8.h"
#include "db/db.h"
#include "domain/events.h"
#include "domain/parts_int.h"
#include "domain/ticket_rules.h"
#include "domain/tickets.h"
#include "domain/warranty.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define JOB_COLS(X) \
	X(JB, ticket_id, "ap.ticket_id") X(JB, customer_id, "ap.customer_id") \
	X(JB, status, "ap.status") X(JB, ticket_status, "t.status") \
	X(JB, product_id, "coalesce(t.product_id, 0)") X(JB, serial, "coalesce(t.serial, '')") \
	X(JB, van, "coalesce(l.id, 0)") X(JB, source, "coalesce(l.source_id, 0)")
enum { DB_COL_ENUM(JOB_COLS) };
#define PART_COLS(X) X(PA, serial_tracked, "serial_tracked") X(PA, active, "active")
enum { DB_COL_ENUM(PART_COLS) };
#define ID_COLS(X) X(ID, id, "id")
enum { DB_COL_ENUM(ID_COLS) };
#define BACK_COLS(X) X(BK, part_id, "part_id") X(BK, location_id, "location_id") X(BK, qty, "qty")
enum { DB_COL_ENUM(BACK_COLS) };
#define USE_COLS(X) \
	X(US, id, "u.id") X(US, number, "p.number") X(US, name, "p.name") X(US, kind, "u.kind") \
	X(US, serial, "coalesce(u.serial, '')") X(US, qty, "u.qty") \
	X(US, due_on, "coalesce(u.due_on::text, '')") X(US, covered_by, "u.covered_by") \
	X(US, returned, "u.returned_at IS NOT NULL") \
	X(US, overdue, "u.kind = 'loaner' AND u.returned_at IS NULL AND u.due_on < current_date")
enum { DB_COL_ENUM(USE_COLS) };
#define REQ_COLS(X) \
	X(RQ, id, "r.id") X(RQ, transfer_id, "r.transfer_id") X(RQ, number, "p.number") \
	X(RQ, name, "p.name") X(RQ, status, "x.status") X(RQ, qty, "r.qty")
enum { DB_COL_ENUM(REQ_COLS) };

enum stmt {
	ST_JOB,
	ST_PART,
	ST_USAGE_TOKEN,
	ST_REQUEST_TOKEN,
	ST_USE,
	ST_RETURN,
	ST_RESERVE,
	ST_TRANSFER,
	ST_REQUEST,
	ST_OF_JOB,
	ST_REQUESTS_OF_JOB,
	ST__MAX
};

static struct db_stmt stmts[] = {
	/* The job as its technician sees it (NOT_FOUND for anybody else), with their van. */
	[ST_JOB] = DB_STMT("parts_job",
	    "SELECT " DB_COLS(JOB_COLS) " FROM appointments ap JOIN tickets t ON t.id = ap.ticket_id"
	    " LEFT JOIN stock_locations l ON l.technician_id = ap.technician_id AND l.active"
	    " WHERE ap.id = $1::bigint AND ap.technician_id = $2::bigint", 2),
	[ST_PART] = DB_STMT("parts_part_flags",
	    "SELECT " DB_COLS(PART_COLS) " FROM parts WHERE id = $1::bigint", 1),
	[ST_USAGE_TOKEN] = DB_STMT("parts_usage_token",
	    "SELECT " DB_COLS(ID_COLS) " FROM part_usages WHERE token = $1", 1),
	[ST_REQUEST_TOKEN] = DB_STMT("parts_request_token",
	    "SELECT " DB_COLS(ID_COLS) " FROM part_requests WHERE token = $1", 1),
	[ST_USE] = DB_STMT("parts_use",
	    "INSERT INTO part_usages (ticket_id, appointment_id, customer_id, technician_id,"
	    " part_id, location_id, kind, qty, serial, unit_cost, unit_price, covered_by, due_on,"
	    " token) SELECT $1::bigint, $2::bigint, $3::bigint, $4::bigint, p.id, $5::bigint, $6,"
	    " $7::int, nullif($8, ''), p.cost, p.price, $9, $10::date, $11"
	    " FROM parts p WHERE p.id = $12::bigint RETURNING " DB_COLS(ID_COLS), 12),
	[ST_RETURN] = DB_STMT("parts_return",
	    "UPDATE part_usages SET returned_at = now() WHERE id = $1::bigint"
	    " AND technician_id = $2::bigint AND returned_at IS NULL RETURNING " DB_COLS(BACK_COLS), 2),
	[ST_RESERVE] = DB_STMT("parts_reserve",
	    "UPDATE stock_levels SET reserved = reserved + $3::int WHERE location_id = $1::bigint"
	    " AND part_id = $2::bigint AND on_hand - reserved >= $3::int", 3),
	[ST_TRANSFER] = DB_STMT("parts_request_transfer",
	    "INSERT INTO stock_transfers (kind, part_id, from_id, to_id, proposed_qty, qty, status,"
	    " reason, decided_by, decided_at) VALUES ('request', $1::bigint, $2::bigint, $3::bigint,"
	    " $4::int, $4::int, $5, $6, $7::bigint, CASE WHEN $5 = 'approved' THEN now() END)"
	    " RETURNING " DB_COLS(ID_COLS), 7),
	[ST_REQUEST] = DB_STMT("parts_request",
	    "INSERT INTO part_requests (ticket_id, appointment_id, part_id, qty, transfer_id,"
	    " requested_by, token) VALUES ($1::bigint, $2::bigint, $3::bigint, $4::int,"
	    " $5::bigint, $6::bigint, $7) RETURNING " DB_COLS(ID_COLS), 7),
	[ST_OF_JOB] = DB_STMT("parts_of_job",
	    "SELECT " DB_COLS(USE_COLS) " FROM part_usages u JOIN parts p ON p.id = u.part_id"
	    " WHERE u.appointment_id = $1::bigint ORDER BY u.id LIMIT 200", 1),
	[ST_REQUESTS_OF_JOB] = DB_STMT("parts_requests_of_job",
	    "SELECT " DB_COLS(REQ_COLS) " FROM part_requests r JOIN parts p ON p.id = r.part_id"
	    " JOIN stock_transfers x ON x.id = r.transfer_id WHERE r.appointment_id = $1::bigint"
	    " ORDER BY r.id LIMIT 100", 1),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

static const char *const kinds[PARTS_USE__MAX] = {
	[PARTS_INSTALLED] = "installed",
	[PARTS_CONSUMED] = "consumed",
	[PARTS_LOANER] = "loaner",
};

const char *
parts_use_kind_name(enum parts_use_kind k)
{
	return k < PARTS_USE__MAX ? kinds[k] : "";
}

enum parts_use_kind
parts_use_kind_parse(const char *name)
{
	int k;

	for (k = 0; name != NULL && k < PARTS_USE__MAX; k++)
		if (strcmp(name, kinds[k]) == 0)
			return (enum parts_use_kind)k;
	return PARTS_USE__MAX;
}

struct job {
	long long ticket_id, customer_id, product_id, van, source;
	const char *status, *ticket_status, *serial;
};

static enum cs_result
fill_job(struct arena *a, const PGresult *r, int i, void *elem)
{
	struct job *j = elem;
	int failed = 0;

	j->ticket_id = db_ll(r, i, JB_ticket_id);
	j->customer_id = db_ll(r, i, JB_customer_id);
	j->product_id = db_ll(r, i, JB_product_id);
	j->van = db_ll(r, i, JB_van);
	j->source = db_ll(r, i, JB_source);
	j->status = db_str(a, r, i, JB_status, &failed);
	j->ticket_status = db_str(a, r, i, JB_ticket_status, &failed);
	j->serial = db_str(a, r, i, JB_serial, &failed);
	return failed ? CS_FAILED : CS_OK;
}

/* The job of the technician by, on site (checked in or out) with a van. */
static enum cs_result
job_of(struct db *db, struct arena *a, const struct field_actor *by, long long id,
    struct job *j, const char **why)
{
	const char *p[] = { db_param_ll(a, id), db_param_ll(a, by->staff_id) };
	enum cs_result rc = db_one(db, a, &stmts[ST_JOB], p, fill_job, j);

	if (rc != CS_OK)
		return rc;
	if (strcmp(j->status, "checked_in") != 0 && strcmp(j->status, "checked_out") != 0)
		return parts_refuse(why, "Parts are recorded between check-in and completion.");
	if (j->van == 0)
		return parts_refuse(why, "You have no van to take parts from; ask a supervisor.");
	return CS_OK;
}

/* Whether token was used already by st (the same form sent again). */
static enum cs_result
seen(struct db *db, struct arena *a, enum stmt st, const char *token, int *yes)
{
	const char *p[] = { token };
	long long id;
	enum cs_result rc = db_id(db, &stmts[st], p, ID_id, &id);

	(void)a;
	*yes = rc == CS_OK;
	return rc == CS_NOT_FOUND ? CS_OK : rc;
}

static enum cs_result
check_use(const struct parts_use_in *in, const char **why)
{
	enum cs_result rc;

	if (in->token == NULL || *in->token == '\0' || strlen(in->token) > FIELD_TOKEN_MAX)
		return parts_refuse(why, "The form is incomplete; reload the page and send it again.");
	if ((rc = parts_qty_ok(in->qty, why)) != CS_OK)
		return rc;
	if (in->kind >= PARTS_USE__MAX)
		return parts_refuse(why, "Choose installed, consumed or loaner.");
	if (in->kind == PARTS_LOANER && !parts_is_date(in->due_on))
		return parts_refuse(why, "A loaner needs the date it is due back.");
	if (in->serial != NULL && utf8_chars(in->serial) > 100)
		return parts_refuse(why, "A serial has at most 100 characters.");
	return CS_OK;
}

/* What covers the parts of the job's serial now: "warranty", "contract" or "". */
static enum cs_result
parts_cover(struct db *db, struct arena *a, const struct job *j, const char **by)
{
	struct warranty_coverage c;
	const char *why = NULL;
	enum cs_result rc;

	*by = "";
	if (*j->serial == '\0')
		return CS_OK;
	rc = warranty_coverage_for(db, a, j->customer_id, j->product_id, j->serial, NULL, &c, &why);
	if (rc == CS_OK && c.part[WARRANTY_PARTS].covered)
		*by = c.part[WARRANTY_PARTS].by;
	return rc == CS_NOT_FOUND ? CS_OK : rc;
}

static enum cs_result
usage_event(struct db *db, const struct field_actor *by, long long id, const char *type,
    json_t *o)
{
	struct event_actor e = { "staff", by->staff_id };
	char *text = o != NULL ? json_dumps(o, JSON_COMPACT) : NULL;
	enum cs_result rc;

	json_decref(o);
	if (text == NULL)
		return CS_FAILED;
	rc = events_append(db, "part_usage", id, type, &e, text);
	free(text);
	return rc;
}

enum cs_result
parts_use(struct db *db, struct arena *a, const struct field_actor *by,
    const struct parts_use_in *in, const char **why)
{
	const char *p[12], *covered = "";
	const char *q[] = { db_param_ll(a, in->part_id) };
	struct job j;
	PGresult *r;
	long long id = 0;
	int again = 0;
	enum cs_result rc;

	*why = NULL;
	if ((rc = check_use(in, why)) != CS_OK)
		return rc;
	if (db_begin(db) != 0)
		return db_result(db);
	if ((rc = seen(db, a, ST_USAGE_TOKEN, in->token, &again)) != CS_OK || again)
		return db_end(db, rc);
	if ((rc = job_of(db, a, by, in->appointment_id, &j, why)) != CS_OK)
		return db_end(db, rc);
	if ((r = db_exec(db, &stmts[ST_PART], q)) == NULL)
		return db_end(db, db_result(db));
	if (PQntuples(r) != 1 || !db_bool(r, 0, PA_active))
		rc = parts_refuse(why, "Choose a part from the catalogue.");
	else if (db_bool(r, 0, PA_serial_tracked) && (in->serial == NULL || *in->serial == '\0'))
		rc = parts_refuse(why, "This part is serial-tracked: type its serial.");
	PQclear(r);
	if (rc == CS_OK)
		rc = parts_cover(db, a, &j, &covered);
	if (rc != CS_OK)
		return db_end(db, rc);
	p[0] = db_param_ll(a, j.ticket_id);
	p[1] = db_param_ll(a, in->appointment_id);
	p[2] = db_param_ll(a, j.customer_id);
	p[3] = db_param_ll(a, by->staff_id);
	p[4] = db_param_ll(a, j.van);
	p[5] = kinds[in->kind];
	p[6] = db_param_ll(a, in->qty);
	p[7] = in->serial != NULL ? in->serial : "";
	p[8] = covered;
	p[9] = in->kind == PARTS_LOANER ? in->due_on : NULL;
	p[10] = in->token;
	p[11] = q[0];
	rc = db_id(db, &stmts[ST_USE], p, ID_id, &id);
	if (rc == CS_OK)
		rc = parts_take(db, a, j.van, in->part_id, in->qty, 0, why);
	if (rc == CS_OK) {
		struct parts_cause cause = { id, 0, 0 };

		rc = parts_movement(db, a, "use", in->part_id, j.van, 0, in->qty, &cause,
		    by->staff_id);
	}
	if (rc == CS_OK)
		rc = usage_event(db, by, id, "part.used", json_pack("{s:I, s:s, s:i, s:s}",
		    "appointment", (json_int_t)in->appointment_id, "kind", kinds[in->kind], "qty",
		    in->qty, "covered_by", covered));
	rc = db_end(db, rc);
	/* Two sends of one form at once: the second met the first's token. */
	return rc == CS_TAKEN ? CS_OK : rc;
}

enum cs_result
parts_return(struct db *db, struct arena *a, const struct field_actor *by, long long usage_id,
    const char **why)
{
	const char *p[] = { db_param_ll(a, usage_id), db_param_ll(a, by->staff_id) };
	struct parts_cause cause = { usage_id, 0, 0 };
	long long part, location;
	int qty;
	PGresult *r;
	enum cs_result rc;

	*why = NULL;
	if (db_begin(db) != 0)
		return db_result(db);
	if ((r = db_exec(db, &stmts[ST_RETURN], p)) == NULL)
		return db_end(db, db_result(db));
	if (PQntuples(r) != 1) {
		PQclear(r);
		return db_end(db, parts_refuse(why, "This part is back in stock already."));
	}
	part = db_ll(r, 0, BK_part_id);
	location = db_ll(r, 0, BK_location_id);
	qty = (int)db_ll(r, 0, BK_qty);
	PQclear(r);
	rc = parts_put(db, a, location, part, qty);
	if (rc == CS_OK)
		rc = parts_movement(db, a, "return", part, 0, location, qty, &cause, by->staff_id);
	if (rc == CS_OK)
		rc = usage_event(db, by, usage_id, "part.returned", json_pack("{s:i}", "qty", qty));
	return db_end(db, rc);
}

/* The job's ticket to "waiting for parts" (through in progress from new). */
static enum cs_result
hold_ticket(struct db *db, struct arena *a, const struct field_actor *by, const struct job *j,
    const char **why)
{
	struct ticket_actor_ref who = { TA_STAFF, by->staff_id, 0, 0, 0 };
	struct ticket_status_in s;
	enum ticket_status now = ticket_status_parse(j->ticket_status);
	enum cs_result rc = CS_OK;

	if (now == TS_PENDING_PARTS)
		return CS_OK;
	memset(&s, 0, sizeof(s));
	s.ticket_id = j->ticket_id;
	if (now == TS_NEW) {
		s.to = TS_IN_PROGRESS;
		rc = ticket_change_status(db, a, &who, &s, why);
	}
	s.to = TS_PENDING_PARTS;
	if (rc == CS_OK)
		rc = ticket_change_status(db, a, &who, &s, why);
	if (rc == CS_REFUSED)
		*why = "The ticket cannot wait for parts now (it is resolved, closed or cancelled).";
	return rc;
}

enum cs_result
parts_request(struct db *db, struct arena *a, const struct field_actor *by,
    long long appointment_id, long long part_id, int qty, const char *token, const char **why)
{
	const char *p[7], *shortage = NULL;
	struct job j;
	long long transfer = 0, id = 0;
	int again = 0;
	enum cs_result rc;

	*why = NULL;
	if (token == NULL || *token == '\0' || strlen(token) > FIELD_TOKEN_MAX)
		return parts_refuse(why, "The form is incomplete; reload the page and send it again.");
	if ((rc = parts_qty_ok(qty, why)) != CS_OK)
		return rc;
	if (db_begin(db) != 0)
		return db_result(db);
	if ((rc = seen(db, a, ST_REQUEST_TOKEN, token, &again)) != CS_OK || again)
		return db_end(db, rc);
	if ((rc = job_of(db, a, by, appointment_id, &j, why)) != CS_OK)
		return db_end(db, rc);
	if (j.source == 0)
		return db_end(db, parts_refuse(why, "Your van has no warehouse to ask; ask a supervisor."));
	p[0] = db_param_ll(a, j.source);
	p[1] = db_param_ll(a, part_id);
	p[2] = db_param_ll(a, qty);
	/* Reserved at the warehouse when it has them; else a supervisor decides. */
	rc = db_update_one(db, &stmts[ST_RESERVE], p);
	if (rc == CS_NOT_FOUND) {
		rc = parts_shortage(db, a, j.source, part_id, qty, &shortage);
		rc = rc == CS_REFUSED ? CS_OK : rc == CS_NOT_FOUND ?
		    parts_refuse(why, "Choose a part from the catalogue.") : CS_FAILED;
	}
	if (rc != CS_OK)
		return db_end(db, rc);
	p[0] = db_param_ll(a, part_id);
	p[1] = db_param_ll(a, j.source);
	p[2] = db_param_ll(a, j.van);
	p[3] = db_param_ll(a, qty);
	p[4] = shortage == NULL ? "approved" : "proposed";
	p[5] = shortage != NULL ? shortage : "";
	p[6] = db_param_ll(a, by->staff_id);
	rc = db_id(db, &stmts[ST_TRANSFER], p, ID_id, &transfer);
	p[0] = db_param_ll(a, j.ticket_id);
	p[1] = db_param_ll(a, appointment_id);
	p[2] = db_param_ll(a, part_id);
	p[3] = db_param_ll(a, qty);
	p[4] = db_param_ll(a, transfer);
	p[5] = db_param_ll(a, by->staff_id);
	p[6] = token;
	if (rc == CS_OK)
		rc = db_id(db, &stmts[ST_REQUEST], p, ID_id, &id);
	if (rc == CS_OK)
		rc = hold_ticket(db, a, by, &j, why);
	if (rc == CS_OK)
		rc = usage_event(db, by, id, "part.requested", json_pack("{s:I, s:I, s:i}",
		    "ticket", (json_int_t)j.ticket_id, "transfer", (json_int_t)transfer, "qty", qty));
	rc = db_end(db, rc);
	return rc == CS_TAKEN ? CS_OK : rc;
}

static enum cs_result
fill_usage(struct arena *a, const PGresult *r, int i, void *elem)
{
	struct parts_usage *u = elem;
	int failed = 0;

	u->id = db_ll(r, i, US_id);
	u->number = db_str(a, r, i, US_number, &failed);
	u->name = db_str(a, r, i, US_name, &failed);
	u->kind = db_str(a, r, i, US_kind, &failed);
	u->serial = db_str(a, r, i, US_serial, &failed);
	u->qty = (int)db_ll(r, i, US_qty);
	u->due_on = db_str(a, r, i, US_due_on, &failed);
	u->covered_by = db_str(a, r, i, US_covered_by, &failed);
	u->returned = db_bool(r, i, US_returned);
	u->overdue = db_bool(r, i, US_overdue);
	return failed ? CS_FAILED : CS_OK;
}

enum cs_result
parts_of_job(struct db *db, struct arena *a, long long appointment_id,
    struct parts_usage **rows, size_t *n)
{
	const char *p[] = { db_param_ll(a, appointment_id) };
	void *out = NULL;
	enum cs_result rc = db_rows(db, a, &stmts[ST_OF_JOB], p, sizeof(**rows), fill_usage, &out,
	    n);

	*rows = out;
	return rc;
}

static enum cs_result
fill_request(struct arena *a, const PGresult *r, int i, void *elem)
{
	struct parts_request_row *q = elem;
	int failed = 0;

	q->id = db_ll(r, i, RQ_id);
	q->transfer_id = db_ll(r, i, RQ_transfer_id);
	q->number = db_str(a, r, i, RQ_number, &failed);
	q->name = db_str(a, r, i, RQ_name, &failed);
	q->status = db_str(a, r, i, RQ_status, &failed);
	q->qty = (int)db_ll(r, i, RQ_qty);
	return failed ? CS_FAILED : CS_OK;
}

enum cs_result
parts_requests_of_job(struct db *db, struct arena *a, long long appointment_id,
    struct parts_request_row **rows, size_t *n)
{
	const char *p[] = { db_param_ll(a, appointment_id) };
	void *out = NULL;
	enum cs_result rc = db_rows(db, a, &stmts[ST_REQUESTS_OF_JOB], p, sizeof(**rows),
	    fill_request, &out, n);

	*rows = out;
	return rc;
}
