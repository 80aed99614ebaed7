/*
 * ticket_status.c — moving a ticket through the workflow, from any
 * channel: ticket_change_status (see tickets.h) — resolving with a code
 * and a root cause, a customer confirming with a rating, reopening with a
 * reason, and every other move ticket_rules.h allows.
 */
#include "domain/ticket_int.h"
#include "core/arena.h"
#include "db/db.h"

#include <jansson.h>
#include <string.h>

#define CODE_COLS(X) X(RC, id, "id")
enum { DB_COL_ENUM(CODE_COLS) };

enum stmt {
	ST_CODE,
	ST_STAFF,
	ST_CUSTOMER,
	ST__MAX
};

#define STATUS_SET \
	"UPDATE tickets SET status = $2, version = version + 1, updated_at = now()," \
	" resolved_at = CASE WHEN $2 = 'resolved' THEN now() WHEN $2 = 'reopened' THEN NULL" \
	" ELSE resolved_at END," \
	" closed_at = CASE WHEN $2 = 'closed' THEN now() WHEN $2 = 'reopened' THEN NULL" \
	" ELSE closed_at END," \
	" reopen_count = reopen_count + CASE WHEN $2 = 'reopened' THEN 1 ELSE 0 END," \
	" rating = coalesce($3::smallint, rating), rating_comment = coalesce($4, rating_comment)"

static struct db_stmt stmts[] = {
	[ST_CODE] = DB_STMT("ticket_resolution_code",
	    "SELECT " DB_COLS(CODE_COLS) " FROM resolution_codes WHERE code = $1 AND active", 1),
	[ST_STAFF] = DB_STMT("ticket_status_staff",
	    STATUS_SET ", resolution_code_id = coalesce($5::bigint, resolution_code_id),"
	    " root_cause = coalesce($6, root_cause) WHERE id = $1", 6),
	/* The portal's role may not write resolution codes or root causes. */
	[ST_CUSTOMER] = DB_STMT("ticket_status_customer", STATUS_SET " WHERE id = $1", 4),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

/* The input with empty optional strings made NULL. */
static void
normalise(const struct ticket_status_in *in, struct ticket_status_in *s)
{
	*s = *in;
	if (s->rating_comment != NULL && s->rating_comment[0] == '\0')
		s->rating_comment = NULL;
	if (s->root_cause != NULL && s->root_cause[0] == '\0')
		s->root_cause = NULL;
	if (ticket_blank(s->comment))
		s->comment = NULL;
}

/* The checks that need no database. NULL when s may be tried. */
static const char *
status_refused(const struct ticket_actor_ref *by, const struct ticket_status_in *s)
{
	if (s->to >= TS__MAX)
		return "Unknown status.";
	if (s->rating < 0 || s->rating > 5)
		return "A rating is from 1 to 5 stars.";
	if (!ticket_text_fits(s->rating_comment, TICKET_RATING_COMMENT_MAX))
		return "The comment is longer than 2,000 characters.";
	if (!ticket_text_fits(s->root_cause, TICKET_ROOT_CAUSE_MAX))
		return "The root cause is longer than 2,000 characters.";
	if (by->kind == TA_CUSTOMER && s->to == TS_REOPENED && s->comment == NULL)
		return "Tell us what is still wrong.";
	if (!ticket_text_fits(s->comment, TICKET_BODY_MAX))
		return "The message is longer than 50,000 characters.";
	return NULL;
}

/* The active resolution code's id: CS_OK, CS_REFUSED or the failure. */
static enum cs_result
code_id_of(struct db *db, const char *code, long long *id, const char **why)
{
	const char *p[] = { code };
	PGresult *r;

	if (code == NULL || code[0] == '\0')
		return ticket_refuse(why, "Choose a resolution code.");
	if ((r = db_exec(db, &stmts[ST_CODE], p)) == NULL)
		return db_result(db);
	*id = PQntuples(r) == 1 ? db_ll(r, 0, RC_id) : 0;
	PQclear(r);
	return *id > 0 ? CS_OK : ticket_refuse(why, "Unknown resolution code.");
}

/* The row, its history and the event, for a move already allowed. */
static enum cs_result
apply(struct db *db, const struct ticket_actor_ref *by, const struct ticket_status_in *s,
    const struct ticket_locked *l, long long code_id)
{
	int rated = by->kind == TA_CUSTOMER && s->to == TS_CLOSED && s->rating > 0;
	const char *from = ticket_status_name(l->status), *to = ticket_status_name(s->to);
	const char *cause = s->to == TS_RESOLVED ? s->root_cause : NULL;
	struct tnum t, rt, cd;
	const char *p[] = { tnum(&t, s->ticket_id), to, rated ? tnum(&rt, s->rating) : NULL,
		rated ? s->rating_comment : NULL, tnum_or_null(&cd, code_id), cause };
	json_t *payload;
	enum cs_result rc;

	if (db_run(db, &stmts[by->kind == TA_CUSTOMER ? ST_CUSTOMER : ST_STAFF], p) < 0)
		return db_result(db);
	rc = ticket_history(db, by, s->ticket_id, "status", from, to);
	if (rc == CS_OK && code_id > 0)
		rc = ticket_history(db, by, s->ticket_id, "resolution_code", NULL, s->resolution_code);
	if (rc == CS_OK && cause != NULL)
		rc = ticket_history(db, by, s->ticket_id, "root_cause", NULL, cause);
	if (rc == CS_OK && rated)
		rc = ticket_history(db, by, s->ticket_id, "rating", NULL, p[2]);
	if (rc != CS_OK)
		return rc;
	payload = json_pack("{s:s, s:s, s:s}", "number", l->number, "from", from, "to", to);
	if (payload != NULL && ((code_id > 0 && json_object_set_new(payload, "resolution_code",
	    json_string(s->resolution_code)) < 0) || (cause != NULL &&
	    json_object_set_new(payload, "root_cause", json_string(cause)) < 0) ||
	    (rated && json_object_set_new(payload, "rating", json_integer(s->rating)) < 0))) {
		json_decref(payload);
		payload = NULL;
	}
	return ticket_event(db, by, s->ticket_id, "ticket.status_changed", payload, s->ip);
}

enum cs_result
ticket_change_status(struct db *db, struct arena *a, const struct ticket_actor_ref *by,
    const struct ticket_status_in *in, const char **why)
{
	struct ticket_status_in s;
	struct ticket_locked l;
	long long code_id = 0;
	const char *bad;
	enum cs_result rc;

	normalise(in, &s);
	if ((bad = status_refused(by, &s)) != NULL)
		return ticket_refuse(why, bad);
	if (db_begin(db) < 0)
		return db_result(db);
	rc = ticket_lock(db, a, by, s.ticket_id, &l);
	if (rc != CS_OK)
		goto out;
	if (!ticket_transition_allowed(by->kind, l.status, s.to)) {
		rc = ticket_refuse(why, "That status change is not allowed.");
		goto out;
	}
	if (by->kind == TA_STAFF && s.to == TS_RESOLVED &&
	    (rc = code_id_of(db, s.resolution_code, &code_id, why)) != CS_OK)
		goto out;
	rc = apply(db, by, &s, &l, code_id);
	if (rc == CS_OK && s.comment != NULL) {
		struct ticket_reply_in reply = { 0 };

		reply.ticket_id = s.ticket_id;
		reply.kind = "public";
		reply.body = s.comment;
		reply.ip = s.ip;
		rc = ticket_reply_locked(db, a, by, &reply, &l, NULL);
	}
out:
	return ticket_end(db, rc);
}
