/* ticket_api.c — see ticket_api.h. */
#include "domain/ticket_api.h"
#include "core/arena.h"
#include "db/db.h"

#include <stdio.h>
#include <string.h>

enum stmt {
	STMT_LIST,
	STMT_LIST_CUSTOMER,
	STMT_CUSTOMER,
	STMT_CATEGORY,
	STMT__MAX
};

/* The columns of a list row, in struct ticket_api_row order. */
#define ISO(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
#define ROW_COLS "t.id, t.customer_id, t.number, t.status, t.priority, t.channel, t.subject, " \
    ISO("t.created_at") ", " ISO("t.updated_at")
enum { R_ID, R_CUSTOMER, R_NUMBER, R_STATUS, R_PRIORITY, R_CHANNEL, R_SUBJECT, R_CREATED,
	R_UPDATED };
#define STATUS_OK "($1::text IS NULL OR t.status = $1 OR ($1 = 'open' AND ticket_is_open(t.status)))"

static struct db_stmt stmts[] = {
	/* Newest first by id: the primary key drives it. */
	[STMT_LIST] = DB_STMT("ticket_api_list",
	    "SELECT " ROW_COLS " FROM tickets t WHERE " STATUS_OK
	    " AND ($2::bigint IS NULL OR t.id < $2) ORDER BY t.id DESC LIMIT $3::integer", 3),
	/* One account's tickets: tickets_customer finds them, few to sort. */
	[STMT_LIST_CUSTOMER] = DB_STMT("ticket_api_list_customer",
	    "SELECT " ROW_COLS " FROM tickets t WHERE t.customer_id ="
	    " (SELECT customer_id FROM portal_users WHERE email = lower($4))"
	    " AND " STATUS_OK " AND ($2::bigint IS NULL OR t.id < $2)"
	    " ORDER BY t.id DESC LIMIT $3::integer", 4),
	[STMT_CUSTOMER] = DB_STMT("ticket_api_customer",
	    "SELECT u.customer_id, u.id FROM portal_users u JOIN customers c ON c.id = u.customer_id"
	    " WHERE u.email = lower($1) AND u.active AND c.active", 1),
	[STMT_CATEGORY] = DB_STMT("ticket_api_category",
	    "SELECT id FROM categories WHERE lower(name) = lower($1) AND active", 1),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == STMT__MAX, "one statement per enum stmt");

int
ticket_api_list(struct db *db, struct arena *a, const struct ticket_api_filter *f,
    struct ticket_api_row **rows, size_t *n, long long *next_before)
{
	char before[24], limit[16];
	const char *p[4];
	PGresult *res;
	int i, count, want, failed = 0;

	*rows = NULL;
	*n = 0;
	*next_before = 0;
	want = f->limit < 1 ? 1 : f->limit > TICKET_API_LIMIT_MAX ? TICKET_API_LIMIT_MAX : f->limit;
	snprintf(before, sizeof(before), "%lld", f->before_id);
	/* One more than asked: tells whether there is a next page. */
	snprintf(limit, sizeof(limit), "%d", want + 1);
	p[0] = f->status;
	p[1] = f->before_id > 0 ? before : NULL;
	p[2] = limit;
	p[3] = f->customer_email;
	res = db_exec(db, &stmts[f->customer_email ? STMT_LIST_CUSTOMER : STMT_LIST], p);
	if (res == NULL)
		return -1;
	count = PQntuples(res);
	*rows = arena_calloc(a, (size_t)count + 1, sizeof(**rows));
	if (*rows == NULL)
		failed = 1;
	for (i = 0; i < count && i < want && !failed; i++) {
		struct ticket_api_row *t = &(*rows)[i];

		t->id = db_ll(res, i, R_ID);
		t->customer_id = db_ll(res, i, R_CUSTOMER);
		t->number = db_str(a, res, i, R_NUMBER, &failed);
		t->status = db_str(a, res, i, R_STATUS, &failed);
		t->priority = db_str(a, res, i, R_PRIORITY, &failed);
		t->channel = db_str(a, res, i, R_CHANNEL, &failed);
		t->subject = db_str(a, res, i, R_SUBJECT, &failed);
		t->created_at = db_str(a, res, i, R_CREATED, &failed);
		t->updated_at = db_str(a, res, i, R_UPDATED, &failed);
	}
	PQclear(res);
	if (failed) {
		*rows = NULL;
		return -1;
	}
	*n = (size_t)(count > want ? want : count);
	if (count > want)
		*next_before = (*rows)[want - 1].id;
	return 0;
}

int
ticket_api_customer(struct db *db, const char *email, long long *customer_id,
    long long *user_id)
{
	const char *p[] = { email };
	PGresult *res = db_exec(db, &stmts[STMT_CUSTOMER], p);
	int rc;

	*customer_id = *user_id = 0;
	if (res == NULL)
		return -1;
	rc = PQntuples(res) == 1 ? 0 : TICKET_API_NOT_FOUND;
	if (rc == 0) {
		*customer_id = db_ll(res, 0, 0);
		*user_id = db_ll(res, 0, 1);
	}
	PQclear(res);
	return rc;
}

int
ticket_api_category(struct db *db, const char *name, long long *id)
{
	const char *p[] = { name };
	PGresult *res = db_exec(db, &stmts[STMT_CATEGORY], p);
	int rc;

	*id = 0;
	if (res == NULL)
		return -1;
	rc = PQntuples(res) >= 1 ? 0 : TICKET_API_NOT_FOUND;
	if (rc == 0)
		*id = db_ll(res, 0, 0);
	PQclear(res);
	return rc;
}
