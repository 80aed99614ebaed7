/* login.c — the staff sign-in page. */
#include "console/handlers.h"
#include "tmpl/tval.h"

int
console_login_form(struct app *app, struct req *r, struct resp *w)
{
	struct tval *ctx = app_page(app, r, "Staff sign-in");

	if (ctx == NULL)
		return 500;
	tval_set_str(r->arena, ctx, "email", "");
	tval_set_str(r->arena, ctx, "next", "/agent/");
	resp_header(w, "Cache-Control", "no-store");
	return app_render(app, r, w, "console/login", ctx);
}
