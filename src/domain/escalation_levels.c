/* escalation_levels.c — see escalation_levels.h. */
#include "domain/escalation_levels.h"
#include "core/arena.h"
#include "core/utf8.h"
#include "db/db.h"
#include "domain/admin_audit.h"
#include "domain/audit.h"

#include <jansson.h>
#include <strings.h>

static struct db_stmt st_get = DB_STMT("escalation_levels_get",
    "SELECT level, name FROM escalation_levels ORDER BY level", 0);
static struct db_stmt st_save = DB_STMT("escalation_levels_save",
    "UPDATE escalation_levels l SET name = v.name FROM (SELECT ordinality::smallint AS level,"
    " name FROM unnest(ARRAY[$1, $2, $3, $4, $5]::text[]) WITH ORDINALITY AS u (name)) v"
    " WHERE l.level = v.level", 5);

/* The field of level i (0-based). */
static const char *const fields[ESCALATION_LEVELS] = { "name_1", "name_2", "name_3", "name_4",
	"name_5" };

enum cs_result
escalation_levels_get(struct db *db, struct arena *a, const char *names[ESCALATION_LEVELS])
{
	PGresult *r = db_exec(db, &st_get, NULL);
	int i, failed = 0;

	for (i = 0; i < ESCALATION_LEVELS; i++)
		names[i] = "";
	if (r == NULL)
		return db_result(db);
	for (i = 0; i < PQntuples(r); i++) {
		long long level = db_ll(r, i, 0);

		if (level >= 1 && level <= ESCALATION_LEVELS)
			names[level - 1] = db_str(a, r, i, 1, &failed);
	}
	PQclear(r);
	return failed ? CS_FAILED : CS_OK;
}

enum cs_result
escalation_levels_save(struct db *db, struct arena *a, const struct audit_entry *by,
    const char *const names[ESCALATION_LEVELS], struct sla_why *why)
{
	json_t *detail;
	size_t n;
	int i, j;

	(void)a;
	for (i = 0; i < ESCALATION_LEVELS; i++) {
		n = names[i] != NULL ? utf8_chars(names[i]) : 0;
		if (n == 0)
			sla_why_add(why, fields[i], "Name the level.");
		else if (n > ESCALATION_LEVEL_NAME_MAX)
			sla_why_add(why, fields[i], "A level's name is at most "
			    SLA_STR(ESCALATION_LEVEL_NAME_MAX) " characters long.");
		for (j = 0; j < i && n > 0; j++)
			if (names[j] != NULL && strcasecmp(names[i], names[j]) == 0)
				sla_why_add(why, fields[i], "Another level has this name.");
	}
	if (why->n > 0)
		return CS_REFUSED;
	if (db_begin(db) < 0)
		return db_result(db);
	if (db_run(db, &st_save, names) < 0)
		return db_end(db, db_result(db));
	detail = json_pack("{s:[s,s,s,s,s]}", "names", names[0], names[1], names[2], names[3],
	    names[4]);
	return admin_audit_commit(db, by, "escalation_levels.update", "escalation_levels", 0,
	    detail);
}
