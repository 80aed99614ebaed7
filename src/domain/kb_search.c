/* kb_search.c — see kb_search.h. */
#include "domain/kb_search.h"
#include "core/arena.h"
#include "core/buf.h"
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
 * and "more" says the count is a floor: kb_search_ranked in SQL
 * (sql/functions/120_kb.sql) says how they are chosen and why its plans
 * are kept. Below the bounds — most real queries — every match is
 * ranked. The snippet is made only for the page shown, from the text as
 * saved without its Markdown (kb_articles.snippet_text).
 */
/*
 * The query's words: all of them, or (any) one of them. Two statements
 * rather than one choosing with a parameter: folding that choice away
 * made the planner plan the statement afresh on every search.
 */
#define QUERY_ALL "websearch_to_tsquery('english', $2)"
#define QUERY_ANY "replace(replace(websearch_to_tsquery('english', $2)::text," \
	" '&', '|'), '!', '')::tsquery"
/* After the reference's columns: the snippet, the count, and whether it is a floor. */
#define SEARCH_MORE(X) \
	X(SR, snippet, "ts_headline(kb_ts_config(a.language), a.snippet_text, q.q," \
	" 'StartSel=' || chr(1) || ', StopSel=' || chr(2) ||" \
	" ', MaxWords=28, MinWords=12, MaxFragments=2, FragmentDelimiter=\" … \"')") \
	X(SR, total, "r.total") X(SR, more, "r.more")
enum { SR_before_ = KB_REF__END - 1, SEARCH_MORE(DB_COL_POS_) };

enum stmt {
	ST_SEARCH,
	ST_SEARCH_ANY,
	ST_LOG,
	ST_OPENED,
	ST_TICKET,
	ST__MAX
};

#define SEARCH_SQL(query) \
	"WITH q AS (SELECT " query " AS q)" \
	" SELECT " DB_COLS(KB_REF_COLS) SEARCH_MORE(DB_COL_SQL_) \
	" FROM q, kb_search_ranked($1::text[], q.q, $3::bigint, $4::text, $5::int, $6::int) r" \
	" JOIN kb_articles a ON a.id = r.id JOIN kb_categories c ON c.id = a.category_id" \
	" ORDER BY r.rank DESC, a.id DESC"

static struct db_stmt stmts[] = {
	[ST_SEARCH] = DB_STMT("kb_search", SEARCH_SQL(QUERY_ALL), 6),
	[ST_SEARCH_ANY] = DB_STMT("kb_search_any", SEARCH_SQL(QUERY_ANY), 6),
	[ST_LOG] = DB_STMT("kb_search_log", "SELECT kb_search_log($1, $2, $3, $4)", 4),
	[ST_OPENED] = DB_STMT("kb_search_opened", "SELECT kb_search_opened($1, $2)", 2),
	[ST_TICKET] = DB_STMT("kb_search_ticket", "SELECT kb_search_ticket($1, $2)", 2),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "a statement per enum");

/* A row of a search: the reference, and the page's count and floor flag. */
struct search_row {
	struct kb_article_ref ref;
	long long total;
	int more;
};

static enum cs_result
fill_search(struct arena *a, const PGresult *res, int i, void *elem)
{
	struct search_row *s = elem;

	if (kb_fill_ref(a, res, i, &s->ref) != CS_OK ||
	    (s->ref.snippet = kb_snippet_html(a, PQgetvalue(res, i, SR_snippet))) == NULL)
		return CS_FAILED;
	s->total = db_ll(res, i, SR_total);
	s->more = db_bool(res, i, SR_more);
	return CS_OK;
}

static enum cs_result
search_once(struct db *db, struct arena *a, const struct kb_search *s, const char *q, int any,
    struct kb_results *out)
{
	char cat[24], lim[16], off[16];
	const char *p[] = { kb_audience_param(s->aud), q, cat, s->type ? s->type : "", lim, off };
	struct search_row *rows;
	void *got;
	size_t i, n;
	enum cs_result rc;

	snprintf(cat, sizeof(cat), "%lld", s->category_id);
	snprintf(lim, sizeof(lim), "%d", s->limit);
	snprintf(off, sizeof(off), "%d", s->offset);
	rc = db_rows(db, a, &stmts[any ? ST_SEARCH_ANY : ST_SEARCH], p, sizeof(*rows), fill_search,
	    &got, &n);
	if (rc != CS_OK)
		return rc;
	rows = got;
	out->rows = NULL;
	out->n = n;
	out->total = n > 0 ? rows[0].total : 0;
	out->more = n > 0 && rows[0].more;
	if (n > 0 && (out->rows = arena_calloc(a, n, sizeof(*out->rows))) == NULL)
		return CS_FAILED;
	for (i = 0; i < n; i++)
		out->rows[i] = rows[i].ref;
	/* Past the last page the window count is not there: say "some". */
	if (n == 0 && s->offset > 0)
		out->total = -1;
	return CS_OK;
}

enum cs_result
kb_search_run(struct db *db, struct arena *a, const struct kb_search *s,
    struct kb_results *out)
{
	struct kb_results alt;
	const char *fixed = NULL;
	int words = kb_query_words(s->q);
	enum cs_result rc;

	memset(out, 0, sizeof(*out));
	if (s->q == NULL || s->q[0] == '\0')
		return CS_OK;
	if (s->any_word) {
		if ((rc = search_once(db, a, s, s->q, 1, out)) != CS_OK)
			return rc;
		out->any_word = 1;
		return CS_OK;
	}
	if ((rc = search_once(db, a, s, s->q, 0, out)) != CS_OK)
		return rc;
	if (out->total >= 3 || s->offset > 0)
		return CS_OK;
	if (words <= 3) {
		if ((rc = kb_words_correct(db, a, s->q, &fixed)) != CS_OK)
			return rc;
		memset(&alt, 0, sizeof(alt));
		if (fixed != NULL && (rc = search_once(db, a, s, fixed, 0, &alt)) != CS_OK)
			return rc;
		if (fixed != NULL && alt.total > out->total) {
			*out = alt;
			out->corrected = fixed;
		}
	}
	/* Nothing has every word (a subject written as a sentence): any word. */
	if (out->total == 0 && words >= 2) {
		memset(&alt, 0, sizeof(alt));
		if ((rc = search_once(db, a, s, fixed ? fixed : s->q, 1, &alt)) != CS_OK)
			return rc;
		if (alt.total > 0) {
			*out = alt;
			out->corrected = fixed;
			out->any_word = 1;
		}
	}
	return CS_OK;
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

const char *
kb_snippet_html(struct arena *a, const char *raw)
{
	struct buf b;

	buf_init(&b, a);
	buf_add_marked_html(&b, raw, '\1', '\2');
	return buf_failed(&b) ? NULL : b.buf;
}
