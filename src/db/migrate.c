/* migrate.c — see migrate.h. */
#include "db/migrate.h"
#include "db/db.h"
#include "core/buf.h"
#include "core/log.h"
#include "core/mem.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* An arbitrary constant shared by every csdesk host: "csdesk migrate". */
#define MIGRATE_LOCK "727001"

static struct db_stmt st_create = DB_STMT("migrate_create",
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version text PRIMARY KEY,"
    " applied_at timestamptz NOT NULL DEFAULT now())", 0);
static struct db_stmt st_lock = DB_STMT("migrate_lock",
    "SELECT pg_advisory_xact_lock($1::bigint)", 1);
static struct db_stmt st_seen = DB_STMT("migrate_seen",
    "SELECT 1 FROM schema_migrations WHERE version = $1", 1);
static struct db_stmt st_record = DB_STMT("migrate_record",
    "INSERT INTO schema_migrations (version) VALUES ($1)", 1);

/* NNN_name.sql: three or more digits, an underscore, a name, .sql. */
static int
is_migration(const char *name)
{
	size_t n = strlen(name), digits = 0;

	while (name[digits] >= '0' && name[digits] <= '9')
		digits++;
	return digits >= 3 && name[digits] == '_' && n > digits + 5 &&
	    strcmp(name + n - 4, ".sql") == 0;
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
read_file(const char *path, struct buf *out)
{
	FILE *f = fopen(path, "rb");
	char chunk[8192];
	size_t n;

	if (f == NULL)
		return log_fail("migrate: %s: %s", path, strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(out, chunk, n);
	if (ferror(f) || buf_failed(out)) {
		fclose(f);
		return log_fail("migrate: cannot read %s", path);
	}
	fclose(f);
	return 0;
}

/*
 * Applies one file in a transaction. With record set, skips a file already
 * in schema_migrations and records it after. Returns 1 applied, 0 skipped,
 * -1 error.
 */
static int
apply_one(struct db *db, const char *dir, const char *name, int record, FILE *report)
{
	const char *lockp[] = { MIGRATE_LOCK };
	const char *verp[] = { name };
	struct buf path, sql;
	PGresult *res;
	int rc = -1;

	buf_init(&path, NULL);
	buf_init(&sql, NULL);
	if (db_begin(db) < 0 || db_run(db, &st_lock, lockp) < 0)
		goto out;
	if (!record)
		goto apply;
	res = db_exec(db, &st_seen, verp);
	if (res == NULL)
		goto out;
	if (PQntuples(res) > 0) {
		PQclear(res);
		rc = db_commit(db) < 0 ? -1 : 0;
		goto out;
	}
	PQclear(res);
apply:
	buf_printf(&path, "%s/%s", dir, name);
	if (read_file(path.buf, &sql) < 0 || db_script(db, sql.buf, name) < 0 ||
	    (record && db_run(db, &st_record, verp) < 0) || db_commit(db) < 0)
		goto out;
	if (report != NULL)
		fprintf(report, "%s: applied %s\n", record ? "migrate" : "load", name);
	rc = 1;
out:
	if (rc < 0) {
		log_error("migrate: %s was not applied", name);
		db_rollback(db);
	}
	buf_release(&path);
	buf_release(&sql);
	return rc;
}

/* The NNN_*.sql names in dir, sorted, in *names (mem_free each and the
 * array). 0 or -1. */
static int
list_dir(const char *dir, char ***names, size_t *n)
{
	DIR *d;
	struct dirent *e;
	size_t cap = 0, len;
	int rc = -1;

	*names = NULL;
	*n = 0;
	d = opendir(dir);
	if (d == NULL)
		return log_fail("migrate: %s: %s", dir, strerror(errno));
	while ((e = readdir(d)) != NULL) {
		if (!is_migration(e->d_name))
			continue;
		if (*n == cap) {
			char **p = mem_realloc(*names, (cap = cap ? cap * 2 : 32) * sizeof(**names));

			if (p == NULL)
				goto out;
			*names = p;
		}
		len = strlen(e->d_name) + 1;
		if (((*names)[*n] = mem_malloc(len)) == NULL)
			goto out;
		memcpy((*names)[*n], e->d_name, len);
		(*n)++;
	}
	qsort(*names, *n, sizeof(**names), cmp_names);
	rc = 0;
out:
	closedir(d);
	return rc;
}

static void
free_names(char **names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		mem_free(names[i]);
	mem_free(names);
}

/* Runs every NNN_*.sql in dir in name order; see migrate_run. */
static int
run_dir(struct db *db, const char *dir, int record, int *applied, FILE *report)
{
	char **names;
	size_t n, i;
	int rc = -1, r;

	*applied = 0;
	if (list_dir(dir, &names, &n) < 0)
		goto out;
	for (i = 0; i < n; i++) {
		if ((r = apply_one(db, dir, names[i], record, report)) < 0)
			goto out;
		*applied += r;
	}
	rc = 0;
out:
	free_names(names, n);
	return rc;
}

/* Every file of the functions directory, in name order, in one transaction. */
static int
run_functions(struct db *db, const char *dir, FILE *report)
{
	const char *lockp[] = { MIGRATE_LOCK };
	struct buf path, sql;
	char **names;
	size_t n, i;
	int rc = -1;

	buf_init(&path, NULL);
	buf_init(&sql, NULL);
	if (list_dir(dir, &names, &n) < 0)
		goto out;
	if (db_begin(db) < 0 || db_run(db, &st_lock, lockp) < 0)
		goto out;
	for (i = 0; i < n; i++) {
		buf_reset(&path);
		buf_reset(&sql);
		buf_printf(&path, "%s/%s", dir, names[i]);
		if (read_file(path.buf, &sql) < 0 || db_script(db, sql.buf, names[i]) < 0) {
			log_error("migrate: functions/%s was not applied", names[i]);
			goto out;
		}
	}
	if (db_commit(db) < 0)
		goto out;
	if (report != NULL)
		fprintf(report, "migrate: functions: %zu file(s) applied\n", n);
	rc = 0;
out:
	if (rc < 0)
		db_rollback(db);
	free_names(names, n);
	buf_release(&path);
	buf_release(&sql);
	return rc;
}

/*
 * Runs st (sql NULL) or the script sql under the migration lock, in a
 * transaction of its own. Two `csdesk migrate` on an empty database would
 * otherwise both create schema_migrations, and the second would die on a
 * duplicate key in the catalogue; roles.sql's GRANTs would collide too.
 */
static int
run_locked(struct db *db, struct db_stmt *st, const char *sql, const char *what)
{
	const char *lockp[] = { MIGRATE_LOCK };

	if (db_begin(db) < 0 || db_run(db, &st_lock, lockp) < 0 ||
	    (st != NULL ? db_run(db, st, NULL) : db_script(db, sql, what)) < 0 ||
	    db_commit(db) < 0) {
		db_rollback(db);
		return -1;
	}
	return 0;
}

int
migrate_run(struct db *db, const char *dir, const char *functions_dir, const char *roles_file,
    int *applied, FILE *report)
{
	struct buf sql;
	int r;

	*applied = 0;
	if (run_locked(db, &st_create, NULL, "schema_migrations") < 0 ||
	    run_dir(db, dir, 1, applied, report) < 0)
		return -1;
	if (functions_dir != NULL && run_functions(db, functions_dir, report) < 0)
		return -1;
	if (roles_file == NULL)
		return 0;
	buf_init(&sql, NULL);
	r = read_file(roles_file, &sql) < 0 || run_locked(db, NULL, sql.buf, "roles.sql") < 0;
	buf_release(&sql);
	return r ? -1 : 0;
}

int
migrate_scripts(struct db *db, const char *dir, int *loaded, FILE *report)
{
	return run_dir(db, dir, 0, loaded, report);
}
