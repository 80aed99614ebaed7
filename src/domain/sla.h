/*
 * sla.h — service levels on tickets: what the pages show of a ticket's
 * clock, an agent's own escalation, and the batch step that marks
 * thresholds and escalates by rule.
 *
 * The rules themselves (business time on a calendar, policy choice, due
 * times, pausing, the badge's colour) are SQL functions in sql/functions/
 * (060-100_sla_*.sql), used by every caller: ticket_open starts the clock
 * with sla_ticket_start(), and triggers on tickets and ticket_comments keep
 * it as the ticket changes. This module reads what they stored, words it
 * (sla_words.h) and drives the escalation.
 *
 * Functions return an enum cs_result (core/result.h): CS_NOT_FOUND when the
 * ticket does not exist, CS_REFUSED with *why for input to fix, CS_DB_LOST
 * or CS_FAILED (logged). Strings live in the arena given.
 */
#ifndef CSDESK_SLA_H
#define CSDESK_SLA_H

#include <stddef.h>

#include "core/result.h"

struct arena;
struct db;
struct db_pipe;
struct tmpl_set;
struct tval;

/* pg_try_advisory_lock key of the batch step. */
#define SLA_LOCK_KEY 0x6373646b0009LL

/* Tickets one statement of the batch step marks at most. */
#define SLA_TICK_BATCH 500

/* Longest reason of a manual escalation, in characters (the CHECK of
 * ticket_escalations.reason). */
#define SLA_REASON_MAX 1000

/* One target on the ticket page; times in the reader's zone (viewer_zone), "" when unset. */
struct sla_target {
	const char *label;		/* "First response" */
	const char *target;		/* "30 min", "2 business days" */
	const char *due_at, *warn_at;
	const char *stage;		/* "ok", "at_risk", "breached" */
	const char *outcome;		/* "met", "missed" or "" (undecided) */
};

struct sla_segment {
	const char *state;		/* "running", "paused", "stopped" */
	const char *from, *to;		/* to "" while it lasts */
	const char *reason;
};

struct sla_event {
	const char *target, *kind, *at, *due_at, *detail;
};

struct sla_escalation {
	const char *trigger, *target, *by, *reason, *from_agent, *to_agent;
	const char *old_priority, *new_priority, *created_at, *deescalated_at;
};

/* What the console's ticket page shows: "why did this breach?". */
struct sla_view {
	int has_policy;
	const char *policy, *calendar, *zone, *pauses;
	const char *viewer_zone;	/* the zone the times are in: the reader's */
	const char *hours;		/* the calendar's week in words (sla_hours_words) */
	const char *colour;		/* "green", "amber", "red", "paused" or "" */
	const char *left;		/* "2 h 10 min left", "overdue by 5 min" */
	const char *paused_minutes;	/* business minutes spent paused, "12.5" */
	const char *flags;		/* the ticket's flags, "legal,vip" (escalation_flags.h) */
	struct sla_target targets[3];	/* first response, next response, resolution */
	struct sla_segment *segments;
	size_t nsegments;
	struct sla_event *events;
	size_t nevents;
	struct sla_escalation *escalations;
	size_t nescalations;
};

/*
 * Loads v for ticket_id, its times in the time zone of staff member
 * reader (0: the calendar's). CS_OK, CS_NOT_FOUND or the failure.
 */
enum cs_result sla_view(struct db *db, struct arena *a, long long ticket_id, long long reader,
    struct sla_view *v);

/*
 * sla_view as part of a page's pipeline: sla_view_send queues its
 * statement (one: the lists are JSON columns of the ticket's row) on pipe (parameters in a) and notes their slots: 0, or -1
 * (out of memory, pipe full). After db_pipe_run, sla_view_take reads v
 * from those slots (the calendar's hours come with the view's row):
 * CS_OK, CS_NOT_FOUND or CS_FAILED.
 */
#define SLA_VIEW_SLOTS 1
int sla_view_send(struct db_pipe *pipe, struct arena *a, long long ticket_id, long long reader,
    int slot[SLA_VIEW_SLOTS]);
enum cs_result sla_view_take(struct db_pipe *pipe, struct arena *a,
    const int slot[SLA_VIEW_SLOTS], struct sla_view *v);

/* sla_view_send for the ticket numbered number (kept by the caller until
 * db_pipe_run): for a pipeline that reads the ticket itself too. */
int sla_view_send_number(struct db_pipe *pipe, struct arena *a, const char *number,
    long long reader, int slot[SLA_VIEW_SLOTS]);

/*
 * The promise a customer reads ("We will reply by Tue 14:00 (UTC time).")
 * or "" in *text. Works through the portal's role (scoped to the
 * transaction's customer). CS_OK or the failure.
 */
enum cs_result sla_promise(struct db *db, struct arena *a, long long ticket_id, const char **text);

/* sla_promise in a page's pipeline: its slot (-1: out of memory, pipe full), then its words. */
int sla_promise_send(struct db_pipe *pipe, struct arena *a, long long ticket_id);
enum cs_result sla_promise_take(const struct db_pipe *pipe, int slot, struct arena *a,
    const char **text);

/*
 * An agent escalates a ticket by hand with a reason: recorded, handed to
 * the next level up when there is one, and the supervisors told (mail
 * rendered from set with ctx, which carries site.name; link_base is the
 * console's address for links). One transaction. CS_OK, CS_NOT_FOUND,
 * CS_REFUSED (empty or too long reason, *why says which) or the failure.
 */
enum cs_result sla_escalate_manual(struct db *db, const struct tmpl_set *set, struct arena *a,
    struct tval *ctx, const char *link_base, long long staff_id, long long ticket_id,
    const char *reason, const char **why);

struct sla_tick_counts {
	long at_risk, breached, stale, escalations, mails;
	long recomputed;		/* tickets whose due times an admin's change moved */
};

/*
 * One batch tick: recomputes the due times of tickets queued by an admin's
 * change of a policy or calendar, marks tickets that crossed 80 % or 100 %
 * of a target since the last tick (appending "ticket.sla_at_risk" or
 * "ticket.sla_breached", {target}, for triggers), finds tickets nobody
 * changed for a rule's hours,
 * applies the escalation rules and queues mail to the supervisor chain,
 * SLA_TICK_BATCH tickets per transaction until none is left (or max_rounds).
 * set may be NULL: it is loaded by load_templates only when mail is due.
 * Adds to *c. CS_OK or the failure (that round rolled back).
 */
enum cs_result sla_tick(struct db *db, struct arena *a, const struct tmpl_set *(*load_templates)(void),
    struct tval *ctx, const char *link_base, int max_rounds, struct sla_tick_counts *c);

#endif
