/*
 * staff_prefs.h — an agent's personal settings: the colour theme, whether
 * single-key shortcuts are on (WCAG 2.1.4 asks that they can be turned
 * off), what happens after an action on a ticket, and the time zone times
 * are shown in (staff.time_zone, which working hours also use).
 *
 * The session lookup (auth/session.c) reads theme, shortcuts and
 * after_action with the session itself, so every console page knows them
 * without another statement; this module reads and saves them for the
 * settings page. A person without a row has the defaults below.
 */
#ifndef CSDESK_STAFF_PREFS_H
#define CSDESK_STAFF_PREFS_H

#include "core/result.h"

struct arena;
struct db;

/* The words stored (039_workspace.sql's CHECKs), NULL-terminated. */
extern const char *const staff_pref_themes[];		/* system, light, dark */
extern const char *const staff_pref_afters[];		/* stay, next */

#define STAFF_PREF_ZONE_MAX 64	/* IANA names are shorter */

struct staff_prefs {
	const char *theme;		/* "system" (the default), "light", "dark" */
	int shortcuts;			/* 1 (the default) or 0 */
	const char *after_action;	/* "stay" (the default) or "next" */
	const char *time_zone;		/* an IANA name, "UTC" by default */
};

/* The defaults: what a person who never saved settings has. Cannot fail. */
void staff_prefs_default(struct staff_prefs *p);

/*
 * staff_id's settings, in a (the defaults where there is no row).
 * CS_OK, CS_NOT_FOUND (no such staff member) or the failure.
 */
enum cs_result staff_prefs_get(struct db *db, struct arena *a, long long staff_id,
    struct staff_prefs *p);

/*
 * Saves p for staff_id in one transaction. CS_REFUSED with *why and
 * *field ("theme", "after_action", "time_zone") when a value is not one
 * of the words above or the time zone is not one PostgreSQL knows;
 * CS_OK or the failure.
 */
enum cs_result staff_prefs_save(struct db *db, long long staff_id, const struct staff_prefs *p,
    const char **why, const char **field);

#endif
