/* kb_auto_answer.c — see kb_auto_answer.h. */
#include "domain/kb_auto_answer.h"
#include "core/arena.h"
#include "core/buf.h"
#include "db/db.h"
#include "domain/kb_query.h"
#include "domain/kb_search.h"
#include "tmpl/tval.h"

#include <string.h>

#define TICKET_COLS(X) X(TK, subject, "t.subject")
enum { DB_COL_ENUM(TICKET_COLS) };
#define SOLVE_COLS(X) X(SV, outcome, "s.outcome") X(SV, number, "s.number")
enum { DB_COL_ENUM(SOLVE_COLS) };

enum stmt { ST_TICKET, ST_RECORD, ST_SOLVE, ST__MAX };

static struct db_stmt stmts[] = {
	/* Only what qualifies: open, low, a requester, no answer yet. */
	[ST_TICKET] = DB_STMT("kb_auto_answer_ticket",
	    "SELECT " DB_COLS(TICKET_COLS) " FROM tickets t"
	    " JOIN portal_users u ON u.id = t.requester_id AND u.active"
	    " WHERE t.id = $1::bigint AND t.priority = 'low' AND ticket_is_open(t.status)"
	    " AND NOT EXISTS (SELECT 1 FROM kb_auto_answers k WHERE k.ticket_id = t.id)", 1),
	[ST_RECORD] = DB_STMT("kb_auto_answer_record",
	    "INSERT INTO kb_auto_answers (ticket_id, token_sha256, article_ids)"
	    " VALUES ($1::bigint, encode(sha256(convert_to($2, 'UTF8')), 'hex'), $3::bigint[])"
	    " ON CONFLICT DO NOTHING", 3),
	[ST_SOLVE] = DB_STMT("kb_auto_answer_solve",
	    "SELECT " DB_COLS(SOLVE_COLS) " FROM kb_auto_answer_solve($1) s", 1),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

int
kb_auto_answer_token_ok(const char *token)
{
	return kb_search_token_ok(token);
}

/* The articles as {title, summary, link} ("kb_articles") and their ids as "{1,2}". */
static enum cs_result
articles_ctx(struct arena *a, const char *base_url, const struct kb_results *res,
    struct tval *ctx, const char **ids)
{
	struct tval *list = tval_list(a);
	struct buf b;
	size_t i;
	int rc = list == NULL;

	buf_init(&b, a);
	buf_addstr(&b, "{");
	for (i = 0; i < res->n && i < KB_AUTO_ANSWER_ARTICLES && !rc; i++) {
		const struct kb_article_ref *r = &res->rows[i];
		struct tval *m = tval_map(a);

		buf_printf(&b, "%s%lld", i > 0 ? "," : "", r->id);
		rc |= tval_set_str(a, m, "title", r->title);
		rc |= tval_set_str(a, m, "summary", r->summary != NULL ? r->summary : "");
		rc |= tval_set_str(a, m, "link", arena_printf(a, "%s/kb/a/%s", base_url, r->slug));
		rc |= tval_push(a, list, m);
	}
	buf_addstr(&b, "}");
	*ids = b.buf;
	return rc || buf_failed(&b) || tval_set(a, ctx, "kb_articles", list) ? CS_FAILED : CS_OK;
}

enum cs_result
kb_auto_answer_offer(struct db *db, struct arena *a, const char *base_url, long long ticket_id,
    struct tval *ctx, int *offered)
{
	const char *p[3] = { db_param_ll(a, ticket_id), NULL, NULL }, *ids = NULL;
	struct kb_search s = { 0 };
	struct kb_results res;
	enum cs_result rc;
	PGresult *t;

	*offered = 0;
	if (p[0] == NULL)
		return CS_FAILED;
	if ((t = db_exec(db, &stmts[ST_TICKET], p)) == NULL)
		return db_result(db);
	if (PQntuples(t) != 1) {
		PQclear(t);
		return CS_OK;
	}
	/* Every word of the subject, not any: only a good match is an answer. */
	s.q = kb_query_normalise(a, PQgetvalue(t, 0, TK_subject));
	PQclear(t);
	s.aud = KB_CUSTOMER;
	s.limit = KB_AUTO_ANSWER_ARTICLES;
	if (s.q == NULL || (p[1] = kb_search_token(a)) == NULL)
		return CS_FAILED;
	if (*s.q == '\0')
		return CS_OK;
	if ((rc = kb_search_run(db, a, &s, &res)) != CS_OK)
		return rc;
	if (res.n == 0 || res.any_word || res.corrected != NULL)
		return CS_OK;
	if ((rc = articles_ctx(a, base_url, &res, ctx, &ids)) != CS_OK ||
	    tval_set_str(a, ctx, "solved_link", arena_printf(a, "%s/tickets/solved/%s", base_url,
	    p[1])) < 0 || tval_set_bool(a, ctx, "kb_answer", 1) < 0)
		return CS_FAILED;
	p[2] = ids;
	if ((rc = db_do(db, &stmts[ST_RECORD], p)) == CS_OK)
		*offered = 1;
	return rc;
}

enum cs_result
kb_auto_answer_solve(struct db *db, struct arena *a, const char *token,
    enum kb_auto_answer_outcome *outcome, const char **number)
{
	const char *p[] = { token };
	enum cs_result rc = CS_OK;
	const char *o;
	PGresult *r;
	int failed = 0;

	*number = "";
	if (token == NULL || !kb_auto_answer_token_ok(token))
		return CS_NOT_FOUND;
	if (db_begin(db) < 0)
		return db_result(db);
	if ((r = db_exec(db, &stmts[ST_SOLVE], p)) == NULL)
		return db_end(db, db_result(db));
	if (PQntuples(r) != 1) {
		rc = CS_NOT_FOUND;
	} else {
		o = PQgetvalue(r, 0, SV_outcome);
		*outcome = strcmp(o, "solved") == 0 ? KB_ANSWER_SOLVED :
		    strcmp(o, "already") == 0 ? KB_ANSWER_ALREADY : KB_ANSWER_CLOSED;
		*number = db_str(a, r, 0, SV_number, &failed);
		if (failed)
			rc = CS_FAILED;
	}
	PQclear(r);
	return db_end(db, rc);
}
