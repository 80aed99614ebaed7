/* oncall.c — see oncall.h. */
#include "domain/oncall.h"
#include "core/arena.h"
#include "core/utf8.h"
#include "db/db.h"
#include "domain/admin_audit.h"
#include "domain/audit.h"

#include <jansson.h>
#include <string.h>

/* The page shows at most this many slots (the ones ending first). */
#define ONCALL_LIST_MAX 500

#define SLOT_COLS(X) \
	X(SL, id, "o.id") X(SL, team, "tm.name") X(SL, agent, "s.name") \
	X(SL, starts, "to_char(o.starts_at AT TIME ZONE s.time_zone, 'Dy YYYY-MM-DD HH24:MI')") \
	X(SL, ends, "to_char(o.ends_at AT TIME ZONE s.time_zone, 'Dy YYYY-MM-DD HH24:MI')") \
	X(SL, zone, "s.time_zone") X(SL, override, "o.override") \
	X(SL, now, "o.starts_at <= now()") X(SL, note, "o.note")
enum { DB_COL_ENUM(SLOT_COLS) };

#define ADDED_COLS(X) \
	X(AD, team_ok, "EXISTS (SELECT 1 FROM t)") X(AD, agent_ok, "EXISTS (SELECT 1 FROM s)") \
	X(AD, not_over, "coalesce((SELECT ends_at > now() FROM w), true)") \
	X(AD, not_far, "coalesce((SELECT starts_at <= now() + make_interval(days => $8) FROM w)," \
	    " true)") \
	X(AD, id, "coalesce((SELECT id FROM ins), 0)")
enum { DB_COL_ENUM(ADDED_COLS) };

enum stmt { ST_LIST, ST_ADD, ST_REMOVE, ST__MAX };

static struct db_stmt stmts[] = {
	/* Slots still to come or running: oncall_shifts_team's ends_at. */
	[ST_LIST] = DB_STMT("oncall_list",
	    "SELECT " DB_COLS(SLOT_COLS) " FROM oncall_shifts o JOIN teams tm ON tm.id = o.team_id"
	    " JOIN staff s ON s.id = o.staff_id WHERE o.ends_at > now()"
	    " ORDER BY o.ends_at, o.id LIMIT " SLA_STR(ONCALL_LIST_MAX), 0),
	/* The day and hours are the agent's own, whatever zone the admin is in. */
	[ST_ADD] = DB_STMT("oncall_add",
	    "WITH t AS (SELECT id FROM teams WHERE id = $1::bigint),"
	    " s AS (SELECT id, time_zone FROM staff WHERE id = $2::bigint AND active"
	    " AND 'agent' = ANY (roles)),"
	    " w AS (SELECT ($3::date + make_interval(hours => $4::integer)) AT TIME ZONE s.time_zone"
	    " AS starts_at, ($3::date + make_interval(hours => $5::integer)"
	    " + CASE WHEN $5::integer <= $4::integer THEN interval '1 day' ELSE interval '0' END)"
	    " AT TIME ZONE s.time_zone AS ends_at FROM s),"
	    " ins AS (INSERT INTO oncall_shifts (team_id, staff_id, starts_at, ends_at, override, note)"
	    " SELECT t.id, s.id, w.starts_at, w.ends_at, $6::boolean, $7 FROM t, s, w"
	    " WHERE w.ends_at > now() AND w.starts_at <= now() + make_interval(days => $8)"
	    " RETURNING id)"
	    " SELECT " DB_COLS(ADDED_COLS), 8),
	[ST_REMOVE] = DB_STMT("oncall_remove",
	    "DELETE FROM oncall_shifts WHERE id = $1::bigint RETURNING team_id, staff_id", 1),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

static enum cs_result
fill_slot(struct arena *a, const PGresult *r, int i, void *elem)
{
	struct oncall_slot *x = elem;
	int failed = 0;

	x->id = db_ll(r, i, SL_id);
	x->team = db_str(a, r, i, SL_team, &failed);
	x->agent = db_str(a, r, i, SL_agent, &failed);
	x->starts = db_str(a, r, i, SL_starts, &failed);
	x->ends = db_str(a, r, i, SL_ends, &failed);
	x->zone = db_str(a, r, i, SL_zone, &failed);
	x->override = db_bool(r, i, SL_override);
	x->now = db_bool(r, i, SL_now);
	x->note = db_str(a, r, i, SL_note, &failed);
	return failed ? CS_FAILED : CS_OK;
}

enum cs_result
oncall_list(struct db *db, struct arena *a, struct oncall_slot **out, size_t *n)
{
	void *rows = NULL;
	enum cs_result rc = db_rows(db, a, &stmts[ST_LIST], NULL, sizeof(**out), fill_slot, &rows,
	    n);

	*out = rows;
	return rc;
}

/* A real calendar day written YYYY-MM-DD. */
static int
day_ok(const char *s)
{
	static const int days[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, m, d, i, leap;

	if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return 0;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (y < 2000 || m < 1 || m > 12 || d < 1 || d > days[m - 1])
		return 0;
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return !(m == 2 && d == 29 && !leap);
}

enum cs_result
oncall_check(const struct oncall_input *in, struct sla_why *why)
{
	if (in->team_id <= 0)
		sla_why_add(why, "team_id", "Choose a team.");
	if (in->staff_id <= 0)
		sla_why_add(why, "staff_id", "Choose who is on call.");
	if (!day_ok(in->day))
		sla_why_add(why, "day", "Enter the day as YYYY-MM-DD, e.g. 2026-12-24.");
	if (in->from_hour < 0 || in->from_hour > 23)
		sla_why_add(why, "from_hour", "The start is an hour from 0 to 23.");
	if (in->to_hour < 1 || in->to_hour > 24)
		sla_why_add(why, "to_hour", "The end is an hour from 1 to 24.");
	if (in->note != NULL && utf8_chars(in->note) > ONCALL_NOTE_MAX)
		sla_why_add(why, "note", "The note is longer than " SLA_STR(ONCALL_NOTE_MAX)
		    " characters.");
	return why->n > 0 ? CS_REFUSED : CS_OK;
}

/* The refusals the database found, or CS_OK with *id. */
static enum cs_result
added(const PGresult *r, long long *id, struct sla_why *why)
{
	if (PQntuples(r) != 1)
		return CS_FAILED;
	if (!db_bool(r, 0, AD_team_ok))
		sla_why_add(why, "team_id", "That team does not exist.");
	if (!db_bool(r, 0, AD_agent_ok))
		sla_why_add(why, "staff_id", "Only an active agent can be on call.");
	if (!db_bool(r, 0, AD_not_over))
		sla_why_add(why, "day", "That slot has already ended.");
	if (!db_bool(r, 0, AD_not_far))
		sla_why_add(why, "day", "A slot can start at most a year ahead.");
	if (why->n > 0)
		return CS_REFUSED;
	*id = db_ll(r, 0, AD_id);
	return *id > 0 ? CS_OK : CS_FAILED;
}

enum cs_result
oncall_add(struct db *db, struct arena *a, const struct audit_entry *by,
    const struct oncall_input *in, long long *id, struct sla_why *why)
{
	const char *p[] = { db_param_ll(a, in->team_id), db_param_ll(a, in->staff_id), in->day,
		db_param_ll(a, in->from_hour), db_param_ll(a, in->to_hour),
		in->override ? "t" : "f", in->note != NULL ? in->note : "",
		db_param_ll(a, ONCALL_AHEAD_DAYS) };
	enum cs_result rc;
	PGresult *r;

	*id = 0;
	if ((rc = oncall_check(in, why)) != CS_OK)
		return rc;
	if (p[0] == NULL || p[1] == NULL || p[3] == NULL || p[4] == NULL || p[7] == NULL)
		return CS_FAILED;
	if (db_begin(db) < 0)
		return db_result(db);
	if ((r = db_exec(db, &stmts[ST_ADD], p)) == NULL)
		return db_end(db, db_result(db));
	rc = added(r, id, why);
	PQclear(r);
	if (rc != CS_OK) {
		db_rollback(db);
		*id = 0;
		return rc;
	}
	return admin_audit_commit(db, by, "oncall.add", "oncall_shift", *id,
	    json_pack("{s:I, s:I, s:s, s:I, s:I, s:b}", "team_id", (json_int_t)in->team_id,
	    "staff_id", (json_int_t)in->staff_id, "day", in->day, "from_hour",
	    (json_int_t)in->from_hour, "to_hour", (json_int_t)in->to_hour, "override",
	    in->override));
}

enum cs_result
oncall_remove(struct db *db, struct arena *a, const struct audit_entry *by, long long id)
{
	const char *p[] = { db_param_ll(a, id) };
	json_t *detail;
	PGresult *r;

	if (p[0] == NULL)
		return CS_FAILED;
	if (db_begin(db) < 0)
		return db_result(db);
	if ((r = db_exec(db, &stmts[ST_REMOVE], p)) == NULL)
		return db_end(db, db_result(db));
	if (PQntuples(r) != 1) {
		PQclear(r);
		db_rollback(db);
		return CS_NOT_FOUND;
	}
	detail = json_pack("{s:I, s:I}", "team_id", (json_int_t)db_ll(r, 0, 0), "staff_id",
	    (json_int_t)db_ll(r, 0, 1));
	PQclear(r);
	return admin_audit_commit(db, by, "oncall.remove", "oncall_shift", id, detail);
}
