/* system.c — see system.h. */
#include "domain/system.h"
#include "core/arena.h"
#include "core/config.h"
#include "db/db.h"

static struct db_stmt st_status = DB_STMT("system_status",
    "SELECT current_setting('server_version'), current_database(),"
    " (SELECT count(*) FROM schema_migrations),"
    " coalesce((SELECT max(version) FROM schema_migrations), '')", 0);

int
system_status_read(struct db *db, struct arena *a, struct system_status *st)
{
	PGresult *res = db_exec(db, &st_status, NULL);
	int rc = -1;

	if (res == NULL)
		return -1;
	if (PQntuples(res) != 1)
		goto out;
	st->db_version = arena_printf(a, "PostgreSQL %s", PQgetvalue(res, 0, 0));
	st->db_name = arena_strdup(a, PQgetvalue(res, 0, 1));
	st->last_migration = arena_strdup(a, PQgetvalue(res, 0, 3));
	if (config_parse_long(PQgetvalue(res, 0, 2), 0, 1LL << 40, &st->migrations) < 0 ||
	    !st->db_version || !st->db_name || !st->last_migration)
		goto out;
	rc = 0;
out:
	PQclear(res);
	return rc;
}
