/*
 * returns.c — a customer's returns: GET /returns, GET /returns/new,
 * POST /returns/new, GET /returns/{number}, POST /returns/{number}/cancel,
 * GET /returns/{number}/authorisation (printable) and
 * GET /returns/{number}/photos/{id}.
 *
 * Everything goes through domain/returns.h as the signed-in customer,
 * inside the request's transaction scoped to their account: a return that
 * is not theirs is not found (404), never forbidden. Mail follows from the
 * use cases' events (returns_mail.h).
 */
#include "portal/handlers.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/returns.h"
#include "domain/tickets.h"
#include "tmpl/tval.h"
#include "web/fields.h"
#include "web/result.h"
#include "web/returns_form.h"
#include "web/returns_view.h"

#include <stdio.h>
#include <string.h>

static struct return_actor
actor(const struct req *r)
{
	struct return_actor by = { RA_CUSTOMER, r->who.id, r->who.customer_id,
		r->who.account_admin, 0 };

	return by;
}

int
portal_returns(struct app *app, struct req *r, struct resp *w)
{
	struct return_actor by = actor(r);
	struct return_filter f = { "", 0 };
	struct return_row *rows;
	struct tval *ctx = app_page(app, r, "My returns");
	long long next;
	size_t n;
	enum cs_result rc;

	if (ctx == NULL)
		return 500;
	if (web_query_key(r, "before", &f.before_id) < 0)
		return app_bad_query(app, r, w, "before", NULL, NULL);
	if ((rc = returns_list(&app->db, r->arena, &by, &f, &rows, &n, &next)) != CS_OK)
		return web_result_status(rc);
	if (tval_set(r->arena, ctx, "returns", returns_view_rows(r->arena, rows, n)) < 0 ||
	    tval_set_bool(r->arena, ctx, "has_returns", n > 0) < 0)
		return 500;
	if (next != 0)
		tval_set_str(r->arena, ctx, "older", arena_printf(r->arena, "/returns?before=%lld",
		    next));
	return app_render(app, r, w, "portal/returns/list", ctx);
}

#define NEW_TITLE "Return a product"
#define NEW_PAGE "portal/returns/new"

int
portal_return_new(struct app *app, struct req *r, struct resp *w)
{
	struct returns_form rf;

	if (returns_form_empty(r->arena, &rf) < 0)
		return 500;
	return returns_form_page(app, r, w, &rf, 200, NEW_TITLE, NEW_PAGE);
}

int
portal_return_create(struct app *app, struct req *r, struct resp *w)
{
	struct return_actor by = actor(r);
	const char *number;
	int status = returns_form_submit(app, r, w, &by, NEW_TITLE, NEW_PAGE, &number);

	if (status != 0 || number == NULL)
		return status;
	app_flash(app, r, w, 0, arena_printf(r->arena, "We received your return request %s. "
	    "We will tell you by e-mail what happens next.", number));
	resp_redirect(w, arena_printf(r->arena, "/returns/%s", number));
	return 0;
}

/* The return {number} as the customer may see it: 0, 404 or another status. */
static int
load(struct app *app, struct req *r, struct return_sheet *s)
{
	struct return_actor by = actor(r);
	enum cs_result rc = returns_get(&app->db, r->arena, &by, req_param(r, "number"), s);

	return rc == CS_OK ? 0 : web_result_status(rc);
}

static int
page(struct app *app, struct req *r, struct resp *w, const char *tmpl, const char *error,
    int status)
{
	struct return_actor by = actor(r);
	struct return_sheet s;
	struct tval *ctx;
	int rc;

	if ((rc = load(app, r, &s)) != 0)
		return rc;
	if ((ctx = app_page(app, r, s.number)) == NULL ||
	    returns_view_ctx(r->arena, &s, arena_printf(r->arena, "/returns/%s/photos",
	    s.number), NULL, ctx) < 0)
		return 500;
	tval_set_bool(r->arena, ctx, "can_cancel", returns_step_allowed(&by, RSTEP_CANCEL,
	    return_state_parse(s.state)));
	if (error != NULL)
		tval_set_str(r->arena, ctx, "error", error);
	w->status = status;
	return app_render(app, r, w, tmpl, ctx);
}

int
portal_return(struct app *app, struct req *r, struct resp *w)
{
	return page(app, r, w, "portal/returns/show", NULL, 200);
}

int
portal_return_authorisation(struct app *app, struct req *r, struct resp *w)
{
	struct return_sheet s;
	enum return_state st;
	int rc;

	if ((rc = load(app, r, &s)) != 0)
		return rc;
	st = return_state_parse(s.state);
	/* Nothing to print before it is authorised, or once it is refused. */
	if (st < RS_AWAITING_SHIPMENT || st >= RS_REJECTED)
		return 404;
	return page(app, r, w, "portal/returns/authorisation", NULL, 200);
}

int
portal_return_cancel(struct app *app, struct req *r, struct resp *w)
{
	struct return_actor by = actor(r);
	const char *number = req_param(r, "number"), *why = NULL;
	enum cs_result rc;

	rc = returns_take_step(&app->db, r->arena, &by, number, RSTEP_CANCEL,
	    "Cancelled by the customer.", &why);
	if (rc == CS_REFUSED)
		return page(app, r, w, "portal/returns/show", why, 422);
	if (rc != CS_OK)
		return web_result_status(rc);
	app_flash(app, r, w, 0, "Your return is cancelled.");
	resp_redirect(w, arena_printf(r->arena, "/returns/%s", number));
	return 0;
}

int
portal_return_photo(struct app *app, struct req *r, struct resp *w)
{
	struct return_actor by = actor(r);
	struct return_photo_file f;
	enum cs_result rc;

	rc = returns_photo(&app->db, r->arena, &by, req_param(r, "number"),
	    web_path_id(r, "id"), &f);
	if (rc != CS_OK)
		return web_result_status(rc);
	return returns_view_photo(w, &f);
}
