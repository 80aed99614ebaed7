/* ops_settings.c — see ops_settings.h. */
#include "domain/ops_settings.h"
#include "core/arena.h"
#include "core/config.h"
#include "db/db.h"
#include "domain/admin_audit.h"
#include "domain/audit.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

enum stmt {
	ST_LOAD,
	ST_ZONE,
	ST_SAVE,
	ST__MAX
};

static struct db_stmt stmts[] = {
	[ST_LOAD] = DB_STMT("ops_settings_load",
	    "SELECT (SELECT value FROM settings WHERE key = 'auto_close_days'),"
	    " (SELECT value FROM settings WHERE key = 'metrics_time_zone')", 0),
	[ST_ZONE] = DB_STMT("ops_settings_zone",
	    "SELECT EXISTS (SELECT 1 FROM pg_timezone_names WHERE name = $1)", 1),
	/* The rows come with migration 010; the console's role may only update them. */
	[ST_SAVE] = DB_STMT("ops_settings_save",
	    "UPDATE settings SET value = $2, updated_at = now()"
	    " WHERE key = $1 AND value IS DISTINCT FROM $2 RETURNING 1", 2),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

int
ops_settings_load(struct db *db, struct arena *a, struct ops_settings *s)
{
	PGresult *r;
	long long days;
	int failed = 0;

	s->auto_close_days = OPS_AUTO_CLOSE_DAYS_DEFAULT;
	s->time_zone = OPS_ZONE_DEFAULT;
	if ((r = db_exec(db, &stmts[ST_LOAD], NULL)) == NULL)
		return -1;
	if (PQntuples(r) == 1) {
		if (!PQgetisnull(r, 0, 0) && config_parse_long(PQgetvalue(r, 0, 0),
		    OPS_AUTO_CLOSE_DAYS_MIN, OPS_AUTO_CLOSE_DAYS_MAX, &days) == 0)
			s->auto_close_days = (int)days;
		if (!PQgetisnull(r, 0, 1) && PQgetvalue(r, 0, 1)[0] != '\0' &&
		    strlen(PQgetvalue(r, 0, 1)) <= OPS_ZONE_MAX)
			s->time_zone = db_str(a, r, 0, 1, &failed);
	}
	PQclear(r);
	if (failed)
		return -1;
	return 0;
}

int
ops_settings_zone_known(struct db *db, const char *zone)
{
	const char *p[] = { zone };
	PGresult *r;
	int known;

	if (zone == NULL || zone[0] == '\0' || strlen(zone) > OPS_ZONE_MAX)
		return 0;
	if ((r = db_exec(db, &stmts[ST_ZONE], p)) == NULL)
		return -1;
	known = PQntuples(r) == 1 && db_bool(r, 0, 0);
	PQclear(r);
	return known;
}

/* Stores one value; audits it when it changed. 0 or -1. */
static int
save_one(struct db *db, const struct audit_entry *by, const char *key, const char *value)
{
	const char *p[] = { key, value };
	char action[64];
	PGresult *r = db_exec(db, &stmts[ST_SAVE], p);
	int changed;

	if (r == NULL)
		return -1;
	changed = PQntuples(r) > 0;
	PQclear(r);
	snprintf(action, sizeof(action), "setting.%s", key);
	if (changed && admin_audit(db, by, action, "setting", 0,
	    json_pack("{s:s, s:s}", "key", key, "value", value)) < 0)
		return -1;
	return 0;
}

int
ops_settings_save(struct db *db, const struct audit_entry *by, const struct ops_settings *s)
{
	char days[16];

	snprintf(days, sizeof(days), "%d", s->auto_close_days);
	if (db_begin(db) < 0)
		return -1;
	if (save_one(db, by, "auto_close_days", days) < 0 ||
	    save_one(db, by, "metrics_time_zone", s->time_zone) < 0) {
		db_rollback(db);
		return -1;
	}
	return db_commit(db) < 0 ? -1 : 0;
}
