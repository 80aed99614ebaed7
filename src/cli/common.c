/* common.c — what every subcommand needs; see cli.h. */
#include "cli/cli.h"
#include "db/db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
cli_connect(struct db *db)
{
	const char *conninfo = getenv("CSDESK_DB");

	if (conninfo == NULL || *conninfo == '\0') {
		fprintf(stderr, "csdesk: CSDESK_DB is not set (try: eval \"$(make env)\")\n");
		return -1;
	}
	if (db_open(db, conninfo, "csdesk-cli") < 0) {
		fprintf(stderr, "csdesk: cannot connect to the database (see above)\n");
		db_close(db);
		return -1;
	}
	return 0;
}

const char *
cli_datadir(void)
{
	const char *d = getenv("CSDESK_DATADIR");

	return d != NULL && *d != '\0' ? d : CSDESK_DATADIR;
}

int
cli_options(int argc, char **argv, int first, const char *const *keys, const char **vals, int n)
{
	int i, k;

	for (i = first; i < argc; i += 2) {
		for (k = 0; k < n; k++)
			if (strcmp(argv[i], keys[k]) == 0)
				break;
		if (k == n || i + 1 >= argc)
			return -1;
		vals[k] = argv[i + 1];
	}
	return 0;
}
