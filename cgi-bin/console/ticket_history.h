/*
 * ticket_history.h — the ticket page's history in words (ticket_history.c).
 */
#ifndef CSDESK_CONSOLE_TICKET_HISTORY_H
#define CSDESK_CONSOLE_TICKET_HISTORY_H

#include <stddef.h>
#include <time.h>

#include "web/app.h"

struct arena;
struct tval;
struct ticket_event;

/*
 * Puts "history" into ctx: the n events in time order, each {actor, what
 * (a sentence), at (in zone, the agent's), iso, ago}, and history_zone.
 * 0, -1 (out of memory) or -2 (the database failed reading the form
 * choices).
 */
int console_ticket_history_ctx(struct app *app, struct arena *a, struct tval *ctx,
    const struct ticket_event *ev, size_t n, const char *zone);

/* "2026-01-31T14:05Z" for a "2026-01-31 14:05" UTC time (for <time datetime>). */
const char *console_iso(struct arena *a, const char *when);

/* "3 h ago" for a "2026-01-31 14:05" UTC time, at now; when itself past 45 days. */
const char *console_ago(struct arena *a, const char *when, time_t now);

#endif
