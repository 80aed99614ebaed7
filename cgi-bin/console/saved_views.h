/*
 * saved_views.h — what other console pages take from saved_views.c: the
 * signed-in agent's saved views for the list page and the dashboard.
 */
#ifndef CSDESK_CONSOLE_SAVED_VIEWS_H
#define CSDESK_CONSOLE_SAVED_VIEWS_H

#include "web/app.h"

struct tval;

/*
 * Puts into ctx: saved_views (each {id, name, own, owner, shared, and
 * current when the request shows that view's filters}), has_saved_views,
 * and view_query (the current request's list filters as a query string,
 * what "Save this view" stores). Returns 0, or the status to answer
 * (500, 503).
 */
int console_saved_views_ctx(struct app *app, struct req *r, struct tval *ctx);

/* The same with the views already read (the queue reads them with its list). */
struct saved_view;
int console_saved_views_put(struct req *r, struct tval *ctx, const struct saved_view *v,
    size_t n);

#endif
