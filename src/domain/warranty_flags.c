/*
 * warranty_flags.c — serials another customer tried to register (kept by
 * warranty_serial_owner() in sql/functions/140_warranty.sql), for staff to
 * look into; see warranty.h.
 */
#include "domain/warranty.h"
#include "domain/warranty_int.h"
#include "db/db.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#define FLAG_COLS(X) \
	X(FL, id, "f.id") X(FL, registration_id, "g.id") X(FL, owner_id, "g.customer_id") \
	X(FL, tried_by_id, "f.customer_id") X(FL, serial, "g.serial") X(FL, product, "p.name") \
	X(FL, owner, "o.name") X(FL, tried_by, "t.name") \
	X(FL, at, "to_char(f.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI')")
enum { DB_COL_ENUM(FLAG_COLS) };

enum stmt {
	ST_OPEN,
	ST_REVIEW,
	ST__MAX
};

static struct db_stmt stmts[] = {
	[ST_OPEN] = DB_STMT("warranty_flags_open",
	    "SELECT " DB_COLS(FLAG_COLS) " FROM warranty_serial_flags f"
	    " JOIN warranty_registrations g ON g.id = f.registration_id"
	    " JOIN products p ON p.id = g.product_id JOIN customers o ON o.id = g.customer_id"
	    " JOIN customers t ON t.id = f.customer_id WHERE NOT f.reviewed ORDER BY f.id LIMIT 50",
	    0),
	[ST_REVIEW] = DB_STMT("warranty_flag_review",
	    "UPDATE warranty_serial_flags SET reviewed = true WHERE id = $1::bigint"
	    " AND NOT reviewed", 1),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

static enum cs_result
fill(struct arena *a, const PGresult *r, int i, void *elem)
{
	struct warranty_flag *f = elem;
	int failed = 0;

	f->id = db_ll(r, i, FL_id);
	f->registration_id = db_ll(r, i, FL_registration_id);
	f->owner_id = db_ll(r, i, FL_owner_id);
	f->tried_by_id = db_ll(r, i, FL_tried_by_id);
	f->serial = db_str(a, r, i, FL_serial, &failed);
	f->product = db_str(a, r, i, FL_product, &failed);
	f->owner = db_str(a, r, i, FL_owner, &failed);
	f->tried_by = db_str(a, r, i, FL_tried_by, &failed);
	f->at = db_str(a, r, i, FL_at, &failed);
	return failed ? CS_FAILED : CS_OK;
}

enum cs_result
warranty_flags_open(struct db *db, struct arena *a, struct warranty_flag **rows, size_t *n)
{
	void *out;
	enum cs_result rc = db_rows(db, a, &stmts[ST_OPEN], NULL, sizeof(**rows), fill, &out, n);

	*rows = out;
	return rc;
}

enum cs_result
warranty_flag_review(struct db *db, const struct warranty_actor *by, long long id)
{
	char ib[24];
	const char *p[] = { ib };
	enum cs_result rc;

	snprintf(ib, sizeof(ib), "%lld", id);
	if (db_begin(db) < 0)
		return db_result(db);
	rc = db_update_one(db, &stmts[ST_REVIEW], p);
	if (rc == CS_OK)
		rc = warranty_event(db, by, "warranty_flag", id, "warranty.flag_reviewed",
		    json_object());
	return db_end(db, rc);
}
