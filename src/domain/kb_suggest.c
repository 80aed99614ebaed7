/* kb_suggest.c — see kb_suggest.h. */
#include "domain/kb_suggest.h"
#include "core/arena.h"
#include "core/buf.h"
#include "db/db.h"
#include "domain/kb_int.h"
#include "domain/events.h"
#include "domain/kb_query.h"
#include "domain/tickets.h"

#include <stdio.h>
#include <string.h>

/*
 * One row per stored article in order, or one row of NULLs: stored says
 * whether a list was there (it may be empty, or name articles since
 * unpublished, which are left out).
 */
#define STORED_MORE(X) X(SS, stored, "s.ticket_id IS NOT NULL")
enum { SS_before_ = KB_REF__END - 1, STORED_MORE(DB_COL_POS_) };

enum stmt {
	ST_STORED,
	ST_STORED_NUMBER,
	ST_FIND_STORE,
	ST__MAX
};

static struct db_stmt stmts[] = {
#define STORED_SQL(ticket) \
	    "SELECT " DB_COLS(KB_REF_COLS) STORED_MORE(DB_COL_SQL_) \
	    " FROM (SELECT 1) one" \
	    " LEFT JOIN kb_ticket_suggestions s ON s.ticket_id = " ticket \
	    " LEFT JOIN LATERAL unnest(s.article_ids) WITH ORDINALITY AS u (id, n) ON true" \
	    " LEFT JOIN kb_articles a ON a.id = u.id AND" KB_PUBLISHED("a") \
	    " LEFT JOIN kb_categories c ON c.id = a.category_id" \
	    " ORDER BY u.n"
	[ST_STORED] = DB_STMT("kb_ticket_suggestions", STORED_SQL("$2"), 2),
	/* The same for the ticket numbered $2. */
	[ST_STORED_NUMBER] = DB_STMT("kb_ticket_suggestions_number",
	    STORED_SQL(TICKET_ID_OF("$2")), 2),
	/* The consumer's and the page's: the subject read, searched
	 * (kb_suggest_ids, the same list as kb_suggest_find's without a
	 * page's snippets and references) or the list of a ticket with the
	 * same query taken, and stored, unless a list is:
	 * sql/functions/440_kb_suggest.sql. */
	[ST_FIND_STORE] = DB_STMT("kb_ticket_suggest", "SELECT kb_ticket_suggest($1, $2::int)", 2),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "a statement per enum");

/* The stored list's rows into out; *stored 0 when there is none. */
static enum cs_result
stored_rows(const PGresult *res, struct arena *a, struct kb_results *out, int *stored)
{
	int i, n = PQntuples(res), failed = 0;

	memset(out, 0, sizeof(*out));
	*stored = n > 0 && db_bool(res, 0, SS_stored);
	if (*stored && (out->rows = arena_calloc(a, (size_t)n, sizeof(*out->rows))) == NULL)
		return CS_FAILED;
	for (i = 0; *stored && !failed && i < n; i++) {
		if (PQgetisnull(res, i, KB_REF_id))
			continue;
		failed = kb_fill_ref(a, res, i, &out->rows[out->n]) != CS_OK;
		out->n += !failed;
	}
	out->total = (long long)out->n;
	return failed ? CS_FAILED : CS_OK;
}

int
kb_ticket_suggestions_send_number(struct db_pipe *pipe, struct arena *a, const char *number)
{
	const char **p = arena_alloc(a, 2 * sizeof(*p));

	if (p == NULL)
		return -1;
	p[0] = kb_audience_param(KB_STAFF);
	p[1] = number;
	return db_pipe_add(pipe, &stmts[ST_STORED_NUMBER], p);
}

enum cs_result
kb_ticket_suggestions_take(const struct db_pipe *pipe, int slot, struct arena *a,
    struct kb_results *out, int *stored)
{
	const PGresult *res = db_pipe_result(pipe, slot);

	if (res == NULL)
		return CS_FAILED;
	return stored_rows(res, a, out, stored);
}

enum cs_result
kb_suggest_find(struct db *db, struct arena *a, const char *subject, int limit,
    struct kb_results *out, const char **ids)
{
	struct kb_search s = { 0 };
	struct buf b;
	size_t i;
	enum cs_result rc;

	/* The subject suggests by any of its words: it is a sentence, not a search. */
	if ((s.q = kb_query_normalise(a, subject)) == NULL)
		return CS_FAILED;
	s.aud = KB_STAFF;
	s.limit = limit;
	s.any_word = 1;
	if ((rc = kb_search_run(db, a, &s, out)) != CS_OK)
		return rc;
	buf_init(&b, a);
	buf_addch(&b, '{');
	for (i = 0; i < out->n; i++)
		buf_printf(&b, "%s%lld", i > 0 ? "," : "", out->rows[i].id);
	buf_addch(&b, '}');
	*ids = b.buf;
	return buf_failed(&b) ? CS_FAILED : CS_OK;
}

/* Finds and stores ticket_id's list of up to limit articles unless one is stored. */
static enum cs_result
find_store(struct db *db, struct arena *a, long long ticket_id, int limit)
{
	const char *p[] = { db_param_ll(a, ticket_id), db_param_ll(a, limit) };

	if (p[0] == NULL || p[1] == NULL)
		return CS_FAILED;
	return db_do(db, &stmts[ST_FIND_STORE], p);
}

/* The stored list of ticket_id into out; *found 0 when there is none. */
static enum cs_result
read_stored(struct db *db, struct arena *a, long long ticket_id, struct kb_results *out,
    int *found)
{
	const char *p[] = { kb_audience_param(KB_STAFF), db_param_ll(a, ticket_id) };
	PGresult *res;
	enum cs_result rc;

	if (p[1] == NULL)
		return CS_FAILED;
	if ((res = db_exec(db, &stmts[ST_STORED], p)) == NULL)
		return db_result(db);
	rc = stored_rows(res, a, out, found);
	PQclear(res);
	return rc;
}

enum cs_result
kb_ticket_suggestions(struct db *db, struct arena *a, long long ticket_id, int limit,
    struct kb_results *out)
{
	enum cs_result rc;
	int found = 0;

	if ((rc = read_stored(db, a, ticket_id, out, &found)) != CS_OK || found)
		return rc;
	/* None yet (the consumer has not run, or the subject changed): found
	 * and stored as the consumer does, then read as the page reads it. */
	if ((rc = find_store(db, a, ticket_id, limit)) != CS_OK)
		return rc;
	return read_stored(db, a, ticket_id, out, &found);
}

enum cs_result
kb_ticket_suggest_store(struct db *db, struct arena *a, long long ticket_id)
{
	return find_store(db, a, ticket_id, KB_SUGGEST_MAX);
}

enum cs_result
kb_suggest_handle(struct db *db, struct arena *a, const struct event *e, void *ctx)
{
	(void)ctx;
	if (strcmp(e->aggregate, "ticket") != 0 || (strcmp(e->type, "ticket.created") != 0 &&
	    strcmp(e->type, "ticket.fields_changed") != 0))
		return CS_OK;
	return kb_ticket_suggest_store(db, a, e->aggregate_id);
}
