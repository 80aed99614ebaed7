/*
 * staff_admin.h — what admins do to the staff: list and find people,
 * create them, change their roles, team, skills, languages, capacity,
 * working hours and escalation level, deactivate them; and keep the team
 * and skill lists.
 *
 * Every change runs in one transaction (nested inside the caller's, if
 * any) together with its audit record. Deactivating a person ends all of
 * their sessions in that same transaction, so they are out at once.
 *
 * Changes take `by`, who acts: its actor_kind, actor_id and ip go into the
 * audit record (the rest of it is ignored); for the rule that admins
 * cannot demote or deactivate themselves, actor_id is a staff id.
 *
 * Functions return 0 (or a new id) on success, a negative STAFF_ADMIN_*
 * code otherwise; -1 is a database error (logged). Strings come back in
 * the arena given and live as long as it does.
 */
#ifndef CSDESK_STAFF_ADMIN_H
#define CSDESK_STAFF_ADMIN_H

#include <stddef.h>

struct arena;
struct audit_entry;
struct db;

/* Rows per page of the staff list. */
#define STAFF_ADMIN_PAGE 50

/* Failures besides -1 (database error). */
#define STAFF_ADMIN_NOT_FOUND (-2)	/* no such person, team or skill */
#define STAFF_ADMIN_TAKEN (-3)		/* the e-mail or name is already in use */
#define STAFF_ADMIN_SELF (-4)		/* would drop the actor's own admin role or activity */
#define STAFF_ADMIN_BAD_TEAM (-5)	/* the team does not exist */

/* The roles a person may hold, in display order. */
#define STAFF_ADMIN_NROLES 4
extern const char *const staff_admin_roles[STAFF_ADMIN_NROLES];

/* One line of the staff list. */
struct staff_admin_row {
	long long id;
	const char *name, *email;
	const char *roles;	/* "agent,admin" */
	const char *team;	/* "" when none */
	int active;
	int totp;		/* second factor enrolled */
};

struct staff_admin_query {
	const char *text;	/* "" or text to find in the name or e-mail */
	int active;		/* -1 everyone, 0 inactive only, 1 active only */
	long long after;	/* keyset: only ids above this (0: from the start) */
};

/*
 * Up to STAFF_ADMIN_PAGE people matching q, by id. *rows is an arena
 * array of *n rows; *next is the id to continue after when there are more,
 * else 0. Returns 0 or -1.
 */
int staff_admin_list(struct db *db, struct arena *a, const struct staff_admin_query *q,
    struct staff_admin_row **rows, size_t *n, long long *next);

/* Everything the edit page shows and changes about one person. */
struct staff_admin_person {
	long long id;
	const char *name;
	const char *email;		/* read-only here */
	const char *roles;		/* comma list from staff_admin_roles, at least one */
	long long team_id;		/* 0: no team */
	long long *skills;		/* skill ids */
	size_t nskills;
	const char *languages;		/* "en,fr": two-letter codes, at least one */
	int capacity;			/* 0..1000 */
	unsigned work_days;		/* bit d-1 set for day d, 1 = Monday … 7 = Sunday */
	const char *work_start;		/* "HH:MM" */
	const char *work_end;
	const char *time_zone;		/* an IANA name PostgreSQL knows */
	int escalation_level;		/* 1..3 */
	int active;
	int totp;			/* read-only: second factor enrolled */
};

/* Fills p for id. Returns 1 found, 0 no such person, -1. */
int staff_admin_get(struct db *db, struct arena *a, long long id, struct staff_admin_person *p);

/*
 * Saves p (all fields but email and totp) as by's change: the skills
 * become exactly p->skills (unknown ids are ignored), and when p->active
 * is off every session of the person ends. Returns 0, STAFF_ADMIN_SELF
 * when p is the actor and would lose the admin role or be deactivated,
 * STAFF_ADMIN_NOT_FOUND, STAFF_ADMIN_BAD_TEAM or -1.
 */
int staff_admin_update(struct db *db, const struct audit_entry *by,
    const struct staff_admin_person *p);

/*
 * Creates an active person with the defaults for everything the form does
 * not ask. email is stored lower-cased; roles as for the person above;
 * team_id 0 for none; password_hash from password_hash(). Returns the new
 * id, STAFF_ADMIN_TAKEN (e-mail in use), STAFF_ADMIN_BAD_TEAM or -1.
 */
long long staff_admin_create(struct db *db, const struct audit_entry *by, const char *name,
    const char *email, const char *roles, long long team_id, const char *password_hash);

/* 1 when PostgreSQL knows time zone name, 0 when not, -1. */
int staff_admin_zone_exists(struct db *db, const char *name);

/* Teams and skills: two simple named lists kept the same way. */
enum staff_admin_kind {
	STAFF_ADMIN_TEAMS,
	STAFF_ADMIN_SKILLS,
	STAFF_ADMIN_KIND__MAX
};

struct staff_admin_named {
	long long id;
	const char *name;
	long long members;	/* active staff in the team / with the skill */
};

/* Every team or skill, by name. Returns 0 or -1. */
int staff_admin_named_list(struct db *db, struct arena *a, enum staff_admin_kind kind,
    struct staff_admin_named **rows, size_t *n);

/* Adds one (name 1..100 characters). Returns its id, STAFF_ADMIN_TAKEN or -1. */
long long staff_admin_named_add(struct db *db, const struct audit_entry *by,
    enum staff_admin_kind kind, const char *name);

/* Renames one. Returns 0, STAFF_ADMIN_TAKEN, STAFF_ADMIN_NOT_FOUND or -1. */
int staff_admin_named_rename(struct db *db, const struct audit_entry *by,
    enum staff_admin_kind kind, long long id, const char *name);

#endif
