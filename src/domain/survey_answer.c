/* survey_answer.c — see survey_answer.h. */
#include "domain/survey_answer.h"
#include "auth/session.h"
#include "core/arena.h"
#include "core/utf8.h"
#include "db/db.h"
#include "domain/events.h"
#include "domain/sentiment.h"
#include "domain/surveys.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OPEN_COLS(X) \
	X(OP, id, "id") X(OP, kind, "kind") X(OP, expired, "expired") \
	X(OP, expires_on, "to_char(expires_at AT TIME ZONE 'UTC', 'FMDD FMMonth YYYY')") \
	X(OP, version, "answer_version") X(OP, score, "coalesce(score, 0)") \
	X(OP, comment, "coalesce(comment, '')") X(OP, ticket, "coalesce(ticket_number, '')")
enum { DB_COL_ENUM(OPEN_COLS) };
#define SAVE_COLS(X) \
	X(SV, outcome, "outcome") X(SV, invitation, "invitation_id") \
	X(SV, response, "coalesce(response_id, 0)") X(SV, user, "portal_user_id")
enum { DB_COL_ENUM(SAVE_COLS) };
#define STAFF_COLS(X) X(SS, alive, "survey_staff_session")
enum { DB_COL_ENUM(STAFF_COLS) };

enum stmt {
	ST_OPEN,
	ST_SAVE,
	ST_STAFF,
	ST__MAX
};

static struct db_stmt stmts[] = {
	[ST_OPEN] = DB_STMT("survey_open",
	    "SELECT " DB_COLS(OPEN_COLS) " FROM survey_invitation_open($1)", 1),
	[ST_SAVE] = DB_STMT("survey_answer_save",
	    "SELECT " DB_COLS(SAVE_COLS) " FROM survey_answer_save($1, $2::smallint, $3, $4,"
	    " $5::integer)", 5),
	[ST_STAFF] = DB_STMT("survey_staff_session",
	    "SELECT " DB_COLS(STAFF_COLS) " FROM survey_staff_session($1)", 1),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

static const char staff_refused[] =
    "This browser is signed in to the console. Surveys are answered by customers: "
    "sign out of the console first.";

/* Runs st with the 32-byte hash as its binary first parameter. */
static PGresult *
exec_hash(struct db *db, struct db_stmt *st, const unsigned char hash[32],
    const char **params)
{
	int lengths[5] = { 32, 0, 0, 0, 0 }, formats[5] = { 1, 0, 0, 0, 0 };

	params[0] = (const char *)hash;
	return db_exec_bin(db, st, params, lengths, formats);
}

/* CS_OK when staff_token names no live console session, CS_REFUSED when it does. */
static enum cs_result
not_staff(struct db *db, const char *staff_token, const char **why)
{
	unsigned char hash[32];
	const char *p[1];
	PGresult *r;
	int alive;

	if (staff_token == NULL || session_token_hash(staff_token, hash) < 0)
		return CS_OK;
	if ((r = exec_hash(db, &stmts[ST_STAFF], hash, p)) == NULL)
		return db_result(db);
	alive = PQntuples(r) == 1 && db_bool(r, 0, SS_alive);
	PQclear(r);
	if (!alive)
		return CS_OK;
	*why = staff_refused;
	return CS_REFUSED;
}

enum cs_result
survey_open(struct db *db, struct arena *a, const char *token, const char *staff_token,
    struct survey_view *v, const char **why)
{
	unsigned char hash[32];
	const char *p[1];
	PGresult *r;
	enum cs_result rc;
	int failed = 0;

	memset(v, 0, sizeof(*v));
	if (token == NULL || session_token_hash(token, hash) < 0)
		return CS_NOT_FOUND;
	if ((rc = not_staff(db, staff_token, why)) != CS_OK)
		return rc;
	if ((r = exec_hash(db, &stmts[ST_OPEN], hash, p)) == NULL)
		return db_result(db);
	if (PQntuples(r) != 1) {
		PQclear(r);
		return CS_NOT_FOUND;
	}
	v->id = db_ll(r, 0, OP_id);
	v->kind = survey_kind_find(PQgetvalue(r, 0, OP_kind));
	v->expired = db_bool(r, 0, OP_expired);
	v->expires_on = db_str(a, r, 0, OP_expires_on, &failed);
	v->version = (int)db_ll(r, 0, OP_version);
	v->score = (int)db_ll(r, 0, OP_score);
	v->comment = db_str(a, r, 0, OP_comment, &failed);
	v->ticket_number = db_str(a, r, 0, OP_ticket, &failed);
	PQclear(r);
	return failed || v->kind == NULL ? CS_FAILED : CS_OK;
}

/* The event of an answer recorded. */
static enum cs_result
answered_event(struct db *db, long long invitation, long long response, long long user,
    const struct survey_answer_in *in, const char *kind, const char *sentiment, int changed)
{
	struct event_actor actor = { "customer", user };
	json_t *o = json_pack("{s:I, s:s, s:i, s:s, s:b}", "response_id", (json_int_t)response,
	    "kind", kind, "score", in->score, "sentiment", sentiment, "changed", changed);
	char *text = o != NULL ? json_dumps(o, JSON_COMPACT) : NULL;
	enum cs_result rc = text != NULL ? events_append(db, "survey", invitation,
	    "survey.answered", &actor, text) : CS_FAILED;

	free(text);
	json_decref(o);
	return rc;
}

/* Saves the answer (the transaction is open); sets *outcome. */
static enum cs_result
save(struct db *db, const unsigned char hash[32], const struct survey_answer_in *in,
    const struct survey_kind_def *k, enum survey_outcome *outcome, const char **why)
{
	char score[16], seen[16];
	const char *comment = in->comment != NULL && *in->comment != '\0' ? in->comment : NULL;
	const char *sentiment = comment != NULL ? sentiment_name(sentiment_of(comment)) : NULL;
	const char *p[] = { NULL, score, comment, sentiment, seen };
	const char *what;
	long long invitation, response, user;
	PGresult *r;

	snprintf(score, sizeof(score), "%d", in->score);
	snprintf(seen, sizeof(seen), "%d", in->seen_version);
	if ((r = exec_hash(db, &stmts[ST_SAVE], hash, p)) == NULL)
		return db_result(db);
	if (PQntuples(r) != 1) {
		PQclear(r);
		return CS_FAILED;
	}
	what = PQgetvalue(r, 0, SV_outcome);
	invitation = db_ll(r, 0, SV_invitation);
	response = db_ll(r, 0, SV_response);
	user = db_ll(r, 0, SV_user);
	*outcome = strcmp(what, "answered") == 0 ? SURVEY_ANSWERED :
	    strcmp(what, "changed") == 0 ? SURVEY_CHANGED :
	    strcmp(what, "replay") == 0 ? SURVEY_REPLAY : SURVEY_EXPIRED;
	if (strcmp(what, "unknown") == 0) {
		PQclear(r);
		return CS_NOT_FOUND;
	}
	PQclear(r);
	if (*outcome == SURVEY_REPLAY) {
		*why = "You have already answered this survey; your answer stands.";
		return CS_CONFLICT;
	}
	if (*outcome == SURVEY_EXPIRED) {
		*why = "This survey has closed: its link worked for 14 days.";
		return CS_REFUSED;
	}
	return answered_event(db, invitation, response, user, in, k->name,
	    sentiment != NULL ? sentiment : "", *outcome == SURVEY_CHANGED);
}

enum cs_result
survey_answer(struct db *db, struct arena *a, const struct survey_answer_in *in,
    enum survey_outcome *outcome, const char **why, const char **field)
{
	unsigned char hash[32];
	struct survey_view v;
	enum cs_result rc;

	*outcome = SURVEY_REPLAY;
	*field = NULL;
	if ((rc = survey_open(db, a, in->token, in->staff_token, &v, why)) != CS_OK)
		return rc;
	if (v.expired) {
		*outcome = SURVEY_EXPIRED;
		*why = "This survey has closed: its link worked for 14 days.";
		return CS_REFUSED;
	}
	if (in->score < v.kind->min || in->score > v.kind->max) {
		*field = "score";
		*why = v.kind->min == 0 ? "Choose a score from 0 to 10." :
		    v.kind->max == 5 ? "Choose a score from 1 to 5." : "Choose a score from 1 to 7.";
		return CS_REFUSED;
	}
	if (in->comment != NULL && utf8_chars(in->comment) > SURVEY_COMMENT_MAX) {
		*field = "comment";
		*why = "The comment is longer than 4,000 characters.";
		return CS_REFUSED;
	}
	if (session_token_hash(in->token, hash) < 0)
		return CS_NOT_FOUND;
	if (db_begin(db) < 0)
		return db_result(db);
	rc = save(db, hash, in, v.kind, outcome, why);
	/* A replay or an expiry wrote nothing: commit that nothing (a rollback would
	 * doom a signed-in customer's request transaction) and answer as it says. */
	if (rc == CS_CONFLICT || rc == CS_REFUSED) {
		enum cs_result end = db_end(db, CS_OK);

		return end == CS_OK ? rc : end;
	}
	return db_end(db, rc);
}
