/*
 * sla_mail.h — the mail about escalations, for sla.c: one mail per person
 * per event. When several escalation rules fire for the same threshold of
 * the same ticket (two overlapping "breached" rules, say), each person
 * either rule names hears of it once, in a mail that lists every rule
 * that fired; before, they got one identical mail per rule.
 */
#ifndef CSDESK_SLA_MAIL_H
#define CSDESK_SLA_MAIL_H

#include <stddef.h>

#include "core/result.h"

struct arena;
struct db;
struct tmpl_set;
struct tval;

/* Seconds to a ticket t's due time: NULL without one or while paused. */
#define SLA_LEFT_SQL "sla_seconds_left(t.sla_due_at, t.sla_paused_at IS NOT NULL)"

/*
 * Queues the mail about the escalations eids[0..n) — made together, for
 * one event on one ticket — to everyone sla_recipients() names for any of
 * them, once each, inside the caller's transaction; ctx gets the
 * escalation, ticket, link and user of each mail. Adds the messages
 * queued to *mails. CS_OK (also for n == 0), or the database failure (an
 * address the outbox refuses is skipped and logged).
 */
enum cs_result sla_mail_escalations(struct db *db, const struct tmpl_set *set, struct arena *a,
    struct tval *ctx, const char *link_base, const long long *eids, size_t n, long *mails);

#endif
