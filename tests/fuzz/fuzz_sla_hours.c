/*
 * fuzz_sla_hours.c — libFuzzer harness for the calendar form's parsers
 * (sla_parse_intervals, sla_parse_holidays).
 *
 * The input, NUL-terminated, is typed into a weekday's hours and into the
 * holidays. What comes back must be what sla_hours.h promises: intervals
 * inside the day, sorted, not overlapping, that print back and parse to
 * the same; holidays with ten-character dates and names of at most
 * SLA_HOLIDAY_NAME_MAX characters.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/utf8.h"
#include "domain/sla_hours.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_intervals(struct arena *a, const char *text)
{
	struct sla_interval iv[SLA_INTERVALS_MAX], again[SLA_INTERVALS_MAX];
	const char *why = NULL, *printed;
	size_t n, m, i;

	if (sla_parse_intervals(text, iv, SLA_INTERVALS_MAX, &n, &why) != CS_OK) {
		if (why == NULL)
			abort();
		return;
	}
	if (n > SLA_INTERVALS_MAX)
		abort();
	for (i = 0; i < n; i++) {
		if (iv[i].opens < 0 || iv[i].opens >= iv[i].closes || iv[i].closes > 1440)
			abort();
		if (i > 0 && iv[i].opens < iv[i - 1].closes)
			abort();
	}
	printed = sla_intervals_text(a, iv, n);
	if (sla_parse_intervals(printed, again, SLA_INTERVALS_MAX, &m, &why) != CS_OK || m != n ||
	    (n > 0 && memcmp(iv, again, n * sizeof(*iv)) != 0))
		abort();
}

static void
check_holidays(struct arena *a, const char *text)
{
	struct sla_holiday h[8];
	const char *why = NULL;
	size_t n, i;

	if (sla_parse_holidays(a, text, h, 8, &n, &why) != CS_OK) {
		if (why == NULL)
			abort();
		return;
	}
	if (n > 8)
		abort();
	for (i = 0; i < n; i++)
		if (strlen(h[i].day) != 10 || h[i].day[4] != '-' || h[i].day[7] != '-' ||
		    h[i].name == NULL || utf8_chars(h[i].name) > SLA_HOLIDAY_NAME_MAX ||
		    strchr(h[i].name, '\n') != NULL)
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena *a = arena_new(4096);
	char *text = malloc(size + 1);

	if (a == NULL || text == NULL) {
		arena_free(a);
		free(text);
		return 0;
	}
	memcpy(text, data, size);
	text[size] = '\0';
	check_intervals(a, text);
	check_holidays(a, text);
	arena_free(a);
	free(text);
	return 0;
}
