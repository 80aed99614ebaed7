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
 * transaction. Strings come back in the arena given.
 */
#ifndef CSDESK_TICKET_COLLAB_H
#define CSDESK_TICKET_COLLAB_H

#include <stddef.h>

#include "core/result.h"

struct arena;
struct db;
struct tmpl_set;
struct tval;

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
 * transaction (ticket_merge in 006_ticket_collaboration.sql): comments and
 * attachments move, the source is cancelled (closed when resolved) with a
 * duplicate_of link, both histories and a public comment on the target
 * say so, a "ticket.merged" event on the source names the target
 * ({"target_id", "target_number"}), and the target's requester is sent
 * templates/email/ticket_merged (ctx is the page context, for site.name;
 * portal_link is the target's portal URL without the number,
 * "https://…/tickets/"). Sets *target to the target's number. Returns
 * CS_OK, CS_REFUSED (no such target, itself, another customer's ticket, a
 * closed or cancelled target or source: *why) or the failure.
 */
enum cs_result collab_merge(struct db *db, const struct tmpl_set *set, struct arena *a,
    long long staff_id, long long source_id, const char *target_number, struct tval *ctx,
    const char *portal_link, const char **target, const char **why);

/*
 * Tells every active colleague @mentioned in body (mentions.h; the author
 * excepted) by mail (templates/email/ticket_mention), inside the caller's
 * transaction, with a "mention" history row each. ctx is the page
 * context; number, subject and author describe the note, link is the
 * ticket's console URL. Names nobody has are left alone. *notified counts
 * the colleagues told. CS_OK or the failure.
 */
enum cs_result collab_mentions_notify(struct db *db, const struct tmpl_set *set,
    struct arena *a, long long ticket_id, long long author_id, const char *author,
    const char *number, const char *subject, const char *body, struct tval *ctx,
    const char *link, size_t *notified);

#endif
