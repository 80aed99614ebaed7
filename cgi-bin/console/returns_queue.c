/*
 * returns_queue.c — the console's returns queue (GET /agent/returns, by
 * state, newest first, keyset pages) and asking for a return for a
 * customer (GET and POST /agent/returns/new), with the portal's form and
 * the customer's portal address.
 */
#include "console/returns_pages.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/tickets.h"
#include "tmpl/tval.h"
#include "web/fields.h"
#include "web/result.h"
#include "web/returns_form.h"
#include "web/returns_view.h"

#include <stdio.h>
#include <string.h>

int
console_returns(struct app *app, struct req *r, struct resp *w)
{
	struct return_actor by;
	struct return_filter f = { "", 0 };
	struct return_row *rows;
	struct tval *ctx = app_page(app, r, "Returns");
	const char *state = req_query(r, "state");
	long long next;
	size_t n;
	enum cs_result rc;

	if (ctx == NULL)
		return 500;
	console_return_actor(r, &by);
	if (state != NULL && return_state_parse(state) != RS__MAX)
		f.state = state;
	if (web_query_key(r, "before", &f.before_id) < 0)
		return app_bad_query(app, r, w, "before", NULL, NULL);
	if ((rc = returns_list(&app->db, r->arena, &by, &f, &rows, &n, &next)) != CS_OK)
		return web_result_status(rc);
	if (tval_set(r->arena, ctx, "returns", returns_view_rows(r->arena, rows, n)) < 0 ||
	    tval_set(r->arena, ctx, "states", returns_view_states(r->arena, f.state)) < 0 ||
	    tval_set_bool(r->arena, ctx, "has_returns", n > 0) < 0 ||
	    tval_set_bool(r->arena, ctx, "can_report", (r->who.access &
	    (ACCESS_SUPERVISOR | ACCESS_ADMIN)) != 0) < 0 ||
	    tval_set_bool(r->arena, ctx, "can_ask", (r->who.access & ACCESS_STAFF) != 0) < 0)
		return 500;
	if (next != 0)
		tval_set_str(r->arena, ctx, "older", arena_printf(r->arena,
		    "/agent/returns?state=%s&before=%lld", f.state, next));
	return app_render(app, r, w, "console/returns/queue", ctx);
}

#define NEW_TITLE "New return"
#define NEW_PAGE "console/returns/new"

int
console_return_new(struct app *app, struct req *r, struct resp *w)
{
	struct returns_form rf;

	const char *ticket = req_query(r, "ticket");

	if (returns_form_empty(r->arena, &rf) < 0)
		return 500;
	/* From a ticket's page: the return is linked to it (the domain checks it). */
	if (ticket != NULL && strlen(ticket) <= 32)
		returns_form_for_ticket(&rf, ticket);
	return returns_form_page(app, r, w, &rf, 200, NEW_TITLE, NEW_PAGE);
}

int
console_return_create(struct app *app, struct req *r, struct resp *w)
{
	struct return_actor by;
	const char *number;
	int status;

	console_return_actor(r, &by);
	status = returns_form_submit(app, r, w, &by, NEW_TITLE, NEW_PAGE, &number);
	if (status != 0 || number == NULL)
		return status;
	web_flash(app, r, w, "Return %s opened.", number);
	resp_redirect(w, arena_printf(r->arena, "/agent/returns/%s", number));
	return 0;
}
