/* qa_reviews.c — samples, the supervisors' scores and the reviews' lists; see qa.h. */
#include "domain/qa.h"
#include "core/arena.h"
#include "core/utf8.h"
#include "db/db.h"
#include "domain/events.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Who resolved a ticket t: the last staff move to resolved, else its assignee. */
#define RESOLVER "coalesce((SELECT e.actor_id FROM ticket_events e WHERE e.ticket_id = t.id" \
	" AND e.field = 'status' AND e.new_value = 'resolved' AND e.actor_kind IN ('staff', 'api')" \
	" ORDER BY e.id DESC LIMIT 1), t.assignee_id)"
#define SETTLED "t.status IN ('resolved', 'closed')"
#define NOT_SAMPLED "NOT EXISTS (SELECT 1 FROM qa_reviews q WHERE q.ticket_id = t.id" \
	" AND q.scorecard_id = $1::bigint)"
#define AT(col) "coalesce(to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI'), '')"

#define CARD_COLS(X) X(CA, active, "active")
enum { DB_COL_ENUM(CARD_COLS) };
#define TICKET_COLS(X) \
	X(TI, id, "t.id") X(TI, settled, SETTLED) X(TI, agent, "coalesce(" RESOLVER ", 0)") \
	X(TI, sampled, "NOT " NOT_SAMPLED)
enum { DB_COL_ENUM(TICKET_COLS) };
#define REVIEW_COLS(X) \
	X(RV, id, "r.id") X(RV, scorecard, "s.name") X(RV, number, "t.number") \
	X(RV, subject, "t.subject") X(RV, agent, "ag.name") X(RV, team, "coalesce(tm.name, '')") \
	X(RV, sample, "r.sample") X(RV, status, "r.status") X(RV, reviewer, "coalesce(rv.name, '')") \
	X(RV, comment, "coalesce(r.comment, '')") X(RV, created_at, AT("r.created_at")) \
	X(RV, reviewed_at, AT("r.reviewed_at")) X(RV, score, "coalesce(r.score, 0)")
enum { DB_COL_ENUM(REVIEW_COLS) };
#define REVIEW_FROM " FROM qa_reviews r JOIN qa_scorecards s ON s.id = r.scorecard_id" \
	" JOIN tickets t ON t.id = r.ticket_id JOIN staff ag ON ag.id = r.agent_id" \
	" LEFT JOIN teams tm ON tm.id = r.team_id LEFT JOIN staff rv ON rv.id = r.reviewer_id"
#define CRIT_COLS(X) \
	X(CR, id, "c.id") X(CR, name, "c.name") X(CR, weight, "c.weight") \
	X(CR, points, "coalesce(p.points, -1)")
enum { DB_COL_ENUM(CRIT_COLS) };
#define LOCK_COLS(X) X(LK, status, "status") X(LK, agent, "agent_id")
enum { DB_COL_ENUM(LOCK_COLS) };

enum stmt {
	ST_CARD,
	ST_TICKET,
	ST_CHOSEN,
	ST_RANDOM,
	ST_WEEKLY,
	ST_PAGE,
	ST_GET,
	ST_CRITERIA,
	ST_LOCK,
	ST_POINTS,
	ST_DONE,
	ST__MAX
};

#define INSERT_REVIEW "INSERT INTO qa_reviews (scorecard_id, ticket_id, agent_id, team_id, sample)"
#define CANDIDATES "SELECT t.id, t.team_id, " RESOLVER " AS agent FROM tickets t WHERE " \
	SETTLED " AND " NOT_SAMPLED

static struct db_stmt stmts[] = {
	[ST_CARD] = DB_STMT("qa_card",
	    "SELECT " DB_COLS(CARD_COLS) " FROM qa_scorecards WHERE id = $1::bigint", 1),
	[ST_TICKET] = DB_STMT("qa_sample_ticket",
	    "SELECT " DB_COLS(TICKET_COLS) " FROM tickets t WHERE t.number = $2", 2),
	[ST_CHOSEN] = DB_STMT("qa_sample_chosen",
	    INSERT_REVIEW " SELECT $1::bigint, t.id, " RESOLVER ", t.team_id, 'chosen'"
	    " FROM tickets t WHERE t.id = $2::bigint ON CONFLICT DO NOTHING RETURNING id", 2),
	/* Tickets settled in the last 7 days (tickets_resolved_at), drawn at random. */
	[ST_RANDOM] = DB_STMT("qa_sample_random",
	    INSERT_REVIEW " SELECT $1::bigint, x.id, x.agent, x.team_id, 'random' FROM ("
	    CANDIDATES " AND t.resolved_at >= now() - interval '7 days') x"
	    " WHERE x.agent IS NOT NULL ORDER BY random() LIMIT $2::integer"
	    " ON CONFLICT DO NOTHING RETURNING id", 2),
	/* Up to $2 per agent among those settled in the (Monday to Sunday) week of $3. */
	[ST_WEEKLY] = DB_STMT("qa_sample_weekly",
	    INSERT_REVIEW " SELECT $1::bigint, x.id, x.agent, x.team_id, 'weekly' FROM ("
	    " SELECT y.*, row_number() OVER (PARTITION BY y.agent ORDER BY random()) AS k FROM ("
	    CANDIDATES " AND t.resolved_at >= date_trunc('week', $3::date)"
	    " AND t.resolved_at < date_trunc('week', $3::date) + interval '7 days') y"
	    " WHERE y.agent IS NOT NULL) x WHERE x.k <= $2::integer"
	    " ON CONFLICT DO NOTHING RETURNING id", 3),
	[ST_PAGE] = DB_STMT("qa_reviews_page",
	    "SELECT " DB_COLS(REVIEW_COLS) REVIEW_FROM " WHERE r.status = $1"
	    " AND ($2::bigint = 0 OR r.agent_id = $2::bigint) AND ($3::bigint = 0 OR r.id < $3::bigint)"
	    " ORDER BY r.id DESC LIMIT $4::integer", 4),
	[ST_GET] = DB_STMT("qa_review_get",
	    "SELECT " DB_COLS(REVIEW_COLS) REVIEW_FROM " WHERE r.id = $1::bigint"
	    " AND ($2::bigint = 0 OR r.agent_id = $2::bigint)", 2),
	[ST_CRITERIA] = DB_STMT("qa_review_criteria",
	    "SELECT " DB_COLS(CRIT_COLS) " FROM qa_reviews r JOIN qa_criteria c"
	    " ON c.scorecard_id = r.scorecard_id LEFT JOIN qa_review_scores p"
	    " ON p.review_id = r.id AND p.criterion_id = c.id WHERE r.id = $1::bigint"
	    " ORDER BY c.position", 1),
	[ST_LOCK] = DB_STMT("qa_review_lock",
	    "SELECT " DB_COLS(LOCK_COLS) " FROM qa_reviews WHERE id = $1::bigint FOR UPDATE", 1),
	[ST_POINTS] = DB_STMT("qa_review_points",
	    "INSERT INTO qa_review_scores (review_id, criterion_id, points)"
	    " VALUES ($1::bigint, $2::bigint, $3::smallint)", 3),
	[ST_DONE] = DB_STMT("qa_review_done",
	    "UPDATE qa_reviews SET status = 'done', score = $2::numeric, comment = nullif($3, ''),"
	    " reviewer_id = $4::bigint, reviewed_at = now() WHERE id = $1::bigint", 4),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

static enum cs_result
refuse(const char **why, const char **field, const char *f, const char *sentence)
{
	*why = sentence;
	*field = f;
	return CS_REFUSED;
}

/* Runs an INSERT … RETURNING of reviews; *made how many rows came back. */
static enum cs_result
insert(struct db *db, struct db_stmt *st, const char *const *p, long *made)
{
	PGresult *r = db_exec(db, st, p);

	if (r == NULL)
		return db_result(db);
	*made = PQntuples(r);
	PQclear(r);
	return CS_OK;
}

/* The ticket numbered number may be sampled: its id into *id. */
static enum cs_result
chosen_ticket(struct db *db, const char *const *p, long long *id, const char **why,
    const char **field)
{
	PGresult *r = db_exec(db, &stmts[ST_TICKET], p);
	enum cs_result rc = CS_OK;

	if (r == NULL)
		return db_result(db);
	if (PQntuples(r) != 1)
		rc = refuse(why, field, "number", "There is no ticket with that number.");
	else if (!db_bool(r, 0, TI_settled))
		rc = refuse(why, field, "number", "Only a resolved or closed ticket is reviewed.");
	else if (db_ll(r, 0, TI_agent) == 0)
		rc = refuse(why, field, "number", "Nobody resolved that ticket.");
	else if (db_bool(r, 0, TI_sampled))
		rc = refuse(why, field, "number",
		    "That ticket is already in a review of this scorecard.");
	else
		*id = db_ll(r, 0, TI_id);
	PQclear(r);
	return rc;
}

enum cs_result
qa_sample_draw(struct db *db, const struct qa_sample_in *in, long *made, const char **why,
    const char **field)
{
	char cb[24], nb[16], tb[24];
	const char *p[] = { cb, nb, in->week };
	const char *q[] = { cb, in->number };
	const char *c[] = { cb, tb };
	long long ticket = 0;
	PGresult *r;
	int active;
	enum cs_result rc;

	*made = 0;
	snprintf(cb, sizeof(cb), "%lld", in->scorecard_id);
	snprintf(nb, sizeof(nb), "%d", in->count);
	if ((r = db_exec(db, &stmts[ST_CARD], p)) == NULL)
		return db_result(db);
	active = PQntuples(r) == 1 && db_bool(r, 0, CA_active);
	PQclear(r);
	if (!active)
		return refuse(why, field, "scorecard_id", "Choose a scorecard in use.");
	if (in->kind != QA_SAMPLE_CHOSEN && (in->count < 1 || in->count > QA_SAMPLE_MAX))
		return refuse(why, field, "count", "Draw from 1 to 50 tickets.");
	if (in->kind == QA_SAMPLE_WEEKLY && (in->week == NULL || strlen(in->week) != 10 ||
	    in->week[4] != '-' || in->week[7] != '-'))
		return refuse(why, field, "week", "Give a day of the week as YYYY-MM-DD.");
	if (in->kind == QA_SAMPLE_CHOSEN && (in->number == NULL || *in->number == '\0'))
		return refuse(why, field, "number", "Give the ticket's number.");
	if (db_begin(db) < 0)
		return db_result(db);
	if (in->kind == QA_SAMPLE_RANDOM)
		rc = insert(db, &stmts[ST_RANDOM], p, made);
	else if (in->kind == QA_SAMPLE_WEEKLY)
		rc = insert(db, &stmts[ST_WEEKLY], p, made);
	else if ((rc = chosen_ticket(db, q, &ticket, why, field)) == CS_OK) {
		snprintf(tb, sizeof(tb), "%lld", ticket);
		rc = insert(db, &stmts[ST_CHOSEN], c, made);
	}
	/* A day that is not one (2026-02-30) is the database's 22008: the person's error. */
	if (rc == CS_FAILED && (db_is(db, "22008") || db_is(db, "22007"))) {
		db_rollback(db);
		return refuse(why, field, "week", "Give a day of the week as YYYY-MM-DD.");
	}
	return db_end(db, rc);
}

static enum cs_result
fill_review(struct arena *a, const PGresult *r, int i, void *elem)
{
	struct qa_review *v = elem;
	int failed = 0;

	memset(v, 0, sizeof(*v));
	v->id = db_ll(r, i, RV_id);
	v->scorecard = db_str(a, r, i, RV_scorecard, &failed);
	v->ticket_number = db_str(a, r, i, RV_number, &failed);
	v->ticket_subject = db_str(a, r, i, RV_subject, &failed);
	v->agent = db_str(a, r, i, RV_agent, &failed);
	v->team = db_str(a, r, i, RV_team, &failed);
	v->sample = db_str(a, r, i, RV_sample, &failed);
	v->status = db_str(a, r, i, RV_status, &failed);
	v->reviewer = db_str(a, r, i, RV_reviewer, &failed);
	v->comment = db_str(a, r, i, RV_comment, &failed);
	v->created_at = db_str(a, r, i, RV_created_at, &failed);
	v->reviewed_at = db_str(a, r, i, RV_reviewed_at, &failed);
	v->score = strtod(PQgetvalue(r, i, RV_score), NULL);
	return failed ? CS_FAILED : CS_OK;
}

enum cs_result
qa_reviews_page(struct db *db, struct arena *a, const char *status, long long agent_id,
    long long before, int limit, struct qa_review **out, size_t *n, int *more)
{
	char ab[24], bb[24], lb[16];
	const char *p[] = { status, ab, bb, lb };
	void *rows;
	enum cs_result rc;

	snprintf(ab, sizeof(ab), "%lld", agent_id);
	snprintf(bb, sizeof(bb), "%lld", before);
	snprintf(lb, sizeof(lb), "%d", limit + 1);
	rc = db_page(db, a, &stmts[ST_PAGE], p, limit, sizeof(**out), fill_review, &rows, n, more);
	*out = rows;
	return rc;
}

static enum cs_result
fill_criterion(struct arena *a, const PGresult *r, int i, void *elem)
{
	struct qa_criterion *c = elem;
	int failed = 0;

	c->id = db_ll(r, i, CR_id);
	c->name = db_str(a, r, i, CR_name, &failed);
	c->weight = (int)db_ll(r, i, CR_weight);
	c->points = (int)db_ll(r, i, CR_points);
	return failed ? CS_FAILED : CS_OK;
}

enum cs_result
qa_review_get(struct db *db, struct arena *a, long long id, long long agent_id,
    struct qa_review *v)
{
	char ib[24], ab[24];
	const char *p[] = { ib, ab };
	void *rows;
	enum cs_result rc;

	snprintf(ib, sizeof(ib), "%lld", id);
	snprintf(ab, sizeof(ab), "%lld", agent_id);
	if ((rc = db_one(db, a, &stmts[ST_GET], p, fill_review, v)) != CS_OK)
		return rc;
	rc = db_rows(db, a, &stmts[ST_CRITERIA], p, sizeof(*v->criteria), fill_criterion, &rows,
	    &v->ncriteria);
	v->criteria = rows;
	return rc;
}

/* The review's score from its criteria's weights and points, 0 … 100. */
static double
weighted(const struct qa_criterion *c, const int *points, size_t n)
{
	double sum = 0, total = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		sum += c[i].weight * (double)points[i] / QA_POINTS_MAX;
		total += c[i].weight;
	}
	return total > 0 ? sum / total * 100 : 0;
}

/* The points and the review's row, the review locked and pending. */
static enum cs_result
record(struct db *db, long long id, long long reviewer, const struct qa_review *v,
    const int *points, const char *comment)
{
	char ib[24], rb[24], sb[32];
	const char *d[] = { ib, sb, comment, rb };
	struct event_actor actor = { "staff", reviewer };
	enum cs_result rc = CS_OK;
	size_t i;

	snprintf(ib, sizeof(ib), "%lld", id);
	snprintf(rb, sizeof(rb), "%lld", reviewer);
	snprintf(sb, sizeof(sb), "%.2f", weighted(v->criteria, points, v->ncriteria));
	for (i = 0; rc == CS_OK && i < v->ncriteria; i++) {
		char cb[24], pb[8];
		const char *p[] = { ib, cb, pb };

		snprintf(cb, sizeof(cb), "%lld", v->criteria[i].id);
		snprintf(pb, sizeof(pb), "%d", points[i]);
		rc = db_do(db, &stmts[ST_POINTS], p);
	}
	if (rc == CS_OK)
		rc = db_do(db, &stmts[ST_DONE], d);
	if (rc == CS_OK)
		rc = events_append(db, "qa_review", id, "qa.reviewed", &actor, NULL);
	return rc;
}

enum cs_result
qa_review_score(struct db *db, struct arena *a, long long id, long long reviewer,
    const int *points, size_t n, const char *comment, const char **why)
{
	char ib[24];
	const char *p[] = { ib };
	struct qa_review v;
	PGresult *r;
	enum cs_result rc;
	size_t i;

	snprintf(ib, sizeof(ib), "%lld", id);
	if (comment != NULL && utf8_chars(comment) > QA_COMMENT_MAX) {
		*why = "The comment is longer than 4,000 characters.";
		return CS_REFUSED;
	}
	if (db_begin(db) < 0)
		return db_result(db);
	if ((r = db_exec(db, &stmts[ST_LOCK], p)) == NULL)
		return db_end(db, db_result(db));
	rc = PQntuples(r) != 1 ? CS_NOT_FOUND : CS_OK;
	if (rc == CS_OK && strcmp(PQgetvalue(r, 0, LK_status), "pending") != 0) {
		*why = "This review is already scored.";
		rc = CS_REFUSED;
	} else if (rc == CS_OK && db_ll(r, 0, LK_agent) == reviewer) {
		*why = "Nobody reviews their own ticket.";
		rc = CS_REFUSED;
	}
	PQclear(r);
	if (rc == CS_OK)
		rc = qa_review_get(db, a, id, 0, &v);
	if (rc == CS_OK && n != v.ncriteria) {
		*why = "Score every criterion.";
		rc = CS_REFUSED;
	}
	for (i = 0; rc == CS_OK && i < n; i++)
		if (points[i] < 0 || points[i] > QA_POINTS_MAX) {
			*why = "Score every criterion from 0 to 4.";
			rc = CS_REFUSED;
		}
	if (rc == CS_OK)
		rc = record(db, id, reviewer, &v, points, comment != NULL ? comment : "");
	return db_end(db, rc);
}
