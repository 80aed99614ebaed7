/*
 * sla_hours.h — the opening hours and holidays of a business calendar as
 * people type them into the calendar form, parsed and written back, and a
 * calendar's week as the database holds it. No database: the parsers take
 * untrusted text and are fuzzed (tests/fuzz/fuzz_sla_hours.c).
 *
 * The parsers return CS_OK, or CS_REFUSED with *why a sentence for the
 * person; sla_parse_holidays also CS_FAILED when out of memory.
 */
#ifndef CSDESK_SLA_HOURS_H
#define CSDESK_SLA_HOURS_H

#include <stddef.h>

#include "core/result.h"

struct arena;

/* Limits of hours and holidays, in characters (calendar_holidays' CHECK). */
#define SLA_INTERVALS_MAX 8		/* per weekday */
#define SLA_HOLIDAYS_MAX 400
#define SLA_HOLIDAY_NAME_MAX 100

/* An opening interval: minutes from local midnight, opens < closes ≤ 1440. */
struct sla_interval {
	int opens, closes;
};

struct sla_holiday {
	char day[11];		/* "2026-12-25" */
	const char *name;
};

/* A week of opening hours: intervals per weekday (index 0 = Monday), sorted. */
struct sla_week {
	struct sla_interval day[7][SLA_INTERVALS_MAX];
	size_t n[7];
};

/*
 * Adds an interval read from the database to ISO weekday (1 = Monday);
 * closes 0 is '24:00' read back as a day's seconds. Rows must come in
 * order; one past SLA_INTERVALS_MAX on a day, or on no weekday, is left
 * out (the form never saves one). Cannot fail.
 */
void sla_week_add(struct sla_week *w, int weekday, int opens, int closes);

/*
 * Parses one weekday's hours as typed: "" or "closed" (none), or intervals
 * "09:00-12:00, 13:00-17:00" ("24:00" may end one). Fills out[0..*n),
 * sorted. Returns CS_OK, or CS_REFUSED with *why set (an interval that
 * ends before it starts, a bad time, overlapping intervals, more than
 * max). Cannot fail otherwise; reads text only up to its NUL.
 */
enum cs_result sla_parse_intervals(const char *text, struct sla_interval *out, size_t max, size_t *n,
    const char **why);

/*
 * Parses holidays, one per line: "2026-12-25 Christmas" (the name is
 * optional, at most SLA_HOLIDAY_NAME_MAX characters). Names are copied
 * into a. Returns CS_OK, CS_REFUSED with *why set (a date that does not
 * exist, a name too long, more than max) or CS_FAILED (out of memory,
 * *why says so).
 */
enum cs_result sla_parse_holidays(struct arena *a, const char *text, struct sla_holiday *out, size_t max,
    size_t *n, const char **why);

/* "09:00-12:00, 13:00-17:00" for intervals, in a ("" for none or out of memory). */
const char *sla_intervals_text(struct arena *a, const struct sla_interval *iv, size_t n);

#endif
