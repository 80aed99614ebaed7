/*
 * kb_pages.h — what the console's knowledge-base pages (kb.c,
 * kb_article.c, kb_categories.c) share: labels of statuses and audiences,
 * who publishes, the preview's HTML and the category select.
 */
#ifndef CSDESK_CONSOLE_KB_PAGES_H
#define CSDESK_CONSOLE_KB_PAGES_H

#include "console/handlers.h"

struct arena;
struct tval;

/* What people read for a status ("In review") or a visibility; the value itself if unknown. */
const char *kb_page_status_label(const char *status);
const char *kb_page_visibility_label(const char *visibility);

/* 1 when the signed-in member of staff may publish (supervisors, admins). */
int kb_page_can_publish(const struct req *r);

/* The article's HTML as the portal shows it, images through the console; NULL if no memory. */
const char *kb_page_preview_html(struct arena *a, const char *md);

/* "— — " for a category depth (at most 4 steps). */
const char *kb_page_indent(struct arena *a, int depth);

#endif
