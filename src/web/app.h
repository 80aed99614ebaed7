/*
 * app.h — what portal.fcgi and console.fcgi share: start-up, the request
 * pipeline and page rendering.
 *
 * A program describes itself in a struct app_def (its name, route table,
 * login page, CSRF cookie) and calls app_main(). The pipeline for each
 * request is: read and parse (limits → 400/413), route (404/405),
 * access (default deny), CSRF for state-changing requests (403), the
 * handler, then the response and one log line.
 */
#ifndef CSDESK_APP_H
#define CSDESK_APP_H

#include <stddef.h>

#include "core/config.h"
#include "core/http.h"
#include "core/router.h"
#include "db/db.h"

struct arena;
struct tmpl_set;
struct tval;

struct app_def {
	const char *program;		/* "portal", "console": logs, DB application_name */
	const struct route *routes;
	size_t nroutes;
	const char *home_path;		/* "/" or "/agent/" */
	const char *login_path;		/* where GETs without access are sent */
	const char *csrf_cookie;	/* distinct per program */
	const char *body_class;		/* the template flag that marks the area */
};

struct app {
	const struct app_def *def;
	struct config cfg;
	struct tmpl_set *tmpl;
	struct db db;
	struct arena *arena;		/* the current request's */
	char asset_version[24];
};

/*
 * Loads the configuration, compiles every template (a missing template or
 * partial stops start-up with the reason), binds the socket and runs the
 * worker pool until SIGTERM. Returns the process exit status.
 */
int app_main(const struct app_def *def, int argc, char **argv);

/*
 * The context every page starts from: site, area flag, page_title,
 * csrf_token, asset_version. Handlers add their own keys to it.
 * Returns NULL when out of memory (answer 500).
 */
struct tval *app_page(struct app *app, struct req *r, const char *title);

/*
 * Renders template name with ctx into w's body. Returns 0, or 500 (for the
 * handler to return) when rendering fails.
 */
int app_render(struct app *app, struct req *r, struct resp *w, const char *name,
    struct tval *ctx);

/*
 * Fills w with the error page for status and an explanation; message NULL
 * gives the standard one for the status.
 */
void app_error(struct app *app, struct req *r, struct resp *w, int status,
    const char *message);

/* GET /healthz: 200 when the database answers, 503 when it does not. */
int app_healthz(struct app *app, struct req *r, struct resp *w);

#endif
