/* setup_admin.c — see setup_admin.h. */
#include "domain/setup_admin.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/admin_audit.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

const char *const setup_admin_columns[SETUP_KIND__MAX][SETUP_FIELDS + 1] = {
	[SETUP_QUEUES] = { "name", "team_id", "auto_assign", NULL },
	[SETUP_CATEGORIES] = { "name", "position", NULL, NULL },
	[SETUP_PRODUCTS] = { "sku", "name", NULL, NULL },
	[SETUP_CODES] = { "code", "label", NULL, NULL },
};

enum setup_stmt { SET_LIST, SET_ADD, SET_UPDATE, SET__MAX };

/*
 * Per kind: list (id, the values as text — always SETUP_FIELDS columns —
 * and active), add (the kind's values as $1.. → id) and update ($1 id,
 * $2 active, the values as $3..). A kind with fewer values declares fewer
 * parameters, and db_exec sends only those.
 */
static struct db_stmt stmts[SETUP_KIND__MAX][SET__MAX] = {
	[SETUP_QUEUES] = {
		[SET_LIST] = DB_STMT("setup_queue_list",
		    "SELECT id, name, coalesce(team_id::text, ''),"
		    " CASE WHEN auto_assign THEN 't' ELSE 'f' END, active"
		    " FROM queues ORDER BY NOT active, lower(name), id", 0),
		[SET_ADD] = DB_STMT("setup_queue_add",
		    "INSERT INTO queues (name, team_id, auto_assign)"
		    " VALUES ($1, nullif($2, '')::bigint, $3::boolean) RETURNING id", 3),
		[SET_UPDATE] = DB_STMT("setup_queue_update",
		    "UPDATE queues SET active = $2::boolean, name = $3,"
		    " team_id = nullif($4, '')::bigint, auto_assign = $5::boolean"
		    " WHERE id = $1::bigint", 5),
	},
	[SETUP_CATEGORIES] = {
		[SET_LIST] = DB_STMT("setup_category_list",
		    "SELECT id, name, position::text, '', active FROM categories"
		    " ORDER BY NOT active, position, lower(name), id", 0),
		[SET_ADD] = DB_STMT("setup_category_add",
		    "INSERT INTO categories (name, position) VALUES ($1, $2::integer) RETURNING id",
		    2),
		[SET_UPDATE] = DB_STMT("setup_category_update",
		    "UPDATE categories SET active = $2::boolean, name = $3, position = $4::integer"
		    " WHERE id = $1::bigint", 4),
	},
	[SETUP_PRODUCTS] = {
		[SET_LIST] = DB_STMT("setup_product_list",
		    "SELECT id, sku, name, '', active FROM products ORDER BY NOT active, sku, id", 0),
		[SET_ADD] = DB_STMT("setup_product_add",
		    "INSERT INTO products (sku, name) VALUES ($1, $2) RETURNING id", 2),
		[SET_UPDATE] = DB_STMT("setup_product_update",
		    "UPDATE products SET active = $2::boolean, sku = $3, name = $4"
		    " WHERE id = $1::bigint", 4),
	},
	[SETUP_CODES] = {
		[SET_LIST] = DB_STMT("setup_code_list",
		    "SELECT id, code, label, '', active FROM resolution_codes"
		    " ORDER BY NOT active, code, id", 0),
		[SET_ADD] = DB_STMT("setup_code_add",
		    "INSERT INTO resolution_codes (code, label) VALUES ($1, $2) RETURNING id", 2),
		[SET_UPDATE] = DB_STMT("setup_code_update",
		    "UPDATE resolution_codes SET active = $2::boolean, code = $3, label = $4"
		    " WHERE id = $1::bigint", 4),
	},
};

/* The audit log's object type for each kind. */
static const char *const audit_type[SETUP_KIND__MAX] = {
	[SETUP_QUEUES] = "queue",
	[SETUP_CATEGORIES] = "category",
	[SETUP_PRODUCTS] = "product",
	[SETUP_CODES] = "resolution_code",
};

/* What a failed statement means. */
static long long
failure(struct db *db)
{
	if (db_is(db, "23505"))
		return SETUP_TAKEN;
	if (db_is(db, "23503"))
		return SETUP_BAD_REF;
	if (db_is(db, "23514") || strncmp(db->sqlstate, "22", 2) == 0)
		return SETUP_BAD_VALUE;
	return -1;
}

/* The audit details: every value by column name, and active. NULL: no memory. */
static json_t *
detail(enum setup_kind kind, const char *const v[SETUP_FIELDS], int active)
{
	json_t *o = json_object();
	size_t i;

	if (o == NULL)
		return NULL;
	for (i = 0; i < SETUP_FIELDS && setup_admin_columns[kind][i] != NULL; i++)
		if (json_object_set_new(o, setup_admin_columns[kind][i], json_string(v[i])) < 0) {
			json_decref(o);
			return NULL;
		}
	if (active >= 0 && json_object_set_new(o, "active", json_boolean(active)) < 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

int
setup_admin_list(struct db *db, struct arena *a, enum setup_kind kind, struct setup_row **rows,
    size_t *n)
{
	PGresult *r;
	int i, k, count, failed = 0;

	*rows = NULL;
	*n = 0;
	if (kind >= SETUP_KIND__MAX || (r = db_exec(db, &stmts[kind][SET_LIST], NULL)) == NULL)
		return -1;
	count = PQntuples(r);
	if ((*rows = arena_calloc(a, (size_t)count + 1, sizeof(**rows))) == NULL)
		failed = 1;
	for (i = 0; i < count && !failed; i++) {
		(*rows)[i].id = db_ll(r, i, 0);
		for (k = 0; k < SETUP_FIELDS; k++)
			(*rows)[i].v[k] = db_str(a, r, i, 1 + k, &failed);
		(*rows)[i].active = db_bool(r, i, 1 + SETUP_FIELDS);
	}
	if (!failed)
		*n = (size_t)count;
	PQclear(r);
	return failed ? -1 : 0;
}

long long
setup_admin_add(struct db *db, const struct audit_entry *by, enum setup_kind kind,
    const char *const v[SETUP_FIELDS])
{
	const char *p[SETUP_FIELDS];
	PGresult *r;
	long long id = -1;
	char action[40];

	if (kind >= SETUP_KIND__MAX || db_begin(db) < 0)
		return -1;
	memcpy(p, v, sizeof(p));
	if ((r = db_exec(db, &stmts[kind][SET_ADD], p)) == NULL) {
		id = failure(db);
		goto fail;
	}
	if (PQntuples(r) == 1)
		id = db_ll(r, 0, 0);
	PQclear(r);
	snprintf(action, sizeof(action), "%s.create", audit_type[kind]);
	if (id <= 0 || admin_audit(db, by, action, audit_type[kind], id, detail(kind, v, 1)) < 0) {
		id = -1;
		goto fail;
	}
	return db_commit(db) < 0 ? -1 : id;
fail:
	db_rollback(db);
	return id;
}

int
setup_admin_update(struct db *db, const struct audit_entry *by, enum setup_kind kind,
    long long id, const char *const v[SETUP_FIELDS], int active)
{
	char idbuf[24], action[40];
	const char *p[SETUP_FIELDS + 2];
	PGresult *r;
	long long rc;

	if (kind >= SETUP_KIND__MAX || db_begin(db) < 0)
		return -1;
	snprintf(idbuf, sizeof(idbuf), "%lld", id);
	p[0] = idbuf;
	p[1] = active ? "t" : "f";
	memcpy(p + 2, v, SETUP_FIELDS * sizeof(*p));
	if ((r = db_exec(db, &stmts[kind][SET_UPDATE], p)) == NULL) {
		rc = failure(db);
		goto fail;
	}
	rc = db_changed(r) == 1 ? 0 : SETUP_NOT_FOUND;
	PQclear(r);
	if (rc != 0)
		goto fail;
	snprintf(action, sizeof(action), "%s.update", audit_type[kind]);
	if (admin_audit(db, by, action, audit_type[kind], id, detail(kind, v, active)) < 0) {
		rc = -1;
		goto fail;
	}
	return db_commit(db) < 0 ? -1 : 0;
fail:
	db_rollback(db);
	return (int)rc;
}
