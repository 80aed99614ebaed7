/* field_settings.c — see field_settings.h. */
#include "domain/field_settings.h"
#include "core/arena.h"
#include "core/money.h"
#include "db/db.h"
#include "domain/admin_audit.h"

#include <jansson.h>

#define SET_COLS(X) \
	X(FS, signature, "coalesce((SELECT value FROM settings" \
	    " WHERE key = 'field_signature_required'), 'true') = 'true'") \
	X(FS, labour, "coalesce((SELECT value FROM settings WHERE key = 'field_labour_rate'), '0')") \
	X(FS, travel, "coalesce((SELECT value FROM settings WHERE key = 'field_travel_rate'), '0')")
enum { DB_COL_ENUM(SET_COLS) };

enum stmt {
	ST_LOAD,
	ST_SAVE,
	ST__MAX
};

static struct db_stmt stmts[] = {
	[ST_LOAD] = DB_STMT("field_settings_load", "SELECT " DB_COLS(SET_COLS), 0),
	/* The rows are there from 041 and 042: the console may change settings, not add them. */
	[ST_SAVE] = DB_STMT("field_settings_save",
	    "UPDATE settings SET value = CASE key WHEN 'field_signature_required' THEN $1"
	    " WHEN 'field_labour_rate' THEN $2 ELSE $3 END, updated_at = now()"
	    " WHERE key IN ('field_signature_required', 'field_labour_rate', 'field_travel_rate')",
	    3),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

enum cs_result
field_settings_load(struct db *db, struct arena *a, struct field_settings *s)
{
	PGresult *r = db_exec(db, &stmts[ST_LOAD], NULL);
	int failed = 0;

	if (r == NULL)
		return db_result(db);
	s->signature_required = db_bool(r, 0, FS_signature);
	s->labour_rate = db_str(a, r, 0, FS_labour, &failed);
	s->travel_rate = db_str(a, r, 0, FS_travel, &failed);
	PQclear(r);
	return failed ? CS_FAILED : CS_OK;
}

enum cs_result
field_settings_save(struct db *db, const struct audit_entry *by,
    const struct field_settings *s, const char **why, const char **field)
{
	const char *p[] = { s->signature_required ? "true" : "false", s->labour_rate,
		s->travel_rate };
	enum cs_result rc;

	*why = NULL;
	*field = NULL;
	if (!money_ok(s->labour_rate, FIELD_RATE_MAX)) {
		*field = "labour_rate";
		*why = "Enter an hourly rate such as 90 or 90.00, at most 100,000.";
		return CS_REFUSED;
	}
	if (!money_ok(s->travel_rate, FIELD_RATE_MAX)) {
		*field = "travel_rate";
		*why = "Enter an hourly rate such as 45 or 45.00, at most 100,000.";
		return CS_REFUSED;
	}
	if (db_begin(db) < 0)
		return db_result(db);
	rc = db_do(db, &stmts[ST_SAVE], p);
	if (rc == CS_OK)
		rc = admin_audit(db, by, "field.settings", "settings", 0, json_pack("{s:b, s:s, s:s}",
		    "signature_required", s->signature_required, "labour_rate", s->labour_rate,
		    "travel_rate", s->travel_rate));
	return db_end(db, rc);
}
