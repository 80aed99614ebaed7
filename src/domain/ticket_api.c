/* ticket_api.c — see ticket_api.h. */
#include "domain/ticket_api.h"
#include "core/arena.h"
#include "db/db.h"

#include <stdio.h>
#include <string.h>

/* The columns of a list row. */
#define ISO(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
#define ROW_COLS(X) \
	X(R, id, "t.id") X(R, customer_id, "t.customer_id") X(R, number, "t.number") \
	X(R, status, "t.status") X(R, priority, "t.priority") X(R, channel, "t.channel") \
	X(R, subject, "t.subject") X(R, created_at, ISO("t.created_at")) \
	X(R, updated_at, ISO("t.updated_at"))
enum { DB_COL_ENUM(ROW_COLS) };
#define CUSTOMER_COLS(X) X(C, customer_id, "u.customer_id") X(C, user_id, "u.id")
enum { DB_COL_ENUM(CUSTOMER_COLS) };
#define CATEGORY_COLS(X) X(K, id, "id")
enum { DB_COL_ENUM(CATEGORY_COLS) };
#define STATUS_OK "($1::text IS NULL OR t.status = $1 OR ($1 = 'open' AND ticket_is_open(t.status)))"

enum stmt {
	STMT_LIST,
	STMT_LIST_CUSTOMER,
	STMT_CUSTOMER,
	STMT_CATEGORY,
	STMT__MAX
};

static struct db_stmt stmts[] = {
	/* Newest first by id: the primary key drives it. */
	[STMT_LIST] = DB_STMT("ticket_api_list",
	    "SELECT " DB_COLS(ROW_COLS) " FROM tickets t WHERE " STATUS_OK
	    " AND ($2::bigint IS NULL OR t.id < $2) ORDER BY t.id DESC LIMIT $3::integer", 3),
	/* One account's tickets: tickets_customer finds them, few to sort. */
	[STMT_LIST_CUSTOMER] = DB_STMT("ticket_api_list_customer",
	    "SELECT " DB_COLS(ROW_COLS) " FROM tickets t WHERE t.customer_id ="
	    " (SELECT customer_id FROM portal_users WHERE email = lower($4))"
	    " AND " STATUS_OK " AND ($2::bigint IS NULL OR t.id < $2)"
	    " ORDER BY t.id DESC LIMIT $3::integer", 4),
	[STMT_CUSTOMER] = DB_STMT("ticket_api_customer",
	    "SELECT " DB_COLS(CUSTOMER_COLS) " FROM portal_users u"
	    " JOIN customers c ON c.id = u.customer_id"
	    " WHERE u.email = lower($1) AND u.active AND c.active", 1),
	[STMT_CATEGORY] = DB_STMT("ticket_api_category",
	    "SELECT " DB_COLS(CATEGORY_COLS) " FROM categories WHERE lower(name) = lower($1)"
	    " AND active", 1),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == STMT__MAX, "one statement per enum stmt");

static enum cs_result
fill_row(struct arena *a, const PGresult *res, int i, void *elem)
{
	struct ticket_api_row *t = elem;
	int failed = 0;

	t->id = db_ll(res, i, R_id);
	t->customer_id = db_ll(res, i, R_customer_id);
	t->number = db_str(a, res, i, R_number, &failed);
	t->status = db_str(a, res, i, R_status, &failed);
	t->priority = db_str(a, res, i, R_priority, &failed);
	t->channel = db_str(a, res, i, R_channel, &failed);
	t->subject = db_str(a, res, i, R_subject, &failed);
	t->created_at = db_str(a, res, i, R_created_at, &failed);
	t->updated_at = db_str(a, res, i, R_updated_at, &failed);
	return failed ? CS_FAILED : CS_OK;
}

enum cs_result
ticket_api_list(struct db *db, struct arena *a, const struct ticket_api_filter *f,
    struct ticket_api_row **rows, size_t *n, long long *next_before)
{
	char before[24], limit[16];
	const char *p[4];
	enum cs_result rc;
	void *out;
	int want, more;

	*next_before = 0;
	want = f->limit < 1 ? 1 : f->limit > TICKET_API_LIMIT_MAX ? TICKET_API_LIMIT_MAX : f->limit;
	snprintf(before, sizeof(before), "%lld", f->before_id);
	/* One more than asked: tells whether there is a next page. */
	snprintf(limit, sizeof(limit), "%d", want + 1);
	p[0] = f->status;
	p[1] = f->before_id > 0 ? before : NULL;
	p[2] = limit;
	p[3] = f->customer_email;
	rc = db_page(db, a, &stmts[f->customer_email ? STMT_LIST_CUSTOMER : STMT_LIST], p, want,
	    sizeof(**rows), fill_row, &out, n, &more);
	*rows = out;
	if (rc == CS_OK && more && *n > 0)
		*next_before = (*rows)[*n - 1].id;
	return rc;
}

enum cs_result
ticket_api_customer(struct db *db, const char *email, long long *customer_id,
    long long *user_id)
{
	const char *p[] = { email };
	PGresult *res = db_exec(db, &stmts[STMT_CUSTOMER], p);
	enum cs_result rc;

	*customer_id = *user_id = 0;
	if (res == NULL)
		return db_result(db);
	rc = PQntuples(res) == 1 ? CS_OK : CS_NOT_FOUND;
	if (rc == CS_OK) {
		*customer_id = db_ll(res, 0, C_customer_id);
		*user_id = db_ll(res, 0, C_user_id);
	}
	PQclear(res);
	return rc;
}

enum cs_result
ticket_api_category(struct db *db, const char *name, long long *id)
{
	const char *p[] = { name };
	PGresult *res = db_exec(db, &stmts[STMT_CATEGORY], p);
	enum cs_result rc;

	*id = 0;
	if (res == NULL)
		return db_result(db);
	rc = PQntuples(res) >= 1 ? CS_OK : CS_NOT_FOUND;
	if (rc == CS_OK)
		*id = db_ll(res, 0, K_id);
	PQclear(res);
	return rc;
}
