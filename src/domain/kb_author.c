/*
 * kb_author.c — see kb_author.h: an article as its authors write it, its
 * workflow, and the console's list of articles and translations.
 */
#include "domain/kb_author.h"
#include "core/arena.h"
#include "core/utf8.h"
#include "db/db.h"
#include "domain/kb_int.h"

#include <stdio.h>
#include <string.h>

/* Tags from "a, b,c": trimmed, lower-case, in order, without repeats or blanks. */
#define TAGS(p) \
	"ARRAY(SELECT x.t FROM (SELECT lower(btrim(u.t)) AS t, min(u.n) AS n" \
	" FROM unnest(string_to_array(" p ", ',')) WITH ORDINALITY AS u (t, n)" \
	" WHERE btrim(u.t) <> '' GROUP BY 1) AS x ORDER BY x.n)"
/* Product ids from "1,2": only those that exist. */
#define PRODUCTS(p) \
	"ARRAY(SELECT p.id FROM products p WHERE p.id = ANY(string_to_array(nullif(" p ", ''), ','" \
	")::bigint[]) ORDER BY p.id)"

#define ID_COLS(X) X(ID, id, "id")
enum { DB_COL_ENUM(ID_COLS) };
#define STATUS_COLS(X) X(SC, status, "status")
enum { DB_COL_ENUM(STATUS_COLS) };

/* The staff's view of an article: names, and whether a translation is behind. */
#define STAFF_NAME(col) "coalesce((SELECT s.name FROM staff s WHERE s.id = a." col "), '')"
#define GET_COLS(X) KB_ARTICLE_COLS(X, KB_ART, STAFF_NAME("author_id"), STAFF_NAME("reviewer_id"))
#define GET_MORE(X) \
	X(AG, outdated, "coalesce(a.source_version < (SELECT o.content_version" \
	" FROM kb_articles o WHERE o.id = a.original_id), false)")
enum { AG_before_ = KB_ART__END - 1, GET_MORE(DB_COL_POS_) };

/* The columns of struct kb_list_row, read by fill_list. */
#define LIST_COLS(X) \
	X(LS, id, "a.id") X(LS, original_id, "coalesce(a.original_id, 0)") \
	X(LS, views, "a.view_count") X(LS, helpful_yes, "a.helpful_yes") \
	X(LS, helpful_no, "a.helpful_no") X(LS, used_in_tickets, "a.times_used_in_tickets") \
	X(LS, slug, "a.slug") X(LS, title, "a.title") X(LS, type, "a.type") \
	X(LS, status, "a.status") X(LS, visibility, "a.visibility") \
	X(LS, language, "a.language") X(LS, category, "c.name") \
	X(LS, author, "coalesce(s.name, '')") X(LS, updated, KB_TS("a.updated_at")) \
	X(LS, outdated, "coalesce(a.source_version < o.content_version, false)")
enum { DB_COL_ENUM(LIST_COLS) };
#define LIST_FROM \
	"SELECT " DB_COLS(LIST_COLS) \
	" FROM kb_articles a JOIN kb_categories c ON c.id = a.category_id" \
	" LEFT JOIN staff s ON s.id = a.author_id LEFT JOIN kb_articles o ON o.id = a.original_id"

enum stmt {
	ST_CREATE,
	ST_UPDATE,
	ST_EXISTS,
	ST_STATUS,
	ST_GET,
	ST_LIST,
	ST_TRANSLATIONS,
	ST__MAX
};

static struct db_stmt stmts[] = {
	[ST_CREATE] = DB_STMT("kb_article_create",
	    "INSERT INTO kb_articles (slug, category_id, type, visibility, title, summary, body,"
	    " tags, product_ids, author_id, updated_by, source_ticket_id)"
	    " VALUES ($1, $2, $3, $4, $5, $6, $7, " TAGS("$8") ", " PRODUCTS("$9") ", $10, $10, $11)"
	    " RETURNING " DB_COLS(ID_COLS), 11),
	[ST_UPDATE] = DB_STMT("kb_article_update",
	    "UPDATE kb_articles a SET title = $3, summary = $4, body = $5, tags = " TAGS("$6") ","
	    " product_ids = " PRODUCTS("$7") ", updated_by = $8,"
	    " type = CASE WHEN a.original_id IS NULL THEN $9 ELSE a.type END,"
	    " visibility = CASE WHEN a.original_id IS NULL THEN $10 ELSE a.visibility END,"
	    " category_id = CASE WHEN a.original_id IS NULL THEN $11::bigint ELSE a.category_id END,"
	    " slug = CASE WHEN a.original_id IS NULL AND $12 <> '' THEN $12 ELSE a.slug END,"
	    " source_version = CASE WHEN a.original_id IS NULL THEN NULL ELSE"
	    "  (SELECT o.content_version FROM kb_articles o WHERE o.id = a.original_id) END"
	    " WHERE a.id = $1 AND a.revision = $2 RETURNING a.id", 12),
	[ST_EXISTS] = DB_STMT("kb_article_exists",
	    "SELECT " DB_COLS(STATUS_COLS) " FROM kb_articles WHERE id = $1", 1),
	[ST_STATUS] = DB_STMT("kb_article_status",
	    "UPDATE kb_articles SET status = $3, updated_by = $2,"
	    " reviewer_id = CASE WHEN $3 = 'published' THEN $2 ELSE reviewer_id END"
	    " WHERE id = $1 AND status = $4 RETURNING id", 4),
	[ST_GET] = DB_STMT("kb_article_get_staff",
	    "SELECT " DB_COLS(GET_COLS) GET_MORE(DB_COL_SQL_)
	    " FROM kb_articles a WHERE a.id = $1", 1),
	[ST_LIST] = DB_STMT("kb_article_list",
	    LIST_FROM
	    " WHERE ($1 = '' OR a.status = $1) AND ($2::bigint = 0 OR a.category_id = $2)"
	    " AND ($3 = '' OR a.search @@ websearch_to_tsquery('english', $3)"
	    "  OR strpos(lower(a.title), lower($3)) > 0)"
	    " ORDER BY a.updated_at DESC, a.id DESC LIMIT $4 OFFSET $5", 5),
	[ST_TRANSLATIONS] = DB_STMT("kb_translations",
	    LIST_FROM " WHERE a.original_id = $1 ORDER BY a.language", 1),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "a statement per enum");

const char *
kb_slugify(struct arena *a, const char *title)
{
	size_t i, n = 0;
	char *out = arena_alloc(a, 81);
	int dash = 0;

	if (out == NULL)
		return NULL;
	for (i = 0; title != NULL && title[i] != '\0' && n < 80; i++) {
		char c = title[i];

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
			if (dash && n > 0 && n < 79)
				out[n++] = '-';
			dash = 0;
			out[n++] = c;
		} else if (c != '\'') {
			dash = 1;
		}
	}
	out[n] = '\0';
	return n > 0 ? out : arena_strdup(a, "article");
}

/* Tags: each at most KB_TAG_MAX characters, at most KB_TAGS_MAX of them. */
static enum cs_result
tags_check(const char *tags, const char **why)
{
	const char *p;
	size_t len;
	int ntags = 0;

	for (p = tags ? tags : ""; *p != '\0'; p += len + (p[len] == ',')) {
		len = strcspn(p, ",");
		if (utf8_chars_n(p, len) > KB_TAG_MAX)
			return kb_refuse(why, CS_REFUSED, "A tag is longer than 40 characters.");
		if (++ntags > KB_TAGS_MAX)
			return kb_refuse(why, CS_REFUSED, "Use at most 20 tags.");
	}
	return CS_OK;
}

/* Product ids: "1,2,3", digits and single inner commas. */
static enum cs_result
products_check(const char *products, const char **why)
{
	const char *p;

	for (p = products ? products : ""; *p != '\0'; p++)
		if (!((*p >= '0' && *p <= '9') || *p == ',') || (*p == ',' && p[1] == ','))
			return kb_refuse(why, CS_REFUSED, "Choose products from the list.");
	if (products != NULL && (products[0] == ',' ||
	    (products[0] != '\0' && products[strlen(products) - 1] == ',')))
		return kb_refuse(why, CS_REFUSED, "Choose products from the list.");
	return CS_OK;
}

enum cs_result
kb_author_check(const struct kb_edit *e, const char **why)
{
	if (e->title == NULL || e->title[0] == '\0')
		return kb_refuse(why, CS_REFUSED, "Give the article a title.");
	if (utf8_chars(e->title) > KB_TITLE_MAX)
		return kb_refuse(why, CS_REFUSED, "The title is longer than 200 characters.");
	if (e->summary != NULL && utf8_chars(e->summary) > KB_SUMMARY_MAX)
		return kb_refuse(why, CS_REFUSED, "The summary is longer than 500 characters.");
	if (e->body == NULL || utf8_chars(e->body) > KB_BODY_MAX)
		return kb_refuse(why, CS_REFUSED, "The text is longer than 100,000 characters.");
	if (!kb_type_valid(e->type))
		return kb_refuse(why, CS_REFUSED, "Choose the type of article.");
	if (e->visibility == NULL || (strcmp(e->visibility, "public") != 0 &&
	    strcmp(e->visibility, "customers") != 0 && strcmp(e->visibility, "internal") != 0))
		return kb_refuse(why, CS_REFUSED, "Choose who may read the article.");
	if (e->category_id <= 0)
		return kb_refuse(why, CS_REFUSED, "Choose a category.");
	if (e->slug != NULL && e->slug[0] != '\0' && !kb_slug_ok(e->slug, KB_SLUG_MAX))
		return kb_refuse(why, CS_REFUSED,
		    "The address may use a-z, 0-9 and single hyphens only.");
	if (tags_check(e->tags, why) != CS_OK)
		return CS_REFUSED;
	return products_check(e->products, why);
}

enum cs_result
kb_article_create(struct db *db, struct arena *a, long long staff_id, const struct kb_edit *e,
    long long source_ticket_id, long long *id, const char **why)
{
	char cat[24], staff[24], ticket[24];
	const char *base, *slug;
	const char *p[] = { NULL, cat, e->type, e->visibility, e->title,
		e->summary ? e->summary : "", e->body, e->tags ? e->tags : "",
		e->products ? e->products : "", staff, source_ticket_id ? ticket : NULL };
	PGresult *res;
	enum cs_result rc;
	int attempt, auto_slug = e->slug == NULL || e->slug[0] == '\0';

	if ((rc = kb_author_check(e, why)) != CS_OK)
		return rc;
	snprintf(cat, sizeof(cat), "%lld", e->category_id);
	snprintf(staff, sizeof(staff), "%lld", staff_id);
	snprintf(ticket, sizeof(ticket), "%lld", source_ticket_id);
	base = auto_slug ? kb_slugify(a, e->title) : e->slug;
	if (base == NULL)
		return CS_FAILED;
	/* A slug made from the title gets -2, -3… when taken. */
	for (attempt = 1; attempt <= 50; attempt++) {
		slug = attempt == 1 ? base : arena_printf(a, "%.*s-%d", 110, base, attempt);
		if (slug == NULL)
			return CS_FAILED;
		p[0] = slug;
		if ((res = db_exec(db, &stmts[ST_CREATE], p)) != NULL) {
			*id = db_ll(res, 0, ID_id);
			PQclear(res);
			return CS_OK;
		}
		if (db_is(db, "23503"))
			return kb_refuse(why, CS_REFUSED, "Choose a category.");
		if (!db_is(db, "23505"))
			return db_result(db);
		if (!auto_slug)
			break;
	}
	return kb_refuse(why, CS_TAKEN, "Another article already has this address.");
}

enum cs_result
kb_article_update(struct db *db, struct arena *a, long long staff_id, long long id,
    int revision, const struct kb_edit *e, const char **why)
{
	char ids[24], rev[16], staff[24], cat[24];
	/* An empty address keeps the present one: links to it keep working. */
	const char *slug = e->slug ? e->slug : "";
	const char *p[] = { ids, rev, e->title, e->summary ? e->summary : "", e->body,
		e->tags ? e->tags : "", e->products ? e->products : "", staff, e->type,
		e->visibility, cat, slug };
	const char *ep[] = { ids };
	PGresult *res;
	enum cs_result rc;
	int n;

	(void)a;
	if ((rc = kb_author_check(e, why)) != CS_OK)
		return rc;
	snprintf(ids, sizeof(ids), "%lld", id);
	snprintf(rev, sizeof(rev), "%d", revision);
	snprintf(staff, sizeof(staff), "%lld", staff_id);
	snprintf(cat, sizeof(cat), "%lld", e->category_id);
	if ((res = db_exec(db, &stmts[ST_UPDATE], p)) == NULL) {
		if (db_is(db, "23505"))
			return kb_refuse(why, CS_TAKEN, "Another article already has this address.");
		if (db_is(db, "23503"))
			return kb_refuse(why, CS_REFUSED, "Choose a category.");
		return db_result(db);
	}
	n = PQntuples(res);
	PQclear(res);
	if (n == 1)
		return CS_OK;
	if ((res = db_exec(db, &stmts[ST_EXISTS], ep)) == NULL)
		return db_result(db);
	n = PQntuples(res);
	PQclear(res);
	if (n == 0)
		return kb_refuse(why, CS_NOT_FOUND, "There is no such article.");
	return kb_refuse(why, CS_CONFLICT, "Someone saved this article after you opened it. Your"
	    " text is below; compare with the history, then save again.");
}

/* The workflow: from → to pairs an author may make. */
static const char *const moves[][2] = {
	{ "draft", "review" }, { "review", "draft" }, { "review", "published" },
	{ "draft", "published" }, { "published", "archived" }, { "archived", "draft" },
	{ "published", "draft" },
};

size_t
kb_status_next(const char *from, int can_publish, const char **out)
{
	size_t i, n = 0;

	for (i = 0; from != NULL && i < sizeof(moves) / sizeof(moves[0]) && n < 4; i++)
		if (strcmp(moves[i][0], from) == 0 &&
		    (can_publish || strcmp(moves[i][1], "published") != 0))
			out[n++] = moves[i][1];
	return n;
}

enum cs_result
kb_article_set_status(struct db *db, long long staff_id, long long id, const char *status,
    int can_publish, const char **why)
{
	char ids[24], staff[24];
	const char *ep[] = { ids };
	const char *p[] = { ids, staff, status, NULL };
	PGresult *res;
	char from[16];
	size_t i;
	int n;

	snprintf(ids, sizeof(ids), "%lld", id);
	snprintf(staff, sizeof(staff), "%lld", staff_id);
	if ((res = db_exec(db, &stmts[ST_EXISTS], ep)) == NULL)
		return db_result(db);
	if (PQntuples(res) == 0) {
		PQclear(res);
		return kb_refuse(why, CS_NOT_FOUND, "There is no such article.");
	}
	snprintf(from, sizeof(from), "%s", PQgetvalue(res, 0, SC_status));
	PQclear(res);
	for (i = 0; i < sizeof(moves) / sizeof(moves[0]); i++)
		if (strcmp(moves[i][0], from) == 0 && status != NULL &&
		    strcmp(moves[i][1], status) == 0)
			break;
	if (i == sizeof(moves) / sizeof(moves[0]))
		return kb_refuse(why, CS_REFUSED,
		    "The article cannot move to that status from where it is.");
	if (strcmp(status, "published") == 0 && !can_publish)
		return kb_refuse(why, CS_REFUSED,
		    "Only supervisors and admins publish: send it for review.");
	p[3] = from;
	if ((res = db_exec(db, &stmts[ST_STATUS], p)) == NULL)
		return db_result(db);
	n = PQntuples(res);
	PQclear(res);
	return n == 1 ? CS_OK : kb_refuse(why, CS_CONFLICT,
	    "Someone changed the status meanwhile: look again.");
}

enum cs_result
kb_article_get(struct db *db, struct arena *a, long long id, struct kb_article *out)
{
	char ids[24];
	const char *p[] = { ids };
	PGresult *res;
	enum cs_result rc = CS_NOT_FOUND;

	snprintf(ids, sizeof(ids), "%lld", id);
	if ((res = db_exec(db, &stmts[ST_GET], p)) == NULL)
		return db_result(db);
	if (PQntuples(res) == 1) {
		rc = kb_fill_article(a, res, 0, out);
		out->outdated = db_bool(res, 0, AG_outdated);
	}
	PQclear(res);
	return rc;
}

static enum cs_result
fill_list(struct arena *a, const PGresult *res, int i, void *elem)
{
	struct kb_list_row *r = elem;
	int failed = 0;

	r->id = db_ll(res, i, LS_id);
	r->original_id = db_ll(res, i, LS_original_id);
	r->views = db_ll(res, i, LS_views);
	r->helpful_yes = db_ll(res, i, LS_helpful_yes);
	r->helpful_no = db_ll(res, i, LS_helpful_no);
	r->used_in_tickets = db_ll(res, i, LS_used_in_tickets);
	r->slug = db_str(a, res, i, LS_slug, &failed);
	r->title = db_str(a, res, i, LS_title, &failed);
	r->type = db_str(a, res, i, LS_type, &failed);
	r->status = db_str(a, res, i, LS_status, &failed);
	r->visibility = db_str(a, res, i, LS_visibility, &failed);
	r->language = db_str(a, res, i, LS_language, &failed);
	r->category = db_str(a, res, i, LS_category, &failed);
	r->author = db_str(a, res, i, LS_author, &failed);
	r->updated = db_str(a, res, i, LS_updated, &failed);
	r->outdated = db_bool(res, i, LS_outdated);
	return failed ? CS_FAILED : CS_OK;
}

static enum cs_result
list_query(struct db *db, struct arena *a, enum stmt st, const char *const *p,
    struct kb_list_row **out, size_t *n)
{
	void *rows;
	enum cs_result rc = db_rows(db, a, &stmts[st], p, sizeof(**out), fill_list, &rows, n);

	*out = rows;
	return rc;
}

enum cs_result
kb_article_list(struct db *db, struct arena *a, const struct kb_list_filter *f,
    struct kb_list_row **out, size_t *n)
{
	char cat[24], lim[16], off[16];
	const char *p[] = { f->status ? f->status : "", cat, f->q ? f->q : "", lim, off };

	snprintf(cat, sizeof(cat), "%lld", f->category_id);
	snprintf(lim, sizeof(lim), "%d", f->limit);
	snprintf(off, sizeof(off), "%d", f->offset);
	return list_query(db, a, ST_LIST, p, out, n);
}

enum cs_result
kb_translations(struct db *db, struct arena *a, long long original_id,
    struct kb_list_row **out, size_t *n)
{
	char ids[24];
	const char *p[] = { ids };

	snprintf(ids, sizeof(ids), "%lld", original_id);
	return list_query(db, a, ST_TRANSLATIONS, p, out, n);
}
