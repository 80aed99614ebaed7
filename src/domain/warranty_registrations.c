/* warranty_registrations.c — registering products and reading them back; see warranty.h. */
#include "domain/warranty.h"
#include "domain/warranty_int.h"
#include "domain/warranty_claims.h"
#include "core/arena.h"
#include "core/utf8.h"
#include "db/db.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REG_COLS(X) \
	X(RG, id, "g.id") X(RG, customer_id, "g.customer_id") X(RG, product_id, "g.product_id") \
	X(RG, customer, "c.name") X(RG, product, "p.name") X(RG, sku, "p.sku") \
	X(RG, model, "coalesce(p.model, '')") X(RG, basis, "p.warranty_basis") \
	X(RG, serial, "g.serial") X(RG, start_date, "g.start_date::text") \
	X(RG, source, "g.source") X(RG, proof_name, "coalesce(g.proof_name, '')") \
	X(RG, replaces_id, "coalesce(g.replaces_id, 0)") \
	X(RG, has_picture, "p.image IS NOT NULL") \
	WARRANTY_COVER_COLS(X, RG)
enum { DB_COL_ENUM(REG_COLS) };
#define REG_FROM " FROM warranty_registrations g JOIN products p ON p.id = g.product_id" \
	" JOIN customers c ON c.id = g.customer_id" \
	" LEFT JOIN warranty_coverage v ON v.registration_id = g.id"

/*
 * The ticket page's panel in one statement: the ticket customer's
 * registration of its serial (all NULL when none) and the claims opened
 * from the ticket, newest first, as a JSON array of [id, state].
 */
#define PANEL_COLS(X) X(TP, found, "g.id IS NOT NULL") \
	X(TP, claims, "(SELECT coalesce(json_agg(json_build_array(w.id, w.state) ORDER BY w.id" \
	    " DESC), '[]') FROM (SELECT id, state FROM warranty_claims WHERE ticket_id = $3::bigint" \
	    " ORDER BY id DESC LIMIT 20) w)")
enum { DB_COL_ENUM(PANEL_COLS) };
/* Where the registration's columns start: after the second list's leading NULL. */
#define PANEL_FIRST (TP_claims + 2)

#define DATE_COLS(X) X(DC, verdict, \
	"CASE WHEN $1::date > (now() AT TIME ZONE coalesce((SELECT time_zone FROM customers" \
	" WHERE id = $2::bigint), 'UTC'))::date THEN 'future'" \
	" WHEN $1::date < DATE '1990-01-01' THEN 'old' ELSE 'ok' END")
enum { DB_COL_ENUM(DATE_COLS) };
#define OWNER_COLS(X) X(OW, owner, "warranty_serial_owner($1, $2::bigint)")
enum { DB_COL_ENUM(OWNER_COLS) };
#define ID_COLS(X) X(RI, id, "id")
enum { DB_COL_ENUM(ID_COLS) };
#define PROOF_COLS(X) X(PF, name, "coalesce(g.proof_name, 'proof')") \
	X(PF, type, "coalesce(g.proof_type, 'application/octet-stream')") X(PF, data, "g.proof")
enum { DB_COL_ENUM(PROOF_COLS) };

enum stmt {
	ST_LIST,
	ST_GET,
	ST_BY_SERIAL,
	ST_PANEL,
	ST_DATE,
	ST_PRODUCT,
	ST_OWNER,
	ST_INSERT,
	ST_PROOF,
	ST_PRODUCTS,
	ST__MAX
};

static struct db_stmt stmts[] = {
	/* "My products": the customer's index, newest first, one row past the page. */
	[ST_LIST] = DB_STMT("warranty_reg_list",
	    "SELECT " DB_COLS(REG_COLS) REG_FROM " WHERE g.customer_id = $1::bigint"
	    " AND ($2::bigint = 0 OR g.id < $2::bigint) ORDER BY g.id DESC LIMIT $3::int", 3),
	[ST_GET] = DB_STMT("warranty_reg_get",
	    "SELECT " DB_COLS(REG_COLS) REG_FROM " WHERE g.id = $1::bigint"
	    " AND ($2::bigint = 0 OR g.customer_id = $2::bigint)", 2),
	[ST_BY_SERIAL] = DB_STMT("warranty_reg_by_serial",
	    "SELECT " DB_COLS(REG_COLS) REG_FROM
	    " WHERE g.serial_key = upper(regexp_replace($1, '\\s', '', 'g'))"
	    " AND g.customer_id = $2::bigint", 2),
	[ST_PANEL] = DB_STMT("warranty_reg_ticket_panel",
	    "SELECT " DB_COLS(PANEL_COLS) ", " DB_COLS(REG_COLS) " FROM (SELECT 1) one"
	    " LEFT JOIN (warranty_registrations g JOIN products p ON p.id = g.product_id"
	    " JOIN customers c ON c.id = g.customer_id"
	    " LEFT JOIN warranty_coverage v ON v.registration_id = g.id)"
	    " ON g.serial_key = upper(regexp_replace($1, '\\s', '', 'g'))"
	    " AND g.customer_id = $2::bigint", 3),
	[ST_DATE] = DB_STMT("warranty_reg_date", "SELECT " DB_COLS(DATE_COLS), 2),
	[ST_PRODUCT] = DB_STMT("warranty_reg_product",
	    "SELECT " DB_COLS(ID_COLS) " FROM products WHERE id = $1::bigint AND active", 1),
	[ST_OWNER] = DB_STMT("warranty_reg_owner", "SELECT " DB_COLS(OWNER_COLS), 2),
	[ST_INSERT] = DB_STMT("warranty_reg_insert",
	    "INSERT INTO warranty_registrations (customer_id, product_id, serial, start_date,"
	    " proof_name, proof_type, proof, source, created_by_staff, replaces_id)"
	    " VALUES ($1::bigint, $2::bigint, $3, $4::date, $5, $6, $7::bytea, $8, $9::bigint,"
	    " $10::bigint) RETURNING " DB_COLS(ID_COLS), 10),
	[ST_PROOF] = DB_STMT("warranty_reg_proof",
	    "SELECT " DB_COLS(PROOF_COLS) " FROM warranty_registrations g WHERE g.id = $1::bigint"
	    " AND ($2::bigint = 0 OR g.customer_id = $2::bigint) AND g.proof IS NOT NULL", 2),
	[ST_PRODUCTS] = DB_STMT("warranty_reg_products",
	    "SELECT id, name || ' (' || sku || ')' FROM products WHERE active ORDER BY name, id", 0),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

/* Fills g from row i, whose registration columns start at column at (RG_id's place). */
static enum cs_result
fill_at(struct arena *a, const PGresult *r, int i, int at, struct warranty_registration *g)
{
	int failed = 0;

#define RG(name) (at + RG_##name - RG_id)
	g->id = db_ll(r, i, RG(id));
	g->customer_id = db_ll(r, i, RG(customer_id));
	g->product_id = db_ll(r, i, RG(product_id));
	g->customer = db_str(a, r, i, RG(customer), &failed);
	g->product = db_str(a, r, i, RG(product), &failed);
	g->sku = db_str(a, r, i, RG(sku), &failed);
	g->model = db_str(a, r, i, RG(model), &failed);
	g->basis = db_str(a, r, i, RG(basis), &failed);
	g->serial = db_str(a, r, i, RG(serial), &failed);
	g->start_date = db_str(a, r, i, RG(start_date), &failed);
	g->source = db_str(a, r, i, RG(source), &failed);
	g->proof_name = db_str(a, r, i, RG(proof_name), &failed);
	g->replaces_id = db_ll(r, i, RG(replaces_id));
	g->has_picture = db_bool(r, i, RG(has_picture));
	g->cover.registration_id = g->id;
	warranty_cover_fill(a, r, i, RG(parts_on), &g->cover, &failed);
#undef RG
	return failed ? CS_FAILED : CS_OK;
}

static enum cs_result
fill(struct arena *a, const PGresult *r, int i, void *elem)
{
	return fill_at(a, r, i, RG_id, elem);
}

enum cs_result
warranty_registrations_of(struct db *db, struct arena *a, long long customer_id,
    long long after_id, struct warranty_registration **rows, size_t *n, int *more)
{
	const char *p[] = { db_param_ll(a, customer_id), db_param_ll(a, after_id),
		db_param_ll(a, WARRANTY_PAGE + 1) };
	void *out;
	enum cs_result rc;

	rc = db_page(db, a, &stmts[ST_LIST], p, WARRANTY_PAGE, sizeof(**rows), fill, &out, n,
	    more);
	*rows = out;
	return rc;
}

enum cs_result
warranty_registration_get(struct db *db, struct arena *a, long long id, long long customer_id,
    struct warranty_registration *out)
{
	const char *p[] = { db_param_ll(a, id), db_param_ll(a, customer_id) };

	memset(out, 0, sizeof(*out));
	return db_one(db, a, &stmts[ST_GET], p, fill, out);
}

enum cs_result
warranty_registration_by_serial(struct db *db, struct arena *a, long long customer_id,
    const char *serial, struct warranty_registration *out)
{
	const char *p[] = { serial, db_param_ll(a, customer_id) };

	memset(out, 0, sizeof(*out));
	if (serial == NULL || *serial == '\0')
		return CS_NOT_FOUND;
	return db_one(db, a, &stmts[ST_BY_SERIAL], p, fill, out);
}

enum cs_result
warranty_registration_proof(struct db *db, struct arena *a, long long id, long long customer_id,
    const char **name, const char **type, const void **data, size_t *size)
{
	const char *p[] = { db_param_ll(a, id), db_param_ll(a, customer_id) };
	PGresult *r;
	enum cs_result rc = CS_NOT_FOUND;
	int failed = 0;

	*data = NULL;
	*size = 0;
	if ((r = db_exec(db, &stmts[ST_PROOF], p)) == NULL)
		return db_result(db);
	if (PQntuples(r) == 1) {
		*name = db_str(a, r, 0, PF_name, &failed);
		*type = db_str(a, r, 0, PF_type, &failed);
		rc = failed ? CS_FAILED : db_bytes(a, r, 0, PF_data, data, size);
	}
	PQclear(r);
	return rc;
}

enum cs_result
warranty_products(struct db *db, struct arena *a, struct db_option **opts, size_t *n)
{
	return db_options(db, a, &stmts[ST_PRODUCTS], NULL, opts, n);
}

/* One text column of a one-row statement, in a; NULL on failure. */
static const char *
one_text(struct db *db, struct arena *a, struct db_stmt *st, const char *const *p)
{
	PGresult *r = db_exec(db, st, p);
	const char *v = NULL;
	int failed = 0;

	if (r == NULL)
		return NULL;
	if (PQntuples(r) == 1)
		v = db_str(a, r, 0, 1, &failed);
	PQclear(r);
	return failed ? NULL : v;
}

/* Checks what needs no database. CS_OK or CS_REFUSED with *why, *field. */
static enum cs_result
check_input(const struct warranty_reg_input *in, const char **why, const char **field)
{
	size_t serial = in->serial != NULL ? utf8_chars(in->serial) : 0;

	*field = "serial";
	if (serial == 0)
		*why = "Serial number is required.";
	else if (serial > WARRANTY_SERIAL_MAX)
		*why = "A serial number has at most 100 characters.";
	else if (strspn(in->serial, " \t") == strlen(in->serial))
		*why = "Serial number is required.";
	if (*why != NULL)
		return CS_REFUSED;
	*field = "proof";
	if (in->proof_size > WARRANTY_PROOF_BYTES)
		*why = "The proof of purchase may be at most 5 MB.";
	else if (in->proof_size > 0 && (in->proof_name == NULL ||
	    utf8_chars(in->proof_name) > WARRANTY_PROOF_NAME_MAX))
		*why = "The proof of purchase needs a file name of at most 200 characters.";
	return *why != NULL ? CS_REFUSED : CS_OK;
}

/* The refusal of a serial someone has already. */
static enum cs_result
serial_taken(struct db *db, struct arena *a, const char *customer, const char *serial,
    const char **why)
{
	const char *p[] = { serial, customer };
	const char *owner = one_text(db, a, &stmts[ST_OWNER], p);

	if (owner == NULL)
		return db_result(db);
	if (strcmp(owner, "same") == 0) {
		*why = arena_printf(a, "You have already registered serial %s.", serial);
		return CS_REFUSED;
	}
	if (strcmp(owner, "other") == 0) {
		*why = arena_printf(a, "Serial %s is registered to another customer. We have "
		    "passed it to our staff to look into; they will contact you.", serial);
		return CS_TAKEN;
	}
	return CS_OK;
}

/* The date: CS_OK or CS_REFUSED. */
static enum cs_result
check_date(struct db *db, struct arena *a, const char *date, const char *customer,
    const char **why)
{
	const char *p[] = { date, customer };
	const char *v;

	if (date == NULL || strlen(date) != 10) {
		*why = "Enter the date as YYYY-MM-DD, e.g. 2026-03-14.";
		return CS_REFUSED;
	}
	if ((v = one_text(db, a, &stmts[ST_DATE], p)) == NULL) {
		if (db_is(db, "22007") || db_is(db, "22008")) {
			*why = "Enter the date as YYYY-MM-DD, e.g. 2026-03-14.";
			return CS_REFUSED;
		}
		return db_result(db);
	}
	if (strcmp(v, "future") == 0)
		*why = "That date is in the future.";
	else if (strcmp(v, "old") == 0)
		*why = "That date is before 1990.";
	return *why != NULL ? CS_REFUSED : CS_OK;
}

enum cs_result
warranty_register(struct db *db, struct arena *a, const struct warranty_actor *by,
    const struct warranty_reg_input *in, long long *id, const char **why, const char **field)
{
	long long customer = by->kind == WA_CUSTOMER ? by->customer_id : in->customer_id;
	const char *source = by->kind == WA_CUSTOMER ? "portal" : "console";
	const char *cust = db_param_ll(a, customer), *prod = db_param_ll(a, in->product_id);
	const char *p[10];
	int lengths[10] = { 0 }, formats[10] = { 0 };
	PGresult *r;
	enum cs_result rc;

	*id = 0;
	*why = NULL;
	*field = NULL;
	if (cust == NULL || prod == NULL)
		return CS_FAILED;
	if ((rc = check_input(in, why, field)) != CS_OK)
		return rc;
	if (customer <= 0)
		return CS_NOT_FOUND;
	if (db_begin(db) < 0)
		return db_result(db);
	*field = "product_id";
	{
		const char *pp[] = { prod };
		long long got;

		rc = in->product_id > 0 ? db_id(db, &stmts[ST_PRODUCT], pp, RI_id, &got) :
		    CS_NOT_FOUND;
		if (rc == CS_NOT_FOUND) {
			*why = "Choose one of the listed products.";
			rc = CS_REFUSED;
		}
	}
	if (rc == CS_OK) {
		*field = "start_date";
		rc = check_date(db, a, in->start_date, cust, why);
	}
	if (rc == CS_OK) {
		*field = "serial";
		rc = serial_taken(db, a, cust, in->serial, why);
	}
	/* Someone else's serial: refused, but the flag for review is kept. */
	if (rc == CS_TAKEN)
		return db_end(db, CS_OK) == CS_OK ? CS_TAKEN : db_result(db);
	if (rc != CS_OK)
		return db_end(db, rc);
	p[0] = cust;
	p[1] = prod;
	p[2] = in->serial;
	p[3] = in->start_date;
	p[4] = in->proof_size > 0 ? in->proof_name : NULL;
	p[5] = in->proof_size > 0 ? (in->proof_type ? in->proof_type : "") : NULL;
	p[6] = in->proof_size > 0 ? in->proof : NULL;
	lengths[6] = (int)in->proof_size;
	formats[6] = 1;
	p[7] = source;
	p[8] = by->kind == WA_STAFF ? db_param_ll(a, by->id) : NULL;
	p[9] = NULL;
	if ((r = db_exec_bin(db, &stmts[ST_INSERT], p, lengths, formats)) == NULL) {
		/* Two registering the same serial at once: the second is told. */
		if (db_is(db, "23505")) {
			*why = arena_printf(a, "Serial %s has just been registered.", in->serial);
			return db_end(db, CS_REFUSED);
		}
		return db_end(db, db_result(db));
	}
	*id = PQntuples(r) == 1 ? db_ll(r, 0, RI_id) : 0;
	PQclear(r);
	rc = *id > 0 ? warranty_event(db, by, "warranty_registration", *id, "warranty.registered",
	    json_pack("{s:s, s:I, s:I, s:s}", "serial", in->serial, "product_id",
	    (json_int_t)in->product_id, "customer_id", (json_int_t)customer, "source", source)) :
	    CS_FAILED;
	*field = NULL;
	if ((rc = db_end(db, rc)) != CS_OK)
		*id = 0;
	return rc;
}

/* The claims of the panel's JSON [[id, state], …], as claims with id, number and state. */
static enum cs_result
panel_claims(struct arena *a, const char *text, struct warranty_ticket_panel *out)
{
	json_t *list = json_loads(text, 0, NULL), *v;
	size_t i;

	if (!json_is_array(list)) {
		json_decref(list);
		return CS_FAILED;
	}
	out->claims = arena_calloc(a, json_array_size(list) + 1, sizeof(*out->claims));
	json_array_foreach(list, i, v) {
		struct warranty_claim *c = &out->claims[out->nclaims];

		if (out->claims == NULL)
			break;
		c->id = (long long)json_integer_value(json_array_get(v, 0));
		c->state = warranty_claim_state_of(json_string_value(json_array_get(v, 1)));
		c->number = arena_printf(a, "WC-%06lld", c->id);
		if (c->number == NULL || c->state == WC__MAX)
			break;
		c->problem = c->customer = c->product = c->serial = c->ticket_number = "";
		out->nclaims++;
	}
	json_decref(list);
	return out->claims != NULL && out->nclaims == i ? CS_OK : CS_FAILED;
}

/* The panel statement's parameters: serial (or ""), customer, ticket. */
static const char **
panel_params(struct arena *a, long long ticket_id, long long customer_id, const char *serial)
{
	const char **p = arena_alloc(a, 3 * sizeof(*p));

	if (p == NULL || (p[1] = db_param_ll(a, customer_id)) == NULL ||
	    (p[2] = db_param_ll(a, ticket_id)) == NULL)
		return NULL;
	p[0] = serial != NULL ? serial : "";
	return p;
}

static const char no_serial[] = "The ticket names no serial number.";

/* The panel from its statement's one row. */
static enum cs_result
panel_from(const PGresult *r, struct arena *a, const char *serial,
    struct warranty_ticket_panel *out)
{
	enum cs_result rc;

	memset(out, 0, sizeof(*out));
	if (r == NULL || PQntuples(r) != 1)
		return CS_FAILED;
	out->registered = db_bool(r, 0, TP_found);
	rc = panel_claims(a, PQgetvalue(r, 0, TP_claims), out);
	if (rc == CS_OK && out->registered)
		rc = fill_at(a, r, 0, PANEL_FIRST, &out->reg);
	if (!out->registered)
		out->why = serial == NULL || serial[0] == '\0' ? no_serial :
		    arena_printf(a, "Serial %s is not registered to this customer.", serial);
	return rc;
}

enum cs_result
warranty_ticket_panel(struct db *db, struct arena *a, long long ticket_id, long long customer_id,
    const char *serial, struct warranty_ticket_panel *out)
{
	const char **p = panel_params(a, ticket_id, customer_id, serial);
	PGresult *r;
	enum cs_result rc;

	if (p == NULL)
		return CS_FAILED;
	if ((r = db_exec(db, &stmts[ST_PANEL], p)) == NULL)
		return db_result(db);
	rc = panel_from(r, a, serial, out);
	PQclear(r);
	return rc;
}

int
warranty_ticket_panel_send(struct db_pipe *pipe, struct arena *a, long long ticket_id,
    long long customer_id, const char *serial)
{
	const char **p = panel_params(a, ticket_id, customer_id, serial);

	return p == NULL ? -1 : db_pipe_add(pipe, &stmts[ST_PANEL], p);
}

enum cs_result
warranty_ticket_panel_take(const struct db_pipe *pipe, int slot, struct arena *a,
    const char *serial, struct warranty_ticket_panel *out)
{
	/* Not sent (ticket_sheet.c): no serial and no claim, nothing to read. */
	if (slot < 0) {
		memset(out, 0, sizeof(*out));
		out->why = no_serial;
		return CS_OK;
	}
	return panel_from(db_pipe_result(pipe, slot), a, serial, out);
}
