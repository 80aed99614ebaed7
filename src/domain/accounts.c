/* accounts.c — see accounts.h. */
#include "domain/accounts.h"
#include "auth/session.h"
#include "core/arena.h"
#include "core/config.h"
#include "db/db.h"

#include <stdio.h>
#include <string.h>

static struct db_stmt st_staff_create = DB_STMT("accounts_staff_create",
    "INSERT INTO staff (email, name, password_hash, roles)"
    " VALUES (lower($1), $2, $3, string_to_array($4, ',')) RETURNING id", 4);
static struct db_stmt st_customer_create = DB_STMT("accounts_customer_create",
    "INSERT INTO customers (name, kind, tier, language) VALUES ($1, $2, $3, $4) RETURNING id", 4);
static struct db_stmt st_user_create = DB_STMT("accounts_user_create",
    "INSERT INTO portal_users (customer_id, email, name, password_hash, is_account_admin,"
    " email_verified_at, language)"
    " VALUES ($1, lower($2), $3, $4, true, CASE WHEN $5 THEN now() END, $6) RETURNING id", 6);
static struct db_stmt st_staff_login = DB_STMT("accounts_staff_login",
    "SELECT id, name, password_hash, array_to_string(roles, ','), active,"
    " totp_enabled_at IS NOT NULL, totp_secret, coalesce(totp_last_step, 0)"
    " FROM staff WHERE email = lower($1)", 1);
static struct db_stmt st_customer_login = DB_STMT("accounts_customer_login",
    "SELECT user_id, customer_id, name, password_hash, active, verified"
    " FROM portal_login_lookup($1)", 1);
static struct db_stmt st_register = DB_STMT("accounts_register",
    "SELECT user_id, customer_id FROM portal_register($1, $2, $3, $4)", 4);
static struct db_stmt st_staff_password = DB_STMT("accounts_staff_password",
    "UPDATE staff SET password_hash = $2 WHERE id = $1", 2);
static struct db_stmt st_user_password = DB_STMT("accounts_user_password",
    "UPDATE portal_users SET password_hash = $2 WHERE id = $1", 2);
static struct db_stmt st_user_email = DB_STMT("accounts_user_email",
    "UPDATE portal_users SET email = lower($2), email_verified_at = NULL WHERE id = $1", 2);
static struct db_stmt st_user_verified = DB_STMT("accounts_user_verified",
    "UPDATE portal_users SET email_verified_at = coalesce(email_verified_at, now())"
    " WHERE id = $1", 1);
static struct db_stmt st_staff_hash = DB_STMT("accounts_staff_hash",
    "SELECT password_hash FROM staff WHERE id = $1 AND active", 1);
static struct db_stmt st_user_hash = DB_STMT("accounts_user_hash",
    "SELECT password_hash, email_verified_at IS NOT NULL FROM portal_users"
    " WHERE id = $1 AND active", 1);
static struct db_stmt st_user_contact = DB_STMT("accounts_user_contact",
    "SELECT name, email FROM portal_users WHERE id = $1", 1);
static struct db_stmt st_link_issue = DB_STMT("accounts_link_issue",
    "SELECT user_id, name, email FROM auth_token_issue($1, $2, $3, $4, $5)", 5);
static struct db_stmt st_link_redeem = DB_STMT("accounts_link_redeem",
    "SELECT user_id, customer_id FROM auth_token_redeem($1, $2)", 2);
static struct db_stmt st_totp_pending = DB_STMT("accounts_totp_pending",
    "UPDATE staff SET totp_secret = $2, totp_enabled_at = NULL, totp_last_step = NULL"
    " WHERE id = $1", 2);
static struct db_stmt st_totp_enable = DB_STMT("accounts_totp_enable",
    "UPDATE staff SET totp_enabled_at = now(), totp_last_step = $2"
    " WHERE id = $1 AND totp_secret IS NOT NULL", 2);
static struct db_stmt st_totp_codes_clear = DB_STMT("accounts_totp_codes_clear",
    "DELETE FROM staff_recovery_codes WHERE staff_id = $1", 1);
static struct db_stmt st_totp_code_add = DB_STMT("accounts_totp_code_add",
    "INSERT INTO staff_recovery_codes (staff_id, code_hash) VALUES ($1, $2)", 2);
static struct db_stmt st_totp_disable = DB_STMT("accounts_totp_disable",
    "UPDATE staff SET totp_secret = NULL, totp_enabled_at = NULL, totp_last_step = NULL"
    " WHERE id = $1", 1);
static struct db_stmt st_totp_step = DB_STMT("accounts_totp_step",
    "UPDATE staff SET totp_last_step = $2 WHERE id = $1"
    " AND coalesce(totp_last_step, 0) < $2", 2);
static struct db_stmt st_totp_recovery = DB_STMT("accounts_totp_recovery",
    "UPDATE staff_recovery_codes SET used_at = now()"
    " WHERE id = (SELECT id FROM staff_recovery_codes WHERE staff_id = $1 AND code_hash = $2"
    " AND used_at IS NULL LIMIT 1 FOR UPDATE) RETURNING id", 2);
static struct db_stmt st_setting = DB_STMT("accounts_setting",
    "SELECT value FROM settings WHERE key = $1", 1);


/* Runs st and returns the first column of its single row as a number;
 * ACCOUNTS_TAKEN on a unique violation, -1 on other errors or no row. */
static long long
returning_id(struct db *db, struct db_stmt *st, const char *const *p)
{
	PGresult *r = db_exec(db, st, p);
	long long id = -1;

	if (r == NULL)
		return db_is(db, "23505") ? ACCOUNTS_TAKEN : -1;
	if (PQntuples(r) == 1 && !PQgetisnull(r, 0, 0))
		id = db_ll(r, 0, 0);
	PQclear(r);
	return id;
}

long long
accounts_staff_create(struct db *db, const char *email, const char *name,
    const char *password_hash, const char *roles)
{
	const char *p[] = { email, name, password_hash, roles };

	return returning_id(db, &st_staff_create, p);
}

long long
accounts_customer_create(struct db *db, const char *name, const char *kind, const char *tier,
    const char *language, const char *email, const char *user_name, const char *password_hash,
    int verified, long long *user_id)
{
	const char *cp[] = { name, kind, tier, language };
	char cid[24];
	const char *up[] = { cid, email, user_name, password_hash, verified ? "t" : "f", language };
	long long id;

	if (db_begin(db) < 0)
		return -1;
	id = returning_id(db, &st_customer_create, cp);
	if (id < 0)
		goto fail;
	snprintf(cid, sizeof(cid), "%lld", id);
	*user_id = returning_id(db, &st_user_create, up);
	if (*user_id < 0) {
		long long why = *user_id;

		db_rollback(db);
		return why;
	}
	if (db_commit(db) < 0)
		return -1;
	return id;
fail:
	db_rollback(db);
	return id;
}

int
accounts_staff_login(struct db *db, struct arena *a, const char *email, struct staff_login *l)
{
	const char *p[] = { email };
	PGresult *r = db_exec(db, &st_staff_login, p);

	memset(l, 0, sizeof(*l));
	if (r == NULL)
		return -1;
	if (PQntuples(r) == 1) {
		size_t len = 0;
		unsigned char *raw;

		l->id = db_ll(r, 0, 0);
		l->name = arena_strdup(a, PQgetvalue(r, 0, 1));
		l->password_hash = arena_strdup(a, PQgetvalue(r, 0, 2));
		l->roles = arena_strdup(a, PQgetvalue(r, 0, 3));
		l->active = PQgetvalue(r, 0, 4)[0] == 't';
		l->totp_enabled = PQgetvalue(r, 0, 5)[0] == 't';
		if (!PQgetisnull(r, 0, 6)) {
			raw = PQunescapeBytea((const unsigned char *)PQgetvalue(r, 0, 6), &len);
			if (raw != NULL && len <= sizeof(l->totp_secret)) {
				memcpy(l->totp_secret, raw, len);
				l->totp_secret_len = len;
			}
			PQfreemem(raw);
		}
		l->totp_last_step = db_ll(r, 0, 7);
	}
	PQclear(r);
	return 0;
}

int
accounts_customer_login(struct db *db, struct arena *a, const char *email,
    struct customer_login *l)
{
	const char *p[] = { email };
	PGresult *r = db_exec(db, &st_customer_login, p);

	memset(l, 0, sizeof(*l));
	if (r == NULL)
		return -1;
	if (PQntuples(r) == 1) {
		l->user_id = db_ll(r, 0, 0);
		l->customer_id = db_ll(r, 0, 1);
		l->name = arena_strdup(a, PQgetvalue(r, 0, 2));
		l->password_hash = arena_strdup(a, PQgetvalue(r, 0, 3));
		l->active = PQgetvalue(r, 0, 4)[0] == 't';
		l->verified = PQgetvalue(r, 0, 5)[0] == 't';
	}
	PQclear(r);
	return 0;
}

long long
accounts_register(struct db *db, const char *name, const char *email, const char *password_hash,
    const char *language, long long *customer_id)
{
	const char *p[] = { name, email, password_hash, language };
	PGresult *r = db_exec(db, &st_register, p);
	long long id = ACCOUNTS_TAKEN;

	if (r == NULL)
		return -1;
	if (PQntuples(r) == 1 && !PQgetisnull(r, 0, 0)) {
		id = db_ll(r, 0, 0);
		*customer_id = db_ll(r, 0, 1);
	}
	PQclear(r);
	return id;
}

static int
update_by_id(struct db *db, struct db_stmt *st, long long id, const char *value)
{
	char sid[24];
	const char *p[] = { sid, value };
	PGresult *r;
	int changed;

	snprintf(sid, sizeof(sid), "%lld", id);
	r = db_exec(db, st, p);
	if (r == NULL)
		return db_is(db, "23505") ? ACCOUNTS_TAKEN : -1;
	changed = db_changed(r) > 0;
	PQclear(r);
	return changed ? 0 : -1;
}

int
accounts_staff_set_password(struct db *db, long long staff_id, const char *hash)
{
	return update_by_id(db, &st_staff_password, staff_id, hash);
}

int
accounts_user_set_password(struct db *db, long long user_id, const char *hash)
{
	return update_by_id(db, &st_user_password, user_id, hash);
}

int
accounts_user_set_email(struct db *db, long long user_id, const char *email)
{
	return update_by_id(db, &st_user_email, user_id, email);
}

int
accounts_user_mark_verified(struct db *db, long long user_id)
{
	return update_by_id(db, &st_user_verified, user_id, NULL);
}

const char *
accounts_staff_hash(struct db *db, struct arena *a, long long staff_id)
{
	char sid[24];
	const char *p[] = { sid };
	const char *h = NULL;
	PGresult *r;

	snprintf(sid, sizeof(sid), "%lld", staff_id);
	r = db_exec(db, &st_staff_hash, p);
	if (r == NULL)
		return NULL;
	if (PQntuples(r) == 1)
		h = arena_strdup(a, PQgetvalue(r, 0, 0));
	PQclear(r);
	return h;
}

const char *
accounts_user_hash(struct db *db, struct arena *a, long long user_id, int *verified)
{
	char sid[24];
	const char *p[] = { sid };
	const char *h = NULL;
	PGresult *r;

	snprintf(sid, sizeof(sid), "%lld", user_id);
	r = db_exec(db, &st_user_hash, p);
	if (r == NULL)
		return NULL;
	if (PQntuples(r) == 1) {
		h = arena_strdup(a, PQgetvalue(r, 0, 0));
		if (verified != NULL)
			*verified = PQgetvalue(r, 0, 1)[0] == 't';
	}
	PQclear(r);
	return h;
}

int
accounts_user_contact(struct db *db, struct arena *a, long long user_id, const char **name,
    const char **email)
{
	char sid[24];
	const char *p[] = { sid };
	PGresult *r;
	int rc = -1;

	snprintf(sid, sizeof(sid), "%lld", user_id);
	r = db_exec(db, &st_user_contact, p);
	if (r == NULL)
		return -1;
	if (PQntuples(r) == 1) {
		*name = arena_strdup(a, PQgetvalue(r, 0, 0));
		*email = arena_strdup(a, PQgetvalue(r, 0, 1));
		rc = *name && *email ? 0 : -1;
	}
	PQclear(r);
	return rc;
}

int
accounts_link_issue(struct db *db, struct arena *a, const char *purpose, const char *email,
    long long user_id, int seconds, const char **token, const char **name, const char **to)
{
	unsigned char hash[32];
	char uid[24], secs[16];
	const char *p[5];
	int lengths[5] = { 0, 0, 0, 32, 0 }, formats[5] = { 0, 0, 0, 1, 0 };
	PGresult *r;
	int found;

	*token = session_token_new(a, hash);
	if (*token == NULL)
		return -1;
	snprintf(uid, sizeof(uid), "%lld", user_id);
	snprintf(secs, sizeof(secs), "%d", seconds);
	p[0] = purpose;
	p[1] = email;
	p[2] = uid;
	p[3] = (const char *)hash;
	p[4] = secs;
	r = db_exec_bin(db, &st_link_issue, p, lengths, formats);
	if (r == NULL)
		return -1;
	found = PQntuples(r) == 1;
	if (found) {
		*name = arena_strdup(a, PQgetvalue(r, 0, 1));
		*to = arena_strdup(a, PQgetvalue(r, 0, 2));
		if (*name == NULL || *to == NULL)
			found = -1;
	}
	PQclear(r);
	return found;
}

int
accounts_link_redeem(struct db *db, const char *purpose, const char *token, long long *user_id,
    long long *customer_id)
{
	unsigned char hash[32];
	const char *p[2] = { purpose, (const char *)hash };
	int lengths[2] = { 0, 32 }, formats[2] = { 0, 1 };
	PGresult *r;
	int found;

	if (session_token_hash(token, hash) < 0)
		return 0;
	r = db_exec_bin(db, &st_link_redeem, p, lengths, formats);
	if (r == NULL)
		return -1;
	found = PQntuples(r) == 1;
	if (found) {
		*user_id = db_ll(r, 0, 0);
		*customer_id = db_ll(r, 0, 1);
	}
	PQclear(r);
	return found;
}

int
accounts_totp_set_pending(struct db *db, long long staff_id, const unsigned char *secret,
    size_t len)
{
	char sid[24];
	const char *p[2] = { sid, (const char *)secret };
	int lengths[2] = { 0, (int)len }, formats[2] = { 0, 1 };
	PGresult *r;

	snprintf(sid, sizeof(sid), "%lld", staff_id);
	r = db_exec_bin(db, &st_totp_pending, p, lengths, formats);
	if (r == NULL)
		return -1;
	PQclear(r);
	return 0;
}

int
accounts_totp_enable(struct db *db, long long staff_id, long long step,
    unsigned char (*code_hashes)[32], size_t ncodes)
{
	char sid[24], sstep[24];
	const char *p[2] = { sid, sstep };
	int lengths[2] = { 0, 32 }, formats[2] = { 0, 1 };
	size_t i;

	snprintf(sid, sizeof(sid), "%lld", staff_id);
	snprintf(sstep, sizeof(sstep), "%lld", step);
	if (db_begin(db) < 0)
		return -1;
	if (update_by_id(db, &st_totp_enable, staff_id, sstep) < 0 ||
	    db_run(db, &st_totp_codes_clear, p) < 0)
		goto fail;
	for (i = 0; i < ncodes; i++) {
		PGresult *r;

		p[1] = (const char *)code_hashes[i];
		r = db_exec_bin(db, &st_totp_code_add, p, lengths, formats);
		if (r == NULL)
			goto fail;
		PQclear(r);
	}
	return db_commit(db);
fail:
	db_rollback(db);
	return -1;
}

int
accounts_totp_disable(struct db *db, long long staff_id)
{
	char sid[24];
	const char *p[] = { sid };

	snprintf(sid, sizeof(sid), "%lld", staff_id);
	if (db_begin(db) < 0)
		return -1;
	if (db_run(db, &st_totp_disable, p) < 0 || db_run(db, &st_totp_codes_clear, p) < 0) {
		db_rollback(db);
		return -1;
	}
	return db_commit(db);
}

int
accounts_totp_used_step(struct db *db, long long staff_id, long long step)
{
	char sstep[24];

	snprintf(sstep, sizeof(sstep), "%lld", step);
	/* 0 rows changed means the step was already used: refuse. */
	return update_by_id(db, &st_totp_step, staff_id, sstep);
}

int
accounts_totp_use_recovery(struct db *db, long long staff_id, const unsigned char hash[32])
{
	char sid[24];
	const char *p[2] = { sid, (const char *)hash };
	int lengths[2] = { 0, 32 }, formats[2] = { 0, 1 };
	PGresult *r;
	int used;

	snprintf(sid, sizeof(sid), "%lld", staff_id);
	r = db_exec_bin(db, &st_totp_recovery, p, lengths, formats);
	if (r == NULL)
		return -1;
	used = PQntuples(r) == 1;
	PQclear(r);
	return used;
}

const char *
accounts_setting(struct db *db, struct arena *a, const char *key, const char *fallback)
{
	const char *p[] = { key };
	PGresult *r = db_exec(db, &st_setting, p);
	const char *v = fallback;

	if (r == NULL)
		return fallback;
	if (PQntuples(r) == 1)
		v = arena_strdup(a, PQgetvalue(r, 0, 0));
	PQclear(r);
	return v ? v : fallback;
}
