/* migrate.c — `csdesk migrate` and `csdesk demo`. */
#include "cli/cli.h"
#include "db/db.h"
#include "db/migrate.h"

#include <stdio.h>

int
cli_migrate(int argc, char **argv)
{
	char dir[4096], functions[4096], roles[4096];
	struct db db;
	int applied, rc;

	(void)argv;
	if (argc != 1) {
		fprintf(stderr, "usage: csdesk migrate\n");
		return 2;
	}
	if (cli_connect(&db) < 0)
		return 1;
	snprintf(dir, sizeof(dir), "%s/sql/migrations", cli_datadir());
	snprintf(functions, sizeof(functions), "%s/sql/functions", cli_datadir());
	snprintf(roles, sizeof(roles), "%s/sql/roles.sql", cli_datadir());
	rc = migrate_run(&db, dir, functions, roles, &applied, stdout);
	db_close(&db);
	if (rc < 0) {
		fprintf(stderr, "csdesk migrate: failed (see above)\n");
		return 1;
	}
	printf("migrate: %d applied, database up to date\n", applied);
	return 0;
}

int
cli_demo(int argc, char **argv)
{
	char dir[4096];
	struct db db;
	int loaded, rc;

	(void)argv;
	if (argc != 1) {
		fprintf(stderr, "usage: csdesk demo\n");
		return 2;
	}
	if (cli_connect(&db) < 0)
		return 1;
	snprintf(dir, sizeof(dir), "%s/sql/demo", cli_datadir());
	rc = migrate_scripts(&db, dir, &loaded, stdout);
	db_close(&db);
	if (rc < 0) {
		fprintf(stderr, "csdesk demo: failed (see above)\n");
		return 1;
	}
	printf("demo: %d file(s) loaded\n", loaded);
	return 0;
}
