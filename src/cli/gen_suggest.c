/* gen_suggest.c — see gen_suggest.h. */
#include "cli/gen_suggest.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/kb_suggest.h"

#include <stdio.h>
#include <time.h>

enum stmt { ST_TEMP, ST_SUBJECTS, ST_KEEP, ST_STORE, ST__MAX };

static struct db_stmt stmts[] = {
	[ST_TEMP] = DB_STMT("gen_suggest_temp",
	    "CREATE TEMP TABLE IF NOT EXISTS gen_suggestions (subject text PRIMARY KEY,"
	    " article_ids bigint[] NOT NULL)", 0),
	[ST_SUBJECTS] = DB_STMT("gen_suggest_subjects",
	    "SELECT DISTINCT t.subject FROM tickets t WHERE NOT EXISTS"
	    " (SELECT 1 FROM kb_ticket_suggestions s WHERE s.ticket_id = t.id)", 0),
	[ST_KEEP] = DB_STMT("gen_suggest_keep",
	    "INSERT INTO gen_suggestions (subject, article_ids) VALUES ($1, $2::bigint[])"
	    " ON CONFLICT (subject) DO UPDATE SET article_ids = EXCLUDED.article_ids", 2),
	[ST_STORE] = DB_STMT("gen_suggest_store",
	    "INSERT INTO kb_ticket_suggestions (ticket_id, kb_version, article_ids)"
	    " SELECT t.id, (SELECT version FROM kb_state), g.article_ids"
	    " FROM tickets t JOIN gen_suggestions g ON g.subject = t.subject"
	    " ON CONFLICT (ticket_id) DO NOTHING", 0),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "a statement per enum");

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
gen_kb_suggestions(struct db *db)
{
	struct arena *a = arena_new(64 * 1024);
	double t0 = now_s();
	PGresult *subjects = NULL, *res;
	int i, n = 0, rc = -1;
	long long stored = 0;

	if (a == NULL)
		return -1;
	if (db_run(db, &stmts[ST_TEMP], NULL) < 0 ||
	    (subjects = db_exec(db, &stmts[ST_SUBJECTS], NULL)) == NULL)
		goto out;
	n = PQntuples(subjects);
	for (i = 0; i < n; i++) {
		const char *p[2] = { PQgetvalue(subjects, i, 0), NULL };
		struct kb_results found;

		arena_reset(a);
		if (kb_suggest_find(db, a, p[0], KB_SUGGEST_MAX, &found, &p[1]) != CS_OK ||
		    db_run(db, &stmts[ST_KEEP], p) < 0)
			goto out;
	}
	if ((res = db_exec(db, &stmts[ST_STORE], NULL)) == NULL)
		goto out;
	stored = db_changed(res);
	PQclear(res);
	printf("gen: knowledge-base suggestions for %lld tickets (%d subjects) in %.1f s\n",
	    stored, n, now_s() - t0);
	rc = 0;
out:
	if (rc < 0)
		fprintf(stderr, "csdesk gen: storing the suggestions failed (see above)\n");
	PQclear(subjects);
	arena_free(a);
	return rc;
}
