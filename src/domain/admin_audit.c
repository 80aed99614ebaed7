/* admin_audit.c — see admin_audit.h. */
#include "domain/admin_audit.h"
#include "core/log.h"
#include "db/db.h"
#include "domain/audit.h"

#include <jansson.h>
#include <stdio.h>

enum cs_result
admin_audit(struct db *db, const struct audit_entry *by, const char *action,
    const char *object_type, long long object_id, json_t *detail)
{
	struct audit_entry e = { 0 };
	char id[24];
	enum cs_result rc;

	if (detail == NULL) {
		log_error("audit: %s: out of memory for the details", action);
		return CS_FAILED;
	}
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

	rc = admin_audit(db, by, action, object_type, object_id, detail);
	if (rc == CS_OK && db_commit(db) == 0)
		return CS_OK;
	if (rc == CS_OK)
		rc = db_result(db);
	db_rollback(db);
	return rc;
}
