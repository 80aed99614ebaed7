/* product_catalogue.c — see product_catalogue.h. */
#include "domain/product_catalogue.h"
#include "core/arena.h"
#include "core/image.h"
#include "core/utf8.h"
#include "db/db.h"
#include "domain/admin_audit.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

const char *const product_bases[] = { "delivery", "invoice", "installation", NULL };

#define PROD_COLS(X) \
	X(PR, id, "p.id") X(PR, sku, "p.sku") X(PR, name, "p.name") \
	X(PR, model, "coalesce(p.model, '')") X(PR, basis, "p.warranty_basis") \
	X(PR, category_id, "coalesce(p.category_id, 0)") X(PR, category, "coalesce(c.name, '')") \
	X(PR, parts_months, "p.parts_months") X(PR, labour_months, "p.labour_months") \
	X(PR, travel, "p.travel_covered") X(PR, serviceable, "p.serviceable") \
	X(PR, active, "p.active") X(PR, has_image, "p.image IS NOT NULL") \
	X(PR, registrations, "(SELECT count(*) FROM warranty_registrations g" \
	    " WHERE g.product_id = p.id)")
enum { DB_COL_ENUM(PROD_COLS) };
#define PROD_FROM " FROM products p LEFT JOIN product_categories c ON c.id = p.category_id"
#define ID_COLS(X) X(PI, id, "id")
enum { DB_COL_ENUM(ID_COLS) };
#define IMG_COLS(X) X(IM, type, "image_type") X(IM, data, "image")
enum { DB_COL_ENUM(IMG_COLS) };

enum stmt {
	ST_LIST,
	ST_GET,
	ST_ADD,
	ST_UPDATE,
	ST_IMAGE,
	ST_CATEGORIES,
	ST__MAX
};

/* $1 sku … $9 serviceable, $10 active, $11 image (NULL: keep), $12 its type. */
#define VALUES "$1, $2, nullif($3, ''), $4, $5::bigint, $6::int, $7::int, $8::boolean," \
	" $9::boolean, $10::boolean"

static struct db_stmt stmts[] = {
	[ST_LIST] = DB_STMT("product_catalogue_list",
	    "SELECT " DB_COLS(PROD_COLS) PROD_FROM " ORDER BY NOT p.active, p.sku, p.id LIMIT 1000",
	    0),
	[ST_GET] = DB_STMT("product_catalogue_get",
	    "SELECT " DB_COLS(PROD_COLS) PROD_FROM " WHERE p.id = $1::bigint", 1),
	[ST_ADD] = DB_STMT("product_catalogue_add",
	    "INSERT INTO products (sku, name, model, warranty_basis, category_id, parts_months,"
	    " labour_months, travel_covered, serviceable, active, image, image_type) VALUES ("
	    VALUES ", $11::bytea, $12) RETURNING " DB_COLS(ID_COLS), 12),
	[ST_UPDATE] = DB_STMT("product_catalogue_update",
	    "UPDATE products SET (sku, name, model, warranty_basis, category_id, parts_months,"
	    " labour_months, travel_covered, serviceable, active) = (" VALUES "),"
	    " image = coalesce($11::bytea, image), image_type = coalesce($12, image_type)"
	    " WHERE id = $13::bigint RETURNING " DB_COLS(ID_COLS), 13),
	[ST_IMAGE] = DB_STMT("product_catalogue_image",
	    "SELECT " DB_COLS(IMG_COLS) " FROM products WHERE id = $1::bigint AND image IS NOT NULL",
	    1),
	[ST_CATEGORIES] = DB_STMT("product_catalogue_categories",
	    "SELECT id, name FROM product_categories WHERE active ORDER BY lower(name), id", 0),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

static enum cs_result
fill(struct arena *a, const PGresult *r, int i, void *elem)
{
	struct product *p = elem;
	int failed = 0;

	p->id = db_ll(r, i, PR_id);
	p->sku = db_str(a, r, i, PR_sku, &failed);
	p->name = db_str(a, r, i, PR_name, &failed);
	p->model = db_str(a, r, i, PR_model, &failed);
	p->basis = db_str(a, r, i, PR_basis, &failed);
	p->category_id = db_ll(r, i, PR_category_id);
	p->category = db_str(a, r, i, PR_category, &failed);
	p->parts_months = (int)db_ll(r, i, PR_parts_months);
	p->labour_months = (int)db_ll(r, i, PR_labour_months);
	p->travel = db_bool(r, i, PR_travel);
	p->serviceable = db_bool(r, i, PR_serviceable);
	p->active = db_bool(r, i, PR_active);
	p->has_image = db_bool(r, i, PR_has_image);
	p->registrations = db_ll(r, i, PR_registrations);
	return failed ? CS_FAILED : CS_OK;
}

enum cs_result
product_catalogue_list(struct db *db, struct arena *a, struct product **rows, size_t *n)
{
	void *out;
	enum cs_result rc = db_rows(db, a, &stmts[ST_LIST], NULL, sizeof(**rows), fill, &out, n);

	*rows = out;
	return rc;
}

enum cs_result
product_catalogue_get(struct db *db, struct arena *a, long long id, struct product *out)
{
	const char *p[] = { db_param_ll(a, id) };

	memset(out, 0, sizeof(*out));
	return db_one(db, a, &stmts[ST_GET], p, fill, out);
}

enum cs_result
product_catalogue_categories(struct db *db, struct arena *a, struct db_option **opts, size_t *n)
{
	return db_options(db, a, &stmts[ST_CATEGORIES], NULL, opts, n);
}

/* A text value's length in 1..max (min 0: may be empty). */
static int
text_ok(const char *v, size_t min, size_t max)
{
	size_t n = v != NULL ? utf8_chars(v) : 0;

	return n >= min && n <= max;
}

static enum cs_result
check_input(const struct product_input *in, const char **type, const char **why,
    const char **field)
{
	size_t i;
	int basis = 0;

	for (i = 0; product_bases[i] != NULL; i++)
		basis |= in->basis != NULL && strcmp(in->basis, product_bases[i]) == 0;
	*type = NULL;
	if (!text_ok(in->sku, 1, PRODUCT_SKU_MAX))
		*why = "SKU: 1 to 64 characters.", *field = "sku";
	else if (!text_ok(in->name, 1, PRODUCT_NAME_MAX))
		*why = "Name: 1 to 200 characters.", *field = "name";
	else if (!text_ok(in->model, 0, PRODUCT_MODEL_MAX))
		*why = "Model: at most 100 characters.", *field = "model";
	else if (in->parts_months < 0 || in->parts_months > PRODUCT_MONTHS_MAX)
		*why = "Parts: a whole number of months from 0 to 240.", *field = "parts_months";
	else if (in->labour_months < 0 || in->labour_months > PRODUCT_MONTHS_MAX)
		*why = "Labour: a whole number of months from 0 to 240.", *field = "labour_months";
	else if (!basis)
		*why = "Choose the date the terms count from.", *field = "basis";
	else if (in->image_size > PRODUCT_IMAGE_MAX)
		*why = "A picture may be 2 MB at most.", *field = "image";
	else if (in->image_size > 0 &&
	    (*type = image_type_of(in->image, in->image_size)) == NULL)
		*why = "Add a PNG, JPEG, GIF or WebP picture.", *field = "image";
	return *why != NULL ? CS_REFUSED : CS_OK;
}

enum cs_result
product_catalogue_save(struct db *db, struct arena *a, const struct audit_entry *by,
    long long id, const struct product_input *in, long long *out_id, const char **why,
    const char **field)
{
	const char *type, *p[13];
	int lengths[13] = { 0 }, formats[13] = { 0 };
	PGresult *r;
	enum cs_result rc;

	*out_id = 0;
	*why = NULL;
	*field = NULL;
	if ((rc = check_input(in, &type, why, field)) != CS_OK)
		return rc;
	p[0] = in->sku;
	p[1] = in->name;
	p[2] = in->model != NULL ? in->model : "";
	p[3] = in->basis;
	p[4] = db_param_id(a, in->category_id);
	p[5] = db_param_ll(a, in->parts_months);
	p[6] = db_param_ll(a, in->labour_months);
	p[7] = in->travel ? "t" : "f";
	p[8] = in->serviceable ? "t" : "f";
	p[9] = in->active ? "t" : "f";
	p[10] = in->image_size > 0 ? in->image : NULL;
	lengths[10] = (int)in->image_size;
	formats[10] = 1;
	p[11] = type;
	p[12] = db_param_ll(a, id);
	if (db_begin(db) < 0)
		return db_result(db);
	r = db_exec_bin(db, &stmts[id > 0 ? ST_UPDATE : ST_ADD], p, lengths, formats);
	if (r == NULL) {
		rc = db_result(db);
		if (db_is(db, "23503")) {
			*why = "That category no longer exists: choose another.";
			*field = "category_id";
			rc = CS_REFUSED;
		} else if (rc == CS_TAKEN) {
			*why = "That SKU is in use: choose another.";
			*field = "sku";
		}
		return db_end(db, rc);
	}
	rc = PQntuples(r) == 1 ? CS_OK : CS_NOT_FOUND;
	if (rc == CS_OK)
		*out_id = db_ll(r, 0, PI_id);
	PQclear(r);
	if (rc == CS_OK)
		rc = admin_audit(db, by, id > 0 ? "product.update" : "product.create", "product",
		    *out_id, json_pack("{s:s, s:s, s:s, s:I, s:i, s:i, s:b, s:s, s:b, s:b}",
		    "sku", in->sku, "name", in->name, "model", p[2], "category_id",
		    (json_int_t)in->category_id, "parts_months", in->parts_months, "labour_months",
		    in->labour_months, "travel_covered", in->travel, "warranty_basis", in->basis,
		    "serviceable", in->serviceable, "active", in->active));
	if ((rc = db_end(db, rc)) != CS_OK)
		*out_id = 0;
	return rc;
}

enum cs_result
product_catalogue_image(struct db *db, struct arena *a, long long id, const char **type,
    const void **data, size_t *size)
{
	const char *p[] = { db_param_ll(a, id) };
	PGresult *r;
	enum cs_result rc = CS_NOT_FOUND;
	int failed = 0;

	*data = NULL;
	*size = 0;
	if ((r = db_exec(db, &stmts[ST_IMAGE], p)) == NULL)
		return db_result(db);
	if (PQntuples(r) == 1) {
		*type = db_str(a, r, 0, IM_type, &failed);
		rc = failed ? CS_FAILED : db_bytes(a, r, 0, IM_data, data, size);
	}
	PQclear(r);
	return rc;
}
