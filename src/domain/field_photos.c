/*
 * field_photos.c — photos of a visit: what is accepted (by the bytes),
 * adding them under the visit's lock, sharing them, and reading them as a
 * viewer may; see field_photos.h.
 */
#include "domain/field_photos.h"
#include "core/arena.h"
#include "core/image.h"
#include "core/utf8.h"
#include "db/db.h"
#include "domain/field.h"
#include "domain/field_int.h"
#include "domain/text_check.h"
#include "domain/tickets.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define LOCK_COLS(X) X(LK, customer_id, "customer_id")
enum { DB_COL_ENUM(LOCK_COLS) };
#define COUNT_COLS(X) X(CT, n, "count(*)")
enum { DB_COL_ENUM(COUNT_COLS) };
#define ADDED_COLS(X) X(AD, id, "id")
enum { DB_COL_ENUM(ADDED_COLS) };
#define PHOTO_COLS(X) \
	X(PH, id, "p.id") X(PH, filename, "p.filename") X(PH, content_type, "p.content_type") \
	X(PH, caption, "p.caption") \
	X(PH, taken, "to_char(p.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI')") \
	X(PH, size, "p.size") X(PH, shared, "p.shared")
enum { DB_COL_ENUM(PHOTO_COLS) };
#define FILE_COLS(X) \
	X(PF, filename, "p.filename") X(PF, content_type, "p.content_type") X(PF, data, "p.data")
enum { DB_COL_ENUM(FILE_COLS) };

/* Who may see: $2 every visit, else the technician $3; a customer $4 (0: staff) the shared ones. */
#define VIEWER_SCOPE \
	" JOIN appointments ap ON ap.id = p.appointment_id WHERE p.appointment_id = $1::bigint" \
	" AND ($2::bool OR ap.technician_id = $3::bigint)" \
	" AND ($4::bigint = 0 OR (p.shared AND p.customer_id = $4::bigint))"

enum stmt {
	ST_LOCK,
	ST_COUNT,
	ST_ADD,
	ST_UPDATE,
	ST_LIST,
	ST_FILE,
	ST__MAX
};

static struct db_stmt stmts[] = {
	/* The visit, its technician's, locked so two uploads count one after the other. */
	[ST_LOCK] = DB_STMT("field_photo_lock",
	    "SELECT " DB_COLS(LOCK_COLS) " FROM appointments WHERE id = $1::bigint"
	    " AND technician_id = $2::bigint AND status <> 'cancelled' FOR NO KEY UPDATE", 2),
	[ST_COUNT] = DB_STMT("field_photo_count",
	    "SELECT " DB_COLS(COUNT_COLS) " FROM job_photos WHERE appointment_id = $1::bigint", 1),
	[ST_ADD] = DB_STMT("field_photo_add",
	    "INSERT INTO job_photos (appointment_id, customer_id, staff_id, filename, content_type,"
	    " size, sha256, data, caption, shared) VALUES ($1::bigint, $2::bigint, $3::bigint, $4, $5,"
	    " $6::int, $7, $8, $9, $10::bool) ON CONFLICT (appointment_id, sha256) DO NOTHING"
	    " RETURNING " DB_COLS(ADDED_COLS), 10),
	[ST_UPDATE] = DB_STMT("field_photo_update",
	    "UPDATE job_photos p SET caption = $4, shared = $5::bool FROM appointments ap"
	    " WHERE p.id = $3::bigint AND p.appointment_id = $1::bigint AND ap.id = p.appointment_id"
	    " AND ap.technician_id = $2::bigint", 5),
	[ST_LIST] = DB_STMT("field_photos_of",
	    "SELECT " DB_COLS(PHOTO_COLS) " FROM job_photos p" VIEWER_SCOPE
	    " ORDER BY p.id LIMIT 12", 4),
	[ST_FILE] = DB_STMT("field_photo_file",
	    "SELECT " DB_COLS(FILE_COLS) " FROM job_photos p" VIEWER_SCOPE
	    " AND p.id = $5::bigint", 5),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");
_Static_assert(FIELD_PHOTOS_PER_VISIT == 12, "ST_LIST's LIMIT and 053's comment say 12");

/* The name as shown in a sentence: what was sent, or "photo". */
static const char *
shown_name(const struct ticket_file *f)
{
	return f->filename != NULL && f->filename[0] != '\0' ? f->filename : "photo";
}

const char *
field_photo_refused(struct arena *a, const struct ticket_file *f)
{
	if (f->len == 0)
		return arena_printf(a, "\"%s\" is empty; nothing was added.", shown_name(f));
	if (f->len > FIELD_PHOTO_MAX)
		return arena_printf(a, "\"%s\" is larger than 8 MB; nothing was added.",
		    shown_name(f));
	if (image_photo_type_of(f->data, f->len) == NULL)
		return arena_printf(a, "\"%s\" is not a JPEG, PNG or WebP photo; nothing was added.",
		    shown_name(f));
	return NULL;
}

/* What the visit is called in its events: the photo's number and what it is. */
static enum cs_result
photo_event(struct db *db, const struct field_actor *by, long long id, const char *type,
    json_t *o)
{
	return o != NULL ? field_event(db, by, id, type, o) : CS_FAILED;
}

/* Stores one photo; *id 0 when the visit has those bytes already. */
static enum cs_result
store_one(struct db *db, struct arena *a, const struct field_actor *by, long long id,
    const char *customer, const struct ticket_file *f, const char *caption, int shared,
    long long *photo)
{
	char name[FIELD_PHOTO_NAME_MAX * 4 + 1], hex[crypto_hash_sha256_BYTES * 2 + 1];
	unsigned char sha[crypto_hash_sha256_BYTES];
	const char *type = image_photo_type_of(f->data, f->len);
	const char *p[] = { db_param_ll(a, id), customer, db_param_ll(a, by->staff_id), name, type,
		db_param_ll(a, (long long)f->len), (const char *)sha, (const char *)f->data,
		caption, shared ? "t" : "f" };
	const int len[] = { 0, 0, 0, 0, 0, 0, (int)sizeof(sha), (int)f->len, 0, 0 };
	const int fmt[] = { 0, 0, 0, 0, 0, 0, 1, 1, 0, 0 };
	PGresult *r;

	*photo = 0;
	/* As tickets store names: nothing that would show it as another. */
	text_line_clean(name, sizeof(name), shown_name(f));
	if (utf8_chars(name) > FIELD_PHOTO_NAME_MAX || name[0] == '\0')
		snprintf(name, sizeof(name), "photo");
	crypto_hash_sha256(sha, f->data, f->len);
	if ((r = db_exec_bin(db, &stmts[ST_ADD], p, len, fmt)) == NULL)
		return db_result(db);
	if (PQntuples(r) == 1)
		*photo = db_ll(r, 0, AD_id);
	PQclear(r);
	if (*photo == 0)
		return CS_OK;
	sodium_bin2hex(hex, sizeof(hex), sha, sizeof(sha));
	return photo_event(db, by, id, "appointment.photo_added", json_pack("{s:I, s:s, s:I, s:s, s:b}",
	    "photo_id", (json_int_t)*photo, "filename", name, "size", (json_int_t)f->len,
	    "sha256", hex, "shared", shared));
}

enum cs_result
field_photos_add(struct db *db, struct arena *a, const struct field_actor *by, long long id,
    const struct ticket_file *files, size_t n, const char *caption, int shared, size_t *added,
    const char **why)
{
	const char *p[] = { db_param_ll(a, id), db_param_ll(a, by->staff_id) }, *customer;
	long long have, photo;
	enum cs_result rc;
	PGresult *r;
	size_t i;

	*added = 0;
	*why = NULL;
	if (caption == NULL)
		caption = "";
	if (n == 0)
		*why = "Choose a photo to add.";
	else if (utf8_chars(caption) > FIELD_PHOTO_CAPTION_MAX)
		*why = "Keep the caption to 200 characters.";
	for (i = 0; *why == NULL && i < n; i++)
		*why = field_photo_refused(a, &files[i]);
	if (*why != NULL)
		return CS_REFUSED;
	if (p[0] == NULL || p[1] == NULL || db_begin(db) < 0)
		return CS_FAILED;
	if ((r = db_exec(db, &stmts[ST_LOCK], p)) == NULL)
		return db_end(db, db_result(db));
	customer = PQntuples(r) == 1 ? db_str(a, r, 0, LK_customer_id, &(int){ 0 }) : NULL;
	PQclear(r);
	if (customer == NULL)
		return db_end(db, CS_NOT_FOUND);
	/* Counted after the lock: a statement of its own sees what committed before it. */
	if ((r = db_exec(db, &stmts[ST_COUNT], p)) == NULL)
		return db_end(db, db_result(db));
	have = db_ll(r, 0, CT_n);
	PQclear(r);
	for (i = 0, rc = CS_OK; rc == CS_OK && i < n; i++) {
		rc = store_one(db, a, by, id, customer, &files[i], caption, shared, &photo);
		if (rc != CS_OK || photo == 0)
			continue;
		if (++have > FIELD_PHOTOS_PER_VISIT) {
			*why = arena_printf(a, "\"%s\" would be photo %lld of this visit, which keeps"
			    " %d at most; nothing was added.", shown_name(&files[i]), have,
			    FIELD_PHOTOS_PER_VISIT);
			rc = *why != NULL ? CS_REFUSED : CS_FAILED;
		} else
			(*added)++;
	}
	if (rc != CS_OK)
		*added = 0;
	return db_end(db, rc);
}

enum cs_result
field_photo_update(struct db *db, struct arena *a, const struct field_actor *by, long long id,
    long long photo_id, const char *caption, int shared, const char **why)
{
	const char *p[] = { db_param_ll(a, id), db_param_ll(a, by->staff_id),
		db_param_ll(a, photo_id), caption != NULL ? caption : "", shared ? "t" : "f" };
	enum cs_result rc;

	*why = NULL;
	if (utf8_chars(p[3]) > FIELD_PHOTO_CAPTION_MAX) {
		*why = "Keep the caption to 200 characters.";
		return CS_REFUSED;
	}
	if (p[0] == NULL || p[1] == NULL || p[2] == NULL || db_begin(db) < 0)
		return CS_FAILED;
	rc = db_update_one(db, &stmts[ST_UPDATE], p);
	if (rc == CS_OK)
		rc = photo_event(db, by, id, "appointment.photo_changed",
		    json_pack("{s:I, s:s, s:b}", "photo_id", (json_int_t)photo_id, "caption", p[3],
		    "shared", shared));
	return db_end(db, rc);
}

/* The viewer's four parameters after the visit's id. 0, or -1 out of memory. */
static int
viewer_params(struct arena *a, const struct field_photo_viewer *v, long long id,
    const char **p)
{
	p[0] = db_param_ll(a, id);
	p[1] = v->all_jobs || v->customer_id > 0 ? "t" : "f";
	p[2] = db_param_ll(a, v->staff_id);
	p[3] = db_param_ll(a, v->customer_id > 0 ? v->customer_id : 0);
	return p[0] != NULL && p[2] != NULL && p[3] != NULL ? 0 : -1;
}

static enum cs_result
fill_photo(struct arena *a, const PGresult *r, int i, void *elem)
{
	struct field_photo *ph = elem;
	int failed = 0;

	ph->id = db_ll(r, i, PH_id);
	ph->filename = db_str(a, r, i, PH_filename, &failed);
	ph->content_type = db_str(a, r, i, PH_content_type, &failed);
	ph->caption = db_str(a, r, i, PH_caption, &failed);
	ph->taken = db_str(a, r, i, PH_taken, &failed);
	ph->size = db_ll(r, i, PH_size);
	ph->shared = db_bool(r, i, PH_shared);
	return failed ? CS_FAILED : CS_OK;
}

enum cs_result
field_photos_of(struct db *db, struct arena *a, const struct field_photo_viewer *v, long long id,
    struct field_photo **rows, size_t *n)
{
	const char *p[4];
	void *out = NULL;
	enum cs_result rc;

	*rows = NULL;
	*n = 0;
	if (viewer_params(a, v, id, p) < 0)
		return CS_FAILED;
	rc = db_rows(db, a, &stmts[ST_LIST], p, sizeof(**rows), fill_photo, &out, n);
	*rows = out;
	return rc;
}

int
field_photos_send(struct db_pipe *pipe, struct arena *a, const struct field_photo_viewer *v,
    long long id)
{
	const char **p = arena_alloc(a, 4 * sizeof(*p));

	if (p == NULL || viewer_params(a, v, id, p) < 0)
		return -1;
	return db_pipe_add(pipe, &stmts[ST_LIST], p);
}

enum cs_result
field_photos_rows(struct db_pipe *pipe, int i, struct arena *a, struct field_photo **rows,
    size_t *n)
{
	void *out = NULL;
	enum cs_result rc = db_pipe_rows(pipe, i, a, sizeof(**rows), fill_photo, &out, n);

	*rows = out;
	return rc;
}

static enum cs_result
fill_file(struct arena *a, const PGresult *r, int i, void *elem)
{
	struct field_photo_file *f = elem;
	int failed = 0;

	f->filename = db_str(a, r, i, PF_filename, &failed);
	f->content_type = db_str(a, r, i, PF_content_type, &failed);
	if (failed)
		return CS_FAILED;
	return db_bytes(a, r, i, PF_data, &f->data, &f->len);
}

enum cs_result
field_photo_file(struct db *db, struct arena *a, const struct field_photo_viewer *v, long long id,
    long long photo_id, struct field_photo_file *out)
{
	const char *p[5];

	memset(out, 0, sizeof(*out));
	if (viewer_params(a, v, id, p) < 0 || (p[4] = db_param_ll(a, photo_id)) == NULL)
		return CS_FAILED;
	return db_one(db, a, &stmts[ST_FILE], p, fill_file, out);
}
