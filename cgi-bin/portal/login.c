/* login.c — the customer sign-in page. */
#include "portal/handlers.h"
#include "tmpl/tval.h"

#include <string.h>

/* A local path to return to after signing in; anything else goes home. */
static const char *
safe_next(const char *next)
{
	if (next == NULL || next[0] != '/' || next[1] == '/' || next[1] == '\\' ||
	    strlen(next) > 512)
		return "/";
	return next;
}

int
portal_login_form(struct app *app, struct req *r, struct resp *w)
{
	struct tval *ctx = app_page(app, r, "Sign in");

	if (ctx == NULL)
		return 500;
	tval_set_str(r->arena, ctx, "next", safe_next(req_query(r, "next")));
	tval_set_str(r->arena, ctx, "email", "");
	resp_header(w, "Cache-Control", "no-store");
	return app_render(app, r, w, "portal/login", ctx);
}
