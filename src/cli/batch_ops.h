/*
 * batch_ops.h — the ticket work of `csdesk batch` (steps of batch.c):
 *
 *   auto-close   close tickets left resolved for the auto_close_days
 *                setting, telling their customers (ticket_autoclose.h)
 *   metrics      roll up yesterday's and today's service metrics
 *                (metrics.h) in the metrics_time_zone setting's days
 *   events       the dispatcher: ticket events to their consumers, mail
 *                and audit (ticket_consumers.h); batch_steps.h
 *
 * Each writes its line of counts into line[0..size) and what it did into
 * *work, and returns 0 or -1 (logged).
 */
#ifndef CSDESK_CLI_BATCH_OPS_H
#define CSDESK_CLI_BATCH_OPS_H

#include <stddef.h>

struct db;

int batch_ops_autoclose(struct db *db, char *line, size_t size, long *work);
int batch_ops_metrics(struct db *db, char *line, size_t size, long *work);

/* Compiles the templates and sets up the mail of tickets and surveys, once per process. 0 or -1. */
int batch_mail_setup(void);

#endif
