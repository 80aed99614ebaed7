/*
 * portal.fcgi — the customer self-service portal: every URL nginx does not
 * send to the console. The route table below is the map of the portal;
 * each handler lives in cgi-bin/portal/<area>.c.
 */
#include "portal/handlers.h"

static const struct route routes[] = {
	{ HTTP_GET, "/", portal_home, ACCESS_PUBLIC, 0 },
	{ HTTP_GET, "/login", portal_login_form, ACCESS_PUBLIC, 0 },
	{ HTTP_GET, "/healthz", app_healthz, ACCESS_PUBLIC, 0 },
};

static const struct app_def portal = {
	.program = "portal",
	.routes = routes,
	.nroutes = sizeof(routes) / sizeof(routes[0]),
	.home_path = "/",
	.login_path = "/login",
	.csrf_cookie = "csdesk_csrf",
	.body_class = "portal",
};

int
main(int argc, char **argv)
{
	return app_main(&portal, argc, argv);
}
