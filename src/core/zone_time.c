/* zone_time.c — see zone_time.h. */
#include "core/zone_time.h"
#include "core/arena.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * The zone TZ is set to. Nothing in the programs reads local time but
 * this file (every other time is UTC, gmtime), so TZ stays on the last
 * zone asked for: a list of fifty rows in one agent's zone loads its rules
 * once, not a hundred times.
 */
static char current[128];

const char *
zone_time(struct arena *a, time_t t, const char *zone, int full)
{
	char out[64];
	struct tm tm;

	if (zone == NULL || *zone == '\0' || strlen(zone) >= sizeof(current))
		zone = "UTC";
	if (strcmp(current, zone) != 0) {
		snprintf(current, sizeof(current), "%s", zone);
		setenv("TZ", current, 1);
		tzset();
	}
	if (localtime_r(&t, &tm) == NULL ||
	    strftime(out, sizeof(out), full ? "%a %Y-%m-%d %H:%M" : "%Y-%m-%d %H:%M", &tm) == 0)
		out[0] = '\0';
	return arena_strdup(a, out);
}

time_t
zone_time_utc(const char *text)
{
	struct tm tm;
	const char *end;

	memset(&tm, 0, sizeof(tm));
	if (text == NULL || (end = strptime(text, "%Y-%m-%d %H:%M", &tm)) == NULL || *end != '\0')
		return -1;
	return timegm(&tm);
}

const char *
zone_time_text(struct arena *a, const char *text, const char *zone)
{
	time_t t = zone_time_utc(text);
	const char *s;

	if (t < 0 || (s = zone_time(a, t, zone, 0)) == NULL || *s == '\0')
		return text;
	return s;
}
