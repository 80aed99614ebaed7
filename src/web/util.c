/* util.c — small things handlers of both programs need; see app.h. */
#include "web/app.h"
#include "core/arena.h"

#include <ctype.h>
#include <string.h>

const char *
app_email_field(struct req *r, const char *name)
{
	const char *v = req_field(r, name);
	size_t start = 0, end, i;
	char *out;

	if (v == NULL)
		return "";
	end = strlen(v);
	while (start < end && isspace((unsigned char)v[start]))
		start++;
	while (end > start && isspace((unsigned char)v[end - 1]))
		end--;
	if (end - start > 254)
		return "";
	out = arena_strndup(r->arena, v + start, end - start);
	if (out == NULL)
		return "";
	for (i = 0; out[i]; i++)
		out[i] = (char)tolower((unsigned char)out[i]);
	return out;
}

const char *
app_safe_next(struct app *app, const char *next)
{
	const char *home = app->def->home_path;
	size_t i;

	if (next == NULL || strncmp(next, home, strlen(home)) != 0 || strlen(next) > 512)
		return home;
	/* No scheme-relative or backslash tricks, no control characters. */
	if (next[1] == '/' || next[1] == '\\')
		return home;
	for (i = 0; next[i]; i++)
		if ((unsigned char)next[i] < 0x20 || next[i] == '\\')
			return home;
	return next;
}

/*
 * From the configured base URL, never from the request's Host header: a
 * forged Host would otherwise put an attacker's site in a reset link.
 */
const char *
app_url(struct app *app, struct req *r, const char *path)
{
	return arena_printf(r->arena, "%s%s", app->cfg.base_url, path);
}
