/*
 * assign_waiting.h — assignment that keeps working after creation: the
 * batch's "assign" step gives tickets that found nobody when they were
 * created (off shift, everyone at capacity) to agents as they come on
 * shift or free capacity, by the same rules as at creation
 * (ticket_auto_assign in sql/functions/050_routing.sql): across the
 * queues, highest priority first and then oldest; at most
 * ASSIGN_WAITING_PER_TICK a tick, the rest at the next. An urgent or
 * critical ticket that finds nobody on shift goes to the team's on-call
 * person (the rota: oncall.h).
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
#define ASSIGN_WAITING_BATCH 100

/*
 * Tickets one tick assigns at most (ASSIGN_WAITING_BATCH a transaction):
 * the step's time stays bounded when a shift starts in front of tens of
 * thousands of waiting tickets (an assignment costs 1.5-11 ms at a
 * million tickets, most of it the ticket's row and its 45 indexes:
 * docs/automation.md); the rest go at the next tick, a minute later.
 */
#define ASSIGN_WAITING_PER_TICK 500

/*
 * Tickets in a row that found nobody after which a queue is left for this
 * tick: what a tick costs when nobody is free, per queue.
 */
#define ASSIGN_WAITING_MISSES 3

/*
 * Gives waiting tickets to agents, ASSIGN_WAITING_BATCH per transaction,
 * for at most max_rounds transactions (ASSIGN_WAITING_PER_TICK /
 * ASSIGN_WAITING_BATCH for the batch's tick); *assigned: how many.
 * Returns CS_OK or the failure (that round rolled back; earlier rounds
 * stay).
 */
enum cs_result assign_waiting_run(struct db *db, struct arena *a, int max_rounds,
    long *assigned);

#endif
