/*
 * zone_time.h — a moment as a person reads it in their time zone (an IANA
 * name such as Europe/Paris, as staff.time_zone holds it, checked against
 * PostgreSQL's list when saved), and the "YYYY-MM-DD HH:MM" UTC text the
 * lists read from the database as a moment.
 */
#ifndef CSDESK_ZONE_TIME_H
#define CSDESK_ZONE_TIME_H

#include <time.h>

struct arena;

/*
 * t in zone as "Tue 2026-12-08 14:05" (full) or "2026-12-08 14:05", in a.
 * A zone the C library does not know reads as UTC. NULL when out of
 * memory. Sets the process's TZ to zone (and leaves it there: nothing
 * else reads local time; a worker serves one request at a time).
 */
const char *zone_time(struct arena *a, time_t t, const char *zone, int full);

/* Room zone_time_format needs, NUL included. */
#define ZONE_TIME_MAX 64

/*
 * tm as zone_time shows it ("Tue 2026-12-08 14:05" when full, else
 * "2026-12-08 14:05"), as strftime would in the C locale, into out
 * (ZONE_TIME_MAX bytes). Cannot fail; "" for a tm strftime cannot print.
 */
void zone_time_format(const struct tm *tm, int full, char *out);

/* "2026-01-31 14:05" (UTC) as a moment; -1 when it is not one. */
time_t zone_time_utc(const char *text);

/*
 * text ("YYYY-MM-DD HH:MM", UTC) in zone, as zone_time (not full) makes
 * it; text itself when it does not parse or memory runs out.
 */
const char *zone_time_text(struct arena *a, const char *text, const char *zone);

#endif
