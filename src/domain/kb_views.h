/*
 * kb_views.h — article view counts without a write per page view.
 *
 * Each portal worker counts views in its own memory and adds them to
 * kb_articles.view_count in one statement when KB_VIEWS_FLUSH_SECONDS have
 * passed since the last flush, when KB_VIEWS_PENDING_MAX views are
 * pending, when half its KB_VIEWS_SLOTS articles are taken, and when the
 * worker stops. The portal checks after every request, once the response
 * is sent, so the page never waits for it.
 * The counts lost are only those of a worker killed outright; a worker
 * that is asked to stop flushes first, so the totals stay right.
 *
 * The table is the one piece of state a worker keeps between requests; it
 * holds counts only, and losing it costs nothing but those counts.
 */
#ifndef CSDESK_KB_VIEWS_H
#define CSDESK_KB_VIEWS_H

#include "core/result.h"

struct db;

#define KB_VIEWS_SLOTS 256
#define KB_VIEWS_PENDING_MAX 1000
#define KB_VIEWS_FLUSH_SECONDS 10

/* Counts one view of the article in memory. Cannot fail. */
void kb_views_count(long long article_id);

/*
 * Adds what is pending to the database when due (force: now, whatever is
 * pending). Outside any transaction. Returns CS_OK, or the failure when
 * the database refused; the counts are then kept for the next try.
 */
enum cs_result kb_views_flush(struct db *db, int force);

/* Views counted and not yet flushed (for tests and logs). */
long long kb_views_pending(void);

#endif
