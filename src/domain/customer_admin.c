/* customer_admin.c — see customer_admin.h. */
#include "domain/customer_admin.h"
#include "auth/session.h"
#include "core/arena.h"
#include "core/config.h"
#include "db/db.h"
#include "domain/admin_audit.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

const char *const customer_admin_kinds[] = { "person", "company", NULL };
const char *const customer_admin_tiers[] = { "standard", "premium", "vip", NULL };

/* The columns of a list row, in the order customer_admin_list reads them. */
#define ROW_COLS "c.id, c.name, c.kind, c.tier, c.language,"\
    " coalesce((SELECT u.email FROM portal_users u WHERE u.customer_id = c.id"\
    "  ORDER BY u.id LIMIT 1), ''),"\
    " (SELECT count(*) FROM portal_users u WHERE u.customer_id = c.id), c.active"
enum { ROW_ID, ROW_NAME, ROW_KIND, ROW_TIER, ROW_LANG, ROW_EMAIL, ROW_USERS, ROW_ACTIVE };

#define ACCOUNT_COLS "id, name, kind, tier, language, coalesce(phone, ''), active,"\
    " to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI')"
enum { C_ID, C_NAME, C_KIND, C_TIER, C_LANG, C_PHONE, C_ACTIVE, C_CREATED };

#define USER_COLS "id, name, email, email_verified_at IS NOT NULL, active, is_account_admin,"\
    " to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI')"
enum { U_ID, U_NAME, U_EMAIL, U_VERIFIED, U_ACTIVE, U_ADMIN, U_CREATED };

enum stmt {
	STMT_LIST,
	STMT_GET,
	STMT_USERS,
	STMT_CREATE,
	STMT_CREATE_USER,
	STMT_UPDATE,
	STMT_USER_ACTIVE,
	STMT_USER_ADMIN,
	STMT__MAX
};

static struct db_stmt stmts[] = {
	[STMT_LIST] = DB_STMT("customer_admin_list",
	    "SELECT " ROW_COLS " FROM customers c"
	    " WHERE ($1::bigint = 0 OR c.id < $1::bigint)"
	    " AND ($2::text = '' OR strpos(lower(c.name), lower($2::text)) > 0"
	    "  OR EXISTS (SELECT 1 FROM portal_users u WHERE u.customer_id = c.id"
	    "   AND strpos(u.email, lower($2::text)) > 0))"
	    " ORDER BY c.id DESC LIMIT $3::integer", 3),
	[STMT_GET] = DB_STMT("customer_admin_get",
	    "SELECT " ACCOUNT_COLS " FROM customers WHERE id = $1::bigint", 1),
	[STMT_USERS] = DB_STMT("customer_admin_users",
	    "SELECT " USER_COLS " FROM portal_users WHERE customer_id = $1::bigint"
	    " ORDER BY id LIMIT 500", 1),
	[STMT_CREATE] = DB_STMT("customer_admin_create",
	    "INSERT INTO customers (name, kind, tier, language, phone)"
	    " VALUES ($1, $2, $3, $4, nullif($5, '')) RETURNING id", 5),
	[STMT_CREATE_USER] = DB_STMT("customer_admin_create_user",
	    "INSERT INTO portal_users (customer_id, email, name, password_hash, is_account_admin,"
	    " email_verified_at) VALUES ($1::bigint, lower($2), $3, $4, true, now())"
	    " RETURNING id", 4),
	/* Returns whether the account was active before. */
	[STMT_UPDATE] = DB_STMT("customer_admin_update",
	    "UPDATE customers c SET name = $2, kind = $3, tier = $4, language = $5,"
	    " phone = nullif($6, ''), active = $7::boolean"
	    " FROM (SELECT id, active FROM customers WHERE id = $1::bigint FOR UPDATE) old"
	    " WHERE c.id = old.id RETURNING old.active", 7),
	[STMT_USER_ACTIVE] = DB_STMT("customer_admin_user_active",
	    "UPDATE portal_users SET active = $3::boolean"
	    " WHERE id = $2::bigint AND customer_id = $1::bigint", 3),
	[STMT_USER_ADMIN] = DB_STMT("customer_admin_user_admin",
	    "UPDATE portal_users SET is_account_admin = $3::boolean"
	    " WHERE id = $2::bigint AND customer_id = $1::bigint", 3),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == STMT__MAX, "one statement per enum stmt");

/* The statement and audit action for each flag, on and off. */
static const struct {
	enum stmt stmt;
	const char *on, *off;
} flags[] = {
	[CUSTOMER_ADMIN_USER_ACTIVE] = { STMT_USER_ACTIVE, "portal_user.activate",
		"portal_user.deactivate" },
	[CUSTOMER_ADMIN_USER_ACCOUNT_ADMIN] = { STMT_USER_ADMIN, "portal_user.grant_admin",
		"portal_user.revoke_admin" },
};
_Static_assert(sizeof(flags) / sizeof(flags[0]) == CUSTOMER_ADMIN_FLAG__MAX, "one per flag");




int
customer_admin_list(struct db *db, struct arena *a, const struct customer_admin_query *q,
    struct customer_admin_row **rows, size_t *n, long long *next)
{
	char before[24], limit[16];
	const char *p[] = { before, q->text ? q->text : "", limit };
	PGresult *res;
	int i, count, failed = 0;

	*rows = NULL;
	*n = 0;
	*next = 0;
	snprintf(before, sizeof(before), "%lld", q->before > 0 ? q->before : 0);
	/* One more than a page tells whether there is a next one. */
	snprintf(limit, sizeof(limit), "%d", CUSTOMER_ADMIN_PAGE + 1);
	res = db_exec(db, &stmts[STMT_LIST], p);
	if (res == NULL)
		return -1;
	count = PQntuples(res);
	if (count > CUSTOMER_ADMIN_PAGE)
		count = CUSTOMER_ADMIN_PAGE;
	*rows = arena_calloc(a, (size_t)count + 1, sizeof(**rows));
	if (*rows == NULL)
		failed = 1;
	for (i = 0; i < count && !failed; i++) {
		struct customer_admin_row *row = &(*rows)[i];

		row->id = db_ll(res, i, ROW_ID);
		row->name = db_str(a, res, i, ROW_NAME, &failed);
		row->kind = db_str(a, res, i, ROW_KIND, &failed);
		row->tier = db_str(a, res, i, ROW_TIER, &failed);
		row->language = db_str(a, res, i, ROW_LANG, &failed);
		row->email = db_str(a, res, i, ROW_EMAIL, &failed);
		row->users = db_ll(res, i, ROW_USERS);
		row->active = db_bool(res, i, ROW_ACTIVE);
	}
	if (!failed) {
		*n = (size_t)count;
		if (PQntuples(res) > CUSTOMER_ADMIN_PAGE)
			*next = (*rows)[count - 1].id;
	}
	PQclear(res);
	return failed ? -1 : 0;
}

int
customer_admin_get(struct db *db, struct arena *a, long long id,
    struct customer_admin_account *c, struct customer_admin_user **users, size_t *n)
{
	char idbuf[24];
	const char *p[] = { idbuf };
	PGresult *res;
	int i, count, failed = 0;

	memset(c, 0, sizeof(*c));
	*users = NULL;
	*n = 0;
	snprintf(idbuf, sizeof(idbuf), "%lld", id);
	res = db_exec(db, &stmts[STMT_GET], p);
	if (res == NULL)
		return -1;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return 0;
	}
	c->id = db_ll(res, 0, C_ID);
	c->name = db_str(a, res, 0, C_NAME, &failed);
	c->kind = db_str(a, res, 0, C_KIND, &failed);
	c->tier = db_str(a, res, 0, C_TIER, &failed);
	c->language = db_str(a, res, 0, C_LANG, &failed);
	c->phone = db_str(a, res, 0, C_PHONE, &failed);
	c->active = db_bool(res, 0, C_ACTIVE);
	c->created_at = db_str(a, res, 0, C_CREATED, &failed);
	PQclear(res);
	if (failed)
		return -1;
	res = db_exec(db, &stmts[STMT_USERS], p);
	if (res == NULL)
		return -1;
	count = PQntuples(res);
	*users = arena_calloc(a, (size_t)count + 1, sizeof(**users));
	if (*users == NULL)
		failed = 1;
	for (i = 0; i < count && !failed; i++) {
		struct customer_admin_user *u = &(*users)[i];

		u->id = db_ll(res, i, U_ID);
		u->name = db_str(a, res, i, U_NAME, &failed);
		u->email = db_str(a, res, i, U_EMAIL, &failed);
		u->verified = db_bool(res, i, U_VERIFIED);
		u->active = db_bool(res, i, U_ACTIVE);
		u->account_admin = db_bool(res, i, U_ADMIN);
		u->created_at = db_str(a, res, i, U_CREATED, &failed);
	}
	if (!failed)
		*n = (size_t)count;
	PQclear(res);
	return failed ? -1 : 1;
}

/* Runs st and returns the single row's first column as an id, or -1. */
static long long
returning_id(struct db *db, struct db_stmt *st, const char *const *p)
{
	PGresult *res = db_exec(db, st, p);
	long long id = -1;

	if (res == NULL)
		return -1;
	if (PQntuples(res) == 1)
		id = db_ll(res, 0, 0);
	PQclear(res);
	return id;
}

long long
customer_admin_create(struct db *db, const struct audit_entry *by,
    const struct customer_admin_account *c,
    const char *login_email, const char *login_name, const char *password_hash,
    long long *user_id)
{
	const char *cp[] = { c->name, c->kind, c->tier, c->language, c->phone ? c->phone : "" };
	char cid[24];
	const char *up[] = { cid, login_email, login_name, password_hash };
	long long id;

	*user_id = 0;
	if (db_begin(db) < 0)
		return -1;
	id = returning_id(db, &stmts[STMT_CREATE], cp);
	if (id <= 0)
		goto fail;
	snprintf(cid, sizeof(cid), "%lld", id);
	*user_id = returning_id(db, &stmts[STMT_CREATE_USER], up);
	if (*user_id <= 0) {
		long long why = db_is(db, "23505") ? CUSTOMER_ADMIN_TAKEN : -1;

		*user_id = 0;
		db_rollback(db);
		return why;
	}
	if (admin_audit(db, by, "customer.create", "customer", id,
	    json_pack("{s:s, s:s, s:s, s:s, s:I, s:s}", "name", c->name, "kind", c->kind,
	    "tier", c->tier, "language", c->language, "portal_user_id", (json_int_t)*user_id,
	    "email", login_email)) < 0)
		goto fail;
	if (db_commit(db) < 0)
		return -1;
	return id;
fail:
	*user_id = 0;
	db_rollback(db);
	return -1;
}

int
customer_admin_update(struct db *db, const struct audit_entry *by,
    const struct customer_admin_account *c)
{
	char id[24];
	const char *p[] = { id, c->name, c->kind, c->tier, c->language, c->phone ? c->phone : "",
		c->active ? "t" : "f" };
	PGresult *res;
	int rc = -1, was_active = 0;

	snprintf(id, sizeof(id), "%lld", c->id);
	if (db_begin(db) < 0)
		return -1;
	res = db_exec(db, &stmts[STMT_UPDATE], p);
	if (res == NULL)
		goto fail;
	rc = PQntuples(res) == 1 ? 0 : CUSTOMER_ADMIN_NOT_FOUND;
	if (rc == 0)
		was_active = db_bool(res, 0, 0);
	PQclear(res);
	if (rc != 0)
		goto fail;
	rc = -1;
	/* Out at once: every person of the account. */
	if (!c->active && session_account_end_all(db, c->id) < 0)
		goto fail;
	if (admin_audit(db, by, was_active == c->active ? "customer.update" :
	    c->active ? "customer.activate" : "customer.deactivate", "customer", c->id,
	    json_pack("{s:s, s:s, s:s, s:s, s:s, s:b}", "name", c->name, "kind", c->kind,
	    "tier", c->tier, "language", c->language, "phone", c->phone ? c->phone : "",
	    "active", c->active)) < 0)
		goto fail;
	return db_commit(db) < 0 ? -1 : 0;
fail:
	db_rollback(db);
	return rc;
}

int
customer_admin_user_set(struct db *db, const struct audit_entry *by, long long customer_id,
    long long user_id, enum customer_admin_flag flag, int on)
{
	char cid[24], uid[24];
	const char *p[] = { cid, uid, on ? "t" : "f" };
	PGresult *res;
	int rc = -1;

	if (flag >= CUSTOMER_ADMIN_FLAG__MAX)
		return -1;
	snprintf(cid, sizeof(cid), "%lld", customer_id);
	snprintf(uid, sizeof(uid), "%lld", user_id);
	if (db_begin(db) < 0)
		return -1;
	res = db_exec(db, &stmts[flags[flag].stmt], p);
	if (res == NULL)
		goto fail;
	rc = db_changed(res) == 1 ? 0 : CUSTOMER_ADMIN_NOT_FOUND;
	PQclear(res);
	if (rc != 0)
		goto fail;
	rc = -1;
	if (flag == CUSTOMER_ADMIN_USER_ACTIVE && !on &&
	    session_customer_end_all(db, user_id, 0) < 0)
		goto fail;
	if (admin_audit(db, by, on ? flags[flag].on : flags[flag].off, "portal_user", user_id,
	    json_pack("{s:I}", "customer_id", (json_int_t)customer_id)) < 0)
		goto fail;
	return db_commit(db) < 0 ? -1 : 0;
fail:
	db_rollback(db);
	return rc;
}
