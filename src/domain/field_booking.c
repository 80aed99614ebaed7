/* field_booking.c — windows offered to a customer and their own bookings; see field_booking.h. */
#include "domain/field_booking.h"
#include "core/arena.h"
#include "core/utf8.h"
#include "db/db.h"
#include "domain/field_int.h"

#include <ctype.h>
#include <jansson.h>
#include <string.h>
#include <time.h>

#define W_COLS(X) \
	X(FW, start, "to_char(w.starts_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI\"Z\"')") \
	X(FW, label, "to_char(w.starts_at AT TIME ZONE z.zone, 'Dy FMDD Mon HH24:MI') || '–'" \
	    " || to_char(w.ends_at AT TIME ZONE z.zone, 'HH24:MI')")
enum { DB_COL_ENUM(W_COLS) };

#define V_COLS(X) \
	X(PV, id, "ap.id") X(PV, number, "t.number") X(PV, summary, "ap.summary") \
	X(PV, address, "ap.address") X(PV, postcode, "ap.postcode") \
	X(PV, window, "to_char(ap.starts_at AT TIME ZONE coalesce(c.time_zone, 'UTC')," \
	    " 'Dy FMDD Mon HH24:MI') || '–' || to_char(ap.ends_at AT TIME ZONE" \
	    " coalesce(c.time_zone, 'UTC'), 'HH24:MI')") \
	X(PV, status, "ap.status") X(PV, assigned, "ap.technician_id IS NOT NULL")
enum { DB_COL_ENUM(V_COLS) };

#define ID_COLS(X) X(PB, id, "id")
enum { DB_COL_ENUM(ID_COLS) };

enum stmt {
	ST_WINDOWS,
	ST_TICKETS,
	ST_BOOK,
	ST_VISIT,
	ST_MOVE,
	ST__MAX
};

static struct db_stmt stmts[] = {
	/* From tomorrow's date where the customer is. */
	[ST_WINDOWS] = DB_STMT("field_windows",
	    "SELECT " DB_COLS(W_COLS) " FROM (SELECT coalesce(c.time_zone, 'UTC') AS zone"
	    " FROM customers c WHERE c.id = $1::bigint) z, LATERAL field_offered_windows($2, '',"
	    " (now() AT TIME ZONE z.zone)::date, $3::int, z.zone) w ORDER BY w.starts_at", 3),
	/* Row-level security keeps the portal to its customer; a user sees their own tickets
	 * unless they are the account's admin. */
	[ST_TICKETS] = DB_STMT("field_bookable_tickets",
	    "SELECT t.id, t.number || ' — ' || t.subject FROM tickets t"
	    " WHERE t.customer_id = $1::bigint AND ($3::boolean OR t.requester_id = $2::bigint)"
	    " AND t.status NOT IN ('resolved', 'closed', 'cancelled')"
	    " ORDER BY t.id DESC LIMIT 50", 3),
	[ST_BOOK] = DB_STMT("field_portal_book",
	    "SELECT " DB_COLS(ID_COLS) " FROM coalesce(field_portal_book($1::bigint, $2::timestamptz,"
	    " $2::timestamptz + interval '2 hours', $3, $4, $5), -1) AS id", 5),
	[ST_VISIT] = DB_STMT("field_portal_visit",
	    "SELECT " DB_COLS(V_COLS) " FROM appointments ap JOIN tickets t ON t.id = ap.ticket_id"
	    " JOIN customers c ON c.id = ap.customer_id"
	    " WHERE ap.id = $2::bigint AND ap.customer_id = $1::bigint", 2),
	[ST_MOVE] = DB_STMT("field_portal_move",
	    "SELECT " DB_COLS(ID_COLS) " FROM coalesce(field_portal_move($1::bigint, $2::timestamptz,"
	    " $2::timestamptz + interval '2 hours', $3), -1) AS id", 3),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

/*
 * Whether s is a window's start as the page sends it ("2026-12-07T08:00Z")
 * and a real time: checked before PostgreSQL, whose refusal would end the
 * portal's transaction before the page could show the windows again.
 */
static int
start_ok(const char *s)
{
	static const char shape[] = "dddd-dd-ddTdd:ddZ";
	struct tm tm, back;
	time_t t;
	size_t i;

	if (s == NULL || strlen(s) != sizeof(shape) - 1)
		return 0;
	for (i = 0; shape[i] != '\0'; i++)
		if (shape[i] == 'd' ? !isdigit((unsigned char)s[i]) : s[i] != shape[i])
			return 0;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + s[3] - '0' - 1900;
	tm.tm_mon = (s[5] - '0') * 10 + s[6] - '0' - 1;
	tm.tm_mday = (s[8] - '0') * 10 + s[9] - '0';
	tm.tm_hour = (s[11] - '0') * 10 + s[12] - '0';
	tm.tm_min = (s[14] - '0') * 10 + s[15] - '0';
	back = tm;
	t = timegm(&tm);
	return t != (time_t)-1 && tm.tm_year == back.tm_year && tm.tm_mon == back.tm_mon &&
	    tm.tm_mday == back.tm_mday && tm.tm_hour == back.tm_hour && tm.tm_min == back.tm_min;
}

static enum cs_result
fill_window(struct arena *a, const PGresult *r, int i, void *elem)
{
	struct field_window *o = elem;
	int failed = 0;

	o->start = db_str(a, r, i, FW_start, &failed);
	o->label = db_str(a, r, i, FW_label, &failed);
	return failed ? CS_FAILED : CS_OK;
}

enum cs_result
field_windows(struct db *db, struct arena *a, long long customer_id, const char *postcode,
    struct field_window **rows, size_t *n)
{
	const char *p[] = { db_param_ll(a, customer_id), postcode != NULL ? postcode : "",
		db_param_ll(a, FIELD_OFFER_DAYS) };
	void *out;
	enum cs_result rc = db_rows(db, a, &stmts[ST_WINDOWS], p, sizeof(**rows), fill_window,
	    &out, n);

	*rows = out;
	return rc;
}

enum cs_result
field_bookable_tickets(struct db *db, struct arena *a, long long customer_id,
    long long portal_user_id, int account_admin, struct db_option **rows, size_t *n)
{
	const char *p[] = { db_param_ll(a, customer_id), db_param_ll(a, portal_user_id),
		account_admin ? "true" : "false" };

	return db_options(db, a, &stmts[ST_TICKETS], p, rows, n);
}

/* The answer of field_portal_book/_move: the id, -1 (not theirs), 0 (nobody free). */
static enum cs_result
run_booking(struct db *db, struct db_stmt *st, const char *const *p, long long *id,
    const char **why)
{
	PGresult *r = db_exec(db, st, p);

	*id = 0;
	if (r == NULL) {
		/* Taken between the offer and now: the exclusion constraint said so. */
		if (db_is(db, "23P01")) {
			*why = FIELD_WINDOW_TAKEN;
			return CS_TAKEN;
		}
		if (db_is(db, "22007") || db_is(db, "22008") || db_is(db, "23514")) {
			*why = "Choose one of the windows offered.";
			return CS_REFUSED;
		}
		return db_result(db);
	}
	*id = PQntuples(r) == 1 ? db_ll(r, 0, PB_id) : -1;
	PQclear(r);
	if (*id < 0) {
		*id = 0;
		return CS_NOT_FOUND;
	}
	if (*id == 0) {
		*why = FIELD_WINDOW_TAKEN;
		return CS_TAKEN;
	}
	return CS_OK;
}

enum cs_result
field_portal_book(struct db *db, struct arena *a, const struct field_actor *by,
    const struct field_portal_booking *in, long long *id, const char **why)
{
	const char *p[] = { db_param_ll(a, in->ticket_id), in->start,
		in->postcode != NULL ? in->postcode : "", in->address, in->summary };
	enum cs_result rc;

	*id = 0;
	*why = NULL;
	if (!start_ok(in->start)) {
		*why = "Choose one of the windows offered.";
		return CS_REFUSED;
	}
	if (in->address == NULL || utf8_chars(in->address) == 0 ||
	    utf8_chars(in->address) > FIELD_TEXT_MAX) {
		*why = "Give the address where the visit is (at most 500 characters).";
		return CS_REFUSED;
	}
	if (in->summary == NULL || utf8_chars(in->summary) == 0 ||
	    utf8_chars(in->summary) > FIELD_TEXT_MAX) {
		*why = "Say what the technician is coming for (at most 500 characters).";
		return CS_REFUSED;
	}
	if (utf8_chars(p[2]) > 20) {
		*why = "A postcode has at most 20 characters.";
		return CS_REFUSED;
	}
	if (db_begin(db) != 0)
		return db_result(db);
	rc = run_booking(db, &stmts[ST_BOOK], p, id, why);
	if (rc == CS_OK)
		rc = field_event(db, by, *id, "appointment.booked", json_pack("{s:I, s:s}",
		    "ticket_id", (json_int_t)in->ticket_id, "by", "customer"));
	return db_end(db, rc);
}

static enum cs_result
fill_visit(struct arena *a, const PGresult *r, int i, void *elem)
{
	struct field_visit *o = elem;
	int failed = 0;

	o->id = db_ll(r, i, PV_id);
	o->ticket_number = db_str(a, r, i, PV_number, &failed);
	o->summary = db_str(a, r, i, PV_summary, &failed);
	o->address = db_str(a, r, i, PV_address, &failed);
	o->postcode = db_str(a, r, i, PV_postcode, &failed);
	o->window = db_str(a, r, i, PV_window, &failed);
	o->status = db_str(a, r, i, PV_status, &failed);
	o->assigned = db_bool(r, i, PV_assigned);
	return failed ? CS_FAILED : CS_OK;
}

enum cs_result
field_portal_visit(struct db *db, struct arena *a, long long customer_id, long long id,
    struct field_visit *out)
{
	const char *p[] = { db_param_ll(a, customer_id), db_param_ll(a, id) };

	return db_one(db, a, &stmts[ST_VISIT], p, fill_visit, out);
}

enum cs_result
field_portal_move(struct db *db, struct arena *a, const struct field_actor *by, long long id,
    const char *start, const char *reason, const char **why)
{
	const char *p[] = { db_param_ll(a, id), start, reason };
	long long moved = 0;
	enum cs_result rc;

	*why = NULL;
	if (reason == NULL || utf8_chars(reason) == 0 || utf8_chars(reason) > FIELD_TEXT_MAX) {
		*why = "Give a reason for the change (at most 500 characters).";
		return CS_REFUSED;
	}
	if (!start_ok(start)) {
		*why = "Choose one of the windows offered.";
		return CS_REFUSED;
	}
	if (db_begin(db) != 0)
		return db_result(db);
	rc = run_booking(db, &stmts[ST_MOVE], p, &moved, why);
	if (rc == CS_OK)
		rc = field_event(db, by, id, "appointment.rescheduled", json_pack("{s:s, s:s}",
		    "reason", reason, "by", "customer"));
	return db_end(db, rc);
}
