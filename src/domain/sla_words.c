/* sla_words.c — see sla_words.h. */
#include "domain/sla_words.h"
#include "core/buf.h"

#include <stdio.h>
#include <string.h>

static const char *
done(struct buf *b)
{
	return buf_failed(b) || b->buf == NULL ? "" : b->buf;
}

const char *
sla_left_words(struct arena *a, long long seconds)
{
	long long s = seconds < 0 ? -seconds : seconds;
	struct buf b;

	buf_init(&b, a);
	buf_addstr(&b, seconds < 0 ? "overdue by " : "");
	if (s >= 86400)
		buf_printf(&b, "%lld d %lld h", s / 86400, s % 86400 / 3600);
	else if (s >= 3600)
		buf_printf(&b, "%lld h %lld min", s / 3600, s % 3600 / 60);
	else
		buf_printf(&b, "%lld min", s / 60);
	if (seconds >= 0)
		buf_addstr(&b, " left");
	return done(&b);
}

const char *
sla_target_words(struct arena *a, int minutes, int day_minutes)
{
	struct buf b;

	buf_init(&b, a);
	if (day_minutes > 0 && day_minutes < 1440 && minutes >= day_minutes &&
	    minutes % day_minutes == 0)
		buf_printf(&b, "%d business day%s", minutes / day_minutes,
		    minutes / day_minutes == 1 ? "" : "s");
	else if (minutes >= 60 && minutes % 60 == 0)
		buf_printf(&b, "%d h", minutes / 60);
	else
		buf_printf(&b, "%d min", minutes);
	return done(&b);
}

const char *
sla_hours_words(struct arena *a, int always_open, const struct sla_week *w)
{
	static const char *const days[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
	const char *sep = "";
	struct buf b;
	size_t d, i;

	if (always_open)
		return "open around the clock, every day";
	buf_init(&b, a);
	for (d = 0; d < 7; d++) {
		if (w->n[d] == 0)
			continue;
		buf_printf(&b, "%s%s", sep, days[d]);
		for (i = 0; i < w->n[d]; i++)
			buf_printf(&b, " %02d:%02d\xe2\x80\x93%02d:%02d", w->day[d][i].opens / 60,
			    w->day[d][i].opens % 60, w->day[d][i].closes / 60,
			    w->day[d][i].closes % 60);
		sep = ", ";
	}
	if (*sep == '\0')
		return "no opening hours";
	return done(&b);
}

/* " Tue 14:00" or " Mon 09 Mar 17:00" for local and its weekday; 0, or -1 when no time. */
static int
due_words(struct buf *b, const char *local, int isodow, int soon)
{
	static const char *const days[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul",
		"Aug", "Sep", "Oct", "Nov", "Dec" };
	int y, mo, d, h, mi;

	if (local == NULL || sscanf(local, "%d-%d-%d %d:%d", &y, &mo, &d, &h, &mi) != 5 ||
	    mo < 1 || mo > 12 || isodow < 1 || isodow > 7)
		return -1;
	buf_printf(b, " %s ", days[isodow - 1]);
	if (!soon)
		buf_printf(b, "%02d %s ", d, months[mo - 1]);
	buf_printf(b, "%02d:%02d", h, mi);
	return 0;
}

const char *
sla_promise_words(struct arena *a, const struct sla_promise_due *p)
{
	const char *verb;
	struct buf b;

	buf_init(&b, a);
	if (p->handler != NULL && *p->handler != '\0')
		buf_printf(&b, "%s is handling your request. ", p->handler);
	if (strcmp(p->kind, "paused") == 0) {
		buf_addstr(&b, "We are waiting for your answer; our clock is stopped until then.");
		return done(&b);
	}
	if (strcmp(p->kind, "reply") == 0)
		verb = "We will reply by";
	else if (strcmp(p->kind, "solve") == 0)
		verb = "We aim to solve this by";
	else
		return "";
	buf_addstr(&b, verb);
	if (due_words(&b, p->local, p->isodow, p->soon) < 0)
		return "";
	buf_printf(&b, " (%s time).", p->zone != NULL ? p->zone : "UTC");
	/* The resolution as well, on the same clock. */
	if (p->solve_local != NULL && *p->solve_local != '\0') {
		buf_addstr(&b, " We aim to solve it by");
		if (due_words(&b, p->solve_local, p->solve_isodow, p->solve_soon) < 0)
			return "";
		buf_addstr(&b, ".");
	}
	return done(&b);
}
