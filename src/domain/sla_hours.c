/* sla_hours.c — see sla_hours.h. */
#include "domain/sla_hours.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/utf8.h"

#include <stdlib.h>
#include <string.h>

/* A limit's number in a message, from its constant. */
#define STR_(x) #x
#define STR(x) STR_(x)

/* "HH:MM" at *p (advanced past it) into *minutes: 1, or 0 when not a time of day. */
static int
parse_time(const char **p, int *minutes)
{
	const char *s = *p;
	int h, m;

	if (!(s[0] >= '0' && s[0] <= '9'))
		return 0;
	h = s[0] - '0';
	s++;
	if (*s >= '0' && *s <= '9')
		h = h * 10 + (*s++ - '0');
	if (*s++ != ':' || !(s[0] >= '0' && s[0] <= '5') || !(s[1] >= '0' && s[1] <= '9'))
		return 0;
	m = (s[0] - '0') * 10 + (s[1] - '0');
	s += 2;
	if (h > 24 || (h == 24 && m != 0))
		return 0;
	*p = s;
	*minutes = h * 60 + m;
	return 1;
}

static const char *
skip_blanks(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

static int
interval_cmp(const void *a, const void *b)
{
	const struct sla_interval *x = a, *y = b;

	return (x->opens > y->opens) - (x->opens < y->opens);
}

void
sla_week_add(struct sla_week *w, int weekday, int opens, int closes)
{
	size_t d = (size_t)weekday - 1;

	if (weekday < 1 || weekday > 7 || w->n[d] == SLA_INTERVALS_MAX)
		return;
	w->day[d][w->n[d]].opens = opens;
	w->day[d][w->n[d]].closes = closes == 0 ? 1440 : closes;
	w->n[d]++;
}

enum cs_result
sla_parse_intervals(const char *text, struct sla_interval *out, size_t max, size_t *n,
    const char **why)
{
	const char *s = skip_blanks(text != NULL ? text : "");
	size_t i;

	*n = 0;
	if (*s == '\0' || strncmp(s, "closed", 6) == 0) {
		if (*s != '\0' && *skip_blanks(s + 6) != '\0') {
			*why = "Write \"closed\" alone, or times like 09:00-17:00.";
			return CS_REFUSED;
		}
		return CS_OK;
	}
	for (;;) {
		int a, b;

		s = skip_blanks(s);
		if (!parse_time(&s, &a) || a >= 1440) {
			*why = "Write times as HH:MM, like 09:00-12:30.";
			return CS_REFUSED;
		}
		s = skip_blanks(s);
		if (*s == '-')
			s++;
		else if (strncmp(s, "\xe2\x80\x93", 3) == 0)	/* an en dash */
			s += 3;
		else {
			*why = "Write an interval as start-end, like 09:00-17:00.";
			return CS_REFUSED;
		}
		s = skip_blanks(s);
		if (!parse_time(&s, &b)) {
			*why = "Write times as HH:MM, like 09:00-12:30.";
			return CS_REFUSED;
		}
		if (b <= a) {
			*why = "An interval ends before it starts: write a night shift as "
			    "22:00-24:00 on one day and 00:00-06:00 on the next.";
			return CS_REFUSED;
		}
		if (*n == max) {
			*why = "Too many intervals on one day.";
			return CS_REFUSED;
		}
		out[*n].opens = a;
		out[*n].closes = b;
		(*n)++;
		s = skip_blanks(s);
		if (*s == '\0')
			break;
		if (*s != ',' && *s != ';') {
			*why = "Separate intervals with commas, like 09:00-12:00, 13:00-17:00.";
			return CS_REFUSED;
		}
		s++;
	}
	qsort(out, *n, sizeof(*out), interval_cmp);
	for (i = 1; i < *n; i++)
		if (out[i].opens < out[i - 1].closes) {
			*why = "Two intervals overlap.";
			return CS_REFUSED;
		}
	return CS_OK;
}

static int
leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* A real date "YYYY-MM-DD" (years 2000–2999) at the start of s. */
static int
date_ok(const char *s)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int i, y, m, d;

	for (i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? s[i] != '-' : !(s[i] >= '0' && s[i] <= '9'))
			return 0;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (y < 2000 || y > 2999 || m < 1 || m > 12 || d < 1)
		return 0;
	return d <= days[m - 1] + (m == 2 && leap(y));
}

enum cs_result
sla_parse_holidays(struct arena *a, const char *text, struct sla_holiday *out, size_t max,
    size_t *n, const char **why)
{
	const char *s = text != NULL ? text : "";

	*n = 0;
	while (*s != '\0') {
		const char *end = strchr(s, '\n'), *name;
		size_t len = end != NULL ? (size_t)(end - s) : strlen(s), nlen;

		while (len > 0 && (s[len - 1] == '\r' || s[len - 1] == ' ' || s[len - 1] == '\t'))
			len--;
		while (len > 0 && (*s == ' ' || *s == '\t')) {
			s++;
			len--;
		}
		if (len > 0) {
			if (len < 10 || !date_ok(s) || (len > 10 && s[10] != ' ' && s[10] != '\t')) {
				*why = "Write each holiday as a date and a name, like 2026-12-25 "
				    "Christmas Day, with a date that exists.";
				return CS_REFUSED;
			}
			if (*n == max) {
				*why = "Too many holidays.";
				return CS_REFUSED;
			}
			/* Blanks after the date, within the line (its trailing ones are cut). */
			for (name = s + 10; name < s + len && (*name == ' ' || *name == '\t'); name++)
				;
			nlen = len - (size_t)(name - s);
			if (utf8_chars_n(name, nlen) > SLA_HOLIDAY_NAME_MAX) {
				*why = "A holiday's name is longer than "
				    STR(SLA_HOLIDAY_NAME_MAX) " characters.";
				return CS_REFUSED;
			}
			memcpy(out[*n].day, s, 10);
			out[*n].day[10] = '\0';
			out[*n].name = nlen > 0 ? arena_strndup(a, name, nlen) : "Holiday";
			if (out[*n].name == NULL) {
				*why = "Out of memory.";
				return CS_FAILED;
			}
			(*n)++;
		}
		if (end == NULL)
			break;
		s = end + 1;
	}
	return CS_OK;
}

const char *
sla_intervals_text(struct arena *a, const struct sla_interval *iv, size_t n)
{
	struct buf b;
	size_t i;

	buf_init(&b, a);
	buf_addstr(&b, "");
	for (i = 0; i < n; i++)
		buf_printf(&b, "%s%02d:%02d-%02d:%02d", i > 0 ? ", " : "", iv[i].opens / 60,
		    iv[i].opens % 60, iv[i].closes / 60, iv[i].closes % 60);
	return buf_failed(&b) ? "" : b.buf;
}
