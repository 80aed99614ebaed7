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

/* n as two digits, tens first (n in 0..99). */
static char *
put2(char *p, int n)
{
	*p++ = (char)('0' + n / 10);
	*p++ = (char)('0' + n % 10);
	return p;
}

/*
 * What strftime gives for "%a %Y-%m-%d %H:%M" (full) or "%Y-%m-%d %H:%M"
 * in the C locale, the programs' only one, into out (at least
 * ZONE_TIME_MAX bytes): written by hand, because a list page formats a
 * hundred times and strftime's generality was a tenth of the page.
 */
void
zone_time_format(const struct tm *tm, int full, char *out)
{
	static const char days[7][4] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	char *p = out;

	if (full && tm->tm_wday >= 0 && tm->tm_wday < 7) {
		memcpy(p, days[tm->tm_wday], 3);
		p[3] = ' ';
		p += 4;
	} else if (full) {
		memcpy(p, "? ", 2);
		p += 2;
	}
	if (tm->tm_year >= 0 && tm->tm_year <= 8099 && tm->tm_mon >= 0 && tm->tm_mon < 12 &&
	    tm->tm_mday >= 0 && tm->tm_mday < 100 && tm->tm_hour >= 0 && tm->tm_hour < 100 &&
	    tm->tm_min >= 0 && tm->tm_min < 100) {
		int y = tm->tm_year + 1900;

		p = put2(put2(p, y / 100), y % 100);
		*p++ = '-';
		p = put2(p, tm->tm_mon + 1);
		*p++ = '-';
		p = put2(p, tm->tm_mday);
		*p++ = ' ';
		p = put2(p, tm->tm_hour);
		*p++ = ':';
		p = put2(p, tm->tm_min);
		*p = '\0';
		return;
	}
	/* Outside years 1900..9999: strftime itself. */
	if (strftime(out, ZONE_TIME_MAX, full ? "%a %Y-%m-%d %H:%M" : "%Y-%m-%d %H:%M", tm) == 0)
		out[0] = '\0';
}

const char *
zone_time(struct arena *a, time_t t, const char *zone, int full)
{
	char out[ZONE_TIME_MAX];
	struct tm tm;

	if (zone == NULL || *zone == '\0' || strlen(zone) >= sizeof(current))
		zone = "UTC";
	if (strcmp(current, zone) != 0) {
		snprintf(current, sizeof(current), "%s", zone);
		setenv("TZ", current, 1);
		tzset();
	}
	if (localtime_r(&t, &tm) == NULL)
		out[0] = '\0';
	else
		zone_time_format(&tm, full, out);
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
