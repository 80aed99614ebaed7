/* router.c — see router.h. */
#include "core/router.h"
#include "core/arena.h"
#include "core/log.h"

#include <string.h>

/* Longest decoded path parameter accepted (a ticket number, an id, a slug). */
#define PARAM_MAX 200

int
router_check(const struct route *routes, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const struct route *rt = &routes[i];
		const char *p;
		int params = 0;

		if (rt->access == ACCESS_UNSET)
			return log_fail("route %s %s declares no access", http_method_name(rt->method),
			    rt->pattern);
		if (rt->pattern == NULL || rt->pattern[0] != '/' || rt->handler == NULL)
			return log_fail("route %zu is malformed", i);
		for (p = rt->pattern; (p = strchr(p, '{')) != NULL; p++) {
			const char *close = strchr(p, '}');

			if (close == NULL || close == p + 1 || p[-1] != '/' ||
			    (close[1] != '/' && close[1] != '\0'))
				return log_fail("route %s: bad placeholder", rt->pattern);
			params++;
		}
		if (params > ROUTE_MAX_PARAMS)
			return log_fail("route %s: too many placeholders", rt->pattern);
	}
	return 0;
}

/* Decodes a %-encoded path segment; NULL when bad, empty, too long or NUL. */
static const char *
decode_segment(struct arena *a, const char *s, size_t len)
{
	size_t outlen;
	char *v;

	if (len == 0 || len > PARAM_MAX * 3)
		return NULL;
	v = url_decode(a, s, len, 0, &outlen);
	if (v == NULL || outlen == 0 || outlen > PARAM_MAX || memchr(v, '\0', outlen) != NULL)
		return NULL;
	return v;
}

/*
 * Matches path against pattern, filling params when match is set.
 * Returns 1 (match), 0 (no match) or -1 (matches but a parameter is bad).
 */
static int
match(const char *pattern, const char *path, struct req *r, int fill)
{
	const char *p = pattern, *s = path;
	size_t np = 0;

	while (*p && *s) {
		if (*p == '{') {
			const char *close = strchr(p, '}');
			const char *end = strchr(s, '/');
			size_t len = end ? (size_t)(end - s) : strlen(s);

			if (len == 0)
				return 0;
			if (fill) {
				const char *v = decode_segment(r->arena, s, len);

				if (v == NULL)
					return -1;
				r->param_names[np] = arena_strndup(r->arena, p + 1,
				    (size_t)(close - p - 1));
				r->param_values[np] = v;
				if (r->param_names[np] == NULL)
					return -1;
			}
			np++;
			p = close + 1;
			s += len;
			continue;
		}
		if (*p != *s)
			return 0;
		p++;
		s++;
	}
	if (*p || *s)
		return 0;
	if (fill)
		r->nparams = np;
	return 1;
}

enum route_result
router_match(const struct route *routes, size_t n, struct req *r, const struct route **found,
    struct buf *allow)
{
	enum http_method m = r->method == HTTP_HEAD ? HTTP_GET : r->method;
	unsigned allowed = 0;
	size_t i;

	*found = NULL;
	for (i = 0; i < n; i++) {
		if (!match(routes[i].pattern, r->path, r, 0))
			continue;
		if (routes[i].method != m) {
			allowed |= 1u << routes[i].method;
			continue;
		}
		if (match(routes[i].pattern, r->path, r, 1) < 0)
			return ROUTE_BAD_PATH;
		*found = &routes[i];
		return ROUTE_FOUND;
	}
	if (allowed == 0)
		return ROUTE_NOT_FOUND;
	if (allow != NULL) {
		int k;

		if (allowed & (1u << HTTP_GET))
			allowed |= 1u << HTTP_HEAD;
		for (k = 0; k < HTTP_OTHER; k++) {
			if (!(allowed & (1u << k)))
				continue;
			if (allow->len)
				buf_add(allow, ", ", 2);
			buf_addstr(allow, http_method_name((enum http_method)k));
		}
	}
	return ROUTE_BAD_METHOD;
}
