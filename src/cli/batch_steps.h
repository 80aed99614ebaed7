/*
 * batch_steps.h — steps of `csdesk batch` that live in files of their own
 * (batch.c keeps the table of steps and runs them).
 */
#ifndef CSDESK_BATCH_STEPS_H
#define CSDESK_BATCH_STEPS_H

#include <stddef.h>

struct db;

/*
 * SLA and escalation (batch_sla.c): writes its line of output into line
 * and how much it did into *work. 0 or -1 (logged).
 */
int batch_step_sla(struct db *db, char *line, size_t size, long *work);

#endif
