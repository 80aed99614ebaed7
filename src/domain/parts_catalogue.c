/* parts_catalogue.c — the parts catalogue: numbers, prices, products they fit, replacements; see parts.h. */
#include "domain/parts.h"
#include "core/arena.h"
#include "core/money.h"
#include "core/utf8.h"
#include "db/db.h"
#include "domain/parts_int.h"

#include <stdlib.h>
#include <string.h>

#define PART_COLS(X) \
	X(PP, id, "p.id") X(PP, number, "p.number") X(PP, name, "p.name") \
	X(PP, cost, "p.cost::text") X(PP, price, "p.price::text") \
	X(PP, serial_tracked, "p.serial_tracked") X(PP, active, "p.active") \
	X(PP, replaced_by, "coalesce(rp.number, '')") \
	X(PP, products, "coalesce((SELECT string_agg(pr.name, ', ' ORDER BY pr.name)" \
	    " FROM part_products pp JOIN products pr ON pr.id = pp.product_id" \
	    " WHERE pp.part_id = p.id), '')")
enum { DB_COL_ENUM(PART_COLS) };
#define PART_FROM " FROM parts p LEFT JOIN parts rp ON rp.id = p.replaced_by"
#define ID_COLS(X) X(ID, id, "id")
enum { DB_COL_ENUM(ID_COLS) };
#define PRODUCT_COLS(X) X(PR, product_id, "product_id")
enum { DB_COL_ENUM(PRODUCT_COLS) };

enum stmt {
	ST_INSERT,
	ST_UPDATE,
	ST_BY_NUMBER,
	ST_PRODUCTS_CLEAR,
	ST_PRODUCT_ADD,
	ST_LIST,
	ST_GET,
	ST_PRODUCTS_OF,
	ST_CHOICES,
	ST__MAX
};

static struct db_stmt stmts[] = {
	[ST_INSERT] = DB_STMT("parts_insert",
	    "INSERT INTO parts (number, name, cost, price, serial_tracked, active, replaced_by)"
	    " VALUES ($1, $2, $3::numeric, $4::numeric, $5::boolean, $6::boolean, $7::bigint)"
	    " RETURNING " DB_COLS(ID_COLS), 7),
	[ST_UPDATE] = DB_STMT("parts_update",
	    "UPDATE parts SET number = $1, name = $2, cost = $3::numeric, price = $4::numeric,"
	    " serial_tracked = $5::boolean, active = $6::boolean, replaced_by = $7::bigint"
	    " WHERE id = $8::bigint RETURNING " DB_COLS(ID_COLS), 8),
	[ST_BY_NUMBER] = DB_STMT("parts_by_number",
	    "SELECT " DB_COLS(ID_COLS) " FROM parts WHERE upper(number) = upper($1)", 1),
	[ST_PRODUCTS_CLEAR] = DB_STMT("parts_products_clear",
	    "DELETE FROM part_products WHERE part_id = $1::bigint", 1),
	[ST_PRODUCT_ADD] = DB_STMT("parts_product_add",
	    "INSERT INTO part_products (part_id, product_id) SELECT $1::bigint, id FROM products"
	    " WHERE id = $2::bigint ON CONFLICT DO NOTHING", 2),
	[ST_LIST] = DB_STMT("parts_list",
	    "SELECT " DB_COLS(PART_COLS) PART_FROM " WHERE p.number > $1"
	    " ORDER BY p.number LIMIT $2::int", 2),
	[ST_GET] = DB_STMT("parts_get",
	    "SELECT " DB_COLS(PART_COLS) PART_FROM " WHERE p.id = $1::bigint", 1),
	[ST_PRODUCTS_OF] = DB_STMT("parts_products_of",
	    "SELECT " DB_COLS(PRODUCT_COLS) " FROM part_products WHERE part_id = $1::bigint"
	    " ORDER BY product_id", 1),
	[ST_CHOICES] = DB_STMT("parts_choices",
	    "SELECT id, number || ' ' || name FROM parts WHERE active ORDER BY number LIMIT 2000", 0),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

/* "12", "12.5", "12.50" or nothing (0): an amount up to 999,999,999.99. */
static int
amount_ok(const char *s)
{
	return s == NULL || *s == '\0' || money_ok(s, 999999999.99);
}

static enum cs_result
check(const struct parts_part_in *in, const char **why)
{
	size_t n = in->number != NULL ? utf8_chars(in->number) : 0;

	if (n < 1 || n > PARTS_NUMBER_MAX)
		return parts_refuse(why, "A part number has 1 to 40 characters.");
	n = in->name != NULL ? utf8_chars(in->name) : 0;
	if (n < 1 || n > PARTS_NAME_MAX)
		return parts_refuse(why, "A part's name has 1 to 200 characters.");
	if (!amount_ok(in->cost) || !amount_ok(in->price))
		return parts_refuse(why, "Cost and price are amounts like 12.50.");
	return CS_OK;
}

static const char *
amount(const char *s)
{
	return s != NULL && *s != '\0' ? s : "0";
}

enum cs_result
parts_save(struct db *db, struct arena *a, long long id, const struct parts_part_in *in,
    long long *out_id, const char **why)
{
	const char *p[8], *q[2];
	long long replaced = 0;
	size_t i;
	enum cs_result rc;

	*why = NULL;
	*out_id = 0;
	if ((rc = check(in, why)) != CS_OK)
		return rc;
	if (db_begin(db) != 0)
		return db_result(db);
	if (in->replaced_by != NULL && *in->replaced_by != '\0') {
		q[0] = in->replaced_by;
		rc = db_id(db, &stmts[ST_BY_NUMBER], q, ID_id, &replaced);
		if (rc == CS_NOT_FOUND || (rc == CS_OK && replaced == id))
			rc = parts_refuse(why, "The replacement is not another part of the catalogue.");
		if (rc != CS_OK)
			return db_end(db, rc);
	}
	p[0] = in->number;
	p[1] = in->name;
	p[2] = amount(in->cost);
	p[3] = amount(in->price);
	p[4] = in->serial_tracked ? "true" : "false";
	p[5] = in->active ? "true" : "false";
	p[6] = db_param_id(a, replaced);
	p[7] = db_param_ll(a, id);
	rc = db_id(db, &stmts[id > 0 ? ST_UPDATE : ST_INSERT], p, ID_id, out_id);
	if (rc == CS_TAKEN)
		rc = parts_refuse(why, arena_printf(a, "Part number %s exists already.", in->number));
	q[0] = db_param_ll(a, *out_id);
	if (rc == CS_OK)
		rc = db_do(db, &stmts[ST_PRODUCTS_CLEAR], q);
	for (i = 0; rc == CS_OK && i < in->nproducts; i++) {
		q[1] = db_param_ll(a, in->products[i]);
		rc = db_do(db, &stmts[ST_PRODUCT_ADD], q);
	}
	return db_end(db, rc);
}

static enum cs_result
fill_part(struct arena *a, const PGresult *r, int i, void *elem)
{
	struct parts_part *p = elem;
	int failed = 0;

	memset(p, 0, sizeof(*p));
	p->id = db_ll(r, i, PP_id);
	p->number = db_str(a, r, i, PP_number, &failed);
	p->name = db_str(a, r, i, PP_name, &failed);
	p->cost = db_str(a, r, i, PP_cost, &failed);
	p->price = db_str(a, r, i, PP_price, &failed);
	p->serial_tracked = db_bool(r, i, PP_serial_tracked);
	p->active = db_bool(r, i, PP_active);
	p->replaced_by = db_str(a, r, i, PP_replaced_by, &failed);
	p->products = db_str(a, r, i, PP_products, &failed);
	return failed ? CS_FAILED : CS_OK;
}

enum cs_result
parts_list(struct db *db, struct arena *a, const char *after, struct parts_part **rows,
    size_t *n, int *more)
{
	const char *p[] = { after != NULL ? after : "", db_param_ll(a, PARTS_PAGE + 1) };
	void *out = NULL;
	enum cs_result rc = db_page(db, a, &stmts[ST_LIST], p, PARTS_PAGE, sizeof(**rows),
	    fill_part, &out, n, more);

	*rows = out;
	return rc;
}

enum cs_result
parts_get(struct db *db, struct arena *a, long long id, struct parts_part *out)
{
	const char *p[] = { db_param_ll(a, id) };
	PGresult *r;
	enum cs_result rc;
	int i;

	if ((rc = db_one(db, a, &stmts[ST_GET], p, fill_part, out)) != CS_OK)
		return rc;
	if ((r = db_exec(db, &stmts[ST_PRODUCTS_OF], p)) == NULL)
		return db_result(db);
	out->nproduct_ids = (size_t)PQntuples(r);
	out->product_ids = arena_alloc(a, (out->nproduct_ids + 1) * sizeof(long long));
	for (i = 0; out->product_ids != NULL && i < PQntuples(r); i++)
		out->product_ids[i] = db_ll(r, i, PR_product_id);
	PQclear(r);
	return out->product_ids != NULL ? CS_OK : CS_FAILED;
}

enum cs_result
parts_choices(struct db *db, struct arena *a, struct db_option **rows, size_t *n)
{
	return db_options(db, a, &stmts[ST_CHOICES], NULL, rows, n);
}
