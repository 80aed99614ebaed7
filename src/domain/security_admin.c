/* security_admin.c — see security_admin.h. */
#include "domain/security_admin.h"
#include "auth/throttle.h"
#include "core/arena.h"
#include "core/config.h"
#include "db/db.h"
#include "domain/admin_audit.h"
#include "domain/ops_settings.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

const char *const security_setting_keys[SECURITY_SETTING__MAX] = {
	[SECURITY_REQUIRE_ADMIN_TOTP] = "require_admin_totp",
	[SECURITY_PUBLIC_REGISTRATION] = "public_registration",
};

/*
 * The rule of throttle.c, over every account and address at once:
 * failures of the last 15 minutes (for an account, only those since its
 * last success); from $1 (account: THROTTLE_PAIR_FREE, the point from
 * which unknown clients guessing it are slowed; its known devices are
 * not) or $2 (address) failures on, locked
 * until the last failure + 30 s × 2^(failures − threshold), at most 15
 * minutes. The exponent is capped so the interval cannot overflow; the
 * cap is far above where the 15 minutes take over.
 */
#define LOCKOUT_COLS(X) \
	X(L, address, "address") X(L, area, "area") X(L, who, "who") X(L, failures, "n") \
	X(L, last, "to_char(last AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')") \
	X(L, until, "to_char(until AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')") \
	X(L, left, "ceil(extract(epoch FROM until - now()))::bigint")
enum { DB_COL_ENUM(LOCKOUT_COLS) };

#define SET_COLS(X) X(SET, key, "key") X(SET, value, "value")
enum { DB_COL_ENUM(SET_COLS) };

enum stmt {
	STMT_LOCKOUTS,
	STMT_SETTINGS,
	STMT_SETTING_SAVE,
	STMT_SETTING,
	STMT__MAX
};

static struct db_stmt stmts[] = {
	[STMT_LOCKOUTS] = DB_STMT("security_admin_lockouts",
	    "WITH acc AS ("
	    "  SELECT f.area, f.who, count(*) AS n, max(f.at) AS last FROM login_attempts f"
	    "  WHERE NOT f.success AND f.at > now() - interval '15 minutes'"
	    "   AND f.at > coalesce((SELECT max(s.at) FROM login_attempts s"
	    "    WHERE s.area = f.area AND s.who = f.who AND s.success), '-infinity')"
	    "  GROUP BY f.area, f.who HAVING count(*) >= $1::integer),"
	    " addr AS ("
	    "  SELECT area, host(ip) AS who, count(*) AS n, max(at) AS last FROM login_attempts"
	    "  WHERE NOT success AND ip IS NOT NULL AND at > now() - interval '15 minutes'"
	    "  GROUP BY area, ip HAVING count(*) >= $2::integer),"
	    " locks AS ("
	    "  SELECT false AS address, area, who, n, last, last + least(interval '30 seconds'"
	    "   * power(2, least(n - $1::integer, 20)), interval '15 minutes') AS until FROM acc"
	    "  UNION ALL"
	    "  SELECT true, area, who, n, last, last + least(interval '30 seconds'"
	    "   * power(2, least(n - $2::integer, 20)), interval '15 minutes') FROM addr)"
	    " SELECT " DB_COLS(LOCKOUT_COLS) " FROM locks WHERE until > now()"
	    " ORDER BY until DESC, who LIMIT $3::integer", 3),
	[STMT_SETTINGS] = DB_STMT("security_admin_settings",
	    "SELECT " DB_COLS(SET_COLS) " FROM settings"
	    " WHERE key = ANY (string_to_array($1, ','))", 1),
	[STMT_SETTING_SAVE] = DB_STMT("security_admin_setting_save",
	    "UPDATE settings SET value = $2, updated_at = now()"
	    " WHERE key = $1 AND value IS DISTINCT FROM $2", 2),
	[STMT_SETTING] = DB_STMT("security_setting",
	    "SELECT " DB_COLS(SET_COLS) " FROM settings WHERE key = $1", 1),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == STMT__MAX, "one statement per enum stmt");


static enum cs_result
fill_lockout(struct arena *a, const PGresult *res, int i, void *elem)
{
	struct security_lockout *l = elem;
	int failed = 0;

	l->address = db_bool(res, i, L_address);
	l->area = db_str(a, res, i, L_area, &failed);
	l->who = db_str(a, res, i, L_who, &failed);
	l->failures = db_ll(res, i, L_failures);
	l->last_failure = db_str(a, res, i, L_last, &failed);
	l->locked_until = db_str(a, res, i, L_until, &failed);
	l->seconds_left = db_ll(res, i, L_left);
	return failed ? CS_FAILED : CS_OK;
}

enum cs_result
security_admin_lockouts(struct db *db, struct arena *a, struct security_lockout **rows,
    size_t *n)
{
	char acc[16], addr[16], limit[16];
	const char *p[] = { acc, addr, limit };
	enum cs_result rc;
	void *arr;

	snprintf(acc, sizeof(acc), "%d", THROTTLE_PAIR_FREE);
	snprintf(addr, sizeof(addr), "%d", THROTTLE_ADDRESS_FREE);
	snprintf(limit, sizeof(limit), "%d", SECURITY_ADMIN_LOCKOUTS_MAX);
	rc = db_rows(db, a, &stmts[STMT_LOCKOUTS], p, sizeof(**rows), fill_lockout, &arr, n);
	*rows = arr;
	return rc;
}

enum cs_result
security_admin_settings(struct db *db, int on[SECURITY_SETTING__MAX])
{
	char keys[256];
	const char *p[] = { keys };
	PGresult *res;
	size_t len = 0;
	int i, k;

	for (k = 0; k < SECURITY_SETTING__MAX; k++) {
		on[k] = 0;
		len += (size_t)snprintf(keys + len, sizeof(keys) - len, "%s%s", k ? "," : "",
		    security_setting_keys[k]);
	}
	res = db_exec(db, &stmts[STMT_SETTINGS], p);
	if (res == NULL)
		return db_result(db);
	for (i = 0; i < PQntuples(res); i++)
		for (k = 0; k < SECURITY_SETTING__MAX; k++)
			if (strcmp(PQgetvalue(res, i, SET_key), security_setting_keys[k]) == 0)
				on[k] = strcmp(PQgetvalue(res, i, SET_value), "true") == 0;
	PQclear(res);
	return CS_OK;
}

int
security_setting(struct db *db, enum security_setting s, int fallback)
{
	const char *p[1];
	PGresult *res;
	int on = fallback;

	if (s >= SECURITY_SETTING__MAX)
		return fallback;
	p[0] = security_setting_keys[s];
	res = db_exec(db, &stmts[STMT_SETTING], p);
	if (res == NULL)
		return fallback;
	if (PQntuples(res) == 1)
		on = strcmp(PQgetvalue(res, 0, SET_value), "true") == 0;
	PQclear(res);
	return on;
}

enum cs_result
security_admin_settings_save(struct db *db, const struct audit_entry *by,
    const int on[SECURITY_SETTING__MAX])
{
	enum cs_result rc = CS_OK;
	int k;

	if (db_begin(db) < 0)
		return db_result(db);
	for (k = 0; rc == CS_OK && k < SECURITY_SETTING__MAX; k++) {
		const char *p[] = { security_setting_keys[k], on[k] ? "true" : "false" };
		char action[96];

		rc = db_update_one(db, &stmts[STMT_SETTING_SAVE], p);
		snprintf(action, sizeof(action), "setting.%s", security_setting_keys[k]);
		if (rc == CS_OK)
			rc = admin_audit(db, by, action, "setting", 0, json_pack("{s:s, s:b}", "key",
			    security_setting_keys[k], "value", on[k]));
		else if (rc == CS_NOT_FOUND)
			rc = CS_OK;	/* the same value: nothing to audit */
	}
	return db_end(db, rc);
}

enum cs_result
security_admin_settings_save_all(struct db *db, const struct audit_entry *by,
    const int on[SECURITY_SETTING__MAX], const struct ops_settings *ops, const char **field,
    const char **why)
{
	enum cs_result rc;

	*field = *why = NULL;
	if (db_begin(db) < 0)
		return db_result(db);
	rc = security_admin_settings_save(db, by, on);
	if (rc == CS_OK)
		rc = ops_settings_save(db, by, ops, field, why);
	return db_end(db, rc);
}
