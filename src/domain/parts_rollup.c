/*
 * parts_rollup.c — keeping the field and parts reports' daily rollup: the
 * batch's run over the days due, and a replay of a range. The rollup's
 * definitions are in sql/functions/340_parts_rollup.sql. See parts_rollup.h.
 */
#include "domain/parts_rollup.h"
#include "db/db.h"
#include "domain/parts_int.h"

#include <stdio.h>
#include <string.h>

enum stmt {
	ST_RUN,
	ST_REPLAY,
	ST__MAX
};

static struct db_stmt stmts[] = {
	[ST_RUN] = DB_STMT("parts_rollup_run",
	    "SELECT count(*), coalesce(sum(field_rollup_day(d)), 0)"
	    " FROM field_rollup_due($1::integer) d", 1),
	/* Every day of the range that can be rolled up, whether held or not. */
	[ST_REPLAY] = DB_STMT("parts_rollup_replay",
	    "WITH m AS (INSERT INTO field_rollup_days (day)"
	    " SELECT g::date FROM generate_series($1::date, least($2::date, field_rollup_last()),"
	    " interval '1 day') g ON CONFLICT (day) DO UPDATE SET dirty = true RETURNING 1)"
	    " SELECT count(*) FROM m", 2),
};

enum cs_result
parts_rollup_run(struct db *db, int limit, long *days, long *rows)
{
	char n[16];
	const char *p[] = { n };
	PGresult *r;

	*days = *rows = 0;
	snprintf(n, sizeof(n), "%d", limit);
	if (db_begin(db) < 0)
		return db_result(db);
	if ((r = db_exec(db, &stmts[ST_RUN], p)) == NULL)
		return db_end(db, db_result(db));
	if (PQntuples(r) == 1) {
		*days = (long)db_ll(r, 0, 0);
		*rows = (long)db_ll(r, 0, 1);
	}
	PQclear(r);
	return db_end(db, CS_OK);
}

enum cs_result
parts_rollup_replay(struct db *db, const char *from, const char *to, long *days,
    const char **why)
{
	const char *p[] = { from, to };
	PGresult *r;

	*days = 0;
	*why = NULL;
	if (!parts_is_date(from) || !parts_is_date(to) || strcmp(from, to) > 0) {
		*why = "Choose the days: from and to as dates, from no later than to.";
		return CS_REFUSED;
	}
	if (db_begin(db) < 0)
		return db_result(db);
	if ((r = db_exec(db, &stmts[ST_REPLAY], p)) == NULL)
		return db_end(db, db_result(db));
	*days = PQntuples(r) == 1 ? (long)db_ll(r, 0, 0) : 0;
	PQclear(r);
	return db_end(db, CS_OK);
}
