/* ops_settings.c — see ops_settings.h. */
#include "domain/ops_settings.h"
#include "core/arena.h"
#include "core/config.h"
#include "core/utf8.h"
#include "db/db.h"
#include "domain/admin_audit.h"
#include "domain/audit.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#define STR_(x) #x
#define STR(x) STR_(x)

#define LOAD_COLS(X) \
	X(LD, days, "(SELECT value FROM settings WHERE key = 'auto_close_days')") \
	X(LD, zone, "(SELECT value FROM settings WHERE key = 'metrics_time_zone')") \
	X(LD, files, "(SELECT value FROM settings WHERE key = 'customer_files_per_day')") \
	X(LD, mb, "(SELECT value FROM settings WHERE key = 'customer_file_mb_per_day')")
enum { DB_COL_ENUM(LOAD_COLS) };

enum stmt {
	ST_LOAD,
	ST_SAVE,
	ST__MAX
};

static struct db_stmt stmts[] = {
	[ST_LOAD] = DB_STMT("ops_settings_load", "SELECT " DB_COLS(LOAD_COLS), 0),
	/* The rows come with migrations 010 and 028; the console's role may only update them. */
	[ST_SAVE] = DB_STMT("ops_settings_save",
	    "UPDATE settings SET value = $2, updated_at = now()"
	    " WHERE key = $1 AND value IS DISTINCT FROM $2 RETURNING 1", 2),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

enum cs_result
ops_settings_load(struct db *db, struct arena *a, struct ops_settings *s)
{
	PGresult *r;
	long long days, files, mb;
	int failed = 0;

	s->auto_close_days = OPS_AUTO_CLOSE_DAYS_DEFAULT;
	s->time_zone = OPS_ZONE_DEFAULT;
	s->files_per_day = CUSTOMER_FILES_PER_DAY_DEFAULT;
	s->file_mb_per_day = CUSTOMER_FILE_MB_PER_DAY_DEFAULT;
	if ((r = db_exec(db, &stmts[ST_LOAD], NULL)) == NULL)
		return db_result(db);
	if (PQntuples(r) == 1) {
		if (!PQgetisnull(r, 0, LD_days) && config_parse_long(PQgetvalue(r, 0, LD_days),
		    OPS_AUTO_CLOSE_DAYS_MIN, OPS_AUTO_CLOSE_DAYS_MAX, &days) == 0)
			s->auto_close_days = (int)days;
		if (!PQgetisnull(r, 0, LD_zone) && PQgetvalue(r, 0, LD_zone)[0] != '\0' &&
		    utf8_chars(PQgetvalue(r, 0, LD_zone)) <= OPS_ZONE_MAX)
			s->time_zone = db_str(a, r, 0, LD_zone, &failed);
		if (!PQgetisnull(r, 0, LD_files) && config_parse_long(PQgetvalue(r, 0, LD_files),
		    0, CUSTOMER_FILES_PER_DAY_MAX, &files) == 0)
			s->files_per_day = (int)files;
		if (!PQgetisnull(r, 0, LD_mb) && config_parse_long(PQgetvalue(r, 0, LD_mb),
		    0, CUSTOMER_FILE_MB_PER_DAY_MAX, &mb) == 0)
			s->file_mb_per_day = (int)mb;
	}
	PQclear(r);
	return failed ? CS_FAILED : CS_OK;
}

/* Stores one value; audits it when it changed. CS_OK or the failure. */
static enum cs_result
save_one(struct db *db, const struct audit_entry *by, const char *key, const char *value)
{
	const char *p[] = { key, value };
	char action[64];
	enum cs_result rc = db_update_one(db, &stmts[ST_SAVE], p);

	if (rc != CS_OK)
		return rc == CS_NOT_FOUND ? CS_OK : rc;	/* the same value: nothing to audit */
	snprintf(action, sizeof(action), "setting.%s", key);
	return admin_audit(db, by, action, "setting", 0,
	    json_pack("{s:s, s:s}", "key", key, "value", value));
}

enum cs_result
ops_settings_save(struct db *db, const struct audit_entry *by, const struct ops_settings *s,
    const char **field, const char **why)
{
	char days[16], files[16], mb[16];
	enum cs_result rc;

	*why = NULL;
	if (s->auto_close_days < OPS_AUTO_CLOSE_DAYS_MIN ||
	    s->auto_close_days > OPS_AUTO_CLOSE_DAYS_MAX)
		*field = "auto_close_days", *why = "Close resolved tickets after " STR(OPS_AUTO_CLOSE_DAYS_MIN) " to "
		    STR(OPS_AUTO_CLOSE_DAYS_MAX) " days.";
	else if (s->time_zone == NULL || *s->time_zone == '\0' ||
	    utf8_chars(s->time_zone) > OPS_ZONE_MAX)
		*field = "metrics_time_zone", *why = "Give a time zone name such as UTC or Europe/Paris.";
	else if (s->files_per_day < 0 || s->files_per_day > CUSTOMER_FILES_PER_DAY_MAX)
		*field = "customer_files_per_day", *why = "Files a customer may send a day: from 0 to " STR(CUSTOMER_FILES_PER_DAY_MAX) ".";
	else if (s->file_mb_per_day < 0 || s->file_mb_per_day > CUSTOMER_FILE_MB_PER_DAY_MAX)
		*field = "customer_file_mb_per_day", *why = "Megabytes a customer may send a day: from 0 to "
		    STR(CUSTOMER_FILE_MB_PER_DAY_MAX) ".";
	if (*why != NULL)
		return CS_REFUSED;
	snprintf(days, sizeof(days), "%d", s->auto_close_days);
	snprintf(files, sizeof(files), "%d", s->files_per_day);
	snprintf(mb, sizeof(mb), "%d", s->file_mb_per_day);
	if (db_begin(db) < 0)
		return db_result(db);
	rc = save_one(db, by, "auto_close_days", days);
	if (rc == CS_OK)
		rc = save_one(db, by, "metrics_time_zone", s->time_zone);
	if (rc == CS_OK)
		rc = save_one(db, by, "customer_files_per_day", files);
	if (rc == CS_OK)
		rc = save_one(db, by, "customer_file_mb_per_day", mb);
	return db_end(db, rc);
}
