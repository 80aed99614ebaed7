/* idem_run.c — a change under its client's key, in one transaction; see idem_run.h. */
#include "domain/idem_run.h"
#include "db/db.h"

enum cs_result
idem_run_begin(struct db *db, struct arena *a, const struct idem_key *k, struct idem_claim *c,
    const char **why)
{
	enum cs_result rc;

	if (db_begin(db) < 0)
		return db_result(db);
	rc = idem_claim(db, a, k->scope, k->owner_id, k->key, k->request, c, why);
	if (rc != CS_OK || c->replay)
		db_rollback(db);
	return rc;
}

enum cs_result
idem_run_end(struct db *db, const struct idem_key *k, int done, int status,
    const char *location, const char *body)
{
	if (!done) {
		db_rollback(db);
		return CS_OK;
	}
	return db_end(db, idem_store(db, k->scope, k->owner_id, k->key, status, location, body));
}
