/*
 * Migrations: applied in order exactly once, a second run changes nothing,
 * a failing file is rolled back whole and stops the run, and files that do
 * not look like NNN_name.sql are ignored. Functions: sql/functions/ is
 * applied every time in one transaction, so an edited function is live
 * after the next run; the project's own migrate twice changes nothing; and
 * sql/functions/ defines every function and trigger the database has (no
 * body left only in a migration).
 */
#include "../lib/harness.h"
#include "db/db.h"
#include "db/migrate.h"

#include <check.h>
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *conninfo;
static char dir[64];

static struct db_stmt st_versions = DB_STMT("m_versions",
    "SELECT string_agg(version, ',' ORDER BY version) FROM schema_migrations", 0);
static struct db_stmt st_rows = DB_STMT("m_rows",
    "SELECT string_agg(v, ',' ORDER BY v) FROM m_log", 0);
static struct db_stmt st_has = DB_STMT("m_has",
    "SELECT count(*) FROM pg_tables WHERE tablename = $1", 1);

/* What the schema is: every function (oid, signature, body, settings),
 * trigger, domain constraint and index, as one digest. */
static struct db_stmt st_schema = DB_STMT("m_schema",
    "SELECT md5(coalesce((SELECT string_agg(p.oid || ' ' || p.oid::regprocedure || ' '"
    " || md5(p.prosrc) || ' ' || coalesce(array_to_string(p.proconfig, ','), ''), E'\\n'"
    " ORDER BY p.oid) FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace), '')"
    " || coalesce((SELECT string_agg(pg_get_triggerdef(t.oid), E'\\n' ORDER BY t.oid)"
    " FROM pg_trigger t WHERE NOT t.tgisinternal), '')"
    " || coalesce((SELECT string_agg(c.conname || pg_get_constraintdef(c.oid), E'\\n'"
    " ORDER BY c.oid) FROM pg_constraint c WHERE c.contypid <> 0), '')"
    " || coalesce((SELECT string_agg(i.indexrelid || pg_get_indexdef(i.indexrelid), E'\\n'"
    " ORDER BY i.indexrelid) FROM pg_index i JOIN pg_class r ON r.oid = i.indrelid"
    " WHERE r.relnamespace = 'public'::regnamespace), ''))", 0);
/* Functions (with their number of overloads) and triggers of the
 * application, not of an extension: "f name n" and "t name" lines. */
static struct db_stmt st_defined = DB_STMT("m_defined",
    "SELECT 'f ' || p.proname || ' ' || count(*) FROM pg_proc p"
    " WHERE p.pronamespace = 'public'::regnamespace AND NOT EXISTS (SELECT FROM pg_depend d"
    " WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')"
    " GROUP BY p.proname"
    " UNION ALL SELECT 't ' || t.tgname FROM pg_trigger t WHERE NOT t.tgisinternal"
    " ORDER BY 1", 0);
static struct db_stmt st_f = DB_STMT("m_f", "SELECT m_f()::text", 0);

static void
write_file(const char *name, const char *sql)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(sql, f);
	fclose(f);
}

static void
setup(void)
{
	/* An empty database: migrations from this test's own directory. */
	conninfo = th_db_create("migrate");
	snprintf(dir, sizeof(dir), "/tmp/csdesk-migr.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void
teardown(void)
{
	th_sh("rm -rf '%s'", dir);
	th_db_drop(conninfo);
	free(conninfo);
}

static char *
one(struct db *db, struct db_stmt *st, const char *const *p)
{
	PGresult *r = db_exec(db, st, p);
	char *s;

	ck_assert_ptr_nonnull(r);
	s = strdup(PQgetvalue(r, 0, 0));
	PQclear(r);
	return s;
}

START_TEST(applies_in_order_exactly_once)
{
	struct db db;
	int applied;
	char *v;

	write_file("910_second.sql", "INSERT INTO m_log VALUES ('910');");
	write_file("902_first.sql", "CREATE TABLE m_log (v text); INSERT INTO m_log VALUES ('902');");
	write_file("README", "not sql");
	write_file("3_short.sql", "SELECT nonsense(;");
	ck_assert_int_eq(db_open(&db, conninfo, "check_migrate"), 0);
	ck_assert_int_eq(migrate_run(&db, dir, NULL, NULL, &applied, NULL), 0);
	ck_assert_int_eq(applied, 2);
	v = one(&db, &st_rows, NULL);
	ck_assert_str_eq(v, "902,910");
	free(v);
	/* Twice changes nothing. */
	ck_assert_int_eq(migrate_run(&db, dir, NULL, NULL, &applied, NULL), 0);
	ck_assert_int_eq(applied, 0);
	v = one(&db, &st_rows, NULL);
	ck_assert_str_eq(v, "902,910");
	free(v);
	/* The project's own migrations are recorded too (from th_db_create). */
	v = one(&db, &st_versions, NULL);
	ck_assert_ptr_nonnull(strstr(v, "001_platform.sql"));
	ck_assert_ptr_nonnull(strstr(v, "902_first.sql,910_second.sql"));
	free(v);
	db_close(&db);
}
END_TEST

START_TEST(failing_file_is_rolled_back_and_stops)
{
	const char *p[] = { "m_half" };
	struct db db;
	int applied;
	char *v;

	write_file("100_ok.sql", "CREATE TABLE m_ok (x int);");
	write_file("101_bad.sql", "CREATE TABLE m_half (x int); SELECT * FROM no_such_table;");
	write_file("102_later.sql", "CREATE TABLE m_later (x int);");
	ck_assert_int_eq(db_open(&db, conninfo, "check_migrate"), 0);
	ck_assert_int_eq(migrate_run(&db, dir, NULL, NULL, &applied, NULL), -1);
	ck_assert_int_eq(applied, 1);
	v = one(&db, &st_has, p);
	ck_assert_str_eq(v, "0");	/* no half-applied file */
	free(v);
	p[0] = "m_later";
	v = one(&db, &st_has, p);
	ck_assert_str_eq(v, "0");	/* nothing after the failure */
	free(v);
	v = one(&db, &st_versions, NULL);
	ck_assert_ptr_null(strstr(v, "101_bad"));
	free(v);
	/* Fixed, the next run picks up where it stopped. */
	write_file("101_bad.sql", "CREATE TABLE m_half (x int);");
	ck_assert_int_eq(migrate_run(&db, dir, NULL, NULL, &applied, NULL), 0);
	ck_assert_int_eq(applied, 2);
	db_close(&db);
}
END_TEST

START_TEST(missing_directory_is_an_error)
{
	struct db db;
	int applied;

	ck_assert_int_eq(db_open(&db, conninfo, "check_migrate"), 0);
	ck_assert_int_eq(migrate_run(&db, "/nonexistent/migrations", NULL, NULL, &applied, NULL), -1);
	db_close(&db);
}
END_TEST

/* The project's own paths. */
static void
project_paths(char *mig, char *fun, char *roles, size_t size)
{
	snprintf(mig, size, "%s/sql/migrations", th_datadir());
	snprintf(fun, size, "%s/sql/functions", th_datadir());
	snprintf(roles, size, "%s/sql/roles.sql", th_datadir());
}

START_TEST(project_migrate_twice_changes_nothing)
{
	char mig[1024], fun[1024], roles[1024];
	struct db db;
	int applied;
	char *before, *after;

	project_paths(mig, fun, roles, sizeof(mig));
	ck_assert_int_eq(db_open(&db, conninfo, "check_migrate"), 0);
	before = one(&db, &st_schema, NULL);
	ck_assert_int_eq(migrate_run(&db, mig, fun, roles, &applied, NULL), 0);
	ck_assert_int_eq(applied, 0);
	ck_assert_int_eq(migrate_run(&db, mig, fun, roles, &applied, NULL), 0);
	after = one(&db, &st_schema, NULL);
	/* The same functions (same oids: replaced, not dropped and made
	 * again, so grants stay), bodies, triggers, domains and indexes. */
	ck_assert_str_eq(before, after);
	free(before);
	free(after);
	db_close(&db);
}
END_TEST

START_TEST(edited_function_is_live_after_migrate)
{
	char fdir[300];
	struct db db;
	int applied;
	char *v;

	/* Migrations from the (empty) test directory, functions from its
	 * subdirectory. */
	snprintf(fdir, sizeof(fdir), "%s/functions", dir);
	ck_assert_int_eq(th_sh("mkdir '%s'", fdir), 0);
	write_file("functions/010_f.sql",
	    "CREATE OR REPLACE FUNCTION m_f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;");
	ck_assert_int_eq(db_open(&db, conninfo, "check_migrate"), 0);
	ck_assert_int_eq(migrate_run(&db, dir, fdir, NULL, &applied, NULL), 0);
	v = one(&db, &st_f, NULL);
	ck_assert_str_eq(v, "1");
	free(v);
	write_file("functions/010_f.sql",
	    "CREATE OR REPLACE FUNCTION m_f() RETURNS int LANGUAGE sql AS $$ SELECT 2 $$;");
	ck_assert_int_eq(migrate_run(&db, dir, fdir, NULL, &applied, NULL), 0);
	v = one(&db, &st_f, NULL);
	ck_assert_str_eq(v, "2");
	free(v);
	/* A broken file later in the order: the whole step is rolled back. */
	write_file("functions/010_f.sql",
	    "CREATE OR REPLACE FUNCTION m_f() RETURNS int LANGUAGE sql AS $$ SELECT 3 $$;");
	write_file("functions/020_bad.sql", "CREATE OR REPLACE FUNCTION m_g( RETURNS;");
	ck_assert_int_eq(migrate_run(&db, dir, fdir, NULL, &applied, NULL), -1);
	v = one(&db, &st_f, NULL);
	ck_assert_str_eq(v, "2");
	free(v);
	db_close(&db);
}
END_TEST

/* Every file of sql/functions/, lower-cased, one after the other. */
static char *
read_functions(void)
{
	char path[1200];
	struct dirent *e;
	char *all = NULL, *p;
	size_t len = 0, n;
	DIR *d;
	FILE *f;

	snprintf(path, sizeof(path), "%s/sql/functions", th_datadir());
	d = opendir(path);
	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)) != NULL) {
		char chunk[4096];

		if (strstr(e->d_name, ".sql") == NULL)
			continue;
		snprintf(path, sizeof(path), "%s/sql/functions/%s", th_datadir(), e->d_name);
		f = fopen(path, "r");
		ck_assert_ptr_nonnull(f);
		while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
			all = realloc(all, len + n + 1);
			ck_assert_ptr_nonnull(all);
			memcpy(all + len, chunk, n);
			len += n;
		}
		fclose(f);
	}
	closedir(d);
	ck_assert_ptr_nonnull(all);
	all[len] = '\0';
	for (p = all; *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
	return all;
}

/* How many times needle occurs in hay. */
static int
count_of(const char *hay, const char *needle)
{
	int n = 0;

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay += strlen(needle);
	}
	return n;
}

START_TEST(functions_define_all_the_migrations_define)
{
	struct db db;
	char *files = read_functions(), want[200], name[100];
	PGresult *r;
	int i, overloads;

	ck_assert_int_eq(db_open(&db, conninfo, "check_migrate"), 0);
	r = db_exec(&db, &st_defined, NULL);
	ck_assert_ptr_nonnull(r);
	ck_assert_int_gt(PQntuples(r), 80);
	for (i = 0; i < PQntuples(r); i++) {
		const char *v = PQgetvalue(r, i, 0);

		if (v[0] == 'f') {
			ck_assert_int_eq(sscanf(v, "f %99s %d", name, &overloads), 2);
			snprintf(want, sizeof(want), "create or replace function %s(", name);
			/* Each overload defined there: none left with a body only a
			 * migration gave it. */
			ck_assert_msg(count_of(files, want) == overloads,
			    "function %s: %d in the database, %d in sql/functions/", name, overloads,
			    count_of(files, want));
		} else {
			snprintf(want, sizeof(want), "create or replace trigger %s ", v + 2);
			ck_assert_msg(count_of(files, want) == 1,
			    "trigger %s is not defined once in sql/functions/", v + 2);
		}
	}
	PQclear(r);
	free(files);
	db_close(&db);
}
END_TEST

Suite *migrate_suite(void);

Suite *
migrate_suite(void)
{
	Suite *s = suite_create("migrate");
	TCase *tc = tcase_create("migrate");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, applies_in_order_exactly_once);
	tcase_add_test(tc, failing_file_is_rolled_back_and_stops);
	tcase_add_test(tc, missing_directory_is_an_error);
	tcase_add_test(tc, project_migrate_twice_changes_nothing);
	tcase_add_test(tc, edited_function_is_live_after_migrate);
	tcase_add_test(tc, functions_define_all_the_migrations_define);
	suite_add_tcase(s, tc);
	return s;
}
