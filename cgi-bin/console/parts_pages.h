/* parts_pages.h — what the console's parts pages share (parts_stock.c, parts_van.c). */
#ifndef CSDESK_CONSOLE_PARTS_PAGES_H
#define CSDESK_CONSOLE_PARTS_PAGES_H

#include <stddef.h>

#include "web/app.h"

struct parts_count;

/*
 * The counts a stock form sent for the page of location's levels it showed
 * (count_<part id>; blank: not counted; "after": the page's key), at most
 * PARTS_PAGE into c, *k of them. 0; -1 with the refusal in *why; or 500.
 */
int console_parts_counts(struct app *app, struct req *r, long long location,
    struct parts_count *c, size_t *k, const char **why);

#endif
