/*
 * warranty_settings.c — the amounts admins set for the warranty: claims
 * the batch approves without a review, and how early a contract's renewal
 * reminder goes; see warranty.h.
 */
#include "domain/warranty.h"
#include "domain/warranty_int.h"
#include "core/arena.h"
#include "core/money.h"
#include "db/db.h"
#include "domain/admin_audit.h"
#include "domain/audit.h"
#include "domain/warranty_claims.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SET_COLS(X) \
	X(WS, max, "coalesce((SELECT value FROM settings WHERE key = 'warranty_auto_approve_max')," \
	    " '0')") \
	X(WS, days, "coalesce((SELECT value FROM settings" \
	    " WHERE key = 'warranty_renewal_notice_days'), '30')")
enum { DB_COL_ENUM(SET_COLS) };

enum stmt {
	ST_LOAD,
	ST_SAVE,
	ST__MAX
};

static struct db_stmt stmts[] = {
	[ST_LOAD] = DB_STMT("warranty_settings_load", "SELECT " DB_COLS(SET_COLS), 0),
	/* The rows are there from 034; the console may change settings, not add them. */
	[ST_SAVE] = DB_STMT("warranty_settings_save",
	    "UPDATE settings SET value = CASE key WHEN 'warranty_auto_approve_max' THEN $1"
	    " ELSE $2 END, updated_at = now()"
	    " WHERE key IN ('warranty_auto_approve_max', 'warranty_renewal_notice_days')", 2),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

enum cs_result
warranty_settings_load(struct db *db, struct arena *a, struct warranty_settings *s)
{
	PGresult *r = db_exec(db, &stmts[ST_LOAD], NULL);
	long days;
	int failed = 0;

	if (r == NULL)
		return db_result(db);
	s->auto_approve_max = db_str(a, r, 0, WS_max, &failed);
	days = strtol(PQgetvalue(r, 0, WS_days), NULL, 10);
	s->renewal_notice_days = days >= 1 && days <= WARRANTY_NOTICE_DAYS_MAX ? (int)days : 30;
	PQclear(r);
	return failed ? CS_FAILED : CS_OK;
}

enum cs_result
warranty_settings_save(struct db *db, struct arena *a, const struct audit_entry *by,
    const struct warranty_settings *s, const char **why, const char **field)
{
	const char *p[] = { s->auto_approve_max, db_param_ll(a, s->renewal_notice_days) };
	enum cs_result rc;

	*why = NULL;
	*field = NULL;
	if (!money_ok(s->auto_approve_max, WARRANTY_COST_MAX)) {
		*field = "auto_approve_max";
		*why = "Enter an amount such as 150 or 150.00, at most 1,000,000.";
		return CS_REFUSED;
	}
	if (s->renewal_notice_days < 1 || s->renewal_notice_days > WARRANTY_NOTICE_DAYS_MAX) {
		*field = "renewal_notice_days";
		*why = "A whole number of days from 1 to 365.";
		return CS_REFUSED;
	}
	if (db_begin(db) < 0)
		return db_result(db);
	rc = db_do(db, &stmts[ST_SAVE], p);
	if (rc == CS_OK)
		rc = admin_audit(db, by, "warranty.settings", "settings", 0, json_pack("{s:s, s:i}",
		    "auto_approve_max", s->auto_approve_max, "renewal_notice_days",
		    s->renewal_notice_days));
	return db_end(db, rc);
}
