/*
 * ticket_list.h — the agents' ticket lists: a view (filters and a sort),
 * read one keyset page at a time, and a customer's latest tickets for the
 * ticket page. Reading only: what changes tickets is in ticket_assign.h,
 * ticket_bulk.h and ticket_fields.h; the counts on the console home are in
 * ticket_counts.h, the CSV of a view in ticket_csv.h.
 *
 * Lists stay fast at a million tickets: every query is driven by one of
 * the indexes of 004_tickets.sql, 008_ticket_list_indexes.sql and
 * 012_ticket_list_sla.sql (per status, queue, team, assignee or nobody,
 * customer, for each sort; the text-search GIN index), and pages are
 * keyset (the last row's sort value and id).
 *
 * Functions return CS_OK, CS_REFUSED (a filter or cursor that does not
 * parse, with *why), CS_DB_LOST or CS_FAILED (logged). Strings come back
 * in the arena given.
 */
#ifndef CSDESK_TICKET_LIST_H
#define CSDESK_TICKET_LIST_H

#include <stddef.h>

#include "core/result.h"

struct arena;
struct db;

/* Rows per page of a list view. */
#define TL_PAGE 50
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
};

struct tl_row {
	long long id;
	const char *number, *subject, *customer, *status, *priority, *channel;
	const char *queue, *team, *assignee;	/* names or "" */
	const char *created_at, *updated_at;	/* "2026-01-31 14:05" UTC */
	const char *snippet_html;	/* text search: escaped, matches in <mark>; or NULL */
	const char *cursor;		/* this row's sort value, for the next page */
	/* SLA (sla.h): "green", "amber", "red", "paused" or ""; "2 h left". */
	const char *sla, *sla_left;
};

/* Whether name is one of the SLA states of tl_filter.sla. */
int tl_sla_valid(const char *name);

/*
 * Checks every filter of f as ticket_list_page would, without reading
 * anything (a saved view's filters). CS_OK, or CS_REFUSED with *why.
 */
enum cs_result tl_filter_check(const struct tl_filter *f, const char **why);

/* A page of a view: its rows, and where the next one starts. */
struct tl_page {
	struct tl_row *rows;
	size_t n;
	const char *next_after;		/* NULL: this is the last page */
	long long next_id;
};

/*
 * One page (at most limit rows, 1 … 1000) of the view f. Words in q are
 * matched with websearch_to_tsquery against the ticket's subject and
 * description and its public and internal comments, and the 500 newest
 * matching tickets ranked (the sort is then by rank; the snippet comes
 * from the best comment when only comments match). Returns CS_OK,
 * CS_REFUSED (a bad cursor, status, date, …, with *why) or the failure.
 */
enum cs_result ticket_list_page(struct db *db, struct arena *a, const struct tl_filter *f,
    int limit, struct tl_page *page, const char **why);

/*
 * A customer's latest tickets other than exclude_id (at most max), newest
 * update first. CS_OK or the failure.
 */
enum cs_result ticket_list_customer_recent(struct db *db, struct arena *a, long long customer_id,
    long long exclude_id, int max, struct tl_row **rows, size_t *n);

/* "TKT-" and 1..12 digits: a ticket number as lists show it. */
int tl_number_valid(const char *s);

/*
 * n words as a PostgreSQL text[] literal, each quoted (so "null" stays a
 * word), for a parameter. The words hold no '"' or '\\' (the caller has
 * checked them). NULL when out of memory.
 */
const char *tl_words_param(struct arena *a, const char *const *words, size_t n);

#endif
