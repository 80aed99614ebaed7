/*
 * sla_hours.h — the opening hours and holidays of a business calendar as
 * people type them into the calendar form, parsed and written back. No
 * database: the parsers take untrusted text and are fuzzed
 * (tests/fuzz/fuzz_sla_hours.c).
 */
#ifndef CSDESK_SLA_HOURS_H
#define CSDESK_SLA_HOURS_H

#include <stddef.h>

struct arena;

/* Limits of the calendar form. */
#define SLA_INTERVALS_MAX 8	/* per weekday */
#define SLA_HOLIDAYS_MAX 400
#define SLA_NAME_MAX 100

/* An opening interval: minutes from local midnight, opens < closes ≤ 1440. */
struct sla_interval {
	int opens, closes;
};

struct sla_holiday {
	char day[11];		/* "2026-12-25" */
	const char *name;
};

/*
 * Parses one weekday's hours as typed: "" or "closed" (none), or intervals
 * "09:00-12:00, 13:00-17:00" ("24:00" may end one). Fills out[0..*n),
 * sorted. Returns 0, or -1 with *why set (an interval that ends before it
 * starts, a bad time, overlapping intervals, more than max). Cannot fail
 * otherwise; reads text only up to its NUL.
 */
int sla_parse_intervals(const char *text, struct sla_interval *out, size_t max, size_t *n,
    const char **why);

/*
 * Parses holidays, one per line: "2026-12-25 Christmas" (the name is
 * optional). Names are copied into a. Returns 0, or -1 with *why set (a date
 * that does not exist, a name too long, more than max, out of memory).
 */
int sla_parse_holidays(struct arena *a, const char *text, struct sla_holiday *out, size_t max,
    size_t *n, const char **why);

/* "09:00-12:00, 13:00-17:00" for intervals, in a ("" for none or out of memory). */
const char *sla_intervals_text(struct arena *a, const struct sla_interval *iv, size_t n);

#endif
