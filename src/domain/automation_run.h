/*
 * automation_run.h — triggers and automations at work (the rules are
 * automation_rules.h): the batch's "triggers" step hands each ticket event
 * to the event rules as a consumer of domain events (events.h), and its
 * "automations" step fires the time rules whose hours have come.
 *
 * The consumer's cursor starts where the events were when 038 was
 * applied, so rules never act on a database's old history.
 *
 * Why a consumer and not the use case: a rule then costs the creation
 * path nothing (issue 11's 1,000 tickets a second), whatever the rules;
 * the dispatcher hands each event to the rules exactly once; and what the
 * rules do happens in the dispatcher's transaction with the cursor.
 *
 * Which events are which "when": ticket.created → created;
 * ticket.replied by a customer → customer_replied; ticket.status_changed
 * → status_changed; a priority among the fields of ticket.fields_changed
 * or ticket.automated → priority_changed; and every one of these, and
 * ticket.assigned and ticket.noted, → updated (created excepted);
 * ticket.sla_at_risk and ticket.sla_breached (the SLA step) → sla_at_risk,
 * sla_breached.
 *
 * Firing a rule on a ticket: at most once per ticket and triggering event
 * (or, for a time rule, per basis: the moment it counted from), recorded
 * in automation_firings with a history row naming the rule; it sets the
 * fields (priority, queue, tags added, agent), adds its internal note,
 * moves the status through the workflow (ticket_change_status, as the
 * system) and queues its mail (templates/email/automation_message).
 *
 * Why loops cannot happen: only a change appends an event (a rule that
 * finds its tag already there changes nothing and appends nothing), every
 * event a firing appends carries {"automation": {"rule_id", "depth"}}, a
 * rule never reacts to an event it caused itself, and no rule reacts to an
 * event AUTOMATION_DEPTH_MAX firings deep. The time step's own firings
 * carry depth 1.
 */
#ifndef CSDESK_AUTOMATION_RUN_H
#define CSDESK_AUTOMATION_RUN_H

#include "core/result.h"

struct arena;
struct db;
struct tmpl_set;

/* The consumer's cursor in event_cursors. */
#define AUTOMATION_CONSUMER "automation"

/* pg_try_advisory_lock keys of the two steps. */
#define AUTOMATION_TRIGGERS_LOCK_KEY 0x6373646b0039LL
#define AUTOMATION_TIME_LOCK_KEY 0x6373646b003aLL

/* How deep a chain of rules reacting to rules may go. */
#define AUTOMATION_DEPTH_MAX 3

/* What the mail of a rule needs: templates, the product's name, the address. */
struct automation_env {
	const struct tmpl_set *set;	/* NULL: the rules act but send no mail (logged) */
	const char *site_name;
	const char *base_url;		/* no trailing slash */
};

/*
 * The event rules over the ticket events ready for them, EVENTS_BATCH_MAX
 * at a time, up to max_batches; *fired: rules fired. CS_OK or the
 * failure (that batch rolled back; its events come again).
 */
enum cs_result automation_triggers_run(struct db *db, const struct automation_env *env,
    int max_batches, long *fired);

/*
 * The time rules: every ticket whose basis passed a rule's hours since the
 * last run, conditions holding, fired once. One transaction. *fired:
 * rules fired. CS_OK or the failure (rolled back: the next run looks
 * again).
 */
enum cs_result automation_time_run(struct db *db, const struct automation_env *env,
    long *fired);

#endif
