/*
 * returns_request.c — asking for a return, from the portal or the console:
 * the lines checked, their window and fee fixed from the policy as it
 * stands, the photos kept, and an approval at once when the policy's
 * amount allows. See returns.h.
 */
#include "domain/returns_int.h"
#include "core/arena.h"
#include "core/money.h"
#include "core/utf8.h"
#include "db/db.h"
#include "domain/tickets.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Today where returns count days: UTC, as the pages show dates. */
#define TODAY "(now() AT TIME ZONE 'UTC')::date"

#define NEW_COLS(X) X(NW, id, "id") X(NW, number, "number")
enum { DB_COL_ENUM(NEW_COLS) };
#define LINE_COLS(X) \
	X(LN, late, "l.window_until < " TODAY) X(LN, future, "l.delivered_on > " TODAY) \
	X(LN, until, "to_char(l.window_until, 'FMDD Mon YYYY')") X(LN, category, "t.category")
enum { DB_COL_ENUM(LINE_COLS) };
#define WHO_COLS(X) X(WH, id, "u.id") X(WH, customer, "u.customer_id")
enum { DB_COL_ENUM(WHO_COLS) };
#define TICKET_COLS(X) X(TK, id, "t.id") X(TK, customer, "t.customer_id") \
	X(TK, requester, "coalesce(t.requester_id, 0)")
enum { DB_COL_ENUM(TICKET_COLS) };
#define AUTO_COLS(X) X(AU, ok, "ok")
enum { DB_COL_ENUM(AUTO_COLS) };

enum stmt {
	ST_WHO,
	ST_TICKET,
	ST_INSERT,
	ST_LINE,
	ST_AUTO,
	ST__MAX
};

static struct db_stmt stmts[] = {
	[ST_WHO] = DB_STMT("returns_requester",
	    "SELECT " DB_COLS(WHO_COLS) " FROM portal_users u"
	    " WHERE u.email = lower($1) AND u.active", 1),
	[ST_TICKET] = DB_STMT("returns_ticket",
	    "SELECT " DB_COLS(TICKET_COLS) " FROM tickets t WHERE t.number = upper($1)", 1),
	[ST_INSERT] = DB_STMT("returns_insert",
	    "INSERT INTO returns (customer_id, requester_id, note, ticket_id)"
	    " VALUES ($1, $2, $3, $4) RETURNING " DB_COLS(NEW_COLS), 4),
	/* The terms join the line: no row when the product is unknown. */
	[ST_LINE] = DB_STMT("returns_line_insert",
	    "WITH t AS (SELECT * FROM return_terms($3::bigint, $8, $6::date, " TODAY ")),"
	    " l AS (INSERT INTO return_lines (return_id, position, product_id, serial, quantity,"
	    " order_ref, delivered_on, unit_price, reason, request_type, window_until, fee_kind,"
	    " fee_amount, needs_inspection)"
	    " SELECT $1, $2, $3, $4, $5, $7, $6::date, $9::numeric, $8, $10, t.window_until,"
	    " t.fee_kind, t.fee_amount, t.needs_inspection FROM t"
	    " RETURNING window_until, delivered_on)"
	    " SELECT " DB_COLS(LINE_COLS) " FROM l, t", 10),
	[ST_AUTO] = DB_STMT("returns_auto_approve",
	    "SELECT " DB_COLS(AUTO_COLS) " FROM (SELECT p.auto_approve_max > 0 AND"
	    " sum(l.quantity * l.unit_price) <= p.auto_approve_max AS ok"
	    " FROM return_lines l, return_policy p WHERE l.return_id = $1"
	    " GROUP BY p.auto_approve_max) s", 1),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

int
returns_date_ok(const char *s)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, m, d, i;

	if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return 0;
	y = (int)strtol(s, NULL, 10);
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (y < 1990 || y > 2200 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return 0;
	return m != 2 || d < 29 || (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0));
}

static int
listed(const char *v, const char *const *names)
{
	size_t i;

	for (i = 0; v != NULL && names[i] != NULL; i++)
		if (strcmp(v, names[i]) == 0)
			return 1;
	return 0;
}

/* NULL when line l can be asked for, else why, with *field. */
static const char *
line_refused(const struct return_line_input *l, const char **field)
{
	static const struct {
		const char *field, *why;
	} w[] = {
		{ "product", "Choose the product from the list." },
		{ "serial", "A serial number is at most 100 characters." },
		{ "quantity", "Quantity is a whole number from 1 to 1000." },
		{ "order_ref", "Give the order number (at most 100 characters)." },
		{ "delivered_on", "Give the delivery date as YYYY-MM-DD." },
		{ "unit_price", "Give the price paid per unit, such as 80 or 79.90." },
		{ "reason", "Choose a reason from the list." },
		{ "request_type", "Choose what you would like from the list." },
	};
	int bad[] = {
		l->product_id <= 0,
		l->serial != NULL && utf8_chars(l->serial) > RETURN_SERIAL_MAX,
		l->quantity < 1 || l->quantity > RETURN_QTY_MAX,
		l->order_ref == NULL || *l->order_ref == '\0' ||
		    utf8_chars(l->order_ref) > RETURN_ORDER_MAX,
		!returns_date_ok(l->delivered_on),
		!money_ok(l->unit_price, RETURN_MONEY_MAX),
		!listed(l->reason, return_reason_names),
		!listed(l->request_type, return_type_names),
	};
	size_t i;

	_Static_assert(sizeof(w) / sizeof(w[0]) == sizeof(bad) / sizeof(bad[0]), "one per check");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (bad[i]) {
			*field = w[i].field;
			return w[i].why;
		}
	return NULL;
}

/* Checks what does not need the database. CS_OK or CS_REFUSED. */
static enum cs_result
check(const struct return_request *in, const char **why, int *line, const char **field)
{
	size_t i;

	if (in->nlines == 0 || in->nlines > RETURN_LINES_MAX) {
		*field = "product";
		*why = in->nlines == 0 ? "Add at least one product to return." :
		    "At most 10 lines in one return: ask for the rest in another.";
		return CS_REFUSED;
	}
	for (i = 0; i < in->nlines; i++)
		if ((*why = line_refused(&in->lines[i], field)) != NULL) {
			*line = (int)i + 1;
			return CS_REFUSED;
		}
	if (in->note != NULL && utf8_chars(in->note) > RETURN_NOTE_MAX) {
		*field = "note";
		*why = "Keep the note to 2,000 characters.";
		return CS_REFUSED;
	}
	if ((*why = returns_photos_refused(in->photos, in->nphotos)) != NULL) {
		*field = "photo";
		return CS_REFUSED;
	}
	return CS_OK;
}

/*
 * The ticket staff ask from: *ticket its id (0: none), and its customer and
 * requester when the form named nobody. CS_OK, CS_REFUSED or the failure.
 */
static enum cs_result
from_ticket(struct db *db, const struct return_request *in, long long *ticket,
    long long *customer, long long *user, const char **why, const char **field)
{
	const char *p[] = { in->ticket_number };
	PGresult *r;
	int found;

	*ticket = 0;
	if (in->ticket_number == NULL || *in->ticket_number == '\0')
		return CS_OK;
	*field = "ticket";
	*why = "That ticket does not exist.";
	if (strlen(in->ticket_number) > 32)
		return CS_REFUSED;
	if ((r = db_exec(db, &stmts[ST_TICKET], p)) == NULL)
		return db_result(db);
	if ((found = PQntuples(r) == 1)) {
		*ticket = db_ll(r, 0, TK_id);
		*customer = db_ll(r, 0, TK_customer);
		*user = db_ll(r, 0, TK_requester);
	}
	PQclear(r);
	if (!found)
		return CS_REFUSED;
	*why = NULL;
	return CS_OK;
}

/*
 * The account and requester: the customer themselves, or whom staff name
 * (an address, or the ticket's requester). *ticket: the ticket staff ask
 * from, or 0.
 */
static enum cs_result
requester(struct db *db, const struct return_actor *by, const struct return_request *in,
    long long *customer, long long *user, long long *ticket, const char **why,
    const char **field)
{
	const char *p[1];
	PGresult *r;
	long long tcustomer = 0, tuser = 0;
	enum cs_result rc;

	*ticket = 0;
	if (by->kind == RA_CUSTOMER) {
		*customer = by->customer_id;
		*user = by->id;
		return CS_OK;
	}
	*customer = in->customer_id;
	*user = in->requester_id;
	if ((rc = from_ticket(db, in, ticket, &tcustomer, &tuser, why, field)) != CS_OK)
		return rc;
	if (*customer == 0 && *ticket > 0 && tuser > 0 &&
	    (in->requester_email == NULL || *in->requester_email == '\0')) {
		*customer = tcustomer;
		*user = tuser;
	}
	if (*customer > 0)
		return CS_OK;
	*field = "requester";
	*why = "Give the e-mail address the customer signs in to the portal with.";
	if (in->requester_email == NULL || *in->requester_email == '\0')
		return CS_REFUSED;
	p[0] = in->requester_email;
	if ((r = db_exec(db, &stmts[ST_WHO], p)) == NULL)
		return db_result(db);
	if (PQntuples(r) == 1) {
		*user = db_ll(r, 0, WH_id);
		*customer = db_ll(r, 0, WH_customer);
	} else {
		*why = "No active portal user has that e-mail address.";
	}
	PQclear(r);
	if (*customer > 0 && *ticket > 0 && tcustomer != *customer) {
		*why = "That person is not of the ticket's customer.";
		*customer = 0;
	}
	return *customer > 0 ? CS_OK : CS_REFUSED;
}

/* Inserts line i of in into return id; refuses a line outside its window. */
static enum cs_result
add_line(struct db *db, struct arena *a, long long id, size_t i,
    const struct return_line_input *l, const char **why, const char **field)
{
	char rid[24], pos[24], prod[24], qty[16];
	const char *p[] = { rid, pos, prod, l->serial != NULL ? l->serial : "", qty,
		l->delivered_on, l->order_ref, l->reason, l->unit_price, l->request_type };
	PGresult *r;
	enum cs_result rc = CS_OK;

	snprintf(rid, sizeof(rid), "%lld", id);
	snprintf(pos, sizeof(pos), "%zu", i + 1);
	snprintf(prod, sizeof(prod), "%lld", l->product_id);
	snprintf(qty, sizeof(qty), "%d", l->quantity);
	if ((r = db_exec(db, &stmts[ST_LINE], p)) == NULL) {
		/* A product removed meanwhile: the foreign key says no. */
		if (!db_is(db, "23503"))
			return db_result(db);
		r = NULL;
	}
	if (r == NULL || PQntuples(r) != 1) {
		*field = "product";
		*why = "Choose the product from the list.";
		rc = CS_REFUSED;
	} else if (db_bool(r, 0, LN_future)) {
		*field = "delivered_on";
		*why = "The delivery date is in the future.";
		rc = CS_REFUSED;
	} else if (db_bool(r, 0, LN_late)) {
		const char *cat = PQgetvalue(r, 0, LN_category);

		*field = "delivered_on";
		*why = arena_printf(a, "This is outside the return window%s%s: it could be "
		    "returned until %s.", *cat ? " for " : "", cat, PQgetvalue(r, 0, LN_until));
		rc = *why != NULL ? CS_REFUSED : CS_FAILED;
	}
	PQclear(r);
	return rc;
}

/* Approves at once when the policy's amount covers the return. */
static enum cs_result
auto_approve(struct db *db, struct return_locked *l)
{
	struct return_actor sys = { RA_SYSTEM, 0, 0, 0, 0 };
	char id[24];
	const char *p[] = { id };
	PGresult *r;
	int ok;

	snprintf(id, sizeof(id), "%lld", l->id);
	if ((r = db_exec(db, &stmts[ST_AUTO], p)) == NULL)
		return db_result(db);
	ok = PQntuples(r) == 1 && db_bool(r, 0, AU_ok);
	PQclear(r);
	if (!ok)
		return CS_OK;
	return returns_move(db, &sys, l, RS_APPROVED,
	    "Approved at once: within the amount the return policy approves by itself.", 0);
}

enum cs_result
returns_request(struct db *db, struct arena *a, const struct return_actor *by,
    const struct return_request *in, const char **number, const char **why, int *line,
    const char **field)
{
	struct return_locked l;
	char cb[24], ub[24], tb[24];
	const char *p[] = { cb, NULL, in->note != NULL ? in->note : "", NULL };
	long long customer = 0, user = 0, ticket = 0;
	PGresult *r;
	enum cs_result rc;
	size_t i;
	int failed = 0;

	*number = NULL;
	*why = NULL;
	*line = 0;
	*field = NULL;
	if (by->kind == RA_SYSTEM)
		return CS_FAILED;
	if ((rc = check(in, why, line, field)) != CS_OK)
		return rc;
	if (db_begin(db) < 0)
		return db_result(db);
	if ((rc = requester(db, by, in, &customer, &user, &ticket, why, field)) != CS_OK)
		return db_end(db, rc);
	snprintf(cb, sizeof(cb), "%lld", customer);
	snprintf(ub, sizeof(ub), "%lld", user);
	snprintf(tb, sizeof(tb), "%lld", ticket);
	p[1] = user > 0 ? ub : NULL;
	p[3] = ticket > 0 ? tb : NULL;
	if ((r = db_exec(db, &stmts[ST_INSERT], p)) == NULL)
		return db_end(db, db_result(db));
	memset(&l, 0, sizeof(l));
	l.id = db_ll(r, 0, NW_id);
	l.number = db_str(a, r, 0, NW_number, &failed);
	l.state = RS_REQUESTED;
	PQclear(r);
	if (failed)
		return db_end(db, CS_FAILED);
	for (i = 0; i < in->nlines && rc == CS_OK; i++)
		if ((rc = add_line(db, a, l.id, i, &in->lines[i], why, field)) == CS_REFUSED)
			*line = (int)i + 1;
	if (rc == CS_OK)
		rc = returns_photos_store(db, l.id, "request", in->photos, in->nphotos);
	if (rc == CS_OK)
		rc = returns_move(db, by, &l, RS_REQUESTED, in->note, 0);
	if (rc == CS_OK)
		rc = auto_approve(db, &l);
	if ((rc = db_end(db, rc)) == CS_OK)
		*number = l.number;
	return rc;
}
