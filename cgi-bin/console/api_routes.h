/*
 * api_routes.h — the JSON API's routes, once: X(method, pattern, handler,
 * access) per route. cgi-bin/console.c expands them into its route table
 * (with no_csrf: a key, never a cookie); tests/http/check_http_api_openapi.c
 * expands them to check that static/api/openapi.json describes every one,
 * so a route added here without its description fails the tests.
 *
 * The document itself is served by nginx at /api/v1/openapi.json (a
 * static file, readable without a key), so it is not a route here.
 */
#ifndef CSDESK_CONSOLE_API_ROUTES_H
#define CSDESK_CONSOLE_API_ROUTES_H

#define CONSOLE_API_ROUTES(X) \
	X(HTTP_GET, "/api/v1/tickets", console_api_tickets, ACCESS_API_TICKETS_READ) \
	X(HTTP_POST, "/api/v1/tickets", console_api_ticket_create, ACCESS_API_TICKETS_WRITE) \
	X(HTTP_GET, "/api/v1/tickets/{number}", console_api_ticket, ACCESS_API_TICKETS_READ) \
	X(HTTP_PATCH, "/api/v1/tickets/{number}", console_api_ticket_update, \
	    ACCESS_API_TICKETS_WRITE) \
	X(HTTP_GET, "/api/v1/tickets/{number}/comments", console_api_comments, \
	    ACCESS_API_TICKETS_READ) \
	X(HTTP_POST, "/api/v1/tickets/{number}/comments", console_api_comment_add, \
	    ACCESS_API_COMMENTS_WRITE) \
	X(HTTP_GET, "/api/v1/choices", console_api_choices, ACCESS_API_TICKETS_READ)

#endif
