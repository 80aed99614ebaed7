/* mail_review.c — see mail_review.h. */
#include "domain/mail_review.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/events.h"

#include <stdio.h>
#include <string.h>

/*
 * A suggestion stands while both tickets are open, it was not dismissed,
 * and the earlier ticket changed within a day of the message: older than
 * that, the same subject is more likely a new matter.
 */
#define ITEM_COLS(X) \
	X(MR, id, "m.id") X(MR, from_addr, "m.from_addr") X(MR, subject, "m.subject") \
	X(MR, received, "to_char(m.received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI')") \
	X(MR, review, "m.review AND m.review_outcome IS NULL") \
	X(MR, merge_number, "coalesce(s.number, '')") X(MR, merge_subject, "coalesce(s.subject, '')")
enum { DB_COL_ENUM(ITEM_COLS) };

enum stmt { ST_ITEMS, ST_DECIDE, ST_PUBLISH, ST_HISTORY, ST_MERGE_DISMISS, ST__MAX };

static struct db_stmt stmts[] = {
	/* mail_messages_ticket (ticket_id, id): a few rows per ticket at most. */
	[ST_ITEMS] = DB_STMT("mail_review_items",
	    "SELECT " DB_COLS(ITEM_COLS) " FROM mail_messages m"
	    " JOIN tickets t ON t.id = m.ticket_id"
	    " LEFT JOIN tickets s ON s.id = m.suggested_ticket_id AND m.merge_dismissed_at IS NULL"
	    "  AND s.id <> t.id AND s.status NOT IN ('closed', 'cancelled')"
	    "  AND t.status NOT IN ('closed', 'cancelled')"
	    "  AND s.updated_at > m.received_at - interval '1 day'"
	    " WHERE m.ticket_id = $1::bigint"
	    " AND ((m.review AND m.review_outcome IS NULL) OR s.id IS NOT NULL)"
	    " ORDER BY m.id LIMIT 10", 1),	/* MAIL_REVIEW_MAX */
	/* The decision, once: its note's comment id comes back. */
	[ST_DECIDE] = DB_STMT("mail_review_decide",
	    "UPDATE mail_messages SET review_outcome = $4, reviewed_by = $3::bigint,"
	    " reviewed_at = now() WHERE id = $2::bigint AND ticket_id = $1::bigint AND review"
	    " AND review_outcome IS NULL RETURNING coalesce(comment_id, 0)", 4),
	[ST_PUBLISH] = DB_STMT("mail_review_publish",
	    "UPDATE ticket_comments SET kind = 'public' WHERE id = $1::bigint AND kind = 'internal'",
	    1),
	[ST_HISTORY] = DB_STMT("mail_review_history",
	    "INSERT INTO ticket_events (ticket_id, actor_kind, actor_id, field, new_value)"
	    " VALUES ($1::bigint, 'staff', $2::bigint, 'mail_review', $3)", 3),
	[ST_MERGE_DISMISS] = DB_STMT("mail_review_merge_dismiss",
	    "UPDATE mail_messages SET merge_dismissed_at = now() WHERE id = $2::bigint"
	    " AND ticket_id = $1::bigint AND suggested_ticket_id IS NOT NULL"
	    " AND merge_dismissed_at IS NULL", 2),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

static enum cs_result
fill(struct arena *a, const PGresult *r, int i, void *elem)
{
	struct mail_review_item *m = elem;
	int failed = 0;

	m->id = db_ll(r, i, MR_id);
	m->from_addr = db_str(a, r, i, MR_from_addr, &failed);
	m->subject = db_str(a, r, i, MR_subject, &failed);
	m->received_at = db_str(a, r, i, MR_received, &failed);
	m->review = db_bool(r, i, MR_review);
	m->merge_number = db_str(a, r, i, MR_merge_number, &failed);
	m->merge_subject = db_str(a, r, i, MR_merge_subject, &failed);
	return failed ? CS_FAILED : CS_OK;
}

int
mail_review_send(struct db_pipe *pipe, struct arena *a, long long ticket_id)
{
	const char **p = arena_alloc(a, sizeof(*p));

	if (p == NULL || (p[0] = db_param_ll(a, ticket_id)) == NULL)
		return -1;
	return db_pipe_add(pipe, &stmts[ST_ITEMS], p);
}

enum cs_result
mail_review_take(struct db_pipe *pipe, int slot, struct arena *a,
    struct mail_review_item **items, size_t *n)
{
	void *out;
	enum cs_result rc = db_pipe_rows(pipe, slot, a, sizeof(**items), fill, &out, n);

	*items = out;
	return rc;
}

enum cs_result
mail_review_decide(struct db *db, long long staff_id, long long ticket_id, long long mail_id,
    int accept)
{
	struct event_actor by = { "staff", staff_id };
	char tid[24], sid[24], mid[24], comment[24], payload[96];
	const char *outcome = accept ? "accepted" : "dismissed";
	const char *dp[] = { tid, mid, sid, outcome }, *pp[] = { comment };
	const char *hp[] = { tid, sid, outcome };
	enum cs_result rc;
	PGresult *r;

	snprintf(tid, sizeof(tid), "%lld", ticket_id);
	snprintf(sid, sizeof(sid), "%lld", staff_id);
	snprintf(mid, sizeof(mid), "%lld", mail_id);
	snprintf(payload, sizeof(payload), "{\"mail_id\": %lld, \"outcome\": \"%s\"}", mail_id,
	    outcome);
	if (db_begin(db) < 0)
		return db_result(db);
	if ((r = db_exec(db, &stmts[ST_DECIDE], dp)) == NULL)
		return db_end(db, db_result(db));
	if (PQntuples(r) != 1) {
		PQclear(r);
		/* None: decided already (by a colleague), or no such message here. */
		return db_end(db, CS_CONFLICT);
	}
	snprintf(comment, sizeof(comment), "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
	rc = accept && strcmp(comment, "0") != 0 ? db_do(db, &stmts[ST_PUBLISH], pp) : CS_OK;
	if (rc == CS_OK)
		rc = db_do(db, &stmts[ST_HISTORY], hp);
	if (rc == CS_OK)
		rc = events_append(db, "ticket", ticket_id, "ticket.mail_reviewed", &by, payload);
	return db_end(db, rc);
}

enum cs_result
mail_review_merge_dismiss(struct db *db, long long staff_id, long long ticket_id,
    long long mail_id)
{
	char tid[24], mid[24];
	const char *p[] = { tid, mid };

	(void)staff_id;
	snprintf(tid, sizeof(tid), "%lld", ticket_id);
	snprintf(mid, sizeof(mid), "%lld", mail_id);
	return db_update_one(db, &stmts[ST_MERGE_DISMISS], p);
}
