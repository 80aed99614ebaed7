/*
 * staff.h — the people who work here: adding a staff member, finding and
 * listing them, and changing their name, roles, team, skills, languages,
 * capacity, working hours, escalation level and activity. How they sign
 * in is staff_auth.h; the team and skill lists are staff_groups.h.
 *
 * Every change runs in one transaction (nested inside the caller's, if
 * any) together with its audit record. Deactivating a person ends all of
 * their sessions in that same transaction, so they are out at once.
 *
 * Changes take `by`, who acts: its actor_kind, actor_id and ip go into the
 * audit record (the rest of it is ignored); for the rule that admins
 * cannot demote or deactivate themselves, actor_id is a staff id.
 *
 * Every function that can fail returns an enum cs_result; CS_REFUSED comes
 * with a sentence for the person in *why. Strings come back in the arena
 * given and live as long as it does.
 */
#ifndef CSDESK_STAFF_H
#define CSDESK_STAFF_H

#include <stddef.h>

#include "core/result.h"

struct arena;
struct audit_entry;
struct db;

/* Limits, in characters, as the staff table's CHECKs have them. */
#define STAFF_NAME_MAX 200
#define STAFF_EMAIL_MAX 254
#define STAFF_CAPACITY_MAX 1000
#define STAFF_LEVEL_MAX 5	/* escalation_levels (038): frontline … director */
#define STAFF_SKILL_LEVEL_MAX 5	/* how well one knows a skill (046): 1 … 5 */
/*
 * Most languages one person lists, the longest such list as typed, and
 * the longest time zone name.
 */
#define STAFF_LANGUAGES_MAX 20
#define STAFF_LANGUAGES_TYPED_MAX 200
#define STAFF_ZONE_MAX 64	/* SYSTEM_ZONE_MAX */

/* Rows per page of the staff list, and the longest text it searches for. */
#define STAFF_PAGE 50
#define STAFF_SEARCH_MAX 200

/* The sentence a change gets when its team vanished meanwhile. */
#define STAFF_WHY_TEAM "That team no longer exists: choose another."

/* The roles a person may hold, in display order; staff_roles names them. */
enum staff_role {
	STAFF_AGENT,
	STAFF_SUPERVISOR,
	STAFF_TECHNICIAN,
	STAFF_ADMIN,
	STAFF_WAREHOUSE,	/* receives and inspects returns (returns.h) */
	STAFF_NROLES
};
extern const char *const staff_roles[STAFF_NROLES];

/* One line of the staff list. */
struct staff_row {
	long long id;
	const char *name, *email;
	const char *roles;	/* "agent,admin" */
	const char *team;	/* "" when none */
	int active;
	int totp;		/* second factor enrolled */
};

struct staff_query {
	const char *text;	/* "" or text to find in the name or e-mail */
	int active;		/* -1 everyone, 0 inactive only, 1 active only */
	long long after;	/* keyset: only ids above this (0: from the start) */
};

/*
 * Up to STAFF_PAGE people matching q, by id. *rows is an arena array of
 * *n rows; *next is the id to continue after when there are more, else 0.
 * Returns CS_OK, CS_REFUSED (q->text over STAFF_SEARCH_MAX characters) or
 * the failure.
 */
enum cs_result staff_list(struct db *db, struct arena *a, const struct staff_query *q,
    struct staff_row **rows, size_t *n, long long *next);

/* Everything the edit page shows and changes about one person. */
struct staff_person {
	long long id;
	const char *name;		/* 1..STAFF_NAME_MAX characters */
	const char *email;		/* read-only here */
	const char *roles;		/* comma list from staff_roles, at least one */
	long long team_id;		/* 0: no team */
	long long *skills;		/* skill ids */
	long long *skill_levels;	/* each skill's level, 1..STAFF_SKILL_LEVEL_MAX (NULL: all 1) */
	size_t nskills;
	const char *languages;		/* "en,fr": two-letter codes, 1..STAFF_LANGUAGES_MAX */
	int capacity;			/* 0..STAFF_CAPACITY_MAX */
	unsigned work_days;		/* bit d-1 set for day d, 1 = Monday … 7 = Sunday */
	const char *work_start;		/* "HH:MM" */
	const char *work_end;
	const char *time_zone;		/* an IANA name PostgreSQL knows */
	int escalation_level;		/* 1..STAFF_LEVEL_MAX */
	int active;
	int totp;			/* read-only: second factor enrolled */
};

/* Fills p for id. Returns CS_OK, CS_NOT_FOUND or the failure. */
enum cs_result staff_get(struct db *db, struct arena *a, long long id, struct staff_person *p);

/*
 * Saves p (all fields but email and totp) as by's change: the skills
 * become exactly p->skills (unknown ids are ignored), and when p->active
 * is off every session of the person ends. Returns CS_OK, CS_REFUSED (a
 * limit; the team vanished: STAFF_WHY_TEAM; p is the actor and would lose
 * the admin role or be deactivated), CS_NOT_FOUND or the failure.
 */
enum cs_result staff_update(struct db *db, const struct audit_entry *by,
    const struct staff_person *p, const char **why);

/* A new staff member; everything the form does not ask gets its default. */
struct staff_new {
	const char *name;		/* 1..STAFF_NAME_MAX characters */
	const char *email;		/* stored lower-cased */
	const char *roles;		/* as for staff_person */
	long long team_id;		/* 0 for none */
	const char *password_hash;	/* from password_hash() */
};

/*
 * Adds an active person and sets *id. by NULL records no audit row (the
 * command line's first admin, test fixtures). Returns CS_OK, CS_TAKEN
 * (the e-mail is in use), CS_REFUSED (a limit, or STAFF_WHY_TEAM) or the
 * failure.
 */
enum cs_result staff_create(struct db *db, const struct audit_entry *by,
    const struct staff_new *in, long long *id, const char **why);

/*
 * The languages as typed ("en, FR") in the stored form ("en,fr"): two-letter
 * codes, each once, 1..STAFF_LANGUAGES_MAX of them. *out is in a. Returns
 * CS_OK, CS_REFUSED (with a sentence) or CS_FAILED (out of memory).
 */
enum cs_result staff_languages(struct arena *a, const char *typed, const char **out,
    const char **why);

/*
 * Roles as a mask (bit i: staff_roles[i]) and as the stored comma list in
 * the canonical order. staff_roles_csv: a copy in a, or NULL when out of
 * memory; staff_roles_mask ignores unknown names. Cannot fail otherwise.
 */
const char *staff_roles_csv(struct arena *a, unsigned mask);
unsigned staff_roles_mask(const char *csv);

/*
 * A time of day as typed ("HH:MM", or "HH:MM:SS" as some browsers send)
 * in the stored form "HH:MM", a copy in a; NULL when it is not one.
 */
const char *staff_time_of_day(struct arena *a, const char *s);

/* Non-zero when the comma list roles names only known roles, at least one. */
int staff_roles_ok(const char *roles);

/*
 * Whether PostgreSQL knows time zone name: CS_OK, CS_REFUSED (with a
 * sentence) or the failure.
 */
enum cs_result staff_zone_check(struct db *db, const char *name, const char **why);

#endif
