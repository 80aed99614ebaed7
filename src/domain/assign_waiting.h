/*
 * assign_waiting.h — assignment that keeps working after creation: the
 * batch's "assign" step gives tickets that found nobody when they were
 * created (off shift, everyone at capacity) to agents as they come on
 * shift or free capacity, by the same rules as at creation
 * (ticket_auto_assign in sql/functions/050_routing.sql): per queue,
 * highest priority first and then oldest. An urgent or critical ticket
 * that finds nobody on shift goes to the team's on-call person (the rota:
 * oncall.h).
 *
 * Each assignment appends "ticket.assigned" ({number, assignee_id,
 * auto: true, waited: true}) by the system, so the mail consumer tells the
 * agent as it does for an assignment at creation.
 */
#ifndef CSDESK_ASSIGN_WAITING_H
#define CSDESK_ASSIGN_WAITING_H

#include "core/result.h"

struct arena;
struct db;

/* pg_try_advisory_lock key of the batch step. */
#define ASSIGN_WAITING_LOCK_KEY 0x6373646b0038LL

/* Tickets one transaction assigns at most. */
#define ASSIGN_WAITING_BATCH 200

/*
 * Tickets in a row that found nobody after which a queue is left for this
 * tick: what a tick costs when nobody is free, per queue.
 */
#define ASSIGN_WAITING_MISSES 3

/*
 * Gives waiting tickets to agents, ASSIGN_WAITING_BATCH per transaction,
 * for at most max_rounds transactions; *assigned: how many. Returns CS_OK
 * or the failure (that round rolled back; earlier rounds stay).
 */
enum cs_result assign_waiting_run(struct db *db, struct arena *a, int max_rounds,
    long *assigned);

#endif
