/*
 * staff_prefs.h — an agent's personal settings: the colour theme, whether
 * single-key shortcuts are on (WCAG 2.1.4 asks that they can be turned
 * off), what happens after an action on a ticket, the time zone times
 * are shown in (staff.time_zone, which working hours also use), the
 * language of the interface strings (a catalogue, web/i18n.h) and which
 * ticket events mail the agent (honoured by the mail consumer through
 * staff_wants_mail(), sql/functions/250_workspace_more.sql).
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
	const char *language;		/* a catalogue's code (i18n.h), "en" by default */
	/* Mail me when: a ticket is given to me (default on), a customer
	 * answers a ticket of mine (on), one of mine is at risk (off). */
	int mail_assigned, mail_replied, mail_at_risk;
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
 * *field ("theme", "after_action", "time_zone", "language") when a value
 * is not one of the words above, the language has no catalogue
 * (languages, NULL-terminated codes) or the time zone is not one
 * PostgreSQL knows;
 * CS_OK or the failure.
 */
enum cs_result staff_prefs_save(struct db *db, long long staff_id, const struct staff_prefs *p,
    const char *const *languages, const char **why, const char **field);

#endif
