/* kb_auto_answer.c — see kb_auto_answer.h. */
#include "domain/kb_auto_answer.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/log.h"
#include "db/db.h"
#include "domain/automation_run.h"
#include "domain/kb_query.h"
#include "domain/kb_search.h"
#include "domain/notify.h"
#include "tmpl/tval.h"

#include <string.h>

#define TICKET_COLS(X) X(TK, number, "t.number") X(TK, subject, "t.subject") \
	X(TK, name, "u.name") X(TK, email, "u.email")
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

/* The articles as {title, summary, link} and their ids as "{1,2}". */
static enum cs_result
articles_ctx(struct arena *a, const struct automation_env *env, const struct kb_results *res,
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
		rc |= tval_set_str(a, m, "link", arena_printf(a, "%s/kb/a/%s", env->base_url,
		    r->slug));
		rc |= tval_push(a, list, m);
	}
	buf_addstr(&b, "}");
	*ids = b.buf;
	return rc || buf_failed(&b) || tval_set(a, ctx, "articles", list) ? CS_FAILED : CS_OK;
}

/* The mail's context: site, ticket, recipient, articles and the link. */
static enum cs_result
answer_ctx(struct arena *a, const struct automation_env *env, const PGresult *t,
    const struct kb_results *res, const char *token, struct tval *ctx, const char **ids)
{
	struct tval *site = tval_map(a), *ticket = tval_map(a), *who = tval_map(a);
	int failed = 0;

	failed |= site == NULL || ticket == NULL || who == NULL;
	failed |= !failed && (tval_set_str(a, site, "name", env->site_name) ||
	    tval_set_str(a, ticket, "number", db_str(a, t, 0, TK_number, &failed)) ||
	    tval_set_str(a, ticket, "subject", db_str(a, t, 0, TK_subject, &failed)) ||
	    tval_set_str(a, who, "name", db_str(a, t, 0, TK_name, &failed)) ||
	    tval_set(a, ctx, "site", site) || tval_set(a, ctx, "ticket", ticket) ||
	    tval_set(a, ctx, "recipient", who) ||
	    tval_set_str(a, ctx, "solved_link", arena_printf(a, "%s/tickets/solved/%s",
	    env->base_url, token)) ||
	    tval_set_str(a, ctx, "link", arena_printf(a, "%s/tickets/%s", env->base_url,
	    PQgetvalue(t, 0, TK_number))));
	if (failed)
		return CS_FAILED;
	return articles_ctx(a, env, res, ctx, ids);
}

enum cs_result
kb_auto_answer_offer(struct db *db, struct arena *a, const struct automation_env *env,
    long long ticket_id, int *sent)
{
	const char *p[3] = { db_param_ll(a, ticket_id), NULL, NULL }, *email, *ids = NULL;
	struct kb_search s = { 0 };
	struct kb_results res;
	struct tval *ctx = tval_map(a);
	enum cs_result rc;
	PGresult *t;
	int failed = 0;

	*sent = 0;
	if (p[0] == NULL || ctx == NULL)
		return CS_FAILED;
	if ((t = db_exec(db, &stmts[ST_TICKET], p)) == NULL)
		return db_result(db);
	if (PQntuples(t) != 1 || env->set == NULL) {
		PQclear(t);
		return CS_OK;
	}
	/* Every word of the subject, not any: only a good match is an answer. */
	s.q = kb_query_normalise(a, PQgetvalue(t, 0, TK_subject));
	s.aud = KB_CUSTOMER;
	s.limit = KB_AUTO_ANSWER_ARTICLES;
	email = db_str(a, t, 0, TK_email, &failed);
	if (s.q == NULL || failed || (p[1] = kb_search_token(a)) == NULL) {
		PQclear(t);
		return CS_FAILED;
	}
	rc = *s.q == '\0' ? CS_OK : kb_search_run(db, a, &s, &res);
	if (rc != CS_OK || *s.q == '\0' || res.n == 0 || res.any_word || res.corrected != NULL ||
	    !notify_address_ok(email)) {
		PQclear(t);
		return rc;
	}
	rc = answer_ctx(a, env, t, &res, p[1], ctx, &ids);
	PQclear(t);
	p[2] = ids;
	if (rc == CS_OK)
		rc = db_do(db, &stmts[ST_RECORD], p);
	if (rc != CS_OK)
		return rc;
	if (notify_enqueue(db, env->set, a, "kb_auto_answer", email, "kb_auto_answer", ctx) == CS_OK) {
		*sent = 1;
		return CS_OK;
	}
	/* A mail that cannot be made is skipped; a database that failed fails. */
	if (!db_tx_healthy(db))
		return db_result(db);
	log_warn("kb_auto_answer: ticket %lld: the answer could not be queued; skipped", ticket_id);
	return CS_OK;
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
