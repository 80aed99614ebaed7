/*
 * ticket_console.h — what agents do with many tickets at once: the
 * filtered, keyset-paged queue views, the counts on the console home,
 * bulk changes, assignment and field changes with their history, and the
 * CSV export of a view. Single-ticket reading, replies and status changes
 * are in tickets.h; this module calls ticket_set_status for the workflow.
 *
 * Lists stay fast at a million tickets: every query is driven by one of
 * the indexes of 004_tickets.sql and 008_ticket_list_indexes.sql (per
 * status, queue, team, assignee or nobody, customer, for each sort; the
 * text-search GIN index), pages are keyset (the last row's sort value and
 * id), and counts come from ticket_counts.
 *
 * Return values: 0 success; TC_BAD_INPUT (a filter or cursor that does not
 * parse, a value not allowed); TC_NOT_FOUND; -1 database error (logged).
 * Strings come back in the arena given.
 */
#ifndef CSDESK_TICKET_CONSOLE_H
#define CSDESK_TICKET_CONSOLE_H

#include <stddef.h>

struct arena;
struct buf;
struct db;

#define TC_BAD_INPUT (-2)
#define TC_NOT_FOUND (-3)

/* Rows per page of a list view. */
#define TC_PAGE 50
/* Rows in one CSV export at most. */
#define TC_EXPORT_MAX 100000
/* Tickets in one bulk action at most. */
#define TC_BULK_MAX 200

enum tc_sort {
	TC_SORT_UPDATE,		/* updated_at, newest first (default) */
	TC_SORT_PRIORITY,	/* critical first, then newest update */
	TC_SORT_AGE,		/* created_at, oldest first */
	TC_SORT_SLA,		/* SLA due time, soonest first; none last */
	TC_SORT__MAX
};

/* "update", "priority", "age", "sla" → enum; TC_SORT__MAX when unknown. */
enum tc_sort tc_sort_parse(const char *name);
const char *tc_sort_name(enum tc_sort s);

/* A list view. Zero/NULL members do not filter. */
struct tc_filter {
	long long queue_id, team_id;
	long long assignee_id;		/* > 0: that agent */
	int unassigned;			/* assignee "none" */
	const char *status;		/* a status name, "open", or NULL: all */
	const char *priority, *channel;	/* stored names, or NULL */
	const char *q;			/* TKT-… number, an e-mail, or words */
	/* SLA state as sla_colour() gives it now: "on_track" (green),
	 * "at_risk" (amber), "breached" (red), "paused"; NULL or "": all. */
	const char *sla;
	/* Ranges, ISO dates or timestamps ("2026-01-31"), inclusive of the
	 * from day, exclusive of the to day's end + 1: NULL for open ends. */
	const char *created_from, *created_to, *updated_from, *updated_to;
	enum tc_sort sort;
	/* Keyset position: the cursor of the last row seen (NULL: first page). */
	const char *after;
	long long after_id;
};

struct tc_row {
	long long id;
	const char *number, *subject, *customer, *status, *priority, *channel;
	const char *queue, *team, *assignee;	/* names or "" */
	const char *created_at, *updated_at;	/* "2026-01-31 14:05" UTC */
	const char *snippet_html;	/* text search: escaped, matches in <mark>; or NULL */
	const char *cursor;		/* this row's sort value, for the next page */
	/* SLA (sla.h): "green", "amber", "red", "paused" or ""; "2 h left". */
	const char *sla, *sla_left;
};

/* Whether name is one of the SLA states of tc_filter.sla. */
int tc_sla_valid(const char *name);

/*
 * One page (TC_PAGE rows) of the view f. Words in q are matched with
 * websearch_to_tsquery against the ticket's subject and description and
 * its public and internal comments, and the 500 newest matching tickets
 * ranked (the sort is then by rank; the snippet comes from the best
 * comment when only comments match). *next_after
 * and *next_id are set when there is a next page (else NULL and 0).
 * Returns 0, TC_BAD_INPUT (a bad cursor, status or date) or -1.
 */
int ticket_console_list(struct db *db, struct arena *a, const struct tc_filter *f,
    struct tc_row **rows, size_t *n, const char **next_after, long long *next_id);

/* Counts from ticket_counts. */
struct tc_count {
	long long queue_id;		/* 0: tickets in no queue */
	const char *name;		/* queue name, status name */
	long long open, total;		/* per queue; per status only total */
};

struct tc_counts {
	struct tc_count *queues;
	size_t nqueues;
	struct tc_count *statuses;	/* every status, in workflow order */
	size_t nstatuses;
	long long mine_open;		/* staff.open_tickets of the asker */
};

/* The dashboard's counts; staff_id is who asks ("my open tickets"). 0 or -1. */
int ticket_console_counts(struct db *db, struct arena *a, long long staff_id,
    struct tc_counts *c);

/* A bulk action on tickets given by number. */
enum tc_bulk_action {
	TC_BULK_ASSIGN,		/* value "agent:ID", "team:ID" or "none" */
	TC_BULK_STATUS,		/* value a status name */
	TC_BULK_PRIORITY,	/* value a priority */
	TC_BULK_QUEUE,		/* value a queue id */
	TC_BULK__MAX
};

enum tc_bulk_action tc_bulk_parse(const char *name);

struct tc_bulk_result {
	size_t changed;			/* tickets changed (one event or more each) */
	const char **refused;		/* "TKT-000123: why", in the arena */
	size_t nrefused;
};

/*
 * Applies action to every ticket in numbers[0..n) in one transaction, with
 * an event per ticket changed. A status change the workflow does not allow
 * (or a resolve, which needs a resolution code) is refused for that ticket
 * and reported in res; the others still change. Unknown numbers are
 * reported too. Returns 0, TC_BAD_INPUT (bad action value, too many
 * tickets) or -1 (nothing changed).
 */
int ticket_console_bulk(struct db *db, struct arena *a, long long staff_id,
    enum tc_bulk_action action, const char *value, const char *const *numbers, size_t n,
    struct tc_bulk_result *res);

/*
 * Assigns one ticket to team_id (0: none) and agent_id (0: nobody), with an
 * event per field that changed; a new ticket given to an agent becomes
 * assigned. Returns 0, TC_BAD_INPUT (no such active agent or team),
 * TC_NOT_FOUND or -1.
 */
int ticket_console_assign(struct db *db, long long staff_id, long long ticket_id,
    long long team_id, long long agent_id);

/* The fields ticket_console_set changes. */
enum tc_field {
	TC_FIELD_PRIORITY,	/* value a priority */
	TC_FIELD_TYPE,		/* value a ticket type */
	TC_FIELD_CATEGORY,	/* value a category id, or "" for none */
	TC_FIELD_QUEUE,		/* value a queue id, or "" for none */
	TC_FIELD_PRODUCT,	/* value a product id, or "" for none */
	TC_FIELD_SERIAL,	/* value a serial number (TC_SERIAL_MAX), or "" for none */
	TC_FIELD_TEAM,		/* value a team id, or "" for none */
	TC_FIELD_TAGS,		/* value tags separated by commas or blanks (see below) */
	TC_FIELD__MAX
};

/* A serial number, in characters; tags: how many, and each one's length. */
#define TC_SERIAL_MAX 100
#define TC_TAGS_MAX 20
#define TC_TAG_MAX 40

/* Sets one field of one ticket with an event. 0, TC_BAD_INPUT, TC_NOT_FOUND or -1. */
int ticket_console_set(struct db *db, long long staff_id, long long ticket_id,
    enum tc_field field, const char *value);

/*
 * Sets several fields of one ticket in one transaction, with an event per
 * field that changed (who, before, after). values[f] NULL leaves field f
 * alone. Nothing changes when one value is refused: TC_BAD_INPUT, with
 * *bad set to the field at fault. *changed counts the fields changed.
 * Returns 0, TC_BAD_INPUT, TC_NOT_FOUND or -1.
 */
int ticket_console_set_fields(struct db *db, long long staff_id, long long ticket_id,
    const char *const values[TC_FIELD__MAX], enum tc_field *bad, int *changed);

/*
 * Tags as typed ("Printer, warranty  urgent-fix") made into the stored
 * form: lower-cased, distinct, sorted, each 1..TC_TAG_MAX of a-z 0-9 _ -,
 * at most TC_TAGS_MAX, as a PostgreSQL array literal in a. NULL when a tag
 * is not acceptable (or memory ran out: *oom set).
 */
const char *ticket_console_tags(struct arena *a, const char *typed, int *oom);

/* A choice for a select: id and name. */
struct tc_choice {
	long long id;
	const char *name;
};

/* What the forms offer: active queues, teams, active agents and
 * supervisors, active categories, and active resolution codes with their
 * labels. */
struct tc_choices {
	struct tc_choice *queues, *teams, *agents, *categories;
	size_t nqueues, nteams, nagents, ncategories;
	const char **codes, **code_labels;
	size_t ncodes;
};

/* Fills c in the arena. Each process keeps the lists between calls and
 * reads them again when they changed (see ticket_console.c). 0 or -1. */
int ticket_console_choices(struct db *db, struct arena *a, struct tc_choices *c);

/* A customer's latest tickets other than exclude_id (at most max). 0 or -1. */
int ticket_console_customer_recent(struct db *db, struct arena *a, long long customer_id,
    long long exclude_id, int max, struct tc_row **rows, size_t *n);

/*
 * Writes the view f as CSV (RFC 4180, UTF-8, CRLF, a header line) into
 * out, page by page, at most TC_EXPORT_MAX rows; *rows tells how many.
 * The cursor and page in f are ignored. Returns 0, TC_BAD_INPUT or -1.
 */
int ticket_console_export(struct db *db, struct arena *a, const struct tc_filter *f,
    struct buf *out, size_t *rows);

/*
 * Appends s to out as one CSV field: quoted when it holds '"', ',', CR or
 * LF (quotes doubled), and prefixed with "'" when it starts with = + - @
 * so spreadsheets do not run it as a formula. Cannot fail (out records
 * running out of memory).
 */
void ticket_console_csv_field(struct buf *out, const char *s);

#endif
