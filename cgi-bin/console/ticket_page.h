/*
 * ticket_page.h — the agent's ticket page as its forms re-show it: a form
 * refused (422), a reply held back because the ticket changed (409), each
 * with what was typed kept. ticket_page.c builds the page (its side
 * panels and forms' choices in ticket_panels.c); its forms call it:
 * ticket_reply.c (replies), ticket_workflow.c (status, assignment),
 * ticket_collab.c (fields, links, merge, presence).
 */
#ifndef CSDESK_CONSOLE_TICKET_PAGE_H
#define CSDESK_CONSOLE_TICKET_PAGE_H

#include "web/app.h"

struct tval;
struct ticket;
struct ticket_actor_ref;
struct collab_panel;

/* How to show the page. Zero / NULL members: nothing typed. */
struct ticket_view {
	int status;			/* HTTP status of the page */
	const char *error;		/* the message at the top, or NULL */
	/* The reply box: the text, "public"/"internal", minutes spent. */
	const char *body, *visibility;
	long long minutes;
	/* A reply held back: the page lists what came after these ids. */
	int stale;
	long long seen_event, seen_comment;
	/* The other forms. */
	const char *resolution_code, *root_cause;
	const char *link_number, *merge_number;
	const char *serial, *tags;
};

/* Renders the ticket of the path as v says. 0, or the status to answer. */
int console_ticket_page(struct app *app, struct req *r, struct resp *w,
    const struct ticket_view *v);

/* The page with a message: status (422, 404…) and error. */
int console_ticket_refused(struct app *app, struct req *r, struct resp *w, int status,
    const char *error);

/* Loads the ticket of the path ({number}). 0, or the status to answer. */
int console_ticket_load(struct app *app, struct req *r, struct ticket *t);

/* The {number} path parameter upper-cased when it looks like one; else NULL. */
const char *console_ticket_number(const struct req *r);

/* "TKT-000123" typed into a form (trimmed), upper-cased; NULL when not one. */
const char *console_ticket_number_text(struct arena *a, const char *typed);

/* The signed-in staff member as the actor of a ticket use case. Cannot fail. */
void console_ticket_actor(const struct req *r, struct ticket_actor_ref *by);

/*
 * ticket_panels.c, for the page: the forms' choices (status moves,
 * resolution codes, assignment and fields options, what v kept) and the
 * collaboration and customer panels (with the fields form's sites), from
 * what ticket_sheet_open read.
 * Each returns 0, -1 (out of memory) or -2 (the database failed).
 */
int console_ticket_forms_ctx(struct app *app, struct arena *a, struct tval *ctx,
    const struct ticket *t, const struct ticket_view *v);
struct ticket_sheet;
int console_ticket_collab_ctx(struct req *r, struct tval *ctx, const struct ticket *t,
    const struct ticket_sheet *s);

/* "/agent/tickets/TKT-000123". */
const char *console_ticket_url(struct arena *a, const char *number);

#endif
