/*
 * sla_admin.h — what the admin modules of service levels share: business
 * calendars (sla_calendars.h), SLA policies (sla_policies.h) and
 * escalation rules (escalation_rules.h). Their names, the values a policy
 * or a rule may name, the refusal a change comes back with, and the
 * categories a policy or a rule may be limited to.
 *
 * A change to any of them runs in one transaction with its audit record
 * (admin_audit_commit); its checks are made in its module, once, against the
 * limits named in the headers (the tables' CHECKs, in characters).
 */
#ifndef CSDESK_SLA_ADMIN_H
#define CSDESK_SLA_ADMIN_H

#include <stddef.h>

#include "core/result.h"

struct arena;
struct db;
struct db_option;
struct db_stmt;

/* A limit's number in a message, from its constant: SLA_STR(SLA_NAME_MAX) is "100". */
#define SLA_STR_(x) #x
#define SLA_STR(x) SLA_STR_(x)

/* A calendar's, policy's or rule's name: 1 to SLA_NAME_MAX characters. */
#define SLA_NAME_MAX 100

/* Priorities, tiers, pausing statuses, rule events, notify levels and
 * targets, NULL-terminated. */
extern const char *const sla_admin_priorities[];
extern const char *const sla_admin_tiers[];
extern const char *const sla_admin_pausable[];
extern const char *const sla_admin_events[];
extern const char *const sla_admin_notify[];
extern const char *const sla_admin_targets[];

/* Non-zero when value is one of list (NULL-terminated). */
int sla_admin_in(const char *value, const char *const *list);

/*
 * Why a change was refused: a sentence for the person per form field at
 * fault ("name", "time_zone", "hours_3", …), the first one for each field,
 * so a form can show every message at once. It lives in the caller;
 * texts live in the arena of the call or are static.
 */
#define SLA_WHY_MAX 16
struct sla_why {
	struct {
		const char *field, *text;
	} at[SLA_WHY_MAX];
	size_t n;
};

/* Adds text for field, unless field has one or the list is full. Cannot fail. */
void sla_why_add(struct sla_why *why, const char *field, const char *text);

/*
 * Refuses an empty name or one longer than SLA_NAME_MAX characters: adds
 * to why at field "name" ("Name is required.", "Name must be at most 100
 * characters long."). Cannot fail.
 */
void sla_admin_check_name(struct sla_why *why, const char *name);

/* Active categories for selects, by position: ids and names. CS_OK or the failure. */
enum cs_result sla_admin_categories(struct db *db, struct arena *a, struct db_option **out,
    size_t *n);

/*
 * Runs st, an INSERT or UPDATE ending in "RETURNING " DB_COLS(SLA_ID_COLS),
 * with p: *id is the row's id. Returns CS_OK, CS_NOT_FOUND (no row),
 * CS_TAKEN (a unique name or scope, 23505) or the failure.
 */
#define SLA_ID_COLS(X) X(SLA_ID, id, "id")
enum cs_result sla_admin_write(struct db *db, struct db_stmt *st, const char *const *p,
    long long *id);

#endif
