/*
 * kb_image.c — the images of articles: reading one as a reader may
 * (kb_image_get, kb.h), adding one and listing them for authors
 * (kb_image_add, kb_images, kb_author.h).
 */
#include "domain/kb.h"
#include "core/image.h"
#include "domain/kb_author.h"
#include "core/arena.h"
#include "core/utf8.h"
#include "db/db.h"
#include "domain/kb_int.h"

#include <stdio.h>
#include <string.h>

#define IMAGE_COLS(X) \
	X(IM, id, "i.id") X(IM, article_id, "i.article_id") X(IM, filename, "i.filename") \
	X(IM, content_type, "i.content_type") X(IM, size, "i.size") X(IM, data, "i.data")
enum { DB_COL_ENUM(IMAGE_COLS) };
/* The list: everything but the data. */
#define IMAGE_LIST_COLS(X) \
	X(IM, id, "id") X(IM, article_id, "article_id") X(IM, filename, "filename") \
	X(IM, content_type, "content_type") X(IM, size, "size")
#define ADDED_COLS(X) X(AD, id, "id")
enum { DB_COL_ENUM(ADDED_COLS) };

enum stmt {
	ST_GET,
	ST_ADD,
	ST_LIST,
	ST__MAX
};

static struct db_stmt stmts[] = {
	[ST_GET] = DB_STMT("kb_image_get",
	    "SELECT " DB_COLS(IMAGE_COLS) " FROM kb_images i"
	    " JOIN kb_articles a ON a.id = i.article_id WHERE i.id = $2"
	    " AND ($3 OR (a.status = 'published' AND a.visibility = ANY($1::text[])))", 3),
	[ST_ADD] = DB_STMT("kb_image_add",
	    "INSERT INTO kb_images (article_id, filename, content_type, size, data, staff_id)"
	    " VALUES ($1, $2, $3, $4, $5, $6) RETURNING " DB_COLS(ADDED_COLS), 6),
	[ST_LIST] = DB_STMT("kb_images",
	    "SELECT " DB_COLS(IMAGE_LIST_COLS) " FROM kb_images"
	    " WHERE article_id = $1 ORDER BY id DESC", 1),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "a statement per enum");

/* Everything of an image but its data. */
static enum cs_result
fill_image(struct arena *a, const PGresult *res, int i, void *elem)
{
	struct kb_image *im = elem;
	int failed = 0;

	im->id = db_ll(res, i, IM_id);
	im->article_id = db_ll(res, i, IM_article_id);
	im->filename = db_str(a, res, i, IM_filename, &failed);
	im->content_type = db_str(a, res, i, IM_content_type, &failed);
	im->size = (size_t)db_ll(res, i, IM_size);
	return failed ? CS_FAILED : CS_OK;
}

enum cs_result
kb_image_get(struct db *db, struct arena *a, enum kb_audience aud, long long id,
    struct kb_image *out)
{
	char ids[24];
	const char *p[] = { kb_audience_param(aud), ids, aud == KB_STAFF ? "t" : "f" };
	PGresult *res;
	unsigned char *raw;
	size_t len;
	enum cs_result rc = CS_FAILED;

	snprintf(ids, sizeof(ids), "%lld", id);
	if ((res = db_exec(db, &stmts[ST_GET], p)) == NULL)
		return db_result(db);
	if (PQntuples(res) == 0) {
		rc = CS_NOT_FOUND;
		goto out;
	}
	if (fill_image(a, res, 0, out) != CS_OK)
		goto out;
	raw = PQunescapeBytea((const unsigned char *)PQgetvalue(res, 0, IM_data), &len);
	if (raw == NULL)
		goto out;
	out->data = (unsigned char *)arena_alloc(a, len ? len : 1);
	if (out->data != NULL) {
		memcpy((unsigned char *)out->data, raw, len);
		out->size = len;
		rc = CS_OK;
	}
	PQfreemem(raw);
out:
	PQclear(res);
	return rc;
}

enum cs_result
kb_image_add(struct db *db, long long staff_id, long long article_id, const char *filename,
    const void *data, size_t len, long long *id, const char **why)
{
	char ids[24], size[24], staff[24];
	const char *type = image_type_of(data, len);
	const char *p[] = { ids, filename, type, size, data, staff };
	const int lengths[] = { 0, 0, 0, 0, (int)len, 0 };
	const int formats[] = { 0, 0, 0, 0, 1, 0 };
	PGresult *res;

	if (len == 0 || type == NULL)
		return kb_refuse(why, CS_REFUSED, "Add a PNG, JPEG, GIF or WebP image.");
	if (len > KB_IMAGE_MAX)
		return kb_refuse(why, CS_REFUSED, "An image may be 5 MB at most.");
	/* A name the table would refuse is not worth refusing the image for. */
	if (filename == NULL || filename[0] == '\0' ||
	    utf8_chars(filename) > KB_IMAGE_NAME_MAX)
		filename = "image";
	p[1] = filename;
	snprintf(ids, sizeof(ids), "%lld", article_id);
	snprintf(size, sizeof(size), "%zu", len);
	snprintf(staff, sizeof(staff), "%lld", staff_id);
	if ((res = db_exec_bin(db, &stmts[ST_ADD], p, lengths, formats)) == NULL)
		return db_is(db, "23503") ? kb_refuse(why, CS_NOT_FOUND, "There is no such article.") :
		    db_result(db);
	*id = db_ll(res, 0, AD_id);
	PQclear(res);
	return CS_OK;
}

enum cs_result
kb_images(struct db *db, struct arena *a, long long article_id, struct kb_image **out,
    size_t *n)
{
	const char *p[] = { db_param_ll(a, article_id) };
	void *rows;
	enum cs_result rc;

	*out = NULL;
	*n = 0;
	if (p[0] == NULL)
		return CS_FAILED;
	rc = db_rows(db, a, &stmts[ST_LIST], p, sizeof(**out), fill_image, &rows, n);
	*out = rows;
	return rc;
}
