/* admin_audit.c — see admin_audit.h. */
#include "domain/admin_audit.h"
#include "core/log.h"
#include "db/db.h"
#include "domain/audit.h"

#include <jansson.h>
#include <stdio.h>

int
admin_audit(struct db *db, const struct audit_entry *by, const char *action,
    const char *object_type, long long object_id, json_t *detail)
{
	struct audit_entry e = { 0 };
	char id[24];
	int rc;

	if (detail == NULL)
		return log_fail("audit: %s: out of memory for the details", action);
	snprintf(id, sizeof(id), "%lld", object_id);
	e.actor_kind = by->actor_kind;
	e.actor_id = by->actor_id;
	e.ip = by->ip;
	e.action = action;
	e.object_type = object_type;
	e.object_id = object_id > 0 ? id : NULL;
	e.detail = detail;
	rc = audit_record(db, &e);
	json_decref(detail);
	return rc;
}

enum cs_result
admin_audit_commit(struct db *db, const struct audit_entry *by, const char *action,
    const char *object_type, long long object_id, json_t *detail)
{
	enum cs_result rc;

	if (admin_audit(db, by, action, object_type, object_id, detail) == 0 &&
	    db_commit(db) == 0)
		return CS_OK;
	rc = db_result(db);
	db_rollback(db);
	return rc;
}
