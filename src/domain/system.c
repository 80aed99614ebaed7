/* system.c — see system.h. */
#include "domain/system.h"
#include "core/arena.h"
#include "core/config.h"
#include "core/utf8.h"
#include "db/db.h"

#define STATUS_COLS(X) \
	X(ST, version, "current_setting('server_version')") X(ST, name, "current_database()") \
	X(ST, count, "(SELECT count(*) FROM schema_migrations)") \
	X(ST, last, "coalesce((SELECT max(version) FROM schema_migrations), '')")
enum { DB_COL_ENUM(STATUS_COLS) };

#define ZONE_COLS(X) X(ZONE, known, "EXISTS (SELECT 1 FROM pg_timezone_names WHERE name = $1)")
enum { DB_COL_ENUM(ZONE_COLS) };

enum stmt { ST_STATUS, ST_ZONE, ST__MAX };

static struct db_stmt stmts[] = {
	[ST_STATUS] = DB_STMT("system_status", "SELECT " DB_COLS(STATUS_COLS), 0),
	[ST_ZONE] = DB_STMT("system_zone", "SELECT " DB_COLS(ZONE_COLS), 1),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

enum cs_result
system_status_read(struct db *db, struct arena *a, struct system_status *st)
{
	PGresult *res = db_exec(db, &stmts[ST_STATUS], NULL);
	enum cs_result rc = CS_FAILED;
	int failed = 0;

	if (res == NULL)
		return db_result(db);
	if (PQntuples(res) != 1)
		goto out;
	st->db_version = arena_printf(a, "PostgreSQL %s", PQgetvalue(res, 0, ST_version));
	st->db_name = db_str(a, res, 0, ST_name, &failed);
	st->last_migration = db_str(a, res, 0, ST_last, &failed);
	st->migrations = db_ll(res, 0, ST_count);
	if (!failed && st->db_version != NULL)
		rc = CS_OK;
out:
	PQclear(res);
	return rc;
}

enum cs_result
system_zone_known(struct db *db, const char *zone)
{
	const char *p[] = { zone };
	enum cs_result rc;
	PGresult *r;

	if (zone == NULL || zone[0] == '\0' || utf8_chars(zone) > SYSTEM_ZONE_MAX)
		return CS_NOT_FOUND;
	if ((r = db_exec(db, &stmts[ST_ZONE], p)) == NULL)
		return db_result(db);
	rc = PQntuples(r) == 1 && db_bool(r, 0, ZONE_known) ? CS_OK : CS_NOT_FOUND;
	PQclear(r);
	return rc;
}
