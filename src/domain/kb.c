/* kb.c — see kb.h: articles as readers see them, and their votes. */
#include "domain/kb.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/utf8.h"
#include "db/db.h"
#include "domain/kb_int.h"

#include <stdio.h>
#include <string.h>

const char *
kb_audience_param(enum kb_audience aud)
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

/* After the article's columns: its visibility, and a translation for the reader. */
#define BY_SLUG_MORE(X) \
	X(BS, visibility, "a.visibility") \
	X(BS, translation, "(SELECT t.id FROM kb_articles t" \
	"  WHERE t.original_id = a.id AND t.status = 'published'" \
	"  AND t.source_version >= a.content_version AND t.language = ANY($3::text[])" \
	"  ORDER BY array_position($3::text[], t.language) LIMIT 1)")
enum { BS_before_ = KB_ART__END - 1, BY_SLUG_MORE(DB_COL_POS_) };

#define PRODUCT_COLS(X) X(PR, name, "name")
enum { DB_COL_ENUM(PRODUCT_COLS) };
#define RATE_COLS(X) X(RT, ok, "kb_rate($1, $2, $3, $4, $5, $6, $7::inet)")
enum { DB_COL_ENUM(RATE_COLS) };

enum stmt {
	ST_IN_CATEGORY,
	ST_POPULAR,
	ST_BY_SLUG,
	ST_BY_ID,
	ST_RELATED,
	ST_PRODUCTS,
	ST_RATE,
	ST__MAX
};

static struct db_stmt stmts[] = {
	[ST_IN_CATEGORY] = DB_STMT("kb_category_articles",
	    "SELECT " DB_COLS(KB_REF_COLS) " FROM kb_articles a JOIN kb_categories c"
	    " ON c.id = a.category_id"
	    " WHERE a.category_id = $2 AND" KB_PUBLISHED("a") " ORDER BY lower(a.title), a.id", 2),
	[ST_POPULAR] = DB_STMT("kb_popular",
	    "SELECT " DB_COLS(KB_REF_COLS) " FROM kb_articles a JOIN kb_categories c"
	    " ON c.id = a.category_id"
	    " WHERE" KB_PUBLISHED("a") " ORDER BY a.view_count DESC, a.id DESC LIMIT $2", 2),
	[ST_BY_SLUG] = DB_STMT("kb_article_by_slug",
	    "SELECT " DB_COLS(KB_ART_) BY_SLUG_MORE(DB_COL_SQL_)
	    " FROM kb_articles a WHERE a.slug = $2 AND a.original_id IS NULL"
	    " AND a.status = 'published' AND a.visibility = ANY($1::text[] || '{customers}')", 3),
	[ST_BY_ID] = DB_STMT("kb_article_by_id_public",
	    "SELECT " DB_COLS(KB_ART_) " FROM kb_articles a WHERE a.id = $1", 1),
	[ST_RELATED] = DB_STMT("kb_related",
	    "SELECT " DB_COLS(KB_REF_COLS) " FROM kb_articles a JOIN kb_categories c"
	    " ON c.id = a.category_id,"
	    " kb_articles me WHERE me.id = $2 AND a.id <> me.id AND" KB_PUBLISHED("a")
	    " AND (a.tags && me.tags OR a.category_id = me.category_id)"
	    " ORDER BY cardinality(ARRAY(SELECT unnest(a.tags) INTERSECT SELECT unnest(me.tags)))"
	    " DESC, (a.category_id = me.category_id) DESC, a.view_count DESC, a.id DESC LIMIT $3", 3),
	[ST_PRODUCTS] = DB_STMT("kb_product_names",
	    "SELECT " DB_COLS(PRODUCT_COLS) " FROM products WHERE active"
	    " AND id = ANY(string_to_array(nullif($1, ''), ',')::bigint[]) ORDER BY name", 1),
	[ST_RATE] = DB_STMT("kb_rate", "SELECT " DB_COLS(RATE_COLS), 7),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "a statement per enum");

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

int
kb_slug_ok(const char *s, size_t max)
{
	size_t i, n = strlen(s);

	if (n == 0 || n > max || s[0] == '-' || s[n - 1] == '-')
		return 0;
	for (i = 0; i < n; i++) {
		if (s[i] == '-' && s[i + 1] == '-')
			return 0;
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return 0;
	}
	return 1;
}

enum cs_result
kb_refuse(const char **why, enum cs_result rc, const char *text)
{
	*why = text;
	return rc;
}

enum cs_result
kb_fill_ref(struct arena *a, const PGresult *res, int i, void *elem)
{
	struct kb_article_ref *r = elem;
	int failed = 0;

	r->id = db_ll(res, i, KB_REF_id);
	r->slug = db_str(a, res, i, KB_REF_slug, &failed);
	r->title = db_str(a, res, i, KB_REF_title, &failed);
	r->summary = db_str(a, res, i, KB_REF_summary, &failed);
	r->type = db_str(a, res, i, KB_REF_type, &failed);
	r->category_slug = db_str(a, res, i, KB_REF_category_slug, &failed);
	r->category_name = db_str(a, res, i, KB_REF_category_name, &failed);
	r->updated = db_str(a, res, i, KB_REF_updated, &failed);
	r->views = db_ll(res, i, KB_REF_views);
	r->helpful_yes = db_ll(res, i, KB_REF_helpful_yes);
	r->helpful_no = db_ll(res, i, KB_REF_helpful_no);
	return failed ? CS_FAILED : CS_OK;
}

static enum cs_result
refs_query(struct db *db, struct arena *a, enum stmt st, const char *const *p,
    struct kb_article_ref **out, size_t *n)
{
	void *rows;
	enum cs_result rc = db_rows(db, a, &stmts[st], p, sizeof(**out), kb_fill_ref, &rows, n);

	*out = rows;
	return rc;
}

enum cs_result
kb_category_articles(struct db *db, struct arena *a, enum kb_audience aud, long long id,
    struct kb_article_ref **out, size_t *n)
{
	const char *p[] = { kb_audience_param(aud), db_param_ll(a, id) };

	*out = NULL;
	*n = 0;
	if (p[1] == NULL)
		return CS_FAILED;
	return refs_query(db, a, ST_IN_CATEGORY, p, out, n);
}

enum cs_result
kb_popular(struct db *db, struct arena *a, enum kb_audience aud, int limit,
    struct kb_article_ref **out, size_t *n)
{
	const char *p[] = { kb_audience_param(aud), db_param_ll(a, limit) };

	*out = NULL;
	*n = 0;
	if (p[1] == NULL)
		return CS_FAILED;
	return refs_query(db, a, ST_POPULAR, p, out, n);
}

enum cs_result
kb_fill_article(struct arena *a, const PGresult *res, int i, struct kb_article *art)
{
	int failed = 0;

	memset(art, 0, sizeof(*art));
	art->id = db_ll(res, i, KB_ART_id);
	art->original_id = db_ll(res, i, KB_ART_original_id);
	art->category_id = db_ll(res, i, KB_ART_category_id);
	art->source_ticket_id = db_ll(res, i, KB_ART_source_ticket_id);
	art->slug = db_str(a, res, i, KB_ART_slug, &failed);
	art->type = db_str(a, res, i, KB_ART_type, &failed);
	art->status = db_str(a, res, i, KB_ART_status, &failed);
	art->visibility = db_str(a, res, i, KB_ART_visibility, &failed);
	art->language = db_str(a, res, i, KB_ART_language, &failed);
	art->title = db_str(a, res, i, KB_ART_title, &failed);
	art->summary = db_str(a, res, i, KB_ART_summary, &failed);
	art->body = db_str(a, res, i, KB_ART_body, &failed);
	art->tags = db_str(a, res, i, KB_ART_tags, &failed);
	art->product_ids = db_str(a, res, i, KB_ART_product_ids, &failed);
	art->author = db_str(a, res, i, KB_ART_author, &failed);
	art->reviewer = db_str(a, res, i, KB_ART_reviewer, &failed);
	art->author_id = db_ll(res, i, KB_ART_author_id);
	art->reviewer_id = db_ll(res, i, KB_ART_reviewer_id);
	art->created = db_str(a, res, i, KB_ART_created, &failed);
	art->updated = db_str(a, res, i, KB_ART_updated, &failed);
	art->published = db_str(a, res, i, KB_ART_published, &failed);
	art->views = db_ll(res, i, KB_ART_views);
	art->helpful_yes = db_ll(res, i, KB_ART_helpful_yes);
	art->helpful_no = db_ll(res, i, KB_ART_helpful_no);
	art->stars_sum = db_ll(res, i, KB_ART_stars_sum);
	art->stars_count = db_ll(res, i, KB_ART_stars_count);
	art->used_in_tickets = db_ll(res, i, KB_ART_used_in_tickets);
	art->revision = (int)db_ll(res, i, KB_ART_revision);
	art->content_version = (int)db_ll(res, i, KB_ART_content_version);
	art->source_version = (int)db_ll(res, i, KB_ART_source_version);
	return failed ? CS_FAILED : CS_OK;
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

/* Shows the translation tid's text in out (the original's identity stays). */
static enum cs_result
translated(struct db *db, struct arena *a, const char *tid, struct kb_article *out)
{
	const char *tp[] = { tid };
	PGresult *tr = db_exec(db, &stmts[ST_BY_ID], tp);
	struct kb_article t;
	enum cs_result rc = CS_OK;

	if (tr == NULL)
		return db_result(db);
	if (PQntuples(tr) == 1) {
		if (kb_fill_article(a, tr, 0, &t) != CS_OK) {
			rc = CS_FAILED;
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
	return rc;
}

enum cs_result
kb_article_by_slug(struct db *db, struct arena *a, enum kb_audience aud, const char *slug,
    const char *const *langs, size_t nlangs, struct kb_article *out, const char **why)
{
	const char *larr = lang_array(a, langs, nlangs);
	const char *p[] = { kb_audience_param(aud), slug, larr ? larr : "{}" };
	PGresult *res = db_exec(db, &stmts[ST_BY_SLUG], p);
	const char *vis, *tid;
	enum cs_result rc = CS_FAILED;
	int failed = 0;

	if (res == NULL)
		return db_result(db);
	if (PQntuples(res) == 0) {
		rc = CS_NOT_FOUND;
		goto out;
	}
	if (kb_fill_article(a, res, 0, out) != CS_OK)
		goto out;
	/* Asked with the customers' level added: say "sign in", not "no such". */
	vis = db_str(a, res, 0, BS_visibility, &failed);
	if (failed)
		goto out;
	if (strcmp(vis, "customers") == 0 && aud == KB_VISITOR) {
		rc = kb_refuse(why, CS_REFUSED, "Sign in to read this article.");
		goto out;
	}
	rc = CS_OK;
	if (PQgetisnull(res, 0, BS_translation))
		goto out;
	/* A current translation in the reader's language: its text, the
	 * original's identity (slug, counters, votes). */
	if ((tid = db_str(a, res, 0, BS_translation, &failed)) == NULL || failed)
		rc = CS_FAILED;
	else
		rc = translated(db, a, tid, out);
out:
	PQclear(res);
	return rc;
}

enum cs_result
kb_related(struct db *db, struct arena *a, enum kb_audience aud, const struct kb_article *art,
    int limit, struct kb_article_ref **out, size_t *n)
{
	const char *p[] = { kb_audience_param(aud), db_param_ll(a, art->id),
		db_param_ll(a, limit) };

	*out = NULL;
	*n = 0;
	if (p[1] == NULL || p[2] == NULL)
		return CS_FAILED;
	return refs_query(db, a, ST_RELATED, p, out, n);
}

static enum cs_result
fill_name(struct arena *a, const PGresult *res, int i, void *elem)
{
	int failed = 0;

	*(const char **)elem = db_str(a, res, i, PR_name, &failed);
	return failed ? CS_FAILED : CS_OK;
}

enum cs_result
kb_product_names(struct db *db, struct arena *a, const char *ids, const char ***out, size_t *n)
{
	const char *p[] = { ids };
	void *names;
	enum cs_result rc = db_rows(db, a, &stmts[ST_PRODUCTS], p, sizeof(**out), fill_name,
	    &names, n);

	*out = names;
	return rc;
}

enum cs_result
kb_rate(struct db *db, long long article_id, const char *voter, int helpful, int stars,
    const char *comment, int signed_in, const char *address, const char **why)
{
	char id[24], st[8];
	const char *p[] = { id, voter, helpful < 0 ? NULL : helpful ? "t" : "f",
		stars > 0 ? st : NULL, comment, signed_in ? "t" : "f",
		address != NULL && *address != '\0' ? address : NULL };
	PGresult *res;
	int ok;

	if (stars < 0 || stars > 5)
		return kb_refuse(why, CS_REFUSED, "Choose from one to five stars.");
	if (comment != NULL && utf8_chars(comment) > KB_COMMENT_MAX)
		return kb_refuse(why, CS_REFUSED, "Keep the comment under 2,000 characters.");
	if (helpful < 0 && stars == 0)
		return kb_refuse(why, CS_REFUSED, "Choose yes or no, or a number of stars.");
	snprintf(id, sizeof(id), "%lld", article_id);
	snprintf(st, sizeof(st), "%d", stars);
	if ((res = db_exec(db, &stmts[ST_RATE], p)) == NULL)
		return db_result(db);
	ok = db_bool(res, 0, RT_ok);
	PQclear(res);
	return ok ? CS_OK : CS_NOT_FOUND;
}
