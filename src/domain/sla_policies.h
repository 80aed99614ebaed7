/*
 * sla_policies.h — SLA policies: tier × priority [× category] → three
 * targets (first response, next response, resolution) in business
 * minutes on a calendar, and the statuses that stop the clock. A ticket
 * gets the most specific active policy (sla_policy_for in SQL).
 *
 * Creating or changing a policy is one use case: the targets as typed (a
 * number and a unit; business days count the calendar's business day)
 * are checked here against the limits below, then the policy, its audit
 * record and the queueing of its open tickets (of the old priority too,
 * when it changes; `csdesk batch` moves their due times) go in one
 * transaction.
 *
 * Functions return CS_OK or what went wrong; strings live in the arena.
 */
#ifndef CSDESK_SLA_POLICIES_H
#define CSDESK_SLA_POLICIES_H

#include <stddef.h>

#include "core/result.h"
#include "domain/sla_admin.h"

struct arena;
struct audit_entry;
struct db;

/* A target: at most a year of business minutes; typed as 1 to SLA_TARGET_VALUE_MAX units. */
#define SLA_TARGET_MINUTES_MAX 525600
#define SLA_TARGET_VALUE_MAX 100000
#define SLA_PAUSES_MAX 6		/* every pausable status once */

/* The units a target is typed in, NULL-terminated: minutes, hours, (business) days. */
extern const char *const sla_policy_units[];

/* The three targets, in this order everywhere. */
enum sla_target_kind { SLA_FIRST_RESPONSE, SLA_NEXT_RESPONSE, SLA_RESOLUTION, SLA_TARGET__MAX };

struct sla_policy {
	long long id;
	const char *name;
	int active;
	const char *tier;		/* "" any */
	const char *priority;
	long long category_id;		/* 0 any */
	long long calendar_id;
	int minutes[SLA_TARGET__MAX];
	const char *pauses[SLA_PAUSES_MAX];
	size_t npauses;
	/* read only, for pages */
	const char *category, *calendar;	/* names ("" any category) */
	int day_minutes;		/* the calendar's business day */
	const char *targets_text;	/* "30 min / 4 h / 2 business days" */
	const char *pauses_text;	/* "pending customer, pending parts" */
};

/* Every policy, by priority, tier and name. CS_OK or the failure. */
enum cs_result sla_policy_list(struct db *db, struct arena *a, struct sla_policy **out,
    size_t *n);

/* One policy: CS_OK, CS_NOT_FOUND or the failure. */
enum cs_result sla_policy_get(struct db *db, struct arena *a, long long id, struct sla_policy *p);

/*
 * A target of minutes as a form shows it: in the largest unit that
 * divides it (business days of a day_minutes day shorter than 24 hours,
 * else hours, else minutes). Cannot fail.
 */
void sla_policy_target_typed(int minutes, int day_minutes, long long *value, const char **unit);

/* A policy as an admin types it. */
struct sla_policy_input {
	const char *name;
	int active;
	const char *tier;		/* "" any */
	const char *priority;
	long long category_id;		/* 0 any */
	long long calendar_id;
	struct {
		long long value;
		const char *unit;	/* one of sla_policy_units */
	} targets[SLA_TARGET__MAX];
	const char *const *pauses;	/* statuses of sla_admin_pausable (repeats are one) */
	size_t npauses;
};

/*
 * Checks in: a name, a tier and priority from the lists, a calendar that
 * exists, targets of 1 to SLA_TARGET_VALUE_MAX units and at most
 * SLA_TARGET_MINUTES_MAX business minutes, pausing statuses from the
 * list. Fills *out. Returns CS_OK, CS_REFUSED with every message in why
 * (fields "name", "tier", "priority", "calendar_id", "first_response",
 * "next_response", "resolution", "pause"), or the failure of reading the
 * calendar.
 */
enum cs_result sla_policy_check(struct db *db, struct arena *a, const struct sla_policy_input *in,
    struct sla_policy *out, struct sla_why *why);

/*
 * Creates a policy (*id set) or changes policy id, after sla_policy_check.
 * Returns CS_OK, CS_REFUSED (why filled), CS_TAKEN (another policy has the
 * name or the same tier, priority and category: why says so at "name"),
 * CS_NOT_FOUND (update: no such policy) or the failure.
 */
enum cs_result sla_policy_create(struct db *db, struct arena *a, const struct audit_entry *by,
    const struct sla_policy_input *in, long long *id, struct sla_why *why);
enum cs_result sla_policy_update(struct db *db, struct arena *a, const struct audit_entry *by,
    long long id, const struct sla_policy_input *in, struct sla_why *why);

#endif
