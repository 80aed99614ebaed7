/*
 * ticket_site.h — what follows a change of a ticket's site (a field of
 * ticket_fields.h, from the ticket page or the API): routing runs again
 * for a ticket nobody has picked up when a site rule says so.
 *
 * Routing rules place a new ticket once; afterwards its queue is people's
 * business. The exception is a ticket still new and unassigned, still in
 * the queue routing gave it for its old site, whose new site makes a
 * routing rule that names a site (if_site) send it elsewhere: it moves to
 * that rule's queue and team (with the rule's skill level and tags; the
 * priority and its SLA clock stay), with history rows by the system and
 * the rule's name (ticket_site_reroute, sql/functions/330_site_more.sql).
 * docs/automation.md says why.
 */
#ifndef CSDESK_TICKET_SITE_H
#define CSDESK_TICKET_SITE_H

#include <stddef.h>

#include "core/result.h"

struct arena;
struct db;
struct tf_change;

/*
 * Inside the caller's transaction, after ticket_id's site changed from
 * the site named old_site (NULL: none): re-routes it when the rules say
 * so. moved (room for two) gets the queue's and the team's changes, in a,
 * and *n how many (0: it stays). CS_OK or the failure.
 */
enum cs_result ticket_site_follow(struct db *db, struct arena *a, long long ticket_id,
    const char *old_site, struct tf_change *moved, int *n);

/*
 * The audit consumer's part (ticket_consumers.c): for a
 * "ticket.fields_changed" event e whose payload o changed the site,
 * records "ticket.site_change" on the ticket's number with the site's
 * names before and after (and the queue when it moved). Other changes:
 * nothing. CS_OK or the failure.
 */
struct event;
struct json_t;
enum cs_result ticket_site_audit(struct db *db, const struct event *e, struct json_t *o);

#endif
