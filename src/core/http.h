/*
 * http.h — the request and the response as handlers see them.
 *
 * A struct req is filled from the FastCGI parameters and body by
 * req_read(); everything in it lives in the request's arena. A handler
 * fills struct resp (status, extra headers, body) or returns an error
 * status and lets the application render the error page.
 */
#ifndef CSDESK_HTTP_H
#define CSDESK_HTTP_H

#include <stddef.h>

#include "core/buf.h"
#include "core/form.h"

struct arena;
struct tval;

enum http_method {
	HTTP_GET,
	HTTP_HEAD,
	HTTP_POST,
	HTTP_PUT,
	HTTP_PATCH,
	HTTP_DELETE,
	HTTP_OTHER,
	HTTP_METHOD__MAX
};

#define ROUTE_MAX_PARAMS 4

/* Who is asking: filled from the session before routing. */
enum principal_kind {
	WHO_NOBODY,
	WHO_CUSTOMER,	/* a portal user; customer_id is their account */
	WHO_STAFF,
};

struct principal {
	enum principal_kind kind;
	long long id;		/* portal_users.id or staff.id */
	long long customer_id;	/* customers only */
	long long session_id;
	unsigned access;	/* enum access bits (router.h) this person holds */
	const char *name;
	const char *email;
	const char *language;
	const char *roles;	/* staff: "agent,admin" */
	int account_admin;	/* customers: sees the whole account */
	int totp_enabled;	/* staff */
	/* staff: personal settings (staff_prefs.h), read with the session */
	const char *theme;	/* "system", "light", "dark" */
	int shortcuts;		/* single-key shortcuts on */
	int after_next;		/* after an action, open the view's next ticket */
	const char *time_zone;	/* staff.time_zone, "UTC" by default */
};

struct req {
	struct arena *arena;
	void *fcgi_env;			/* FCGX_ParamArray, for req_env() */
	const char *request_id;
	enum http_method method;
	const char *method_name;
	const char *path;		/* without the query string, still %-encoded */
	const char *query;		/* "" when absent */
	const char *content_type;	/* "" when absent */
	const char *remote_addr;
	int https;
	struct form query_form;		/* parsed query string */
	struct form body;		/* parsed urlencoded or multipart body */
	const char *raw_body;		/* the body as read (any content type) */
	size_t raw_body_len;
	struct cookie *cookies;
	size_t ncookies;
	/* Path parameters of the matched route, %-decoded. */
	const char *param_names[ROUTE_MAX_PARAMS];
	const char *param_values[ROUTE_MAX_PARAMS];
	size_t nparams;
	/* Filled by the application before the handler runs. */
	struct principal who;
	const char *session_token;	/* from the cookie, when a session is alive */
	const char *csrf_token;		/* the session's, or the pre-session cookie's */
	int set_csrf_cookie;
	int clear_session_cookie;	/* the cookie named a dead session */
	int flash_shown;		/* a flash message was rendered: clear it */
};

struct resp {
	int status;
	const char *content_type;
	struct buf headers;	/* extra header lines, each ending in \r\n */
	struct buf body;
};

/* The reason phrase for a status ("Not Found"), "Unknown" if not listed. */
const char *http_reason(int status);

/* The method for its name; HTTP_OTHER when unknown. */
enum http_method http_method_parse(const char *name);
const char *http_method_name(enum http_method m);

/* A FastCGI parameter ("HTTP_ORIGIN", "REMOTE_ADDR"), or NULL. */
const char *req_env(const struct req *r, const char *name);

/* A query parameter, a body field, a path parameter, a cookie; or NULL. */
const char *req_query(const struct req *r, const char *name);
const char *req_field(const struct req *r, const char *name);
const char *req_param(const struct req *r, const char *name);
const char *req_cookie(const struct req *r, const char *name);

/* Empties resp and sets 200 text/html. Cannot fail. */
void resp_init(struct resp *w, struct arena *a);

/* Appends "Name: value\r\n"; value must not contain CR or LF (checked: dropped). */
void resp_header(struct resp *w, const char *name, const char *value);

/* 303 See Other to location (a path on this site). */
void resp_redirect(struct resp *w, const char *location);

struct cookie_opts {
	long max_age;		/* seconds; 0: session cookie; < 0: delete */
	int http_only;
	int secure;
	const char *same_site;	/* "Lax", "Strict"; NULL: Lax */
	const char *path;	/* NULL: "/" */
};

/* Adds a Set-Cookie header. The value must be a cookie-safe token. */
void resp_cookie(struct resp *w, const char *name, const char *value,
    const struct cookie_opts *o);

#endif
