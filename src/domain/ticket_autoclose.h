/*
 * ticket_autoclose.h — closing tickets left resolved: a ticket resolved
 * more than `days` days ago that the customer neither confirmed nor
 * reopened is closed by the system, with a ticket_events row and a
 * ticket.status_changed event {number, from, to, auto_close_days, tell}
 * (tickets.h), each ticket in a transaction of its own; the mail consumer
 * (ticket_consumers.h) sends the requester ticket_auto_closed from it.
 *
 * Safe to run twice and from two processes at once: the candidates come
 * from an index of resolved tickets, and each is closed by an UPDATE that
 * re-checks status and age under the row lock, so a ticket another run
 * closed first (or the customer reopened meanwhile) is left alone.
 */
#ifndef CSDESK_TICKET_AUTOCLOSE_H
#define CSDESK_TICKET_AUTOCLOSE_H

#include "core/result.h"

struct db;

/*
 * A ticket resolved more than this many days beyond the setting is closed
 * without telling the customer (its event says tell: false): nobody is waiting for that news any more,
 * and the first run on a database with years of history (or after the
 * setting is shortened) would otherwise mail every customer at once.
 */
#define TICKET_AUTOCLOSE_QUIET_AFTER 30

/* Most tickets one call closes (the next run takes the rest). */
#define TICKET_AUTOCLOSE_BATCH 500

/*
 * Closes up to TICKET_AUTOCLOSE_BATCH tickets resolved more than days
 * ago, oldest first, adding how many it closed to *closed. Returns CS_OK,
 * or the failure (logged; the tickets closed so far stay closed).
 */
enum cs_result ticket_autoclose_run(struct db *db, int days, long *closed);

#endif
