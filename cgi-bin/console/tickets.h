/*
 * tickets.h — what the console's ticket pages (tickets.c, ticket_page.c, …)
 * share: reading a list view's filters and building select options and
 * list rows for the templates. Everything lives in the request's arena.
 */
#ifndef CSDESK_CONSOLE_TICKETS_H
#define CSDESK_CONSOLE_TICKETS_H

#include <stddef.h>
#include <time.h>

#include "web/app.h"

struct arena;
struct db_option;
struct tl_filter;
struct tl_row;
struct tval;

/* The query parameters of a list view (without the page position). */
#define CONSOLE_TICKETS_NPARAMS 13
extern const char *const console_tickets_params[CONSOLE_TICKETS_NPARAMS];

/*
 * The view's filters from the query string, parsed (ids, assignee, sort,
 * page position); the domain checks the rest (ticket_filter.h). 0, or -1
 * when one is junk (400).
 */
int console_tickets_filter(const struct req *r, struct tl_filter *f);

/* console_tickets_filter, naming in *bad the parameter at fault. */
int console_tickets_filter_why(const struct req *r, struct tl_filter *f, const char **bad);

/*
 * path?filters[&after=…&after_id=…]: the request's list parameters
 * repeated (in console_tickets_params' order), and a place in the view
 * when after is not NULL. NULL: out of memory.
 */
const char *console_tickets_view_url(const struct req *r, const char *path, const char *after,
    long long after_id);

/* Appends {value, label, selected} to list. 0 or -1 (out of memory). */
int console_tickets_option(struct arena *a, struct tval *list, const char *value,
    const char *label, int selected);

/* Options for a select of ids (any: an empty first entry, or NULL). NULL: out of memory. */
struct tval *console_tickets_choices(struct arena *a, const struct db_option *c, size_t n,
    long long current, const char *any);

/* One list row as a template map, its times in zone (the agent's). NULL: out of memory. */
struct tval *console_tickets_row(struct arena *a, const struct tl_row *row, const char *zone);

/* "On track", "At risk", "Breached", "Paused" for an SLA colour (sla.h). Cannot fail. */
const char *console_sla_words(const char *colour);

/*
 * Puts sla_due (due in zone, "Tue 2026-12-08 14:05"), sla_due_iso and
 * sla_overdue (due has passed) into m. 0 or -1.
 */
int console_sla_due(struct arena *a, struct tval *m, time_t due, const char *zone);

#endif
