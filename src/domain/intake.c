/* intake.c — see intake.h. */
#include "domain/intake.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/admin_audit.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

/*
 * The hash of a login nobody can sign in with yet: password_verify only
 * tries hashes that start with "$argon2", so this never matches anything.
 */
#define NO_PASSWORD "!"

/* The columns of a match, in the order fill() reads them. */
#define MATCH_COLS "c.id, c.name, c.tier, coalesce(c.phone, ''), coalesce(u.id, 0)," \
    " coalesce(u.name, ''), coalesce(u.email, '')"

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
	    " RETURNING customer_id, id", 4),
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

static void
fill(struct arena *a, const PGresult *r, int row, struct intake_match *m, int *failed)
{
	m->customer_id = db_ll(r, row, 0);
	m->customer = db_str(a, r, row, 1, failed);
	m->tier = db_str(a, r, row, 2, failed);
	m->phone = db_str(a, r, row, 3, failed);
	m->user_id = db_ll(r, row, 4);
	m->name = db_str(a, r, row, 5, failed);
	m->email = db_str(a, r, row, 6, failed);
}

static int
matches(struct db *db, struct arena *a, struct db_stmt *st, const char *const *p,
    struct intake_match **out, size_t *n)
{
	PGresult *r = db_exec(db, st, p);
	int i, rows, failed = 0;

	if (r == NULL)
		return -1;
	rows = PQntuples(r);
	if (rows > INTAKE_MATCHES_MAX)
		rows = INTAKE_MATCHES_MAX;
	if ((*out = arena_calloc(a, (size_t)rows + 1, sizeof(**out))) == NULL)
		failed = 1;
	for (i = 0; i < rows && !failed; i++)
		fill(a, r, i, &(*out)[i], &failed);
	if (!failed)
		*n = (size_t)rows;
	PQclear(r);
	return failed ? -1 : 0;
}

int
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
		return 0;
	/* The digits from the last one back: the index's key. */
	if ((key = arena_alloc(a, len + 1)) == NULL)
		return -1;
	for (k = strlen(term); k-- > 0;)
		if (term[k] >= '0' && term[k] <= '9')
			*key++ = term[k];
	*key = '\0';
	p[0] = key - len;
	return matches(db, a, &stmts[STMT_BY_PHONE], p, out, n);
}

int
intake_contact(struct db *db, struct arena *a, long long customer_id, long long user_id,
    struct intake_match *m)
{
	char id[24];
	const char *p[] = { id };
	struct intake_match *rows;
	size_t n = 0;

	memset(m, 0, sizeof(*m));
	snprintf(id, sizeof(id), "%lld", user_id > 0 ? user_id : customer_id);
	if (matches(db, a, &stmts[user_id > 0 ? STMT_USER : STMT_CUSTOMER], p, &rows, &n) < 0)
		return -1;
	if (n != 1)
		return 0;
	*m = rows[0];
	return 1;
}

long long
intake_customer_create(struct db *db, const struct audit_entry *by, const char *name,
    const char *email, const char *phone, const char *language, long long *user_id)
{
	const char *p[] = { name, email, phone, language };
	PGresult *r;
	long long id = -1;

	*user_id = 0;
	if (db_begin(db) < 0)
		return -1;
	if ((r = db_exec(db, &stmts[STMT_CREATE], p)) == NULL) {
		id = db_is(db, "23505") ? INTAKE_TAKEN : -1;
		goto fail;
	}
	if (PQntuples(r) == 1) {
		id = db_ll(r, 0, 0);
		*user_id = db_ll(r, 0, 1);
	}
	PQclear(r);
	if (id <= 0 || admin_audit(db, by, "customer.create", "customer", id,
	    json_pack("{s:s, s:s, s:s, s:s}", "name", name, "email", email, "phone", phone,
	    "via", "quick_create")) < 0) {
		id = -1;
		goto fail;
	}
	return db_commit(db) < 0 ? -1 : id;
fail:
	db_rollback(db);
	*user_id = 0;
	return id;
}
