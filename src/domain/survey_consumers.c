/* survey_consumers.c — invitations, portal ratings and follow-ups from events; see survey_consumers.h. */
#include "domain/survey_consumers.h"
#include "core/arena.h"
#include "core/log.h"
#include "db/db.h"
#include "domain/events.h"
#include "domain/sentiment.h"
#include "domain/survey_int.h"
#include "domain/surveys.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#define RULE_COLS(X) \
	X(RL, id, "id") X(RL, trigger, "trigger") X(RL, kind, "kind") \
	X(RL, every_days, "coalesce(every_days, 0)")
enum { DB_COL_ENUM(RULE_COLS) };
#define COMMENT_COLS(X) X(RC, comment, "coalesce(rating_comment, '')")
enum { DB_COL_ENUM(COMMENT_COLS) };
#define RATED_COLS(X) X(RT, id, "id")
enum { DB_COL_ENUM(RATED_COLS) };
#define RESPONSE_COLS(X) \
	X(RS, kind, "kind") X(RS, score, "score") X(RS, sentiment, "coalesce(sentiment, '')")
enum { DB_COL_ENUM(RESPONSE_COLS) };

enum stmt {
	ST_RULES,
	ST_COMMENT,
	ST_RATING,
	ST_RESPONSE,
	ST_FOLLOWUP,
	ST__MAX
};

static struct db_stmt stmts[] = {
	[ST_RULES] = DB_STMT("survey_rules_for",
	    "SELECT " DB_COLS(RULE_COLS) " FROM survey_rules WHERE trigger = $1 AND active"
	    " ORDER BY kind, id", 1),
	[ST_COMMENT] = DB_STMT("survey_rating_comment",
	    "SELECT " DB_COLS(COMMENT_COLS) " FROM tickets WHERE id = $1::bigint", 1),
	/* A rating given on the portal: the answer to this resolution's CSAT
	 * invitation when there is one (changed when already answered), else a
	 * row of its own. $1 ticket, $2 score, $3 comment, $4 sentiment. */
	[ST_RATING] = DB_STMT("survey_rating",
	    "WITH t AS (SELECT id, customer_id, team_id, assignee_id, reopen_count FROM tickets"
	    "  WHERE id = $1::bigint),"
	    " inv AS (SELECT i.id FROM survey_invitations i JOIN t ON i.ticket_id = t.id"
	    "  AND i.resolution = t.reopen_count WHERE i.kind = 'csat'),"
	    " upd AS (UPDATE survey_responses r SET score = $2::smallint, comment = nullif($3, ''),"
	    "  sentiment = nullif($4, ''), updated_at = now() FROM inv WHERE r.invitation_id = inv.id"
	    "  RETURNING r.id),"
	    " ins AS (INSERT INTO survey_responses (kind, score, comment, sentiment, customer_id,"
	    "  ticket_id, team_id, agent_id, invitation_id, source)"
	    "  SELECT 'csat', $2::smallint, nullif($3, ''), nullif($4, ''), t.customer_id, t.id,"
	    "  t.team_id, t.assignee_id, (SELECT id FROM inv),"
	    "  CASE WHEN EXISTS (SELECT 1 FROM inv) THEN 'survey' ELSE 'portal_rating' END FROM t"
	    "  WHERE NOT EXISTS (SELECT 1 FROM upd) RETURNING id),"
	    " mark AS (UPDATE survey_invitations i SET answer_version = i.answer_version + 1,"
	    "  answered_at = coalesce(i.answered_at, now()) FROM inv WHERE i.id = inv.id)"
	    " SELECT " DB_COLS(RATED_COLS) " FROM (SELECT id FROM upd UNION ALL SELECT id FROM ins) x",
	    4),
	[ST_RESPONSE] = DB_STMT("survey_response_read",
	    "SELECT " DB_COLS(RESPONSE_COLS) " FROM survey_responses WHERE id = $1::bigint", 1),
	/* One per answer; a changed answer updates an open one's reasons. */
	[ST_FOLLOWUP] = DB_STMT("survey_followup_open",
	    "INSERT INTO survey_followups (response_id, customer_id, ticket_id, team_id, agent_id,"
	    " low_score, negative_comment)"
	    " SELECT r.id, r.customer_id, r.ticket_id, r.team_id, r.agent_id, $2::boolean,"
	    " $3::boolean FROM survey_responses r WHERE r.id = $1::bigint"
	    " ON CONFLICT (response_id) DO UPDATE SET low_score = EXCLUDED.low_score,"
	    " negative_comment = EXCLUDED.negative_comment WHERE survey_followups.status = 'open'", 3),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

void
survey_mail_setup(const struct tmpl_set *set, const char *site_name, const char *base_url)
{
	survey_mail.set = set;
	survey_mail.site_name = site_name;
	survey_mail.base_url = base_url;
}

static long long
payload_ll(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_integer(v) ? (long long)json_integer_value(v) : 0;
}

static const char *
payload_str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s != NULL ? s : "";
}

/* A follow-up for response id when its score is low or its comment negative. */
static enum cs_result
followup(struct db *db, long long id)
{
	char ib[24];
	const char *p[] = { ib, NULL, NULL };
	const struct survey_kind_def *k;
	PGresult *r;
	int low, negative;
	enum cs_result rc = CS_OK;

	snprintf(ib, sizeof(ib), "%lld", id);
	if ((r = db_exec(db, &stmts[ST_RESPONSE], p)) == NULL)
		return db_result(db);
	if (PQntuples(r) == 1 && (k = survey_kind_find(PQgetvalue(r, 0, RS_kind))) != NULL) {
		low = db_ll(r, 0, RS_score) <= k->low;
		negative = strcmp(PQgetvalue(r, 0, RS_sentiment), "negative") == 0;
		p[1] = low ? "true" : "false";
		p[2] = negative ? "true" : "false";
		if (low || negative)
			rc = db_do(db, &stmts[ST_FOLLOWUP], p);
	}
	PQclear(r);
	return rc;
}

/* A customer's rating on confirming, as a CSAT answer (and its follow-up). */
static enum cs_result
rating(struct db *db, struct arena *a, long long ticket, int score)
{
	char tb[24], sb[16];
	const char *p[] = { tb, sb, NULL, NULL };
	PGresult *r;
	long long id;
	int failed = 0;

	snprintf(tb, sizeof(tb), "%lld", ticket);
	snprintf(sb, sizeof(sb), "%d", score);
	if ((r = db_exec(db, &stmts[ST_COMMENT], p)) == NULL)
		return db_result(db);
	if (PQntuples(r) != 1) {
		PQclear(r);
		return CS_OK;
	}
	p[2] = db_str(a, r, 0, RC_comment, &failed);
	PQclear(r);
	if (failed)
		return log_failed("surveys: out of memory");
	p[3] = *p[2] != '\0' ? sentiment_name(sentiment_of(p[2])) : "";
	if ((r = db_exec(db, &stmts[ST_RATING], p)) == NULL)
		return db_result(db);
	id = PQntuples(r) == 1 ? db_ll(r, 0, RT_id) : 0;
	PQclear(r);
	return id > 0 ? followup(db, id) : CS_OK;
}

/* Every active rule for trigger, each sent (or skipped) about ticket. */
static enum cs_result
send_rules(struct db *db, struct arena *a, const char *trigger, long long ticket)
{
	const char *p[] = { trigger };
	PGresult *r = db_exec(db, &stmts[ST_RULES], p);
	enum cs_result rc = CS_OK;
	int i, sent;

	if (r == NULL)
		return db_result(db);
	for (i = 0; i < PQntuples(r) && rc == CS_OK; i++) {
		struct survey_rule_ref rule = { db_ll(r, i, RL_id), trigger,
			PQgetvalue(r, i, RL_kind), 0 };

		rc = survey_send_ticket(db, a, &rule, ticket, &sent);
	}
	PQclear(r);
	return rc;
}

/* The rule trigger a ticket's status change is, or NULL. */
static const char *
trigger_of(const struct event *e, json_t *o)
{
	const char *to = payload_str(o, "to");

	if (strcmp(to, "resolved") == 0)
		return "ticket.resolved";
	if (strcmp(to, "closed") == 0 && strcmp(e->actor.kind, "system") == 0)
		return "ticket.auto_closed";
	return NULL;
}

static enum cs_result
for_event(struct db *db, struct arena *a, const struct event *e, json_t *o)
{
	const char *trigger;
	enum cs_result rc = CS_OK;

	if (strcmp(e->aggregate, "survey") == 0 && strcmp(e->type, "survey.answered") == 0)
		return followup(db, payload_ll(o, "response_id"));
	if (strcmp(e->aggregate, "ticket") != 0 || strcmp(e->type, "ticket.status_changed") != 0)
		return CS_OK;
	if (strcmp(e->actor.kind, "customer") == 0 && payload_ll(o, "rating") > 0)
		rc = rating(db, a, e->aggregate_id, (int)payload_ll(o, "rating"));
	if (rc == CS_OK && (trigger = trigger_of(e, o)) != NULL)
		rc = send_rules(db, a, trigger, e->aggregate_id);
	return rc;
}

static enum cs_result
handle(struct db *db, struct arena *a, const struct event *e, void *ctx)
{
	json_t *o;
	enum cs_result rc;

	(void)ctx;
	if (strcmp(e->aggregate, "ticket") != 0 && strcmp(e->aggregate, "survey") != 0)
		return CS_OK;
	if ((o = events_payload(e)) == NULL)
		return CS_FAILED;
	rc = for_event(db, a, e, o);
	json_decref(o);
	if (rc == CS_OK || !db_tx_healthy(db))
		return rc;
	/* Nothing was written (out of memory on the way): skip it, as the mail consumer does. */
	log_warn("surveys: event %lld (%s): nothing made; skipped", e->id, e->type);
	return CS_OK;
}

static const struct event_consumer consumer = { SURVEY_CONSUMER, handle, NULL };

enum cs_result
survey_consumers_run(struct db *db, int max_batches, long *done)
{
	if (survey_mail.set == NULL) {
		log_error("events: surveys: no templates set up; its events wait");
		return CS_FAILED;
	}
	return events_drain(db, &consumer, max_batches, done);
}

#define PERIODIC_COLS(X) X(PR, id, "id") X(PR, kind, "kind") X(PR, every_days, "every_days")
enum { DB_COL_ENUM(PERIODIC_COLS) };
#define DUE_COLS(X) X(PD, due, "coalesce((SELECT value::timestamptz <= now() FROM settings" \
	" WHERE key = 'survey_periodic_next'), true)")
enum { DB_COL_ENUM(DUE_COLS) };

static struct db_stmt st_periodic = DB_STMT("survey_rules_periodic",
    "SELECT " DB_COLS(PERIODIC_COLS) " FROM survey_rules WHERE trigger = 'periodic' AND active"
    " ORDER BY id", 0);
static struct db_stmt st_due = DB_STMT("survey_periodic_due", "SELECT " DB_COLS(DUE_COLS), 0);
/* The batch runs as the database owner: it may add the row. */
static struct db_stmt st_next = DB_STMT("survey_periodic_next",
    "INSERT INTO settings (key, value) VALUES ('survey_periodic_next',"
    " (now() + interval '1 hour')::text) ON CONFLICT (key) DO UPDATE"
    " SET value = EXCLUDED.value, updated_at = now()", 0);

/*
 * Whether the periodic rules are to be run now: a run that found fewer
 * customers due than its limit puts the next one an hour later, so a tick
 * does not walk every customer every minute for surveys sent every few
 * months. CS_OK with *due set, or the failure.
 */
static enum cs_result
periodic_due(struct db *db, int *due)
{
	PGresult *r = db_exec(db, &st_due, NULL);

	if (r == NULL)
		return db_result(db);
	*due = PQntuples(r) == 1 && db_bool(r, 0, PD_due);
	PQclear(r);
	return CS_OK;
}

enum cs_result
survey_periodic_run(struct db *db, int limit, long *sent, long *skipped)
{
	enum cs_result first = CS_OK, rc;
	PGresult *r;
	int i, due = 0, full = 0;

	if (survey_mail.set == NULL)
		return log_failed("surveys: no templates set up; periodic surveys wait");
	if ((rc = periodic_due(db, &due)) != CS_OK || !due)
		return rc;
	if ((r = db_exec(db, &st_periodic, NULL)) == NULL)
		return db_result(db);
	for (i = 0; i < PQntuples(r); i++) {
		struct survey_rule_ref rule = { db_ll(r, i, PR_id), SURVEY_PERIODIC,
			PQgetvalue(r, i, PR_kind), (int)db_ll(r, i, PR_every_days) };
		struct arena *a = arena_new(64 * 1024);
		long before = *sent + *skipped;

		if (a == NULL || db_begin(db) < 0) {
			arena_free(a);
			rc = a == NULL ? log_failed("surveys: out of memory") : db_result(db);
		} else {
			rc = db_end(db, survey_send_periodic(db, a, &rule, limit, sent, skipped));
			arena_free(a);
		}
		full |= *sent + *skipped - before >= limit;
		if (first == CS_OK)
			first = rc;
	}
	PQclear(r);
	/* Everyone due was asked (or skipped): nothing more before an hour. */
	if (first == CS_OK && !full && db_run(db, &st_next, NULL) < 0)
		first = db_result(db);
	return first;
}
