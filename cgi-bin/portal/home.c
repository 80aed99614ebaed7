/* home.c — GET /: the portal's front page. */
#include "portal/handlers.h"
#include "tmpl/tval.h"

int
portal_home(struct app *app, struct req *r, struct resp *w)
{
	return app_render(app, r, w, "portal/home", app_page(app, r, "Help centre"));
}
