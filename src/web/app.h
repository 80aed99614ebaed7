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

/* Carries a flash message across the redirect that follows a POST. */
#define FLASH_COOKIE "csdesk_flash"

struct app_def {
	const char *program;		/* "portal", "console": logs, DB application_name */
	const struct route *routes;
	size_t nroutes;
	const char *home_path;		/* "/" or "/agent/" */
	const char *login_path;		/* where GETs without access are sent */
	const char *csrf_cookie;	/* distinct per program */
	const char *body_class;		/* the template flag that marks the area */
	const char *other_area;		/* templates/<this>/ is the other program's: not loaded */
	/* The session cookie's name ("__Host-" is prefixed over TLS) and how
	 * to turn its token into a person: 1 found, 0 not, -1 error. */
	const char *session_cookie;
	int (*lookup_session)(struct db *db, struct arena *a, const char *token,
	    struct principal *who, const char **csrf);
	/* Run a signed-in customer's request in one transaction that names
	 * the customer for row-level security (the portal). */
	int customer_scoped;
	/*
	 * The JSON API (the console): paths under api_prefix ("/api/") take
	 * no cookies and need "Authorization: Bearer <key>", which
	 * lookup_api_key turns into a person (1 found, 0 not, -1 error),
	 * given the client's address to record the key's use. It fills who as
	 * WHO_STAFF with ACCESS_AGENT and the ACCESS_API_* bits of the key's
	 * scope: a key acts as an integration agent, whoever made it, and a
	 * route outside its scope answers 403. Without a valid key the answer
	 * is 401; every error on these paths is JSON (app_json_error), never
	 * a page or a redirect to the login.
	 */
	const char *api_prefix;
	int (*lookup_api_key)(struct db *db, struct arena *a, const char *key, const char *ip,
	    struct principal *who);
	/*
	 * Optional: work deferred off the hot path, run after each response
	 * is sent (stopping 0) and once more when the worker stops
	 * (stopping 1), outside any transaction. The portal adds the article
	 * views it counted in memory.
	 */
	void (*after_request)(struct app *app, int stopping);
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

/*
 * The 400 page of an address whose query does not parse: it names param
 * ("The value of “sort” in the address …"), or says why when param is
 * NULL, and links back to back (NULL: this page without its query).
 * Every page that reads its query answers a mistyped value with it.
 * Returns 0, or 500 when out of memory.
 */
int app_bad_query(struct app *app, struct req *r, struct resp *w, const char *param,
    const char *why, const char *back);

/*
 * Fills w with the API's error: status and
 * {"error": {"status": N, "message": "…"}}; message NULL gives the
 * status's reason phrase. A 401 also says how to authenticate.
 */
void app_json_error(struct req *r, struct resp *w, int status, const char *message);

/*
 * Sets the session cookie for a new session (max_age 0: ends with the
 * browser) or, with token NULL, deletes it.
 */
void app_session_cookie(struct app *app, struct req *r, struct resp *w, const char *token,
    long max_age);

/*
 * Queues a one-line message for the next page this browser sees (after
 * the 303 that follows a POST). error selects the error style.
 */
void app_flash(struct app *app, struct req *r, struct resp *w, int error, const char *text);

/*
 * Records what the signed-in person (or, before sign-in, the e-mail given
 * as subject) did in the audit log: action like "login.failure",
 * object_type/object_id may be NULL. Failures are logged, not fatal to
 * the request: the caller's own change has already been decided.
 */
void app_audit(struct app *app, struct req *r, const char *action, const char *object_type,
    const char *object_id, const char *subject);

/* A trimmed, lower-cased copy of an e-mail field; "" when absent or junk. */
const char *app_email_field(struct req *r, const char *name);

/* A local path to go back to after signing in; home_path for anything else. */
const char *app_safe_next(struct app *app, const char *next);

/* The absolute URL of path on this site (for links in e-mail). */
const char *app_url(struct app *app, struct req *r, const char *path);

/*
 * Names the customer whose rows the rest of the current transaction may
 * see under row-level security (the portal's role). For flows that learn
 * the customer mid-request (a reset link). Must run inside db_begin. 0/-1.
 */
int app_customer_scope(struct app *app, long long customer_id);

/* GET /healthz: 200 when the database answers, 503 when it does not. */
int app_healthz(struct app *app, struct req *r, struct resp *w);

#endif
