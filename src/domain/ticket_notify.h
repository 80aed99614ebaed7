/*
 * ticket_notify.h — the e-mail a ticket's changes send, through the outbox
 * (notify.h), queued inside the caller's transaction: the mail consumer of
 * ticket events (ticket_consumers.h) for the use cases of tickets.h, and,
 * until they move to events too, the console's assignment and bulk
 * changes, merging and SLA escalation directly, in their own transaction:
 *
 *   ticket_created         "we received your request", to the requester
 *   ticket_assigned        to the agent given the ticket
 *   ticket_reply           a public staff reply, to the customer's requester
 *   ticket_customer_reply  a customer's reply, to the ticket's agent, or
 *                          the members of its queue's team when unassigned
 *   ticket_resolved        to the requester, with the link to the page where
 *                          they confirm the solution or reopen the request
 *   ticket_auto_closed     to the requester, when the batch job closes a
 *                          ticket left resolved (ticket_autoclose.h)
 *
 * Nobody is told about their own change. A ticket without a requester (a
 * phone ticket), an inactive requester or staff member, or an address the
 * outbox refuses means no mail for that person; the change still happens.
 * Staff are found through ticket_staff_recipients() (010), so this works
 * under the portal's role too, for the customer's own tickets.
 *
 * The templates and the links' base come from ticket_notify_setup(), called
 * once per process before it serves anything (the programs after compiling
 * their templates, the batch job before its steps). A process that has not
 * called it (`csdesk gen`) changes tickets without sending mail.
 *
 * Every function returns 0 (also when nobody is to be told) or -1 (logged;
 * the caller rolls its change back, so a change and its mail go together):
 * the signatures other modules call are kept as they were while those
 * modules move to events.
 */
#ifndef CSDESK_TICKET_NOTIFY_H
#define CSDESK_TICKET_NOTIFY_H

#include "domain/ticket_rules.h"

struct arena;
struct db;
struct ticket_actor_ref;
struct tmpl_set;

/*
 * Remembers the compiled templates (email/<name>/…), the product name and
 * the site's address without a trailing slash (CSDESK_BASE_URL). The
 * pointers must stay valid for the life of the process.
 */
void ticket_notify_setup(const struct tmpl_set *set, const char *site_name,
    const char *base_url);

/* Whether ticket_notify_setup gave this process templates (mail is on). */
int ticket_notify_ready(void);

/* The ticket was opened: tells its requester (even when they opened it). */
int ticket_notify_created(struct db *db, struct arena *a, long long ticket_id);

/* The ticket now has an agent: tells that agent (unless by is the agent). */
int ticket_notify_assigned(struct db *db, struct arena *a, const struct ticket_actor_ref *by,
    long long ticket_id);

/*
 * A comment of kind ("public" or "internal") with body was added by by:
 * a public staff reply tells the requester, a customer's reply tells the
 * staff; internal notes tell nobody.
 */
int ticket_notify_comment(struct db *db, struct arena *a, const struct ticket_actor_ref *by,
    long long ticket_id, const char *kind, const char *body);

/* The ticket moved to status to: resolved tells the requester; others nobody. */
int ticket_notify_status(struct db *db, struct arena *a, const struct ticket_actor_ref *by,
    long long ticket_id, enum ticket_status to);

/* The batch job closed the ticket after days resolved: tells the requester. */
int ticket_notify_auto_closed(struct db *db, struct arena *a, long long ticket_id, int days);

#endif
