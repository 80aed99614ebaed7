/*
 * ticket_filter.h — a view of the agents' ticket lists: its filters and
 * sort, and the checks they pass before a list is read (ticket_list.h) or
 * a view is saved (saved_views.h); and the ticket-number and word-array
 * forms that lists and bulk actions take.
 */
#ifndef CSDESK_TICKET_FILTER_H
#define CSDESK_TICKET_FILTER_H

#include <stddef.h>

#include "core/result.h"

struct arena;

/* The words of a search, in characters. */
#define TL_Q_MAX 200

enum tl_sort {
	TL_SORT_UPDATE,		/* updated_at, newest first (default) */
	TL_SORT_PRIORITY,	/* critical first, then newest update */
	TL_SORT_AGE,		/* created_at, oldest first */
	TL_SORT_SLA,		/* SLA due time, soonest first; none last */
	TL_SORT__MAX
};

/* "update", "priority", "age", "sla" → enum; TL_SORT__MAX when unknown. */
enum tl_sort tl_sort_parse(const char *name);
/* The name of s ("update" for anything unknown). Cannot fail. */
const char *tl_sort_name(enum tl_sort s);

/* A list view. Zero/NULL members do not filter. */
struct tl_filter {
	long long queue_id, team_id;
	long long assignee_id;		/* > 0: that agent */
	int unassigned;			/* assignee "none" */
	const char *status;		/* a status name, "open", or NULL: all */
	const char *priority, *channel;	/* stored names, or NULL */
	const char *q;			/* TKT-… number, an e-mail, or words (TL_Q_MAX) */
	/* SLA state as sla_colour() gives it now: "on_track" (green),
	 * "at_risk" (amber), "breached" (red), "paused"; NULL or "": all. */
	const char *sla;
	/* Ranges, ISO dates ("2026-01-31"), inclusive of the from day and of
	 * the to day: NULL for open ends. */
	const char *created_from, *created_to, *updated_from, *updated_to;
	enum tl_sort sort;
	/* Keyset position: the cursor of the last row seen (NULL: first page). */
	const char *after;
	long long after_id;
	/* Read backwards from after (which it needs): the rows before that
	 * place, nearest first, for "Previous ticket"; not for a search. */
	int backward;
};

/* Whether name is one of the SLA states of tl_filter.sla. */
int tl_sla_valid(const char *name);

/*
 * Checks every filter of f as ticket_list_page would, without reading
 * anything (a saved view's filters). CS_OK, or CS_REFUSED with *why.
 */
enum cs_result tl_filter_check(const struct tl_filter *f, const char **why);

/* "TKT-" and 1..12 digits: a ticket number as lists show it. */
int tl_number_valid(const char *s);

/*
 * n words as a PostgreSQL text[] literal, each quoted (so "null" stays a
 * word), for a parameter. The words hold no '"' or '\\' (the caller has
 * checked them). NULL when out of memory.
 */
const char *tl_words_param(struct arena *a, const char *const *words, size_t n);

#endif
