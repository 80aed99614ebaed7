/*
 * survey_lists.c — the surveys not sent (for admins) and the follow-ups
 * answers opened (for supervisors and admins); see surveys.h.
 */
#include "domain/surveys.h"
#include "core/arena.h"
#include "core/utf8.h"
#include "db/db.h"

#include <stdio.h>
#include <string.h>

#define AT(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI')"

#define SKIP_COLS(X) \
	X(SK, id, "s.id") X(SK, trigger, "s.trigger") X(SK, kind, "s.kind") \
	X(SK, reason, "s.reason") X(SK, customer, "c.name") \
	X(SK, ticket, "coalesce(t.number, '')") X(SK, at, AT("s.created_at"))
enum { DB_COL_ENUM(SKIP_COLS) };

#define FU_COLS(X) \
	X(FU, id, "f.id") X(FU, kind, "r.kind") X(FU, score, "r.score") \
	X(FU, comment, "coalesce(r.comment, '')") X(FU, sentiment, "coalesce(r.sentiment, '')") \
	X(FU, low, "f.low_score") X(FU, negative, "f.negative_comment") \
	X(FU, customer, "c.name") X(FU, ticket, "coalesce(t.number, '')") \
	X(FU, team, "coalesce(tm.name, '')") X(FU, agent, "coalesce(ag.name, '')") \
	X(FU, status, "f.status") X(FU, note, "coalesce(f.note, '')") \
	X(FU, done_by, "coalesce(db.name, '')") X(FU, created_at, AT("f.created_at"))
enum { DB_COL_ENUM(FU_COLS) };

/* $1: 0 for all, else the staff member whose team's (and team-less) ones. */
#define FU_VISIBLE " ($1::bigint = 0 OR f.team_id IS NULL" \
	" OR f.team_id = (SELECT team_id FROM staff WHERE id = $1::bigint))"

enum stmt {
	ST_SKIPS,
	ST_FOLLOWUPS,
	ST_DONE,
	ST__MAX
};

static struct db_stmt stmts[] = {
	/* Newest first by id, walking survey_skips' primary key backwards. */
	[ST_SKIPS] = DB_STMT("survey_skips_page",
	    "SELECT " DB_COLS(SKIP_COLS) " FROM survey_skips s"
	    " JOIN customers c ON c.id = s.customer_id LEFT JOIN tickets t ON t.id = s.ticket_id"
	    " WHERE ($1::bigint = 0 OR s.id < $1::bigint) ORDER BY s.id DESC LIMIT $2::integer", 2),
	[ST_FOLLOWUPS] = DB_STMT("survey_followups_page",
	    "SELECT " DB_COLS(FU_COLS) " FROM survey_followups f"
	    " JOIN survey_responses r ON r.id = f.response_id"
	    " JOIN customers c ON c.id = f.customer_id LEFT JOIN tickets t ON t.id = f.ticket_id"
	    " LEFT JOIN teams tm ON tm.id = f.team_id LEFT JOIN staff ag ON ag.id = f.agent_id"
	    " LEFT JOIN staff db ON db.id = f.done_by"
	    " WHERE" FU_VISIBLE " AND f.status = $2 AND ($3::bigint = 0 OR f.id < $3::bigint)"
	    " ORDER BY f.id DESC LIMIT $4::integer", 4),
	[ST_DONE] = DB_STMT("survey_followup_done",
	    "UPDATE survey_followups f SET status = 'done', note = nullif($3, ''),"
	    " done_by = $4::bigint, done_at = now()"
	    " WHERE f.id = $2::bigint AND f.status = 'open' AND" FU_VISIBLE " RETURNING f.status", 4),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

static const struct {
	const char *code, *words;
} reasons[] = {
	{ "throttled", "Asked recently: the customer had a survey within the limit of days." },
	{ "no_address", "Nobody to ask: the ticket has no requester with an e-mail address." },
	{ "reopened", "The ticket was reopened before the survey went out." },
	{ "already_asked", "This resolution already had a survey." },
};

const char *
survey_skip_words(const char *reason)
{
	size_t i;

	for (i = 0; reason != NULL && i < sizeof(reasons) / sizeof(reasons[0]); i++)
		if (strcmp(reasons[i].code, reason) == 0)
			return reasons[i].words;
	return "Not sent.";
}

static enum cs_result
fill_skip(struct arena *a, const PGresult *r, int i, void *elem)
{
	struct survey_skip *s = elem;
	int failed = 0;

	s->id = db_ll(r, i, SK_id);
	s->trigger = db_str(a, r, i, SK_trigger, &failed);
	s->kind = db_str(a, r, i, SK_kind, &failed);
	s->reason = survey_skip_words(PQgetvalue(r, i, SK_reason));
	s->customer = db_str(a, r, i, SK_customer, &failed);
	s->ticket_number = db_str(a, r, i, SK_ticket, &failed);
	s->at = db_str(a, r, i, SK_at, &failed);
	return failed ? CS_FAILED : CS_OK;
}

enum cs_result
survey_skips_page(struct db *db, struct arena *a, long long before, int limit,
    struct survey_skip **out, size_t *n, int *more)
{
	char bb[24], lb[16];
	const char *p[] = { bb, lb };
	void *rows;
	enum cs_result rc;

	snprintf(bb, sizeof(bb), "%lld", before);
	snprintf(lb, sizeof(lb), "%d", limit + 1);
	rc = db_page(db, a, &stmts[ST_SKIPS], p, limit, sizeof(**out), fill_skip, &rows, n, more);
	*out = rows;
	return rc;
}

static enum cs_result
fill_followup(struct arena *a, const PGresult *r, int i, void *elem)
{
	struct survey_followup *f = elem;
	int failed = 0;

	f->id = db_ll(r, i, FU_id);
	f->kind = db_str(a, r, i, FU_kind, &failed);
	f->score = (int)db_ll(r, i, FU_score);
	f->comment = db_str(a, r, i, FU_comment, &failed);
	f->sentiment = db_str(a, r, i, FU_sentiment, &failed);
	f->low_score = db_bool(r, i, FU_low);
	f->negative_comment = db_bool(r, i, FU_negative);
	f->customer = db_str(a, r, i, FU_customer, &failed);
	f->ticket_number = db_str(a, r, i, FU_ticket, &failed);
	f->team = db_str(a, r, i, FU_team, &failed);
	f->agent = db_str(a, r, i, FU_agent, &failed);
	f->status = db_str(a, r, i, FU_status, &failed);
	f->note = db_str(a, r, i, FU_note, &failed);
	f->done_by = db_str(a, r, i, FU_done_by, &failed);
	f->created_at = db_str(a, r, i, FU_created_at, &failed);
	return failed ? CS_FAILED : CS_OK;
}

enum cs_result
survey_followups_page(struct db *db, struct arena *a, const char *status, long long for_staff,
    long long before, int limit, struct survey_followup **out, size_t *n, int *more)
{
	char sb[24], bb[24], lb[16];
	const char *p[] = { sb, status, bb, lb };
	void *rows;
	enum cs_result rc;

	snprintf(sb, sizeof(sb), "%lld", for_staff);
	snprintf(bb, sizeof(bb), "%lld", before);
	snprintf(lb, sizeof(lb), "%d", limit + 1);
	rc = db_page(db, a, &stmts[ST_FOLLOWUPS], p, limit, sizeof(**out), fill_followup, &rows,
	    n, more);
	*out = rows;
	return rc;
}

enum cs_result
survey_followup_done(struct db *db, long long id, long long for_staff, long long staff_id,
    const char *note, const char **why)
{
	char sb[24], ib[24], by[24];
	const char *p[] = { sb, ib, note != NULL ? note : "", by };

	if (utf8_chars(p[2]) > SURVEY_NOTE_MAX) {
		*why = "The note is longer than 2,000 characters.";
		return CS_REFUSED;
	}
	snprintf(sb, sizeof(sb), "%lld", for_staff);
	snprintf(ib, sizeof(ib), "%lld", id);
	snprintf(by, sizeof(by), "%lld", staff_id);
	return db_update_one(db, &stmts[ST_DONE], p);
}
