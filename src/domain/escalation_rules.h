/*
 * escalation_rules.h — escalation rules: a condition (a ticket at risk,
 * breached, or without an update for some hours; optionally only for one
 * target — first response, next response, resolution — and only of a
 * priority, tier or category) and what then happens (notify supervisors or
 * managers, reassign to the next level, raise the priority). `csdesk
 * batch` applies them in position order (sla_escalate in SQL).
 *
 * Creating or changing a rule is one use case: checked here against the
 * limits below, then written with its audit record in one transaction.
 * Functions return CS_OK or what went wrong; strings live in the arena.
 */
#ifndef CSDESK_ESCALATION_RULES_H
#define CSDESK_ESCALATION_RULES_H

#include <stddef.h>

#include "core/result.h"
#include "domain/sla_admin.h"

struct arena;
struct audit_entry;
struct db;

#define ESCALATION_POSITION_MAX 10000		/* positions 0 to this */
#define ESCALATION_NO_UPDATE_HOURS_MAX 8760	/* a year; the table's CHECK */

struct escalation_rule {
	long long id;
	const char *name;
	int position, active;
	const char *on_event;		/* at_risk, breached, no_update */
	int no_update_hours;		/* no_update only, else 0 */
	const char *if_priority, *if_tier;	/* "" any */
	const char *if_target;		/* one of sla_admin_targets, "" any */
	long long if_category_id;	/* 0 any */
	const char *notify;		/* none, supervisor, manager */
	int reassign, raise;
	const char *category;		/* read only: its name, "" any */
};

/* Every rule, in position order. CS_OK or the failure. */
enum cs_result escalation_rule_list(struct db *db, struct arena *a, struct escalation_rule **out,
    size_t *n);

/* One rule: CS_OK, CS_NOT_FOUND or the failure. */
enum cs_result escalation_rule_get(struct db *db, struct arena *a, long long id,
    struct escalation_rule *x);

/* A rule as an admin types it. */
struct escalation_rule_input {
	const char *name;
	long long position;
	int active;
	const char *on_event;		/* one of sla_admin_events */
	long long no_update_hours;	/* read for no_update only */
	const char *if_priority, *if_tier;	/* "" any */
	const char *if_target;		/* one of sla_admin_targets, "" any */
	long long if_category_id;	/* 0 any */
	const char *notify;		/* one of sla_admin_notify */
	int reassign, raise;
};

/*
 * Checks in: a name, a position, an event, priority, tier, target and
 * notify level from the lists, the hours for no_update (which has no
 * target), at least one action. Returns CS_OK, or CS_REFUSED with every
 * message in why (fields "name", "position", "on_event", "no_update_hours",
 * "if_priority", "if_tier", "if_target", "if_category_id", "notify").
 * Cannot fail otherwise.
 */
enum cs_result escalation_rule_check(const struct escalation_rule_input *in,
    struct sla_why *why);

/*
 * Creates a rule (*id set) or changes rule id, after escalation_rule_check.
 * Returns CS_OK, CS_REFUSED (why filled), CS_TAKEN (another rule has the
 * name: why says so at "name"), CS_NOT_FOUND (update: no such rule) or
 * the failure.
 */
enum cs_result escalation_rule_create(struct db *db, struct arena *a,
    const struct audit_entry *by, const struct escalation_rule_input *in, long long *id,
    struct sla_why *why);
enum cs_result escalation_rule_update(struct db *db, struct arena *a,
    const struct audit_entry *by, long long id, const struct escalation_rule_input *in,
    struct sla_why *why);

#endif
