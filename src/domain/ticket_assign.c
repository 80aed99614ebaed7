/* ticket_assign.c — see ticket_assign.h. */
#include "domain/ticket_assign.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/events.h"
#include "domain/ticket_fields.h"
#include "domain/tickets.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

#define AGENT_COLS(X) X(AG, team_id, "coalesce(team_id, 0)")
enum { DB_COL_ENUM(AGENT_COLS) };
#define LOCK_COLS(X) \
	X(LK, status, "status") X(LK, team_id, "coalesce(team_id, 0)") \
	X(LK, agent_id, "coalesce(assignee_id, 0)")
enum { DB_COL_ENUM(LOCK_COLS) };

enum stmt { STMT_AGENT, STMT_LOCK, STMT__MAX };

static struct db_stmt stmts[] = {
	[STMT_AGENT] = DB_STMT("ticket_console_agent",
	    "SELECT " DB_COLS(AGENT_COLS) " FROM staff WHERE id = $1::bigint AND active", 1),
	[STMT_LOCK] = DB_STMT("ticket_console_status_of",
	    "SELECT " DB_COLS(LOCK_COLS) " FROM tickets WHERE id = $1::bigint FOR UPDATE", 1),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == STMT__MAX, "one statement per enum stmt");

enum cs_result
ticket_assignment_check(struct db *db, const struct ticket_assignment *as, long long *agent_team)
{
	char idbuf[24];
	const char *p[] = { idbuf };
	PGresult *res;
	int found;

	*agent_team = 0;
	if (as->set_agent && as->agent_id > 0) {
		snprintf(idbuf, sizeof(idbuf), "%lld", as->agent_id);
		if ((res = db_exec(db, &stmts[STMT_AGENT], p)) == NULL)
			return db_result(db);
		found = PQntuples(res) == 1;
		if (found)
			*agent_team = db_ll(res, 0, AG_team_id);
		PQclear(res);
		if (!found)
			return CS_NOT_FOUND;
	}
	if (as->set_team && as->team_id > 0)
		return ticket_field_known(db, TF_TEAM, as->team_id);
	return CS_OK;
}

/* An id for a JSON payload: null for none. */
static json_t *
id_json(long long id)
{
	return id > 0 ? json_integer((json_int_t)id) : json_null();
}

/* Appends "ticket.assigned": who has it now and who had it. */
static enum cs_result
assigned_event(struct db *db, long long staff_id, long long ticket_id,
    const struct ticket_assign_before *was, long long team, long long agent)
{
	struct event_actor by = { "staff", staff_id };
	json_t *o = json_pack("{s:o, s:o, s:o, s:o}", "assignee_id", id_json(agent),
	    "previous_assignee_id", id_json(was->agent_id), "team_id", id_json(team),
	    "previous_team_id", id_json(was->team_id));
	char *payload = o != NULL ? json_dumps(o, JSON_COMPACT) : NULL;
	enum cs_result rc = CS_FAILED;

	if (payload != NULL)
		rc = events_append(db, "ticket", ticket_id, "ticket.assigned", &by, payload);
	free(payload);
	json_decref(o);
	return rc;
}

/* An id as a field's parameter: NULL for none. */
static const char *
id_param(char *dst, size_t size, long long id)
{
	snprintf(dst, size, "%lld", id);
	return id > 0 ? dst : NULL;
}

enum cs_result
ticket_assign_locked(struct db *db, struct arena *a, long long staff_id, long long ticket_id,
    const struct ticket_assign_before *was, const struct ticket_assignment *as, int *changed)
{
	struct ticket_actor_ref by = { TA_STAFF, staff_id, 0, 0, 0 };
	long long team = as->set_team ? as->team_id : was->team_id;
	long long agent = as->set_agent ? as->agent_id : was->agent_id;
	const char *why = NULL;
	char tb[24], ab[24];
	enum cs_result rc;
	int team_changed = 0, agent_changed = 0;

	*changed = 0;
	if (as->set_team && (rc = ticket_field_write(db, a, TF_TEAM, staff_id, ticket_id,
	    id_param(tb, sizeof(tb), team), &team_changed, NULL)) != CS_OK)
		return rc;
	if (as->set_agent && (rc = ticket_field_write(db, a, TF_ASSIGNEE, staff_id, ticket_id,
	    id_param(ab, sizeof(ab), agent), &agent_changed, NULL)) != CS_OK)
		return rc;
	if ((team_changed || agent_changed) &&
	    (rc = assigned_event(db, staff_id, ticket_id, was, team, agent)) != CS_OK)
		return rc;
	*changed = team_changed || agent_changed;
	if (as->set_agent && agent > 0 && was->status == TS_NEW &&
	    ticket_transition_allowed(TA_STAFF, TS_NEW, TS_ASSIGNED)) {
		struct ticket_status_in in = { 0 };

		in.ticket_id = ticket_id;
		in.to = TS_ASSIGNED;
		/* Allowed above: a refusal here is a failure. */
		if ((rc = ticket_change_status(db, a, &by, &in, &why)) != CS_OK)
			return rc == CS_REFUSED || rc == CS_NOT_FOUND ? CS_FAILED : rc;
		*changed = 1;
	}
	return CS_OK;
}

/* Locks ticket_id and reads what it was. CS_OK, CS_NOT_FOUND or the failure. */
static enum cs_result
lock_ticket(struct db *db, long long ticket_id, struct ticket_assign_before *was)
{
	char idbuf[24];
	const char *p[1] = { idbuf };
	PGresult *res;

	snprintf(idbuf, sizeof(idbuf), "%lld", ticket_id);
	if ((res = db_exec(db, &stmts[STMT_LOCK], p)) == NULL)
		return db_result(db);
	if (PQntuples(res) != 1) {
		PQclear(res);
		return CS_NOT_FOUND;
	}
	was->status = ticket_status_parse(PQgetvalue(res, 0, LK_status));
	was->team_id = db_ll(res, 0, LK_team_id);
	was->agent_id = db_ll(res, 0, LK_agent_id);
	PQclear(res);
	return CS_OK;
}

enum cs_result
ticket_assign(struct db *db, long long staff_id, long long ticket_id, long long team_id,
    long long agent_id, const char **why)
{
	struct ticket_assignment as = { 1, team_id, 1, agent_id };
	struct ticket_assign_before was;
	struct arena *a;
	long long agent_team;
	enum cs_result rc;
	int changed;

	*why = NULL;
	if (team_id < 0 || agent_id < 0) {
		*why = "That team or agent is not available.";
		return CS_REFUSED;
	}
	if ((a = arena_new(4096)) == NULL)
		return CS_FAILED;
	if (db_begin(db) < 0) {
		rc = db_result(db);
		goto out;
	}
	rc = ticket_assignment_check(db, &as, &agent_team);
	if (rc == CS_NOT_FOUND) {
		*why = "That team or agent is not available.";
		rc = CS_REFUSED;
	}
	/* An agent given without a team brings their own. */
	if (team_id == 0 && agent_id > 0)
		as.team_id = agent_team;
	if (rc == CS_OK)
		rc = lock_ticket(db, ticket_id, &was);
	if (rc == CS_OK)
		rc = ticket_assign_locked(db, a, staff_id, ticket_id, &was, &as, &changed);
	rc = db_end(db, rc);
out:
	arena_free(a);
	return rc;
}
