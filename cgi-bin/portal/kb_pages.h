/*
 * kb_pages.h — what the portal's knowledge-base pages (kb.c,
 * kb_article.c) share: who the reader is, and a list of articles for a
 * template.
 */
#ifndef CSDESK_PORTAL_KB_PAGES_H
#define CSDESK_PORTAL_KB_PAGES_H

#include <stddef.h>

#include "domain/kb.h"
#include "portal/handlers.h"

struct arena;
struct tval;

/* The audience of the request: a signed-in customer or a visitor. */
enum kb_audience portal_kb_reader(const struct req *r);

/*
 * Articles as a template list; links carry token (the search's) when not
 * NULL. NULL when out of memory.
 */
struct tval *portal_kb_refs(struct arena *a, const struct kb_article_ref *rows, size_t n,
    const char *token);

#endif
