/*
 * field_admin.h — technicians' field profiles as supervisors and admins
 * keep them (docs/field.md): territory, home base, travel buffer, van,
 * skills with levels, working hours and time zone (the staff record's),
 * certifications with expiry, time off. Every change is a use case that
 * appends a "technician.*" event; the field_audit consumer
 * (field_consumers.h) turns those into audit rows.
 *
 * Functions return an enum cs_result; CS_REFUSED comes with a sentence in
 * *why. Strings come back in the arena given.
 */
#ifndef CSDESK_FIELD_ADMIN_H
#define CSDESK_FIELD_ADMIN_H

#include <stddef.h>

#include "core/result.h"
#include "domain/field.h"

struct arena;
struct db;

#define FIELD_SKILLS_MAX 50		/* skills per technician */
#define FIELD_SKILL_NAME_MAX 100	/* technician_skills.skill */
#define FIELD_TERRITORY_MAX 100		/* entries (technicians.territory) */
#define FIELD_HOME_BASE_MAX 200
#define FIELD_VAN_MAX 100
#define FIELD_CERT_NAME_MAX 200

/* A technician in the list: staff with the technician role. */
struct field_tech_row {
	long long staff_id;
	const char *name;
	const char *territory;	/* "75, 92, North Paris"; "" none */
	const char *van_label;
	const char *hours;	/* "Mon–Fri 08:00–17:00 Europe/Paris" */
	int profiled;		/* has a technicians row */
	int active;
	int expired;		/* certifications that have expired */
};

/* Every staff member with the technician role, by name (up to 500). */
enum cs_result field_techs(struct db *db, struct arena *a, struct field_tech_row **rows,
    size_t *n);

struct field_cert {
	long long id;
	const char *name, *skill;
	const char *expires_on;	/* "2027-03-01"; "" never */
	int expired;
};

struct field_off {
	long long id;
	const char *from, *to;	/* "2026-12-24 08:00" in the technician's time zone */
	const char *reason;
};

/* One technician's profile; a staff member without a technicians row has the defaults. */
struct field_tech {
	long long staff_id;
	const char *name;
	int profiled, active, travel_buffer_min;
	const char *territory;	/* entries joined by ", " */
	const char *home_base, *van_label;
	const char *skills;	/* "boiler 4, furnace 2" (the form's text) */
	unsigned work_days;	/* bit d-1 for day d, 1 = Monday */
	const char *work_start, *work_end, *time_zone;
	struct field_cert *certs;
	size_t ncerts;
	struct field_off *off;	/* from today on, first first */
	size_t noff;
};

/* CS_OK, or CS_NOT_FOUND when staff_id is not an active technician. */
enum cs_result field_tech_get(struct db *db, struct arena *a, long long staff_id,
    struct field_tech *out);

struct field_tech_input {
	const char *territory;	/* prefixes or areas, separated by commas or lines */
	const char *home_base, *van_label;
	const char *skills;	/* "boiler 4, furnace 2" or "boiler:4"; level 1–5 */
	unsigned work_days;
	const char *work_start, *work_end;	/* "HH:MM" */
	const char *time_zone;
	int travel_buffer_min;	/* 0–240 */
	int active;
};

/*
 * Saves the profile (the technicians row made when missing), replacing the
 * skills, and the staff member's working hours and time zone.
 * CS_REFUSED: a skill without a level 1–5, no working day, an end before
 * the start, an unknown time zone, too many entries.
 */
enum cs_result field_tech_save(struct db *db, struct arena *a, const struct field_actor *by,
    long long staff_id, const struct field_tech_input *in, const char **why);

/* A certification, optionally of a skill; expires_on "YYYY-MM-DD" or "" (never). */
enum cs_result field_cert_add(struct db *db, struct arena *a, const struct field_actor *by,
    long long staff_id, const char *name, const char *skill, const char *expires_on,
    const char **why);
/* CS_OK, or CS_NOT_FOUND when cert_id is not staff_id's. */
enum cs_result field_cert_remove(struct db *db, struct arena *a, const struct field_actor *by,
    long long staff_id, long long cert_id);

/*
 * Time off from..to, wall-clock times in the technician's time zone
 * (or with an offset). CS_REFUSED when it overlaps time off they have
 * (PostgreSQL's exclusion constraint says so) or the times are not times.
 */
enum cs_result field_off_add(struct db *db, struct arena *a, const struct field_actor *by,
    long long staff_id, const char *from, const char *to, const char *reason,
    const char **why);
enum cs_result field_off_remove(struct db *db, struct arena *a, const struct field_actor *by,
    long long staff_id, long long off_id);

#endif
