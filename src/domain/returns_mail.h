/*
 * returns_mail.h — the customer's mail about their return, from the
 * "return.<state>" events the use cases of returns.h append: one message
 * per customer-facing step (requested, approved, awaiting_shipment with
 * the printable authorisation, received, refunded, replaced, credited,
 * rejected, cancelled, and closed when settled with nothing given) to
 * the return's requester, rendered from templates/email/return_step and
 * queued in the outbox (notify.h). Inspection, disposition and closing a
 * settled return are the warehouse's and the desk's business: no mail.
 *
 * It is a consumer (events.h) with its own cursor, run with the tickets'
 * in the batch's dispatcher step (ticket_consumers.c lists it), so each
 * step's mail is queued exactly once, whatever channel took the step. It
 * uses the templates and links ticket_notify_setup() gave the process;
 * without them it fails and its events wait.
 *
 * A requester gone or inactive, or an address the outbox refuses, means
 * no mail; a failure to read or write the database fails the event (it
 * comes again).
 */
#ifndef CSDESK_RETURNS_MAIL_H
#define CSDESK_RETURNS_MAIL_H

#include "core/result.h"

struct arena;
struct db;
struct event;

/* The consumer's name (its cursor in event_cursors). */
#define RETURNS_CONSUMER_MAIL "return_mail"

/* The consumer's handler: CS_OK, CS_DB_LOST or CS_FAILED (the event comes again). */
enum cs_result returns_mail_handle(struct db *db, struct arena *a, const struct event *e,
    void *ctx);

#endif
