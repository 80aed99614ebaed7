/* customer_limits.c — see customer_limits.h. */
#include "domain/customer_limits.h"
#include "core/arena.h"
#include "core/config.h"
#include "db/db.h"
#include "domain/tickets.h"

#include <stdint.h>

/*
 * Seconds until the oldest row of a window leaves it: when the count is
 * at its limit, that is when one more fits.
 */
#define WAIT(rows, span) \
	"coalesce(ceil(extract(epoch FROM min(created_at) FILTER (WHERE " rows \
	") + interval '" span "' - now())), 1)::bigint"

/*
 * Of the last hour, the tickets the account opened on the portal ($2 = 0;
 * those staff open for it by phone or mail do not count) or its people's
 * comments ($2 = 1); of the last 24 hours, the files its people sent:
 * those of its comments, and those of the tickets it opened on the portal.
 */
#define COUNT_COLS(X) \
	X(CN, minute, "count(*) FILTER (WHERE created_at > now() - interval '1 minute')") \
	X(CN, minute_wait, WAIT("created_at > now() - interval '1 minute'", "1 minute")) \
	X(CN, hour, "count(*)") \
	X(CN, hour_wait, WAIT("true", "1 hour")) \
	X(CN, files, "(SELECT count(*) FROM files)") \
	X(CN, bytes, "(SELECT coalesce(sum(size), 0) FROM files)") \
	X(CN, files_wait, "(SELECT coalesce(ceil(extract(epoch FROM min(created_at)" \
	    " + interval '1 day' - now())), 1)::bigint FROM files)") \
	X(CN, files_max, "(SELECT value FROM settings WHERE key = 'customer_files_per_day')") \
	X(CN, mb_max, "(SELECT value FROM settings WHERE key = 'customer_file_mb_per_day')") \
	X(CN, per_minute, "(SELECT value FROM settings WHERE key = CASE $2 WHEN 0" \
	    " THEN 'customer_tickets_per_minute' ELSE 'customer_replies_per_minute' END)") \
	X(CN, per_hour, "(SELECT value FROM settings WHERE key = CASE $2 WHEN 0" \
	    " THEN 'customer_tickets_per_hour' ELSE 'customer_replies_per_hour' END)")
enum { DB_COL_ENUM(COUNT_COLS) };

#define STR_(x) #x
#define STR(x) STR_(x)
/* A rate setting at CUSTOMER_RATE_MAX: no limit ($2 as in ST_COUNT). */
#define LIFTED(minute_or_hour) \
	"coalesce((SELECT value ~ '^[0-9]{1,9}$' AND value::integer >= " STR(CUSTOMER_RATE_MAX) \
	" FROM settings WHERE key = CASE $2::integer WHEN 0 THEN 'customer_tickets_per_" minute_or_hour \
	"' ELSE 'customer_replies_per_" minute_or_hour "' END), false)"

enum stmt {
	ST_LOCK,
	ST_COUNT,
	ST__MAX
};

static struct db_stmt stmts[] = {
	/*
	 * One account's changes are counted one at a time (until the
	 * transaction ends); the first key keeps these apart from other locks.
	 * Unless both rates are lifted and no file comes ($3): then nothing is
	 * counted, and changes of one account do not wait for each other.
	 */
	[ST_LOCK] = DB_STMT("customer_limits_lock",
	    "SELECT l.lifted AND NOT $3::boolean, CASE WHEN NOT l.lifted OR $3::boolean THEN"
	    " pg_advisory_xact_lock(727100, ($1::bigint % 2147483647)::integer) END IS NULL"
	    " FROM (SELECT " LIFTED("minute") " AND " LIFTED("hour") " AS lifted) l", 3),
	[ST_COUNT] = DB_STMT("customer_limits_count",
	    "WITH recent AS ("
	    " SELECT created_at FROM tickets WHERE $2 = 0 AND customer_id = $1 AND channel = 'portal'"
	    " AND created_at > now() - interval '1 hour'"
	    " UNION ALL SELECT c.created_at FROM ticket_comments c"
	    " JOIN portal_users u ON u.id = c.author_user_id"
	    " WHERE $2 = 1 AND u.customer_id = $1 AND c.created_at > now() - interval '1 hour'),"
	    " files AS (SELECT f.size, f.created_at FROM ticket_attachments f"
	    " JOIN tickets t ON t.id = f.ticket_id"
	    " LEFT JOIN ticket_comments c ON c.id = f.comment_id"
	    " WHERE t.customer_id = $1 AND f.created_at > now() - interval '1 day'"
	    " AND (c.author_user_id IS NOT NULL"
	    " OR (f.comment_id IS NULL AND t.channel = 'portal')))"
	    " SELECT " DB_COLS(COUNT_COLS) " FROM recent", 2),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

/* What each kind may do when its settings are missing, and its words. */
static const struct {
	long long per_minute, per_hour;
	const char *things;
} rates[] = {
	[CUSTOMER_LIMIT_TICKET] = { CUSTOMER_TICKETS_PER_MINUTE, CUSTOMER_TICKETS_PER_HOUR,
		"new requests" },
	[CUSTOMER_LIMIT_REPLY] = { CUSTOMER_REPLIES_PER_MINUTE, CUSTOMER_REPLIES_PER_HOUR,
		"replies" },
};
_Static_assert(sizeof(rates) / sizeof(rates[0]) == CUSTOMER_LIMIT__MAX, "a rate per kind");

/* "40 seconds", "12 minutes", "3 hours": a wait in words, rounded up. */
static const char *
wait_words(struct arena *a, long long s)
{
	if (s < 60)
		return arena_printf(a, "%lld second%s", s, s == 1 ? "" : "s");
	if (s < 3600)
		return arena_printf(a, "%lld minute%s", (s + 59) / 60, (s + 59) / 60 == 1 ? "" : "s");
	return arena_printf(a, "%lld hour%s", (s + 3599) / 3600, (s + 3599) / 3600 == 1 ? "" : "s");
}

/* A stored setting as a number in [0, max]; missing or unusable: fallback. */
static long long
setting(PGresult *r, int col, long long max, long long fallback)
{
	long long v;

	if (PQgetisnull(r, 0, col) || config_parse_long(PQgetvalue(r, 0, col), 0, max, &v) != 0)
		return fallback;
	return v;
}

/* Sets the refusal and returns CS_LIMITED. */
static enum cs_result
limited(long long wait, int *retry_after, const char **why, const char *sentence)
{
	*retry_after = wait < 1 ? 1 : wait > INT32_MAX ? INT32_MAX : (int)wait;
	*why = sentence;
	return sentence != NULL ? CS_LIMITED : CS_FAILED;
}

/* The verdict on one row of ST_COUNT for n files of bytes. */
static enum cs_result
judge(struct arena *a, PGresult *r, enum customer_limit_kind kind, size_t n,
    unsigned long long bytes, const char **why, int *retry_after)
{
	long long files_max = setting(r, CN_files_max, CUSTOMER_FILES_PER_DAY_MAX,
	    CUSTOMER_FILES_PER_DAY_DEFAULT);
	long long mb_max = setting(r, CN_mb_max, CUSTOMER_FILE_MB_PER_DAY_MAX,
	    CUSTOMER_FILE_MB_PER_DAY_DEFAULT);
	long long files = db_ll(r, 0, CN_files);
	unsigned long long sent = (unsigned long long)db_ll(r, 0, CN_bytes);
	long long per_minute = setting(r, CN_per_minute, CUSTOMER_RATE_MAX, rates[kind].per_minute);
	long long per_hour = setting(r, CN_per_hour, CUSTOMER_RATE_MAX, rates[kind].per_hour);
	const char *things = rates[kind].things;

	if (db_ll(r, 0, CN_minute) >= per_minute)
		return limited(db_ll(r, 0, CN_minute_wait), retry_after, why, arena_printf(a,
		    "Your account has sent %lld %s in the last minute, the most it may. "
		    "Please wait %s, then send again.", per_minute, things,
		    wait_words(a, db_ll(r, 0, CN_minute_wait))));
	if (db_ll(r, 0, CN_hour) >= per_hour)
		return limited(db_ll(r, 0, CN_hour_wait), retry_after, why, arena_printf(a,
		    "Your account has sent %lld %s in the last hour, the most it may. "
		    "Please wait %s, then send again.", per_hour, things,
		    wait_words(a, db_ll(r, 0, CN_hour_wait))));
	if (n == 0)
		return CS_OK;
	if (files + (long long)n > files_max)
		return limited(db_ll(r, 0, CN_files_wait), retry_after, why, arena_printf(a,
		    "Your account may send %lld files a day and has sent %lld since this time "
		    "yesterday, so these %zu cannot be added. Send fewer files, or wait %s.",
		    files_max, files, n, wait_words(a, db_ll(r, 0, CN_files_wait))));
	if (sent + bytes > (unsigned long long)mb_max << 20)
		return limited(db_ll(r, 0, CN_files_wait), retry_after, why, arena_printf(a,
		    "Your account may send %lld MB of files a day and has sent %.1f MB since "
		    "this time yesterday, so these files (%.1f MB) cannot be added. Send smaller "
		    "files, or wait %s.", mb_max, (double)sent / (1 << 20),
		    (double)bytes / (1 << 20), wait_words(a, db_ll(r, 0, CN_files_wait))));
	return CS_OK;
}

enum cs_result
customer_limits_check(struct db *db, struct arena *a, enum customer_limit_kind kind,
    long long customer_id, const struct ticket_file *files, size_t n, const char **why,
    int *retry_after)
{
	const char *p[] = { db_param_id(a, customer_id), kind == CUSTOMER_LIMIT_REPLY ? "1" : "0",
		n > 0 ? "true" : "false" };
	unsigned long long bytes = 0;
	enum cs_result rc;
	PGresult *r;
	size_t i;
	int free_pass;

	*retry_after = 0;
	if ((unsigned)kind >= CUSTOMER_LIMIT__MAX || p[0] == NULL)
		return CS_FAILED;
	for (i = 0; i < n; i++)
		bytes += files[i].len;
	if ((r = db_exec(db, &stmts[ST_LOCK], p)) == NULL)
		return db_result(db);
	free_pass = PQntuples(r) == 1 && db_bool(r, 0, 0);
	PQclear(r);
	if (free_pass)
		return CS_OK;
	if ((r = db_exec(db, &stmts[ST_COUNT], p)) == NULL)
		return db_result(db);
	rc = PQntuples(r) == 1 ? judge(a, r, kind, n, bytes, why, retry_after) : CS_FAILED;
	PQclear(r);
	return rc;
}
