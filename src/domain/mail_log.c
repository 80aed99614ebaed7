/* mail_log.c — see mail_log.h. */
#include "domain/mail_log.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/mail_text.h"

#include <stdio.h>
#include <string.h>

#define LOG_COLS(X) X(LG, id, "m.id") \
	X(LG, received_at, "to_char(m.received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI')") \
	X(LG, from_addr, "m.from_addr") X(LG, subject, "m.subject") X(LG, status, "m.status") \
	X(LG, why, "m.why") X(LG, ticket, "coalesce(t.number, '')") \
	X(LG, suggested, "coalesce(s.number, '')") X(LG, review, "m.review") X(LG, size, "m.size")
enum { DB_COL_ENUM(LOG_COLS) };

#define ORIGINAL_COLS(X) X(OR, raw, "substring(m.raw FROM 1 FOR $2::integer)")
enum { DB_COL_ENUM(ORIGINAL_COLS) };

#define LOG_FROM " FROM mail_messages m LEFT JOIN tickets t ON t.id = m.ticket_id" \
	" LEFT JOIN tickets s ON s.id = m.suggested_ticket_id"

enum stmt {
	ST_PAGE,
	ST_PAGE_STATUS,
	ST_ONE,
	ST_ORIGINAL,
	ST__MAX
};

static struct db_stmt stmts[] = {
	/* $1 before id (0: the newest), $2 rows. Walks the primary key backwards. */
	[ST_PAGE] = DB_STMT("mail_log_page",
	    "SELECT " DB_COLS(LOG_COLS) LOG_FROM " WHERE ($1::bigint = 0 OR m.id < $1)"
	    " ORDER BY m.id DESC LIMIT $2::integer", 2),
	/* The same for one status: mail_messages_status (status, id). */
	[ST_PAGE_STATUS] = DB_STMT("mail_log_page_status",
	    "SELECT " DB_COLS(LOG_COLS) LOG_FROM " WHERE m.status = $3"
	    " AND ($1::bigint = 0 OR m.id < $1) ORDER BY m.id DESC LIMIT $2::integer", 3),
	[ST_ONE] = DB_STMT("mail_log_one",
	    "SELECT " DB_COLS(LOG_COLS) LOG_FROM " WHERE m.id = $1", 1),
	[ST_ORIGINAL] = DB_STMT("mail_log_original",
	    "SELECT " DB_COLS(ORIGINAL_COLS) " FROM mail_messages m WHERE m.id = $1", 2),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

static const char *const statuses[] = { "received", "ticket", "reply", "note", "bounce",
	"ignored", "failed" };

int
mail_log_status_ok(const char *s)
{
	size_t i;

	for (i = 0; s != NULL && i < sizeof(statuses) / sizeof(statuses[0]); i++)
		if (strcmp(s, statuses[i]) == 0)
			return 1;
	return 0;
}

static enum cs_result
fill(struct arena *a, const PGresult *r, int row, void *elem)
{
	struct mail_log_row *m = elem;
	int failed = 0;

	m->id = db_ll(r, row, LG_id);
	m->received_at = db_str(a, r, row, LG_received_at, &failed);
	m->from_addr = db_str(a, r, row, LG_from_addr, &failed);
	m->subject = db_str(a, r, row, LG_subject, &failed);
	m->status = db_str(a, r, row, LG_status, &failed);
	m->why = db_str(a, r, row, LG_why, &failed);
	m->ticket = db_str(a, r, row, LG_ticket, &failed);
	m->suggested = db_str(a, r, row, LG_suggested, &failed);
	m->review = db_bool(r, row, LG_review);
	m->size = db_ll(r, row, LG_size);
	return failed ? CS_FAILED : CS_OK;
}

enum cs_result
mail_log_page(struct db *db, struct arena *a, const char *status, long long before_id,
    struct mail_log_row **rows, size_t *n, long long *next_before)
{
	char before[24], limit[16];
	const char *p[3] = { before, limit, status };
	enum cs_result rc;
	int more = 0;

	*next_before = 0;
	snprintf(before, sizeof(before), "%lld", before_id > 0 ? before_id : 0);
	snprintf(limit, sizeof(limit), "%d", MAIL_LOG_PAGE + 1);
	rc = db_page(db, a, &stmts[status != NULL ? ST_PAGE_STATUS : ST_PAGE], p, MAIL_LOG_PAGE,
	    sizeof(**rows), fill, (void **)rows, n, &more);
	if (rc == CS_OK && more && *n > 0)
		*next_before = (*rows)[*n - 1].id;
	return rc;
}

enum cs_result
mail_log_get(struct db *db, struct arena *a, long long id, struct mail_log_row *row,
    const char **original, int *cut)
{
	char ids[24], max[16];
	const char *p[2] = { ids, max };
	unsigned char *raw;
	size_t len = 0;
	PGresult *r;
	enum cs_result rc;

	snprintf(ids, sizeof(ids), "%lld", id);
	snprintf(max, sizeof(max), "%u", MAIL_LOG_ORIGINAL_MAX);
	if ((rc = db_one(db, a, &stmts[ST_ONE], p, fill, row)) != CS_OK)
		return rc;
	if ((r = db_exec(db, &stmts[ST_ORIGINAL], p)) == NULL)
		return db_result(db);
	raw = PQntuples(r) == 1 ? PQunescapeBytea((const unsigned char *)PQgetvalue(r, 0,
	    OR_raw), &len) : NULL;
	PQclear(r);
	if (raw == NULL)
		return CS_FAILED;
	*original = mail_text_clean(a, (const char *)raw, len);
	*cut = row->size > (long long)MAIL_LOG_ORIGINAL_MAX;
	PQfreemem(raw);
	return *original != NULL ? CS_OK : CS_FAILED;
}
