/* kb_search.c — see kb_search.h. */
#include "domain/kb_search.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/kb_int.h"
#include "domain/kb_query.h"
#include "domain/kb_words.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

/*
 * Search. A query as broad as one common word can match most of the
 * table; ranking every match would cost as much as the table is large.
 * So only a bounded set of candidates is ranked, title matches first,
 * and "more" says the count is a floor: kb_search_candidates in SQL
 * (sql/functions/290_kb_speed.sql) says how they are chosen without
 * reading every match. Below the bounds — most real queries — every match
 * is ranked. A page is one statement: kb_search_page makes the retries
 * (corrected, any word) itself, the correction coming from the word list
 * this worker keeps; the statement also returns the numbers that say
 * whether the kept word and category lists are out of date (a row with no
 * article when nothing matched). The snippet is made here (kb_snippet.c)
 * for the page shown, from the text as saved without its Markdown
 * (kb_articles.snippet_text) and the word forms the statement says match.
 */
/* After the reference's columns: the snippet's text and the words it marks, the count and whether it is
 * a floor, what the results are for, and kb_state's numbers. */
#define SEARCH_MORE(X) \
	X(SR, text, "a.snippet_text") X(SR, marks, "coalesce(r.marks, '')") \
	X(SR, total, "r.total") X(SR, more, "r.more") X(SR, shown, "r.shown") \
	X(SR, any_word, "r.any_word") X(SR, words, "s.words") X(SR, categories, "s.categories")
enum { SR_before_ = KB_REF__END - 1, SEARCH_MORE(DB_COL_POS_) };

enum stmt {
	ST_SEARCH,
	ST_LOG,
	ST_OPENED,
	ST_TICKET,
	ST__MAX
};

static struct db_stmt stmts[] = {
	[ST_SEARCH] = DB_STMT("kb_search",
	    "SELECT " DB_COLS(KB_REF_COLS) SEARCH_MORE(DB_COL_SQL_)
	    " FROM kb_state s LEFT JOIN LATERAL kb_search_page($1::text[], $2, $3, $4::boolean,"
	    " $5::boolean, $6::int, $7::bigint, $8, $9::int, $10::int, $11, $12) r ON true"
	    " LEFT JOIN kb_articles a ON a.id = r.id LEFT JOIN kb_categories c ON c.id = a.category_id"
	    " ORDER BY r.rank DESC, a.id DESC", 12),
	[ST_LOG] = DB_STMT("kb_search_log", "SELECT kb_search_log($1, $2, $3, $4)", 4),
	[ST_OPENED] = DB_STMT("kb_search_opened", "SELECT kb_search_opened($1, $2)", 2),
	[ST_TICKET] = DB_STMT("kb_search_ticket", "SELECT kb_search_ticket($1, $2)", 2),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "a statement per enum");

/* A row of a search: the reference (none on the row that only carries
 * kb_state's numbers), and the page's figures. */
struct search_row {
	struct kb_article_ref ref;
	int article;
	long long total;
	int more;
	const char *shown;
	int any_word;
	long long words, categories;
};

static enum cs_result
fill_search(struct arena *a, const PGresult *res, int i, void *elem)
{
	struct search_row *s = elem;
	int failed = 0;

	s->words = db_ll(res, i, SR_words);
	s->categories = db_ll(res, i, SR_categories);
	if (PQgetisnull(res, i, KB_REF_id))
		return CS_OK;
	s->article = 1;
	if (kb_fill_ref(a, res, i, &s->ref) != CS_OK ||
	    (s->ref.snippet = kb_snippet_make(a, PQgetvalue(res, i, SR_text),
	    PQgetvalue(res, i, SR_marks))) == NULL)
		return CS_FAILED;
	s->total = db_ll(res, i, SR_total);
	s->more = db_bool(res, i, SR_more);
	s->any_word = db_bool(res, i, SR_any_word);
	if (!PQgetisnull(res, i, SR_shown))
		s->shown = db_str(a, res, i, SR_shown, &failed);
	return failed ? CS_FAILED : CS_OK;
}

/* The statement, with fixed the worker's correction of the query (NULL: none). */
static enum cs_result
search_page(struct db *db, struct arena *a, const struct kb_search *s, const char *fixed,
    int fix_here, int words, struct kb_results *out)
{
	char nw[16], cat[24], lim[16], off[16];
	const char *p[] = { kb_audience_param(s->aud), s->q, fixed, fix_here ? "t" : "f",
		s->any_word ? "t" : "f", nw, cat, s->type ? s->type : "", lim, off,
		s->record_token, s->record_token ? s->record_source : NULL };
	struct search_row *rows;
	void *got;
	size_t i, n;
	enum cs_result rc;

	snprintf(nw, sizeof(nw), "%d", words);
	snprintf(cat, sizeof(cat), "%lld", s->category_id);
	snprintf(lim, sizeof(lim), "%d", s->limit);
	snprintf(off, sizeof(off), "%d", s->offset);
	rc = db_rows(db, a, &stmts[ST_SEARCH], p, sizeof(*rows), fill_search, &got, &n);
	if (rc != CS_OK)
		return rc;
	rows = got;
	memset(out, 0, sizeof(*out));
	if (n == 0)	/* kb_state has its row: not reached */
		return CS_FAILED;
	out->words_version = rows[0].words;
	out->categories_version = rows[0].categories;
	if (rows[0].article) {
		out->n = n;
		out->total = rows[0].total;
		out->more = rows[0].more;
		out->corrected = rows[0].shown;
		out->any_word = rows[0].any_word;
		if ((out->rows = arena_calloc(a, n, sizeof(*out->rows))) == NULL)
			return CS_FAILED;
		for (i = 0; i < n; i++)
			out->rows[i] = rows[i].ref;
	}
	/* Past the last page the window count is not there: say "some". */
	if (out->n == 0 && s->offset > 0)
		out->total = -1;
	return CS_OK;
}

/* Whether two corrections (either NULL) differ. */
static int
fix_differs(const char *x, const char *y)
{
	return (x == NULL) != (y == NULL) || (x != NULL && strcmp(x, y) != 0);
}

enum cs_result
kb_search_run(struct db *db, struct arena *a, const struct kb_search *s,
    struct kb_results *out)
{
	const char *fixed = NULL, *again;
	int words = kb_query_words(s->q), fix_here = 0;
	enum cs_result rc;

	memset(out, 0, sizeof(*out));
	if (s->q == NULL || s->q[0] == '\0')
		return CS_OK;
	/* The correction is worked out before it is known to be needed: from
	 * the kept list it costs next to nothing, and it saves a round trip. */
	if (!s->any_word && words <= 3 &&
	    (rc = kb_words_fix(db, a, s->q, &fixed, &fix_here)) != CS_OK)
		return rc;
	if ((rc = search_page(db, a, s, fixed, fix_here, words, out)) != CS_OK)
		return rc;
	if (s->any_word || words > 3 || fix_here || !kb_words_stale(out->words_version))
		return CS_OK;
	/* Words were published since the list was read: read it again, and
	 * search again only if the correction is not what it was. */
	if ((rc = kb_words_reload(db)) != CS_OK ||
	    (rc = kb_words_fix(db, a, s->q, &again, &fix_here)) != CS_OK)
		return rc;
	if (!fix_differs(fixed, again) && !fix_here)
		return CS_OK;
	return search_page(db, a, s, again, fix_here, words, out);
}

const char *
kb_search_token(struct arena *a)
{
	unsigned char raw[16];
	char *hex = arena_alloc(a, sizeof(raw) * 2 + 1);

	if (hex == NULL)
		return NULL;
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(hex, sizeof(raw) * 2 + 1, raw, sizeof(raw));
	return hex;
}

/* Tokens come from links: anything but 32 hex digits is ignored. */
int
kb_search_token_ok(const char *t)
{
	size_t i;

	if (t == NULL || strlen(t) != 32)
		return 0;
	for (i = 0; i < 32; i++)
		if (!((t[i] >= '0' && t[i] <= '9') || (t[i] >= 'a' && t[i] <= 'f')))
			return 0;
	return 1;
}

enum cs_result
kb_search_log(struct db *db, const char *token, const char *source, const char *query,
    long long results)
{
	char n[24];
	const char *p[] = { token, source, query, n };

	snprintf(n, sizeof(n), "%lld", results < 0 ? 0 : results);
	return db_do(db, &stmts[ST_LOG], p);
}

/* Runs st with the token and an id, when the token is one. */
static enum cs_result
token_run(struct db *db, enum stmt st, const char *token, long long id)
{
	char ids[24];
	const char *p[] = { token, ids };

	if (!kb_search_token_ok(token))
		return CS_OK;
	snprintf(ids, sizeof(ids), "%lld", id);
	return db_do(db, &stmts[st], p);
}

enum cs_result
kb_search_opened(struct db *db, const char *token, long long article_id)
{
	return token_run(db, ST_OPENED, token, article_id);
}

enum cs_result
kb_search_ticket(struct db *db, struct arena *a, long long ticket_id, const char *token)
{
	(void)a;
	return token_run(db, ST_TICKET, token, ticket_id);
}
