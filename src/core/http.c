/* http.c — see http.h. */
#include "core/http.h"
#include "core/arena.h"

#include <fcgiapp.h>
#include <stdio.h>
#include <string.h>

static const struct {
	int status;
	const char *reason;
} reasons[] = {
	{ 200, "OK" }, { 201, "Created" }, { 204, "No Content" },
	{ 301, "Moved Permanently" }, { 302, "Found" }, { 303, "See Other" },
	{ 304, "Not Modified" },
	{ 400, "Bad Request" }, { 401, "Unauthorized" }, { 403, "Forbidden" },
	{ 404, "Not Found" }, { 405, "Method Not Allowed" }, { 409, "Conflict" },
	{ 410, "Gone" }, { 413, "Content Too Large" }, { 415, "Unsupported Media Type" },
	{ 422, "Unprocessable Content" }, { 429, "Too Many Requests" },
	{ 500, "Internal Server Error" }, { 503, "Service Unavailable" },
};

const char *
http_reason(int status)
{
	size_t i;

	for (i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
		if (reasons[i].status == status)
			return reasons[i].reason;
	return "Unknown";
}

static const char *const method_names[HTTP_METHOD__MAX] = {
	[HTTP_GET] = "GET", [HTTP_HEAD] = "HEAD", [HTTP_POST] = "POST",
	[HTTP_PUT] = "PUT", [HTTP_PATCH] = "PATCH", [HTTP_DELETE] = "DELETE",
	[HTTP_OTHER] = "OTHER",
};

enum http_method
http_method_parse(const char *name)
{
	int m;

	for (m = 0; m < HTTP_OTHER; m++)
		if (strcmp(name, method_names[m]) == 0)
			return (enum http_method)m;
	return HTTP_OTHER;
}

const char *
http_method_name(enum http_method m)
{
	return m < HTTP_METHOD__MAX ? method_names[m] : "OTHER";
}

const char *
req_env(const struct req *r, const char *name)
{
	if (r->fcgi_env == NULL)
		return NULL;
	return FCGX_GetParam(name, (FCGX_ParamArray)r->fcgi_env);
}

const char *
req_query(const struct req *r, const char *name)
{
	return form_get(&r->query_form, name);
}

const char *
req_field(const struct req *r, const char *name)
{
	return form_get(&r->body, name);
}

const char *
req_param(const struct req *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->nparams; i++)
		if (strcmp(r->param_names[i], name) == 0)
			return r->param_values[i];
	return NULL;
}

const char *
req_cookie(const struct req *r, const char *name)
{
	return cookie_get(r->cookies, r->ncookies, name);
}

void
resp_init(struct resp *w, struct arena *a)
{
	w->status = 200;
	w->content_type = "text/html; charset=utf-8";
	buf_init(&w->headers, a);
	buf_init(&w->body, a);
}

static int
header_safe(const char *s)
{
	for (; *s; s++)
		if (*s == '\r' || *s == '\n')
			return 0;
	return 1;
}

void
resp_header(struct resp *w, const char *name, const char *value)
{
	if (!header_safe(name) || !header_safe(value))
		return;
	buf_addstr(&w->headers, name);
	buf_add(&w->headers, ": ", 2);
	buf_addstr(&w->headers, value);
	buf_add(&w->headers, "\r\n", 2);
}

void
resp_redirect(struct resp *w, const char *location)
{
	/* Only local paths: never an open redirect to another site. */
	if (location[0] != '/' || location[1] == '/' || location[1] == '\\')
		location = "/";
	w->status = 303;
	resp_header(w, "Location", location);
	buf_reset(&w->body);
}

void
resp_cookie(struct resp *w, const char *name, const char *value, const struct cookie_opts *o)
{
	struct buf *h = &w->headers;

	if (!header_safe(name) || !header_safe(value) || strpbrk(value, ";, ") != NULL)
		return;
	buf_printf(h, "Set-Cookie: %s=%s; Path=%s", name, value, o->path ? o->path : "/");
	if (o->max_age > 0)
		buf_printf(h, "; Max-Age=%ld", o->max_age);
	else if (o->max_age < 0)
		buf_addstr(h, "; Max-Age=0");
	if (o->http_only)
		buf_addstr(h, "; HttpOnly");
	if (o->secure)
		buf_addstr(h, "; Secure");
	buf_printf(h, "; SameSite=%s\r\n", o->same_site ? o->same_site : "Lax");
}
