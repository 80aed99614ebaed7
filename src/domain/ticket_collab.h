/*
 * ticket_collab.h — agents working together on one ticket: the "is
 * writing" heartbeat (presence), links between related tickets, merging a
 * duplicate into another ticket, and @mentions in internal notes. What
 * the page shows of it is read by collab_panel.h.
 *
 * Presence is kept cheap enough for every page view: a row per agent and
 * ticket, written only when it is older than COLLAB_PRESENCE_REFRESH
 * seconds; rows older than COLLAB_PRESENCE_TTL seconds mean nothing.
 *
 * Links and merges are use cases: each owns its transaction, writes the
 * tickets' history rows, bumps tickets.version and appends its event
 * ("ticket.linked", "ticket.unlinked", "ticket.merged") in the same
 * transaction; what they mail follows from the events. Strings come back
 * in the arena given.
 */
#ifndef CSDESK_TICKET_COLLAB_H
#define CSDESK_TICKET_COLLAB_H

#include <stddef.h>

#include "core/result.h"

struct arena;
struct db;

#define COLLAB_PRESENCE_REFRESH 30
#define COLLAB_PRESENCE_TTL 120

/*
 * The "is writing" heartbeat of staff_id for the ticket called number
 * (typing 1), or its end (typing 0, when the reply was sent). CS_OK,
 * CS_NOT_FOUND (no such ticket) or the failure.
 */
enum cs_result collab_presence_typing(struct db *db, const char *number, long long staff_id,
    int typing);

/*
 * Links ticket_id to the ticket called other_number as related, with a
 * history row and a "ticket.linked" event ({"other_id", "other_number"})
 * on both. Returns CS_OK, CS_REFUSED (no such ticket, itself, already
 * linked: *why) or the failure.
 */
enum cs_result collab_link_add(struct db *db, long long staff_id, long long ticket_id,
    const char *other_number, const char **why);

/*
 * Removes the related link between ticket_id and other_id (either
 * direction), with a history row and a "ticket.unlinked" event on both. A
 * duplicate_of link made by a merge stays. Returns CS_OK, CS_NOT_FOUND (no
 * such link) or the failure.
 */
enum cs_result collab_link_remove(struct db *db, long long staff_id, long long ticket_id,
    long long other_id);

/*
 * Merges ticket source_id into the ticket called target_number, in one
 * transaction (ticket_merge in sql/functions/): comments and attachments
 * move, the source is cancelled (closed when resolved) with a
 * duplicate_of link, both histories and a public comment on the target
 * say so, and a "ticket.merged" event on the source names both
 * ({"number", "target_id", "target_number"}): the mail consumer tells the
 * target's requester from it. Sets *target to the target's number (in a).
 * Returns CS_OK, CS_REFUSED (no such target, itself, another customer's
 * ticket, a closed or cancelled target or source: *why) or the failure.
 */
enum cs_result collab_merge(struct db *db, struct arena *a, long long staff_id,
    long long source_id, const char *target_number, const char **target, const char **why);

/*
 * Inside the caller's transaction (ticket_reply's, for an internal note):
 * the active colleagues @mentioned in body (mentions.h; the author
 * excepted), each with a "mention" history row on ticket_id by author_id.
 * Their ids into *ids (in a; at most MENTIONS_MAX), *n how many; names
 * nobody has are left alone. The mail that tells them follows from the
 * note's event (ticket_consumers.h). CS_OK or the failure.
 */
enum cs_result collab_mentions_record(struct db *db, struct arena *a, long long ticket_id,
    long long author_id, const char *body, long long **ids, size_t *n);

#endif
