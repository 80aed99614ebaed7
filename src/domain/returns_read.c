/*
 * returns_read.c — reading returns: the console's queue and the portal's
 * list (keyset pages, newest first, each on its own index), one return
 * with everything the pages show, the warehouse's search, and a photo.
 * See returns.h.
 */
#include "domain/returns_int.h"
#include "core/arena.h"
#include "core/utf8.h"
#include "db/db.h"
#include "domain/tickets.h"

#include <stdio.h>
#include <string.h>

/* Past every id: the first page. */
#define FIRST_PAGE "9223372036854775807"

#define ROW_COLS(X) \
	X(RW, id, "r.id") X(RW, number, "r.number") X(RW, state, "r.state") \
	X(RW, customer, "c.name") X(RW, created_at, RETURN_TS("r.created_at")) \
	X(RW, updated_at, RETURN_TS("r.updated_at")) X(RW, products, "x.products") \
	X(RW, value, "x.value::text")
enum { DB_COL_ENUM(ROW_COLS) };
#define ROW_FROM " FROM returns r JOIN customers c ON c.id = r.customer_id" \
	" CROSS JOIN LATERAL (SELECT string_agg(p.name || CASE WHEN l.quantity > 1 THEN" \
	" ' ×' || l.quantity ELSE '' END, ', ' ORDER BY l.position) AS products," \
	" sum(l.quantity * l.unit_price) AS value FROM return_lines l" \
	" JOIN products p ON p.id = l.product_id WHERE l.return_id = r.id) x"

#define HEAD_COLS(X) \
	X(HD, id, "r.id") X(HD, number, "r.number") X(HD, state, "r.state") \
	X(HD, customer, "c.name") X(HD, requester, "coalesce(u.name, '')") \
	X(HD, requester_email, "coalesce(u.email, '')") X(HD, note, "r.note") \
	X(HD, outcome_note, "r.outcome_note") X(HD, refund, "r.refund_total::text") \
	X(HD, credit, "r.credit_total::text") X(HD, fee, "r.fee_total::text") \
	X(HD, value, "(SELECT coalesce(sum(l.quantity * l.unit_price), 0) FROM return_lines l" \
	" WHERE l.return_id = r.id)::text") \
	X(HD, created_at, RETURN_TS("r.created_at")) X(HD, ship_to, "p.ship_to") \
	X(HD, ticket, "coalesce(t.number, '')")
enum { DB_COL_ENUM(HEAD_COLS) };

#define LINE_COLS(X) \
	X(LI, id, "l.id") X(LI, position, "l.position") X(LI, quantity, "l.quantity") \
	X(LI, received, "l.received") X(LI, product, "p.name") X(LI, sku, "p.sku") \
	X(LI, serial, "l.serial") X(LI, order_ref, "l.order_ref") \
	X(LI, delivered_on, "to_char(l.delivered_on, 'YYYY-MM-DD')") \
	X(LI, unit_price, "l.unit_price::text") X(LI, reason, "l.reason") \
	X(LI, request_type, "l.request_type") \
	X(LI, window_until, "to_char(l.window_until, 'YYYY-MM-DD')") \
	X(LI, fee_words, "CASE WHEN l.fee_kind = 'percent' THEN (l.fee_amount::float8)::text" \
	" || ' %' WHEN l.fee_kind = 'fixed' THEN l.fee_amount::text ELSE '' END") \
	X(LI, refund, "l.refund::text") X(LI, credit, "l.credit::text") X(LI, fee, "l.fee::text") \
	X(LI, needs_inspection, "l.needs_inspection")
enum { DB_COL_ENUM(LINE_COLS) };

#define UNIT_COLS(X) \
	X(UN, id, "u.id") X(UN, position, "l.position") X(UN, unit, "u.unit") \
	X(UN, product, "p.name") X(UN, condition, "u.condition") \
	X(UN, disposition, "coalesce(u.disposition, '')") X(UN, outcome, "coalesce(u.outcome, '')") \
	X(UN, inspected, "u.inspected") X(UN, needs, "l.needs_inspection")
enum { DB_COL_ENUM(UNIT_COLS) };

#define PHOTO_COLS(X) X(PH, id, "ph.id") X(PH, stage, "ph.stage") \
	X(PH, filename, "ph.filename") X(PH, size, "ph.size")
enum { DB_COL_ENUM(PHOTO_COLS) };

#define STEP_COLS(X) \
	X(SP, from, "coalesce(s.from_state, '')") X(SP, to, "s.to_state") \
	X(SP, who, "CASE s.actor_kind WHEN 'system' THEN 'csdesk' WHEN 'customer' THEN" \
	" 'Customer' ELSE 'Staff' END") X(SP, note, "s.note") X(SP, at, RETURN_TS("s.created_at"))
enum { DB_COL_ENUM(STEP_COLS) };

#define FIND_COLS(X) X(FD, number, "number")
enum { DB_COL_ENUM(FIND_COLS) };
#define FILE_COLS(X) X(FL, filename, "ph.filename") X(FL, content_type, "ph.content_type") \
	X(FL, data, "ph.data")
enum { DB_COL_ENUM(FILE_COLS) };

#define SCOPE5 RETURN_SCOPE("$2", "$3", "$4", "$5")

enum stmt {
	ST_LIST_ALL,
	ST_LIST_STATE,
	ST_LIST_CUSTOMER,
	ST_HEAD,
	ST_LINES,
	ST_UNITS,
	ST_PHOTOS,
	ST_STEPS,
	ST_FIND,
	ST_FILE,
	ST__MAX
};

static struct db_stmt stmts[] = {
	/* The queue walks returns_queue_idx, or returns_state_idx for one state. */
	[ST_LIST_ALL] = DB_STMT("returns_list_all",
	    "SELECT " DB_COLS(ROW_COLS) ROW_FROM " WHERE r.id < $1::bigint"
	    " ORDER BY r.id DESC LIMIT $2", 2),
	[ST_LIST_STATE] = DB_STMT("returns_list_state",
	    "SELECT " DB_COLS(ROW_COLS) ROW_FROM " WHERE r.state = $3 AND r.id < $1::bigint"
	    " ORDER BY r.id DESC LIMIT $2", 3),
	/* One account's (returns_customer_idx); its user's own unless account admin. */
	[ST_LIST_CUSTOMER] = DB_STMT("returns_list_customer",
	    "SELECT " DB_COLS(ROW_COLS) ROW_FROM " WHERE r.customer_id = $3::bigint"
	    " AND ($4::boolean OR r.requester_id = $5::bigint) AND ($6 = '' OR r.state = $6)"
	    " AND r.id < $1::bigint ORDER BY r.id DESC LIMIT $2", 6),
	[ST_HEAD] = DB_STMT("returns_head",
	    "SELECT " DB_COLS(HEAD_COLS) " FROM returns r JOIN customers c ON c.id = r.customer_id"
	    " LEFT JOIN portal_users u ON u.id = r.requester_id CROSS JOIN return_policy p"
	    " LEFT JOIN tickets t ON t.id = r.ticket_id"
	    " WHERE r.number = upper($1) AND" SCOPE5, 5),
	[ST_LINES] = DB_STMT("returns_lines",
	    "SELECT " DB_COLS(LINE_COLS) " FROM return_lines l JOIN products p ON p.id = l.product_id"
	    " WHERE l.return_id = $1 ORDER BY l.position", 1),
	[ST_UNITS] = DB_STMT("returns_units",
	    "SELECT " DB_COLS(UNIT_COLS) " FROM return_units u JOIN return_lines l ON l.id = u.line_id"
	    " JOIN products p ON p.id = l.product_id WHERE l.return_id = $1"
	    " ORDER BY l.position, u.unit", 1),
	/* Customers see what they sent; the warehouse's photos are staff's. */
	[ST_PHOTOS] = DB_STMT("returns_photos",
	    "SELECT " DB_COLS(PHOTO_COLS) " FROM return_photos ph WHERE ph.return_id = $1"
	    " AND ($2::boolean OR ph.stage = 'request') ORDER BY ph.id", 2),
	[ST_STEPS] = DB_STMT("returns_steps",
	    "SELECT " DB_COLS(STEP_COLS) " FROM return_steps s WHERE s.return_id = $1"
	    " ORDER BY s.id", 1),
	[ST_FIND] = DB_STMT("returns_find",
	    "SELECT " DB_COLS(FIND_COLS) " FROM (SELECT number, id FROM returns"
	    " WHERE number = upper($1) UNION ALL (SELECT r.number, r.id FROM return_lines l"
	    " JOIN returns r ON r.id = l.return_id WHERE l.serial = $1 AND l.serial <> ''"
	    " ORDER BY l.return_id DESC LIMIT 1)) f ORDER BY id DESC LIMIT 1", 1),
	[ST_FILE] = DB_STMT("returns_photo_file",
	    "SELECT " DB_COLS(FILE_COLS) " FROM return_photos ph JOIN returns r ON r.id = ph.return_id"
	    " WHERE r.number = upper($1) AND ph.id = $6::bigint AND" SCOPE5
	    " AND ($2::boolean OR ph.stage = 'request')", 6),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

static enum cs_result
fill_row(struct arena *a, const PGresult *r, int i, void *elem)
{
	struct return_row *x = elem;
	int failed = 0;

	x->id = db_ll(r, i, RW_id);
	x->number = db_str(a, r, i, RW_number, &failed);
	x->state = db_str(a, r, i, RW_state, &failed);
	x->customer = db_str(a, r, i, RW_customer, &failed);
	x->created_at = db_str(a, r, i, RW_created_at, &failed);
	x->updated_at = db_str(a, r, i, RW_updated_at, &failed);
	x->products = db_str(a, r, i, RW_products, &failed);
	x->value = db_str(a, r, i, RW_value, &failed);
	return failed ? CS_FAILED : CS_OK;
}

enum cs_result
returns_list(struct db *db, struct arena *a, const struct return_actor *by,
    const struct return_filter *f, struct return_row **rows, size_t *n, long long *next)
{
	char before[24], limit[16];
	const char *state = f->state != NULL ? f->state : "";
	struct return_scope sc;
	const char *p[6] = { before, limit };
	struct db_stmt *st = &stmts[ST_LIST_ALL];
	void *out = NULL;
	enum cs_result rc;
	int more = 0;

	*rows = NULL;
	*n = 0;
	*next = 0;
	snprintf(before, sizeof(before), "%lld", f->before_id);
	if (f->before_id <= 0)
		snprintf(before, sizeof(before), "%s", FIRST_PAGE);
	snprintf(limit, sizeof(limit), "%d", RETURN_PAGE + 1);
	if (*state != '\0' && return_state_parse(state) == RS__MAX)
		state = "";
	if (by->kind == RA_CUSTOMER) {
		returns_scope(by, &sc);
		p[2] = sc.customer;
		p[3] = sc.admin;
		p[4] = sc.user;
		p[5] = state;
		st = &stmts[ST_LIST_CUSTOMER];
	} else if (*state != '\0') {
		p[2] = state;
		st = &stmts[ST_LIST_STATE];
	}
	rc = db_page(db, a, st, p, RETURN_PAGE, sizeof(**rows), fill_row, &out, n, &more);
	*rows = out;
	if (rc == CS_OK && more && *n > 0)
		*next = (*rows)[*n - 1].id;
	return rc;
}

static enum cs_result
fill_line(struct arena *a, const PGresult *r, int i, void *elem)
{
	struct return_line *x = elem;
	int failed = 0;

	x->id = db_ll(r, i, LI_id);
	x->position = (int)db_ll(r, i, LI_position);
	x->quantity = (int)db_ll(r, i, LI_quantity);
	x->received = (int)db_ll(r, i, LI_received);
	x->product = db_str(a, r, i, LI_product, &failed);
	x->sku = db_str(a, r, i, LI_sku, &failed);
	x->serial = db_str(a, r, i, LI_serial, &failed);
	x->order_ref = db_str(a, r, i, LI_order_ref, &failed);
	x->delivered_on = db_str(a, r, i, LI_delivered_on, &failed);
	x->unit_price = db_str(a, r, i, LI_unit_price, &failed);
	x->reason = db_str(a, r, i, LI_reason, &failed);
	x->request_type = db_str(a, r, i, LI_request_type, &failed);
	x->window_until = db_str(a, r, i, LI_window_until, &failed);
	x->fee_words = db_str(a, r, i, LI_fee_words, &failed);
	x->refund = db_str(a, r, i, LI_refund, &failed);
	x->credit = db_str(a, r, i, LI_credit, &failed);
	x->fee = db_str(a, r, i, LI_fee, &failed);
	x->needs_inspection = db_bool(r, i, LI_needs_inspection);
	return failed ? CS_FAILED : CS_OK;
}

static enum cs_result
fill_unit(struct arena *a, const PGresult *r, int i, void *elem)
{
	struct return_unit *x = elem;
	int failed = 0;

	x->id = db_ll(r, i, UN_id);
	x->line_position = (int)db_ll(r, i, UN_position);
	x->unit = (int)db_ll(r, i, UN_unit);
	x->product = db_str(a, r, i, UN_product, &failed);
	x->condition = db_str(a, r, i, UN_condition, &failed);
	x->disposition = db_str(a, r, i, UN_disposition, &failed);
	x->outcome = db_str(a, r, i, UN_outcome, &failed);
	x->inspected = db_bool(r, i, UN_inspected);
	x->needs_inspection = db_bool(r, i, UN_needs);
	return failed ? CS_FAILED : CS_OK;
}

static enum cs_result
fill_photo(struct arena *a, const PGresult *r, int i, void *elem)
{
	struct return_photo *x = elem;
	int failed = 0;

	x->id = db_ll(r, i, PH_id);
	x->stage = db_str(a, r, i, PH_stage, &failed);
	x->filename = db_str(a, r, i, PH_filename, &failed);
	x->size = db_ll(r, i, PH_size);
	return failed ? CS_FAILED : CS_OK;
}

static enum cs_result
fill_step(struct arena *a, const PGresult *r, int i, void *elem)
{
	struct return_step_row *x = elem;
	int failed = 0;

	x->from = db_str(a, r, i, SP_from, &failed);
	x->to = db_str(a, r, i, SP_to, &failed);
	x->who = db_str(a, r, i, SP_who, &failed);
	x->note = db_str(a, r, i, SP_note, &failed);
	x->at = db_str(a, r, i, SP_at, &failed);
	return failed ? CS_FAILED : CS_OK;
}

static enum cs_result
fill_head(struct arena *a, const PGresult *r, int i, void *elem)
{
	struct return_sheet *s = elem;
	int failed = 0;

	s->id = db_ll(r, i, HD_id);
	s->number = db_str(a, r, i, HD_number, &failed);
	s->state = db_str(a, r, i, HD_state, &failed);
	s->customer = db_str(a, r, i, HD_customer, &failed);
	s->requester = db_str(a, r, i, HD_requester, &failed);
	s->requester_email = db_str(a, r, i, HD_requester_email, &failed);
	s->note = db_str(a, r, i, HD_note, &failed);
	s->outcome_note = db_str(a, r, i, HD_outcome_note, &failed);
	s->refund_total = db_str(a, r, i, HD_refund, &failed);
	s->credit_total = db_str(a, r, i, HD_credit, &failed);
	s->fee_total = db_str(a, r, i, HD_fee, &failed);
	s->value = db_str(a, r, i, HD_value, &failed);
	s->created_at = db_str(a, r, i, HD_created_at, &failed);
	s->ship_to = db_str(a, r, i, HD_ship_to, &failed);
	s->ticket = db_str(a, r, i, HD_ticket, &failed);
	return failed ? CS_FAILED : CS_OK;
}

enum cs_result
returns_get(struct db *db, struct arena *a, const struct return_actor *by, const char *number,
    struct return_sheet *s)
{
	struct return_scope sc;
	const char *hp[5], *ip[1], *php[2];
	char id[24];
	struct db_pipe pipe;
	void *v;
	enum cs_result rc;
	int li, ui, pi, si;

	memset(s, 0, sizeof(*s));
	if (number == NULL || *number == '\0' || strlen(number) > 32)
		return CS_NOT_FOUND;
	returns_scope(by, &sc);
	hp[0] = number;
	hp[1] = sc.staff;
	hp[2] = sc.customer;
	hp[3] = sc.admin;
	hp[4] = sc.user;
	if ((rc = db_one(db, a, &stmts[ST_HEAD], hp, fill_head, s)) != CS_OK)
		return rc;
	/* The rest in one round trip. */
	snprintf(id, sizeof(id), "%lld", s->id);
	ip[0] = id;
	php[0] = id;
	php[1] = sc.staff;
	db_pipe_init(&pipe);
	li = db_pipe_add(&pipe, &stmts[ST_LINES], ip);
	ui = db_pipe_add(&pipe, &stmts[ST_UNITS], ip);
	pi = db_pipe_add(&pipe, &stmts[ST_PHOTOS], php);
	si = db_pipe_add(&pipe, &stmts[ST_STEPS], ip);
	if ((rc = db_pipe_run(db, &pipe)) == CS_OK &&
	    (rc = db_pipe_rows(&pipe, li, a, sizeof(*s->lines), fill_line, &v, &s->nlines)) ==
	    CS_OK) {
		s->lines = v;
		rc = db_pipe_rows(&pipe, ui, a, sizeof(*s->units), fill_unit, &v, &s->nunits);
		s->units = v;
	}
	if (rc == CS_OK) {
		rc = db_pipe_rows(&pipe, pi, a, sizeof(*s->photos), fill_photo, &v, &s->nphotos);
		s->photos = v;
	}
	if (rc == CS_OK) {
		rc = db_pipe_rows(&pipe, si, a, sizeof(*s->steps), fill_step, &v, &s->nsteps);
		s->steps = v;
	}
	db_pipe_release(&pipe);
	return rc;
}

enum cs_result
returns_find(struct db *db, struct arena *a, const char *text, const char **number,
    const char **why)
{
	const char *p[] = { text };
	PGresult *r;
	int failed = 0;

	*number = NULL;
	*why = NULL;
	if (text == NULL || *text == '\0' || utf8_chars(text) > RETURN_FIND_MAX) {
		*why = "Type an RMA number or a serial number.";
		return CS_REFUSED;
	}
	if ((r = db_exec(db, &stmts[ST_FIND], p)) == NULL)
		return db_result(db);
	if (PQntuples(r) == 1)
		*number = db_str(a, r, 0, FD_number, &failed);
	PQclear(r);
	if (failed)
		return CS_FAILED;
	return *number != NULL ? CS_OK : CS_NOT_FOUND;
}

enum cs_result
returns_photo(struct db *db, struct arena *a, const struct return_actor *by, const char *number,
    long long photo_id, struct return_photo_file *f)
{
	struct return_scope sc;
	char id[24];
	const char *p[6];
	PGresult *r;
	unsigned char *raw;
	size_t len = 0;
	int failed = 0;

	memset(f, 0, sizeof(*f));
	if (number == NULL || strlen(number) > 32 || photo_id <= 0)
		return CS_NOT_FOUND;
	returns_scope(by, &sc);
	snprintf(id, sizeof(id), "%lld", photo_id);
	p[0] = number;
	p[1] = sc.staff;
	p[2] = sc.customer;
	p[3] = sc.admin;
	p[4] = sc.user;
	p[5] = id;
	if ((r = db_exec(db, &stmts[ST_FILE], p)) == NULL)
		return db_result(db);
	if (PQntuples(r) != 1) {
		PQclear(r);
		return CS_NOT_FOUND;
	}
	f->filename = db_str(a, r, 0, FL_filename, &failed);
	f->content_type = ticket_download_type(db_str(a, r, 0, FL_content_type, &failed));
	raw = PQunescapeBytea((const unsigned char *)PQgetvalue(r, 0, FL_data), &len);
	PQclear(r);
	if (raw == NULL || failed) {
		PQfreemem(raw);
		return CS_FAILED;
	}
	if (len > 0) {
		unsigned char *copy = arena_alloc(a, len);

		if (copy == NULL) {
			PQfreemem(raw);
			return CS_FAILED;
		}
		memcpy(copy, raw, len);
		f->data = copy;
	}
	f->len = len;
	PQfreemem(raw);
	return CS_OK;
}
