/*
 * kb_category.c — the knowledge base's category tree: reading it (kb.h)
 * and saving a category (kb_category_save, kb_author.h).
 */
#include "domain/kb.h"
#include "domain/kb_author.h"
#include "core/arena.h"
#include "core/utf8.h"
#include "db/db.h"
#include "domain/kb_int.h"

#include <string.h>

/* The columns of struct kb_category; counts and depth differ per statement. */
#define CAT_COLS(X, counts_expr, depth_expr) \
	X(CAT, id, "c.id") X(CAT, parent_id, "coalesce(c.parent_id, 0)") X(CAT, slug, "c.slug") \
	X(CAT, name, "c.name") X(CAT, description, "c.description") \
	X(CAT, position, "c.position") X(CAT, articles, counts_expr) X(CAT, depth, depth_expr)
#define CAT_POS_(X) CAT_COLS(X, "0", "0")
enum { DB_COL_ENUM(CAT_POS_) };

/* The published articles aud ($1) may read in c: a scan per category at scale. */
#define CAT_COUNTS(X) CAT_COLS(X, "(SELECT count(*) FROM kb_articles a" \
	" WHERE a.category_id = c.id AND" KB_PUBLISHED("a") ")", "t.depth")
/* For a select: no counts. */
#define CAT_PLAIN(X) CAT_COLS(X, "0 + 0 * cardinality($1::text[])", "t.depth")
#define CAT_ONE(X) CAT_COLS(X, "0", "0")

#define SAVED_COLS(X) X(SV, id, "id")
enum { DB_COL_ENUM(SAVED_COLS) };

/* A step of a category's path that sorts as text: position, name, id. */
#define STEP "(lpad((c.position + 1000000000)::text, 11, '0') || ':' || c.name || ':' || c.id)"
#define CATEGORY_TREE(cols) \
	"WITH RECURSIVE tree AS (" \
	" SELECT c.id, c.parent_id, 0 AS depth, ARRAY[" STEP "] AS path" \
	" FROM kb_categories c WHERE c.parent_id IS NULL" \
	" UNION ALL" \
	" SELECT c.id, c.parent_id, t.depth + 1, t.path || " STEP \
	" FROM kb_categories c JOIN tree t ON c.parent_id = t.id WHERE t.depth < 20)" \
	" SELECT " DB_COLS(cols) " FROM tree t JOIN kb_categories c ON c.id = t.id ORDER BY t.path"

enum stmt {
	ST_TREE,
	ST_TREE_PLAIN,
	ST_PATH,
	ST_BY_SLUG,
	ST_INSERT,
	ST_UPDATE,
	ST__MAX
};

static struct db_stmt stmts[] = {
	[ST_TREE] = DB_STMT("kb_categories", CATEGORY_TREE(CAT_COUNTS), 1),
	[ST_TREE_PLAIN] = DB_STMT("kb_categories_plain", CATEGORY_TREE(CAT_PLAIN), 1),
	[ST_PATH] = DB_STMT("kb_category_path",
	    "WITH RECURSIVE up AS (SELECT id, parent_id, 0 AS n FROM kb_categories WHERE id = $1"
	    " UNION ALL SELECT c.id, c.parent_id, up.n + 1 FROM kb_categories c"
	    " JOIN up ON c.id = up.parent_id WHERE up.n < 20)"
	    " SELECT " DB_COLS(CAT_ONE) " FROM up JOIN kb_categories c ON c.id = up.id"
	    " ORDER BY up.n DESC", 1),
	[ST_BY_SLUG] = DB_STMT("kb_category_by_slug",
	    "SELECT " DB_COLS(CAT_ONE) " FROM kb_categories c WHERE c.slug = $1", 1),
	[ST_INSERT] = DB_STMT("kb_category_insert",
	    "INSERT INTO kb_categories (name, slug, parent_id, position, description)"
	    " VALUES ($1, $2, $3, $4, $5) RETURNING " DB_COLS(SAVED_COLS), 5),
	[ST_UPDATE] = DB_STMT("kb_category_update",
	    "UPDATE kb_categories SET name = $2, slug = $3, parent_id = $4, position = $5,"
	    " description = $6 WHERE id = $1 RETURNING " DB_COLS(SAVED_COLS), 6),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "a statement per enum");

static enum cs_result
fill_category(struct arena *a, const PGresult *res, int i, void *elem)
{
	struct kb_category *c = elem;
	int failed = 0;

	c->id = db_ll(res, i, CAT_id);
	c->parent_id = db_ll(res, i, CAT_parent_id);
	c->slug = db_str(a, res, i, CAT_slug, &failed);
	c->name = db_str(a, res, i, CAT_name, &failed);
	c->description = db_str(a, res, i, CAT_description, &failed);
	c->position = (int)db_ll(res, i, CAT_position);
	c->articles = db_ll(res, i, CAT_articles);
	c->depth = (int)db_ll(res, i, CAT_depth);
	return failed ? CS_FAILED : CS_OK;
}

static enum cs_result
categories_query(struct db *db, struct arena *a, enum stmt st, const char *const *p,
    struct kb_category **out, size_t *n)
{
	void *rows;
	enum cs_result rc = db_rows(db, a, &stmts[st], p, sizeof(**out), fill_category, &rows, n);

	*out = rows;
	return rc;
}

enum cs_result
kb_categories(struct db *db, struct arena *a, enum kb_audience aud, int counts,
    struct kb_category **out, size_t *n)
{
	const char *p[] = { kb_audience_param(aud) };

	return categories_query(db, a, counts ? ST_TREE : ST_TREE_PLAIN, p, out, n);
}

/*
 * The list without counts (what a select offers) as this worker last read
 * it: the search page shows it with every search, and it changes a few
 * times a year. kb_state.categories (049) moves with any change, and the
 * search statement returns it.
 */
static struct {
	struct arena *arena;	/* NULL: nothing kept */
	long long version;
	struct kb_category *rows;
	size_t n;
} kept;

enum cs_result
kb_categories_kept(struct db *db, struct arena *a, long long version, struct kb_category **out,
    size_t *n)
{
	struct kb_category *rows;
	size_t i;
	int failed = 0;

	if (version == 0)
		return kb_categories(db, a, KB_VISITOR, 0, out, n);
	if (kept.arena == NULL || kept.version != version) {
		struct arena *fresh = arena_new(8192);
		enum cs_result rc;

		if (fresh == NULL)
			return CS_FAILED;
		if ((rc = kb_categories(db, fresh, KB_VISITOR, 0, &rows, &i)) != CS_OK) {
			arena_free(fresh);
			return rc;
		}
		arena_free(kept.arena);
		kept.arena = fresh;
		kept.rows = rows;
		kept.n = i;
		kept.version = version;
	}
	/* Copied: a later reload frees what the request would still point at. */
	*out = NULL;
	*n = kept.n;
	if (kept.n == 0)
		return CS_OK;
	if ((rows = arena_calloc(a, kept.n, sizeof(*rows))) == NULL)
		return CS_FAILED;
	for (i = 0; i < kept.n; i++) {
		rows[i] = kept.rows[i];
		failed |= (rows[i].slug = arena_strdup(a, kept.rows[i].slug)) == NULL;
		failed |= (rows[i].name = arena_strdup(a, kept.rows[i].name)) == NULL;
		failed |= (rows[i].description = arena_strdup(a, kept.rows[i].description)) == NULL;
	}
	*out = rows;
	return failed ? CS_FAILED : CS_OK;
}

enum cs_result
kb_category_path(struct db *db, struct arena *a, long long id, struct kb_category **out,
    size_t *n)
{
	const char *p[] = { db_param_ll(a, id) };

	*out = NULL;
	*n = 0;
	if (p[0] == NULL)
		return CS_FAILED;
	return categories_query(db, a, ST_PATH, p, out, n);
}

enum cs_result
kb_category_by_slug(struct db *db, struct arena *a, const char *slug, struct kb_category *out)
{
	const char *p[] = { slug };
	struct kb_category *c;
	size_t n;
	enum cs_result rc = categories_query(db, a, ST_BY_SLUG, p, &c, &n);

	if (rc != CS_OK)
		return rc;
	if (n == 0)
		return CS_NOT_FOUND;
	*out = c[0];
	return CS_OK;
}

/* Checks a category against the limits. CS_OK, or CS_REFUSED with *why. */
static enum cs_result
category_check(long long id, const char *name, const char *slug, long long parent_id,
    const char *description, const char **why)
{
	static const char *const reserved[] = { "search", "suggest", "a", "images" };
	size_t i;

	if (name == NULL || name[0] == '\0' || utf8_chars(name) > KB_CATEGORY_NAME_MAX)
		return kb_refuse(why, CS_REFUSED, "Give the category a name of up to 100 characters.");
	if (slug == NULL || !kb_slug_ok(slug, KB_CATEGORY_SLUG_MAX))
		return kb_refuse(why, CS_REFUSED,
		    "The address may use a-z, 0-9 and single hyphens only.");
	for (i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++)
		if (strcmp(slug, reserved[i]) == 0)
			return kb_refuse(why, CS_REFUSED,
			    "That address is taken by the help centre itself.");
	if (description != NULL && utf8_chars(description) > KB_CATEGORY_DESCRIPTION_MAX)
		return kb_refuse(why, CS_REFUSED, "The description is longer than 500 characters.");
	if (id != 0 && parent_id == id)
		return kb_refuse(why, CS_REFUSED, "A category cannot be its own parent.");
	return CS_OK;
}

enum cs_result
kb_category_save(struct db *db, struct arena *a, long long id, const char *name,
    const char *slug, long long parent_id, int position, const char *description,
    long long *out_id, const char **why)
{
	const char *desc = description ? description : "";
	const char *ids = db_param_ll(a, id), *parent = db_param_id(a, parent_id);
	const char *pos = db_param_ll(a, position);
	const char *ip[] = { name, slug, parent, pos, desc };
	const char *up[] = { ids, name, slug, parent, pos, desc };
	enum cs_result rc;
	PGresult *res;

	if (slug == NULL || slug[0] == '\0')
		slug = kb_slugify(a, name);
	if (slug == NULL)
		return CS_FAILED;
	ip[1] = up[2] = slug;
	if ((rc = category_check(id, name, slug, parent_id, description, why)) != CS_OK)
		return rc;
	if (ids == NULL || pos == NULL || (parent_id != 0 && parent == NULL))
		return CS_FAILED;
	res = id == 0 ? db_exec(db, &stmts[ST_INSERT], ip) : db_exec(db, &stmts[ST_UPDATE], up);
	if (res == NULL) {
		if (db_is(db, "23505"))
			return kb_refuse(why, CS_TAKEN, "Another category already has this address.");
		if (db_is(db, "23514"))
			return kb_refuse(why, CS_REFUSED,
			    "A category cannot move under itself or its subcategories.");
		if (db_is(db, "23503"))
			return kb_refuse(why, CS_REFUSED, "Choose a parent from the list.");
		return db_result(db);
	}
	if (PQntuples(res) == 0) {
		PQclear(res);
		return kb_refuse(why, CS_NOT_FOUND, "There is no such category.");
	}
	if (out_id != NULL)
		*out_id = db_ll(res, 0, SV_id);
	PQclear(res);
	return CS_OK;
}
