/* audit.c — `csdesk audit verify`: is the audit log's hash chain intact? */
#include "cli/cli.h"
#include "db/db.h"
#include "domain/audit.h"

#include <stdio.h>
#include <string.h>

/* Exit status: 0 intact, 1 broken (or the check could not run), 2 usage. */
int
cli_audit(int argc, char **argv)
{
	struct audit_verdict v;
	enum cs_result rc;
	struct db db;

	if (argc != 2 || strcmp(argv[1], "verify") != 0) {
		fprintf(stderr, "usage: csdesk audit verify\n");
		return 2;
	}
	if (cli_connect(&db) < 0)
		return 1;
	rc = audit_verify_report(&db, &v);
	db_close(&db);
	if (rc != CS_OK) {
		fprintf(stderr, "csdesk audit: could not read the audit log (see above)\n");
		return 1;
	}
	if (v.bad_id == 0) {
		printf("audit: %lld rows, chain intact\n", v.rows);
		return 0;
	}
	if (v.flaw == AUDIT_FLAW_ALTERED)
		printf("audit: chain broken at row %lld (its hash does not match its contents:"
		    " the row was changed)\n", v.bad_id);
	else if (v.prev_id == 0)
		printf("audit: chain broken at row %lld (the first row has a prev_hash:"
		    " rows before it were removed)\n", v.bad_id);
	else
		printf("audit: chain broken at row %lld (its prev_hash is not the hash of row %lld,"
		    " the row before it: a row between them was removed, or row %lld rewritten)\n",
		    v.bad_id, v.prev_id, v.prev_id);
	return 1;
}
