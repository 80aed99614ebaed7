/*
 * admin_audit.h — the audit record every admin change in the console
 * writes (staff_admin, customer_admin, security_admin): one place that
 * turns "who, what, on which object, with which details" into an
 * audit_entry.
 */
#ifndef CSDESK_ADMIN_AUDIT_H
#define CSDESK_ADMIN_AUDIT_H

struct audit_entry;
struct db;
struct json_t;

/*
 * Adds one audit row in the current transaction: by's actor_kind,
 * actor_id and ip (the rest of by is ignored) with action, object_type and
 * object_id (0: none). detail is consumed (its reference dropped) on every
 * path; NULL, which is what json_pack gives when out of memory, fails.
 * Returns 0 or -1 (logged by audit_record).
 */
int admin_audit(struct db *db, const struct audit_entry *by, const char *action,
    const char *object_type, long long object_id, struct json_t *detail);

#endif
