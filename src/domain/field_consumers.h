/*
 * field_consumers.h — what follows from the field service's events. Both
 * are rows of the consumers table of ticket_consumers.c (each with its own
 * cursor, events.h), so `csdesk batch` runs them with the others:
 *
 *   field_mail    an appointment booked, rescheduled or cancelled → the
 *                 customer (the ticket's requester, else the account's
 *                 admins), template email/field_appointment, with the
 *                 appointment as an .ics (field_ics_appointment: a stable
 *                 UID, its SEQUENCE, STATUS:CANCELLED once cancelled);
 *                 templates and links from ticket_notify_setup()
 *   field_audit   a technician's profile, certification or time off
 *                 changed (field_admin.h) → an audit row
 */
#ifndef CSDESK_FIELD_CONSUMERS_H
#define CSDESK_FIELD_CONSUMERS_H

#include "core/result.h"

struct arena;
struct db;
struct event;

#define FIELD_CONSUMER_MAIL "field_mail"
#define FIELD_CONSUMER_AUDIT "field_audit"

/* The consumers' handlers (event_handler, events.h). */
enum cs_result field_mail_handle(struct db *db, struct arena *a, const struct event *e,
    void *ctx);
enum cs_result field_audit_handle(struct db *db, struct arena *a, const struct event *e,
    void *ctx);

#endif
