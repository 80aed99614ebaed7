/* mail_intake.c — storing a received message and recording what became of it; see mail_intake.h. */
#include "domain/mail_intake.h"
#include "core/arena.h"
#include "core/log.h"
#include "db/db.h"
#include "domain/mail_int.h"
#include "domain/mail_parse.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/*
 * A stored row, with the attachment limits its parsing needs: read in the
 * same round trip (they are settings an admin changes now and then, read
 * afresh for every message).
 */
#define FILE_MAX_SQL "(SELECT value FROM settings WHERE key = 'mail_attachment_max_bytes')"
#define TYPES_SQL "(SELECT value FROM settings WHERE key = 'mail_attachment_types')"
#define STORED_COLS(X) X(SD, id, "id") X(SD, status, "status") \
	X(SD, file_max, FILE_MAX_SQL) X(SD, types, TYPES_SQL)
enum { DB_COL_ENUM(STORED_COLS) };

#define LOAD_COLS(X) X(LD, raw, "raw") X(LD, recipient, "recipient") \
	X(LD, file_max, FILE_MAX_SQL) X(LD, types, TYPES_SQL)
enum { DB_COL_ENUM(LOAD_COLS) };

/*
 * No row: not a mail's ticket (the API with channel email), answered as
 * any other. Counted in the outbox: every host shares the limit.
 */
#define AUTO_COLS(X) \
	X(AU, ok, "m.auto_reply AND (SELECT count(*) FROM notifications n" \
	    " WHERE n.kind = 'ticket_created' AND n.recipient = m.from_addr" \
	    " AND n.created_at > now() - interval '1 hour')" \
	    " < coalesce((SELECT value::integer FROM settings" \
	    " WHERE key = 'mail_autoreply_per_hour'), 3)") \
	X(AU, text, "(SELECT value FROM settings WHERE key = 'mail_autoreply_text')")
enum { DB_COL_ENUM(AUTO_COLS) };

enum stmt {
	ST_STORE,
	ST_FIND,
	ST_LOAD,
	ST_DONE,
	ST_AUTO_REPLY,
	ST__MAX
};

static struct db_stmt stmts[] = {
	/*
	 * Committed without waiting for the disk (the set_config, local to
	 * this statement's transaction): the row is in the server, kept
	 * whatever the parser does next, but the wait for its flush is left
	 * to the filing's commit, which waits as every commit does and, the
	 * log being written in order, makes this row durable with it. The MTA
	 * hears "stored" only after that commit (mail_intake returns CS_OK
	 * then), so a crash of the machine in between loses a row the MTA
	 * still holds and delivers again. One flush a message instead of two.
	 */
	[ST_STORE] = DB_STMT("mail_store",
	    "INSERT INTO mail_messages (message_id, raw_sha256, raw, size, recipient)"
	    " SELECT $1, $2, $3, $4, left($5, 254)"
	    " FROM (SELECT set_config('synchronous_commit', 'off', true)) async"
	    " ON CONFLICT (message_id, raw_sha256) DO NOTHING"
	    " RETURNING " DB_COLS(STORED_COLS), 5),
	[ST_FIND] = DB_STMT("mail_stored",
	    "SELECT " DB_COLS(STORED_COLS) " FROM mail_messages"
	    " WHERE message_id = $1 AND raw_sha256 = $2", 2),
	[ST_LOAD] = DB_STMT("mail_load",
	    "SELECT " DB_COLS(LOAD_COLS) " FROM mail_messages WHERE id = $1", 1),
	[ST_DONE] = DB_STMT("mail_filed",
	    "UPDATE mail_messages SET status = $2, why = left($3, 500), ticket_id = $4,"
	    " comment_id = $5, sender_id = $6, review = $7, suggested_ticket_id = $8,"
	    " auto_reply = $9, bounce_of = $10, from_addr = left($11, 254),"
	    " subject = left($12, 300), processed_at = now() WHERE id = $1", 12),
	/*
	 * No row: not a mail's ticket (the API with channel email), answered
	 * as any other. Counted in the outbox: every host shares the limit.
	 */
	[ST_AUTO_REPLY] = DB_STMT("mail_auto_reply",
	    "SELECT " DB_COLS(AUTO_COLS) " FROM mail_messages m WHERE m.ticket_id = $1"
	    " AND m.status = 'ticket' ORDER BY m.id LIMIT 1", 1),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

enum cs_result
mail_auto_reply(struct db *db, struct arena *a, long long ticket_id, int *ok, const char **text)
{
	char id[24];
	const char *p[] = { id };
	PGresult *r;
	int failed = 0;

	snprintf(id, sizeof(id), "%lld", ticket_id);
	*ok = 1;
	*text = NULL;
	if ((r = db_exec(db, &stmts[ST_AUTO_REPLY], p)) == NULL)
		return db_result(db);
	if (PQntuples(r) == 1) {
		*ok = db_bool(r, 0, AU_ok);
		*text = PQgetisnull(r, 0, AU_text) ? NULL : db_str(a, r, 0, AU_text, &failed);
	}
	PQclear(r);
	return failed ? CS_FAILED : CS_OK;
}

/*
 * The Message-ID of the header block of raw, without <>, in a ("" when
 * none): read without a MIME parser, so a message is stored before
 * anything that could fail on it runs.
 */
static const char *
header_message_id(struct arena *a, const unsigned char *raw, size_t len)
{
	const char *p = (const char *)raw, *end = p + len;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		size_t n = eol != NULL ? (size_t)(eol - p) : (size_t)(end - p);

		if (n == 0 || (n == 1 && p[0] == '\r'))
			break;
		if (n > 11 && strncasecmp(p, "Message-ID:", 11) == 0) {
			const char *v = p + 11, *lt, *gt;

			/* The value may be folded onto the next line. */
			if (eol != NULL && (size_t)(eol - v) < 3 && eol + 1 < end &&
			    (eol[1] == ' ' || eol[1] == '\t')) {
				v = eol + 1;
				eol = memchr(v, '\n', (size_t)(end - v));
			}
			lt = memchr(v, '<', (size_t)((eol != NULL ? eol : end) - v));
			gt = lt != NULL ? memchr(lt, '>', (size_t)((eol != NULL ? eol : end) - lt)) :
			    NULL;
			if (lt != NULL && gt != NULL && gt - lt - 1 <= 998)
				return arena_strndup(a, lt + 1, (size_t)(gt - lt - 1));
			return "";
		}
		if (eol == NULL)
			break;
		p = eol + 1;
	}
	return "";
}

/* The limits in columns file_max and types of row 0 of r (defaults when unset). */
static enum cs_result
limits_of(struct arena *a, const PGresult *r, int file_max, int types, struct mail_limits *lim)
{
	long long n = strtoll(PQgetvalue(r, 0, file_max), NULL, 10);
	int failed = 0;

	lim->file_max = n > 0 && n <= (1LL << 30) ? (size_t)n : 10u << 20;
	lim->types = PQgetisnull(r, 0, types) ? "" : db_str(a, r, 0, types, &failed);
	return failed ? CS_FAILED : CS_OK;
}

/*
 * Stores raw; *id its row, *todo when it still has to be filed, *lim the
 * limits to parse it with.
 */
static enum cs_result
store(struct db *db, struct arena *a, const unsigned char *raw, size_t len,
    const char *recipient, long long *id, int *todo, struct mail_limits *lim)
{
	unsigned char sha[crypto_hash_sha256_BYTES];
	char size[24];
	const char *p[5];
	int lens[5] = { 0, sizeof(sha), (int)len, 0, 0 }, fmts[5] = { 0, 1, 1, 0, 0 };
	PGresult *r;
	enum cs_result rc = CS_FAILED;

	crypto_hash_sha256(sha, raw, len);
	snprintf(size, sizeof(size), "%zu", len);
	p[0] = header_message_id(a, raw, len);
	p[1] = (const char *)sha;
	p[2] = (const char *)raw;
	p[3] = size;
	p[4] = recipient != NULL ? recipient : "";
	if (p[0] == NULL)
		return CS_FAILED;
	if ((r = db_exec_bin(db, &stmts[ST_STORE], p, lens, fmts)) == NULL)
		return db_result(db);
	if (PQntuples(r) == 1) {
		*id = db_ll(r, 0, SD_id);
		*todo = 1;
		rc = limits_of(a, r, SD_file_max, SD_types, lim);
		PQclear(r);
		return rc;
	}
	PQclear(r);
	/* Stored before (a retry), or by a delivery of it at the same moment. */
	if ((r = db_exec_bin(db, &stmts[ST_FIND], p, lens, fmts)) == NULL)
		return db_result(db);
	if (PQntuples(r) == 1) {
		*id = db_ll(r, 0, SD_id);
		*todo = strcmp(PQgetvalue(r, 0, SD_status), "received") == 0;
		rc = limits_of(a, r, SD_file_max, SD_types, lim);
	}
	PQclear(r);
	return *id > 0 ? rc : CS_FAILED;
}

/* Records f on row id (inside the filing transaction). */
static enum cs_result
record(struct db *db, long long id, const struct mail_parsed *m, const struct mail_filed *f)
{
	char ids[7][24];
	const long long v[7] = { id, f->ticket_id, f->comment_id, f->sender_id, f->suggested_id,
		f->bounce_of, 0 };
	const char *p[12];
	int i;

	for (i = 0; i < 6; i++)
		snprintf(ids[i], sizeof(ids[i]), "%lld", v[i]);
	p[0] = ids[0];
	p[1] = f->status;
	p[2] = f->why != NULL ? f->why : "";
	p[3] = f->ticket_id > 0 ? ids[1] : NULL;
	p[4] = f->comment_id > 0 ? ids[2] : NULL;
	p[5] = f->sender_id > 0 ? ids[3] : NULL;
	p[6] = f->review ? "true" : "false";
	p[7] = f->suggested_id > 0 ? ids[4] : NULL;
	p[8] = f->auto_reply ? "true" : "false";
	p[9] = f->bounce_of > 0 ? ids[5] : NULL;
	p[10] = m->from_addr;
	p[11] = m->subject;
	return db_do(db, &stmts[ST_DONE], p);
}

/*
 * Parses row id (raw, received for recipient) with lim, then files it in
 * one transaction that holds the row; force: file it whatever its status.
 */
static enum cs_result
file_stored(struct db *db, struct arena *a, long long id, const unsigned char *raw, size_t len,
    const char *recipient, const struct mail_limits *lim, int force, struct mail_outcome *out)
{
	struct mail_parsed m;
	struct mail_filed f;
	enum cs_result rc;

	if (mail_parse(a, raw, len, lim, &m) != CS_OK)
		return log_failed("mail: message %lld: out of memory parsing it", id);
	if (db_begin(db) < 0)
		return db_result(db);
	rc = mail_file_message(db, a, id, force, &m, recipient != NULL ? recipient : "", &f);
	if (rc != CS_OK || f.filed_before) {
		out->duplicate = f.filed_before;
		return db_end(db, rc);
	}
	rc = record(db, id, &m, &f);
	if ((rc = db_end(db, rc)) == CS_OK) {
		out->status = f.status;
		out->why = f.why != NULL ? f.why : "";
		out->ticket = f.ticket_number != NULL ? f.ticket_number : "";
	}
	return rc;
}

enum cs_result
mail_intake(struct db *db, struct arena *a, const unsigned char *raw, size_t len,
    const char *recipient, struct mail_outcome *out)
{
	struct mail_limits lim;
	enum cs_result rc;
	int todo = 0;

	memset(out, 0, sizeof(*out));
	out->status = out->why = out->ticket = "";
	if ((rc = store(db, a, raw, len, recipient, &out->id, &todo, &lim)) != CS_OK)
		return rc;
	if (!todo) {
		out->duplicate = 1;
		return CS_OK;
	}
	return file_stored(db, a, out->id, raw, len, recipient, &lim, 0, out);
}

enum cs_result
mail_reprocess(struct db *db, struct arena *a, long long id, struct mail_outcome *out)
{
	struct mail_limits lim;
	char ids[24];
	const char *p[] = { ids };
	unsigned char *raw;
	const char *recipient;
	size_t len = 0;
	PGresult *r;
	int failed = 0;
	enum cs_result rc;

	memset(out, 0, sizeof(*out));
	out->status = out->why = out->ticket = "";
	out->id = id;
	snprintf(ids, sizeof(ids), "%lld", id);
	if ((r = db_exec(db, &stmts[ST_LOAD], p)) == NULL)
		return db_result(db);
	if (PQntuples(r) != 1) {
		PQclear(r);
		return CS_NOT_FOUND;
	}
	recipient = db_str(a, r, 0, LD_recipient, &failed);
	if (limits_of(a, r, LD_file_max, LD_types, &lim) != CS_OK)
		failed = 1;
	raw = PQunescapeBytea((const unsigned char *)PQgetvalue(r, 0, LD_raw), &len);
	PQclear(r);
	if (raw == NULL || failed) {
		PQfreemem(raw);
		return log_failed("mail: message %lld: out of memory", id);
	}
	rc = file_stored(db, a, id, raw, len, recipient, &lim, 1, out);
	PQfreemem(raw);
	return rc;
}
