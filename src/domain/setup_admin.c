/* setup_admin.c — see setup_admin.h. */
#include "domain/setup_admin.h"
#include "core/arena.h"
#include "core/utf8.h"
#include "db/db.h"
#include "domain/admin_audit.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

const char *const setup_admin_columns[SETUP_KIND__MAX][SETUP_FIELDS + 1] = {
	[SETUP_QUEUES] = { "name", "team_id", "auto_assign", "required_skill_id",
		"required_skill_level", "calendar_id", NULL },
	[SETUP_CATEGORIES] = { "name", "position", "parent_id", NULL, NULL, NULL, NULL },
	[SETUP_PRODUCT_CATEGORIES] = { "name", NULL, NULL, NULL, NULL, NULL, NULL },
	[SETUP_CODES] = { "code", "label", NULL, NULL, NULL, NULL, NULL },
	[SETUP_TYPES] = { "code", "label", "position", NULL, NULL, NULL, NULL },
};

const int setup_admin_max[SETUP_KIND__MAX][SETUP_FIELDS] = {
	[SETUP_QUEUES] = { SETUP_NAME_MAX, 0, 0, 0, 0, 0 },
	[SETUP_CATEGORIES] = { SETUP_NAME_MAX, 0, 0, 0, 0, 0 },
	[SETUP_PRODUCT_CATEGORIES] = { SETUP_NAME_MAX, 0, 0, 0, 0, 0 },
	[SETUP_CODES] = { SETUP_CODE_MAX, SETUP_NAME_MAX, 0, 0, 0, 0 },
	[SETUP_TYPES] = { SETUP_CODE_MAX, SETUP_NAME_MAX, 0, 0, 0, 0 },
};

/* The limits of a row's values: NULL, or why not. */
static const char *
check(enum setup_kind kind, const char *const v[SETUP_FIELDS])
{
	size_t i;

	for (i = 0; i < SETUP_FIELDS; i++)
		if (setup_admin_max[kind][i] > 0 && (v[i] == NULL || *v[i] == '\0' ||
		    utf8_chars(v[i]) > (size_t)setup_admin_max[kind][i]))
			return "One of the values is empty or too long: check them and save again.";
	return NULL;
}

enum setup_stmt { SET_LIST, SET_ADD, SET_UPDATE, SET__MAX };

/* Every kind lists the same shape: SETUP_FIELDS values as text. */
#define ROW_COLS(X) X(ROW, id, "id") X(ROW, v0, "v0") X(ROW, v1, "v1") X(ROW, v2, "v2") \
	X(ROW, v3, "v3") X(ROW, v4, "v4") X(ROW, v5, "v5") \
	X(ROW, active, "active")
enum { DB_COL_ENUM(ROW_COLS) };
_Static_assert(ROW_v5 - ROW_v0 + 1 == SETUP_FIELDS, "a column per value");

#define NEW_COLS(X) X(NEW, id, "id")
enum { DB_COL_ENUM(NEW_COLS) };

/*
 * Per kind: list (id, the values as text — always SETUP_FIELDS columns —
 * and active), add (the kind's values as $1.. → id) and update ($1 id,
 * $2 active, the values as $3..). A kind with fewer values declares fewer
 * parameters, and db_exec sends only those.
 */
static struct db_stmt stmts[SETUP_KIND__MAX][SET__MAX] = {
	[SETUP_QUEUES] = {
		[SET_LIST] = DB_STMT("setup_queue_list",
		    "SELECT " DB_COLS(ROW_COLS) " FROM (SELECT id, name AS v0,"
		    " coalesce(team_id::text, '') AS v1,"
		    " CASE WHEN auto_assign THEN 't' ELSE 'f' END AS v2,"
		    " coalesce(required_skill_id::text, '') AS v3, required_skill_level::text AS v4,"
		    " coalesce(calendar_id::text, '') AS v5, active, name"
		    " FROM queues) q ORDER BY NOT active, lower(name), id", 0),
		[SET_ADD] = DB_STMT("setup_queue_add",
		    "INSERT INTO queues (name, team_id, auto_assign, required_skill_id,"
		    " required_skill_level, calendar_id) VALUES ($1, nullif($2, '')::bigint,"
		    " $3::boolean, nullif($4, '')::bigint, coalesce(nullif($5, '')::smallint, 1),"
		    " nullif($6, '')::bigint) RETURNING " DB_COLS(NEW_COLS), 6),
		[SET_UPDATE] = DB_STMT("setup_queue_update",
		    "UPDATE queues SET active = $2::boolean, name = $3,"
		    " team_id = nullif($4, '')::bigint, auto_assign = $5::boolean,"
		    " required_skill_id = nullif($6, '')::bigint, required_skill_level = coalesce(nullif($7, '')::smallint, required_skill_level),"
		    " calendar_id = nullif($8, '')::bigint WHERE id = $1::bigint", 8),
	},
	[SETUP_CATEGORIES] = {
		/* Each category followed by its sub-categories (046). */
		[SET_LIST] = DB_STMT("setup_category_list",
		    "SELECT " DB_COLS(ROW_COLS) " FROM (SELECT c.id, c.name AS v0,"
		    " c.position::text AS v1, coalesce(c.parent_id::text, '') AS v2, '' AS v3, '' AS v4, '' AS v5,"
		    " c.active, coalesce(p.position, c.position) AS top_position,"
		    " lower(coalesce(p.name, c.name)) AS top_name, coalesce(p.id, c.id) AS top,"
		    " c.parent_id IS NOT NULL AS sub, c.position, lower(c.name) AS name"
		    " FROM categories c LEFT JOIN categories p ON p.id = c.parent_id) c"
		    " ORDER BY NOT active, top_position, top_name, top, sub, position, name, id", 0),
		[SET_ADD] = DB_STMT("setup_category_add",
		    "INSERT INTO categories (name, position, parent_id)"
		    " VALUES ($1, $2::integer, nullif($3, '')::bigint)"
		    " RETURNING " DB_COLS(NEW_COLS), 3),
		[SET_UPDATE] = DB_STMT("setup_category_update",
		    "UPDATE categories SET active = $2::boolean, name = $3, position = $4::integer,"
		    " parent_id = nullif($5, '')::bigint WHERE id = $1::bigint", 5),
	},
	[SETUP_PRODUCT_CATEGORIES] = {
		[SET_LIST] = DB_STMT("setup_product_category_list",
		    "SELECT " DB_COLS(ROW_COLS) " FROM (SELECT id, name AS v0, '' AS v1, '' AS v2,"
		    " '' AS v3, '' AS v4, '' AS v5, active, name FROM product_categories) p"
		    " ORDER BY NOT active, lower(name), id", 0),
		[SET_ADD] = DB_STMT("setup_product_category_add",
		    "INSERT INTO product_categories (name) VALUES ($1) RETURNING " DB_COLS(NEW_COLS), 1),
		[SET_UPDATE] = DB_STMT("setup_product_category_update",
		    "UPDATE product_categories SET active = $2::boolean, name = $3"
		    " WHERE id = $1::bigint", 3),
	},
	[SETUP_CODES] = {
		[SET_LIST] = DB_STMT("setup_code_list",
		    "SELECT " DB_COLS(ROW_COLS) " FROM (SELECT id, code AS v0, label AS v1, '' AS v2,"
		    " '' AS v3, '' AS v4, '' AS v5, active, code FROM resolution_codes) r ORDER BY NOT active, code, id", 0),
		[SET_ADD] = DB_STMT("setup_code_add",
		    "INSERT INTO resolution_codes (code, label) VALUES ($1, $2)"
		    " RETURNING " DB_COLS(NEW_COLS), 2),
		[SET_UPDATE] = DB_STMT("setup_code_update",
		    "UPDATE resolution_codes SET active = $2::boolean, code = $3, label = $4"
		    " WHERE id = $1::bigint", 4),
	},
	/* A new code reaches the tickets of the old one (ON UPDATE CASCADE). */
	[SETUP_TYPES] = {
		[SET_LIST] = DB_STMT("setup_type_list",
		    "SELECT " DB_COLS(ROW_COLS) " FROM (SELECT id, code AS v0, label AS v1,"
		    " position::text AS v2, '' AS v3, '' AS v4, '' AS v5, active, position, label FROM ticket_types) y"
		    " ORDER BY NOT active, position, label, id", 0),
		[SET_ADD] = DB_STMT("setup_type_add",
		    "INSERT INTO ticket_types (code, label, position) VALUES ($1, $2, $3::integer)"
		    " RETURNING " DB_COLS(NEW_COLS), 3),
		[SET_UPDATE] = DB_STMT("setup_type_update",
		    "UPDATE ticket_types SET active = $2::boolean, code = $3, label = $4,"
		    " position = $5::integer WHERE id = $1::bigint", 5),
	},
};

/* The audit log's object type for each kind. */
static const char *const audit_type[SETUP_KIND__MAX] = {
	[SETUP_QUEUES] = "queue",
	[SETUP_CATEGORIES] = "category",
	[SETUP_PRODUCT_CATEGORIES] = "product_category",
	[SETUP_CODES] = "resolution_code",
	[SETUP_TYPES] = "ticket_type",
};

/* What a failed statement means. */
static enum cs_result
failure(struct db *db, const char **why)
{
	if (db_is(db, "23503")) {
		*why = "That team, skill or category no longer exists: choose another.";
		return CS_REFUSED;
	}

	if (db_is(db, "23514") || strncmp(db->sqlstate, "22", 2) == 0) {
		*why = "One of the values was refused: check them and save again.";
		return CS_REFUSED;
	}
	return db_result(db);	/* 23505: CS_TAKEN */
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

static enum cs_result
fill_row(struct arena *a, const PGresult *r, int i, void *elem)
{
	struct setup_row *row = elem;
	int failed = 0, k;

	row->id = db_ll(r, i, ROW_id);
	for (k = 0; k < SETUP_FIELDS; k++)
		row->v[k] = db_str(a, r, i, ROW_v0 + k, &failed);
	row->active = db_bool(r, i, ROW_active);
	return failed ? CS_FAILED : CS_OK;
}

enum cs_result
setup_admin_list(struct db *db, struct arena *a, enum setup_kind kind, struct setup_row **rows,
    size_t *n)
{
	void *arr = NULL;
	enum cs_result rc = CS_FAILED;

	*n = 0;
	if (kind < SETUP_KIND__MAX)
		rc = db_rows(db, a, &stmts[kind][SET_LIST], NULL, sizeof(**rows), fill_row, &arr, n);
	*rows = arr;
	return rc;
}

/* Ends a change of kind: its audit record ("queue.create") and the commit. */
static enum cs_result
finish(struct db *db, const struct audit_entry *by, enum setup_kind kind, const char *verb,
    long long id, json_t *details)
{
	char action[40];

	snprintf(action, sizeof(action), "%s.%s", audit_type[kind], verb);
	return admin_audit_commit(db, by, action, audit_type[kind], id, details);
}

enum cs_result
setup_admin_add(struct db *db, const struct audit_entry *by, enum setup_kind kind,
    const char *const v[SETUP_FIELDS], long long *id, const char **why)
{
	const char *p[SETUP_FIELDS];
	enum cs_result rc;

	*id = 0;
	*why = NULL;
	if (kind >= SETUP_KIND__MAX)
		return CS_FAILED;
	if ((*why = check(kind, v)) != NULL)
		return CS_REFUSED;
	if (db_begin(db) < 0)
		return db_result(db);
	memcpy(p, v, sizeof(p));
	rc = db_id(db, &stmts[kind][SET_ADD], p, NEW_id, id);
	if (rc != CS_OK) {
		rc = rc == CS_NOT_FOUND ? CS_FAILED : failure(db, why);
		goto fail;
	}
	return finish(db, by, kind, "create", *id, detail(kind, v, 1));
fail:
	db_rollback(db);
	return rc;
}

enum cs_result
setup_admin_update(struct db *db, const struct audit_entry *by, enum setup_kind kind,
    long long id, const char *const v[SETUP_FIELDS], int active, const char **why)
{
	char idbuf[24];
	const char *p[SETUP_FIELDS + 2];
	enum cs_result rc;
	PGresult *r;

	*why = NULL;
	if (kind >= SETUP_KIND__MAX)
		return CS_FAILED;
	if ((*why = check(kind, v)) != NULL)
		return CS_REFUSED;
	if (db_begin(db) < 0)
		return db_result(db);
	snprintf(idbuf, sizeof(idbuf), "%lld", id);
	p[0] = idbuf;
	p[1] = active ? "t" : "f";
	memcpy(p + 2, v, SETUP_FIELDS * sizeof(*p));
	if ((r = db_exec(db, &stmts[kind][SET_UPDATE], p)) == NULL) {
		rc = failure(db, why);
		goto fail;
	}
	rc = db_changed(r) == 1 ? CS_OK : CS_NOT_FOUND;
	PQclear(r);
	if (rc != CS_OK)
		goto fail;
	return finish(db, by, kind, "update", id, detail(kind, v, active));
fail:
	db_rollback(db);
	return rc;
}
