/*
 * ticket_files.c — attachments: which files are accepted (by name, and
 * never a program whatever its name says), storing them with a ticket or
 * a comment, and serving one back to who may see it. See tickets.h.
 */
#include "domain/ticket_int.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/text_check.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define DL_COLS(X) \
	X(DL, filename, "a.filename") X(DL, content_type, "a.content_type") X(DL, data, "a.data")
enum { DB_COL_ENUM(DL_COLS) };

enum stmt {
	ST_ATTACH,
	ST_DOWNLOAD,
	ST__MAX
};

static struct db_stmt stmts[] = {
	[ST_ATTACH] = DB_STMT("ticket_attach",
	    "INSERT INTO ticket_attachments (ticket_id, comment_id, filename, content_type, size,"
	    " sha256, data) VALUES ($1, $2, $3, $4, $5, $6, $7)", 7),
	[ST_DOWNLOAD] = DB_STMT("ticket_download",
	    "SELECT " DB_COLS(DL_COLS) " FROM ticket_attachments a"
	    " JOIN tickets t ON t.id = a.ticket_id"
	    " LEFT JOIN ticket_comments m ON m.id = a.comment_id"
	    " WHERE t.number = $1 AND a.id = $2 AND" TICKET_SCOPE("$3", "$4", "$5", "$6")
	    " AND ($3 OR m.kind IS NULL OR m.kind <> 'internal')", 6),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

/* Allowed attachments: by the name's extension, with the type we store. */
static const struct {
	const char *ext;
	const char *type;
} file_types[] = {
	{ "png", "image/png" }, { "jpg", "image/jpeg" }, { "jpeg", "image/jpeg" },
	{ "gif", "image/gif" }, { "webp", "image/webp" }, { "heic", "image/heic" },
	{ "pdf", "application/pdf" }, { "txt", "text/plain" }, { "log", "text/plain" },
	{ "csv", "text/csv" }, { "zip", "application/zip" },
	/* From mail: a forwarded message, and Outlook's winmail.dat kept as it came. */
	{ "eml", "message/rfc822" }, { "dat", "application/ms-tnef" },
	{ "doc", "application/msword" },
	{ "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document" },
	{ "xls", "application/vnd.ms-excel" },
	{ "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" },
	{ "ppt", "application/vnd.ms-powerpoint" },
	{ "pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation" },
	{ "odt", "application/vnd.oasis.opendocument.text" },
	{ "ods", "application/vnd.oasis.opendocument.spreadsheet" },
	{ "odp", "application/vnd.oasis.opendocument.presentation" },
};

const char *
ticket_file_type(const char *filename)
{
	const char *dot = filename != NULL ? strrchr(filename, '.') : NULL;
	size_t i;

	if (dot == NULL || dot == filename)
		return NULL;
	for (i = 0; i < sizeof(file_types) / sizeof(file_types[0]); i++)
		if (strcasecmp(dot + 1, file_types[i].ext) == 0)
			return file_types[i].type;
	return NULL;
}

const char *
ticket_download_type(const char *stored)
{
	size_t i;

	for (i = 0; stored != NULL && i < sizeof(file_types) / sizeof(file_types[0]); i++)
		if (strcmp(stored, file_types[i].type) == 0)
			return stored;
	return "application/octet-stream";
}

/* Executables whatever their name says: PE, ELF, Mach-O, scripts. */
static int
looks_executable(const unsigned char *d, size_t n)
{
	static const struct {
		const char *magic;
		size_t len;
	} magics[] = {
		{ "MZ", 2 }, { "\x7f" "ELF", 4 }, { "#!", 2 }, { "\xcf\xfa\xed\xfe", 4 },
		{ "\xce\xfa\xed\xfe", 4 }, { "\xca\xfe\xba\xbe", 4 },
	};
	size_t i;

	for (i = 0; i < sizeof(magics) / sizeof(magics[0]); i++)
		if (n >= magics[i].len && memcmp(d, magics[i].magic, magics[i].len) == 0)
			return 1;
	return 0;
}

const char *
ticket_file_refused(const struct ticket_file *f)
{
	if (f->filename == NULL || f->filename[0] == '\0')
		return "a file has no name";
	if (!ticket_text_fits(f->filename, TICKET_FILENAME_MAX))
		return "a file name is too long";
	if (f->len == 0)
		return "a file is empty";
	if (f->len > TICKET_FILE_MAX)
		return "a file is larger than 10 MB";
	if (ticket_file_type(f->filename) == NULL)
		return "that type of file is not accepted (images, PDF, text, CSV, ZIP and "
		    "office documents are)";
	if (looks_executable(f->data, f->len))
		return "programs are not accepted";
	return NULL;
}

const char *
ticket_files_refused(const struct ticket_file *files, size_t n)
{
	const char *why;
	size_t i;

	if (n > TICKET_FILES_MAX)
		return "at most 10 files at a time";
	for (i = 0; i < n; i++)
		if ((why = ticket_file_refused(&files[i])) != NULL)
			return why;
	return NULL;
}

enum cs_result
ticket_files_store(struct db *db, const struct ticket_actor_ref *by, long long ticket_id,
    long long comment_id, const struct ticket_file *files, size_t n)
{
	enum cs_result rc;
	size_t i;

	for (i = 0; i < n; i++) {
		/* Stored without what would show it other than it is: a
		 * right-to-left override makes "a\u202Efdp.zip" read "apiz.pdf". */
		char name[TICKET_FILENAME_MAX * 4 + 1];
		unsigned char sha[crypto_hash_sha256_BYTES];
		struct tnum t, c, sz;
		const char *p[] = { tnum(&t, ticket_id), tnum_or_null(&c, comment_id),
			name, NULL,
			tnum(&sz, (long long)files[i].len), (const char *)sha,
			(const char *)files[i].data };
		int len[] = { 0, 0, 0, 0, 0, (int)sizeof(sha), (int)files[i].len };
		int fmt[] = { 0, 0, 0, 0, 0, 1, 1 };
		PGresult *r;

		text_line_clean(name, sizeof(name), files[i].filename);
		p[3] = ticket_file_type(name);
		crypto_hash_sha256(sha, files[i].data, files[i].len);
		r = db_exec_bin(db, &stmts[ST_ATTACH], p, len, fmt);
		if (r == NULL)
			return db_result(db);
		PQclear(r);
		rc = ticket_history(db, by, ticket_id, "attachment", NULL, name);
		if (rc != CS_OK)
			return rc;
	}
	return CS_OK;
}

enum cs_result
ticket_download(struct db *db, struct arena *a, const struct ticket_actor_ref *by,
    const char *number, long long attachment_id, struct ticket_download *d)
{
	struct tnum n[3];
	const char *p[6];
	PGresult *r;
	unsigned char *raw;
	size_t len = 0;
	int failed = 0;

	memset(d, 0, sizeof(*d));
	p[0] = number;
	p[1] = tnum(&n[2], attachment_id);
	ticket_scope_params(by, n, p + 2);
	if ((r = db_exec(db, &stmts[ST_DOWNLOAD], p)) == NULL)
		return db_result(db);
	if (PQntuples(r) != 1) {
		PQclear(r);
		return CS_NOT_FOUND;
	}
	d->filename = db_str(a, r, 0, DL_filename, &failed);
	d->content_type = db_str(a, r, 0, DL_content_type, &failed);
	raw = PQunescapeBytea((const unsigned char *)PQgetvalue(r, 0, DL_data), &len);
	PQclear(r);
	if (raw == NULL || failed)
		goto fail;
	if (len > 0) {
		unsigned char *copy = arena_alloc(a, len);

		if (copy == NULL)
			goto fail;
		memcpy(copy, raw, len);
		d->data = copy;
	}
	d->len = len;
	PQfreemem(raw);
	return CS_OK;
fail:
	PQfreemem(raw);
	return CS_FAILED;
}
