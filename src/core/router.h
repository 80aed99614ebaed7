/*
 * router.h — method + path pattern → handler, with the access each route
 * requires.
 *
 * Patterns are literal segments and {name} placeholders that match one
 * non-empty segment ("/tickets/{number}/attachments/{id}"); a trailing "/"
 * is significant ("/agent/" is not "/agent"). Every route must declare its
 * access; router_check() refuses a table where one does not (default deny).
 */
#ifndef CSDESK_ROUTER_H
#define CSDESK_ROUTER_H

#include <stddef.h>

#include "core/http.h"

struct app;

/* Who may use a route. ACCESS_PUBLIC must be said explicitly. */
enum access {
	ACCESS_UNSET = 0,
	ACCESS_PUBLIC = 1 << 0,		/* anyone, signed in or not */
	ACCESS_CUSTOMER = 1 << 1,	/* a signed-in portal user */
	ACCESS_AGENT = 1 << 2,
	ACCESS_SUPERVISOR = 1 << 3,
	ACCESS_TECHNICIAN = 1 << 4,
	ACCESS_ADMIN = 1 << 5,
	ACCESS_STAFF = ACCESS_AGENT | ACCESS_SUPERVISOR | ACCESS_TECHNICIAN | ACCESS_ADMIN,
	/* What an API key's scope allows (domain/api_keys.h); only keys hold these. */
	ACCESS_API_TICKETS_READ = 1 << 6,
	ACCESS_API_TICKETS_WRITE = 1 << 7,
	ACCESS_API_COMMENTS_WRITE = 1 << 8,
	/* Receiving and inspecting returns: not in ACCESS_STAFF, so a
	 * warehouse-only person sees no tickets. */
	ACCESS_WAREHOUSE = 1 << 9,
};

/*
 * A handler reads r, calls the domain and fills w. It returns 0 when w is
 * the response, or an HTTP error status (400..599) for the application to
 * answer with its error page.
 */
typedef int (*handler_fn)(struct app *app, struct req *r, struct resp *w);

struct route {
	enum http_method method;
	const char *pattern;
	handler_fn handler;
	unsigned access;	/* enum access bits: any one of them grants */
	int no_csrf;		/* only for requests authenticated otherwise (API keys) */
};

enum route_result {
	ROUTE_FOUND,
	ROUTE_NOT_FOUND,	/* no pattern matches the path: 404 */
	ROUTE_BAD_METHOD,	/* a pattern matches, another method: 405 */
	ROUTE_BAD_PATH,		/* a path parameter does not decode: 400 */
};

/*
 * Checks a table at start-up: access declared, patterns well formed, no
 * more than ROUTE_MAX_PARAMS placeholders. Returns 0, or -1 after logging
 * the offending entry.
 */
int router_check(const struct route *routes, size_t n);

/*
 * Finds the route for r->method and r->path (HEAD matches GET routes) and
 * sets r's path parameters. For ROUTE_BAD_METHOD, the allowed methods are
 * written to allow (e.g. "GET, POST") when allow is not NULL.
 */
enum route_result router_match(const struct route *routes, size_t n, struct req *r,
    const struct route **found, struct buf *allow);

#endif
