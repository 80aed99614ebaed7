/* intake.c — see intake.h. */
#include "domain/intake.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/admin_audit.h"
#include "domain/idempotency.h"
#include "domain/tickets.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

/*
 * The hash of a login nobody can sign in with yet: password_verify only
 * tries hashes that start with "$argon2", so this never matches anything.
 */
#define NO_PASSWORD "!"

/* The columns of a match. */
#define MATCH_COLS_(X) \
	X(M, customer_id, "c.id") X(M, customer, "c.name") X(M, tier, "c.tier") \
	X(M, phone, "coalesce(c.phone, '')") X(M, user_id, "coalesce(u.id, 0)") \
	X(M, name, "coalesce(u.name, '')") X(M, email, "coalesce(u.email, '')")
enum { DB_COL_ENUM(MATCH_COLS_) };
#define MATCH_COLS DB_COLS(MATCH_COLS_)
#define CREATED_COLS(X) X(CR, customer_id, "customer_id") X(CR, user_id, "id")
enum { DB_COL_ENUM(CREATED_COLS) };

/* What the index customers_phone_digits holds (007_ticket_intake.sql). */
#define PHONE_KEY "(reverse(regexp_replace(c.phone, '[^0-9]', '', 'g')) COLLATE \"C\")"

enum stmt { STMT_BY_EMAIL, STMT_BY_PHONE, STMT_USER, STMT_CUSTOMER, STMT_CREATE, STMT__MAX };

static struct db_stmt stmts[] = {
	[STMT_BY_EMAIL] = DB_STMT("intake_by_email",
	    "SELECT " MATCH_COLS " FROM portal_users u JOIN customers c ON c.id = u.customer_id"
	    " WHERE u.email = lower($1) AND u.active AND c.active", 1),
	[STMT_BY_PHONE] = DB_STMT("intake_by_phone",
	    "SELECT " MATCH_COLS " FROM customers c"
	    " LEFT JOIN portal_users u ON u.customer_id = c.id AND u.active"
	    " WHERE " PHONE_KEY " >= $1 AND " PHONE_KEY " < $1 || ':'"
	    " AND c.phone IS NOT NULL AND c.active"
	    /* In the index's order: by id, the planner would walk every customer. */
	    " ORDER BY " PHONE_KEY ", c.id, u.id LIMIT $2::integer", 2),
	[STMT_USER] = DB_STMT("intake_user",
	    "SELECT " MATCH_COLS " FROM portal_users u JOIN customers c ON c.id = u.customer_id"
	    " WHERE u.id = $1::bigint AND u.active AND c.active", 1),
	[STMT_CUSTOMER] = DB_STMT("intake_customer",
	    "SELECT " MATCH_COLS " FROM customers c LEFT JOIN portal_users u ON false"
	    " WHERE c.id = $1::bigint AND c.active", 1),
	[STMT_CREATE] = DB_STMT("intake_customer_create",
	    "WITH c AS (INSERT INTO customers (name, kind, language, phone)"
	    "  VALUES ($1, 'person', $4, nullif($3, '')) RETURNING id)"
	    " INSERT INTO portal_users (customer_id, email, name, password_hash, is_account_admin,"
	    "  language)"
	    " SELECT c.id, lower($2), $1, '" NO_PASSWORD "', true, $4 FROM c"
	    " RETURNING " DB_COLS(CREATED_COLS), 4),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == STMT__MAX, "one statement per enum stmt");

size_t
intake_phone_digits(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += *s >= '0' && *s <= '9';
	return n;
}

static enum cs_result
fill(struct arena *a, const PGresult *r, int row, void *elem)
{
	struct intake_match *m = elem;
	int failed = 0;

	m->customer_id = db_ll(r, row, M_customer_id);
	m->customer = db_str(a, r, row, M_customer, &failed);
	m->tier = db_str(a, r, row, M_tier, &failed);
	m->phone = db_str(a, r, row, M_phone, &failed);
	m->user_id = db_ll(r, row, M_user_id);
	m->name = db_str(a, r, row, M_name, &failed);
	m->email = db_str(a, r, row, M_email, &failed);
	return failed ? CS_FAILED : CS_OK;
}

static enum cs_result
matches(struct db *db, struct arena *a, struct db_stmt *st, const char *const *p,
    struct intake_match **out, size_t *n)
{
	int more;
	void *rows;
	enum cs_result rc = db_page(db, a, st, p, INTAKE_MATCHES_MAX, sizeof(**out), fill, &rows,
	    n, &more);

	*out = rows;
	return rc;
}

enum cs_result
intake_find(struct db *db, struct arena *a, const char *term, struct intake_match **out,
    size_t *n)
{
	char max[16], *key;
	const char *p[] = { term, max };
	size_t len, k;

	*out = NULL;
	*n = 0;
	snprintf(max, sizeof(max), "%d", INTAKE_MATCHES_MAX);
	if (strchr(term, '@') != NULL)
		return matches(db, a, &stmts[STMT_BY_EMAIL], p, out, n);
	if ((len = intake_phone_digits(term)) < INTAKE_PHONE_MIN_DIGITS)
		return CS_OK;
	/* The digits from the last one back: the index's key. */
	if ((key = arena_alloc(a, len + 1)) == NULL)
		return CS_FAILED;
	for (k = strlen(term); k-- > 0;)
		if (term[k] >= '0' && term[k] <= '9')
			*key++ = term[k];
	*key = '\0';
	p[0] = key - len;
	return matches(db, a, &stmts[STMT_BY_PHONE], p, out, n);
}

enum cs_result
intake_contact(struct db *db, struct arena *a, long long customer_id, long long user_id,
    struct intake_match *m)
{
	char id[24];
	const char *p[] = { id };
	struct intake_match *rows;
	size_t n = 0;
	enum cs_result rc;

	memset(m, 0, sizeof(*m));
	snprintf(id, sizeof(id), "%lld", user_id > 0 ? user_id : customer_id);
	rc = matches(db, a, &stmts[user_id > 0 ? STMT_USER : STMT_CUSTOMER], p, &rows, &n);
	if (rc != CS_OK)
		return rc;
	if (n != 1)
		return CS_NOT_FOUND;
	*m = rows[0];
	return CS_OK;
}

enum cs_result
intake_customer_create(struct db *db, const struct audit_entry *by, const char *name,
    const char *email, const char *phone, const char *language, long long *customer_id,
    long long *user_id)
{
	const char *p[] = { name, email, phone, language };
	enum cs_result rc = CS_FAILED;
	PGresult *r;

	*customer_id = *user_id = 0;
	if (db_begin(db) < 0)
		return db_result(db);
	if ((r = db_exec(db, &stmts[STMT_CREATE], p)) == NULL) {
		rc = db_result(db);
		goto fail;
	}
	if (PQntuples(r) == 1) {
		*customer_id = db_ll(r, 0, CR_customer_id);
		*user_id = db_ll(r, 0, CR_user_id);
	}
	PQclear(r);
	if (*customer_id <= 0)
		goto fail;
	if (admin_audit(db, by, "customer.create", "customer", *customer_id,
	    json_pack("{s:s, s:s, s:s, s:s}", "name", name, "email", email, "phone", phone,
	    "via", "quick_create")) != CS_OK) {
		rc = db_result(db);
		goto fail;
	}
	return db_commit(db) < 0 ? db_result(db) : CS_OK;
fail:
	db_rollback(db);
	*customer_id = *user_id = 0;
	return rc;
}

enum cs_result
intake_open(struct db *db, struct arena *a, const struct ticket_actor_ref *by,
    const struct intake_account *account, struct ticket_new *t, struct ticket_opened *out,
    const char **why)
{
	const struct idem_key *once = t->once;
	enum cs_result rc = CS_OK;

	memset(out, 0, sizeof(*out));
	if (db_begin(db) < 0)
		return db_result(db);
	/* Before the account: a retry must land on the first's ticket, not on "taken". */
	if (once != NULL && (rc = ticket_once(db, a, once, out, why)) != CS_OK) {
		if (rc == CS_TAKEN)
			return db_end(db, CS_OK);
		db_rollback(db);
		return rc;
	}
	if (account != NULL && (rc = intake_customer_create(db, account->by, account->name,
	    account->email, account->phone, account->language, &t->customer_id,
	    &t->requester_id)) != CS_OK) {
		db_rollback(db);
		return rc;
	}
	t->once = NULL;
	rc = ticket_open(db, a, by, t, out, why);
	t->once = once;
	if (rc == CS_OK && once != NULL)
		rc = idem_store_ticket(db, once, out->id);
	if (rc != CS_OK) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db) < 0 ? db_result(db) : CS_OK;
}
