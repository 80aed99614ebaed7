/* customer_sites.c — see customer_sites.h. */
#include "domain/customer_sites.h"
#include "core/arena.h"
#include "core/utf8.h"
#include "db/db.h"
#include "domain/admin_audit.h"
#include "domain/text_check.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#define SITE_COLS(X) X(SI, id, "id") X(SI, name, "name") X(SI, address, "address") \
	X(SI, active, "active")
enum { DB_COL_ENUM(SITE_COLS) };

#define NEW_COLS(X) X(NEW, id, "id")
enum { DB_COL_ENUM(NEW_COLS) };

enum stmt { ST_LIST, ST_ADD, ST_UPDATE, ST__MAX };

static struct db_stmt stmts[] = {
	[ST_LIST] = DB_STMT("customer_sites_list",
	    "SELECT " DB_COLS(SITE_COLS) " FROM customer_sites WHERE customer_id = $1::bigint"
	    " ORDER BY NOT active, lower(name), id", 1),
	[ST_ADD] = DB_STMT("customer_sites_add",
	    "INSERT INTO customer_sites (customer_id, name, address)"
	    " VALUES ($1::bigint, $2, $3) RETURNING " DB_COLS(NEW_COLS), 3),
	[ST_UPDATE] = DB_STMT("customer_sites_update",
	    "UPDATE customer_sites SET name = $3, address = $4, active = $5::boolean"
	    " WHERE id = $2::bigint AND customer_id = $1::bigint", 5),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

static enum cs_result
fill(struct arena *a, const PGresult *r, int row, void *elem)
{
	struct customer_site *s = elem;
	int failed = 0;

	s->id = db_ll(r, row, SI_id);
	s->name = db_str(a, r, row, SI_name, &failed);
	s->address = db_str(a, r, row, SI_address, &failed);
	s->active = db_bool(r, row, SI_active);
	return failed ? CS_FAILED : CS_OK;
}

enum cs_result
customer_sites_list(struct db *db, struct arena *a, long long customer_id,
    struct customer_site **rows, size_t *n)
{
	char id[24];
	const char *p[] = { id };
	void *out = NULL;
	enum cs_result rc;

	snprintf(id, sizeof(id), "%lld", customer_id);
	rc = db_rows(db, a, &stmts[ST_LIST], p, sizeof(**rows), fill, &out, n);
	*rows = out;
	return rc;
}

/* NULL when s may be saved, else why not (and *field). */
static const char *
refused(const struct customer_site *s, const char **field)
{
	size_t name = s->name != NULL ? utf8_chars(s->name) : 0;
	size_t addr = s->address != NULL ? utf8_chars(s->address) : 0;

	*field = "name";
	if (name == 0 || name > CUSTOMER_SITE_NAME_MAX || !text_line_ok(s->name))
		return "Give the site a name of 1 to 100 characters on one line, e.g. Head office.";
	*field = "address";
	if (addr == 0 || addr > CUSTOMER_SITE_ADDRESS_MAX)
		return "Enter the site's address, at most 500 characters.";
	*field = NULL;
	return NULL;
}

/* What a refused statement means. */
static enum cs_result
failure(struct db *db, const char **field, const char **why)
{
	if (db_is(db, "23505")) {
		*field = "name";
		*why = "This account already has a site of that name: choose another.";
		return CS_REFUSED;
	}
	if (db_is(db, "23503"))
		return CS_NOT_FOUND;	/* the customer is gone */
	return db_result(db);
}

static json_t *
detail(long long customer_id, const struct customer_site *s, int active)
{
	return json_pack("{s:I, s:s, s:s, s:b}", "customer_id", (json_int_t)customer_id,
	    "name", s->name, "address", s->address, "active", active);
}

enum cs_result
customer_sites_add(struct db *db, const struct audit_entry *by, long long customer_id,
    const struct customer_site *s, long long *id, const char **field, const char **why)
{
	char cust[24];
	const char *p[] = { cust, s->name, s->address };
	enum cs_result rc;

	*id = 0;
	if ((*why = refused(s, field)) != NULL)
		return CS_REFUSED;
	snprintf(cust, sizeof(cust), "%lld", customer_id);
	if (db_begin(db) < 0)
		return db_result(db);
	rc = db_id(db, &stmts[ST_ADD], p, NEW_id, id);
	if (rc != CS_OK)
		return db_end(db, rc == CS_NOT_FOUND ? CS_FAILED : failure(db, field, why));
	return admin_audit_commit(db, by, "customer_site.create", "customer_site", *id,
	    detail(customer_id, s, 1));
}

enum cs_result
customer_sites_update(struct db *db, const struct audit_entry *by, long long customer_id,
    const struct customer_site *s, const char **field, const char **why)
{
	char cust[24], site[24];
	const char *p[] = { cust, site, s->name, s->address, s->active ? "t" : "f" };
	enum cs_result rc;
	PGresult *r;

	if ((*why = refused(s, field)) != NULL)
		return CS_REFUSED;
	snprintf(cust, sizeof(cust), "%lld", customer_id);
	snprintf(site, sizeof(site), "%lld", s->id);
	if (db_begin(db) < 0)
		return db_result(db);
	if ((r = db_exec(db, &stmts[ST_UPDATE], p)) == NULL)
		return db_end(db, failure(db, field, why));
	rc = db_changed(r) == 1 ? CS_OK : CS_NOT_FOUND;
	PQclear(r);
	if (rc != CS_OK)
		return db_end(db, rc);
	return admin_audit_commit(db, by, "customer_site.update", "customer_site", s->id,
	    detail(customer_id, s, s->active));
}
