/*
 * ticket_consumers.h — what follows from the ticket events the use cases
 * of tickets.h append (events.h): the consumers `csdesk batch` runs in
 * its dispatcher step, each exactly once per event.
 *
 *   mail   ticket.created → "we received your request" to the requester;
 *          ticket.assigned (routing's at opening, and every assignment by
 *          hand or in bulk) → the agent it now has, when that changed;
 *          ticket.replied → the requester (a staff reply) or the agent or
 *          team (a customer's); ticket.noted → each colleague the note
 *          @mentions (the payload's "mentioned" staff ids); ticket.merged →
 *          the requester of the ticket merged into; a move to resolved →
 *          the requester; the batch's auto-close → the requester
 *          (ticket_notify.h renders and queues them all).
 *   audit  ticket.created → "ticket.create" (every channel); what
 *          customers do on their tickets: ticket.replied → "ticket.reply",
 *          confirming (closed) → "ticket.confirm", reopening →
 *          "ticket.reopen"; with the address the event carries.
 *   kb     ticket.created, ticket.fields_changed → the knowledge-base
 *          articles suggested for the ticket, found and stored
 *          (kb_suggest.h) so the ticket page reads them, not searches.
 *   return_mail  the returns' customer mail (returns_mail.h), run here so
 *          every dispatcher runs it with the same templates.
 *
 * Why a consumer and not the use case's own transaction: mail is rendered
 * from templates only the batch needs, and its cost (a few reads and an
 * INSERT per recipient) would sit on the benchmarked creation path;
 * audit rows are serialised by the audit chain's trigger until their
 * transaction ends, which would make every ticket change wait for every
 * other. The dispatcher commits what a consumer writes with its cursor, so
 * neither is lost when a worker dies after the commit nor done twice when
 * two batches run. (The KB deflection record is the exception: one cheap
 * UPDATE the insight page must see at once, it is done by ticket_open in
 * its transaction.)
 *
 * A consumer's failure to read or write the database fails the event (it
 * comes again next run); a message that cannot be made (an address the
 * outbox refuses, a template that does not render) is logged and skipped,
 * so one bad event cannot hold back everyone's mail.
 */
#ifndef CSDESK_TICKET_CONSUMERS_H
#define CSDESK_TICKET_CONSUMERS_H

#include "core/result.h"

struct db;

/* The consumers' names (their cursors in event_cursors). */
#define TICKET_CONSUMER_MAIL "mail"
#define TICKET_CONSUMER_AUDIT "audit"
#define TICKET_CONSUMER_KB "kb"

/*
 * Runs every consumer over the events that are ready, in batches of
 * EVENTS_BATCH_MAX, until each has caught up (or max_batches batches ran
 * for it). Outside a transaction. The mail consumer needs
 * ticket_notify_setup() first: without it, it is not run and the result
 * is CS_FAILED (its events wait). Adds to *done how many events were
 * handled, all consumers counted. CS_OK, or the first failure (logged;
 * the other consumers still run).
 */
enum cs_result ticket_consumers_run(struct db *db, int max_batches, long *done);

#endif
