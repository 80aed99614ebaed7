/* mentions.c — see mentions.h. */
#include "domain/mentions.h"
#include "core/arena.h"

#include <string.h>

int
mention_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	    c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}

static char
lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

size_t
mentions_parse(struct arena *a, const char *text, size_t len, const char **out, size_t max)
{
	size_t i = 0, n = 0, k;

	while (i < len && n < max) {
		size_t start, end;
		char *h;
		int seen = 0;

		if (text[i] != '@' || (i > 0 && mention_char((unsigned char)text[i - 1]))) {
			i++;
			continue;
		}
		start = ++i;
		while (i < len && mention_char((unsigned char)text[i]))
			i++;
		end = i;
		/* Sentence punctuation after a handle is not part of it. */
		while (end > start && (text[end - 1] == '.' || text[end - 1] == '-'))
			end--;
		if (end == start || end - start > MENTION_HANDLE_MAX)
			continue;
		if ((h = arena_alloc(a, end - start + 1)) == NULL)
			return n;
		for (k = 0; k < end - start; k++)
			h[k] = lower(text[start + k]);
		h[k] = '\0';
		for (k = 0; k < n && !seen; k++)
			seen = strcmp(out[k], h) == 0;
		if (!seen)
			out[n++] = h;
	}
	return n;
}
