/*
 * sla_words.h — service levels said in words, for pages and mail. The
 * database answers with numbers and moments (sql/functions/090_sla_state.sql:
 * seconds left, the kind and local time of a promise, a target's minutes,
 * a calendar's opening intervals); what people read is made here. No
 * database; every function writes into the arena given and returns ""
 * when it is out of memory (never NULL).
 */
#ifndef CSDESK_SLA_WORDS_H
#define CSDESK_SLA_WORDS_H

#include "domain/sla_hours.h"

struct arena;

/*
 * Time to a due time: "45 min left", "3 h 20 min left", "2 d 4 h left",
 * or "overdue by 5 min" for negative seconds. Whole minutes and hours,
 * rounded down.
 */
const char *sla_left_words(struct arena *a, long long seconds);

/*
 * A target as people say it: "30 min", "4 h", or in business days of the
 * calendar ("2 business days") when it is a whole number of them and a
 * business day is shorter than a calendar day (day_minutes < 1440).
 */
const char *sla_target_words(struct arena *a, int minutes, int day_minutes);

/*
 * A calendar's week in one line: "Mon 09:00–17:00, Tue 09:00–12:00
 * 13:00–17:00" (an en dash in an interval, a space between intervals of a
 * day, days without hours left out), "open around the clock, every day"
 * when always_open, "no opening hours" for an empty week.
 */
const char *sla_hours_words(struct arena *a, int always_open, const struct sla_week *w);

/* What sla_promise_due() answers for a ticket. */
struct sla_promise_due {
	const char *kind;	/* "paused", "reply", "solve" */
	const char *local;	/* due, on the calendar's clock: "2026-03-03 14:00" */
	int isodow;		/* its weekday, 1 = Monday */
	int soon;		/* less than six days away */
	const char *zone;	/* "Europe/Berlin" */
	/* With a reply due: when the resolution is ("" or NULL: not said). */
	const char *solve_local;
	int solve_isodow, solve_soon;
	const char *handler;	/* the agent's name; "" or NULL: nobody yet */
};

/*
 * The sentence a customer reads: "We will reply by Tue 14:00 (UTC time).",
 * "We aim to solve this by Mon 09 Mar 17:00 (Europe/Berlin time).", or
 * that the clock waits for them; with a reply due and a resolution time,
 * also "We aim to solve it by Thu 17:00."; with an agent, first "Alex
 * Agent is handling your request.". "" for a kind it does not know.
 */
const char *sla_promise_words(struct arena *a, const struct sla_promise_due *p);

#endif
