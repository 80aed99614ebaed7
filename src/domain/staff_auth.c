/* staff_auth.c — see staff_auth.h. */
#include "domain/staff_auth.h"
#include "auth/session.h"
#include "core/arena.h"
#include "db/db.h"

#include <stdio.h>
#include <string.h>

#define LOGIN_COLS(X) \
	X(L, id, "id") X(L, name, "name") X(L, hash, "password_hash") \
	X(L, roles, "array_to_string(roles, ',')") X(L, active, "active") \
	X(L, totp, "totp_enabled_at IS NOT NULL") X(L, secret, "totp_secret") \
	X(L, last_step, "coalesce(totp_last_step, 0)")
enum { DB_COL_ENUM(LOGIN_COLS) };

#define HASH_COLS(X) X(H, hash, "password_hash")
enum { DB_COL_ENUM(HASH_COLS) };

enum stmt {
	ST_LOOKUP,
	ST_HASH,
	ST_PASSWORD,
	ST_TOTP_PENDING,
	ST_TOTP_ENABLE,
	ST_CODES_CLEAR,
	ST_CODE_ADD,
	ST_TOTP_DISABLE,
	ST_TOTP_STEP,
	ST_RECOVERY,
	ST_LINK_RECENT,
	ST_LINK_ISSUE,
	ST_LINK_CHECK,
	ST_LINK_REDEEM,
	ST__MAX
};

static struct db_stmt stmts[] = {
	[ST_LOOKUP] = DB_STMT("staff_auth_lookup",
	    "SELECT " DB_COLS(LOGIN_COLS) " FROM staff WHERE email = lower($1)", 1),
	[ST_HASH] = DB_STMT("staff_auth_hash",
	    "SELECT " DB_COLS(HASH_COLS) " FROM staff WHERE id = $1 AND active", 1),
	[ST_PASSWORD] = DB_STMT("staff_auth_password",
	    "UPDATE staff SET password_hash = $2 WHERE id = $1", 2),
	[ST_TOTP_PENDING] = DB_STMT("staff_totp_pending",
	    "UPDATE staff SET totp_secret = $2, totp_enabled_at = NULL, totp_last_step = NULL"
	    " WHERE id = $1", 2),
	[ST_TOTP_ENABLE] = DB_STMT("staff_totp_enable",
	    "UPDATE staff SET totp_enabled_at = now(), totp_last_step = $2"
	    " WHERE id = $1 AND totp_secret IS NOT NULL", 2),
	[ST_CODES_CLEAR] = DB_STMT("staff_totp_codes_clear",
	    "DELETE FROM staff_recovery_codes WHERE staff_id = $1", 1),
	[ST_CODE_ADD] = DB_STMT("staff_totp_code_add",
	    "INSERT INTO staff_recovery_codes (staff_id, code_hash) VALUES ($1, $2)", 2),
	[ST_TOTP_DISABLE] = DB_STMT("staff_totp_disable",
	    "UPDATE staff SET totp_secret = NULL, totp_enabled_at = NULL, totp_last_step = NULL"
	    " WHERE id = $1", 1),
	[ST_TOTP_STEP] = DB_STMT("staff_totp_step",
	    "UPDATE staff SET totp_last_step = $2 WHERE id = $1"
	    " AND coalesce(totp_last_step, 0) < $2", 2),
	[ST_RECOVERY] = DB_STMT("staff_totp_recovery",
	    "UPDATE staff_recovery_codes SET used_at = now()"
	    " WHERE id = (SELECT id FROM staff_recovery_codes WHERE staff_id = $1 AND code_hash = $2"
	    " AND used_at IS NULL LIMIT 1 FOR UPDATE) RETURNING id", 2),
	[ST_LINK_RECENT] = DB_STMT("staff_link_recent",
	    "SELECT mail_recent_count('" STAFF_LINK_MAIL_KIND "', lower($1), 3600)", 1),
	/* A new link voids the person's older unused ones. */
	[ST_LINK_ISSUE] = DB_STMT("staff_link_issue",
	    "WITH s AS (SELECT id, email FROM staff WHERE email = lower($1) AND active),"
	    " v AS (UPDATE staff_auth_tokens t SET used_at = now() FROM s"
	    "  WHERE t.staff_id = s.id AND t.used_at IS NULL)"
	    " INSERT INTO staff_auth_tokens (staff_id, token_hash, expires_at)"
	    " SELECT id, $2, now() + make_interval(secs => $3::integer) FROM s"
	    " RETURNING (SELECT email FROM s)", 3),
	[ST_LINK_CHECK] = DB_STMT("staff_link_check",
	    "SELECT s.email FROM staff_auth_tokens t JOIN staff s ON s.id = t.staff_id"
	    " WHERE t.token_hash = $1 AND t.used_at IS NULL AND t.expires_at > now() AND s.active",
	    1),
	[ST_LINK_REDEEM] = DB_STMT("staff_link_redeem",
	    "UPDATE staff_auth_tokens t SET used_at = now() FROM staff s"
	    " WHERE t.token_hash = $1 AND t.used_at IS NULL AND t.expires_at > now()"
	    " AND s.id = t.staff_id AND s.active RETURNING t.staff_id", 1),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

enum cs_result
staff_auth_lookup(struct db *db, struct arena *a, const char *email, struct staff_login *l)
{
	const char *p[] = { email };
	PGresult *r = db_exec(db, &stmts[ST_LOOKUP], p);
	int failed = 0;

	memset(l, 0, sizeof(*l));
	if (r == NULL)
		return db_result(db);
	if (PQntuples(r) == 1) {
		size_t len = 0;
		unsigned char *raw;

		l->id = db_ll(r, 0, L_id);
		l->name = db_str(a, r, 0, L_name, &failed);
		l->password_hash = db_str(a, r, 0, L_hash, &failed);
		l->roles = db_str(a, r, 0, L_roles, &failed);
		l->active = db_bool(r, 0, L_active);
		l->totp_enabled = db_bool(r, 0, L_totp);
		if (!PQgetisnull(r, 0, L_secret)) {
			raw = PQunescapeBytea((const unsigned char *)PQgetvalue(r, 0, L_secret), &len);
			if (raw != NULL && len <= sizeof(l->totp_secret)) {
				memcpy(l->totp_secret, raw, len);
				l->totp_secret_len = len;
			}
			PQfreemem(raw);
		}
		l->totp_last_step = db_ll(r, 0, L_last_step);
	}
	PQclear(r);
	return failed ? CS_FAILED : CS_OK;
}

/* Runs an UPDATE of one person: CS_OK when it changed a row, else CS_NOT_FOUND. */
static enum cs_result
update_one(struct db *db, enum stmt st, long long id, const char *value, int len)
{
	char sid[24];
	const char *p[] = { sid, value };
	int lengths[2] = { 0, len }, formats[2] = { 0, len > 0 };

	snprintf(sid, sizeof(sid), "%lld", id);
	return db_changed_one(db, db_exec_bin(db, &stmts[st], p, lengths, formats));
}

/* Fills a const char * (elem) with the row's hash. */
static enum cs_result
fill_hash(struct arena *a, const PGresult *r, int row, void *elem)
{
	const char **hash = elem;
	int failed = 0;

	*hash = db_str(a, r, row, H_hash, &failed);
	return failed ? CS_FAILED : CS_OK;
}

enum cs_result
staff_auth_hash(struct db *db, struct arena *a, long long staff_id, const char **hash)
{
	char sid[24];
	const char *p[] = { sid };

	*hash = NULL;
	snprintf(sid, sizeof(sid), "%lld", staff_id);
	return db_one(db, a, &stmts[ST_HASH], p, fill_hash, hash);
}

enum cs_result
staff_auth_set_password(struct db *db, long long staff_id, const char *hash)
{
	return update_one(db, ST_PASSWORD, staff_id, hash, 0);
}

enum cs_result
staff_totp_set_pending(struct db *db, long long staff_id, const unsigned char *secret, size_t len)
{
	enum cs_result rc = update_one(db, ST_TOTP_PENDING, staff_id, (const char *)secret,
	    (int)len);

	/* Nobody to enrol is not a failure here: the page asks again. */
	return rc == CS_NOT_FOUND ? CS_OK : rc;
}

enum cs_result
staff_totp_enable(struct db *db, long long staff_id, long long step,
    unsigned char (*code_hashes)[32], size_t ncodes)
{
	char sid[24], sstep[24];
	const char *p[2] = { sid, sstep };
	int lengths[2] = { 0, 32 }, formats[2] = { 0, 1 };
	enum cs_result rc;
	size_t i;

	snprintf(sid, sizeof(sid), "%lld", staff_id);
	snprintf(sstep, sizeof(sstep), "%lld", step);
	if (db_begin(db) < 0)
		return db_result(db);
	rc = update_one(db, ST_TOTP_ENABLE, staff_id, sstep, 0);
	if (rc == CS_OK)
		rc = db_do(db, &stmts[ST_CODES_CLEAR], p);
	for (i = 0; rc == CS_OK && i < ncodes; i++) {
		PGresult *r;

		p[1] = (const char *)code_hashes[i];
		r = db_exec_bin(db, &stmts[ST_CODE_ADD], p, lengths, formats);
		if (r == NULL)
			rc = db_result(db);
		PQclear(r);
	}
	return db_end(db, rc);
}

enum cs_result
staff_totp_disable(struct db *db, long long staff_id)
{
	char sid[24];
	const char *p[] = { sid };
	enum cs_result rc;

	snprintf(sid, sizeof(sid), "%lld", staff_id);
	if (db_begin(db) < 0)
		return db_result(db);
	rc = db_do(db, &stmts[ST_TOTP_DISABLE], p);
	if (rc == CS_OK)
		rc = db_do(db, &stmts[ST_CODES_CLEAR], p);
	return db_end(db, rc);
}

enum cs_result
staff_totp_use_step(struct db *db, long long staff_id, long long step)
{
	char sstep[24];
	enum cs_result rc;

	snprintf(sstep, sizeof(sstep), "%lld", step);
	/* No row changed: that step was already used. */
	rc = update_one(db, ST_TOTP_STEP, staff_id, sstep, 0);
	return rc == CS_NOT_FOUND ? CS_TAKEN : rc;
}

enum cs_result
staff_totp_use_recovery(struct db *db, long long staff_id, const unsigned char hash[32])
{
	char sid[24];
	const char *p[2] = { sid, (const char *)hash };
	int lengths[2] = { 0, 32 }, formats[2] = { 0, 1 };

	snprintf(sid, sizeof(sid), "%lld", staff_id);
	return db_changed_one(db, db_exec_bin(db, &stmts[ST_RECOVERY], p, lengths, formats));
}

enum cs_result
staff_link_issue(struct db *db, struct arena *a, const char *email, const char **token,
    const char **to)
{
	unsigned char hash[32];
	char secs[16];
	const char *p[3] = { email, (const char *)hash, secs };
	int lens[3] = { 0, 32, 0 }, fmts[3] = { 0, 1, 0 };
	enum cs_result rc = CS_NOT_FOUND;
	PGresult *r;
	int failed = 0;

	*token = *to = NULL;
	if ((r = db_exec(db, &stmts[ST_LINK_RECENT], p)) == NULL)
		return db_result(db);
	if (PQntuples(r) == 1 && db_ll(r, 0, 0) >= STAFF_LINK_MAIL_MAX)
		rc = CS_REFUSED;
	PQclear(r);
	if (rc == CS_REFUSED)
		return rc;
	if ((*token = session_token_new(a, hash)) == NULL)
		return CS_FAILED;
	snprintf(secs, sizeof(secs), "%d", STAFF_LINK_SECONDS);
	if ((r = db_exec_bin(db, &stmts[ST_LINK_ISSUE], p, lens, fmts)) == NULL)
		return db_result(db);
	if (PQntuples(r) == 1) {
		*to = db_str(a, r, 0, 0, &failed);
		rc = failed ? CS_FAILED : CS_OK;
	}
	PQclear(r);
	return rc;
}

/* Runs a link statement on the hash of token. NULL with *rc set when there is no row. */
static PGresult *
link_row(struct db *db, enum stmt st, const char *token, enum cs_result *rc)
{
	unsigned char hash[32];
	const char *p[1] = { (const char *)hash };
	int lens[1] = { 32 }, fmts[1] = { 1 };
	PGresult *r;

	*rc = CS_NOT_FOUND;
	if (token == NULL || session_token_hash(token, hash) < 0)
		return NULL;
	if ((r = db_exec_bin(db, &stmts[st], p, lens, fmts)) == NULL) {
		*rc = db_result(db);
		return NULL;
	}
	if (PQntuples(r) != 1) {
		PQclear(r);
		return NULL;
	}
	*rc = CS_OK;
	return r;
}

enum cs_result
staff_link_check(struct db *db, struct arena *a, const char *token, const char **email)
{
	enum cs_result rc;
	PGresult *r = link_row(db, ST_LINK_CHECK, token, &rc);
	int failed = 0;

	*email = NULL;
	if (r == NULL)
		return rc;
	*email = db_str(a, r, 0, 0, &failed);
	PQclear(r);
	return failed ? CS_FAILED : CS_OK;
}

enum cs_result
staff_link_redeem(struct db *db, const char *token, long long *staff_id)
{
	enum cs_result rc;
	PGresult *r = link_row(db, ST_LINK_REDEEM, token, &rc);

	*staff_id = 0;
	if (r == NULL)
		return rc;
	*staff_id = db_ll(r, 0, 0);
	PQclear(r);
	return CS_OK;
}
