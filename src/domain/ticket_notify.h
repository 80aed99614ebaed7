/*
 * ticket_notify.h — the e-mail a ticket's changes send, through the outbox
 * (notify.h), queued inside the caller's transaction. Its one caller is
 * the mail consumer of ticket events (ticket_consumers.h), which runs in
 * the batch's dispatcher as the database owner: no use case and no
 * handler sends ticket mail itself.
 *
 *   ticket_created         "we received your request", to the requester;
 *                          for a low-priority ticket the knowledge base
 *                          answers, with the articles and a "this solved
 *                          it" link (kb_auto_answer.h)
 *   ticket_assigned        to the agent given the ticket
 *   ticket_reply           a public staff reply, to the customer's requester
 *   ticket_customer_reply  a customer's reply, to the ticket's agent, or
 *                          the members of its queue's team when unassigned
 *   ticket_resolved        to the requester, with the link to the page where
 *                          they confirm the solution or reopen the request
 *   ticket_auto_closed     to the requester, when the batch job closes a
 *                          ticket left resolved (ticket_autoclose.h)
 *   ticket_mention         to each colleague an internal note @mentions
 *   ticket_merged          to the requester of the ticket a duplicate was
 *                          merged into
 *   ticket_at_risk         to the ticket's agent, when it passes 80 % of an
 *                          SLA target
 *
 * The agent's mails (assigned, a customer's reply, at risk) go only to
 * those whose settings ask for them (staff_prefs.h, staff_wants_mail()).
 *
 * Nobody is told about their own change. A ticket without a requester (a
 * phone ticket), an inactive requester or staff member, or an address the
 * outbox refuses means no mail for that person; the change still happens.
 *
 * The templates and the links' base come from ticket_notify_setup(), called
 * once per process before it serves anything (the programs after compiling
 * their templates, the batch job before its steps). A process that has not
 * called it (`csdesk gen`) sends no ticket mail.
 *
 * Every function returns CS_OK (also when nobody is to be told: a
 * message the outbox refuses is logged and skipped), CS_DB_LOST or
 * CS_FAILED (logged; the consumer rolls its run back, so the event comes
 * again).
 */
#ifndef CSDESK_TICKET_NOTIFY_H
#define CSDESK_TICKET_NOTIFY_H

#include <stddef.h>

#include "core/result.h"
#include "domain/ticket_rules.h"

struct arena;
struct db;
struct ticket_actor_ref;
struct tmpl_set;

/* How long the invitation in a passwordless contact's first mail stays valid. */
#define TICKET_NOTIFY_INVITE_SECONDS (7 * 24 * 3600)

/*
 * Remembers the compiled templates (email/<name>/…), the product name and
 * the site's address without a trailing slash (CSDESK_BASE_URL). The
 * pointers must stay valid for the life of the process.
 */
void ticket_notify_setup(const struct tmpl_set *set, const char *site_name,
    const char *base_url);

/* Whether ticket_notify_setup gave this process templates (mail is on). */
int ticket_notify_ready(void);

/*
 * What ticket_notify_setup remembered, for the process's other mail of
 * events (returns_mail.h): *set is NULL while mail is off. Cannot fail.
 */
void ticket_notify_env(const struct tmpl_set **set, const char **site_name,
    const char **base_url);

/*
 * The ticket was opened: tells its requester (even when they opened it).
 * intro, when not NULL, is a text the mail opens with (the automatic
 * reply's text for a ticket that came by e-mail, a template rendered
 * with ticket.number, ticket.subject and customer.name).
 */
enum cs_result ticket_notify_created(struct db *db, struct arena *a, long long ticket_id,
    const char *intro);

/* The ticket was given to agent_id: tells that agent (unless by is the agent). */
enum cs_result ticket_notify_assigned(struct db *db, struct arena *a,
    const struct ticket_actor_ref *by, long long ticket_id, long long agent_id);

/*
 * A comment of kind ("public" or "internal") with body was added by by:
 * a public staff reply tells the requester, a customer's reply tells the
 * staff; internal notes tell nobody (their mentions: below).
 */
enum cs_result ticket_notify_comment(struct db *db, struct arena *a,
    const struct ticket_actor_ref *by, long long ticket_id, const char *kind,
    const char *body);

/* The ticket moved to status to: resolved tells the requester; others nobody. */
enum cs_result ticket_notify_status(struct db *db, struct arena *a,
    const struct ticket_actor_ref *by, long long ticket_id, enum ticket_status to);

/* The batch job closed the ticket after days resolved: tells the requester. */
enum cs_result ticket_notify_auto_closed(struct db *db, struct arena *a, long long ticket_id,
    int days);

/*
 * by (staff) wrote the internal note body, mentioning the staff members
 * staff[0..n): tells each one still active, by excepted, with the note and
 * the console's link.
 */
enum cs_result ticket_notify_mentioned(struct db *db, struct arena *a,
    const struct ticket_actor_ref *by, long long ticket_id, const char *body,
    const long long *staff, size_t n);

/*
 * The ticket called source_number was merged into target_id: tells the
 * target's requester, with the portal's link to the target.
 */
enum cs_result ticket_notify_merged(struct db *db, struct arena *a,
    const struct ticket_actor_ref *by, long long target_id, const char *source_number);

/* A ticket of an agent's passed 80 % of its SLA target (its name, "first response", …). */
enum cs_result ticket_notify_at_risk(struct db *db, struct arena *a, long long ticket_id,
    const char *target);

#endif
