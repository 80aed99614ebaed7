/*
 * admin_audit.h — the audit record every admin change writes (staff,
 * customers, routing rules, setup lists, settings, API keys …): one place
 * that turns "who, what, on which object, with which details" into an
 * audit_entry, and ends the change's transaction with it.
 */
#ifndef CSDESK_ADMIN_AUDIT_H
#define CSDESK_ADMIN_AUDIT_H

#include "core/result.h"

struct audit_entry;
struct db;
struct json_t;

/*
 * Adds one audit row in the current transaction: by's actor_kind,
 * actor_id and ip (the rest of by is ignored) with action, object_type and
 * object_id (0: none). detail is consumed (its reference dropped) on every
 * path; NULL, which is what json_pack gives when out of memory, fails.
 * Returns audit_record's result: CS_OK, or the failure (logged).
 */
enum cs_result admin_audit(struct db *db, const struct audit_entry *by, const char *action,
    const char *object_type, long long object_id, struct json_t *detail);

/*
 * Ends a change the caller began with db_begin: adds its audit row as
 * admin_audit does (detail consumed) and commits; on failure rolls back.
 * CS_OK or the failure.
 */
enum cs_result admin_audit_commit(struct db *db, const struct audit_entry *by,
    const char *action, const char *object_type, long long object_id, struct json_t *detail);

#endif
