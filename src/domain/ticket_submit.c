/* ticket_submit.c — see ticket_submit.h. */
#include "domain/ticket_submit.h"
#include "domain/ticket_assign.h"
#include "domain/ticket_drafts.h"
#include "domain/ticket_fields.h"
#include "domain/ticket_int.h"
#include "core/arena.h"
#include "db/db.h"

#include <string.h>

#define STATE_COLS(X) X(S, status, "status") X(S, assignee, "coalesce(assignee_id, 0)") \
	X(S, team, "coalesce(team_id, 0)")
enum { DB_COL_ENUM(STATE_COLS) };

enum stmt { STMT_STATE, STMT__MAX };

static struct db_stmt stmts[] = {
	/* Locked: what the earlier parts left is what the next part sees. */
	[STMT_STATE] = DB_STMT("ticket_submit_state",
	    "SELECT " DB_COLS(STATE_COLS) " FROM tickets WHERE id = $1::bigint FOR UPDATE", 1),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == STMT__MAX, "one statement per enum stmt");

struct state {
	enum ticket_status status;
	long long assignee_id, team_id;
};

static enum cs_result
state_of(struct db *db, long long ticket_id, struct state *s)
{
	struct tnum n;
	const char *p[] = { tnum(&n, ticket_id) };
	PGresult *r = db_exec(db, &stmts[STMT_STATE], p);
	enum cs_result rc = CS_OK;

	if (r == NULL)
		return db_result(db);
	if (PQntuples(r) != 1) {
		rc = CS_NOT_FOUND;
	} else {
		s->status = ticket_status_parse(PQgetvalue(r, 0, S_status));
		s->assignee_id = db_ll(r, 0, S_assignee);
		s->team_id = db_ll(r, 0, S_team);
	}
	PQclear(r);
	return rc;
}

/* The parts after the comment, in order; *out says what they did. */
static enum cs_result
changes(struct db *db, struct arena *a, const struct ticket_actor_ref *by,
    const struct ticket_submit_in *in, struct ticket_submitted *out, const char **why)
{
	long long id = in->reply.ticket_id;
	struct state s;
	enum cs_result rc;

	if ((rc = state_of(db, id, &s)) != CS_OK)
		return rc;
	if (in->take && s.assignee_id == 0) {
		rc = ticket_assign(db, by->id, id, s.team_id, by->id, why);
		if (rc != CS_OK)
			return rc;
		out->taken = 1;
	}
	if (in->priority != NULL && *in->priority != '\0') {
		rc = ticket_field_set(db, by->id, id, TF_PRIORITY, in->priority, why);
		if (rc != CS_OK)
			return rc;
	}
	if (in->tags != NULL) {
		rc = ticket_field_set(db, by->id, id, TF_TAGS, in->tags, why);
		if (rc != CS_OK)
			return rc;
	}
	if (in->then == TS__MAX)
		return CS_OK;
	if ((rc = state_of(db, id, &s)) != CS_OK)
		return rc;
	if (s.status != in->then) {
		struct ticket_status_in st = { 0 };

		st.ticket_id = id;
		st.to = in->then;
		st.resolution_code = in->resolution_code;
		st.root_cause = in->root_cause;
		st.ip = in->reply.ip;
		if ((rc = ticket_change_status(db, a, by, &st, why)) != CS_OK)
			return rc;
		out->status_changed = 1;
	}
	return CS_OK;
}

enum cs_result
ticket_submit(struct db *db, struct arena *a, const struct ticket_actor_ref *by,
    const struct ticket_submit_in *in, struct ticket_submitted *out, const char **why)
{
	int has_text = !ticket_blank(in->reply.body);
	int has_change = in->take || in->then != TS__MAX || in->tags != NULL ||
	    (in->priority != NULL && *in->priority != '\0');
	enum cs_result rc = CS_OK;

	memset(out, 0, sizeof(*out));
	*why = NULL;
	if (by->kind != TA_STAFF)
		return CS_NOT_FOUND;
	if (!has_text && !has_change)
		return ticket_refuse(why, "Write a message.");
	if (db_begin(db) < 0)
		return db_result(db);
	if (has_text) {
		struct ticket_replied done;

		rc = ticket_reply(db, a, by, &in->reply, &done, why);
		out->comment_id = done.comment_id;
		out->mentioned = done.mentioned;
	}
	if (rc == CS_OK)
		rc = changes(db, a, by, in, out, why);
	if (rc == CS_OK)
		rc = ticket_draft_drop(db, by->id, in->reply.ticket_id);
	return db_end(db, rc);
}
