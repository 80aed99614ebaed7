/*
 * staff_groups.h — the two named lists staff are sorted into: teams (a
 * person is in at most one) and skills (a person has any number). Both are
 * kept the same way: listed by name with how many active staff they hold,
 * added, and renamed. Rows are never deleted: staff and queues point at
 * them.
 *
 * Every change runs in one transaction (nested inside the caller's, if
 * any) with its audit record as by (actor_kind, actor_id and ip).
 * Functions return an enum cs_result; CS_REFUSED comes with a sentence in
 * *why. Strings come back in the arena given.
 */
#ifndef CSDESK_STAFF_GROUPS_H
#define CSDESK_STAFF_GROUPS_H

#include <stddef.h>

#include "core/result.h"

struct arena;
struct audit_entry;
struct db;

/* Longest name, in characters (the tables' CHECK). */
#define STAFF_GROUP_NAME_MAX 100

enum staff_group_kind {
	STAFF_TEAMS,
	STAFF_SKILLS,
	STAFF_GROUP__MAX
};

struct staff_group {
	long long id;
	const char *name;
	long long members;	/* active staff in the team / with the skill */
};

/* Every team or skill, by name: *rows, an arena array of *n. CS_OK or the failure. */
enum cs_result staff_group_list(struct db *db, struct arena *a, enum staff_group_kind kind,
    struct staff_group **rows, size_t *n);

/*
 * Adds one called name and sets *id. Returns CS_OK, CS_TAKEN (the name is
 * in use), CS_REFUSED (the name's length) or the failure.
 */
enum cs_result staff_group_add(struct db *db, const struct audit_entry *by,
    enum staff_group_kind kind, const char *name, long long *id, const char **why);

/* Renames one. Returns CS_OK, CS_TAKEN, CS_NOT_FOUND, CS_REFUSED or the failure. */
enum cs_result staff_group_rename(struct db *db, const struct audit_entry *by,
    enum staff_group_kind kind, long long id, const char *name, const char **why);

#endif
