/* staff_groups.c — see staff_groups.h. */
#include "domain/staff_groups.h"
#include "core/utf8.h"
#include "db/db.h"
#include "domain/admin_audit.h"

#include <jansson.h>
#include <stdio.h>

#define STR_(x) #x
#define STR(x) STR_(x)

#define G_COLS(X) X(G, id, "g.id") X(G, name, "g.name") X(G, members, "g.members")
enum { DB_COL_ENUM(G_COLS) };

#define ADD_COLS(X) X(ADD, id, "id")
enum { DB_COL_ENUM(ADD_COLS) };

enum stmt { ST_LIST, ST_ADD, ST_RENAME, ST__MAX };

/* The same three statements over two tables. */
static struct db_stmt stmts[STAFF_GROUP__MAX][ST__MAX] = {
	[STAFF_TEAMS] = {
		[ST_LIST] = DB_STMT("staff_group_team_list",
		    "SELECT " DB_COLS(G_COLS) " FROM (SELECT t.id, t.name,"
		    " (SELECT count(*) FROM staff s WHERE s.team_id = t.id AND s.active) AS members"
		    " FROM teams t) g ORDER BY lower(g.name), g.id", 0),
		[ST_ADD] = DB_STMT("staff_group_team_add",
		    "INSERT INTO teams (name) VALUES ($1) RETURNING " DB_COLS(ADD_COLS), 1),
		[ST_RENAME] = DB_STMT("staff_group_team_rename",
		    "UPDATE teams SET name = $2 WHERE id = $1::bigint", 2),
	},
	[STAFF_SKILLS] = {
		[ST_LIST] = DB_STMT("staff_group_skill_list",
		    "SELECT " DB_COLS(G_COLS) " FROM (SELECT k.id, k.name,"
		    " (SELECT count(*) FROM staff_skills x JOIN staff s ON s.id = x.staff_id"
		    " WHERE x.skill_id = k.id AND s.active) AS members"
		    " FROM skills k) g ORDER BY lower(g.name), g.id", 0),
		[ST_ADD] = DB_STMT("staff_group_skill_add",
		    "INSERT INTO skills (name) VALUES ($1) RETURNING " DB_COLS(ADD_COLS), 1),
		[ST_RENAME] = DB_STMT("staff_group_skill_rename",
		    "UPDATE skills SET name = $2 WHERE id = $1::bigint", 2),
	},
};

/* What the audit log calls each kind, and its add and rename. */
static const struct {
	const char *object, *add, *rename;
} audit_names[STAFF_GROUP__MAX] = {
	[STAFF_TEAMS] = { "team", "team.create", "team.rename" },
	[STAFF_SKILLS] = { "skill", "skill.create", "skill.rename" },
};

static enum cs_result
fill_group(struct arena *a, const PGresult *res, int i, void *elem)
{
	struct staff_group *g = elem;
	int failed = 0;

	g->id = db_ll(res, i, G_id);
	g->name = db_str(a, res, i, G_name, &failed);
	g->members = db_ll(res, i, G_members);
	return failed ? CS_FAILED : CS_OK;
}

enum cs_result
staff_group_list(struct db *db, struct arena *a, enum staff_group_kind kind,
    struct staff_group **rows, size_t *n)
{
	void *arr = NULL;
	enum cs_result rc = CS_FAILED;

	*n = 0;
	if (kind < STAFF_GROUP__MAX)
		rc = db_rows(db, a, &stmts[kind][ST_LIST], NULL, sizeof(**rows), fill_group, &arr, n);
	*rows = arr;
	return rc;
}

/* The one limit of a name: NULL, or why not. */
static const char *
check_name(const char *name)
{
	size_t len = name ? utf8_chars(name) : 0;

	if (len < 1 || len > STAFF_GROUP_NAME_MAX)
		return "Name must be 1 to " STR(STAFF_GROUP_NAME_MAX) " characters long.";
	return NULL;
}

enum cs_result
staff_group_add(struct db *db, const struct audit_entry *by, enum staff_group_kind kind,
    const char *name, long long *id, const char **why)
{
	const char *p[] = { name };
	enum cs_result rc;

	*id = 0;
	if (kind >= STAFF_GROUP__MAX)
		return CS_FAILED;
	if ((*why = check_name(name)) != NULL)
		return CS_REFUSED;
	if (db_begin(db) < 0)
		return db_result(db);
	rc = db_id(db, &stmts[kind][ST_ADD], p, ADD_id, id);
	if (rc != CS_OK) {
		db_rollback(db);
		return rc == CS_NOT_FOUND ? CS_FAILED : rc;
	}
	return admin_audit_commit(db, by, audit_names[kind].add, audit_names[kind].object, *id,
	    json_pack("{s:s}", "name", name));
}

enum cs_result
staff_group_rename(struct db *db, const struct audit_entry *by, enum staff_group_kind kind,
    long long id, const char *name, const char **why)
{
	char idbuf[24];
	const char *p[] = { idbuf, name };
	enum cs_result rc;

	if (kind >= STAFF_GROUP__MAX)
		return CS_FAILED;
	if ((*why = check_name(name)) != NULL)
		return CS_REFUSED;
	snprintf(idbuf, sizeof(idbuf), "%lld", id);
	if (db_begin(db) < 0)
		return db_result(db);
	rc = db_update_one(db, &stmts[kind][ST_RENAME], p);
	if (rc != CS_OK) {
		db_rollback(db);
		return rc;
	}
	return admin_audit_commit(db, by, audit_names[kind].rename, audit_names[kind].object, id,
	    json_pack("{s:s}", "name", name));
}
