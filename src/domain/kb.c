/* kb.c — see kb.h. */
#include "domain/kb.h"
#include "core/arena.h"
#include "core/buf.h"
#include "db/db.h"
#include "domain/kb_int.h"
#include "domain/kb_query.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define DAY(x) "to_char(" x " AT TIME ZONE 'UTC', 'YYYY-MM-DD')"
#define TS(x) "coalesce(to_char(" x " AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI'), '')"

/* Who sees which visibility, as the text[] parameter every statement takes. */
static const char *
audience(enum kb_audience aud)
{
	switch (aud) {
	case KB_STAFF:
		return "{public,customers,internal}";
	case KB_CUSTOMER:
		return "{public,customers}";
	case KB_VISITOR:
		break;
	}
	return "{public}";
}

#define PUBLISHED(a) \
	" " a ".status = 'published' AND " a ".original_id IS NULL AND " a ".visibility = ANY($1::text[])"

/* The columns of struct kb_article_ref, in fill_ref's order. */
#define REF_COLS \
	"a.id, a.slug, a.title, a.summary, a.type, c.slug, c.name, " DAY("a.updated_at") "," \
	" a.view_count, a.helpful_yes, a.helpful_no"

/* A step of a category's path that sorts as text: position, name, id. */
#define STEP "(lpad((c.position + 1000000000)::text, 11, '0') || ':' || c.name || ':' || c.id)"
#define CATEGORY_TREE(counts) \
	"WITH RECURSIVE tree AS (" \
	" SELECT c.id, c.parent_id, 0 AS depth, ARRAY[" STEP "] AS path" \
	" FROM kb_categories c WHERE c.parent_id IS NULL" \
	" UNION ALL" \
	" SELECT c.id, c.parent_id, t.depth + 1, t.path || " STEP \
	" FROM kb_categories c JOIN tree t ON c.parent_id = t.id WHERE t.depth < 20)" \
	" SELECT c.id, coalesce(c.parent_id, 0), c.slug, c.name, c.description, c.position, " \
	counts ", t.depth FROM tree t JOIN kb_categories c ON c.id = t.id ORDER BY t.path"
static struct db_stmt st_categories = DB_STMT("kb_categories",
    CATEGORY_TREE("(SELECT count(*) FROM kb_articles a WHERE a.category_id = c.id AND"
    PUBLISHED("a") ")"), 1);
/* For a select: no counts, which cost a scan per category at scale. */
static struct db_stmt st_categories_plain = DB_STMT("kb_categories_plain",
    CATEGORY_TREE("0 + 0 * cardinality($1::text[])"), 1);
static struct db_stmt st_path = DB_STMT("kb_category_path",
    "WITH RECURSIVE up AS (SELECT id, parent_id, 0 AS n FROM kb_categories WHERE id = $1"
    " UNION ALL SELECT c.id, c.parent_id, up.n + 1 FROM kb_categories c"
    " JOIN up ON c.id = up.parent_id WHERE up.n < 20)"
    " SELECT c.id, coalesce(c.parent_id, 0), c.slug, c.name, c.description, c.position, 0,"
    " 0 FROM up JOIN kb_categories c ON c.id = up.id ORDER BY up.n DESC", 1);
static struct db_stmt st_category = DB_STMT("kb_category_by_slug",
    "SELECT c.id, coalesce(c.parent_id, 0), c.slug, c.name, c.description, c.position, 0, 0"
    " FROM kb_categories c WHERE c.slug = $1", 1);
static struct db_stmt st_in_category = DB_STMT("kb_category_articles",
    "SELECT " REF_COLS " FROM kb_articles a JOIN kb_categories c ON c.id = a.category_id"
    " WHERE a.category_id = $2 AND" PUBLISHED("a") " ORDER BY lower(a.title), a.id", 2);
static struct db_stmt st_popular = DB_STMT("kb_popular",
    "SELECT " REF_COLS " FROM kb_articles a JOIN kb_categories c ON c.id = a.category_id"
    " WHERE" PUBLISHED("a") " ORDER BY a.view_count DESC, a.id DESC LIMIT $2", 2);

static struct db_stmt st_by_slug = DB_STMT("kb_article_by_slug",
    "SELECT " KB_ARTICLE_COLS("''", "''") ", a.visibility, (SELECT t.id FROM kb_articles t"
    "  WHERE t.original_id = a.id AND t.status = 'published'"
    "  AND t.source_version >= a.content_version AND t.language = ANY($3::text[])"
    "  ORDER BY array_position($3::text[], t.language) LIMIT 1)"
    " FROM kb_articles a WHERE a.slug = $2 AND a.original_id IS NULL"
    " AND a.status = 'published' AND a.visibility = ANY($1::text[] || '{customers}')", 3);
static struct db_stmt st_by_id = DB_STMT("kb_article_by_id_public",
    "SELECT " KB_ARTICLE_COLS("''", "''") " FROM kb_articles a WHERE a.id = $1", 1);
static struct db_stmt st_related = DB_STMT("kb_related",
    "SELECT " REF_COLS " FROM kb_articles a JOIN kb_categories c ON c.id = a.category_id,"
    " kb_articles me WHERE me.id = $2 AND a.id <> me.id AND" PUBLISHED("a")
    " AND (a.tags && me.tags OR a.category_id = me.category_id)"
    " ORDER BY cardinality(ARRAY(SELECT unnest(a.tags) INTERSECT SELECT unnest(me.tags))) DESC,"
    " (a.category_id = me.category_id) DESC, a.view_count DESC, a.id DESC LIMIT $3", 3);

/*
 * Search. A query as broad as one common word can match most of the
 * table; ranking every match would cost as much as the table is large.
 * So the candidates are bounded: up to KB_TITLE_CANDIDATES articles whose
 * title matches (their own, smaller index) and, unless those already fill
 * the page asked for, up to KB_CANDIDATES that match anywhere. Only those
 * are ranked, and "more" says the count is a floor. Below the bounds —
 * most real queries — every match is ranked. A title match adds 1 to the
 * rank, more than any weight of body matches can, so titles come first
 * (which is why body matches cannot reach a page that title matches
 * fill). The snippet is made only for the page shown.
 */
#define KB_CANDIDATES "400"
#define KB_TITLE_CANDIDATES "200"
#define QUERY \
	"(SELECT CASE WHEN $7 THEN replace(replace(websearch_to_tsquery('english', $2)::text," \
	" '&', '|'), '!', '')::tsquery ELSE websearch_to_tsquery('english', $2) END)"
#define FILTERS \
	" AND" PUBLISHED("a") \
	" AND ($3::bigint = 0 OR a.category_id IN (WITH RECURSIVE sub (id) AS" \
	"  (SELECT $3::bigint UNION SELECT c.id FROM kb_categories c JOIN sub" \
	"  ON c.parent_id = sub.id) SELECT id FROM sub))" \
	" AND ($4::text = '' OR a.type = $4)"
static struct db_stmt st_search = DB_STMT("kb_search",
    "WITH q AS (SELECT " QUERY " AS q),"
    " tc AS (SELECT a.id, ts_rank(a.search, q.q) + 1 AS rank FROM kb_articles a, q"
    "  WHERE a.title_search @@ q.q" FILTERS " LIMIT " KB_TITLE_CANDIDATES "),"
    " bc AS (SELECT a.id, ts_rank(a.search, q.q)"
    "  + CASE WHEN a.title_search @@ q.q THEN 1 ELSE 0 END AS rank FROM kb_articles a, q"
    "  WHERE (SELECT count(*) FROM tc) < $5::int + $6::int AND a.search @@ q.q" FILTERS
    "  LIMIT " KB_CANDIDATES "),"
    " cand AS (SELECT DISTINCT ON (id) id, rank FROM (SELECT * FROM tc UNION ALL"
    "  SELECT * FROM bc) AS u ORDER BY id),"
    " ranked AS (SELECT id, rank, count(*) OVER () AS total FROM cand"
    "  ORDER BY rank DESC, id DESC LIMIT $5 OFFSET $6)"
    " SELECT " REF_COLS ", ts_headline(kb_ts_config(a.language),"
    " translate(regexp_replace(regexp_replace(a.summary || ' ' || a.body,"
    " '\\]\\([^)]*\\)', ' ', 'g'), '[#*_`>|\\[\\]]+', ' ', 'g'),"
    " chr(1) || chr(2), ''), q.q, 'StartSel=' || chr(1) || ', StopSel=' || chr(2) ||"
    " ', MaxWords=28, MinWords=12, MaxFragments=2, FragmentDelimiter=\" … \"'), r.total,"
    " (SELECT count(*) FROM tc) >= " KB_TITLE_CANDIDATES
    " OR (SELECT count(*) FROM tc) >= $5::int + $6::int"
    " OR (SELECT count(*) FROM bc) >= " KB_CANDIDATES
    " FROM ranked r JOIN kb_articles a ON a.id = r.id"
    " JOIN kb_categories c ON c.id = a.category_id, q"
    " ORDER BY r.rank DESC, a.id DESC", 7);
static struct db_stmt st_correct = DB_STMT("kb_correct", "SELECT kb_correct($1)", 1);
static struct db_stmt st_log = DB_STMT("kb_search_log",
    "SELECT kb_search_log($1, $2, $3, $4)", 4);
static struct db_stmt st_opened = DB_STMT("kb_search_opened",
    "SELECT kb_search_opened($1, $2)", 2);
static struct db_stmt st_ticket = DB_STMT("kb_search_ticket",
    "SELECT kb_search_ticket($1, $2)", 2);
static struct db_stmt st_rate = DB_STMT("kb_rate",
    "SELECT kb_rate($1, $2, $3, $4, $5, $6)", 6);

static struct db_stmt st_products = DB_STMT("kb_product_names",
    "SELECT name FROM products WHERE active"
    " AND id = ANY(string_to_array(nullif($1, ''), ',')::bigint[]) ORDER BY name", 1);
static struct db_stmt st_image = DB_STMT("kb_image_get",
    "SELECT i.id, i.article_id, i.filename, i.content_type, i.data FROM kb_images i"
    " JOIN kb_articles a ON a.id = i.article_id WHERE i.id = $2"
    " AND ($3 OR (a.status = 'published' AND a.visibility = ANY($1::text[])))", 3);

static const struct {
	const char *type, *label;
} types[] = {
#define TYPE_ROW(t, l) { t, l },
	KB_TYPES(TYPE_ROW)
#undef TYPE_ROW
};

const char *
kb_type_label(const char *type)
{
	size_t i;

	for (i = 0; type != NULL && i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(type, types[i].type) == 0)
			return types[i].label;
	return "";
}

int
kb_type_valid(const char *type)
{
	return kb_type_label(type)[0] != '\0';
}

static int
fill_categories(struct arena *a, PGresult *res, struct kb_category **out, size_t *n)
{
	int i, rows = PQntuples(res), failed = 0;
	struct kb_category *c;

	*out = NULL;
	*n = 0;
	if (rows == 0)
		return 0;
	if ((c = arena_calloc(a, (size_t)rows, sizeof(*c))) == NULL)
		return -1;
	for (i = 0; i < rows; i++) {
		c[i].id = db_ll(res, i, 0);
		c[i].parent_id = db_ll(res, i, 1);
		c[i].slug = db_str(a, res, i, 2, &failed);
		c[i].name = db_str(a, res, i, 3, &failed);
		c[i].description = db_str(a, res, i, 4, &failed);
		c[i].position = (int)db_ll(res, i, 5);
		c[i].articles = db_ll(res, i, 6);
		c[i].depth = (int)db_ll(res, i, 7);
	}
	if (failed)
		return -1;
	*out = c;
	*n = (size_t)rows;
	return 0;
}

static int
categories_query(struct db *db, struct arena *a, struct db_stmt *st, const char *const *p,
    struct kb_category **out, size_t *n)
{
	PGresult *res = db_exec(db, st, p);
	int rc;

	*out = NULL;
	*n = 0;
	if (res == NULL)
		return -1;
	rc = fill_categories(a, res, out, n);
	PQclear(res);
	return rc;
}

int
kb_categories(struct db *db, struct arena *a, enum kb_audience aud, int counts,
    struct kb_category **out, size_t *n)
{
	const char *p[] = { audience(aud) };

	return categories_query(db, a, counts ? &st_categories : &st_categories_plain, p, out, n);
}

int
kb_category_path(struct db *db, struct arena *a, long long id, struct kb_category **out,
    size_t *n)
{
	char ids[24];
	const char *p[] = { ids };

	snprintf(ids, sizeof(ids), "%lld", id);
	return categories_query(db, a, &st_path, p, out, n);
}

int
kb_category_by_slug(struct db *db, struct arena *a, const char *slug, struct kb_category *out)
{
	const char *p[] = { slug };
	struct kb_category *c;
	size_t n;

	if (categories_query(db, a, &st_category, p, &c, &n) < 0)
		return -1;
	if (n == 0)
		return 0;
	*out = c[0];
	return 1;
}

/* Fills refs from columns 0..10 of res (REF_COLS); the snippet from col. */
static int
fill_refs(struct arena *a, PGresult *res, int snippet_col, struct kb_article_ref **out,
    size_t *n)
{
	int i, rows = PQntuples(res), failed = 0;
	struct kb_article_ref *r;

	*out = NULL;
	*n = 0;
	if (rows == 0)
		return 0;
	if ((r = arena_calloc(a, (size_t)rows, sizeof(*r))) == NULL)
		return -1;
	for (i = 0; i < rows; i++) {
		r[i].id = db_ll(res, i, 0);
		r[i].slug = db_str(a, res, i, 1, &failed);
		r[i].title = db_str(a, res, i, 2, &failed);
		r[i].summary = db_str(a, res, i, 3, &failed);
		r[i].type = db_str(a, res, i, 4, &failed);
		r[i].category_slug = db_str(a, res, i, 5, &failed);
		r[i].category_name = db_str(a, res, i, 6, &failed);
		r[i].updated = db_str(a, res, i, 7, &failed);
		r[i].views = db_ll(res, i, 8);
		r[i].helpful_yes = db_ll(res, i, 9);
		r[i].helpful_no = db_ll(res, i, 10);
		if (snippet_col > 0 && !failed &&
		    (r[i].snippet = kb_snippet_html(a, PQgetvalue(res, i, snippet_col))) == NULL)
			failed = 1;
	}
	if (failed)
		return -1;
	*out = r;
	*n = (size_t)rows;
	return 0;
}

static int
refs_query(struct db *db, struct arena *a, struct db_stmt *st, const char *const *p,
    struct kb_article_ref **out, size_t *n)
{
	PGresult *res = db_exec(db, st, p);
	int rc;

	*out = NULL;
	*n = 0;
	if (res == NULL)
		return -1;
	rc = fill_refs(a, res, 0, out, n);
	PQclear(res);
	return rc;
}

int
kb_category_articles(struct db *db, struct arena *a, enum kb_audience aud, long long id,
    struct kb_article_ref **out, size_t *n)
{
	char ids[24];
	const char *p[] = { audience(aud), ids };

	snprintf(ids, sizeof(ids), "%lld", id);
	return refs_query(db, a, &st_in_category, p, out, n);
}

int
kb_popular(struct db *db, struct arena *a, enum kb_audience aud, int limit,
    struct kb_article_ref **out, size_t *n)
{
	char lim[16];
	const char *p[] = { audience(aud), lim };

	snprintf(lim, sizeof(lim), "%d", limit);
	return refs_query(db, a, &st_popular, p, out, n);
}

int
kb_fill_article(struct arena *a, PGresult *res, struct kb_article *art)
{
	int failed = 0;

	memset(art, 0, sizeof(*art));
	art->id = db_ll(res, 0, 0);
	art->original_id = db_ll(res, 0, 1);
	art->category_id = db_ll(res, 0, 2);
	art->source_ticket_id = db_ll(res, 0, 3);
	art->slug = db_str(a, res, 0, 4, &failed);
	art->type = db_str(a, res, 0, 5, &failed);
	art->status = db_str(a, res, 0, 6, &failed);
	art->visibility = db_str(a, res, 0, 7, &failed);
	art->language = db_str(a, res, 0, 8, &failed);
	art->title = db_str(a, res, 0, 9, &failed);
	art->summary = db_str(a, res, 0, 10, &failed);
	art->body = db_str(a, res, 0, 11, &failed);
	art->tags = db_str(a, res, 0, 12, &failed);
	art->product_ids = db_str(a, res, 0, 13, &failed);
	art->author = db_str(a, res, 0, 14, &failed);
	art->reviewer = db_str(a, res, 0, 15, &failed);
	art->author_id = db_ll(res, 0, 16);
	art->reviewer_id = db_ll(res, 0, 17);
	art->created = db_str(a, res, 0, 18, &failed);
	art->updated = db_str(a, res, 0, 19, &failed);
	art->published = db_str(a, res, 0, 20, &failed);
	art->views = db_ll(res, 0, 21);
	art->helpful_yes = db_ll(res, 0, 22);
	art->helpful_no = db_ll(res, 0, 23);
	art->stars_sum = db_ll(res, 0, 24);
	art->stars_count = db_ll(res, 0, 25);
	art->used_in_tickets = db_ll(res, 0, 26);
	art->revision = (int)db_ll(res, 0, 27);
	art->content_version = (int)db_ll(res, 0, 28);
	art->source_version = (int)db_ll(res, 0, 29);
	return failed ? -1 : 0;
}

/* "{de,en}" from langs, or NULL when one is not a language tag. */
static const char *
lang_array(struct arena *a, const char *const *langs, size_t n)
{
	struct buf b;
	size_t i, k;

	buf_init(&b, a);
	buf_addch(&b, '{');
	for (i = 0; i < n; i++) {
		for (k = 0; langs[i][k] != '\0'; k++)
			if (!((langs[i][k] >= 'a' && langs[i][k] <= 'z') || langs[i][k] == '-'))
				return NULL;
		if (i > 0)
			buf_addch(&b, ',');
		buf_addstr(&b, langs[i]);
	}
	buf_addch(&b, '}');
	return buf_failed(&b) ? NULL : b.buf;
}

int
kb_article_by_slug(struct db *db, struct arena *a, enum kb_audience aud, const char *slug,
    const char *const *langs, size_t nlangs, struct kb_article *out)
{
	const char *larr = lang_array(a, langs, nlangs);
	const char *p[] = { audience(aud), slug, larr ? larr : "{}" };
	PGresult *res = db_exec(db, &st_by_slug, p), *tr;
	const char *vis;
	char tid[24];
	const char *tp[] = { tid };
	int rc = -1, failed = 0;

	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0) {
		rc = KB_NOT_FOUND;
		goto out;
	}
	if (kb_fill_article(a, res, out) < 0)
		goto out;
	/* Asked with the customers' level added: say "sign in", not "no such". */
	vis = db_str(a, res, 0, 30, &failed);
	if (failed)
		goto out;
	if (strcmp(vis, "customers") == 0 && aud == KB_VISITOR) {
		rc = KB_LOGIN;
		goto out;
	}
	rc = KB_FOUND;
	if (PQgetisnull(res, 0, 31))
		goto out;
	/* A current translation in the reader's language: its text, the
	 * original's identity (slug, counters, votes). */
	snprintf(tid, sizeof(tid), "%s", PQgetvalue(res, 0, 31));
	if ((tr = db_exec(db, &st_by_id, tp)) == NULL) {
		rc = -1;
		goto out;
	}
	if (PQntuples(tr) == 1) {
		struct kb_article t;

		if (kb_fill_article(a, tr, &t) < 0) {
			rc = -1;
		} else {
			out->original_language = out->language;
			out->language = t.language;
			out->title = t.title;
			out->summary = t.summary;
			out->body = t.body;
			out->updated = t.updated;
		}
	}
	PQclear(tr);
out:
	PQclear(res);
	return rc;
}

int
kb_related(struct db *db, struct arena *a, enum kb_audience aud, const struct kb_article *art,
    int limit, struct kb_article_ref **out, size_t *n)
{
	char id[24], lim[16];
	const char *p[] = { audience(aud), id, lim };

	snprintf(id, sizeof(id), "%lld", art->id);
	snprintf(lim, sizeof(lim), "%d", limit);
	return refs_query(db, a, &st_related, p, out, n);
}

static int
search_once(struct db *db, struct arena *a, const struct kb_search *s, const char *q, int any,
    struct kb_results *out)
{
	char cat[24], lim[16], off[16];
	const char *p[] = { audience(s->aud), q, cat, s->type ? s->type : "", lim, off,
		any ? "t" : "f" };
	PGresult *res;
	int rc;

	snprintf(cat, sizeof(cat), "%lld", s->category_id);
	snprintf(lim, sizeof(lim), "%d", s->limit);
	snprintf(off, sizeof(off), "%d", s->offset);
	if ((res = db_exec(db, &st_search, p)) == NULL)
		return -1;
	rc = fill_refs(a, res, 11, &out->rows, &out->n);
	out->total = PQntuples(res) > 0 ? db_ll(res, 0, 12) : 0;
	out->more = PQntuples(res) > 0 && db_bool(res, 0, 13);
	PQclear(res);
	/* Past the last page the window count is not there: say "some". */
	if (rc == 0 && out->n == 0 && s->offset > 0)
		out->total = -1;
	return rc;
}

int
kb_search_run(struct db *db, struct arena *a, const struct kb_search *s,
    struct kb_results *out)
{
	const char *p[] = { s->q };
	struct kb_results alt;
	PGresult *res;
	const char *fixed = NULL;
	int failed = 0, words = kb_query_words(s->q);

	memset(out, 0, sizeof(*out));
	if (s->q == NULL || s->q[0] == '\0')
		return 0;
	if (s->any_word) {
		if (search_once(db, a, s, s->q, 1, out) < 0)
			return -1;
		out->any_word = 1;
		return 0;
	}
	if (search_once(db, a, s, s->q, 0, out) < 0)
		return -1;
	if (out->total >= 3 || s->offset > 0)
		return 0;
	if (words <= 3) {
		if ((res = db_exec(db, &st_correct, p)) == NULL)
			return -1;
		fixed = PQgetisnull(res, 0, 0) ? NULL : db_str(a, res, 0, 0, &failed);
		PQclear(res);
		if (failed)
			return -1;
		memset(&alt, 0, sizeof(alt));
		if (fixed != NULL && search_once(db, a, s, fixed, 0, &alt) < 0)
			return -1;
		if (fixed != NULL && alt.total > out->total) {
			*out = alt;
			out->corrected = fixed;
		}
	}
	/* Nothing has every word (a subject written as a sentence): any word. */
	if (out->total == 0 && words >= 2) {
		memset(&alt, 0, sizeof(alt));
		if (search_once(db, a, s, fixed ? fixed : s->q, 1, &alt) < 0)
			return -1;
		if (alt.total > 0) {
			*out = alt;
			out->corrected = fixed;
			out->any_word = 1;
		}
	}
	return 0;
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

int
kb_search_log(struct db *db, const char *token, const char *source, const char *query,
    long long results)
{
	char n[24];
	const char *p[] = { token, source, query, n };

	snprintf(n, sizeof(n), "%lld", results < 0 ? 0 : results);
	return db_run(db, &st_log, p);
}

/* Tokens come from links: anything but 32 hex digits is ignored. */
static int
token_ok(const char *t)
{
	size_t i;

	if (t == NULL || strlen(t) != 32)
		return 0;
	for (i = 0; i < 32; i++)
		if (!((t[i] >= '0' && t[i] <= '9') || (t[i] >= 'a' && t[i] <= 'f')))
			return 0;
	return 1;
}

int
kb_search_opened(struct db *db, const char *token, long long article_id)
{
	char id[24];
	const char *p[] = { token, id };

	if (!token_ok(token))
		return 0;
	snprintf(id, sizeof(id), "%lld", article_id);
	return db_run(db, &st_opened, p);
}

int
kb_search_ticket(struct db *db, const char *token, long long ticket_id)
{
	char id[24];
	const char *p[] = { token, id };

	if (!token_ok(token))
		return 0;
	snprintf(id, sizeof(id), "%lld", ticket_id);
	return db_run(db, &st_ticket, p);
}

int
kb_rate(struct db *db, long long article_id, const char *voter, int helpful, int stars,
    const char *comment, int signed_in)
{
	char id[24], st[8];
	const char *p[] = { id, voter, helpful < 0 ? NULL : helpful ? "t" : "f",
		stars > 0 ? st : NULL, comment, signed_in ? "t" : "f" };
	PGresult *res;
	int rc;

	snprintf(id, sizeof(id), "%lld", article_id);
	snprintf(st, sizeof(st), "%d", stars);
	if ((res = db_exec(db, &st_rate, p)) == NULL)
		return -1;
	rc = db_bool(res, 0, 0);
	PQclear(res);
	return rc;
}

const char *
kb_snippet_html(struct arena *a, const char *raw)
{
	struct buf b;

	buf_init(&b, a);
	buf_add_marked_html(&b, raw, '\1', '\2');
	return buf_failed(&b) ? NULL : b.buf;
}

int
kb_image_get(struct db *db, struct arena *a, enum kb_audience aud, long long id,
    struct kb_image *out)
{
	char ids[24];
	const char *p[] = { audience(aud), ids, aud == KB_STAFF ? "t" : "f" };
	PGresult *res;
	unsigned char *raw;
	size_t len;
	int failed = 0, rc = -1;

	snprintf(ids, sizeof(ids), "%lld", id);
	if ((res = db_exec(db, &st_image, p)) == NULL)
		return -1;
	if (PQntuples(res) == 0) {
		rc = 0;
		goto out;
	}
	out->id = db_ll(res, 0, 0);
	out->article_id = db_ll(res, 0, 1);
	out->filename = db_str(a, res, 0, 2, &failed);
	out->content_type = db_str(a, res, 0, 3, &failed);
	raw = PQunescapeBytea((const unsigned char *)PQgetvalue(res, 0, 4), &len);
	if (raw == NULL || failed)
		goto out;
	out->data = (unsigned char *)arena_alloc(a, len ? len : 1);
	if (out->data != NULL) {
		memcpy((unsigned char *)out->data, raw, len);
		out->size = len;
		rc = 1;
	}
	PQfreemem(raw);
out:
	PQclear(res);
	return rc;
}

int
kb_product_names(struct db *db, struct arena *a, const char *ids, const char ***out, size_t *n)
{
	const char *p[] = { ids };
	PGresult *res;
	const char **names = NULL;
	int i, rows, failed = 0;

	*out = NULL;
	*n = 0;
	if ((res = db_exec(db, &st_products, p)) == NULL)
		return -1;
	rows = PQntuples(res);
	if (rows > 0 && (names = arena_calloc(a, (size_t)rows, sizeof(*names))) == NULL)
		failed = 1;
	for (i = 0; !failed && i < rows; i++)
		names[i] = db_str(a, res, i, 0, &failed);
	PQclear(res);
	if (failed)
		return -1;
	*out = names;
	*n = (size_t)rows;
	return 0;
}
