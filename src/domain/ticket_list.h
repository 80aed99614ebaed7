/*
 * ticket_list.h — the agents' ticket lists: a view (ticket_filter.h)
 * read one keyset page at a time, and a customer's latest tickets for the
 * ticket page. Reading only: what changes tickets is in ticket_assign.h,
 * ticket_bulk.h and ticket_fields.h; the counts on the console home are in
 * ticket_counts.h, the CSV of a view in ticket_csv.h.
 *
 * Lists stay fast at a million tickets: every query is driven by one of
 * the indexes of 004_tickets.sql, 008_ticket_list_indexes.sql,
 * 012_ticket_list_sla.sql and 048_queue_speed.sql (per status, queue,
 * team, assignee or nobody, customer, stored SLA state, for each sort;
 * the text-search GIN index), and pages are keyset (the last row's sort
 * value and id). The queue, team and assignee names of a row come from
 * the kept lists of ticket_choices.h.
 *
 * Functions return CS_OK, CS_REFUSED (a filter or cursor that does not
 * parse, with *why), CS_DB_LOST or CS_FAILED (logged). Strings come back
 * in the arena given.
 */
#ifndef CSDESK_TICKET_LIST_H
#define CSDESK_TICKET_LIST_H

#include <stddef.h>

#include "core/result.h"
#include "domain/ticket_filter.h"

struct arena;
struct db;

/* Rows per page of a list view. */
#define TL_PAGE 50

struct tl_row {
	long long id;
	const char *number, *subject, *customer, *status, *priority, *channel;
	long long queue_id, team_id, assignee_id;	/* 0: none */
	const char *queue, *team, *assignee;	/* names or "" */
	const char *created_at, *updated_at;	/* "2026-01-31 14:05" UTC */
	long long created, updated;	/* the same in seconds since 1970 */
	const char *snippet_html;	/* text search: escaped, matches in <mark>; or NULL */
	const char *cursor;		/* this row's sort value, for the next page */
	/* SLA (sla.h): "green", "amber", "red", "paused" or ""; "2 h left". */
	const char *sla, *sla_left;
	/* The SLA due time (seconds since 1970, UTC); 0 for none or paused. */
	long long sla_due;
};

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
 * The same in the round trip of a page's pipeline: also holds what the
 * page's other modules queued (their _send); the list is added after them
 * and the pipe run, so they read the list's snapshot. Their results are
 * read with their _take afterwards; the caller releases the pipe. Returns
 * as ticket_list_page; on a failure, the pipe's results are not there.
 */
struct db_pipe;
enum cs_result ticket_list_page_pipe(struct db *db, struct arena *a, const struct tl_filter *f,
    int limit, struct tl_page *page, struct db_pipe *also, const char **why);

/*
 * The latest tickets (at most max, newest update first) of the customer
 * of the ticket numbered number, that ticket left out, as part of a
 * page's pipeline: _send_number queues the statement (number kept by the
 * caller until db_pipe_run) and returns its slot (-1: out of memory or
 * the pipe is full); after db_pipe_run, _take reads the rows and names
 * their queues, teams and assignees from db's kept lists. CS_OK or the
 * failure.
 */
int ticket_list_customer_recent_send_number(struct db_pipe *pipe, struct arena *a,
    const char *number, int max);
enum cs_result ticket_list_customer_recent_take(struct db_pipe *pipe, int slot, struct db *db,
    struct arena *a, struct tl_row **rows, size_t *n);

#endif
