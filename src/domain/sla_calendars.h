/*
 * sla_calendars.h — business calendars: a time zone, weekly opening hours
 * (several intervals a day, a night shift as two) and holidays, or open
 * around the clock; and how many business minutes make one business day
 * of a target. SLA policies count their targets on one.
 *
 * Creating or changing a calendar is one use case: the input as typed
 * (hours and holidays as text, parsed by sla_hours.h) is checked here
 * against the limits below, then the calendar, its hours and holidays,
 * its audit record and the queueing of the open tickets it affects (whose
 * due times `csdesk batch` recomputes) go in one transaction.
 *
 * Functions return CS_OK or what went wrong; strings live in the arena.
 */
#ifndef CSDESK_SLA_CALENDARS_H
#define CSDESK_SLA_CALENDARS_H

#include <stddef.h>

#include "core/result.h"
#include "domain/sla_admin.h"
#include "domain/sla_hours.h"

struct arena;
struct audit_entry;
struct db;
struct db_option;

/* Limits, in characters (business_calendars' CHECKs) or minutes. */
#define SLA_ZONE_MAX 64			/* an IANA zone name (SYSTEM_ZONE_MAX) */
#define SLA_DAY_MINUTES_MAX 1440	/* a business day: 1 to 1440 minutes */
#define SLA_HOURS_TEXT_MAX 200		/* one weekday's hours as typed */
#define SLA_HOLIDAYS_TEXT_MAX 20000	/* the holidays as typed */

struct sla_calendar {
	long long id;
	const char *name, *zone;
	int always_open;
	int day_minutes;
	struct sla_week week;
	struct sla_holiday *holidays;
	size_t nholidays;
	const char *summary;		/* the week in words (sla_hours_words) */
};

/* Every calendar (name order) with its week and summary, no holidays. CS_OK or the failure. */
enum cs_result sla_calendar_list(struct db *db, struct arena *a, struct sla_calendar **out,
    size_t *n);

/* One calendar with its week, summary and holidays: CS_OK, CS_NOT_FOUND or the failure. */
enum cs_result sla_calendar_get(struct db *db, struct arena *a, long long id,
    struct sla_calendar *c);

/* The opening hours of calendar id (an empty week when it has none). CS_OK or the failure. */
enum cs_result sla_calendar_week(struct db *db, struct arena *a, long long id,
    struct sla_week *w);

/* Business minutes in a business day of calendar id: CS_OK, CS_NOT_FOUND or the failure. */
enum cs_result sla_calendar_day_minutes(struct db *db, long long id, int *day_minutes);

/* Every calendar for a select (name order): ids and names. CS_OK or the failure. */
enum cs_result sla_calendar_options(struct db *db, struct arena *a, struct db_option **out,
    size_t *n);

/* A calendar as an admin types it. */
struct sla_calendar_input {
	const char *name, *zone;
	long long day_minutes;
	int always_open;
	const char *hours[7];		/* each weekday's hours as typed, Monday first */
	const char *holidays;		/* one a line: "2026-12-25 Christmas Day" */
};

/*
 * Checks in: a name, a zone PostgreSQL knows, a business day of 1 to 1440
 * minutes, hours each weekday can parse (and some, unless always_open),
 * holidays that exist. Fills *out (holidays in a). Returns CS_OK,
 * CS_REFUSED with every message in why (fields "name", "time_zone",
 * "day_minutes", "hours_1" … "hours_7" for Monday … Sunday, "holidays"),
 * or the failure of looking the zone up.
 */
enum cs_result sla_calendar_check(struct db *db, struct arena *a,
    const struct sla_calendar_input *in, struct sla_calendar *out, struct sla_why *why);

/*
 * Creates a calendar (*id set) or replaces calendar id's name, zone, hours
 * and holidays, after sla_calendar_check. Returns CS_OK, CS_REFUSED (why
 * filled), CS_TAKEN (another calendar has the name: why says so at
 * "name"), CS_NOT_FOUND (update: no such calendar) or the failure.
 */
enum cs_result sla_calendar_create(struct db *db, struct arena *a, const struct audit_entry *by,
    const struct sla_calendar_input *in, long long *id, struct sla_why *why);
enum cs_result sla_calendar_update(struct db *db, struct arena *a, const struct audit_entry *by,
    long long id, const struct sla_calendar_input *in, struct sla_why *why);

#endif
