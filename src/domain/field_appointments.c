/* field_appointments.c — booking, rescheduling, cancelling, time off and dispatch ranking; see field.h. */
#include "domain/field.h"
#include "core/arena.h"
#include "core/utf8.h"
#include "db/db.h"
#include "domain/events.h"
#include "domain/field_int.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define ID_COLS(X) X(FI, id, "id")
enum { DB_COL_ENUM(ID_COLS) };

/* The busy range: the window widened by the technician's travel buffer. */
#define BUSY(tech, s, e) \
	"tstzrange(" s " - make_interval(mins => coalesce((SELECT travel_buffer_min FROM technicians" \
	" WHERE staff_id = " tech "), 0)), " e " + make_interval(mins => coalesce((SELECT" \
	" travel_buffer_min FROM technicians WHERE staff_id = " tech "), 0)))"

/*
 * Which jobs can overlap a window: a job lasts at most a day and buffers
 * are at most 240 minutes (043's and 041's CHECKs), so only those starting
 * from 32 hours before the window's start to 8 hours after its end; the
 * bounds let the index on (technician_id, starts_at) answer alone.
 */
#define FIELD_BUSY_BEFORE "interval '32 hours'"
#define FIELD_BUSY_AFTER "interval '8 hours'"

/*
 * What decides a technician's rank for the appointment ap, named once. A
 * skill counts unless every certification of it has expired (as
 * field_skill_valid() says, written inline: a function call per
 * technician cost ten times more). "Free" (no job within the travel
 * buffer) and "jobs that day" are read from one range of the technician's
 * appointments (appointments_technician_time, without the table): from
 * 32 hours before the window, when a job that can reach it may start, to
 * the later of a day after its start (the same local day) and 8 hours
 * after its end; two ranges cost the board's ranking a third more.
 */
#define RANK_NEAR \
	" LATERAL (SELECT bool_or(b.starts_at < ap.ends_at + " FIELD_BUSY_AFTER \
	" AND b.busy && tstzrange(ap.starts_at - make_interval(mins => tc.travel_buffer_min)," \
	" ap.ends_at + make_interval(mins => tc.travel_buffer_min))) AS clash," \
	" count(*) FILTER (WHERE b.starts_at >= ap.starts_at - interval '1 day'" \
	" AND b.starts_at < ap.starts_at + interval '1 day'" \
	" AND (b.starts_at AT TIME ZONE s.time_zone)::date" \
	" = (ap.starts_at AT TIME ZONE s.time_zone)::date) AS load" \
	" FROM appointments b WHERE b.technician_id = tc.staff_id" \
	" AND b.status <> 'cancelled' AND b.id <> ap.id" \
	" AND b.starts_at > ap.starts_at - " FIELD_BUSY_BEFORE \
	" AND b.starts_at < greatest(ap.ends_at + " FIELD_BUSY_AFTER "," \
	" ap.starts_at + interval '1 day')) n"
#define RANK_FLAGS \
	RANK_NEAR " CROSS JOIN" \
	" LATERAL (SELECT coalesce((SELECT bool_or(c.expires_on IS NULL" \
	" OR c.expires_on >= current_date) FROM technician_certifications c" \
	" WHERE c.staff_id = tc.staff_id AND c.skill = ap.skill), true) AS skill_valid," \
	" EXISTS (SELECT 1 FROM unnest(tc.territory) p" \
	" WHERE upper(ap.postcode) LIKE upper(p) || '%') AS in_territory," \
	" NOT coalesce(n.clash, false) AS free," \
	" EXISTS (SELECT 1 FROM technician_time_off o WHERE o.staff_id = tc.staff_id" \
	" AND o.during && tstzrange(ap.starts_at, ap.ends_at)) AS off," \
	" (extract(isodow FROM ap.starts_at AT TIME ZONE s.time_zone)::smallint" \
	" = ANY (s.work_days) AND (ap.starts_at AT TIME ZONE s.time_zone)::time >= s.work_start" \
	" AND (ap.ends_at AT TIME ZONE s.time_zone)::time <= s.work_end" \
	" AND (ap.starts_at AT TIME ZONE s.time_zone)::date" \
	" = (ap.ends_at AT TIME ZONE s.time_zone)::date) AS in_hours," \
	" n.load AS load) f"

/*
 * The ranking, the first limit technicians. The limit is written in the
 * statement, not a parameter: with LIMIT $2, PostgreSQL planned it anew
 * at every call (custom plans, 1.3 ms each on the board).
 */
#define RANK(limit) \
	"SELECT " DB_COLS(R_COLS) " FROM appointments ap CROSS JOIN technicians tc" \
	" JOIN staff s ON s.id = tc.staff_id" \
	" LEFT JOIN technician_skills k ON k.staff_id = tc.staff_id AND k.skill = ap.skill" \
	" CROSS JOIN" RANK_FLAGS \
	" WHERE ap.id = $1::bigint AND tc.active AND s.active" \
	" ORDER BY (f.free AND NOT f.off AND f.in_hours) DESC," \
	" (ap.skill = '' OR (k.level IS NOT NULL AND f.skill_valid)) DESC, f.in_territory DESC," \
	" CASE WHEN f.skill_valid THEN coalesce(k.level, 0) ELSE 0 END DESC, f.load, s.id" \
	" LIMIT " limit

#define R_COLS(X) \
	X(RK, staff_id, "s.id") X(RK, name, "s.name") \
	X(RK, level, "CASE WHEN f.skill_valid THEN coalesce(k.level, 0) ELSE 0 END") \
	X(RK, skill_ok, "(ap.skill = '' OR (k.level IS NOT NULL AND f.skill_valid))") \
	X(RK, cert_expired, "(k.level IS NOT NULL AND NOT f.skill_valid)") \
	X(RK, in_territory, "f.in_territory") X(RK, free, "f.free") X(RK, off, "f.off") \
	X(RK, in_hours, "f.in_hours") X(RK, load, "f.load") \
	X(RK, skill, "ap.skill") X(RK, postcode, "ap.postcode")
enum { DB_COL_ENUM(R_COLS) };

enum stmt {
	ST_BOOK,
	ST_OFF_AT,
	ST_MOVE,
	ST_ASSIGN,
	ST_CANCEL,
	ST_OFF_ADD,
	ST_RANK,
	ST_RANK_FEW,
	ST__MAX
};

static struct db_stmt stmts[] = {
	/* Times without an offset are wall-clock times where the job is (field_at). */
	[ST_BOOK] = DB_STMT("field_book",
	    "INSERT INTO appointments (ticket_id, customer_id, technician_id, skill, postcode,"
	    " address, summary, starts_at, ends_at, busy) SELECT t.id, t.customer_id, $2::bigint,"
	    " $3, $4, $5, $6, w.s, w.e," BUSY("$2::bigint", "w.s", "w.e")
	    " FROM tickets t JOIN customers c ON c.id = t.customer_id,"
	    " LATERAL (SELECT field_at($7, c.time_zone) AS s, field_at($8, c.time_zone) AS e) w"
	    " WHERE t.id = $1::bigint RETURNING " DB_COLS(ID_COLS), 8),
	/* Whether the technician is off at some point of the window. */
	/* Whether the appointment, as just written, falls in its technician's time off. */
	[ST_OFF_AT] = DB_STMT("field_off_at",
	    "SELECT o.id FROM appointments ap JOIN technician_time_off o"
	    " ON o.staff_id = ap.technician_id AND o.during && tstzrange(ap.starts_at, ap.ends_at)"
	    " WHERE ap.id = $1::bigint LIMIT 1", 1),
	[ST_MOVE] = DB_STMT("field_move",
	    "UPDATE appointments ap SET technician_id = coalesce($2::bigint, ap.technician_id),"
	    " starts_at = w.s, ends_at = w.e,"
	    " busy = " BUSY("coalesce($2::bigint, ap.technician_id)", "w.s", "w.e")
	    ", reason = $5, sequence = ap.sequence + 1 FROM customers c,"
	    " LATERAL (SELECT field_at($3, c.time_zone) AS s, field_at($4, c.time_zone) AS e) w"
	    " WHERE ap.id = $1::bigint AND c.id = ap.customer_id AND ap.status = 'booked'"
	    " RETURNING ap.id", 5),
	/* An unassigned job given to a technician (the dispatcher's choice). */
	[ST_ASSIGN] = DB_STMT("field_assign",
	    "UPDATE appointments SET technician_id = $2::bigint,"
	    " busy = " BUSY("$2::bigint", "starts_at", "ends_at") ", sequence = sequence + 1"
	    " WHERE id = $1::bigint AND status = 'booked' RETURNING id", 2),
	[ST_CANCEL] = DB_STMT("field_cancel",
	    "UPDATE appointments SET status = 'cancelled', reason = $2, sequence = sequence + 1"
	    " WHERE id = $1::bigint AND status = 'booked' RETURNING " DB_COLS(ID_COLS), 2),
	[ST_OFF_ADD] = DB_STMT("field_time_off_add",
	    "INSERT INTO technician_time_off (staff_id, during, reason) VALUES ($1::bigint,"
	    " tstzrange($2::timestamptz, $3::timestamptz), $4) RETURNING " DB_COLS(ID_COLS), 4),
	[ST_RANK] = DB_STMT("field_rank", RANK("50"), 1),
	[ST_RANK_FEW] = DB_STMT("field_rank_few", RANK("3"), 1),
};
_Static_assert(FIELD_RANK_MAX == 50 && FIELD_RANK_FEW == 3, "the LIMITs of ST_RANK, ST_RANK_FEW");
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

static const char *
text_or_empty(const char *s)
{
	return s != NULL ? s : "";
}

static enum cs_result
check_text(const char *s, const char *what, const char **why, struct arena *a)
{
	if (s != NULL && utf8_chars(s) > FIELD_TEXT_MAX) {
		*why = arena_printf(a, "%s has at most %d characters.", what, FIELD_TEXT_MAX);
		return CS_REFUSED;
	}
	return CS_OK;
}

/* CS_REFUSED when appointment id, as written in this transaction, falls in time off. */
static enum cs_result
not_off(struct db *db, struct arena *a, long long id, const char **why)
{
	const char *p[] = { db_param_ll(a, id) };
	PGresult *r = db_exec(db, &stmts[ST_OFF_AT], p);
	int off;

	if (r == NULL)
		return db_result(db);
	off = PQntuples(r) > 0;
	PQclear(r);
	if (off)
		*why = "The technician has time off then; choose another slot or technician.";
	return off ? CS_REFUSED : CS_OK;
}

/* The result of a write that the exclusion constraint may have refused. */
static enum cs_result
booked_or_taken(struct db *db, const char **why)
{
	if (db_is(db, "23P01")) {
		*why = "The technician is already booked then (travel time included); "
		    "choose another slot or technician.";
		return CS_TAKEN;
	}
	if (db_is(db, "22000") || db_is(db, "22007") || db_is(db, "22008") ||
	    db_is(db, "23514") || db_is(db, "22023")) {
		*why = "Give a start and an end (the end after the start) as dates and times.";
		return CS_REFUSED;
	}
	return db_result(db);
}

/*
 * Runs st, an UPDATE of booked appointment id that may put it on a
 * technician, then checks time off, then appends type with payload o
 * (consumed), all in one transaction.
 */
static enum cs_result
move(struct db *db, struct arena *a, const struct field_actor *by, long long id,
    struct db_stmt *st, const char *const *p, const char *type, json_t *o, const char **why)
{
	enum cs_result rc;

	if (db_begin(db) != 0) {
		json_decref(o);
		return db_result(db);
	}
	rc = db_update_one(db, st, p);
	if (rc != CS_OK && rc != CS_NOT_FOUND)
		rc = booked_or_taken(db, why);
	else if (rc == CS_OK)
		rc = not_off(db, a, id, why);
	if (rc != CS_OK) {
		json_decref(o);
		return db_end(db, rc);
	}
	return db_end(db, field_event(db, by, id, type, o));
}

/* A reason is required: CS_REFUSED with missing (or the limit) in *why. */
static enum cs_result
need_reason(struct arena *a, const char *reason, const char *missing, const char **why)
{
	*why = NULL;
	if (reason == NULL || utf8_chars(reason) == 0) {
		*why = missing;
		return CS_REFUSED;
	}
	return check_text(reason, "A reason", why, a);
}

enum cs_result
field_book(struct db *db, struct arena *a, const struct field_actor *by,
    const struct field_booking *in, long long *id, const char **why)
{
	const char *p[] = { db_param_ll(a, in->ticket_id), db_param_id(a, in->technician_id),
		text_or_empty(in->skill), text_or_empty(in->postcode), text_or_empty(in->address),
		text_or_empty(in->summary), in->starts_at, in->ends_at };
	enum cs_result rc;
	PGresult *r;

	*id = 0;
	*why = NULL;
	if (in->starts_at == NULL || in->ends_at == NULL || !*in->starts_at || !*in->ends_at) {
		*why = "Give the window's start and end.";
		return CS_REFUSED;
	}
	if (check_text(in->address, "An address", why, a) != CS_OK ||
	    check_text(in->summary, "What the job is", why, a) != CS_OK)
		return CS_REFUSED;
	if (db_begin(db) != 0)
		return db_result(db);
	if ((r = db_exec(db, &stmts[ST_BOOK], p)) == NULL)
		return db_end(db, booked_or_taken(db, why));
	*id = PQntuples(r) == 1 ? db_ll(r, 0, FI_id) : 0;
	PQclear(r);
	if (*id == 0)
		return db_end(db, CS_NOT_FOUND);
	if ((rc = not_off(db, a, *id, why)) != CS_OK)
		return db_end(db, rc);
	rc = field_event(db, by, *id, "appointment.booked", json_pack("{s:I, s:I}", "ticket_id",
	    (json_int_t)in->ticket_id, "technician_id", (json_int_t)in->technician_id));
	return db_end(db, rc);
}

enum cs_result
field_reschedule(struct db *db, struct arena *a, const struct field_actor *by, long long id,
    const char *starts_at, const char *ends_at, long long technician_id, const char *reason,
    const char **why)
{
	const char *p[] = { db_param_ll(a, id), db_param_id(a, technician_id), starts_at, ends_at,
		text_or_empty(reason) };

	if (need_reason(a, reason, "Give a reason for the change.", why) != CS_OK)
		return CS_REFUSED;
	return move(db, a, by, id, &stmts[ST_MOVE], p, "appointment.rescheduled",
	    json_pack("{s:s}", "reason", reason), why);
}

enum cs_result
field_assign(struct db *db, struct arena *a, const struct field_actor *by, long long id,
    long long technician_id, const char **why)
{
	const char *p[] = { db_param_ll(a, id), db_param_ll(a, technician_id) };

	*why = NULL;
	return move(db, a, by, id, &stmts[ST_ASSIGN], p, "appointment.assigned",
	    json_pack("{s:I}", "technician_id", (json_int_t)technician_id), why);
}

enum cs_result
field_cancel(struct db *db, struct arena *a, const struct field_actor *by, long long id,
    const char *reason, const char **why)
{
	const char *p[] = { db_param_ll(a, id), text_or_empty(reason) };
	enum cs_result rc;

	if (need_reason(a, reason, "Give a reason for cancelling.", why) != CS_OK)
		return CS_REFUSED;
	if (db_begin(db) != 0)
		return db_result(db);
	if ((rc = db_update_one(db, &stmts[ST_CANCEL], p)) != CS_OK)
		return db_end(db, rc);
	rc = field_event(db, by, id, "appointment.cancelled", json_pack("{s:s}", "reason",
	    reason));
	return db_end(db, rc);
}

enum cs_result
field_time_off_add(struct db *db, struct arena *a, long long staff_id, const char *from,
    const char *to, const char *reason, long long *id, const char **why)
{
	const char *p[] = { db_param_ll(a, staff_id), from, to, text_or_empty(reason) };
	enum cs_result rc;

	*why = NULL;
	*id = 0;
	if (check_text(reason, "A reason", why, a) != CS_OK)
		return CS_REFUSED;
	rc = db_id(db, &stmts[ST_OFF_ADD], p, FI_id, id);
	if (rc != CS_OK && db_is(db, "23P01")) {
		*why = "That overlaps time off the technician already has.";
		return CS_REFUSED;
	}
	if (rc != CS_OK && (db_is(db, "23514") || db_is(db, "22000") || db_is(db, "22007") ||
	    db_is(db, "22008"))) {
		*why = "Give a start and an end (the end after the start) as dates and times.";
		return CS_REFUSED;
	}
	return rc;
}

static enum cs_result
fill_candidate(struct arena *a, const PGresult *r, int i, void *elem)
{
	struct field_candidate *c = elem;
	const char *skill, *postcode, *skill_words, *where, *when;
	long load;
	int failed = 0;

	c->staff_id = db_ll(r, i, RK_staff_id);
	c->name = db_str(a, r, i, RK_name, &failed);
	c->skill_level = (int)db_ll(r, i, RK_level);
	c->skill_ok = db_bool(r, i, RK_skill_ok);
	c->cert_expired = db_bool(r, i, RK_cert_expired);
	c->in_territory = db_bool(r, i, RK_in_territory);
	c->free = db_bool(r, i, RK_free);
	c->off = db_bool(r, i, RK_off);
	c->in_hours = db_bool(r, i, RK_in_hours);
	c->load = (int)db_ll(r, i, RK_load);
	skill = db_str(a, r, i, RK_skill, &failed);
	postcode = db_str(a, r, i, RK_postcode, &failed);
	if (failed)
		return CS_FAILED;
	load = c->load;
	if (*skill == '\0')
		skill_words = "no skill needed";
	else if (c->skill_ok)
		skill_words = arena_printf(a, "%s level %d", skill, c->skill_level);
	else if (c->cert_expired)
		skill_words = arena_printf(a, "%s certification expired", skill);
	else
		skill_words = arena_printf(a, "lacks %s", skill);
	where = arena_printf(a, c->in_territory ? "covers %s" : "%s outside territory",
	    *postcode ? postcode : "no postcode");
	when = c->off ? "on time off" : !c->free ? "booked then" : !c->in_hours ?
	    "outside working hours" : "free";
	c->why = arena_printf(a, "%s; %s; %s; %ld job%s that day.", skill_words, where, when, load,
	    load == 1 ? "" : "s");
	if (c->why != NULL && c->why[0] >= 'a' && c->why[0] <= 'z')
		((char *)c->why)[0] = (char)(c->why[0] - 'a' + 'A');
	return c->why != NULL && skill_words != NULL && where != NULL ? CS_OK : CS_FAILED;
}

enum cs_result
field_dispatch_rank(struct db *db, struct arena *a, long long id, int limit,
    struct field_candidate **rows, size_t *n)
{
	const char *p[] = { db_param_ll(a, id) };
	void *out;
	enum cs_result rc = db_rows(db, a, &stmts[limit > 0 && limit <= FIELD_RANK_FEW ?
	    ST_RANK_FEW : ST_RANK], p, sizeof(**rows), fill_candidate, &out, n);

	*rows = out;
	return rc;
}
