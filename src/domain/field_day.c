/* field_day.c — the technician's day: their jobs, check-in, check-out, signature, completion; see field.h. */
#include "domain/field.h"
#include "core/arena.h"
#include "core/utf8.h"
#include "db/db.h"
#include "domain/events.h"
#include "domain/field_int.h"
#include "domain/warranty.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ST_COLS(X) \
	X(FS, status, "status") X(FS, checkin_token, "coalesce(checkin_token, '')") \
	X(FS, checkout_token, "coalesce(checkout_token, '')") \
	X(FS, signed, "signature_png IS NOT NULL") \
	X(FS, needs_signature, "coalesce((SELECT value FROM settings" \
	    " WHERE key = 'field_signature_required'), 'true') = 'true'")
enum { DB_COL_ENUM(ST_COLS) };
#define SIG_COLS(X) X(FG, sha256, "signature_sha256")
enum { DB_COL_ENUM(SIG_COLS) };

#define DAY_COLS(X) \
	X(FD, id, "ap.id") X(FD, ticket_id, "ap.ticket_id") X(FD, number, "t.number") \
	X(FD, customer_id, "ap.customer_id") X(FD, customer, "c.name") \
	X(FD, address, "ap.address") X(FD, postcode, "ap.postcode") X(FD, summary, "ap.summary") \
	X(FD, starts, "to_char(ap.starts_at AT TIME ZONE s.time_zone, 'HH24:MI')") \
	X(FD, ends, "to_char(ap.ends_at AT TIME ZONE s.time_zone, 'HH24:MI')") \
	X(FD, status, "ap.status") X(FD, signed, "ap.signature_png IS NOT NULL") \
	X(FD, sequence, "ap.sequence") X(FD, product_id, "coalesce(t.product_id, 0)") \
	X(FD, serial, "coalesce(t.serial, '')")
enum { DB_COL_ENUM(DAY_COLS) };

enum stmt {
	ST_STATE,
	ST_CHECK_IN,
	ST_CHECK_OUT,
	ST_SIGN,
	ST_COMPLETE,
	ST_DAY,
	ST__MAX
};

/* A check-in or check-out: position or note, and the form's token. */
#define CHECK_SET(w) \
	w "_at = now(), " w "_lat = $3::float8, " w "_lon = $4::float8, " \
	w "_accuracy_m = $5::float8, " w "_note = nullif($6, ''), " w "_token = $7"

static struct db_stmt stmts[] = {
	/* The job as its technician sees it (NOT_FOUND for anybody else). */
	[ST_STATE] = DB_STMT("field_state",
	    "SELECT " DB_COLS(ST_COLS) " FROM appointments WHERE id = $1::bigint"
	    " AND technician_id = $2::bigint", 2),
	[ST_CHECK_IN] = DB_STMT("field_check_in",
	    "UPDATE appointments SET status = 'checked_in', " CHECK_SET("checkin")
	    " WHERE id = $1::bigint AND technician_id = $2::bigint AND status = 'booked'", 7),
	[ST_CHECK_OUT] = DB_STMT("field_check_out",
	    "UPDATE appointments SET status = 'checked_out', " CHECK_SET("checkout")
	    " WHERE id = $1::bigint AND technician_id = $2::bigint AND status = 'checked_in'", 7),
	[ST_SIGN] = DB_STMT("field_sign",
	    "UPDATE appointments SET signature_png = $3::bytea,"
	    " signature_sha256 = encode(sha256($3::bytea), 'hex')"
	    " WHERE id = $1::bigint AND technician_id = $2::bigint"
	    " AND status IN ('checked_in', 'checked_out') RETURNING " DB_COLS(SIG_COLS), 3),
	/* Completion's rules are in its WHERE; field_complete says which one failed. */
	[ST_COMPLETE] = DB_STMT("field_complete",
	    "UPDATE appointments SET status = 'completed', completed_at = now(),"
	    " work_notes = $3, labour_min = $4::int, travel_min = $5::int"
	    " WHERE id = $1::bigint AND technician_id = $2::bigint AND status = 'checked_out'"
	    " AND (signature_png IS NOT NULL OR coalesce((SELECT value FROM settings"
	    " WHERE key = 'field_signature_required'), 'true') <> 'true')", 5),
	[ST_DAY] = DB_STMT("field_day",
	    "SELECT " DB_COLS(DAY_COLS) " FROM staff s JOIN appointments ap"
	    " ON ap.technician_id = s.id"
	    " AND ap.starts_at >= ($2::date::timestamp AT TIME ZONE s.time_zone)"
	    " AND ap.starts_at < (($2::date + 1)::timestamp AT TIME ZONE s.time_zone)"
	    " JOIN tickets t ON t.id = ap.ticket_id JOIN customers c ON c.id = ap.customer_id"
	    " WHERE s.id = $1::bigint AND ap.status <> 'cancelled'"
	    " ORDER BY ap.starts_at, ap.id LIMIT 100", 2),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

struct state {
	const char *status;
	const char *checkin_token;
	const char *checkout_token;
	int signed_;
	int needs_signature;
};

static enum cs_result
fill_state(struct arena *a, const PGresult *r, int i, void *elem)
{
	struct state *s = elem;
	int failed = 0;

	s->status = db_str(a, r, i, FS_status, &failed);
	s->checkin_token = db_str(a, r, i, FS_checkin_token, &failed);
	s->checkout_token = db_str(a, r, i, FS_checkout_token, &failed);
	s->signed_ = db_bool(r, i, FS_signed);
	s->needs_signature = db_bool(r, i, FS_needs_signature);
	return failed ? CS_FAILED : CS_OK;
}

static enum cs_result
state_of(struct db *db, struct arena *a, const struct field_actor *by, long long id,
    struct state *s)
{
	const char *p[] = { db_param_ll(a, id), db_param_ll(a, by->staff_id) };

	return db_one(db, a, &stmts[ST_STATE], p, fill_state, s);
}

enum cs_result
field_event(struct db *db, const struct field_actor *by, long long id, const char *type,
    json_t *o)
{
	struct event_actor e = { by->staff_id > 0 ? "staff" : "system", by->staff_id };
	char *text = o != NULL ? json_dumps(o, JSON_COMPACT) : NULL;
	enum cs_result rc;

	if (by->staff_id == 0 && by->portal_user_id > 0) {
		e.kind = "customer";
		e.id = by->portal_user_id;
	}
	json_decref(o);
	if (text == NULL)
		return CS_FAILED;
	rc = events_append(db, "appointment", id, type, &e, text);
	free(text);
	return rc;
}

static enum cs_result
check_point(const struct field_checkpoint *at, const char **why)
{
	if (at->token == NULL || *at->token == '\0' || strlen(at->token) > FIELD_TOKEN_MAX)
		*why = "The form is incomplete; reload the page and send it again.";
	else if (at->has_position && (at->lat < -90 || at->lat > 90 || at->lon < -180 ||
	    at->lon > 180 || at->accuracy_m < 0))
		*why = "The position is not one on Earth; type why there is none instead.";
	else if (!at->has_position && (at->note == NULL || utf8_chars(at->note) == 0))
		*why = "Without a position, say why (for example: location not allowed).";
	else if (at->note != NULL && utf8_chars(at->note) > FIELD_TEXT_MAX)
		*why = "A note has at most 500 characters.";
	return *why != NULL ? CS_REFUSED : CS_OK;
}

/*
 * Check-in (out = 0) or check-out (out = 1). The UPDATE moves only a job in
 * the state before; when it moves nothing, the job's state says whether
 * this was the same form sent again (its token is stored: CS_OK) or a
 * step that does not apply.
 */
static enum cs_result
checkpoint(struct db *db, struct arena *a, const struct field_actor *by, long long id,
    const struct field_checkpoint *at, int out, const char **why)
{
	const char *p[7];
	struct state s;
	enum cs_result rc;

	*why = NULL;
	if (check_point(at, why) != CS_OK)
		return CS_REFUSED;
	p[0] = db_param_ll(a, id);
	p[1] = db_param_ll(a, by->staff_id);
	p[2] = at->has_position ? arena_printf(a, "%.7f", at->lat) : NULL;
	p[3] = at->has_position ? arena_printf(a, "%.7f", at->lon) : NULL;
	p[4] = at->has_position ? arena_printf(a, "%.1f", at->accuracy_m) : NULL;
	p[5] = at->note != NULL ? at->note : "";
	p[6] = at->token;
	if (db_begin(db) != 0)
		return db_result(db);
	rc = db_update_one(db, &stmts[out ? ST_CHECK_OUT : ST_CHECK_IN], p);
	if (rc == CS_OK)
		return db_end(db, field_event(db, by, id, out ? "appointment.checked_out" :
		    "appointment.checked_in", json_pack("{s:b}", "position", at->has_position)));
	if (rc != CS_NOT_FOUND || (rc = state_of(db, a, by, id, &s)) != CS_OK)
		return db_end(db, rc);
	if (strcmp(out ? s.checkout_token : s.checkin_token, at->token) == 0)
		return db_end(db, CS_OK);
	if (strcmp(s.status, "cancelled") == 0)
		*why = "This appointment was cancelled.";
	else if (out && strcmp(s.status, "booked") == 0)
		*why = "Check in before checking out.";
	else
		*why = out ? "This job is already checked out." : "This job is already checked in.";
	return db_end(db, CS_REFUSED);
}

enum cs_result
field_check_in(struct db *db, struct arena *a, const struct field_actor *by, long long id,
    const struct field_checkpoint *at, const char **why)
{
	return checkpoint(db, a, by, id, at, 0, why);
}

enum cs_result
field_check_out(struct db *db, struct arena *a, const struct field_actor *by, long long id,
    const struct field_checkpoint *at, const char **why)
{
	return checkpoint(db, a, by, id, at, 1, why);
}

enum cs_result
field_sign(struct db *db, struct arena *a, const struct field_actor *by, long long id,
    const void *png, size_t size, const char **sha256, const char **why)
{
	static const unsigned char magic[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
	const char *p[] = { db_param_ll(a, id), db_param_ll(a, by->staff_id), png };
	int lengths[] = { 0, 0, (int)size }, formats[] = { 0, 0, 1 };
	PGresult *r;
	enum cs_result rc;
	int failed = 0;

	*why = NULL;
	*sha256 = NULL;
	if (png == NULL || size < sizeof(magic) || memcmp(png, magic, sizeof(magic)) != 0) {
		*why = "The signature is not a picture; ask the customer to sign again.";
		return CS_REFUSED;
	}
	if (size > FIELD_SIGNATURE_MAX) {
		*why = "The signature picture is too large (at most 512 KB).";
		return CS_REFUSED;
	}
	if (db_begin(db) != 0)
		return db_result(db);
	if ((r = db_exec_bin(db, &stmts[ST_SIGN], p, lengths, formats)) == NULL)
		return db_end(db, db_result(db));
	if (PQntuples(r) != 1) {
		PQclear(r);
		*why = "Sign between check-in and completion.";
		return db_end(db, CS_REFUSED);
	}
	*sha256 = db_str(a, r, 0, FG_sha256, &failed);
	PQclear(r);
	if (failed)
		return db_end(db, CS_FAILED);
	rc = field_event(db, by, id, "appointment.signed", json_pack("{s:s}", "sha256", *sha256));
	return db_end(db, rc);
}

enum cs_result
field_complete(struct db *db, struct arena *a, const struct field_actor *by, long long id,
    const char *notes, int labour_min, int travel_min, const char **why)
{
	const char *p[] = { db_param_ll(a, id), db_param_ll(a, by->staff_id),
		notes != NULL ? notes : "", db_param_ll(a, labour_min), db_param_ll(a, travel_min) };
	struct state s;
	enum cs_result rc;

	*why = NULL;
	if (labour_min < 0 || labour_min > 1440 || travel_min < 0 || travel_min > 1440) {
		*why = "Labour and travel: minutes from 0 to 1440.";
		return CS_REFUSED;
	}
	if (notes != NULL && utf8_chars(notes) > 5000) {
		*why = "Work notes have at most 5000 characters.";
		return CS_REFUSED;
	}
	if (db_begin(db) != 0)
		return db_result(db);
	rc = db_update_one(db, &stmts[ST_COMPLETE], p);
	if (rc == CS_OK)
		return db_end(db, field_event(db, by, id, "appointment.completed",
		    json_pack("{s:i, s:i}", "labour_min", labour_min, "travel_min", travel_min)));
	if (rc != CS_NOT_FOUND || (rc = state_of(db, a, by, id, &s)) != CS_OK)
		return db_end(db, rc);
	if (strcmp(s.status, "completed") == 0)
		*why = "This job is already completed.";
	else if (strcmp(s.status, "cancelled") == 0)
		*why = "This appointment was cancelled.";
	else if (strcmp(s.status, "checked_out") != 0)
		*why = "Check out before completing the job.";
	else
		*why = "The customer's signature is required before completing the job.";
	return db_end(db, CS_REFUSED);
}

struct day_row {
	struct field_job job;
	long long customer_id, product_id;
	const char *serial;
};

static enum cs_result
fill_day(struct arena *a, const PGresult *r, int i, void *elem)
{
	struct day_row *d = elem;
	struct field_job *j = &d->job;
	int failed = 0;

	j->id = db_ll(r, i, FD_id);
	j->ticket_id = db_ll(r, i, FD_ticket_id);
	j->ticket_number = db_str(a, r, i, FD_number, &failed);
	j->customer = db_str(a, r, i, FD_customer, &failed);
	j->address = db_str(a, r, i, FD_address, &failed);
	j->postcode = db_str(a, r, i, FD_postcode, &failed);
	j->summary = db_str(a, r, i, FD_summary, &failed);
	j->starts_at = db_str(a, r, i, FD_starts, &failed);
	j->ends_at = db_str(a, r, i, FD_ends, &failed);
	j->status = db_str(a, r, i, FD_status, &failed);
	j->signed_ = db_bool(r, i, FD_signed);
	j->sequence = (int)db_ll(r, i, FD_sequence);
	j->coverage = "";
	d->customer_id = db_ll(r, i, FD_customer_id);
	d->product_id = db_ll(r, i, FD_product_id);
	d->serial = db_str(a, r, i, FD_serial, &failed);
	return failed ? CS_FAILED : CS_OK;
}

enum cs_result
field_day(struct db *db, struct arena *a, long long staff_id, const char *day,
    struct field_job **rows, size_t *n)
{
	const char *p[] = { db_param_ll(a, staff_id), day };
	struct day_row *d;
	void *out;
	size_t i;
	enum cs_result rc;

	*rows = NULL;
	if ((rc = db_rows(db, a, &stmts[ST_DAY], p, sizeof(*d), fill_day, &out, n)) != CS_OK)
		return rc;
	d = out;
	*rows = arena_alloc(a, (*n > 0 ? *n : 1) * sizeof(**rows));
	if (*rows == NULL)
		return CS_FAILED;
	/* The coverage line of each job with a registered serial (what it is charged). */
	for (i = 0; i < *n; i++) {
		struct warranty_coverage c;
		const char *why = NULL;

		(*rows)[i] = d[i].job;
		if (*d[i].serial == '\0')
			continue;
		rc = warranty_coverage_for(db, a, d[i].customer_id, d[i].product_id, d[i].serial, NULL,
		    &c, &why);
		if (rc == CS_OK)
			(*rows)[i].coverage = c.words;
		else if (rc != CS_NOT_FOUND)
			return rc;
	}
	return CS_OK;
}
