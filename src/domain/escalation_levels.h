/*
 * escalation_levels.h — the names of the five escalation levels a staff
 * member is at (staff.escalation_level; by default frontline, senior,
 * team lead, manager, director). A rule that hands a ticket to the next
 * level, and a flag's path (escalation_flags.h), go by the number; people
 * read the name. The five are saved at once, with their audit record.
 */
#ifndef CSDESK_ESCALATION_LEVELS_H
#define CSDESK_ESCALATION_LEVELS_H

#include "core/result.h"
#include "domain/sla_admin.h"

struct arena;
struct audit_entry;
struct db;

#define ESCALATION_LEVELS 5
#define ESCALATION_LEVEL_NAME_MAX 40	/* characters, the table's CHECK */

/* The five names, level 1 first, into names (strings in a). CS_OK or the failure. */
enum cs_result escalation_levels_get(struct db *db, struct arena *a,
    const char *names[ESCALATION_LEVELS]);

/*
 * Saves the five names: each 1..ESCALATION_LEVEL_NAME_MAX characters, no
 * two alike (ignoring case). CS_OK, CS_REFUSED (why: "name_1" …
 * "name_5") or the failure.
 */
enum cs_result escalation_levels_save(struct db *db, struct arena *a,
    const struct audit_entry *by, const char *const names[ESCALATION_LEVELS],
    struct sla_why *why);

#endif
