/*
 * sla_admin.h — what admins change of service levels: business calendars
 * (zone, weekly hours, holidays, or around the clock), SLA policies and
 * escalation rules (the hours and holidays as typed are parsed by
 * sla_hours.h).
 *
 * Every change runs in one transaction with its audit record (admin_audit)
 * and queues the open tickets it affects, whose due times `csdesk batch`
 * then recomputes (sla_recompute_due in migration 009). Functions
 * return 0 or a new id; SLA_ADMIN_TAKEN when a name (or a policy's tier,
 * priority and category) is in use; -1 on a database error (logged).
 * Strings come back in the arena given.
 */
#ifndef CSDESK_SLA_ADMIN_H
#define CSDESK_SLA_ADMIN_H

#include <stddef.h>

#include "domain/sla_hours.h"

struct arena;
struct audit_entry;
struct db;

#define SLA_ADMIN_TAKEN (-3)

struct sla_calendar {
	long long id;
	const char *name, *zone;
	int always_open;
	int day_minutes;
	struct sla_interval hours[7][SLA_INTERVALS_MAX];	/* index 0 = Monday */
	size_t nhours[7];
	struct sla_holiday *holidays;
	size_t nholidays;
	const char *summary;		/* read only: the week in one line */
};

/* Every calendar (name order), summary filled, hours and holidays not. 0 or -1. */
int sla_admin_calendars(struct db *db, struct arena *a, struct sla_calendar **out, size_t *n);

/* One calendar with its hours and holidays: 1 found, 0 not, -1. */
int sla_admin_calendar_get(struct db *db, struct arena *a, long long id, struct sla_calendar *c);

/* 1 when zone is an IANA time-zone name PostgreSQL knows, 0 not, -1. */
int sla_admin_zone_ok(struct db *db, const char *zone);

/* Creates (c->id 0) or replaces a calendar. The id, TAKEN or -1. */
long long sla_admin_calendar_save(struct db *db, const struct audit_entry *by,
    const struct sla_calendar *c);

/* Priorities, tiers, pausable statuses, events and notify levels, NULL-terminated. */
extern const char *const sla_admin_priorities[];
extern const char *const sla_admin_tiers[];
extern const char *const sla_admin_pausable[];
extern const char *const sla_admin_events[];
extern const char *const sla_admin_notify[];

struct sla_policy {
	long long id;
	const char *name;
	int active;
	const char *tier;		/* "" any */
	const char *priority;
	long long category_id;		/* 0 any */
	long long calendar_id;
	int minutes[3];			/* first response, next response, resolution */
	const char *pauses[8];		/* NULL-terminated statuses */
	/* read only, for lists */
	const char *category, *calendar, *targets_text, *pauses_text;
};

int sla_admin_policies(struct db *db, struct arena *a, struct sla_policy **out, size_t *n);
int sla_admin_policy_get(struct db *db, struct arena *a, long long id, struct sla_policy *p);

/* Business minutes in one business day of a calendar (0: no such calendar, -1). */
int sla_admin_day_minutes(struct db *db, long long calendar_id);

/* Creates (p->id 0) or updates a policy and queues its open tickets. */
long long sla_admin_policy_save(struct db *db, const struct audit_entry *by,
    const struct sla_policy *p);

struct sla_rule {
	long long id;
	const char *name;
	int position, active;
	const char *on_event;		/* at_risk, breached, no_update */
	int no_update_hours;		/* no_update only */
	const char *if_priority, *if_tier;	/* "" any */
	long long if_category_id;	/* 0 any */
	const char *notify;		/* none, supervisor, manager */
	int reassign, raise;
	const char *category;		/* read only */
};

int sla_admin_rules(struct db *db, struct arena *a, struct sla_rule **out, size_t *n);
int sla_admin_rule_get(struct db *db, struct arena *a, long long id, struct sla_rule *r);
long long sla_admin_rule_save(struct db *db, const struct audit_entry *by,
    const struct sla_rule *r);

/* Active categories and calendars for selects: ids and names. 0 or -1. */
struct sla_option {
	long long id;
	const char *name;
};
int sla_admin_options(struct db *db, struct arena *a, int calendars, struct sla_option **out,
    size_t *n);

#endif
