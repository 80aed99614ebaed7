/*
 * assign_customer.h — what assignment and the portal need to know of a
 * customer account besides its card: the preferred agent (routing gives
 * them the account's tickets first when they can take them:
 * ticket_auto_assign) and the time zone the portal states its times in
 * (sla_promise_due; none: the SLA calendar's). Changed together, with an
 * audit record.
 */
#ifndef CSDESK_ASSIGN_CUSTOMER_H
#define CSDESK_ASSIGN_CUSTOMER_H

#include "core/result.h"

struct arena;
struct audit_entry;
struct db;

#define ASSIGN_CUSTOMER_ZONE_MAX 64	/* the column's CHECK */

struct assign_customer {
	long long customer_id;
	const char *name;		/* read only: the account's */
	long long preferred_agent_id;	/* 0: none */
	const char *time_zone;		/* "" : the SLA calendar's */
};

/* The account's. CS_OK, CS_NOT_FOUND or the failure. */
enum cs_result assign_customer_get(struct db *db, struct arena *a, long long customer_id,
    struct assign_customer *out);

/*
 * Sets both. CS_OK, CS_NOT_FOUND (no such account), CS_REFUSED (*field:
 * "preferred_agent_id" — not an active agent; "time_zone" — not a zone
 * PostgreSQL knows or too long; *why the sentence) or the failure.
 */
enum cs_result assign_customer_set(struct db *db, struct arena *a, const struct audit_entry *by,
    const struct assign_customer *in, const char **field, const char **why);

#endif
