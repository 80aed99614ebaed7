/* kb_suggest.c — see kb_suggest.h. */
#include "domain/kb_suggest.h"
#include "core/arena.h"
#include "core/buf.h"
#include "db/db.h"
#include "domain/kb_int.h"
#include "domain/kb_query.h"

#include <stdio.h>
#include <string.h>

/*
 * One row per stored article in order, or one row of NULLs: stored says
 * whether a list for the present version was there (it may be empty, or
 * name articles since unpublished, which are left out), version is the
 * version now.
 */
#define STORED_MORE(X) \
	X(SS, version, "st.v") X(SS, stored, "s.ticket_id IS NOT NULL")
enum { SS_before_ = KB_REF__END - 1, STORED_MORE(DB_COL_POS_) };

enum stmt {
	ST_STORED,
	ST_STORE,
	ST__MAX
};

static struct db_stmt stmts[] = {
	[ST_STORED] = DB_STMT("kb_ticket_suggestions",
	    "SELECT " DB_COLS(KB_REF_COLS) STORED_MORE(DB_COL_SQL_)
	    " FROM (SELECT version AS v FROM kb_state) st"
	    " LEFT JOIN kb_ticket_suggestions s ON s.ticket_id = $2 AND s.kb_version = st.v"
	    " LEFT JOIN LATERAL unnest(s.article_ids) WITH ORDINALITY AS u (id, n) ON true"
	    " LEFT JOIN kb_articles a ON a.id = u.id AND" KB_PUBLISHED("a")
	    " LEFT JOIN kb_categories c ON c.id = a.category_id"
	    " ORDER BY u.n", 2),
	/* Stored only while the subject is still the one searched for. */
	[ST_STORE] = DB_STMT("kb_ticket_suggestions_store",
	    "INSERT INTO kb_ticket_suggestions AS s (ticket_id, kb_version, article_ids)"
	    " SELECT t.id, $2, $3::bigint[] FROM tickets t WHERE t.id = $1 AND t.subject = $4"
	    " ON CONFLICT (ticket_id) DO UPDATE SET kb_version = EXCLUDED.kb_version,"
	    " article_ids = EXCLUDED.article_ids, computed_at = now()", 4),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "a statement per enum");

/* The stored list: *stored 0 when there is none for the present version. */
static enum cs_result
stored(struct db *db, struct arena *a, long long ticket_id, struct kb_results *out,
    long long *version, int *found)
{
	const char *p[] = { kb_audience_param(KB_STAFF), db_param_ll(a, ticket_id) };
	PGresult *res;
	int i, n, failed = 0;

	if (p[1] == NULL)
		return CS_FAILED;
	if ((res = db_exec(db, &stmts[ST_STORED], p)) == NULL)
		return db_result(db);
	n = PQntuples(res);
	*version = n > 0 ? db_ll(res, 0, SS_version) : 0;
	*found = n > 0 && db_bool(res, 0, SS_stored);
	if (*found && (out->rows = arena_calloc(a, (size_t)n, sizeof(*out->rows))) == NULL)
		failed = 1;
	for (i = 0; *found && !failed && i < n; i++) {
		if (PQgetisnull(res, i, KB_REF_id))
			continue;
		failed = kb_fill_ref(a, res, i, &out->rows[out->n]) != CS_OK;
		out->n += !failed;
	}
	PQclear(res);
	out->total = (long long)out->n;
	return failed ? CS_FAILED : CS_OK;
}

enum cs_result
kb_ticket_suggestions(struct db *db, struct arena *a, long long ticket_id,
    const char *subject, int limit, struct kb_results *out)
{
	struct kb_search s = { 0 };
	const char *p[4];
	long long version = 0;
	struct buf ids;
	size_t i;
	int found = 0;
	enum cs_result rc;

	memset(out, 0, sizeof(*out));
	if ((rc = stored(db, a, ticket_id, out, &version, &found)) != CS_OK || found)
		return rc;
	/* The subject suggests by any of its words: it is a sentence, not a search. */
	if ((s.q = kb_query_normalise(a, subject)) == NULL)
		return CS_FAILED;
	s.aud = KB_STAFF;
	s.limit = limit;
	s.any_word = 1;
	if ((rc = kb_search_run(db, a, &s, out)) != CS_OK)
		return rc;
	buf_init(&ids, a);
	buf_addch(&ids, '{');
	for (i = 0; i < out->n; i++)
		buf_printf(&ids, "%s%lld", i > 0 ? "," : "", out->rows[i].id);
	buf_addch(&ids, '}');
	if (buf_failed(&ids))
		return CS_FAILED;
	p[0] = db_param_ll(a, ticket_id);
	p[1] = db_param_ll(a, version);
	p[2] = ids.buf;
	p[3] = subject;
	if (p[0] == NULL || p[1] == NULL)
		return CS_FAILED;
	/* A page that could not store its list still shows it; inside a
	 * transaction a failure would abort the caller's, so nothing is stored. */
	if (db->depth > 0)
		return CS_OK;
	if (db_run(db, &stmts[ST_STORE], p) < 0 && db_lost(db))
		return CS_DB_LOST;
	return CS_OK;
}
