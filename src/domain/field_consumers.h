/*
 * field_consumers.h — what follows from the field service's events, run
 * by `csdesk batch` like the other consumers (events.h):
 *
 *   field_mail    an appointment booked, rescheduled or cancelled → the
 *                 customer (the ticket's requester, else the account's
 *                 admins), template email/field_appointment, with the
 *                 appointment as an .ics (field_ics_appointment: a stable
 *                 UID, its SEQUENCE, STATUS:CANCELLED once cancelled)
 *   field_audit   a technician's profile, certification or time off
 *                 changed (field_admin.h) → an audit row
 *
 * A process that did not call field_notify_setup runs the audit consumer
 * only (its mail events wait).
 */
#ifndef CSDESK_FIELD_CONSUMERS_H
#define CSDESK_FIELD_CONSUMERS_H

#include "core/result.h"

struct db;
struct tmpl_set;

#define FIELD_CONSUMER_MAIL "field_mail"
#define FIELD_CONSUMER_AUDIT "field_audit"

/* The compiled templates, the product's name and the portal's address (no trailing slash). */
void field_notify_setup(const struct tmpl_set *set, const char *site_name, const char *base_url);

/*
 * Runs both consumers over the ready events until each caught up (or ran
 * max_batches batches). Adds the events handled to *done. CS_OK or the
 * first failure (logged).
 */
enum cs_result field_consumers_run(struct db *db, int max_batches, long *done);

#endif
