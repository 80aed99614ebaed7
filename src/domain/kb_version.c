/*
 * kb_version.c — the versions of an article (kb_author.h): translations
 * started from an original, and the history of revisions with restoring
 * one.
 */
#include "domain/kb_author.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/kb_int.h"

#include <stdio.h>
#include <string.h>

#define ID_COLS(X) X(ID, id, "id")
enum { DB_COL_ENUM(ID_COLS) };

/* The columns of struct kb_revision; the texts only for one revision. */
#define REV_COLS(X) \
	X(RV, revision, "r.revision") X(RV, who, "coalesce(s.name, 'system')") \
	X(RV, when, KB_TS("r.created_at")) X(RV, changed, "array_to_string(r.changed, ', ')")
#define REV_TEXT_COLS(X) REV_COLS(X) \
	X(RV, title, "r.title") X(RV, summary, "r.summary") X(RV, body, "r.body") \
	X(RV, tags, "array_to_string(r.tags, ', ')") X(RV, type, "r.type") \
	X(RV, visibility, "r.visibility") X(RV, status, "r.status") \
	X(RV, category_id, "r.category_id")
enum { DB_COL_ENUM(REV_TEXT_COLS) };

enum stmt {
	ST_TRANSLATE,
	ST_REVISIONS,
	ST_REVISION,
	ST_RESTORE,
	ST__MAX
};

static struct db_stmt stmts[] = {
	[ST_TRANSLATE] = DB_STMT("kb_translation_create",
	    "INSERT INTO kb_articles (slug, category_id, type, status, visibility, language,"
	    " original_id, source_version, title, summary, body, tags, product_ids, author_id,"
	    " updated_by)"
	    " SELECT o.slug, o.category_id, o.type, 'draft', o.visibility, $2, o.id,"
	    " o.content_version, o.title, o.summary, o.body, o.tags, o.product_ids, $3, $3"
	    " FROM kb_articles o WHERE o.id = $1 AND o.original_id IS NULL AND o.language <> $2"
	    " RETURNING " DB_COLS(ID_COLS), 3),
	[ST_REVISIONS] = DB_STMT("kb_revisions",
	    "SELECT " DB_COLS(REV_COLS) " FROM kb_revisions r"
	    " LEFT JOIN staff s ON s.id = r.staff_id WHERE r.article_id = $1"
	    " ORDER BY r.revision DESC", 1),
	[ST_REVISION] = DB_STMT("kb_revision_get",
	    "SELECT " DB_COLS(REV_TEXT_COLS)
	    " FROM kb_revisions r LEFT JOIN staff s ON s.id = r.staff_id"
	    " WHERE r.article_id = $1 AND r.revision = $2", 2),
	[ST_RESTORE] = DB_STMT("kb_revision_restore",
	    "UPDATE kb_articles a SET title = r.title, summary = r.summary, body = r.body,"
	    " tags = r.tags, product_ids = r.product_ids, type = r.type, visibility = r.visibility,"
	    " category_id = r.category_id, updated_by = $3"
	    " FROM kb_revisions r WHERE a.id = $1 AND r.article_id = a.id AND r.revision = $2"
	    " RETURNING a.id", 3),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "a statement per enum");

/* "de" or "fr-ca". */
static int
language_ok(const char *l)
{
	size_t n = l ? strlen(l) : 0;

	return (n == 2 || n == 5) && l[0] >= 'a' && l[0] <= 'z' && l[1] >= 'a' && l[1] <= 'z' &&
	    (n == 2 || (l[2] == '-' && l[3] >= 'a' && l[3] <= 'z' && l[4] >= 'a' && l[4] <= 'z'));
}

enum cs_result
kb_translation_create(struct db *db, long long staff_id, long long original_id,
    const char *language, long long *id, const char **why)
{
	char ids[24], staff[24];
	const char *p[] = { ids, language, staff };
	PGresult *res;

	if (!language_ok(language))
		return kb_refuse(why, CS_REFUSED, "Give the language as a code such as de or fr-ca.");
	snprintf(ids, sizeof(ids), "%lld", original_id);
	snprintf(staff, sizeof(staff), "%lld", staff_id);
	if ((res = db_exec(db, &stmts[ST_TRANSLATE], p)) == NULL)
		return db_is(db, "23505") ? kb_refuse(why, CS_TAKEN, "There is a translation into"
		    " that language already.") : db_result(db);
	if (PQntuples(res) == 0) {
		PQclear(res);
		return kb_refuse(why, CS_REFUSED,
		    "Only an original, into another language, can be translated.");
	}
	*id = db_ll(res, 0, ID_id);
	PQclear(res);
	return CS_OK;
}

/* The history's part of a revision: number, who, when, what changed. */
static enum cs_result
fill_revision(struct arena *a, const PGresult *res, int i, void *elem)
{
	struct kb_revision *r = elem;
	int failed = 0;

	r->revision = (int)db_ll(res, i, RV_revision);
	r->who = db_str(a, res, i, RV_who, &failed);
	r->when = db_str(a, res, i, RV_when, &failed);
	r->changed = db_str(a, res, i, RV_changed, &failed);
	return failed ? CS_FAILED : CS_OK;
}

enum cs_result
kb_revisions(struct db *db, struct arena *a, long long article_id, struct kb_revision **out,
    size_t *n)
{
	char ids[24];
	const char *p[] = { ids };
	void *rows;
	enum cs_result rc;

	snprintf(ids, sizeof(ids), "%lld", article_id);
	rc = db_rows(db, a, &stmts[ST_REVISIONS], p, sizeof(**out), fill_revision, &rows, n);
	*out = rows;
	return rc;
}

enum cs_result
kb_revision_get(struct db *db, struct arena *a, long long article_id, int revision,
    struct kb_revision *out)
{
	char ids[24], rev[16];
	const char *p[] = { ids, rev };
	PGresult *res;
	int failed = 0;

	snprintf(ids, sizeof(ids), "%lld", article_id);
	snprintf(rev, sizeof(rev), "%d", revision);
	if ((res = db_exec(db, &stmts[ST_REVISION], p)) == NULL)
		return db_result(db);
	if (PQntuples(res) == 0) {
		PQclear(res);
		return CS_NOT_FOUND;
	}
	memset(out, 0, sizeof(*out));
	failed = fill_revision(a, res, 0, out) != CS_OK;
	out->title = db_str(a, res, 0, RV_title, &failed);
	out->summary = db_str(a, res, 0, RV_summary, &failed);
	out->body = db_str(a, res, 0, RV_body, &failed);
	out->tags = db_str(a, res, 0, RV_tags, &failed);
	out->type = db_str(a, res, 0, RV_type, &failed);
	out->visibility = db_str(a, res, 0, RV_visibility, &failed);
	out->status = db_str(a, res, 0, RV_status, &failed);
	out->category_id = db_ll(res, 0, RV_category_id);
	PQclear(res);
	return failed ? CS_FAILED : CS_OK;
}

enum cs_result
kb_revision_restore(struct db *db, long long staff_id, long long article_id, int revision)
{
	char ids[24], rev[16], staff[24];
	const char *p[] = { ids, rev, staff };
	PGresult *res;
	int n;

	snprintf(ids, sizeof(ids), "%lld", article_id);
	snprintf(rev, sizeof(rev), "%d", revision);
	snprintf(staff, sizeof(staff), "%lld", staff_id);
	if ((res = db_exec(db, &stmts[ST_RESTORE], p)) == NULL)
		return db_result(db);
	n = PQntuples(res);
	PQclear(res);
	return n == 1 ? CS_OK : CS_NOT_FOUND;
}
