/*
 * unsubscribe.c — one-click unsubscribe (RFC 8058, mail_opt_out.h) from
 * the mail a customer may turn off. GET /unsubscribe/{token} asks first
 * (a link a mail scanner follows changes nothing); POST records it, from
 * that page's button or from a mail program's one-click POST
 * ("List-Unsubscribe=One-Click"), which carries no CSRF token: the token
 * in the address is the proof (cgi-bin/portal.c marks the route so). A
 * token that is none is 404.
 */
#include "portal/handlers.h"
#include "core/arena.h"
#include "domain/mail_opt_out.h"
#include "tmpl/tval.h"
#include "web/result.h"

static int
page(struct app *app, struct req *r, struct resp *w, int record)
{
	const char *token = req_param(r, "token"), *address, *kind;
	struct tval *ctx;
	enum cs_result rc;
	int done;

	if (!mail_opt_out_token_ok(token))
		return 404;
	if (record && (rc = mail_opt_out_record(&app->db, token)) != CS_OK)
		return rc == CS_NOT_FOUND ? 404 : web_result_status(rc);
	rc = mail_opt_out_find(&app->db, r->arena, token, &address, &kind, &done);
	if (rc == CS_NOT_FOUND)
		return 404;
	if (rc != CS_OK)
		return web_result_status(rc);
	if ((ctx = app_page(app, r, "Unsubscribe")) == NULL ||
	    tval_set_str(r->arena, ctx, "token", token) ||
	    tval_set_str(r->arena, ctx, "address", address) ||
	    tval_set_str(r->arena, ctx, "what", mail_opt_out_kind_words(kind)) ||
	    tval_set_bool(r->arena, ctx, "done", done))
		return 500;
	return app_render(app, r, w, "portal/unsubscribe", ctx);
}

int
portal_unsubscribe_form(struct app *app, struct req *r, struct resp *w)
{
	return page(app, r, w, 0);
}

int
portal_unsubscribe(struct app *app, struct req *r, struct resp *w)
{
	return page(app, r, w, 1);
}
