/*
 * Migrations: applied in order exactly once, a second run changes nothing,
 * a failing file is rolled back whole and stops the run, and files that do
 * not look like NNN_name.sql are ignored.
 */
#include "../lib/harness.h"
#include "db/db.h"
#include "db/migrate.h"

#include <check.h>
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
	ck_assert_int_eq(migrate_run(&db, dir, NULL, &applied, NULL), 0);
	ck_assert_int_eq(applied, 2);
	v = one(&db, &st_rows, NULL);
	ck_assert_str_eq(v, "902,910");
	free(v);
	/* Twice changes nothing. */
	ck_assert_int_eq(migrate_run(&db, dir, NULL, &applied, NULL), 0);
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
	ck_assert_int_eq(migrate_run(&db, dir, NULL, &applied, NULL), -1);
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
	ck_assert_int_eq(migrate_run(&db, dir, NULL, &applied, NULL), 0);
	ck_assert_int_eq(applied, 2);
	db_close(&db);
}
END_TEST

START_TEST(missing_directory_is_an_error)
{
	struct db db;
	int applied;

	ck_assert_int_eq(db_open(&db, conninfo, "check_migrate"), 0);
	ck_assert_int_eq(migrate_run(&db, "/nonexistent/migrations", NULL, &applied, NULL), -1);
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
	suite_add_tcase(s, tc);
	return s;
}
