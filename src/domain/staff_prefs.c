/* staff_prefs.c — see staff_prefs.h. */
#include "domain/staff_prefs.h"
#include "domain/ticket_rules.h"
#include "core/arena.h"
#include "core/utf8.h"
#include "db/db.h"

#include <stdio.h>
#include <string.h>

const char *const staff_pref_themes[] = { "system", "light", "dark", NULL };
const char *const staff_pref_afters[] = { "stay", "next", NULL };

#define PREF_COLS(X) \
	X(P, theme, "coalesce(p.theme, 'system')") \
	X(P, shortcuts, "coalesce(p.shortcuts, true)") \
	X(P, after, "coalesce(p.after_action, 'stay')") X(P, zone, "s.time_zone") \
	X(P, language, "coalesce(p.language, 'en')") \
	X(P, mail_assigned, "coalesce(p.mail_assigned, true)") \
	X(P, mail_replied, "coalesce(p.mail_replied, true)") \
	X(P, mail_at_risk, "coalesce(p.mail_at_risk, false)")
enum { DB_COL_ENUM(PREF_COLS) };
#define ZONE_COLS(X) X(Z, known, "EXISTS (SELECT 1 FROM pg_timezone_names WHERE name = $1)")
enum { DB_COL_ENUM(ZONE_COLS) };

enum stmt { STMT_GET, STMT_ZONE, STMT_UPSERT, STMT_SET_ZONE, STMT__MAX };

static struct db_stmt stmts[] = {
	[STMT_GET] = DB_STMT("staff_prefs_get",
	    "SELECT " DB_COLS(PREF_COLS) " FROM staff s"
	    " LEFT JOIN staff_prefs p ON p.staff_id = s.id WHERE s.id = $1::bigint", 1),
	[STMT_ZONE] = DB_STMT("staff_prefs_zone", "SELECT " DB_COLS(ZONE_COLS), 1),
	[STMT_UPSERT] = DB_STMT("staff_prefs_upsert",
	    "INSERT INTO staff_prefs (staff_id, theme, shortcuts, after_action, language,"
	    " mail_assigned, mail_replied, mail_at_risk)"
	    " VALUES ($1::bigint, $2, $3::boolean, $4, $5, $6::boolean, $7::boolean, $8::boolean)"
	    " ON CONFLICT (staff_id) DO UPDATE SET theme = excluded.theme,"
	    " shortcuts = excluded.shortcuts, after_action = excluded.after_action,"
	    " language = excluded.language, mail_assigned = excluded.mail_assigned,"
	    " mail_replied = excluded.mail_replied, mail_at_risk = excluded.mail_at_risk,"
	    " updated_at = now()", 8),
	[STMT_SET_ZONE] = DB_STMT("staff_prefs_set_zone",
	    "UPDATE staff SET time_zone = $2 WHERE id = $1::bigint", 2),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == STMT__MAX, "one statement per enum stmt");

void
staff_prefs_default(struct staff_prefs *p)
{
	p->theme = "system";
	p->shortcuts = 1;
	p->after_action = "stay";
	p->time_zone = "UTC";
	p->language = "en";
	p->mail_assigned = 1;
	p->mail_replied = 1;
	p->mail_at_risk = 0;
}

static enum cs_result
fill(struct arena *a, const PGresult *r, int row, void *elem)
{
	struct staff_prefs *p = elem;
	int failed = 0;

	p->theme = db_str(a, r, row, P_theme, &failed);
	p->shortcuts = db_bool(r, row, P_shortcuts);
	p->after_action = db_str(a, r, row, P_after, &failed);
	p->time_zone = db_str(a, r, row, P_zone, &failed);
	p->language = db_str(a, r, row, P_language, &failed);
	p->mail_assigned = db_bool(r, row, P_mail_assigned);
	p->mail_replied = db_bool(r, row, P_mail_replied);
	p->mail_at_risk = db_bool(r, row, P_mail_at_risk);
	return failed ? CS_FAILED : CS_OK;
}

enum cs_result
staff_prefs_get(struct db *db, struct arena *a, long long staff_id, struct staff_prefs *p)
{
	const char *params[] = { db_param_ll(a, staff_id) };

	staff_prefs_default(p);
	if (params[0] == NULL)
		return CS_FAILED;
	return db_one(db, a, &stmts[STMT_GET], params, fill, p);
}

static enum cs_result
zone_known(struct db *db, const char *zone, int *known)
{
	const char *p[] = { zone };
	PGresult *r = db_exec(db, &stmts[STMT_ZONE], p);

	*known = 0;
	if (r == NULL)
		return db_result(db);
	*known = PQntuples(r) == 1 && db_bool(r, 0, Z_known);
	PQclear(r);
	return CS_OK;
}

enum cs_result
staff_prefs_save(struct db *db, long long staff_id, const struct staff_prefs *p,
    const char *const *languages, const char **why, const char **field)
{
	char sid[24];
	const char *up[] = { sid, p->theme, p->shortcuts ? "t" : "f", p->after_action,
		p->language, p->mail_assigned ? "t" : "f", p->mail_replied ? "t" : "f",
		p->mail_at_risk ? "t" : "f" };
	const char *zp[] = { sid, p->time_zone };
	enum cs_result rc;
	int known;

	*why = NULL;
	*field = NULL;
	if (!ticket_word_valid(staff_pref_themes, p->theme)) {
		*field = "theme", *why = "Choose system, light or dark.";
		return CS_REFUSED;
	}
	if (!ticket_word_valid(staff_pref_afters, p->after_action)) {
		*field = "after_action", *why = "Choose what happens after an action.";
		return CS_REFUSED;
	}
	if (p->language == NULL || !ticket_word_valid(languages, p->language)) {
		*field = "language", *why = "Choose one of the languages offered.";
		return CS_REFUSED;
	}
	if (p->time_zone == NULL || *p->time_zone == '\0' ||
	    utf8_chars(p->time_zone) > STAFF_PREF_ZONE_MAX) {
		*field = "time_zone", *why = "Give a time zone name such as UTC or Europe/Paris.";
		return CS_REFUSED;
	}
	if ((rc = zone_known(db, p->time_zone, &known)) != CS_OK)
		return rc;
	if (!known) {
		*field = "time_zone";
		*why = "That time zone is not known: use a name such as Europe/Paris.";
		return CS_REFUSED;
	}
	snprintf(sid, sizeof(sid), "%lld", staff_id);
	if (db_begin(db) < 0)
		return db_result(db);
	rc = db_do(db, &stmts[STMT_UPSERT], up);
	if (rc == CS_OK)
		rc = db_update_one(db, &stmts[STMT_SET_ZONE], zp);
	return db_end(db, rc);
}
