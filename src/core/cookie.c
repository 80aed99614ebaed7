/*
 * cookie.c — the Cookie request header. See form.h.
 *
 * Browsers send whatever Set-Cookie gave them, and a malformed cookie from
 * some other site's script on a shared domain must not lock a user out, so
 * the parser skips what it cannot read instead of failing the request.
 */
#include "core/form.h"
#include "core/arena.h"

#include <string.h>

static int
cookie_is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Narrows [*s, *e) to drop blanks at both ends. */
static void
cookie_trim(const char **s, const char **e)
{
	while (*s < *e && cookie_is_blank(**s))
		(*s)++;
	while (*e > *s && cookie_is_blank((*e)[-1]))
		(*e)--;
}

/*
 * Splits header on ';' into at most max name=value pairs. The array is
 * sized from a count of the separators, so the header is walked twice but
 * never more, and nothing is allocated for a header without cookies.
 */
enum form_err
cookie_parse(struct arena *a, const char *header, size_t max,
    struct cookie **out, size_t *n)
{
	const char *p, *next, *end, *semi, *piece_end, *eq, *ns, *ne, *vs, *ve;
	struct cookie *arr = NULL;
	size_t cap = 1, k = 0;
	char *name, *value;

	*out = NULL;
	*n = 0;
	if (header == NULL || max == 0)
		return FORM_OK;
	end = header + strlen(header);
	for (p = header; (semi = memchr(p, ';', (size_t)(end - p))) != NULL && cap < max;
	    p = semi + 1)
		cap++;

	for (p = header; p < end && k < max; p = next) {
		semi = memchr(p, ';', (size_t)(end - p));
		piece_end = semi != NULL ? semi : end;
		next = semi != NULL ? semi + 1 : end;
		eq = memchr(p, '=', (size_t)(piece_end - p));
		if (eq == NULL)
			continue;
		ns = p;
		ne = eq;
		vs = eq + 1;
		ve = piece_end;
		cookie_trim(&ns, &ne);
		if (ns == ne)
			continue;
		cookie_trim(&vs, &ve);
		if (ve - vs >= 2 && *vs == '"' && ve[-1] == '"') {
			vs++;
			ve--;
		}
		if (arr == NULL) {
			arr = arena_calloc(a, cap, sizeof(*arr));
			if (arr == NULL)
				return FORM_NOMEM;
		}
		name = arena_strndup(a, ns, (size_t)(ne - ns));
		value = arena_strndup(a, vs, (size_t)(ve - vs));
		if (name == NULL || value == NULL)
			return FORM_NOMEM;
		arr[k].name = name;
		arr[k].value = value;
		k++;
	}
	*out = arr;
	*n = k;
	return FORM_OK;
}

/* The value of the first cookie called name, or NULL. */
const char *
cookie_get(const struct cookie *c, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(c[i].name, name) == 0)
			return c[i].value;
	return NULL;
}
