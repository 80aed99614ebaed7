/* assign_candidates.c — see assign_candidates.h. */
#include "domain/assign_candidates.h"
#include "db/db.h"

#include <string.h>

#define STR_(x) #x
#define STR(x) STR_(x)
#define NOW_LOCAL "(now() AT TIME ZONE s.time_zone)"

#define CAND_COLS(X) \
	X(CD, id, "s.id") X(CD, name, "s.name") X(CD, team, "coalesce(tm.name, '')") \
	X(CD, level, "s.escalation_level || ' ' || coalesce(l.name, '')") \
	X(CD, open, "s.open_tickets") X(CD, capacity, "s.capacity") \
	X(CD, on_shift, "(extract(isodow FROM " NOW_LOCAL ")::smallint = ANY (s.work_days)" \
	    " AND " NOW_LOCAL "::time >= s.work_start AND " NOW_LOCAL "::time < s.work_end)") \
	X(CD, on_call, "coalesce(oncall_now(s.team_id) = s.id, false)") \
	X(CD, has_skill, "(q.required_skill_id IS NULL OR EXISTS (SELECT 1 FROM staff_skills x" \
	    " WHERE x.staff_id = s.id AND x.skill_id = q.required_skill_id" \
	    " AND x.level >= greatest(q.required_skill_level, coalesce(t.skill_level, 1))))") \
	X(CD, speaks, "t.language = ANY (s.languages)") \
	X(CD, same_team, "s.team_id IS NOT DISTINCT FROM t.team_id") \
	X(CD, shift, "coalesce((SELECT string_agg((ARRAY['Mon', 'Tue', 'Wed', 'Thu', 'Fri'," \
	    " 'Sat', 'Sun'])[d], ' ' ORDER BY d) FROM unnest(s.work_days) d), 'no days') || ' '" \
	    " || to_char(s.work_start, 'HH24:MI') || '\xe2\x80\x93' || to_char(s.work_end," \
	    " 'HH24:MI') || ' ' || s.time_zone") \
	X(CD, skills, "coalesce((SELECT string_agg(k.name || ' ' || x.level, ', ' ORDER BY k.name)" \
	    " FROM staff_skills x JOIN skills k ON k.id = x.skill_id WHERE x.staff_id = s.id), '')")
enum { DB_COL_ENUM(CAND_COLS) };

static struct db_stmt st_candidates = DB_STMT("assign_candidates",
    "SELECT " DB_COLS(CAND_COLS) " FROM tickets t LEFT JOIN queues q ON q.id = t.queue_id"
    " CROSS JOIN staff s LEFT JOIN teams tm ON tm.id = s.team_id"
    " LEFT JOIN escalation_levels l ON l.level = s.escalation_level"
    " WHERE t.id = $1::bigint AND s.active AND 'agent' = ANY (s.roles)"
    /* Its team first, then the queue's skill, on shift (same_team, has_skill, on_shift). */
    " ORDER BY 11 DESC, 9 DESC, 7 DESC, s.open_tickets::float / greatest(s.capacity, 1), s.name"
    " LIMIT " STR(ASSIGN_CANDIDATES_MAX), 1);
static struct db_stmt st_exists = DB_STMT("assign_candidates_ticket",
    "SELECT 1 FROM tickets WHERE id = $1::bigint", 1);

static enum cs_result
fill(struct arena *a, const PGresult *r, int i, void *elem)
{
	struct assign_candidate *c = elem;
	int f = 0;

	c->id = db_ll(r, i, CD_id);
	c->name = db_str(a, r, i, CD_name, &f);
	c->team = db_str(a, r, i, CD_team, &f);
	c->level = db_str(a, r, i, CD_level, &f);
	c->open = db_ll(r, i, CD_open);
	c->capacity = db_ll(r, i, CD_capacity);
	c->on_shift = db_bool(r, i, CD_on_shift);
	c->on_call = db_bool(r, i, CD_on_call);
	c->has_skill = db_bool(r, i, CD_has_skill);
	c->speaks = db_bool(r, i, CD_speaks);
	c->same_team = db_bool(r, i, CD_same_team);
	c->shift = db_str(a, r, i, CD_shift, &f);
	c->skills = db_str(a, r, i, CD_skills, &f);
	return f ? CS_FAILED : CS_OK;
}

enum cs_result
assign_candidates(struct db *db, struct arena *a, long long ticket_id,
    struct assign_candidate **out, size_t *n)
{
	const char *p[] = { db_param_ll(a, ticket_id) };
	void *rows = NULL;
	enum cs_result rc;
	PGresult *r;
	int found;

	*out = NULL;
	*n = 0;
	if (p[0] == NULL)
		return CS_FAILED;
	if ((r = db_exec(db, &st_exists, p)) == NULL)
		return db_result(db);
	found = PQntuples(r) == 1;
	PQclear(r);
	if (!found)
		return CS_NOT_FOUND;
	rc = db_rows(db, a, &st_candidates, p, sizeof(**out), fill, &rows, n);
	*out = rows;
	return rc;
}
