/*
 * ticket_sla.h — the service-level part of the console's ticket page
 * (ticket_sla.c): the clock, its targets, why it breached, escalations and
 * the form to escalate by hand.
 */
#ifndef CSDESK_CONSOLE_TICKET_SLA_H
#define CSDESK_CONSOLE_TICKET_SLA_H

#include "web/app.h"

struct arena;
struct tval;
struct sla_view;

/*
 * Adds "sla_panel" to the ticket page's context from v (read with the
 * page by ticket_sheet_open), in words: statuses by their labels, a
 * target's outcome once decided, and "summary", the one line the folded
 * panel shows. open: the ticket still needs work (its clock may run).
 * Returns 0, or -1 when out of memory.
 */
int console_ticket_sla_panel(struct arena *a, struct tval *ctx, const struct sla_view *v,
    int open);

#endif
