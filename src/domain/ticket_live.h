/*
 * ticket_live.h — what the console's polling asks every few seconds: has
 * anything changed since the stamp I have? Each answer is a few index
 * probes (primary keys), whatever the number of tickets, so 200 open tabs
 * cost 200 tiny statements a few seconds apart and no worker waits.
 *
 * The queue's stamp moves when a ticket is created (tickets.id) or when
 * anything about one changes (every change writes a ticket_events history
 * row); a ticket's stamp is its version, bumped by every change to it.
 */
#ifndef CSDESK_TICKET_LIVE_H
#define CSDESK_TICKET_LIVE_H

#include "core/result.h"

struct arena;
struct db;

struct ticket_live_queue {
	long long last_ticket;		/* the newest ticket's id */
	long long last_event;		/* the newest history row's id */
};

/* The queue's stamp. CS_OK or the failure. */
enum cs_result ticket_live_queue(struct db *db, struct ticket_live_queue *q);

/*
 * The ticket numbered number: its version and its newest comment's id.
 * CS_OK, CS_NOT_FOUND or the failure (staff only: no scope is applied).
 */
enum cs_result ticket_live_ticket(struct db *db, const char *number, int *version,
    long long *last_comment);

/* The newest message of a ticket, for the list's preview on hover or focus. */
struct ticket_preview {
	const char *author;		/* a name, "System" for the system's */
	const char *kind;		/* "public", "internal" or "system"; "" when none */
	const char *body;		/* the first TICKET_PREVIEW_CHARS characters, as written */
	const char *created_at;		/* "2026-01-31 14:05" UTC */
};

#define TICKET_PREVIEW_CHARS 280

/*
 * The ticket numbered number's newest message (or its description when
 * nobody wrote yet, kind "description"), in a: one step of the comments'
 * (ticket_id, id) index. CS_OK, CS_NOT_FOUND or the failure (staff only).
 */
enum cs_result ticket_live_preview(struct db *db, struct arena *a, const char *number,
    struct ticket_preview *p);

#endif
