/*
 * batch_steps.h — steps of `csdesk batch` that live in files of their own
 * (batch.c keeps the table of steps and runs them).
 */
#ifndef CSDESK_BATCH_STEPS_H
#define CSDESK_BATCH_STEPS_H

#include <stddef.h>

struct db;
struct tmpl_set;

/*
 * The project's templates, compiled on first use and kept for the
 * process (batch_sla.c); NULL on failure (logged). For the steps that
 * queue mail of their own (SLA, automations).
 */
const struct tmpl_set *batch_templates(void);

/* The environment's value of name, or fallback when unset or empty. */
const char *batch_env_or(const char *name, const char *fallback);

/* A monotonic clock in milliseconds, for the time a step prints. */
double batch_now_ms(void);

/*
 * SLA and escalation (batch_sla.c): writes its line of output into line
 * and how much it did into *work. 0 or -1 (logged).
 */
int batch_step_sla(struct db *db, char *line, size_t size, long *work);

/*
 * The dispatcher (batch_ops.c): hands the ready domain events to their
 * consumers (ticket_consumers.h: mail, audit), each exactly once, after
 * setting up the mail templates. `csdesk batch --loop` also runs it (and
 * then the mail step) as soon as new events have committed. Writes
 * its line and how many events it handled. 0 or -1 (logged).
 */
int batch_step_events(struct db *db, char *line, size_t size, long *work);

/*
 * Ticket counts (batch_counts.c): folds the pending count deltas into the
 * base counts. Writes its line and how many it folded. 0 or -1.
 */
int batch_step_counts(struct db *db, char *line, size_t size, long *work);

/*
 * Analytics (batch_analytics.c): "analytics" rolls up yesterday and today
 * (analytics.h); "reports" mails the subscriptions due and the KPI
 * alerts that crossed their line (report_schedule.h). Each writes its
 * line and how much it did. 0 or -1 (logged).
 */
int batch_step_analytics(struct db *db, char *line, size_t size, long *work);
int batch_step_reports(struct db *db, char *line, size_t size, long *work);

/*
 * Warranty (batch_warranty.c): coverage past a midnight, the claims
 * sweep, renewal reminders (warranty_consumers.h). 0 or -1 (logged).
 */
int batch_step_warranty(struct db *db, char *line, size_t size, long *work);

/*
 * Webhooks (batch_webhooks.c): queues the ticket events webhooks want and
 * posts the deliveries due. Writes its line and how many it posted. 0 or
 * -1 (logged).
 */
int batch_step_webhooks(struct db *db, char *line, size_t size, long *work);

/*
 * Periodic surveys (batch_surveys.c): sends the surveys of the active
 * periodic rules to the customers due. Writes its line and how many it
 * sent or skipped. 0 or -1 (logged).
 */
int batch_step_surveys(struct db *db, char *line, size_t size, long *work);

/*
 * Waiting tickets (batch_assign.c): gives unassigned tickets to agents who
 * came on shift or freed capacity (assign_waiting.h). Writes its line and
 * how many it assigned. 0 or -1 (logged).
 */
int batch_step_assign(struct db *db, char *line, size_t size, long *work);

/*
 * Triggers and automations (batch_automation.c): the event rules over the
 * ticket events ready for them; the time rules whose hours have come.
 * Each writes its line and how many rules fired. 0 or -1 (logged).
 */
int batch_step_triggers(struct db *db, char *line, size_t size, long *work);
int batch_step_automations(struct db *db, char *line, size_t size, long *work);

/*
 * Service parts (batch_parts.c): the replenishment proposal once a day,
 * overdue loaners' reminders (parts_consumers.h). 0 or -1 (logged).
 */
int batch_step_parts(struct db *db, char *line, size_t size, long *work);

/* The field and parts reports' daily rollup (batch_parts_rollup.c). 0 or -1. */
int batch_step_parts_rollup(struct db *db, char *line, size_t size, long *work);

#endif
