/* session.c — see session.h. */
#include "auth/session.h"
#include "auth/csrf.h"
#include "core/arena.h"
#include "core/config.h"
#include "core/router.h"
#include "db/db.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* How stale a staff session's last_seen_at may be before a request moves it. */
#define STAFF_SEEN_EVERY "60"

/* Rows by name: each column list gives the SELECT text and the positions. */
#define CL_COLS(X) X(CL, session_id, "session_id") X(CL, user_id, "user_id") \
	X(CL, customer_id, "customer_id") X(CL, csrf, "csrf_token") X(CL, name, "name") \
	X(CL, email, "email") X(CL, account_admin, "is_account_admin") X(CL, language, "language")
enum { DB_COL_ENUM(CL_COLS) };
#define SL_COLS(X) X(SL, session_id, "id") X(SL, staff_id, "staff_id") X(SL, csrf, "csrf_token") \
	X(SL, name, "name") X(SL, email, "email") X(SL, roles, "roles") X(SL, totp, "totp") \
	X(SL, theme, "theme") X(SL, shortcuts, "shortcuts") X(SL, after_next, "after_next") \
	X(SL, time_zone, "time_zone") X(SL, language, "language") X(SL, stale, "stale")
enum { DB_COL_ENUM(SL_COLS) };
#define LS_COLS(X) X(LS, id, "id") \
	X(LS, created_at, "to_char(created_at, 'YYYY-MM-DD HH24:MI')") \
	X(LS, last_seen_at, "to_char(last_seen_at, 'YYYY-MM-DD HH24:MI')") \
	X(LS, user_agent, "coalesce(user_agent, '')") X(LS, ip, "coalesce(host(ip), '')")
enum { DB_COL_ENUM(LS_COLS) };

static struct db_stmt st_customer_lookup = DB_STMT("session_customer_lookup",
    "SELECT " DB_COLS(CL_COLS) " FROM portal_session_lookup($1)", 1);
static struct db_stmt st_customer_start = DB_STMT("session_customer_start",
    "SELECT portal_session_start($1, $2, $3, $4, $5, $6, $7, $8)", 8);
static struct db_stmt st_customer_end = DB_STMT("session_customer_end",
    "SELECT portal_session_end($1)", 1);
static struct db_stmt st_customer_end_all = DB_STMT("session_customer_end_all",
    "DELETE FROM portal_sessions WHERE portal_user_id = $1 AND id <> $2", 2);
static struct db_stmt st_account_end_all = DB_STMT("session_account_end_all",
    "DELETE FROM portal_sessions WHERE customer_id = $1", 1);
static struct db_stmt st_customer_list = DB_STMT("session_customer_list",
    "SELECT " DB_COLS(LS_COLS)
    " FROM portal_sessions WHERE portal_user_id = $1 AND expires_at > now()"
    " AND last_seen_at + make_interval(secs => idle_seconds) > now()"
    " ORDER BY last_seen_at DESC LIMIT 50", 1);
static struct db_stmt st_customer_end_one = DB_STMT("session_customer_end_one",
    "DELETE FROM portal_sessions WHERE portal_user_id = $1 AND id = $2", 2);

/*
 * Staff sessions: the console's role reads them directly. The idle clock
 * moves at most once a minute, by a statement of its own: every console
 * request reads the session, and an UPDATE in the reading statement cost
 * each of them the start-up of a write that almost never happens.
 */
static struct db_stmt st_staff_lookup = DB_STMT("session_staff_lookup",
    "SELECT " DB_COLS(SL_COLS) " FROM ("
    "  SELECT s.id, s.staff_id, s.csrf_token, t.name, t.email,"
    "   array_to_string(t.roles, ',') AS roles, t.totp_enabled_at IS NOT NULL AS totp,"
    "   coalesce(p.theme, 'system') AS theme, coalesce(p.shortcuts, true) AS shortcuts,"
    "   coalesce(p.after_action = 'next', false) AS after_next, t.time_zone,"
    "   coalesce(p.language, 'en') AS language,"
    "   s.last_seen_at < now() - interval '" STAFF_SEEN_EVERY " seconds' AS stale"
    "  FROM staff_sessions s JOIN staff t ON t.id = s.staff_id"
    "  LEFT JOIN staff_prefs p ON p.staff_id = t.id"
    "  WHERE s.token_hash = $1 AND s.expires_at > now()"
    "   AND s.last_seen_at + make_interval(secs => s.idle_seconds) > now() AND t.active) s", 1);
/* The "stale" test again, so two requests of one session at once write once. */
static struct db_stmt st_staff_seen = DB_STMT("session_staff_seen",
    "UPDATE staff_sessions SET last_seen_at = now() WHERE id = $1::bigint"
    " AND last_seen_at < now() - interval '" STAFF_SEEN_EVERY " seconds'", 1);
static struct db_stmt st_staff_start = DB_STMT("session_staff_start",
    "INSERT INTO staff_sessions (token_hash, staff_id, csrf_token, idle_seconds, expires_at,"
    " user_agent, ip) VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5),"
    " left($6, 300), $7) RETURNING id", 7);
static struct db_stmt st_staff_end = DB_STMT("session_staff_end",
    "DELETE FROM staff_sessions WHERE token_hash = $1", 1);
static struct db_stmt st_staff_end_all = DB_STMT("session_staff_end_all",
    "DELETE FROM staff_sessions WHERE staff_id = $1 AND id <> $2", 2);

static int
env_seconds(const char *name, int fallback)
{
	long long v;

	if (config_parse_long(getenv(name), 1, 400LL * 86400, &v) < 0)
		return fallback;
	return (int)v;
}

const struct session_policy *
session_policy(void)
{
	static struct session_policy p;

	if (p.staff_idle == 0) {
		p.staff_idle = env_seconds("CSDESK_SESSION_STAFF_IDLE", 30 * 60);
		p.staff_absolute = env_seconds("CSDESK_SESSION_STAFF_ABSOLUTE", 12 * 3600);
		p.customer_idle = env_seconds("CSDESK_SESSION_CUSTOMER_IDLE", 2 * 3600);
		p.customer_absolute = env_seconds("CSDESK_SESSION_CUSTOMER_ABSOLUTE", 24 * 3600);
		p.customer_remember = env_seconds("CSDESK_SESSION_CUSTOMER_REMEMBER", 30 * 86400);
	}
	return &p;
}

char *
session_token_new(struct arena *a, unsigned char hash[32])
{
	/* Same shape as a CSRF token: 32 random bytes, base64url. */
	char *t = csrf_new(a);

	if (t != NULL)
		crypto_generichash(hash, 32, (const unsigned char *)t, SESSION_TOKEN_LEN, NULL, 0);
	return t;
}

int
session_token_hash(const char *token, unsigned char hash[32])
{
	if (!csrf_well_formed(token))
		return -1;
	crypto_generichash(hash, 32, (const unsigned char *)token, SESSION_TOKEN_LEN, NULL, 0);
	return 0;
}

/* Runs st whose first parameter is a 32-byte hash (sent as binary bytea). */
static PGresult *
exec_hash(struct db *db, struct db_stmt *st, const unsigned char hash[32], const char **params,
    int n)
{
	int lengths[8] = { 32 }, formats[8] = { 1 };

	params[0] = (const char *)hash;
	(void)n;
	return db_exec_bin(db, st, params, lengths, formats);
}


int
session_customer_lookup(struct db *db, struct arena *a, const char *token,
    struct principal *who, const char **csrf)
{
	unsigned char hash[32];
	const char *p[1];
	PGresult *r;
	int found;

	if (session_token_hash(token, hash) < 0)
		return 0;
	r = exec_hash(db, &st_customer_lookup, hash, p, 1);
	if (r == NULL)
		return -1;
	found = PQntuples(r) == 1;
	if (found) {
		memset(who, 0, sizeof(*who));
		who->kind = WHO_CUSTOMER;
		who->session_id = db_ll(r, 0, CL_session_id);
		who->id = db_ll(r, 0, CL_user_id);
		who->customer_id = db_ll(r, 0, CL_customer_id);
		*csrf = db_str(a, r, 0, CL_csrf, NULL);
		who->name = db_str(a, r, 0, CL_name, NULL);
		who->email = db_str(a, r, 0, CL_email, NULL);
		who->account_admin = db_bool(r, 0, CL_account_admin);
		who->language = db_str(a, r, 0, CL_language, NULL);
		who->access = ACCESS_CUSTOMER;
		if (!*csrf || !who->name || !who->email || !who->language)
			found = -1;
	}
	PQclear(r);
	return found;
}

/* "agent,admin" → ACCESS_AGENT | ACCESS_ADMIN. */
static unsigned
access_of_roles(const char *roles)
{
	static const struct {
		const char *name;
		unsigned bit;
	} map[] = {
		{ "agent", ACCESS_AGENT }, { "supervisor", ACCESS_SUPERVISOR },
		{ "technician", ACCESS_TECHNICIAN }, { "admin", ACCESS_ADMIN },
		{ "warehouse", ACCESS_WAREHOUSE },
	};
	unsigned bits = 0;
	size_t i, len;

	while (*roles) {
		len = strcspn(roles, ",");
		for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
			if (strlen(map[i].name) == len && strncmp(roles, map[i].name, len) == 0)
				bits |= map[i].bit;
		roles += len;
		if (*roles == ',')
			roles++;
	}
	return bits;
}

/* Moves a staff session's idle clock on: 0, or -1 when the database failed. */
static int
staff_session_seen(struct db *db, long long session_id)
{
	char id[24];
	const char *p[1] = { id };

	snprintf(id, sizeof(id), "%lld", session_id);
	return db_run(db, &st_staff_seen, p);
}

int
session_staff_lookup(struct db *db, struct arena *a, const char *token, struct principal *who,
    const char **csrf)
{
	unsigned char hash[32];
	const char *p[1];
	PGresult *r;
	int found;

	if (session_token_hash(token, hash) < 0)
		return 0;
	r = exec_hash(db, &st_staff_lookup, hash, p, 1);
	if (r == NULL)
		return -1;
	found = PQntuples(r) == 1;
	if (found) {
		memset(who, 0, sizeof(*who));
		who->kind = WHO_STAFF;
		who->session_id = db_ll(r, 0, SL_session_id);
		who->id = db_ll(r, 0, SL_staff_id);
		*csrf = db_str(a, r, 0, SL_csrf, NULL);
		who->name = db_str(a, r, 0, SL_name, NULL);
		who->email = db_str(a, r, 0, SL_email, NULL);
		who->roles = db_str(a, r, 0, SL_roles, NULL);
		who->totp_enabled = db_bool(r, 0, SL_totp);
		who->theme = db_str(a, r, 0, SL_theme, NULL);
		who->shortcuts = db_bool(r, 0, SL_shortcuts);
		who->after_next = db_bool(r, 0, SL_after_next);
		who->time_zone = db_str(a, r, 0, SL_time_zone, NULL);
		who->language = db_str(a, r, 0, SL_language, NULL);
		if (!*csrf || !who->name || !who->email || !who->roles)
			found = -1;
		else
			who->access = access_of_roles(who->roles);
		if (found == 1 && db_bool(r, 0, SL_stale) &&
		    staff_session_seen(db, who->session_id) < 0)
			found = -1;
	}
	PQclear(r);
	return found;
}

int
session_customer_start(struct db *db, struct arena *a, long long user_id, int remember,
    const char *user_agent, const char *ip, const char **token, const char **csrf)
{
	const struct session_policy *pol = session_policy();
	unsigned char hash[32];
	char *uid, *idle, *abs;
	PGresult *r;
	int ok;

	*token = session_token_new(a, hash);
	*csrf = csrf_new(a);
	uid = arena_printf(a, "%lld", user_id);
	idle = arena_printf(a, "%d", remember ? pol->customer_remember : pol->customer_idle);
	abs = arena_printf(a, "%d", remember ? pol->customer_remember : pol->customer_absolute);
	if (!*token || !*csrf || !uid || !idle || !abs)
		return -1;
	{
		const char *params[8] = { uid, (const char *)hash, *csrf, remember ? "t" : "f", idle,
			abs, user_agent ? user_agent : "", ip };
		int lengths[8] = { 0, 32 }, formats[8] = { 0, 1 };

		r = db_exec_bin(db, &st_customer_start, params, lengths, formats);
	}
	if (r == NULL)
		return -1;
	ok = PQntuples(r) == 1 && !PQgetisnull(r, 0, 0);
	PQclear(r);
	return ok ? 0 : -1;
}

int
session_staff_start(struct db *db, struct arena *a, long long staff_id, const char *user_agent,
    const char *ip, const char **token, const char **csrf)
{
	const struct session_policy *pol = session_policy();
	unsigned char hash[32];
	char *sid, *idle, *abs;
	PGresult *r;

	*token = session_token_new(a, hash);
	*csrf = csrf_new(a);
	sid = arena_printf(a, "%lld", staff_id);
	idle = arena_printf(a, "%d", pol->staff_idle);
	abs = arena_printf(a, "%d", pol->staff_absolute);
	if (!*token || !*csrf || !sid || !idle || !abs)
		return -1;
	{
		const char *params[7] = { (const char *)hash, sid, *csrf, idle, abs,
			user_agent ? user_agent : "", ip };
		int lengths[7] = { 32 }, formats[7] = { 1 };

		r = db_exec_bin(db, &st_staff_start, params, lengths, formats);
	}
	if (r == NULL)
		return -1;
	PQclear(r);
	return 0;
}

static int
end_by_token(struct db *db, struct db_stmt *st, const char *token)
{
	unsigned char hash[32];
	const char *p[1];
	PGresult *r;

	if (session_token_hash(token, hash) < 0)
		return 0;
	r = exec_hash(db, st, hash, p, 1);
	if (r == NULL)
		return -1;
	PQclear(r);
	return 0;
}

int
session_customer_end(struct db *db, const char *token)
{
	return end_by_token(db, &st_customer_end, token);
}

int
session_staff_end(struct db *db, const char *token)
{
	return end_by_token(db, &st_staff_end, token);
}

static long long
end_all(struct db *db, struct db_stmt *st, long long id, long long keep)
{
	char a[24], b[24];
	const char *p[] = { a, b };
	PGresult *r;
	long long n;

	snprintf(a, sizeof(a), "%lld", id);
	snprintf(b, sizeof(b), "%lld", keep);
	r = db_exec(db, st, p);
	if (r == NULL)
		return -1;
	n = db_changed(r);
	PQclear(r);
	return n;
}

long long
session_staff_end_all(struct db *db, long long staff_id, long long keep_session_id)
{
	return end_all(db, &st_staff_end_all, staff_id, keep_session_id);
}

long long
session_customer_end_all(struct db *db, long long user_id, long long keep_session_id)
{
	return end_all(db, &st_customer_end_all, user_id, keep_session_id);
}

long long
session_account_end_all(struct db *db, long long customer_id)
{
	char a[24];
	const char *p[] = { a };
	PGresult *r;
	long long n;

	snprintf(a, sizeof(a), "%lld", customer_id);
	r = db_exec(db, &st_account_end_all, p);
	if (r == NULL)
		return -1;
	n = db_changed(r);
	PQclear(r);
	return n;
}

static enum cs_result
fill_session(struct arena *a, const PGresult *r, int row, void *elem)
{
	struct session_row *s = elem;
	int failed = 0;

	s->id = db_ll(r, row, LS_id);
	s->created_at = db_str(a, r, row, LS_created_at, &failed);
	s->last_seen_at = db_str(a, r, row, LS_last_seen_at, &failed);
	s->user_agent = db_str(a, r, row, LS_user_agent, &failed);
	s->ip = db_str(a, r, row, LS_ip, &failed);
	return failed ? CS_FAILED : CS_OK;
}

int
session_customer_list(struct db *db, struct arena *a, long long user_id, long long current_id,
    struct session_row **rows, size_t *n)
{
	const char *p[] = { db_param_ll(a, user_id) };
	void *arr;
	size_t i;

	if (p[0] == NULL || db_rows(db, a, &st_customer_list, p, sizeof(**rows), fill_session,
	    &arr, n) != CS_OK)
		return -1;
	*rows = arr;
	for (i = 0; i < *n; i++)
		(*rows)[i].current = (*rows)[i].id == current_id;
	return 0;
}

int
session_customer_end_one(struct db *db, long long user_id, long long session_id)
{
	long long n;
	char a[24], b[24];
	const char *p[] = { a, b };
	PGresult *r;

	snprintf(a, sizeof(a), "%lld", user_id);
	snprintf(b, sizeof(b), "%lld", session_id);
	r = db_exec(db, &st_customer_end_one, p);
	if (r == NULL)
		return -1;
	n = db_changed(r);
	PQclear(r);
	return n > 0;
}
