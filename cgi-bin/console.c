/*
 * console.fcgi — the staff console (/agent/…) and, later, the API
 * (/api/…). The route table below is the map of the console; each handler
 * lives in cgi-bin/console/<area>.c.
 */
#include "console/handlers.h"

static const struct route routes[] = {
	{ HTTP_GET, "/agent/", console_home, ACCESS_STAFF, 0 },
	{ HTTP_GET, "/agent/login", console_login_form, ACCESS_PUBLIC, 0 },
	{ HTTP_GET, "/agent/healthz", app_healthz, ACCESS_PUBLIC, 0 },
};

static const struct app_def console = {
	.program = "console",
	.routes = routes,
	.nroutes = sizeof(routes) / sizeof(routes[0]),
	.home_path = "/agent/",
	.login_path = "/agent/login",
	.csrf_cookie = "csdesk_console_csrf",
	.body_class = "console",
};

int
main(int argc, char **argv)
{
	return app_main(&console, argc, argv);
}
