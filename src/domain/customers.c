/* customers.c — see customers.h. */
#include "domain/customers.h"
#include "auth/session.h"
#include "core/utf8.h"
#include "db/db.h"
#include "domain/admin_audit.h"
#include "domain/text_check.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#define STR_(x) #x
#define STR(x) STR_(x)

const char *const customer_kinds[] = { "person", "company", NULL };
const char *const customer_tiers[] = { "standard", "premium", "vip", NULL };

#define ROW_COLS(X) \
	X(ROW, id, "c.id") X(ROW, name, "c.name") X(ROW, kind, "c.kind") X(ROW, tier, "c.tier") \
	X(ROW, lang, "c.language") \
	X(ROW, email, "coalesce((SELECT u.email FROM portal_users u WHERE u.customer_id = c.id" \
	    " ORDER BY u.id LIMIT 1), '')") \
	X(ROW, users, "(SELECT count(*) FROM portal_users u WHERE u.customer_id = c.id)") \
	X(ROW, active, "c.active")
enum { DB_COL_ENUM(ROW_COLS) };

#define ACC_COLS(X) \
	X(C, id, "id") X(C, name, "name") X(C, kind, "kind") X(C, tier, "tier") \
	X(C, lang, "language") X(C, phone, "coalesce(phone, '')") X(C, active, "active") \
	X(C, created, "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI')")
enum { DB_COL_ENUM(ACC_COLS) };

#define USER_COLS(X) \
	X(U, id, "id") X(U, name, "name") X(U, email, "email") \
	X(U, verified, "email_verified_at IS NOT NULL") X(U, active, "active") \
	X(U, admin, "is_account_admin") \
	X(U, created, "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI')")
enum { DB_COL_ENUM(USER_COLS) };

#define NEW_COLS(X) X(NEW, id, "id")
enum { DB_COL_ENUM(NEW_COLS) };

#define UPD_COLS(X) X(UPD, was_active, "old.active")
enum { DB_COL_ENUM(UPD_COLS) };

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
	[STMT_LIST] = DB_STMT("customer_list",
	    "SELECT " DB_COLS(ROW_COLS) " FROM customers c"
	    " WHERE ($1::bigint = 0 OR c.id < $1::bigint)"
	    " AND ($2::text = '' OR strpos(lower(c.name), lower($2::text)) > 0"
	    "  OR EXISTS (SELECT 1 FROM portal_users u WHERE u.customer_id = c.id"
	    "   AND strpos(u.email, lower($2::text)) > 0))"
	    " ORDER BY c.id DESC LIMIT $3::integer", 3),
	[STMT_GET] = DB_STMT("customer_get",
	    "SELECT " DB_COLS(ACC_COLS) " FROM customers WHERE id = $1::bigint", 1),
	[STMT_USERS] = DB_STMT("customer_users",
	    "SELECT " DB_COLS(USER_COLS) " FROM portal_users WHERE customer_id = $1::bigint"
	    " ORDER BY id LIMIT 500", 1),
	[STMT_CREATE] = DB_STMT("customer_create",
	    "INSERT INTO customers (name, kind, tier, language, phone)"
	    " VALUES ($1, $2, $3, $4, nullif($5, '')) RETURNING " DB_COLS(NEW_COLS), 5),
	/* The login speaks the account's language. */
	[STMT_CREATE_USER] = DB_STMT("customer_create_user",
	    "INSERT INTO portal_users (customer_id, email, name, password_hash, is_account_admin,"
	    " email_verified_at, language) VALUES ($1::bigint, lower($2), $3, $4, true,"
	    " CASE WHEN $5::boolean THEN now() END, $6)"
	    " RETURNING " DB_COLS(NEW_COLS), 6),
	/* Returns whether the account was active before. */
	[STMT_UPDATE] = DB_STMT("customer_update",
	    "UPDATE customers c SET name = $2, kind = $3, tier = $4, language = $5,"
	    " phone = nullif($6, ''), active = $7::boolean"
	    " FROM (SELECT id, active FROM customers WHERE id = $1::bigint FOR UPDATE) old"
	    " WHERE c.id = old.id RETURNING " DB_COLS(UPD_COLS), 7),
	[STMT_USER_ACTIVE] = DB_STMT("customer_user_active",
	    "UPDATE portal_users SET active = $3::boolean"
	    " WHERE id = $2::bigint AND customer_id = $1::bigint", 3),
	[STMT_USER_ADMIN] = DB_STMT("customer_user_admin",
	    "UPDATE portal_users SET is_account_admin = $3::boolean"
	    " WHERE id = $2::bigint AND customer_id = $1::bigint", 3),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == STMT__MAX, "one statement per enum stmt");

/* The statement and audit action for each flag, on and off. */
static const struct {
	enum stmt stmt;
	const char *on, *off;
} flags[] = {
	[CUSTOMER_USER_ACTIVE] = { STMT_USER_ACTIVE, "portal_user.activate",
		"portal_user.deactivate" },
	[CUSTOMER_USER_ACCOUNT_ADMIN] = { STMT_USER_ADMIN, "portal_user.grant_admin",
		"portal_user.revoke_admin" },
};
_Static_assert(sizeof(flags) / sizeof(flags[0]) == CUSTOMER_FLAG__MAX, "one per flag");

int
customer_language_ok(const char *s)
{
	size_t len = s ? strlen(s) : 0;

	if (len != 2 && len != 5)
		return 0;
	if (!(s[0] >= 'a' && s[0] <= 'z' && s[1] >= 'a' && s[1] <= 'z'))
		return 0;
	return len == 2 || (s[2] == '-' && s[3] >= 'A' && s[3] <= 'Z' && s[4] >= 'A' &&
	    s[4] <= 'Z');
}

int
customer_phone_ok(const char *s)
{
	int digits = 0;

	if (s == NULL || utf8_chars(s) > CUSTOMER_PHONE_MAX)
		return 0;
	for (; *s; s++) {
		if (*s >= '0' && *s <= '9')
			digits++;
		else if (strchr(" +-()./", *s) == NULL)
			return 0;
	}
	return digits > 0;
}

static int
listed(const char *const *list, const char *v)
{
	for (; v != NULL && *list != NULL; list++)
		if (strcmp(*list, v) == 0)
			return 1;
	return 0;
}

/* The name's limit: NULL, or why not. */
static const char *
check_name(const char *name)
{
	size_t len = name ? utf8_chars(name) : 0;

	if (len < 1 || len > CUSTOMER_NAME_MAX)
		return "Name must be 1 to " STR(CUSTOMER_NAME_MAX) " characters long.";
	if (!text_line_ok(name))
		return "A name cannot hold " TEXT_LINE_BANNED ".";
	return NULL;
}

/* The limits of an account: NULL, or why not. */
static const char *
check_account(const struct customer_account *c)
{
	const char *why = check_name(c->name);

	if (why != NULL)
		return why;
	if (!listed(customer_kinds, c->kind))
		return "Choose one of the listed values for Kind.";
	if (!listed(customer_tiers, c->tier))
		return "Choose one of the listed values for Tier.";
	if (!customer_language_ok(c->language))
		return "Language must be a code like en or en-GB.";
	if (c->phone != NULL && *c->phone != '\0' && !customer_phone_ok(c->phone))
		return "Phone may hold digits, spaces and + - ( ) . / only.";
	return NULL;
}

static enum cs_result
fill_row(struct arena *a, const PGresult *res, int i, void *elem)
{
	struct customer_row *row = elem;
	int failed = 0;

	row->id = db_ll(res, i, ROW_id);
	row->name = db_str(a, res, i, ROW_name, &failed);
	row->kind = db_str(a, res, i, ROW_kind, &failed);
	row->tier = db_str(a, res, i, ROW_tier, &failed);
	row->language = db_str(a, res, i, ROW_lang, &failed);
	row->email = db_str(a, res, i, ROW_email, &failed);
	row->users = db_ll(res, i, ROW_users);
	row->active = db_bool(res, i, ROW_active);
	return failed ? CS_FAILED : CS_OK;
}

enum cs_result
customer_list(struct db *db, struct arena *a, const struct customer_query *q,
    struct customer_row **rows, size_t *n, long long *next)
{
	char before[24], limit[16];
	const char *p[] = { before, q->text ? q->text : "", limit };
	enum cs_result rc;
	void *arr;
	int more;

	*next = 0;
	*rows = NULL;
	*n = 0;
	if (q->text != NULL && utf8_chars(q->text) > CUSTOMER_SEARCH_MAX)
		return CS_REFUSED;
	snprintf(before, sizeof(before), "%lld", q->before > 0 ? q->before : 0);
	snprintf(limit, sizeof(limit), "%d", CUSTOMER_PAGE + 1);
	rc = db_page(db, a, &stmts[STMT_LIST], p, CUSTOMER_PAGE, sizeof(**rows), fill_row, &arr,
	    n, &more);
	*rows = arr;
	if (rc == CS_OK && more && *n > 0)
		*next = (*rows)[*n - 1].id;
	return rc;
}

static enum cs_result
fill_user(struct arena *a, const PGresult *res, int i, void *elem)
{
	struct customer_user *u = elem;
	int failed = 0;

	u->id = db_ll(res, i, U_id);
	u->name = db_str(a, res, i, U_name, &failed);
	u->email = db_str(a, res, i, U_email, &failed);
	u->verified = db_bool(res, i, U_verified);
	u->active = db_bool(res, i, U_active);
	u->account_admin = db_bool(res, i, U_admin);
	u->created_at = db_str(a, res, i, U_created, &failed);
	return failed ? CS_FAILED : CS_OK;
}

static enum cs_result
fill_account(struct arena *a, const PGresult *res, int i, void *elem)
{
	struct customer_account *c = elem;
	int failed = 0;

	c->id = db_ll(res, i, C_id);
	c->name = db_str(a, res, i, C_name, &failed);
	c->kind = db_str(a, res, i, C_kind, &failed);
	c->tier = db_str(a, res, i, C_tier, &failed);
	c->language = db_str(a, res, i, C_lang, &failed);
	c->phone = db_str(a, res, i, C_phone, &failed);
	c->active = db_bool(res, i, C_active);
	c->created_at = db_str(a, res, i, C_created, &failed);
	return failed ? CS_FAILED : CS_OK;
}

enum cs_result
customer_get(struct db *db, struct arena *a, long long id, struct customer_account *c,
    struct customer_user **users, size_t *n)
{
	char idbuf[24];
	const char *p[] = { idbuf };
	void *arr;
	enum cs_result rc;

	memset(c, 0, sizeof(*c));
	*users = NULL;
	*n = 0;
	snprintf(idbuf, sizeof(idbuf), "%lld", id);
	if ((rc = db_one(db, a, &stmts[STMT_GET], p, fill_account, c)) != CS_OK)
		return rc;
	rc = db_rows(db, a, &stmts[STMT_USERS], p, sizeof(**users), fill_user, &arr, n);
	*users = arr;
	return rc;
}

/* Runs st and gives the new row's id: CS_OK or the failure (db_result). */
static enum cs_result
insert_id(struct db *db, enum stmt st, const char *const *p, long long *id)
{
	enum cs_result rc = db_id(db, &stmts[st], p, NEW_id, id);

	return rc == CS_NOT_FOUND ? CS_FAILED : rc;
}

enum cs_result
customer_create(struct db *db, const struct audit_entry *by, const struct customer_new *in,
    long long *id, long long *user_id, const char **why)
{
	const struct customer_account *c = &in->account;
	const char *cp[] = { c->name, c->kind, c->tier, c->language, c->phone ? c->phone : "" };
	char cid[24];
	const char *up[] = { cid, in->login_email, in->login_name, in->password_hash,
		in->verified ? "t" : "f", c->language };
	enum cs_result rc;

	*id = *user_id = 0;
	if ((*why = check_account(c)) != NULL || (*why = check_name(in->login_name)) != NULL)
		return CS_REFUSED;
	if (in->login_email == NULL || strchr(in->login_email, '@') == NULL ||
	    strlen(in->login_email) > 254) {
		*why = "Enter a valid e-mail address.";
		return CS_REFUSED;
	}
	if (db_begin(db) < 0)
		return db_result(db);
	rc = insert_id(db, STMT_CREATE, cp, id);
	if (rc != CS_OK)
		goto fail;
	snprintf(cid, sizeof(cid), "%lld", *id);
	rc = insert_id(db, STMT_CREATE_USER, up, user_id);
	if (rc != CS_OK)
		goto fail;
	if ((by != NULL && admin_audit(db, by, "customer.create", "customer", *id,
	    json_pack("{s:s, s:s, s:s, s:s, s:I, s:s}", "name", c->name, "kind", c->kind,
	    "tier", c->tier, "language", c->language, "portal_user_id", (json_int_t)*user_id,
	    "email", in->login_email)) != CS_OK) || db_commit(db) < 0) {
		rc = db_result(db);
		goto fail;
	}
	return CS_OK;
fail:
	*id = *user_id = 0;
	db_rollback(db);
	return rc;
}

enum cs_result
customer_update(struct db *db, const struct audit_entry *by, const struct customer_account *c,
    const char **why)
{
	char id[24];
	const char *p[] = { id, c->name, c->kind, c->tier, c->language, c->phone ? c->phone : "",
		c->active ? "t" : "f" };
	enum cs_result rc;
	PGresult *res;
	int was_active;

	if ((*why = check_account(c)) != NULL)
		return CS_REFUSED;
	snprintf(id, sizeof(id), "%lld", c->id);
	if (db_begin(db) < 0)
		return db_result(db);
	res = db_exec(db, &stmts[STMT_UPDATE], p);
	if (res == NULL) {
		rc = db_result(db);
		goto fail;
	}
	rc = PQntuples(res) == 1 ? CS_OK : CS_NOT_FOUND;
	was_active = rc == CS_OK && db_bool(res, 0, UPD_was_active);
	PQclear(res);
	if (rc != CS_OK)
		goto fail;
	/* Out at once: every person of the account. */
	if (!c->active && session_account_end_all(db, c->id) < 0) {
		rc = db_result(db);
		goto fail;
	}
	return admin_audit_commit(db, by, was_active == c->active ? "customer.update" :
	    c->active ? "customer.activate" : "customer.deactivate", "customer", c->id,
	    json_pack("{s:s, s:s, s:s, s:s, s:s, s:b}", "name", c->name, "kind", c->kind,
	    "tier", c->tier, "language", c->language, "phone", c->phone ? c->phone : "",
	    "active", c->active));
fail:
	db_rollback(db);
	return rc;
}

enum cs_result
customer_user_set(struct db *db, const struct audit_entry *by, long long customer_id,
    long long user_id, enum customer_flag flag, int on)
{
	char cid[24], uid[24];
	const char *p[] = { cid, uid, on ? "t" : "f" };
	enum cs_result rc;

	if (flag >= CUSTOMER_FLAG__MAX)
		return CS_FAILED;
	snprintf(cid, sizeof(cid), "%lld", customer_id);
	snprintf(uid, sizeof(uid), "%lld", user_id);
	if (db_begin(db) < 0)
		return db_result(db);
	rc = db_update_one(db, &stmts[flags[flag].stmt], p);
	if (rc != CS_OK)
		goto fail;
	if (flag == CUSTOMER_USER_ACTIVE && !on && session_customer_end_all(db, user_id, 0) < 0) {
		rc = db_result(db);
		goto fail;
	}
	return admin_audit_commit(db, by, on ? flags[flag].on : flags[flag].off, "portal_user",
	    user_id, json_pack("{s:I}", "customer_id", (json_int_t)customer_id));
fail:
	db_rollback(db);
	return rc;
}
