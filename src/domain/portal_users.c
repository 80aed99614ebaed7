/* portal_users.c — see portal_users.h. */
#include "domain/portal_users.h"
#include "auth/session.h"
#include "core/utf8.h"
#include "db/db.h"
#include "domain/notify.h"
#include "domain/text_check.h"

#include <stdio.h>
#include <string.h>

#define STR_(x) #x
#define STR(x) STR_(x)

#define LOGIN_COLS(X) \
	X(L, user_id, "user_id") X(L, customer_id, "customer_id") X(L, name, "name") \
	X(L, hash, "password_hash") X(L, active, "active") X(L, verified, "verified")
enum { DB_COL_ENUM(LOGIN_COLS) };

/* What registering and redeeming a link give back. */
#define IDS_COLS(X) X(IDS, user_id, "user_id") X(IDS, customer_id, "customer_id")
enum { DB_COL_ENUM(IDS_COLS) };

#define HASH_COLS(X) \
	X(H, hash, "password_hash") X(H, verified, "email_verified_at IS NOT NULL")
enum { DB_COL_ENUM(HASH_COLS) };

#define CONTACT_COLS(X) X(C, name, "name") X(C, email, "email")
enum { DB_COL_ENUM(CONTACT_COLS) };

#define ISSUE_COLS(X) X(I, user_id, "user_id") X(I, name, "name") X(I, email, "email")
enum { DB_COL_ENUM(ISSUE_COLS) };

enum stmt {
	ST_LOOKUP,
	ST_IS_STAFF,
	ST_REGISTER,
	ST_PASSWORD,
	ST_EMAIL,
	ST_VERIFIED,
	ST_HASH,
	ST_CONTACT,
	ST_LINK_ISSUE,
	ST_LINK_REDEEM,
	ST_MAIL_RECENT,
	ST__MAX
};

static struct db_stmt stmts[] = {
	[ST_LOOKUP] = DB_STMT("portal_user_lookup",
	    "SELECT " DB_COLS(LOGIN_COLS) " FROM portal_login_lookup($1)", 1),
	[ST_IS_STAFF] = DB_STMT("portal_address_is_staff",
	    "SELECT portal_address_is_staff($1)", 1),
	[ST_REGISTER] = DB_STMT("portal_user_register",
	    "SELECT " DB_COLS(IDS_COLS) " FROM portal_register($1, $2, $3, $4)", 4),
	[ST_PASSWORD] = DB_STMT("portal_user_password",
	    "UPDATE portal_users SET password_hash = $2 WHERE id = $1", 2),
	[ST_EMAIL] = DB_STMT("portal_user_email",
	    "UPDATE portal_users SET email = lower($2), email_verified_at = NULL WHERE id = $1", 2),
	[ST_VERIFIED] = DB_STMT("portal_user_verified",
	    "UPDATE portal_users SET email_verified_at = coalesce(email_verified_at, now())"
	    " WHERE id = $1", 1),
	[ST_HASH] = DB_STMT("portal_user_hash",
	    "SELECT " DB_COLS(HASH_COLS) " FROM portal_users WHERE id = $1 AND active", 1),
	[ST_CONTACT] = DB_STMT("portal_user_contact",
	    "SELECT " DB_COLS(CONTACT_COLS) " FROM portal_users WHERE id = $1", 1),
	[ST_LINK_ISSUE] = DB_STMT("portal_link_issue",
	    "SELECT " DB_COLS(ISSUE_COLS) " FROM auth_token_issue($1, $2, $3, $4, $5)", 5),
	[ST_LINK_REDEEM] = DB_STMT("portal_link_redeem",
	    "SELECT " DB_COLS(IDS_COLS) " FROM auth_token_redeem($1, $2)", 2),
	[ST_MAIL_RECENT] = DB_STMT("portal_mail_recent",
	    "SELECT mail_recent_count($1, $2, $3::integer)", 3),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

enum cs_result
portal_user_lookup(struct db *db, struct arena *a, const char *email, struct portal_login *l)
{
	const char *p[] = { email };
	PGresult *r = db_exec(db, &stmts[ST_LOOKUP], p);
	int failed = 0;

	memset(l, 0, sizeof(*l));
	if (r == NULL)
		return db_result(db);
	if (PQntuples(r) == 1) {
		l->user_id = db_ll(r, 0, L_user_id);
		l->customer_id = db_ll(r, 0, L_customer_id);
		l->name = db_str(a, r, 0, L_name, &failed);
		l->password_hash = db_str(a, r, 0, L_hash, &failed);
		l->active = db_bool(r, 0, L_active);
		l->verified = db_bool(r, 0, L_verified);
	}
	PQclear(r);
	return failed ? CS_FAILED : CS_OK;
}

enum cs_result
portal_signup_check(const struct portal_signup *s, const char **why)
{
	size_t len = s->name ? utf8_chars(s->name) : 0;

	*why = NULL;
	if (len < 1 || len > PORTAL_USER_NAME_MAX)
		*why = "Enter your name (up to " STR(PORTAL_USER_NAME_MAX) " characters).";
	else if (!text_line_ok(s->name))
		*why = "A name cannot hold " TEXT_LINE_BANNED ".";
	else if (s->email == NULL || !notify_address_ok(s->email))
		*why = "Enter a valid e-mail address.";
	return *why != NULL ? CS_REFUSED : CS_OK;
}

enum cs_result
portal_user_register(struct db *db, const struct portal_signup *s, long long *user_id,
    long long *customer_id, const char **why)
{
	const char *p[] = { s->name, s->email, s->password_hash, s->language };
	enum cs_result rc = CS_TAKEN;
	PGresult *r;

	*user_id = *customer_id = 0;
	if (portal_signup_check(s, why) != CS_OK)
		return CS_REFUSED;
	r = db_exec(db, &stmts[ST_REGISTER], p);
	if (r == NULL)
		return db_result(db);
	/* No row: the function found the address taken. */
	if (PQntuples(r) == 1 && !PQgetisnull(r, 0, IDS_user_id)) {
		*user_id = db_ll(r, 0, IDS_user_id);
		*customer_id = db_ll(r, 0, IDS_customer_id);
		rc = CS_OK;
	}
	PQclear(r);
	return rc;
}

enum cs_result
portal_address_staff(struct db *db, const char *email, int *staff)
{
	const char *p[] = { email };
	PGresult *r = db_exec(db, &stmts[ST_IS_STAFF], p);

	*staff = 0;
	if (r == NULL)
		return db_result(db);
	*staff = PQntuples(r) == 1 && db_bool(r, 0, 0);
	PQclear(r);
	return CS_OK;
}

/* Runs an UPDATE of one user: CS_OK when it changed a row, else CS_NOT_FOUND. */
static enum cs_result
update_one(struct db *db, enum stmt st, long long id, const char *value)
{
	char sid[24];
	const char *p[] = { sid, value };

	snprintf(sid, sizeof(sid), "%lld", id);
	return db_update_one(db, &stmts[st], p);
}

enum cs_result
portal_user_set_password(struct db *db, long long user_id, const char *hash)
{
	return update_one(db, ST_PASSWORD, user_id, hash);
}

enum cs_result
portal_user_set_email(struct db *db, long long user_id, const char *email, const char **why)
{
	*why = NULL;
	if (email == NULL || !notify_address_ok(email)) {
		*why = "Enter a valid e-mail address.";
		return CS_REFUSED;
	}
	return update_one(db, ST_EMAIL, user_id, email);
}

enum cs_result
portal_user_mark_verified(struct db *db, long long user_id)
{
	return update_one(db, ST_VERIFIED, user_id, NULL);
}

/* A user's hash and contact, as the one-row SELECTs by id give them. */
struct user_row {
	const char *hash, *name, *email;
	int verified;
};

static enum cs_result
fill_hash(struct arena *a, const PGresult *r, int row, void *elem)
{
	struct user_row *u = elem;
	int failed = 0;

	u->hash = db_str(a, r, row, H_hash, &failed);
	u->verified = db_bool(r, row, H_verified);
	return failed ? CS_FAILED : CS_OK;
}

static enum cs_result
fill_contact(struct arena *a, const PGresult *r, int row, void *elem)
{
	struct user_row *u = elem;
	int failed = 0;

	u->name = db_str(a, r, row, C_name, &failed);
	u->email = db_str(a, r, row, C_email, &failed);
	return failed ? CS_FAILED : CS_OK;
}

/* Runs a one-row SELECT by user id into u. */
static enum cs_result
by_id(struct db *db, struct arena *a, enum stmt st, db_fill_fn fill, long long user_id,
    struct user_row *u)
{
	char sid[24];
	const char *p[] = { sid };

	memset(u, 0, sizeof(*u));
	snprintf(sid, sizeof(sid), "%lld", user_id);
	return db_one(db, a, &stmts[st], p, fill, u);
}

enum cs_result
portal_user_hash(struct db *db, struct arena *a, long long user_id, const char **hash,
    int *verified)
{
	struct user_row u;
	enum cs_result rc = by_id(db, a, ST_HASH, fill_hash, user_id, &u);

	*hash = rc == CS_OK ? u.hash : NULL;
	if (rc == CS_OK && verified != NULL)
		*verified = u.verified;
	return rc;
}

enum cs_result
portal_user_contact(struct db *db, struct arena *a, long long user_id, const char **name,
    const char **email)
{
	struct user_row u;
	enum cs_result rc = by_id(db, a, ST_CONTACT, fill_contact, user_id, &u);

	if (rc == CS_OK) {
		*name = u.name;
		*email = u.email;
	}
	return rc;
}

enum cs_result
portal_link_issue(struct db *db, struct arena *a, const char *purpose, const char *email,
    long long user_id, int seconds, const char **token, const char **name, const char **to)
{
	unsigned char hash[32];
	char uid[24], secs[16];
	const char *p[5];
	int lengths[5] = { 0, 0, 0, 32, 0 }, formats[5] = { 0, 0, 0, 1, 0 };
	enum cs_result rc = CS_NOT_FOUND;
	PGresult *r;
	int failed = 0;

	*token = session_token_new(a, hash);
	if (*token == NULL)
		return CS_FAILED;
	snprintf(uid, sizeof(uid), "%lld", user_id);
	snprintf(secs, sizeof(secs), "%d", seconds);
	p[0] = purpose;
	p[1] = email;
	p[2] = uid;
	p[3] = (const char *)hash;
	p[4] = secs;
	r = db_exec_bin(db, &stmts[ST_LINK_ISSUE], p, lengths, formats);
	if (r == NULL)
		return db_result(db);
	if (PQntuples(r) == 1) {
		*name = db_str(a, r, 0, I_name, &failed);
		*to = db_str(a, r, 0, I_email, &failed);
		rc = failed ? CS_FAILED : CS_OK;
	}
	PQclear(r);
	return rc;
}

enum cs_result
portal_link_redeem(struct db *db, const char *purpose, const char *token, long long *user_id,
    long long *customer_id)
{
	unsigned char hash[32];
	const char *p[2] = { purpose, (const char *)hash };
	int lengths[2] = { 0, 32 }, formats[2] = { 0, 1 };
	enum cs_result rc = CS_NOT_FOUND;
	PGresult *r;

	if (token == NULL || session_token_hash(token, hash) < 0)
		return CS_NOT_FOUND;
	r = db_exec_bin(db, &stmts[ST_LINK_REDEEM], p, lengths, formats);
	if (r == NULL)
		return db_result(db);
	if (PQntuples(r) == 1) {
		*user_id = db_ll(r, 0, IDS_user_id);
		*customer_id = db_ll(r, 0, IDS_customer_id);
		rc = CS_OK;
	}
	PQclear(r);
	return rc;
}

enum cs_result
portal_mail_allowed(struct db *db, const char *kind, const char *email, int max, int seconds)
{
	char secs[16];
	const char *p[] = { kind, email, secs };
	long long n = 0;
	PGresult *r;

	snprintf(secs, sizeof(secs), "%d", seconds);
	if ((r = db_exec(db, &stmts[ST_MAIL_RECENT], p)) == NULL)
		return db_result(db);
	if (PQntuples(r) == 1)
		n = db_ll(r, 0, 0);
	PQclear(r);
	return n < max ? CS_OK : CS_REFUSED;
}
