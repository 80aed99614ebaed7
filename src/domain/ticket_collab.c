/* ticket_collab.c — see ticket_collab.h. */
#include "domain/ticket_collab.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/events.h"
#include "domain/mentions.h"
#include "domain/ticket_filter.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STR(x) #x
#define XSTR(x) STR(x)
#define TTL "interval '" XSTR(COLLAB_PRESENCE_TTL) " seconds'"

/* A history row on one ticket by a staff member: $1 ticket, $2 staff, $3 field, $4 old, $5 new. */
#define HISTORY_SQL "INSERT INTO ticket_events (ticket_id, actor_kind, actor_id, field," \
	" old_value, new_value) VALUES ($1::bigint, 'staff', $2::bigint, $3, $4, $5)"

#define FIND_COLS(X) X(FD, id, "id")
enum { DB_COL_ENUM(FIND_COLS) };
#define NUMBER_COLS(X) X(NB, number, "number")
enum { DB_COL_ENUM(NUMBER_COLS) };
/* Both tickets' numbers, for the history rows. */
#define PAIR_COLS(X) X(PR, number, "t.number") X(PR, other, "o.number")
enum { DB_COL_ENUM(PAIR_COLS) };
#define MERGE_COLS(X) X(MG, outcome, "ticket_merge($1::bigint, $2::bigint, $3::bigint)")
enum { DB_COL_ENUM(MERGE_COLS) };
#define COLLEAGUE_COLS(X) X(CL, id, "s.id") X(CL, name, "s.name")
enum { DB_COL_ENUM(COLLEAGUE_COLS) };

enum stmt {
	STMT_TYPING,
	STMT_TYPING_END,
	STMT_FIND,
	STMT_NUMBER,
	STMT_LINKED,
	STMT_LINK,
	STMT_UNLINK,
	STMT_TOUCH,
	STMT_HISTORY,
	STMT_MERGE,
	STMT_COLLEAGUES,
	STMT__MAX
};

static struct db_stmt stmts[] = {
	[STMT_TYPING] = DB_STMT("collab_typing",
	    "INSERT INTO ticket_presence AS p (ticket_id, staff_id, typing_since, typing_at)"
	    " SELECT t.id, $2::bigint, now(), now() FROM tickets t WHERE t.number = $1"
	    " ON CONFLICT (ticket_id, staff_id) DO UPDATE SET seen_at = now(), typing_at = now(),"
	    " since = CASE WHEN p.seen_at < now() - " TTL " THEN now() ELSE p.since END,"
	    " typing_since = CASE WHEN p.typing_at IS NULL OR p.typing_at < now() - " TTL
	    " THEN now() ELSE p.typing_since END RETURNING 1", 2),
	[STMT_TYPING_END] = DB_STMT("collab_typing_end",
	    "UPDATE ticket_presence p SET typing_at = NULL, typing_since = NULL FROM tickets t"
	    " WHERE t.number = $1 AND p.ticket_id = t.id AND p.staff_id = $2::bigint"
	    " AND p.typing_at IS NOT NULL RETURNING 1", 2),
	[STMT_FIND] = DB_STMT("collab_find",
	    "SELECT " DB_COLS(FIND_COLS) " FROM tickets WHERE number = $1", 1),
	[STMT_NUMBER] = DB_STMT("collab_number",
	    "SELECT " DB_COLS(NUMBER_COLS) " FROM tickets WHERE id = $1::bigint", 1),
	[STMT_LINKED] = DB_STMT("collab_linked",
	    "SELECT 1 FROM ticket_links WHERE (ticket_id = $1::bigint AND other_id = $2::bigint)"
	    " OR (ticket_id = $2::bigint AND other_id = $1::bigint)", 2),
	[STMT_LINK] = DB_STMT("collab_link",
	    "WITH i AS (INSERT INTO ticket_links (ticket_id, other_id, kind)"
	    "  VALUES ($1::bigint, $2::bigint, 'related') RETURNING 1)"
	    " SELECT " DB_COLS(PAIR_COLS) " FROM tickets t, tickets o"
	    " WHERE t.id = $1::bigint AND o.id = $2::bigint AND EXISTS (SELECT 1 FROM i)", 2),
	[STMT_UNLINK] = DB_STMT("collab_unlink",
	    "WITH d AS (DELETE FROM ticket_links WHERE kind = 'related'"
	    "  AND ((ticket_id = $1::bigint AND other_id = $2::bigint)"
	    "  OR (ticket_id = $2::bigint AND other_id = $1::bigint)) RETURNING 1)"
	    " SELECT " DB_COLS(PAIR_COLS) " FROM tickets t, tickets o"
	    " WHERE t.id = $1::bigint AND o.id = $2::bigint AND EXISTS (SELECT 1 FROM d)", 2),
	[STMT_TOUCH] = DB_STMT("collab_touch",
	    "UPDATE tickets SET version = version + 1, updated_at = now()"
	    " WHERE id = ANY (ARRAY[$1::bigint, $2::bigint])", 2),
	[STMT_HISTORY] = DB_STMT("collab_event", HISTORY_SQL, 5),
	[STMT_MERGE] = DB_STMT("collab_merge", "SELECT " DB_COLS(MERGE_COLS), 3),
	[STMT_COLLEAGUES] = DB_STMT("collab_colleagues",
	    "SELECT " DB_COLS(COLLEAGUE_COLS) " FROM staff s WHERE s.active AND s.id <> $2::bigint"
	    " AND split_part(s.email, '@', 1) = ANY ($1::text[]) ORDER BY s.id", 2),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == STMT__MAX, "one statement per enum stmt");

struct num {
	char s[24];
};

static const char *
num(struct num *n, long long v)
{
	snprintf(n->s, sizeof(n->s), "%lld", v);
	return n->s;
}

static enum cs_result
refuse(const char **why, const char *text)
{
	*why = text;
	return CS_REFUSED;
}

static enum cs_result
history(struct db *db, long long ticket_id, long long staff_id, const char *field,
    const char *old_value, const char *new_value)
{
	struct num t, s;
	const char *p[] = { num(&t, ticket_id), num(&s, staff_id), field, old_value, new_value };

	return db_do(db, &stmts[STMT_HISTORY], p);
}

/* Appends event type on ticket_id by staff_id with payload o (taken). */
static enum cs_result
append(struct db *db, long long staff_id, long long ticket_id, const char *type, json_t *o)
{
	struct event_actor by = { "staff", staff_id };
	char *payload = o != NULL ? json_dumps(o, JSON_COMPACT) : NULL;
	enum cs_result rc = CS_FAILED;

	if (payload != NULL)
		rc = events_append(db, "ticket", ticket_id, type, &by, payload);
	free(payload);
	json_decref(o);
	return rc;
}

/* An event on ticket_id about the other ticket of a link. */
static enum cs_result
link_event(struct db *db, long long staff_id, long long ticket_id, const char *type,
    long long other_id, const char *other_number)
{
	return append(db, staff_id, ticket_id, type, json_pack("{s:I, s:s}", "other_id",
	    (json_int_t)other_id, "other_number", other_number));
}

enum cs_result
collab_presence_typing(struct db *db, const char *number, long long staff_id, int typing)
{
	struct num s;
	const char *p[] = { number, num(&s, staff_id) };
	PGresult *r = db_exec(db, &stmts[typing ? STMT_TYPING : STMT_TYPING_END], p);
	int found;

	if (r == NULL)
		return db_result(db);
	found = PQntuples(r) > 0;
	PQclear(r);
	/* Ending a stretch of writing that had none is no error. */
	return found || !typing ? CS_OK : CS_NOT_FOUND;
}

/* The id of the ticket called number into *id: CS_OK, CS_NOT_FOUND or the failure. */
static enum cs_result
find(struct db *db, const char *number, long long *id)
{
	const char *p[] = { number };

	return db_id(db, &stmts[STMT_FIND], p, FD_id, id);
}

/*
 * Runs STMT_LINK or STMT_UNLINK for ticket_id and other (params p) and
 * records the history rows and events on both sides. CS_NOT_FOUND when
 * there was nothing to do.
 */
static enum cs_result
link_change(struct db *db, enum stmt st, const char *const *p, long long staff_id,
    long long ticket_id, long long other)
{
	PGresult *r = db_exec(db, &stmts[st], p);
	int added = st == STMT_LINK;
	const char *type = added ? "ticket.linked" : "ticket.unlinked";
	const char *mine, *theirs;
	enum cs_result rc;

	if (r == NULL)
		return db_result(db);
	if (PQntuples(r) != 1) {
		PQclear(r);
		return CS_NOT_FOUND;
	}
	mine = PQgetvalue(r, 0, PR_number);
	theirs = PQgetvalue(r, 0, PR_other);
	/* Added: after is the other's number; removed: before is. */
	if ((rc = history(db, ticket_id, staff_id, "link", added ? NULL : theirs,
	    added ? theirs : NULL)) == CS_OK &&
	    (rc = history(db, other, staff_id, "link", added ? NULL : mine,
	    added ? mine : NULL)) == CS_OK &&
	    (rc = link_event(db, staff_id, ticket_id, type, other, theirs)) == CS_OK &&
	    (rc = link_event(db, staff_id, other, type, ticket_id, mine)) == CS_OK &&
	    db_run(db, &stmts[STMT_TOUCH], p) < 0)
		rc = db_result(db);
	PQclear(r);
	return rc;
}

/* Inside the transaction: the checks, then the link. */
static enum cs_result
link_add(struct db *db, long long staff_id, long long ticket_id, const char *other_number,
    const char **why)
{
	struct num t, o;
	const char *p[2];
	long long other;
	PGresult *r;
	int linked;
	enum cs_result rc = find(db, other_number, &other);

	if (rc == CS_NOT_FOUND)
		return refuse(why, "There is no ticket with that number.");
	if (rc != CS_OK)
		return rc;
	if (other == ticket_id)
		return refuse(why, "A ticket cannot be linked to itself.");
	p[0] = num(&t, ticket_id);
	p[1] = num(&o, other);
	if ((r = db_exec(db, &stmts[STMT_LINKED], p)) == NULL)
		return db_result(db);
	linked = PQntuples(r) > 0;
	PQclear(r);
	if (linked)
		return refuse(why, "These tickets are already linked.");
	rc = link_change(db, STMT_LINK, p, staff_id, ticket_id, other);
	return rc == CS_NOT_FOUND ? CS_FAILED : rc;
}

enum cs_result
collab_link_add(struct db *db, long long staff_id, long long ticket_id, const char *other_number,
    const char **why)
{
	*why = NULL;
	if (db_begin(db) < 0)
		return db_result(db);
	return db_end(db, link_add(db, staff_id, ticket_id, other_number, why));
}

enum cs_result
collab_link_remove(struct db *db, long long staff_id, long long ticket_id, long long other_id)
{
	struct num t, o;
	const char *p[] = { num(&t, ticket_id), num(&o, other_id) };

	if (db_begin(db) < 0)
		return db_result(db);
	return db_end(db, link_change(db, STMT_UNLINK, p, staff_id, ticket_id, other_id));
}

/* What ticket_merge's refusals mean to the agent. */
static const struct {
	const char *code, *why;
} merge_refusals[] = {
	{ "self", "A ticket cannot be merged into itself." },
	{ "not_found", "There is no ticket with that number." },
	{ "other_customer", "That ticket belongs to another customer: only a customer's own "
	    "tickets can be merged." },
	{ "target_closed", "That ticket is closed or cancelled: merge into an open one." },
	{ "source_closed", "This ticket is closed or cancelled already." },
};

/* A one-column, one-row statement's text into *out (NULL when no row). */
static enum cs_result
one_text(struct db *db, struct arena *a, enum stmt st, const char *const *p, int col,
    const char **out)
{
	PGresult *r = db_exec(db, &stmts[st], p);
	int failed = 0;

	*out = NULL;
	if (r == NULL)
		return db_result(db);
	if (PQntuples(r) == 1)
		*out = db_str(a, r, 0, col, &failed);
	PQclear(r);
	return failed || *out == NULL ? CS_FAILED : CS_OK;
}

/* Inside the transaction: ticket_merge and its event. */
static enum cs_result
merge(struct db *db, struct arena *a, long long staff_id, long long source_id,
    const char *target_number, const char **why)
{
	struct num s, t, by;
	const char *p[3], *outcome, *source_number;
	long long target_id;
	enum cs_result rc = find(db, target_number, &target_id);
	size_t i;

	if (rc == CS_NOT_FOUND)
		return refuse(why, "There is no ticket with that number.");
	if (rc != CS_OK)
		return rc;
	p[0] = num(&s, source_id);
	p[1] = num(&t, target_id);
	p[2] = num(&by, staff_id);
	if ((rc = one_text(db, a, STMT_MERGE, p, MG_outcome, &outcome)) != CS_OK)
		return rc;
	if (strcmp(outcome, "merged") != 0) {
		rc = refuse(why, "The merge was refused.");
		for (i = 0; i < sizeof(merge_refusals) / sizeof(merge_refusals[0]); i++)
			if (strcmp(outcome, merge_refusals[i].code) == 0)
				*why = merge_refusals[i].why;
		return rc;
	}
	/* The source's number, for the mail that follows from the event. */
	if ((rc = one_text(db, a, STMT_NUMBER, p, NB_number, &source_number)) != CS_OK)
		return rc;
	return append(db, staff_id, source_id, "ticket.merged", json_pack("{s:s, s:I, s:s}",
	    "number", source_number, "target_id", (json_int_t)target_id, "target_number",
	    target_number));
}

enum cs_result
collab_merge(struct db *db, struct arena *a, long long staff_id, long long source_id,
    const char *target_number, const char **target, const char **why)
{
	enum cs_result rc;

	*target = NULL;
	*why = NULL;
	if (db_begin(db) < 0)
		return db_result(db);
	rc = db_end(db, merge(db, a, staff_id, source_id, target_number, why));
	if (rc == CS_OK && (*target = arena_strdup(a, target_number)) == NULL)
		rc = CS_FAILED;
	return rc;
}

enum cs_result
collab_mentions_record(struct db *db, struct arena *a, long long ticket_id, long long author_id,
    const char *body, long long **ids, size_t *n)
{
	const char *handles[MENTIONS_MAX];
	struct num by;
	const char *p[2];
	size_t found;
	PGresult *r;
	int rows, k, failed = 0;
	enum cs_result rc = CS_OK;

	*ids = NULL;
	*n = 0;
	found = mentions_parse(a, body, strlen(body), handles, MENTIONS_MAX);
	if (found == 0)
		return CS_OK;
	/* Handles hold no quote or backslash (mention_char): safe quoted. */
	if ((p[0] = tl_words_param(a, handles, found)) == NULL)
		return CS_FAILED;
	p[1] = num(&by, author_id);
	if ((r = db_exec(db, &stmts[STMT_COLLEAGUES], p)) == NULL)
		return db_result(db);
	rows = PQntuples(r);
	if (rows > 0 && (*ids = arena_calloc(a, (size_t)rows, sizeof(**ids))) == NULL)
		rc = CS_FAILED;
	for (k = 0; k < rows && rc == CS_OK; k++) {
		const char *name = db_str(a, r, k, CL_name, &failed);

		if (failed)
			rc = CS_FAILED;
		else if ((rc = history(db, ticket_id, author_id, "mention", NULL, name)) == CS_OK)
			(*ids)[(*n)++] = db_ll(r, k, CL_id);
	}
	PQclear(r);
	return rc;
}
