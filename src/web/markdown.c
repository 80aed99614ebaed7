/* markdown.c — see markdown.h. */
#include "web/markdown.h"
#include "core/arena.h"

#include <cmark.h>
#include <stdlib.h>
#include <string.h>

const char *
md_html(struct arena *a, const char *md)
{
	char *html, *copy;

	if (md == NULL || md[0] == '\0')
		return arena_strdup(a, "");
	/* Safe is cmark's default since 0.29; say it anyway for older ones. */
	html = cmark_markdown_to_html(md, strlen(md), CMARK_OPT_SAFE);
	if (html == NULL)
		return NULL;
	copy = arena_strdup(a, html);
	free(html);
	return copy;
}
