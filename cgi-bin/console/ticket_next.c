/*
 * ticket_next.c — GET /agent/next: the next ticket of a list view, for the
 * workspace's flow (the "Next ticket" link, and the reply form's "then
 * open the next ticket"). The query is the view's own (tickets.h) with
 * the place of the ticket the agent was on (after, after_id) and skip,
 * that ticket's number: one keyset step of the view's index, however
 * long the queue. Answers 303 to the next ticket (its link carries the
 * view again), or to the list with a note when the view has no more.
 * GET /agent/prev is the same walk the other way (ticket_list.h's
 * backward): the ticket before the place. Routes and access (staff) are
 * in cgi-bin/console.c.
 */
#include "web/fields.h"
#include "console/handlers.h"
#include "console/ticket_page.h"
#include "console/tickets.h"
#include "core/arena.h"
#include "domain/ticket_list.h"
#include "web/result.h"

#include <string.h>

/* The neighbour of the place in the view: after it (back 0) or before it. */
static int
neighbour(struct app *app, struct req *r, struct resp *w, int back)
{
	struct arena *a = r->arena;
	const char *skip = req_query(r, "skip"), *bad, *why, *list;
	struct tl_filter f;
	struct tl_page page;
	enum cs_result rc;
	size_t i;

	if (console_tickets_filter_why(r, &f, &bad) < 0)
		return app_bad_query(app, r, w, bad, NULL, "/agent/tickets");
	if (skip != NULL && (skip = console_ticket_number_text(a, skip)) == NULL)
		return app_bad_query(app, r, w, "skip", NULL, "/agent/tickets");
	if (back && f.after == NULL)
		return app_bad_query(app, r, w, "after", NULL, "/agent/tickets");
	f.backward = back;
	/* Two rows: the ticket just left may still be first (its place moved). */
	rc = ticket_list_page(&app->db, a, &f, 2, &page, &why);
	if (rc == CS_REFUSED)
		return app_bad_query(app, r, w, NULL, why, "/agent/tickets");
	if (rc != CS_OK)
		return web_result_status(rc);
	for (i = 0; i < page.n; i++) {
		const struct tl_row *row = &page.rows[i];

		if (skip != NULL && strcmp(row->number, skip) == 0)
			continue;
		resp_redirect(w, console_tickets_view_url(r, arena_printf(a, "/agent/tickets/%s",
		    row->number), row->cursor, row->id));
		return 0;
	}
	if ((list = console_tickets_view_url(r, "/agent/tickets", NULL, 0)) == NULL)
		return 500;
	resp_redirect(w, list);
	app_flash(app, r, w, 0, back ? "That was the first ticket in this view." :
	    "That was the last ticket in this view.");
	return 0;
}

int
console_ticket_next(struct app *app, struct req *r, struct resp *w)
{
	return neighbour(app, r, w, 0);
}

int
console_ticket_prev(struct app *app, struct req *r, struct resp *w)
{
	return neighbour(app, r, w, 1);
}
